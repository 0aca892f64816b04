"""One writer per project: an advisory `flock` on a lock file (the journal keeps one per
project root in the cache dir).

The kernel drops a `flock` when the process holding it dies, so a crashed or killed
asyncdoc never leaves a stale lock behind; the pid written inside is only for the message.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from asyncdoc_tui.fixes.proposal import FixRefused


class ProjectBusy(FixRefused):
    """Another asyncdoc (process, or the app) is applying or undoing fixes here."""


@contextmanager
def held(path: Path) -> Iterator[None]:
    """Hold the lock file at `path`, or raise `ProjectBusy` at once (never wait)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            who = f" (pid {holder})" if holder.isdigit() else ""
            raise ProjectBusy(f"another asyncdoc{who} is applying fixes in this project; try again when it has finished") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
