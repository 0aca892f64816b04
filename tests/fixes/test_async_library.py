"""Trio and anyio code get their own advice and fixes; a fix never rebinds a taken name."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from fix_helpers import only, scan_tree

from asyncdoc_tui.fixes import compute_fix
from asyncdoc_tui.fixes.proposal import FixRefused


def _write(root: Path, source: str) -> Path:
    (root / "app.py").write_text(textwrap.dedent(source).lstrip())
    return root


TRIO = """
    import time

    import trio


    async def worker(seconds):
        time.sleep(seconds)
    """

ANYIO = """
    import subprocess

    import anyio


    async def job(cmd):
        subprocess.run(cmd, check=True, text=True)
    """

ALIASED = """
    import time
    import trio as asyncio


    async def nap():
        time.sleep(1)
    """

PARAMETER = """
    import time


    async def nap(asyncio):
        time.sleep(1)
    """


def test_trio_code_gets_trio_advice_and_fixes(tmp_path: Path) -> None:
    project, result = scan_tree(_write(tmp_path, TRIO))
    finding = only(result.findings, "AD101")
    assert finding.alternative == "await trio.sleep(seconds)"
    assert [ref.id for ref in finding.fixes] == ["asyncio-sleep", "to-thread"]  # no run_in_executor in trio
    assert finding.fixes[0].title == "Replace with `await trio.sleep(...)`"
    fixed = compute_fix(project, finding, "asyncio-sleep").new_text
    assert "await trio.sleep(seconds)" in fixed and "asyncio" not in fixed
    threaded = compute_fix(project, finding, "to-thread").new_text
    assert "await trio.to_thread.run_sync(time.sleep, seconds)" in threaded


def test_anyio_keywords_go_through_partial(tmp_path: Path) -> None:
    project, result = scan_tree(_write(tmp_path, ANYIO))
    finding = only(result.findings, "AD103")
    assert "anyio.to_thread.run_sync" in finding.alternative
    fixed = compute_fix(project, finding, "to-thread").new_text
    assert "await anyio.to_thread.run_sync(functools.partial(subprocess.run, cmd, check=True, text=True))" in fixed
    assert "import functools" in fixed


def test_the_name_the_file_binds_the_library_to_is_used(tmp_path: Path) -> None:
    project, result = scan_tree(_write(tmp_path, ALIASED))
    fixed = compute_fix(project, only(result.findings, "AD101"), "asyncio-sleep").new_text
    assert "await asyncio.sleep(1)" in fixed  # `asyncio` is trio here, and trio.sleep is right
    assert fixed.count("import") == 1  # nothing added


def test_a_fix_never_binds_a_name_the_scope_uses(tmp_path: Path) -> None:
    project, result = scan_tree(_write(tmp_path, PARAMETER))
    finding = only(result.findings, "AD101")
    with pytest.raises(FixRefused, match="`asyncio` already names something else here"):
        compute_fix(project, finding, "asyncio-sleep")

