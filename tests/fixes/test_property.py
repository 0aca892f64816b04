"""Property: every fix offered on every fixture file (golden inputs, the demo project)
and on every file of the flake8-async corpus (copies) yields code that compiles, and the
finding it targets is gone from a scan of the result, with nothing new reported."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from fix_helpers import GOLDEN, scan_tree

from asyncdoc_tui.demo import demo_path
from asyncdoc_tui.fixes import FixRefused, compute_fix
from asyncdoc_tui.fixes.apply import finding_key, with_bytes
from asyncdoc_tui.fixes.registry import SPECS_BY_ID
from asyncdoc_tui.fixes.source import read_source
from asyncdoc_tui.scan.engine import analyse

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "flake8_async_eval"
CORPUS_FILES = sorted(CORPUS.glob("*.py")) if CORPUS.is_dir() else []


def check_every_fix(root: Path) -> Counter[str]:
    """Compute every offered fix of every finding under root; returns outcome counts."""
    project, result = scan_tree(root)
    before = Counter(map(finding_key, result.findings))
    outcome: Counter[str] = Counter()
    for finding in result.findings:
        for ref in finding.fixes:
            try:
                proposal = compute_fix(project, finding, ref.id)
            except FixRefused:
                outcome["refused"] += 1
                continue
            compile(proposal.new_text, proposal.path, "exec", dont_inherit=True)
            source = read_source((root / proposal.path).read_bytes())
            after_project = with_bytes(project, proposal.path, source.encode(proposal.new_text))
            after = Counter(map(finding_key, analyse(after_project)[0]))
            key = finding_key(finding)
            assert after[key] < before[key], f"{ref.id} left {finding.location} {finding.code}\n{proposal.diff}"
            added = {k for k in after - before if k[1] not in SPECS_BY_ID[ref.id].allows}
            assert not added, f"{ref.id} on {finding.location} added {added}\n{proposal.diff}"
            outcome[ref.id] += 1
    return outcome


def test_every_fix_on_the_fixture_files(tmp_path: Path) -> None:
    for case in sorted(GOLDEN.iterdir()):
        shutil.copy(case / "before.py", tmp_path / f"{case.name.replace('-', '_')}.py")
    outcome = check_every_fix(tmp_path)
    assert {"asyncio-sleep", "to-thread", "run-in-executor", "requests-to-httpx", "async-to-def"} <= set(outcome)


def test_every_fix_on_the_demo_project(tmp_path: Path) -> None:
    shutil.copytree(demo_path(), tmp_path / "shop", ignore=shutil.ignore_patterns("__pycache__"))
    outcome = check_every_fix(tmp_path / "shop")
    assert outcome["async-to-def"] and outcome["asyncio-sleep"] and outcome["local-import"]


@pytest.mark.skipif(not CORPUS_FILES, reason="flake8-async corpus not present")
@pytest.mark.parametrize("source", CORPUS_FILES, ids=lambda p: p.name)
def test_every_fix_on_the_flake8_async_corpus(source: Path, tmp_path: Path) -> None:
    shutil.copy(source, tmp_path / source.name)
    check_every_fix(tmp_path)
