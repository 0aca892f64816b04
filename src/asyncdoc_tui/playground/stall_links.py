"""Join what the loop probe saw to the project: each stall pinned to a project line and to
the static finding there, and the lag of a window of time summed up.

A stall is pinned to the innermost frame of its most-sampled stack that is a scanned project
file (so not a library, not the project's own `.venv`); the finding is the blocking one
(AD1xx, AD201) on the innermost project frame that has one: the `time.sleep` line itself, or
for a blocking helper the call of that helper in the `async def` (where AD201 is reported).
A stall with no such finding is blocking seen at run time that the scan did not find.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from asyncdoc_tui.model import Finding
from asyncdoc_tui.playground.server_monitor import RawStall, ServerMonitor
from asyncdoc_tui.playground.server_report import ServerReport, Stall, StallFrame
from asyncdoc_tui.playground.stats import percentile
from asyncdoc_tui.scan.engine import scan

BLOCKING_CODES = ("AD1", "AD201")


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
            finding_path=None if found is None else found.path,
            finding_line=None if found is None else found.line,
            suppressed=found is not None and found.suppressed,
            pid=raw.pid,
        )


def server_report(monitor: ServerMonitor, links: StaticLinks, since: float, until: float) -> ServerReport:
    """The report for [since, until] (absolute `perf_counter` times), relative to `since`."""
    monitor.settle(until)
    samples = tuple((t - since, lag) for t, lag in monitor.lag_samples(since, until))
    lags = [lag for _, lag in samples]
    return ServerReport(
        loop_pids=tuple(monitor.loop_pids()),
        interval_s=monitor.heartbeat_s,
        samples=samples,
        max_lag_s=max(lags, default=0.0),
        lag_p99_s=percentile(lags, 99) or 0.0,
        stalls=tuple(links.pin(raw, since) for raw in monitor.stalls(since, until)),
    )
