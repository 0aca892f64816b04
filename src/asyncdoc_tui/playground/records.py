"""Plain data for playground runs: the configuration, one record per request, one result per run.

Times are seconds since the run started (a `perf_counter` origin taken by the runner), so a
run can be drawn, exported and replayed without a live clock.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from asyncdoc_tui.playground.server_report import ServerReport

MAX_REQUESTS = 10_000
MAX_CONCURRENCY = 1_000
MAX_WORKERS = 256
BODY_CAP_BYTES = 1_048_576
POOL_MAX_CONNECTIONS = 500
POOL_MAX_KEEPALIVE = 20
DEFAULT_WORKERS = min(32, (os.cpu_count() or 1) + 4)  # asyncio's own default executor size

STATE_PENDING, STATE_OK, STATE_ERROR, STATE_CANCELLED = "running", "ok", "error", "cancelled"


@dataclass(frozen=True, slots=True)
class RunConfig:
    """What the user asked for; `validate` turns bad input into one readable message."""

    urls: tuple[str, ...]
    requests: int = 20
    concurrency: int = 5
    workers: int = DEFAULT_WORKERS
    timeout_s: float = 10.0
    deadline_s: float = 120.0
    body_cap: int = BODY_CAP_BYTES

    def validate(self) -> None:
        if not self.urls:
            raise ValueError("give at least one URL")
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"not an http(s) URL: {url!r}")
        checks = (
            (1 <= self.requests <= MAX_REQUESTS, f"requests must be 1..{MAX_REQUESTS}"),
            (1 <= self.concurrency <= MAX_CONCURRENCY, f"concurrency must be 1..{MAX_CONCURRENCY}"),
            (1 <= self.workers <= MAX_WORKERS, f"worker threads must be 1..{MAX_WORKERS}"),
            (0 < self.timeout_s <= 600, "timeout must be more than 0 and at most 600 s"),
            (0 < self.deadline_s <= 3600, "deadline must be more than 0 and at most 3600 s"),
        )
        for ok, message in checks:
            if not ok:
                raise ValueError(message)

    def url_for(self, index: int) -> str:
        """Requests cycle through the URL list, so 20 requests over 2 URLs alternate."""
        return self.urls[index % len(self.urls)]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["urls"] = list(self.urls)
        return data


@dataclass(slots=True)
class RequestRecord:
    """One request's life: created → queued (pool wait) → started → sent → first byte → done."""

    index: int
    url: str
    created: float
    started: float | None = None
    sent: float | None = None
    first_byte: float | None = None
    done: float | None = None
    status: int | None = None
    nbytes: int = 0
    state: str = STATE_PENDING
    error_kind: str = ""
    error: str = ""
    thread: str = ""

    @property
    def service_s(self) -> float | None:
        if self.done is None:
            return None
        return self.done - (self.started if self.started is not None else self.created)

    @property
    def total_s(self) -> float | None:
        return None if self.done is None else self.done - self.created

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "url": self.url,
            "created": self.created,
            "started": self.started,
            "sent": self.sent,
            "first_byte": self.first_byte,
            "done": self.done,
            "status": self.status,
            "bytes": self.nbytes,
            "state": self.state,
            "error_kind": self.error_kind,
            "error": self.error,
            "thread": self.thread,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RequestRecord:
        values = dict(data)
        values["nbytes"] = values.pop("bytes")
        return cls(**values)


@dataclass(frozen=True, slots=True)
class BlockSite:
    """Where the watchdog found the loop thread while the heartbeat was late."""

    where: str  # innermost `async def` frame: the code that blocked the loop
    call: str  # the sync call it was making
    leaf: str  # innermost frame overall (usually a socket or sleep)
    samples: int
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class LagReport:
    """Event-loop lag seen by the heartbeat task: how late each tick woke up."""

    interval_s: float
    samples: tuple[tuple[float, float], ...]  # (tick start, lag) pairs
    max_s: float
    p99_s: float
    stalled_s: float
    gc_s: float  # time spent in garbage collection during the run (it stops every thread)

    def to_json(self) -> dict[str, Any]:
        return {
            "interval_s": self.interval_s,
            "max_s": self.max_s,
            "p99_s": self.p99_s,
            "stalled_s": self.stalled_s,
            "gc_s": self.gc_s,
            "samples": [list(s) for s in self.samples],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LagReport:
        return cls(
            interval_s=data["interval_s"],
            samples=tuple((float(t), float(v)) for t, v in data["samples"]),
            max_s=data["max_s"],
            p99_s=data["p99_s"],
            stalled_s=data["stalled_s"],
            gc_s=data["gc_s"],
        )


@dataclass(slots=True)
class RunResult:
    """One pattern run; `speedup` is filled in once a sequential run of the same config exists."""

    pattern: str
    config: RunConfig
    wall_s: float
    outcome: str  # "ok", or what the pattern raised / why it stopped
    left_running: int
    drained_s: float
    lag: LagReport
    blocked_at: tuple[BlockSite, ...]
    requests: list[RequestRecord]
    notes: tuple[str, ...] = ()
    speedup: float | None = field(default=None)
    server: ServerReport | None = None  # the served app's loop during this run (`--serve`)

    @property
    def ok(self) -> int:
        return sum(r.state == STATE_OK for r in self.requests)

    @property
    def errors(self) -> int:
        return sum(r.state == STATE_ERROR for r in self.requests)

    @property
    def cancelled(self) -> int:
        return sum(r.state == STATE_CANCELLED for r in self.requests)

    @property
    def errors_by_kind(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.requests:
            if r.state == STATE_ERROR:
                counts[r.error_kind] = counts.get(r.error_kind, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
