"""The playground's end of the loop probe: a local listener that collects what the probes in
the user's server report (lag samples, stalls with their stacks), and the environment that
injects the probe into a command.

Every Python process started under that environment connects once (the server, a
`--reload` worker, a pre-fork worker), says hello with the listener's token (anything else
is dropped) and keeps the connection open: closing it is how the probes learn that the
playground is gone, so `close()` also tells them to exit.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import tempfile
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from asyncdoc_tui.playground.loop_probe import ENV, HEARTBEAT_S

HOST = "127.0.0.1"
SETTLE_TIMEOUT_S = 2.0  # ten of the probe's flushes


@dataclass(slots=True)
class RawStall:
    """A stall as one probe reported it (times are absolute `perf_counter` values)."""

    pid: int
    start: float
    duration_s: float
    ongoing: bool
    stacks: list[tuple[int, list[tuple[str, int, str, str]]]]  # (samples, frames innermost first)


@dataclass(slots=True)
class _Collected:
    pids: list[int] = field(default_factory=list)
    loop_pids: set[int] = field(default_factory=set)  # whose probe watched a running loop
    samples: list[tuple[float, float]] = field(default_factory=list)
    stalls: dict[tuple[int, int], RawStall] = field(default_factory=dict)
    checked: dict[int, float] = field(default_factory=dict)  # pid -> its probe's `now`, while connected


class ServerMonitor:
    """`with ServerMonitor() as monitor:` listens; `monitor.env()` is what the server needs."""

    def __init__(self) -> None:
        self._token = secrets.token_hex(16)
        self._listener = socket.create_server((HOST, 0))
        self._port = self._listener.getsockname()[1]
        self._folder = Path(tempfile.mkdtemp(prefix="asyncdoc-probe-"))
        probe = resources.files("asyncdoc_tui.playground").joinpath("loop_probe.py").read_text(encoding="utf-8")
        (self._folder / "sitecustomize.py").write_text(probe, encoding="utf-8")
        self._data = _Collected()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._connections: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept, name="asyncdoc-probe-listener", daemon=True).start()

    @property
    def heartbeat_s(self) -> float:
        return HEARTBEAT_S

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """`base` (default: this process's environment) with the probe first on PYTHONPATH."""
        env = dict(os.environ if base is None else base)
        path = env.get("PYTHONPATH")
        env["PYTHONPATH"] = str(self._folder) + (os.pathsep + path if path else "")
        env[ENV] = f"{HOST}:{self._port}:{self._token}"
        return env

    def pids(self) -> list[int]:
        """Processes whose probe connected (and whose hello carried the token)."""
        with self._lock:
            return list(self._data.pids)

    def loop_pids(self) -> list[int]:
        """Processes in which the probe watched a running asyncio loop."""
        with self._lock:
            return sorted(self._data.loop_pids)

    def settle(self, until: float) -> None:
        """Wait (bounded) until every probe watching a loop has reported up to `until`, so
        a stall that ended just before it is not missed."""
        with self._changed:
            self._changed.wait_for(lambda: all(t >= until for t in self._data.checked.values()),
                                   timeout=SETTLE_TIMEOUT_S)

    def lag_samples(self, since: float, until: float) -> list[tuple[float, float]]:
        """(tick start, lag) of every monitored loop overlapping [since, until], absolute times.

        A tick starts when the previous one ran, so the one that a run's first request stalls
        usually started before the run did."""
        with self._lock:
            return [(t, lag) for t, lag in self._data.samples if t <= until and t + HEARTBEAT_S + lag >= since]

    def stalls(self, since: float, until: float) -> list[RawStall]:
        """Stalls overlapping [since, until], in the order they began."""
        with self._lock:
            found = [s for s in self._data.stalls.values() if s.start <= until and s.start + s.duration_s >= since]
        return sorted(found, key=lambda s: s.start)

    def close(self) -> None:
        """Stop listening and drop every connection (each probe then ends its process)."""
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for conn in connections:
            _close(conn)
        _close(self._listener)
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> ServerMonitor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return  # closed
            with self._lock:
                if self._closed:
                    _close(conn)
                    return
                self._connections.append(conn)
            threading.Thread(target=self._read, args=(conn,), name="asyncdoc-probe-reader", daemon=True).start()

    def _read(self, conn: socket.socket) -> None:
        with conn.makefile("r", encoding="utf-8", errors="replace") as lines:
            try:
                hello = json.loads(lines.readline() or "{}")
                if hello.get("t") != "hello" or not secrets.compare_digest(str(hello.get("token")), self._token):
                    _close(conn)
                    return
                pid = int(hello["pid"])
            except (OSError, ValueError, KeyError, TypeError):
                return
            with self._lock:
                self._data.pids.append(pid)
            try:
                for line in lines:
                    self._take(json.loads(line))
            except (OSError, ValueError, KeyError, TypeError):
                pass  # the connection was closed on our side, or a probe sent garbage
            finally:
                with self._changed:
                    self._data.checked.pop(pid, None)  # nothing more will come from it
                    self._changed.notify_all()

    def _take(self, message: dict) -> None:  # type: ignore[type-arg]
        kind = message.get("t")
        with self._changed:
            self._changed.notify_all()
            if kind == "lag":
                self._data.samples.extend((float(t), float(lag)) for t, lag in message["samples"])
                self._data.checked[int(message["pid"])] = float(message["now"])
                self._data.loop_pids.add(int(message["pid"]))
            elif kind == "stall":
                pid = int(message["pid"])
                self._data.stalls[(pid, int(message["id"]))] = RawStall(
                    pid=pid,
                    start=float(message["start"]),
                    duration_s=float(message["duration"]),
                    ongoing=bool(message["ongoing"]),
                    stacks=[(int(s["samples"]), [(str(p), int(n), str(f), str(c)) for p, n, f, c in s["frames"]])
                            for s in message["stacks"]],
                )


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
