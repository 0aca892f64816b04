"""Compare-and-swap at write time and one writer per project, raced with real processes:
`asyncdoc fix` parked at a pause point of its writer while the test edits the file or
starts a second `asyncdoc fix`."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from project_files import write_tree
from writer_process import run_fix, start_fix, temp_files

SLEEPY = "import time\n\n\nasync def f():\n    time.sleep(1)\n"
EDITED = SLEEPY + "\n\ndef added_by_the_user():\n    return 1\n"
FIXED = "import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n"


def test_an_edit_made_during_verification_is_kept_and_the_rest_applied(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "proj", {"a.py": SLEEPY, "b.py": SLEEPY})
    writer = start_fix(tmp_path, "--apply", str(root), pause="before-write")
    gate = writer.wait_parked()  # a.py verified, about to be re-checked and written
    (root / "a.py").write_text(EDITED, encoding="utf-8")
    os.close(gate)
    os.close(writer.wait_parked())  # b.py goes through untouched
    assert writer.finish() == 1  # a.py's finding remains
    assert (root / "a.py").read_text(encoding="utf-8") == EDITED
    assert (root / "b.py").read_text(encoding="utf-8") == FIXED
    assert "not fixed: a.py:5:5 AD101: the file changed meanwhile; not written, the edit is kept" in writer.stdout
    assert "1 fix(es) applied in 1 file(s)" in writer.stdout
    undo = run_fix(tmp_path, "--undo", str(root))
    assert undo.proc.returncode == 0 and "restored b.py" in undo.stdout
    assert (root / "a.py").read_text(encoding="utf-8") == EDITED
    assert (root / "b.py").read_text(encoding="utf-8") == SLEEPY


def test_an_in_place_save_just_before_the_replace_is_put_back(tmp_path: Path) -> None:
    """The save lands after the re-check, in the inode about to be replaced: the check
    after the replace finds it and restores it."""
    root = write_tree(tmp_path / "proj", {"a.py": SLEEPY})
    writer = start_fix(tmp_path, "--apply", str(root), pause="before-replace")
    gate = writer.wait_parked()
    with (root / "a.py").open("r+b") as handle:  # as an editor that saves in place
        handle.write(EDITED.encode())
    os.close(gate)
    assert writer.finish() == 1
    assert (root / "a.py").read_text(encoding="utf-8") == EDITED
    assert "a.py:5:5 AD101: the file was saved while it was being written; the saved version is kept" in writer.stdout
    assert not temp_files(root)
    undo = run_fix(tmp_path, "--undo", str(root))
    assert undo.proc.returncode == 2 and "nothing to undo" in undo.stderr
    assert (root / "a.py").read_text(encoding="utf-8") == EDITED


def test_a_save_right_after_the_replace_is_kept_and_not_journalled(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "proj", {"a.py": SLEEPY})
    writer = start_fix(tmp_path, "--apply", str(root), pause="after-replace")
    gate = writer.wait_parked()
    assert (root / "a.py").read_text(encoding="utf-8") == FIXED
    saved = tmp_path / "saved.py"
    saved.write_text(EDITED, encoding="utf-8")
    saved.replace(root / "a.py")  # as an editor that saves by rename
    os.close(gate)
    assert writer.finish() == 1
    assert "a.py:5:5 AD101: the file was saved right after it was written; the saved version is kept" in writer.stdout
    assert (root / "a.py").read_text(encoding="utf-8") == EDITED
    undo = run_fix(tmp_path, "--undo", str(root))
    assert undo.proc.returncode == 2 and "nothing to undo" in undo.stderr
    assert (root / "a.py").read_text(encoding="utf-8") == EDITED


def test_undo_never_overwrites_an_edit_made_while_it_runs(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "proj", {"a.py": SLEEPY})
    assert run_fix(tmp_path, "--apply", str(root)).proc.returncode == 0
    undo = start_fix(tmp_path, "--undo", str(root), pause="before-write")
    gate = undo.wait_parked()  # a.py checked as the fix left it, not yet restored
    edited = FIXED + "# my edit\n"
    (root / "a.py").write_text(edited, encoding="utf-8")
    os.close(gate)
    assert undo.finish() == 2
    assert "not restored: a.py: the file changed meanwhile; not written, the edit is kept" in undo.stderr
    assert (root / "a.py").read_text(encoding="utf-8") == edited


def test_a_second_writer_is_turned_away_while_the_first_writes(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "proj", {"a.py": SLEEPY})
    first = start_fix(tmp_path, "--apply", str(root), pause="before-replace")
    gate = first.wait_parked()
    second = run_fix(tmp_path, "--apply", str(root))
    busy = f"asyncdoc: another asyncdoc (pid {first.proc.pid}) is applying fixes in this project"
    assert second.proc.returncode == 2 and second.stderr.startswith(busy)
    undo = run_fix(tmp_path, "--undo", str(root))
    assert undo.proc.returncode == 2 and undo.stderr.startswith(busy)
    assert (root / "a.py").read_text(encoding="utf-8") == SLEEPY
    os.close(gate)
    assert first.finish() == 0 and "1 fix(es) applied in 1 file(s)" in first.stdout
    assert (root / "a.py").read_text(encoding="utf-8") == FIXED


def test_the_lock_of_a_killed_writer_is_not_stale(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "proj", {"a.py": SLEEPY})
    first = start_fix(tmp_path, "--apply", str(root), pause="before-replace")
    first.wait_parked()
    first.proc.send_signal(signal.SIGKILL)
    assert first.finish() == -signal.SIGKILL
    assert (root / "a.py").read_text(encoding="utf-8") == SLEEPY
    second = run_fix(tmp_path, "--apply", str(root))
    assert second.proc.returncode == 0, second.stderr
    assert (root / "a.py").read_text(encoding="utf-8") == FIXED
    assert not temp_files(root)
