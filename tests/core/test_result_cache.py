"""The whole-project result cache: an unchanged tree gets its previous ScanResult without
the engine running; each input, changed alone, makes it recompute the right result.

Whether the engine ran is counted (load_project, analyse), never timed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from project_files import write_tree

import asyncdoc_tui
from asyncdoc_tui.config import Config, load_config
from asyncdoc_tui.model import Finding, ScanResult
from asyncdoc_tui.scan import engine, result_cache
from asyncdoc_tui.scan.project import Project
from asyncdoc_tui.scan.result_cache import ResultCache, cached_result, canonical, code_fingerprint

FILES = {
    "app/__init__.py": "",
    "app/a.py": "import time\n\nasync def f():\n    time.sleep(1)\n",
    "app/b.py": "def g():\n    return 1\n",
}
SLEEPER = "import time\n\nasync def h():\n    time.sleep(3)\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "proj", FILES)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The engine steps that ran, in order: "load" (discover + facts), "analyse" (the rules)."""
    steps: list[str] = []
    real_load, real_analyse = engine.load_project, engine.analyse

    def load(*args: Any, **kwargs: Any) -> Project:
        steps.append("load")
        return real_load(*args, **kwargs)

    def analyse(*args: Any, **kwargs: Any) -> tuple[list[Finding], list[Finding]]:
        steps.append("analyse")
        return real_analyse(*args, **kwargs)

    monkeypatch.setattr(engine, "load_project", load)
    monkeypatch.setattr(engine, "analyse", analyse)
    return steps


def check(root: Path, cache: Path, config: Config | None = None) -> ScanResult:
    """`cached_result` with the project's own configuration unless one is given."""
    config = config if config is not None else load_config(root)
    return cached_result([root], config, cache)


def hits(result: ScanResult) -> list[tuple[str, str, int]]:
    return [(f.code, f.path, f.line) for f in result.findings]


def primed(root: Path, cache: Path, ran: list[str]) -> ScanResult:
    """Scan once (the engine runs), then forget that it ran."""
    first = check(root, cache)
    assert ran == ["load", "analyse"]
    ran.clear()
    return first


def test_unchanged_tree_is_served_without_the_engine(root: Path, cache: Path, ran: list[str]) -> None:
    first = primed(root, cache, ran)
    again = check(root, cache)
    assert ran == []
    assert again == first
    assert hits(again) == [("AD101", "app/a.py", 4)]


def test_changed_content_is_recomputed(root: Path, cache: Path, ran: list[str]) -> None:
    primed(root, cache, ran)
    (root / "app/b.py").write_text(SLEEPER, encoding="utf-8")
    result = check(root, cache)
    assert ran == ["load", "analyse"]
    assert hits(result) == [("AD101", "app/a.py", 4), ("AD101", "app/b.py", 4)]


def test_added_and_removed_files_are_recomputed(root: Path, cache: Path, ran: list[str]) -> None:
    primed(root, cache, ran)
    (root / "app/c.py").write_text(SLEEPER, encoding="utf-8")
    added = check(root, cache)
    assert (ran, added.files_scanned) == (["load", "analyse"], 4)
    assert ("AD101", "app/c.py", 4) in hits(added)
    ran.clear()
    (root / "app/a.py").unlink()
    removed = check(root, cache)
    assert (ran, removed.files_scanned) == (["load", "analyse"], 3)
    assert hits(removed) == [("AD101", "app/c.py", 4)]


def _set_mtime(path: Path, mtime_ns: int) -> None:
    os.utime(path, ns=(path.stat().st_atime_ns, mtime_ns))


def test_touched_identical_file_hits_and_is_restamped(root: Path, cache: Path, ran: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    first = primed(root, cache, ran)
    path = root / "app/a.py"
    _set_mtime(path, path.stat().st_mtime_ns + 5_000_000_000)
    read: list[str] = []
    real_digest = result_cache.content_digest
    monkeypatch.setattr(result_cache, "content_digest", lambda p: read.append(p) or real_digest(p))
    assert check(root, cache) == first
    assert (ran, read) == ([], [str(path)])  # only the touched file was read
    read.clear()
    assert check(root, cache) == first
    assert (ran, read) == ([], [])  # its new stat was stored


def test_stat_is_trusted_when_size_and_mtime_are_unchanged(root: Path, cache: Path, ran: list[str]) -> None:
    """As in the facts cache: an edit that keeps size and mtime_ns is not looked for."""
    first = primed(root, cache, ran)
    path = root / "app/a.py"
    mtime = path.stat().st_mtime_ns
    path.write_text(FILES["app/a.py"].replace("sleep(1)", "sleep(2)"), encoding="utf-8")
    _set_mtime(path, mtime)
    assert check(root, cache) == first
    assert ran == []


def test_pyproject_config_is_part_of_the_key(root: Path, cache: Path, ran: list[str]) -> None:
    primed(root, cache, ran)
    (root / "pyproject.toml").write_text('[tool.asyncdoc]\nper-file-ignores = { "app/a.py" = ["AD101"] }\n', encoding="utf-8")
    result = check(root, cache)
    assert ran == ["load", "analyse"]
    assert hits(result) == [] and [f.path for f in result.suppressed] == ["app/a.py"]


def test_the_config_file_is_stamped_beyond_its_tool_section(root: Path, cache: Path, ran: list[str]) -> None:
    """`requires-python` may decide the grammar: any edit of the pyproject read recomputes."""
    pyproject = root / "pyproject.toml"
    pyproject.write_text('[project]\nname = "app"\nrequires-python = ">=3.11"\n', encoding="utf-8")
    first = primed(root, cache, ran)
    _set_mtime(pyproject, pyproject.stat().st_mtime_ns + 5_000_000_000)
    assert check(root, cache) == first
    assert ran == []  # touched only
    pyproject.write_text('[project]\nname = "app"\nrequires-python = ">=3.12"\n', encoding="utf-8")
    assert check(root, cache) == first
    assert ran == ["load", "analyse"]


def test_select_is_part_of_the_key(root: Path, cache: Path, ran: list[str]) -> None:
    primed(root, cache, ran)
    assert hits(check(root, cache, Config().with_overrides(("AD4",), None))) == []
    assert ran == ["load", "analyse"]
    ran.clear()
    assert hits(check(root, cache, Config().with_overrides(None, ("AD1",)))) == []
    assert ran == ["load", "analyse"]


def test_every_config_field_is_keyed_including_later_ones() -> None:
    """The canonical form walks the dataclass, so a field Config gains later is keyed too."""
    assert canonical(Config()) != canonical(Config(keys=(("apply", "ctrl+a"),)))
    assert canonical({"b": {2, 1}, "a": [Path("x")]}) == canonical({"a": [Path("x")], "b": {1, 2}})


def test_version_and_code_fingerprint_are_part_of_the_key(root: Path, cache: Path, ran: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    first = primed(root, cache, ran)
    monkeypatch.setattr(result_cache, "__version__", "99.0")
    assert check(root, cache) == first
    assert ran == ["load", "analyse"]
    ran.clear()
    monkeypatch.setattr(result_cache, "code_fingerprint", lambda: "another build")
    assert check(root, cache) == first
    assert ran == ["load", "analyse"]


def _package_copy(tmp_path: Path) -> Path:
    """A copy of the installed package (sources and data, no bytecode), in `<tmp>/site`."""
    site = tmp_path / "site"
    shutil.copytree(Path(asyncdoc_tui.__file__).parent, site / "asyncdoc_tui", ignore=shutil.ignore_patterns("__pycache__"))
    return site


def test_fingerprint_covers_analysis_code_and_data_not_presentation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = _package_copy(tmp_path) / "asyncdoc_tui"
    monkeypatch.setattr(result_cache, "PACKAGE_DIR", package)
    fingerprint = code_fingerprint.__wrapped__
    before = fingerprint()
    with (package / "tui" / "app.py").open("a") as handle:
        handle.write("# presentation only\n")
    assert fingerprint() == before
    for changed in ("rules/transitive.py", "cycles/scc.py", "fixes/registry.py", "scan/resolve.py", "model.py", "rules/catalog.toml"):
        with (package / changed).open("a") as handle:
            handle.write("\n# changed\n")
        after = fingerprint()
        assert after != before, changed
        before = after
    (package / "flow").mkdir()
    (package / "flow" / "edges.py").write_text("EDGES = ()\n", encoding="utf-8")
    assert fingerprint() != before  # a package added later counts until listed as presentation


def _check_json(site: Path, root: Path, cache: Path, *args: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    command = [sys.executable, "-m", "asyncdoc_tui", "check", "--format", "json", "--cache-dir", str(cache), *args, str(root)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_an_edited_catalog_is_recomputed(root: Path, cache: Path, tmp_path: Path) -> None:
    """Real processes on a copy of the package: dropping time.sleep from catalog.toml drops AD101."""
    site = _package_copy(tmp_path)
    assert [f["code"] for f in _check_json(site, root, cache)["findings"]] == ["AD101"]
    catalog = site / "asyncdoc_tui" / "rules" / "catalog.toml"
    text = catalog.read_text(encoding="utf-8")
    assert 'calls = ["time.sleep"]' in text
    catalog.write_text(text.replace('calls = ["time.sleep"]', 'calls = ["time.sleep_not"]'), encoding="utf-8")
    assert _check_json(site, root, cache)["findings"] == []


def test_a_marker_file_that_decides_the_roots_is_part_of_the_key(root: Path, cache: Path, ran: list[str]) -> None:
    """A nested pyproject.toml makes its folder an import root: module names change."""
    nested = root / "services" / "billing"
    (nested / "billing").mkdir(parents=True)
    (nested / "billing" / "__init__.py").write_text("", encoding="utf-8")
    first = check(root, cache)
    ran.clear()
    assert check(root, cache) == first and ran == []
    (nested / "pyproject.toml").write_text("[project]\nname = 'billing'\n", encoding="utf-8")
    second = check(root, cache)
    assert ran == ["load", "analyse"]
    assert ("services/billing", "has its own pyproject.toml") in second.roots
    ran.clear()
    (nested / "pyproject.toml").write_text("[project]\nname = 'billing-service'\n", encoding="utf-8")
    check(root, cache)
    assert ran == ["load", "analyse"]  # its content may hold settings a scan reads


@pytest.mark.parametrize("damage", [b"not a pickle", b"", b"\x80\x05\x95"])
def test_a_corrupt_entry_is_a_miss_and_is_replaced(root: Path, cache: Path, ran: list[str], damage: bytes) -> None:
    first = primed(root, cache, ran)
    entry = ResultCache(cache, root).path
    entry.write_bytes(damage)
    assert check(root, cache) == first
    assert ran == ["load", "analyse"]
    ran.clear()
    assert check(root, cache) == first
    assert ran == []


def test_an_unwritable_cache_is_not_an_error(root: Path, cache: Path, ran: list[str]) -> None:
    cache.mkdir()
    (cache / "results").write_text("a file where the folder should be", encoding="utf-8")
    assert hits(check(root, cache)) == [("AD101", "app/a.py", 4)]
    assert hits(check(root, cache)) == [("AD101", "app/a.py", 4)]
    assert ran == ["load", "analyse"] * 2


def _cli(root: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "asyncdoc_tui", "check", "--format", "json", "--cache-dir", str(cache), *args, str(root)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_cli_warm_output_matches_a_scan_without_cache(root: Path, cache: Path) -> None:
    cold = _cli(root, cache, "--no-cache")
    assert not cache.exists()
    for _ in range(2):  # the first fills the result cache, the second is served from it
        warm = _cli(root, cache)
        assert (warm.returncode, warm.stdout) == (cold.returncode, cold.stdout)
    assert list((cache / "results").glob("*.pickle"))
    selected = _cli(root, cache, "--select", "AD4")
    assert (selected.returncode, selected.stdout) == (0, _cli(root, cache, "--no-cache", "--select", "AD4").stdout)


def test_explain_unresolved_needs_the_project_and_skips_the_result_cache(root: Path, cache: Path) -> None:
    done = _cli(root, cache, "--explain-unresolved")
    assert done.returncode == 1 and json.loads(done.stdout)["findings"]
    assert (cache / "facts").is_dir() and not (cache / "results").exists()


def test_warm_check_imports_no_analysis_code(root: Path, cache: Path) -> None:
    """Served from the cache, `asyncdoc check` loads neither the engine, a rule, libcst nor multiprocessing."""
    assert _cli(root, cache).returncode == 1
    code = (
        "import sys\n"
        f"sys.argv = ['asyncdoc', 'check', '--cache-dir', {str(cache)!r}, {str(root)!r}]\n"
        "from asyncdoc_tui.cli import main\n"
        "code = main()\n"
        "heavy = ('asyncdoc_tui.scan.engine', 'asyncdoc_tui.rules.blocking', 'asyncdoc_tui.rules.catalog',\n"
        "         'asyncdoc_tui.scan.facts', 'libcst', 'multiprocessing', 'concurrent.futures')\n"
        "print(code, sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "1 []"
