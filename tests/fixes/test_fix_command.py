"""`asyncdoc fix`: diff by default (writes nothing), --apply, --undo restoring every byte,
exit codes as `check`, and no libcst import during a scan."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from project_files import write_tree

from asyncdoc_tui.cli import main
from asyncdoc_tui.demo import demo_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    shutil.copytree(demo_path(), root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_apply_then_undo_restores_the_demo_byte_for_byte(demo_copy: Path, journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    original = snapshot(demo_copy)
    args = ["--no-cache", "--cache-dir", str(journal), str(demo_copy)]
    assert main(["fix", "--apply", "--unsafe", *args]) in (0, 1)
    out = capsys.readouterr().out
    assert "fixed: shop/main.py:18:5 AD101 with asyncio-sleep (safe)" in out and "undo with `asyncdoc fix --undo`" in out
    changed = {p for p, data in snapshot(demo_copy).items() if original.get(p) != data}
    assert "shop/main.py" in changed
    assert main(["fix", "--undo", *args]) == 0
    assert "restored" in capsys.readouterr().out
    assert snapshot(demo_copy) == original
    assert main(["fix", "--undo", *args]) == 2  # nothing left to undo
    assert "nothing to undo" in capsys.readouterr().err


def test_diff_is_the_default_and_writes_nothing(demo_copy: Path, journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    original = snapshot(demo_copy)
    assert main(["fix", "--no-cache", "--cache-dir", str(journal), str(demo_copy)]) == 1
    out = capsys.readouterr().out
    assert "--- a/shop/main.py\n+++ b/shop/main.py\n" in out and "+    await asyncio.sleep(0.1)\n" in out
    assert "\x1b[" not in out  # plain when not a terminal
    assert "requests-to-httpx" not in out  # unsafe fixes only with --unsafe
    assert snapshot(demo_copy) == original


def test_select_and_clean_exit(project_dir: Path, journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(project_dir, {"mod.py": "import time\n\n\nasync def f():\n    time.sleep(1)\n"})
    args = ["--no-cache", "--cache-dir", str(journal), str(project_dir)]
    assert main(["fix", "--select", "AD102", *args]) == 0
    assert main(["fix", "--apply", "--select", "AD101", *args]) == 0  # nothing left afterwards
    assert "await asyncio.sleep(1)" in (project_dir / "mod.py").read_text(encoding="utf-8")
    assert main(["check", *args]) == 0


def test_the_installed_demo_is_never_written(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fix", "--demo", "--apply"]) == 2
    assert "copy it" in capsys.readouterr().err


def test_scanning_does_not_import_libcst(demo_copy: Path) -> None:
    code = (
        "import sys\nfrom pathlib import Path\nfrom asyncdoc_tui.scan.engine import scan\n"
        f"_, result = scan([Path({str(demo_copy)!r})], use_cache=False)\n"
        "assert any(f.fixes for f in result.findings)\n"
        "print('libcst' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_diffs_are_coloured_for_a_terminal() -> None:
    from asyncdoc_tui.commands.fix import colour_diff

    diff = "--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-old\n+new\n"
    coloured = colour_diff(diff, True)
    assert "\x1b[31m-old\x1b[0m\n" in coloured and "\x1b[32m+new\x1b[0m\n" in coloured
    assert colour_diff(diff, False) == diff
