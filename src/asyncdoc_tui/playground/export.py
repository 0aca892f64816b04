"""JSON for runs: `{"runs": [{"pattern", "wall_s", "speedup", "p50_s", ..., "requests": [...]}]}`.

The same shape is printed by `asyncdoc playground --headless --json` and written by the
screen's export; `run_from_json` reads it back (recorded runs drive the screen's snapshot).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from asyncdoc_tui.playground.records import BlockSite, LagReport, RequestRecord, RunConfig, RunResult
from asyncdoc_tui.playground.stats import run_stats


def run_to_json(result: RunResult) -> dict[str, Any]:
    stats = run_stats(result)
    return {
        "pattern": result.pattern,
        "wall_s": result.wall_s,
        "speedup": result.speedup,
        "p50_s": stats.p50_s,
        "p90_s": stats.p90_s,
        "p99_s": stats.p99_s,
        "p50_total_s": stats.p50_total_s,
        "p90_total_s": stats.p90_total_s,
        "p99_total_s": stats.p99_total_s,
        "errors": result.errors,
        "errors_by_kind": result.errors_by_kind,
        "ok": result.ok,
        "cancelled": result.cancelled,
        "left_running": result.left_running,
        "drained_s": result.drained_s,
        "max_lag_s": result.lag.max_s,
        "p99_lag_s": result.lag.p99_s,
        "stalled_s": result.lag.stalled_s,
        "blocked_at": [site.to_json() for site in result.blocked_at],
        "outcome": result.outcome,
        "notes": list(result.notes),
        "config": result.config.to_json(),
        "lag": result.lag.to_json(),
        "requests": [r.to_json() for r in result.requests],
    }


def runs_to_json(results: Iterable[RunResult]) -> dict[str, Any]:
    return {"runs": [run_to_json(r) for r in results]}


def run_from_json(data: dict[str, Any]) -> RunResult:
    config = dict(data["config"])
    config["urls"] = tuple(config["urls"])
    return RunResult(
        pattern=data["pattern"],
        config=RunConfig(**config),
        wall_s=data["wall_s"],
        outcome=data["outcome"],
        left_running=data["left_running"],
        drained_s=data["drained_s"],
        lag=LagReport.from_json(data["lag"]),
        blocked_at=tuple(BlockSite(**site) for site in data["blocked_at"]),
        requests=[RequestRecord.from_json(r) for r in data["requests"]],
        notes=tuple(data["notes"]),
        speedup=data["speedup"],
    )


def load_runs(path: Path) -> list[RunResult]:
    return [run_from_json(run) for run in json.loads(path.read_text(encoding="utf-8"))["runs"]]


def write_runs(results: Iterable[RunResult], path: Path) -> Path:
    path.write_text(json.dumps(runs_to_json(results), indent=1) + "\n", encoding="utf-8")
    return path
