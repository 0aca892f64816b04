"""`asyncdoc fix` as a real process, optionally parked at a pause point of the writer
(`asyncdoc_tui.fixes.pause`), so tests race it with edits and other writers without sleeps."""

from __future__ import annotations

import errno
import itertools
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

_SERIAL = itertools.count()


@dataclass
class Writer:
    """A running `asyncdoc fix`; its output goes to files so a full pipe never stalls it."""

    proc: subprocess.Popen[bytes]
    out: Path
    err: Path
    fifo: Path | None  # prefix of the fifos of its stops
    stops: int = 0

    def wait_parked(self) -> int:
        """Block until the writer sits at its next stop; return the fd that releases it.

        A non-blocking open of the stop's fifo for writing succeeds only once the writer
        has opened it for reading, i.e. is parked; until then the process is waited on,
        so a writer that ends early fails the test instead of hanging it."""
        assert self.fifo is not None
        self.stops += 1
        fifo = f"{self.fifo}.{self.stops}"
        while True:
            try:
                return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno not in (errno.ENXIO, errno.ENOENT):
                    raise
            try:
                self.proc.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                continue
            raise AssertionError(f"the writer ended before its pause point:\n{self.stdout}\n{self.stderr}")

    def finish(self) -> int:
        return self.proc.wait()

    @property
    def stdout(self) -> str:
        return self.out.read_text()

    @property
    def stderr(self) -> str:
        return self.err.read_text()


def start_fix(
    tmp_path: Path,
    *args: str,
    pause: str | None = None,
    preexec: Callable[[], None] | None = None,
) -> Writer:
    """Start `python -m asyncdoc_tui fix *args` with its cache in tmp_path; `pause` names
    the point to park at (see `asyncdoc_tui.fixes.pause`)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    env.pop("ASYNCDOC_PAUSE", None)
    name = f"fix{next(_SERIAL)}"
    fifo = None
    if pause:
        fifo = tmp_path / f"{name}.{pause}"
        env["ASYNCDOC_PAUSE"] = f"{pause}={fifo}"
    out, err = tmp_path / f"{name}.out", tmp_path / f"{name}.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "asyncdoc_tui", "fix", *args], env=env, stdout=stdout, stderr=stderr, preexec_fn=preexec
        )
    return Writer(proc, out, err, fifo)


def run_fix(tmp_path: Path, *args: str, preexec: Callable[[], None] | None = None) -> Writer:
    """Run `asyncdoc fix` to completion (no pause)."""
    writer = start_fix(tmp_path, *args, preexec=preexec)
    writer.finish()
    return writer


def temp_files(root: Path) -> list[Path]:
    """Temporary files of asyncdoc's writes anywhere under root (hidden ones included)."""
    return sorted(root.rglob("*.asyncdoc-tmp"))
