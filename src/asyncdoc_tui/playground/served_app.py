"""Start the user's own server command under the loop probe, wait until it answers, stop it.

The command runs through the shell (it is a command line the user typed: `uvicorn
app.main:app --port 8000`, `python -m myapp`, `PORT=8000 fastapi run`) in the project root,
with the user's environment plus the probe's, in a session of its own: Ctrl-C in the terminal
reaches the playground only, and stopping kills the whole process group (the shell, a
`--reload` supervisor and its workers). If the playground dies without stopping it, the
probe in each Python process sees its link close and ends that process.

Its output goes to a file, never a pipe: a server logging every request would block on a
full pipe nobody reads, and that would show up as a stall.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from asyncdoc_tui.playground.server_monitor import ServerMonitor
from asyncdoc_tui.playground.server_process import STOP_TIMEOUT_S

READY_TIMEOUT_S = 30.0
READY_POLL_S = 0.05
OUTPUT_TAIL_LINES = 15


class ServedAppError(RuntimeError):
    """The server did not start or did not answer; the message says why, with its output."""


def address_of(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def answers(address: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(address, timeout=1.0):
            return True
    except OSError:
        return False


class ServedApp:
    """`cmd` run in `root` under `monitor`'s probe; `url` says which port must answer."""

    def __init__(
        self, command: str, root: str, url: str, monitor: ServerMonitor, ready_timeout_s: float = READY_TIMEOUT_S
    ) -> None:
        self.command = command
        self.root = root
        self.address = address_of(url)
        self._monitor = monitor
        self._ready_timeout_s = ready_timeout_s
        self._output = tempfile.TemporaryFile(mode="w+b")
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return None if self._proc is None else self._proc.pid

    def start(self) -> None:
        """Start the command and return once its port answers; raise `ServedAppError` if not
        (the command may still be running then: `stop()` it)."""
        host, port = self.address
        if answers(self.address):
            raise ServedAppError(f"something already answers on {host}:{port}: stop it, or give the URL of the "
                                 "port your command listens on")
        self._proc = subprocess.Popen(
            self.command, shell=True, cwd=self.root, env=self._monitor.env(),
            stdin=subprocess.DEVNULL, stdout=self._output, stderr=subprocess.STDOUT, start_new_session=True,
        )
        give_up = time.monotonic() + self._ready_timeout_s
        while not answers(self.address):
            code = self._proc.poll()
            if code is not None:
                raise ServedAppError(f"`{self.command}` exited with code {code} before answering on "
                                     f"{host}:{port}. Its output:\n{self.output_tail()}")
            if time.monotonic() > give_up:
                raise ServedAppError(f"`{self.command}` did not answer on {host}:{port} within "
                                     f"{self._ready_timeout_s:g} s (is that the port it listens on?). "
                                     f"Its output:\n{self.output_tail()}")
            time.sleep(READY_POLL_S)

    def output_tail(self) -> str:
        self._output.flush()
        self._output.seek(0)
        lines = self._output.read().decode(errors="replace").splitlines()
        return "\n".join(lines[-OUTPUT_TAIL_LINES:]) or "(none)"

    def stop(self) -> None:
        """SIGTERM to the process group; SIGKILL to what is still running after the grace period."""
        proc = self._proc
        if proc is not None:
            if group_running(proc.pid):
                _signal_group(proc.pid, signal.SIGTERM)
                give_up = time.monotonic() + STOP_TIMEOUT_S
                while group_running(proc.pid) and time.monotonic() < give_up:
                    proc.poll()  # reap our own child, so it does not count as running
                    time.sleep(READY_POLL_S)
                if group_running(proc.pid):
                    _signal_group(proc.pid, signal.SIGKILL)
            proc.wait()
        self._output.close()


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def group_running(pgid: int) -> bool:
    """Whether a process of the group is still running. On Linux, zombies do not count: a
    container whose init does not reap keeps exited grandchildren as zombies for good."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True
    return any(process_running(int(entry.name), pgid) for entry in proc.iterdir() if entry.name.isdigit())


def process_running(pid: int, pgid: int | None = None) -> bool:
    """Whether `pid` runs (not a zombie) and, given `pgid`, belongs to that group (Linux)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    fields = stat[stat.rindex(")") + 2:].split()  # state, ppid, pgrp, … after "pid (comm)"
    return fields[0] != "Z" and (pgid is None or fields[2] == str(pgid))
