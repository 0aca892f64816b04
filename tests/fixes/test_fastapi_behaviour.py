"""Behaviour kept: the orders app's own suite passes before and after `asyncdoc fix --apply`
(safe fixes) on a copy, and every finding of the app is fixed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from asyncdoc_tui.cli import main

APP = Path(__file__).parent / "fastapi_app"


def run_suite(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(root)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


def test_suite_passes_before_and_after_safe_fixes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("fastapi")
    copy = tmp_path / "fastapi_app"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = run_suite(copy)
    assert before.returncode == 0, before.stdout + before.stderr
    original = (copy / "orders_app" / "main.py").read_text(encoding="utf-8")
    code = main(["fix", "--apply", "--no-cache", "--cache-dir", str(tmp_path / "cache"), str(copy)])
    out = capsys.readouterr().out
    assert code == 0, out  # nothing left to report
    fixed = (copy / "orders_app" / "main.py").read_text(encoding="utf-8")
    assert fixed != original
    for expected in (
        "def load_orders() -> dict:\n",
        "    await asyncio.sleep(0.01)\n",
        "    await asyncio.sleep(seconds)\n",
        "await asyncio.to_thread(subprocess.run, ",
        "def count():\n",
    ):
        assert expected in fixed, fixed
    assert "async def load_orders" not in fixed and "async def count" not in fixed
    after = run_suite(copy)
    assert after.returncode == 0, after.stdout + after.stderr
