"""Writing a file's bytes without losing anyone else's: atomic replacement, and a
compare-and-swap that writes only over the exact bytes a fix was made from.

The swap checks the file just before `os.replace` and again just after it: an editor
that saved in place between the check and the replace wrote into the old inode, which
is still open here, so its bytes are put back; a save after the replace is left alone.
Either way the file is reported as changed, never silently overwritten.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
from pathlib import Path

from asyncdoc_tui.fixes.pause import pause_point

TMP_SUFFIX = ".asyncdoc-tmp"


class FileChanged(Exception):
    """The file no longer holds the bytes a write expected; it was not overwritten."""


def content_hash(data: bytes) -> str:
    """Identity of exact bytes (journal checks); independent of the tool version."""
    return hashlib.sha256(data).hexdigest()


def failure_reason(exc: OSError | FileChanged) -> str:
    """Why a write did not happen, in the words a person reads (`permission denied`)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]
    return str(exc)


def write_target(path: Path) -> Path:
    """The file a write to `path` lands in: a symlink is written through to its target,
    so the link itself stays a link."""
    return Path(os.path.realpath(path))


def temp_path(target: Path, tag: str) -> Path:
    """The temporary file a swap of `target` uses, named so the journal can find (and
    clean) it after a crash."""
    return target.with_name(f".{target.name}.{tag}{TMP_SUFFIX}")


def atomic_write(path: Path, data: bytes, mode: int) -> None:
    """Write via a temporary file in the same folder and `os.replace`, so readers see
    the old or the new file, never half of one (for asyncdoc's own files)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _write_temp(tmp: Path, data: bytes, like: os.stat_result) -> None:
    """The new bytes in `tmp`, with the mode and (where allowed) owner of the file they
    will replace."""
    tmp.unlink(missing_ok=True)  # left by a killed run; the caller holds the project lock
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(fd)
        ours = os.fstat(fd)
        if (like.st_uid, like.st_gid) != (ours.st_uid, ours.st_gid):
            try:
                os.fchown(fd, like.st_uid, like.st_gid)
            except PermissionError:  # only root may give a file away: keep ours
                pass
        os.fchmod(fd, stat.S_IMODE(like.st_mode))  # after chown, which clears set-id bits


def swap(path: Path, expected: bytes, data: bytes, tmp: Path) -> None:
    """Replace the file at `path` (through a symlink) by `data` only if it still holds
    `expected`; raise `FileChanged` (nothing of the other writer lost) or `OSError`.
    `tmp` is `temp_path` of the target; it never outlives the call."""
    target = write_target(path)
    like = target.stat()
    if not like.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise PermissionError(errno.EACCES, "permission denied (the file is read-only)")
    pause_point("before-write")
    late = _replace_if(target, expected, data, tmp, like, park=True)
    pause_point("after-replace")
    now = target.read_bytes()
    if late != expected:
        if now == data:
            _replace_if(target, data, late, tmp, like, park=False)
        raise FileChanged("the file was saved while it was being written; the saved version is kept")
    if now != data:
        raise FileChanged("the file was saved right after it was written; the saved version is kept")


def _replace_if(target: Path, expected: bytes, data: bytes, tmp: Path, like: os.stat_result, park: bool) -> bytes:
    """`os.replace` `target` by `data` if it holds `expected`; return what the replaced
    inode held just after the replace (it differs when someone wrote into it meanwhile)."""
    try:
        _write_temp(tmp, data, like)
        with open(target, "rb") as old:
            if old.read() != expected:
                raise FileChanged("the file changed meanwhile; not written, the edit is kept")
            if park:
                pause_point("before-replace")
            os.replace(tmp, target)
            old.seek(0)
            return old.read()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
