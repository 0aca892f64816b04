"""Safe apply: hash check, rebasing of several fixes in one file, verification with
roll-back, encodings, journal and undo."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from fix_helpers import only, scan_tree, with_fix
from project_files import write_tree

from asyncdoc_tui.fixes import (
    FixRefused,
    apply_fixes,
    compute_fix,
    preview_fixes,
    undo_last,
)

SLEEPY = """import time


async def one():
    time.sleep(1)


async def two():
    time.sleep(2)
    time.sleep(3)
"""


def test_file_changed_after_scan_is_refused(project_dir: Path, journal: Path) -> None:
    write_tree(project_dir, {"mod.py": SLEEPY})
    project, result = scan_tree(project_dir)
    proposal = compute_fix(project, result.findings[0], "asyncio-sleep")
    (project_dir / "mod.py").write_text(SLEEPY + "\n# edited\n", encoding="utf-8")
    with pytest.raises(FixRefused, match="changed since the scan"):
        compute_fix(project, result.findings[0], "asyncio-sleep")
    report = apply_fixes(project, [proposal], cache_dir=journal)
    assert not report.applied and "changed since the scan" in report.refused[0].reason
    assert (project_dir / "mod.py").read_text(encoding="utf-8").endswith("# edited\n")
    assert report.batch_id is None


def test_three_fixes_in_one_file_are_rebased_and_undone(project_dir: Path, journal: Path) -> None:
    write_tree(project_dir, {"mod.py": SLEEPY})
    before = (project_dir / "mod.py").read_bytes()
    project, result = scan_tree(project_dir)
    proposals = [compute_fix(project, f, "asyncio-sleep") for f in result.findings]
    plans, refused = preview_fixes(project, proposals)
    assert not refused and len(plans) == 1 and plans[0].diff.count("+    await asyncio.sleep(") == 3
    assert (project_dir / "mod.py").read_bytes() == before  # preview writes nothing
    report = apply_fixes(project, proposals, cache_dir=journal)
    assert len(report.applied) == 3 and not report.refused
    text = (project_dir / "mod.py").read_text(encoding="utf-8")
    assert text.count("await asyncio.sleep(") == 3 and "import time" not in text
    assert report.project is not None and not [f for f in report.project.index.files if f.path != "mod.py"]
    undo = undo_last(project_dir, journal)
    assert undo.ok and undo.restored == ["mod.py"]
    assert (project_dir / "mod.py").read_bytes() == before
    assert not undo_last(project_dir, journal).ok  # the batch is gone


def test_undo_refuses_when_the_file_changed_since(project_dir: Path, journal: Path) -> None:
    write_tree(project_dir, {"mod.py": SLEEPY})
    project, result = scan_tree(project_dir)
    apply_fixes(project, [compute_fix(project, result.findings[0], "asyncio-sleep")], cache_dir=journal)
    with (project_dir / "mod.py").open("a", encoding="utf-8") as handle:
        handle.write("# my edit\n")
    undo = undo_last(project_dir, journal)
    assert not undo.ok and "changed since the fix was applied" in undo.refused and "mod.py" in undo.refused
    assert (project_dir / "mod.py").read_text(encoding="utf-8").endswith("# my edit\n")


def test_a_fix_that_adds_a_finding_is_rolled_back(project_dir: Path, journal: Path) -> None:
    write_tree(project_dir, {"mod.py": SLEEPY})
    before = (project_dir / "mod.py").read_bytes()
    project, result = scan_tree(project_dir)
    good = compute_fix(project, result.findings[0], "asyncio-sleep")
    bad = replace(good, new_text=good.new_text + "\n\nasync def three():\n    time.sleep(4)\n")
    report = apply_fixes(project, [bad], cache_dir=journal)
    assert not report.applied and "new finding" in report.refused[0].reason
    assert (project_dir / "mod.py").read_bytes() == before
    assert report.batch_id is None and not undo_last(project_dir, journal).ok


def test_a_fix_that_leaves_its_finding_is_rolled_back(project_dir: Path, journal: Path) -> None:
    write_tree(project_dir, {"mod.py": SLEEPY})
    before = (project_dir / "mod.py").read_bytes()
    project, result = scan_tree(project_dir)
    good = compute_fix(project, result.findings[0], "asyncio-sleep")
    noop = replace(good, new_text=good.original_text + "# touched\n")
    report = apply_fixes(project, [noop], cache_dir=journal)
    assert not report.applied and "still reported" in report.refused[0].reason
    assert (project_dir / "mod.py").read_bytes() == before


def test_legacy_encoding_is_kept(project_dir: Path, journal: Path) -> None:
    source = "# -*- coding: latin-1 -*-\nimport time\n\n\nasync def caf\u00e9_wait():\n    label = 'caf\u00e9'\n    time.sleep(1)\n"
    (project_dir / "mod.py").write_bytes(source.encode("latin-1"))
    project, result = scan_tree(project_dir)
    apply_fixes(project, [compute_fix(project, only(result.findings), "asyncio-sleep")], cache_dir=journal)
    data = (project_dir / "mod.py").read_bytes()
    assert "label = 'caf\u00e9'".encode("latin-1") in data and b"await asyncio.sleep(1)" in data


def test_non_ascii_before_the_call_maps_columns(project_dir: Path, journal: Path) -> None:
    write_tree(project_dir, {"mod.py": "import time\n\n\nasync def f():\n    x = 'žluť'; time.sleep(1)\n"})
    project, result = scan_tree(project_dir)
    proposal = compute_fix(project, only(result.findings), "to-thread")
    assert "x = 'žluť'; await asyncio.to_thread(time.sleep, 1)" in proposal.new_text


def test_two_fix_kinds_in_one_function_are_rebased(project_dir: Path, journal: Path) -> None:
    """async-to-def is recomputed after asyncio-sleep added an await: it no longer applies."""
    write_tree(
        project_dir,
        {
            "app.py": "import subprocess\nimport time\n\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
            "@app.get('/x')\nasync def x():\n    time.sleep(1)\n    subprocess.run(['true'])\n",
        },
    )
    project, result = scan_tree(project_dir)
    sleep = compute_fix(project, only(result.findings, "AD101"), "asyncio-sleep")
    to_def = compute_fix(project, only(result.findings, "AD103"), "async-to-def")
    report = apply_fixes(project, [to_def, sleep], cache_dir=journal)
    assert [p.fix_id for p in report.applied] == ["asyncio-sleep"]
    assert "does not apply" in report.refused[0].reason
    assert "async def x():\n    await asyncio.sleep(1)" in (project_dir / "app.py").read_text(encoding="utf-8")


def test_offers_need_an_async_context(project_dir: Path) -> None:
    write_tree(project_dir, {"mod.py": "import time\n\n\ndef sync():\n    time.sleep(1)\n\n\nasync def f():\n    g = lambda: time.sleep(1)\n    return g\n"})
    _, result = scan_tree(project_dir)
    assert not with_fix(result, "asyncio-sleep") and not with_fix(result, "to-thread")


def test_await_is_parenthesised_where_it_binds_loosely(project_dir: Path) -> None:
    write_tree(project_dir, {"mod.py": "async def f(path):\n    return open(path).read()\n"})
    project, result = scan_tree(project_dir)
    opening = next(f for f in result.findings if f.message.startswith("`open()`"))
    text = compute_fix(project, opening, "to-thread").new_text
    assert "return (await asyncio.to_thread(open, path)).read()\n" in text
