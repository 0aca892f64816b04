"""Plain data for what a served app's loop did during a run: its lag and each stall, pinned
to a project line and joined to the static finding on it (`stall_links.py` builds it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

UNOBSERVED = "no running asyncio loop was seen in the server (not an asyncio server, not Python, or started with -I / -E)"


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
    finding_path: str | None  # where the finding is: this frame's line, or an outer project frame's
    finding_line: int | None
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
            "finding_path": self.finding_path,
            "finding_line": self.finding_line,
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

    loop_pids: tuple[int, ...]  # processes whose running loop was watched; empty: unobserved
    interval_s: float
    samples: tuple[tuple[float, float], ...]
    max_lag_s: float
    lag_p99_s: float
    stalls: tuple[Stall, ...]

    @property
    def observed(self) -> bool:
        return bool(self.loop_pids)

    def to_json(self) -> dict[str, Any]:
        return {
            "max_lag_s": round(self.max_lag_s, 4),
            "lag_p99_s": round(self.lag_p99_s, 4),
            "stalls": [stall.to_json() for stall in self.stalls],
            "loop_pids": list(self.loop_pids),
            "lag": {"interval_s": self.interval_s, "samples": [[round(t, 4), round(v, 4)] for t, v in self.samples]},
        }
