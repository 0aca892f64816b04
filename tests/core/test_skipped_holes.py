"""A skipped file is never a silent hole: it is counted by every output, a scan that saw no
code exits 2, a skipped module is still a module, and findings that lean on it say so."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from asyncdoc_tui.config import Config
from asyncdoc_tui.cycles.analysis import analyse_cycles
from asyncdoc_tui.cycles.graph import MODULE_BINDING
from asyncdoc_tui.model import ScanResult
from asyncdoc_tui.report import renderer
from asyncdoc_tui.scan.engine import load_project, rescan_paths, result_for
from asyncdoc_tui.scan.resolve import SKIPPED, Resolved

Write = Callable[[dict[str, str | bytes]], Path]

INVALID = "def (:\n"  # invalid in every Python grammar

ALL_FAIL = {"a.py": INVALID, "pkg/__init__.py": "x = (\n", "pkg/b.py": "class\n"}


def asyncdoc(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a fresh interpreter, without the user's cache."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd / ".xdg")}
    command = [sys.executable, "-m", "asyncdoc_tui", *map(str, args)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=False)


def scan(root: Path) -> ScanResult:
    return result_for(load_project([root], config=Config(), use_cache=False))


# ---- nothing parsed, nothing found ------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_a_folder_where_nothing_parses_exits_2_and_every_format_counts_the_files(write: Write, fmt: str) -> None:
    root = write(ALL_FAIL)
    done = asyncdoc("check", "--no-cache", "--format", fmt, ".", cwd=root)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "asyncdoc: error: none of the 3 Python files under" in done.stderr
    assert "could be parsed, so nothing was analysed" in done.stderr
    if fmt == "text":
        assert done.stdout.splitlines()[-1] == "Found 0 findings in 0 files; 3 files skipped (listed on stderr)."
        assert done.stderr.count("asyncdoc: skipped ") == 3
    elif fmt == "json":
        data = json.loads(done.stdout)
        assert data["files_scanned"] == 0
        assert [s["path"] for s in data["files_skipped"]] == ["a.py", "pkg/__init__.py", "pkg/b.py"]
    elif fmt == "sarif":
        (invocation,) = json.loads(done.stdout)["runs"][0]["invocations"]
        assert invocation["executionSuccessful"] is False
        assert invocation["properties"] == {"filesScanned": 0, "filesSkipped": 3}
        notes = invocation["toolExecutionNotifications"]
        skipped = [n for n in notes if n["descriptor"]["id"] == "skipped-file"]
        assert [n["level"] for n in skipped] == ["warning"] * 3
        assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in skipped] == [
            "a.py", "pkg/__init__.py", "pkg/b.py",
        ]
        assert [n["level"] for n in notes if n["descriptor"]["id"] == "nothing-analysed"] == ["error"]
    else:
        lines = done.stdout.splitlines()
        assert [line.split(",")[0] for line in lines if line.startswith("::warning file=")] == [
            "::warning file=a.py", "::warning file=pkg/__init__.py", "::warning file=pkg/b.py",
        ]
        assert "::notice title=asyncdoc::3 files skipped, each annotated with its reason" in lines
        assert lines[-1].startswith("::error title=asyncdoc analysed nothing::none of the 3 Python files")


@pytest.mark.parametrize("command", [["fix"], ["graph"]])
def test_fix_and_graph_also_refuse_a_folder_where_nothing_parses(write: Write, command: list[str]) -> None:
    root = write(ALL_FAIL)
    done = asyncdoc(*command, "--no-cache", ".", cwd=root)
    assert done.returncode == 2
    assert "could be parsed, so nothing was analysed" in done.stderr
    assert "asyncdoc: skipped pkg/b.py: syntax error at line 1" in done.stderr
    assert done.stdout == ""


def test_no_python_files_is_not_a_clean_result(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("not python\n")
    done = asyncdoc("check", "--no-cache", "empty", cwd=tmp_path)
    assert done.returncode == 2
    assert "asyncdoc: error: no Python files found under" in done.stderr


def test_some_skipped_files_are_counted_but_the_scan_still_succeeds(write: Write) -> None:
    root = write({"ok.py": "import asyncio\n", "bad.py": INVALID})
    done = asyncdoc("check", "--no-cache", "--format", "sarif", ".", cwd=root)
    assert done.returncode == 0
    (invocation,) = json.loads(done.stdout)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    assert invocation["properties"] == {"filesScanned": 1, "filesSkipped": 1}


# ---- a skipped module is still a module -------------------------------------------------


@pytest.mark.parametrize("statement", ["from pkg import sub", "from . import sub"])
def test_a_skipped_submodule_is_a_module_binding_and_invents_no_cycle(write: Write, statement: str) -> None:
    # Read as "a name from pkg", `pkg.a` -> `pkg` closed a cycle with `pkg` -> `pkg.a`,
    # and `sub`, bound in pkg only after `.a` runs, looked like an ImportError.
    root = write(
        {
            "pkg/__init__.py": "from .a import thing\nfrom . import sub\n",
            "pkg/a.py": f"{statement}\nthing = 1\n",
            "pkg/sub.py": INVALID,
        }
    )
    project = load_project([root], config=Config(), use_cache=False)
    assert [(s.path, s.module, s.is_package) for s in project.skipped] == [("pkg/sub.py", "pkg.sub", False)]
    graph, cycles = analyse_cycles(project)
    assert cycles == []
    (edge,) = graph.by_source["pkg.a"]
    assert (edge.target, edge.binding) == ("pkg.sub", MODULE_BINDING)
    assert graph.skipped == {"pkg.sub": "pkg/sub.py"}
    assert not [f for f in result_for(project).findings if f.code.startswith("AD3")]


def test_resolution_knows_a_skipped_module_and_never_guesses_into_it(write: Write) -> None:
    root = write({"app/__init__.py": "", "app/db.py": INVALID, "app/api.py": "from app import db\nfrom app.db import engine\n"})
    index = load_project([root], config=Config(), use_cache=False).index
    assert index.resolve("app.db") == Resolved(SKIPPED, "app.db")
    assert index.resolve("app.db.engine.connect()") == Resolved(SKIPPED, "app.db")
    assert index.skipped == {"app.db": "app/db.py"}


# ---- findings that depend on a skipped file ---------------------------------------------

CHAINS = {
    "app/__init__.py": "",
    "app/broken.py": INVALID,
    "app/helpers.py": """
        import time
        from app import broken

        def slow():
            broken.prepare()
            time.sleep(1)

        def fast():
            time.sleep(1)
        """,
    "app/api.py": """
        from app.helpers import fast, slow

        async def handler():
            slow()

        async def other():
            fast()
        """,
}

CYCLES = {
    "pkg/__init__.py": "",
    "pkg/broken.py": INVALID,
    "pkg/a.py": "from pkg import b\nfrom pkg import broken\n",
    "pkg/b.py": "from pkg import a\n",
    "pkg/c.py": "from pkg import d\n",
    "pkg/d.py": "from pkg import c\n",
}


def _by_first_line(findings: list[dict]) -> dict[tuple[str, int], dict]:
    return {(f["path"], f["line"]): f for f in findings}


def test_an_ad201_chain_through_a_call_into_a_skipped_file_is_incomplete_and_its_twin_is_not(write: Write) -> None:
    root = write(CHAINS)
    done = asyncdoc("check", "--no-cache", "--format", "json", "--select", "AD201", ".", cwd=root)
    found = _by_first_line(json.loads(done.stdout)["findings"])
    slow, fast = found[("app/api.py", 4)], found[("app/api.py", 7)]
    assert slow["incomplete"] is True and slow["incomplete_files"] == ["app/broken.py"]
    assert "incomplete" not in fast and "incomplete_files" not in fast


def test_a_cycle_whose_member_imports_a_skipped_module_is_incomplete_and_its_twin_is_not(write: Write) -> None:
    root = write(CYCLES)
    done = asyncdoc("check", "--no-cache", "--format", "json", ".", cwd=root)
    found = _by_first_line(json.loads(done.stdout)["findings"])
    ab, cd = found[("pkg/a.py", 1)], found[("pkg/c.py", 1)]
    assert ab["code"] == cd["code"] == "AD302"
    assert ab["incomplete"] is True and ab["incomplete_files"] == ["pkg/broken.py"]
    assert "incomplete" not in cd


def test_the_graph_command_lists_skipped_modules_and_marks_incomplete_cycles(write: Write) -> None:
    root = write(CYCLES)
    done = asyncdoc("graph", "--no-cache", "--format", "json", ".", cwd=root)
    assert done.returncode == 0 and "asyncdoc: skipped pkg/broken.py" in done.stderr
    data = json.loads(done.stdout)
    assert data["skipped"] == [{"name": "pkg.broken", "path": "pkg/broken.py"}]
    by_modules = {tuple(c["modules"]): c for c in data["cycles"]}
    assert by_modules[("pkg.a", "pkg.b")]["incomplete_files"] == ["pkg/broken.py"]
    assert "incomplete" not in by_modules[("pkg.c", "pkg.d")]


def test_calls_into_a_skipped_file_are_explained_not_guessed(write: Write) -> None:
    root = write(CHAINS)
    done = asyncdoc("check", "--no-cache", "--select", "AD201", "--explain-unresolved", ".", cwd=root)
    assert "app/helpers.py:5:5: `broken.prepare()` in `slow`: defined in a file asyncdoc skipped" in done.stdout


def test_a_cycle_inside_a_skipped_package_is_incomplete(write: Write) -> None:
    # The package's `__init__` runs before either member; its imports are unknown.
    root = write({"pkg/__init__.py": INVALID, "pkg/a.py": "from pkg import b\n", "pkg/b.py": "from pkg import a\n"})
    (cycle,) = scan(root).findings
    assert cycle.incomplete_files == ("pkg/__init__.py",)


def test_text_sarif_and_github_say_incomplete_in_words(write: Write) -> None:
    root = write(CHAINS)
    result = scan(root)
    text = asyncdoc("check", "--no-cache", "--select", "AD201", ".", cwd=root).stdout
    assert "    ! incomplete: depends on app/broken.py, which was skipped" in text
    assert text.splitlines()[-1] == (
        "Found 2 findings in 3 files; 1 file skipped (listed on stderr); 1 incomplete (they depend on skipped files)."
    )
    sarif = json.loads(renderer("sarif")(result))["runs"][0]["results"]
    results = {r["locations"][0]["physicalLocation"]["region"]["startLine"]: r for r in sarif if r["ruleId"] == "AD201"}
    assert results[4]["properties"] == {"incomplete": True, "incompleteFiles": ["app/broken.py"]}
    assert "(incomplete: depends on app/broken.py" in results[4]["message"]["text"]
    assert "properties" not in results[7] and "incomplete" not in results[7]["message"]["text"]
    github = [line for line in renderer("github")(result).splitlines() if "title=asyncdoc AD201" in line]
    assert ["incomplete: depends on app/broken.py" in line for line in github] == [True, False]


def test_fixing_the_skipped_file_makes_the_finding_whole_again(write: Write) -> None:
    root = write(CHAINS)
    project = load_project([root], config=Config(), use_cache=False)
    assert [f.incomplete_files for f in result_for(project).findings if f.line == 4] == [("app/broken.py",)]
    (root / "app" / "broken.py").write_text("def prepare():\n    pass\n")
    project = rescan_paths(project, [root / "app" / "broken.py"])
    assert project.skipped == [] and project.index.skipped == {}
    assert [f.incomplete_files for f in result_for(project).findings if f.line == 4] == [()]
