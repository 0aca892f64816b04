"""Summaries of a run: percentiles of service and queued+service time, and speed-ups."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from asyncdoc_tui.playground.records import RunResult


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


@dataclass(frozen=True, slots=True)
class RunStats:
    """Percentiles over finished requests (ok or error); cancelled ones never got served."""

    p50_s: float | None
    p90_s: float | None
    p99_s: float | None
    p50_total_s: float | None
    p90_total_s: float | None
    p99_total_s: float | None


def run_stats(result: RunResult) -> RunStats:
    service = [r.service_s for r in result.requests if r.state in ("ok", "error")]
    total = [r.total_s for r in result.requests if r.state in ("ok", "error")]
    s = [v for v in service if v is not None]
    t = [v for v in total if v is not None]
    return RunStats(
        percentile(s, 50), percentile(s, 90), percentile(s, 99),
        percentile(t, 50), percentile(t, 90), percentile(t, 99),
    )


def fill_speedups(results: Iterable[RunResult]) -> None:
    """Speed-up = wall of the latest sequential run with the same config / this wall."""
    results = list(results)
    baseline: dict[object, float] = {}
    for r in results:
        if r.pattern == "sequential" and r.outcome == "ok":
            baseline[_config_key(r)] = r.wall_s
    for r in results:
        base = baseline.get(_config_key(r))
        r.speedup = base / r.wall_s if base is not None and r.wall_s > 0 else None


def _config_key(result: RunResult) -> tuple[object, ...]:
    c = result.config
    return (c.urls, c.requests, c.timeout_s)
