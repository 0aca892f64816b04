"""Every batch can be undone whatever happened: writes the OS refused, a process killed
between journal and replace, stale batches; never a temporary file left behind."""

from __future__ import annotations

import os
import resource
import signal
from pathlib import Path

from project_files import write_tree
from writer_process import run_fix, start_fix, temp_files

SLEEPY = "import time\n\n\nasync def f():\n    time.sleep(1)\n"
FIXED = "import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n"
UNDO_HINT = "1 other file fixed, undo with `asyncdoc fix --undo`"


def test_a_read_only_file_is_named_and_the_rest_is_undoable(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "proj", {"a/ok.py": SLEEPY, "b/ro.py": SLEEPY})
    (root / "b" / "ro.py").chmod(0o444)
    writer = run_fix(tmp_path, "--apply", str(root))
    assert writer.proc.returncode == 2
    assert f"asyncdoc: b/ro.py: permission denied (the file is read-only); {UNDO_HINT}" in writer.stderr
    assert (root / "a" / "ok.py").read_text(encoding="utf-8") == FIXED
    assert (root / "b" / "ro.py").read_text(encoding="utf-8") == SLEEPY
    assert not temp_files(root)
    undo = run_fix(tmp_path, "--undo", str(root))
    assert undo.proc.returncode == 0 and "restored a/ok.py" in undo.stdout
    assert (root / "a" / "ok.py").read_text(encoding="utf-8") == SLEEPY


def test_a_full_disk_mid_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    """RLIMIT_FSIZE makes the write of the larger fixed file fail as a full disk would
    (EFBIG), in the middle of writing its temporary file."""
    padding = "# " + "x" * 3000 + "\n"
    root = write_tree(tmp_path / "proj", {"a/ok.py": SLEEPY, "b/big.py": padding + SLEEPY})
    limit = (root / "b" / "big.py").stat().st_size + 8  # the journal's copy fits, the fix does not

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    writer = run_fix(tmp_path, "--apply", "--no-cache", str(root), preexec=small_disk)
    assert writer.proc.returncode == 2, writer.stderr
    assert f"asyncdoc: b/big.py: file too large; {UNDO_HINT}" in writer.stderr
    assert (root / "b" / "big.py").read_text(encoding="utf-8") == padding + SLEEPY
    assert not temp_files(root)
    undo = run_fix(tmp_path, "--undo", str(root))
    assert undo.proc.returncode == 0 and "restored a/ok.py" in undo.stdout


def test_a_run_killed_between_journal_and_replace_is_undoable(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "proj", {"a.py": SLEEPY, "b.py": SLEEPY})
    writer = start_fix(tmp_path, "--apply", str(root), pause="before-replace")
    os.close(writer.wait_parked())  # a.py is written
    writer.wait_parked()  # b.py: journalled, its temporary file written, not replaced
    writer.proc.send_signal(signal.SIGKILL)
    assert writer.finish() == -signal.SIGKILL
    assert (root / "a.py").read_text(encoding="utf-8") == FIXED
    assert (root / "b.py").read_text(encoding="utf-8") == SLEEPY
    assert [p.name for p in temp_files(root)] and all(p.name.startswith(".b.py.") for p in temp_files(root))
    undo = run_fix(tmp_path, "--undo", str(root))
    assert undo.proc.returncode == 0 and "restored a.py\n" in undo.stdout
    assert (root / "a.py").read_text(encoding="utf-8") == SLEEPY
    assert (root / "b.py").read_text(encoding="utf-8") == SLEEPY
    assert not temp_files(root)  # cleaned by the next run


def test_a_stale_batch_never_blocks_undoing_older_ones(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "proj", {"a.py": SLEEPY, "b.py": SLEEPY})
    assert run_fix(tmp_path, "--apply", str(root / "a.py")).proc.returncode == 0
    killed = start_fix(tmp_path, "--apply", str(root / "b.py"), pause="before-replace")
    killed.wait_parked()
    killed.proc.send_signal(signal.SIGKILL)
    killed.finish()
    undo = run_fix(tmp_path, "--undo", str(root))
    assert undo.proc.returncode == 0 and "restored a.py\n" in undo.stdout
    assert (root / "a.py").read_text(encoding="utf-8") == SLEEPY
    assert (root / "b.py").read_text(encoding="utf-8") == SLEEPY
    assert not temp_files(root)
    again = run_fix(tmp_path, "--undo", str(root))
    assert again.proc.returncode == 2 and "nothing to undo" in again.stderr
