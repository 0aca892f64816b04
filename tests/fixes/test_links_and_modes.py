"""Symlinks, permissions and bytes: a fix writes through a link to its target inside the
project (never outside), keeps the link, mode, owner, encoding, BOM and newlines, and undo
keeps them too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fix_helpers import scan_tree
from project_files import write_tree

from asyncdoc_tui.fixes import apply_fixes, compute_fix, undo_last

SLEEPY = "import time\n\n\nasync def f():\n    time.sleep(1)\n"


def fix_file(root: Path, rel: str, journal: Path):
    project, result = scan_tree(root)
    proposals = [compute_fix(project, f, "asyncio-sleep") for f in result.findings if f.path == rel]
    assert proposals
    return apply_fixes(project, proposals, cache_dir=journal)


def test_a_symlinked_file_is_fixed_in_its_target_and_stays_a_link(project_dir: Path, journal: Path) -> None:
    write_tree(project_dir, {"impl/real.py": SLEEPY})
    (project_dir / "link.py").symlink_to(Path("impl") / "real.py")
    report = fix_file(project_dir, "link.py", journal)
    assert [p.path for p in report.applied] == ["link.py"] and not report.refused
    link = project_dir / "link.py"
    assert link.is_symlink() and os.readlink(link) == os.path.join("impl", "real.py")
    assert "await asyncio.sleep(1)" in (project_dir / "impl" / "real.py").read_text(encoding="utf-8")
    undo = undo_last(project_dir, journal)
    assert undo.ok and undo.restored == ["link.py"]
    assert link.is_symlink() and os.readlink(link) == os.path.join("impl", "real.py")
    assert (project_dir / "impl" / "real.py").read_text(encoding="utf-8") == SLEEPY


def test_a_link_to_a_file_outside_the_project_is_refused(tmp_path: Path, project_dir: Path, journal: Path) -> None:
    outside = write_tree(tmp_path / "elsewhere", {"real.py": SLEEPY}) / "real.py"
    (project_dir / "link.py").symlink_to(outside)
    report = fix_file(project_dir, "link.py", journal)
    assert not report.applied and report.batch_id is None
    assert report.refused[0].reason == f"link.py is a link to {outside}, outside the project folder; not written"
    assert outside.read_text(encoding="utf-8") == SLEEPY and (project_dir / "link.py").is_symlink()


def test_mode_and_owner_are_kept_through_fix_and_undo(project_dir: Path, journal: Path) -> None:
    """Root can give the file to another user and does; anyone else keeps their own."""
    target = write_tree(project_dir, {"mod.py": SLEEPY}) / "mod.py"
    target.chmod(0o640)
    if os.geteuid() == 0:
        os.chown(target, 4321, 8765)
    owner = (target.stat().st_uid, target.stat().st_gid)
    assert fix_file(project_dir, "mod.py", journal).applied
    assert (target.stat().st_mode & 0o7777, target.stat().st_uid, target.stat().st_gid) == (0o640, *owner)
    assert undo_last(project_dir, journal).ok
    assert (target.stat().st_mode & 0o7777, target.stat().st_uid, target.stat().st_gid) == (0o640, *owner)


@pytest.mark.parametrize(
    ("name", "data", "fixed_line"),
    [
        ("bom", b"\xef\xbb\xbf" + SLEEPY.encode(), b"    await asyncio.sleep(1)\n"),
        ("crlf", SLEEPY.replace("\n", "\r\n").encode(), b"    await asyncio.sleep(1)\r\n"),
        ("latin-1", ("# -*- coding: latin-1 -*-\n# caf\u00e9\n" + SLEEPY).encode("latin-1"), b"    await asyncio.sleep(1)\n"),
    ],
)
def test_encoding_bom_and_newlines_are_kept_through_fix_and_undo(
    name: str, data: bytes, fixed_line: bytes, project_dir: Path, journal: Path
) -> None:
    target = write_tree(project_dir, {"mod.py": data}) / "mod.py"
    assert fix_file(project_dir, "mod.py", journal).applied
    fixed = target.read_bytes()
    assert fixed_line in fixed
    assert fixed.startswith(b"\xef\xbb\xbf") == (name == "bom")
    assert (fixed.count(b"\r\n") == fixed.count(b"\n")) == (name == "crlf")
    if name == "latin-1":
        assert "# caf\u00e9\n".encode("latin-1") in fixed
    assert undo_last(project_dir, journal).ok and target.read_bytes() == data
