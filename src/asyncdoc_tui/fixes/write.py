"""Atomic file replacement that keeps the file's permission bits."""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path


def content_hash(data: bytes) -> str:
    """Identity of exact bytes (journal checks); independent of the tool version."""
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write via a temporary file in the same folder and `os.replace`, so readers see
    the old or the new file, never half of one."""
    if mode is None:
        mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".asyncdoc-tmp")
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
