"""What the server's loop did during a run: its lag and each stall, pinned to a project line
and joined to the static finding on it.

A stall is pinned to the innermost frame of its most-sampled stack that is a scanned project
file (so not a library, not the project's own `.venv`); the finding is the blocking one
(AD1xx, AD201) on the innermost project frame that has one: the `time.sleep` line itself, or
for a blocking helper the call of that helper in the `async def` (where AD201 is reported).
A stall with no such finding is blocking seen at run time that the scan did not find.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asyncdoc_tui.model import Finding
from asyncdoc_tui.playground.server_monitor import RawStall, ServerMonitor
from asyncdoc_tui.playground.stats import percentile
from asyncdoc_tui.scan.engine import scan

BLOCKING_CODES = ("AD1", "AD201")


@dataclass(frozen=True, slots=True)
class StallFrame:
    """One frame of a stalled loop's stack; `path` is project-relative when in the project."""

    path: str
    line: int
    function: str
    code: str
    in_project: bool

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "function": self.function, "code": self.code,
                "in_project": self.in_project}

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.function}" + (f": {self.code}" if self.code else "")


@dataclass(frozen=True, slots=True)
class Stall:
    """One stall of the server's loop, at the innermost project frame (or innermost frame)."""

    start_s: float  # since the start of the run (or batch) it is reported for
    duration_s: float
    ongoing: bool  # still going on at its last report (the loop never came back)
    where: StallFrame
    stack: tuple[StallFrame, ...]  # innermost first
    finding: str | None
    suppressed: bool  # the finding is there but suppressed in the project
    pid: int

    def to_json(self) -> dict[str, Any]:
        return {
            "duration_s": round(self.duration_s, 4),
            "start_s": round(self.start_s, 4),
            "ongoing": self.ongoing,
            "path": self.where.path,
            "line": self.where.line,
            "function": self.where.function,
            "code": self.where.code,
            "stack": [frame.to_json() for frame in self.stack],
            "finding": self.finding,
            "suppressed": self.suppressed,
            "pid": self.pid,
        }

    @property
    def verdict(self) -> str:
        if self.finding is None:
            return "blocking seen at run time, not found statically"
        return f"confirms {self.finding}" + (" (suppressed in the project)" if self.suppressed else "")


@dataclass(frozen=True, slots=True)
class ServerReport:
    """The server side of a run: lag samples (relative times), their max and p99, the stalls."""

    pids: tuple[int, ...]  # processes whose probe connected; empty: the server ran unobserved
    interval_s: float
    samples: tuple[tuple[float, float], ...]
    max_lag_s: float
    lag_p99_s: float
    stalls: tuple[Stall, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "max_lag_s": round(self.max_lag_s, 4),
            "lag_p99_s": round(self.lag_p99_s, 4),
            "stalls": [stall.to_json() for stall in self.stalls],
            "pids": list(self.pids),
            "lag": {"interval_s": self.interval_s, "samples": [[round(t, 4), round(v, 4)] for t, v in self.samples]},
        }


class StaticLinks:
    """The scanned project: which files are the project's and the blocking findings by line."""

    def __init__(self, root: Path, files: Iterable[str], findings: Iterable[Finding]) -> None:
        self.root = root.resolve()
        self._files = set(files)
        self._by_path: dict[str, list[Finding]] = {}
        for finding in findings:
            if finding.code.startswith(BLOCKING_CODES):
                self._by_path.setdefault(finding.path, []).append(finding)

    @classmethod
    def of_project(cls, root: Path) -> StaticLinks:
        """Scan the project (the scanner reads it; it never imports it)."""
        project, result = scan([root])
        return cls(project.root, (f.path for f in project.files), [*result.findings, *result.suppressed])

    def relative(self, filename: str) -> str | None:
        """The project-relative path of a frame's file, None when it is not a scanned file."""
        path = Path(filename)
        if not path.is_absolute():
            path = self.root / path  # the server runs in the project root
        try:
            rel = path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None
        return rel if rel in self._files else None

    def finding_at(self, path: str, line: int) -> Finding | None:
        for finding in self._by_path.get(path, ()):
            if finding.line <= line <= max(finding.line, finding.end_line):
                return finding
        return None

    def pin(self, raw: RawStall, origin: float) -> Stall:
        _, frames = max(raw.stacks, key=lambda item: item[0], default=(0, []))
        stack = []
        for filename, line, function, code in frames:
            rel = self.relative(filename)
            stack.append(StallFrame(rel or filename, line, function, code, rel is not None))
        project = [frame for frame in stack if frame.in_project]
        where = project[0] if project else (stack[0] if stack else StallFrame("?", 0, "?", "", False))
        found = next((f for f in (self.finding_at(fr.path, fr.line) for fr in project) if f is not None), None)
        return Stall(
            start_s=raw.start - origin,
            duration_s=raw.duration_s,
            ongoing=raw.ongoing,
            where=where,
            stack=tuple(stack),
            finding=None if found is None else found.code,
            suppressed=found is not None and found.suppressed,
            pid=raw.pid,
        )


def server_report(monitor: ServerMonitor, links: StaticLinks, since: float, until: float) -> ServerReport:
    """The report for [since, until] (absolute `perf_counter` times), relative to `since`."""
    monitor.settle(until)
    samples = tuple((t - since, lag) for t, lag in monitor.lag_samples(since, until))
    lags = [lag for _, lag in samples]
    return ServerReport(
        pids=tuple(monitor.pids()),
        interval_s=monitor.heartbeat_s,
        samples=samples,
        max_lag_s=max(lags, default=0.0),
        lag_p99_s=percentile(lags, 99) or 0.0,
        stalls=tuple(links.pin(raw, since) for raw in monitor.stalls(since, until)),
    )
