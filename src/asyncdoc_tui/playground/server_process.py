"""Start the demo server in its own process and stop it again.

A separate process, not a thread: the blocking pattern stalls the client's event loop and,
with it, any server sharing the process. The child exits when its parent dies (it polls its
parent pid), so a crashed TUI does not leave a server behind.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from types import TracebackType

from asyncdoc_tui.playground.demo_server import READY_PREFIX

STOP_TIMEOUT_S = 10.0


class DemoServerError(RuntimeError):
    """The demo server did not start; the message carries its stderr."""


class DemoServerProcess:
    """`with DemoServerProcess() as url:` gives the base URL of a running demo server."""

    def __init__(self, port: int = 0) -> None:
        self.port = port
        self.url = ""
        self._proc: subprocess.Popen[str] | None = None

    def start(self) -> str:
        stderr = tempfile.TemporaryFile(mode="w+")
        cmd = [
            sys.executable, "-m", "asyncdoc_tui.playground.demo_server",
            "--port", str(self.port), "--parent-pid", str(os.getpid()),
        ]
        self._proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL, text=True)
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline().strip()
        if not line.startswith(READY_PREFIX):
            self.stop()
            stderr.seek(0)
            raise DemoServerError(f"demo server did not start: {stderr.read().strip() or line or 'no output'}")
        stderr.close()
        self.url = line.removeprefix(READY_PREFIX)
        return self.url

    def stop(self) -> None:
        if self._proc is None or self._proc.poll() is not None:
            return
        self._proc.terminate()
        try:
            self._proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
