"""Patterns against the real demo server: outcomes, orphans, cancellation, lag, error kinds."""

from __future__ import annotations

import inspect
import time

import pytest

from asyncdoc_tui.playground import patterns
from asyncdoc_tui.playground.patterns import PATTERNS
from asyncdoc_tui.playground.records import MAX_REQUESTS, RunConfig, RunResult
from asyncdoc_tui.playground.runner import OUTCOME_CANCELLED, OUTCOME_OK, RunHandle


def run(config: RunConfig, *names: str) -> dict[str, RunResult]:
    return {r.pattern: r for r in RunHandle(config, names).start().wait(timeout=60)}


def test_every_pattern_completes(demo_url: str) -> None:
    results = run(RunConfig(urls=(f"{demo_url}/delay/0.05",), requests=10), *PATTERNS)
    assert list(results) == list(PATTERNS)
    for r in results.values():
        assert r.outcome == OUTCOME_OK, r.pattern
        assert (r.ok, r.errors, r.cancelled, r.left_running) == (10, 0, 0, 0), r.pattern
        assert all(q.status == 200 and q.nbytes > 0 and q.done is not None for q in r.requests)
        assert all(q.created <= q.started <= q.sent <= q.first_byte <= q.done for q in r.requests)  # type: ignore[operator]
    assert results["sequential"].speedup == pytest.approx(1.0)
    assert results["gather"].speedup is not None and results["gather"].speedup > 3


def test_one_failure_among_twenty(demo_url: str) -> None:
    urls = (f"{demo_url}/delay/0.3",) * 19 + (f"{demo_url}/status/500",)
    config = RunConfig(urls=urls, requests=20)
    results = run(config, "gather", "gather-return-exceptions", "taskgroup")

    gather = results["gather"]
    assert gather.outcome.startswith("raised HTTPStatusError")
    assert gather.left_running == 19
    assert gather.ok == 19  # the orphans still finished, after gather had returned
    assert max(q.done for q in gather.requests if q.done) > gather.wall_s  # type: ignore[type-var]

    returned = results["gather-return-exceptions"]
    assert returned.outcome == OUTCOME_OK
    assert (returned.ok, returned.errors, returned.left_running) == (19, 1, 0)
    assert returned.errors_by_kind == {"http 500": 1}

    group = results["taskgroup"]
    assert group.outcome.startswith("raised ExceptionGroup")
    assert (group.ok, group.errors, group.cancelled, group.left_running) == (0, 1, 19, 0)


def test_a_stall_shows_in_the_live_lag_while_it_lasts(demo_url: str) -> None:
    """The blocking pattern stops the heartbeat; a live view still sees the lag grow."""
    handle = RunHandle(RunConfig(urls=(f"{demo_url}/delay/0.5",), requests=1), ["blocking"]).start()
    seen: list[tuple[float, float]] = []  # (run time when polled, largest lag seen then)
    while handle.running:
        run_now, monitor = handle.live, handle.live_lag
        if run_now is not None and monitor is not None:
            seen.append((run_now.now(), max((lag for _, lag in monitor.live_samples()), default=0.0)))
        time.sleep(0.02)
    (result,) = handle.wait()
    done = result.requests[0].done
    assert done is not None
    during = [lag for when, lag in seen if when < done]
    assert max(during) > 0.2  # the 0.5 s stall, seen while the loop was still stuck in it
    assert max(lag for _, lag in seen) <= result.lag.max_s + 0.05


def test_blocking_lag_and_watchdog(demo_url: str) -> None:
    results = run(RunConfig(urls=(f"{demo_url}/delay/0.1",), requests=8), "sequential", "blocking")
    sequential, blocking = results["sequential"], results["blocking"]
    assert sequential.lag.max_s < 0.1
    assert blocking.lag.stalled_s >= 0.8 * blocking.wall_s
    assert blocking.lag.max_s >= 0.8 * blocking.wall_s
    where = blocking.blocked_at[0]
    line = inspect.getsourcelines(patterns.blocking)[1] + inspect.getsource(patterns.blocking).splitlines().index(
        "        results.append(run.fetch_sync(url))"
    )
    assert where.where == f"patterns.py:{line} blocking"
    assert where.call.endswith(" fetch_sync")
    assert not sequential.blocked_at


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://asyncdoc-does-not-exist.invalid/", "dns"),
        ("closed", "refused"),
        ("tls", "tls"),
        ("slow", "timeout"),
    ],
)
def test_error_kinds(url: str, kind: str, demo_url: str, closed_port_url: str) -> None:
    url = {
        "closed": closed_port_url,
        "tls": demo_url.replace("http://", "https://") + "/json",
        "slow": f"{demo_url}/delay/5",
    }.get(url, url)
    for r in run(RunConfig(urls=(url,), requests=2, timeout_s=0.5), "gather-return-exceptions", "to-thread").values():
        assert r.errors_by_kind == {kind: 2}, (r.pattern, [q.error for q in r.requests])
        assert all(q.error for q in r.requests)


def test_overall_deadline_cancels(demo_url: str) -> None:
    config = RunConfig(urls=(f"{demo_url}/delay/0.5",), requests=4, deadline_s=0.3)
    r = run(config, "gather")["gather"]
    assert r.outcome.startswith("deadline")
    assert r.cancelled == 4 and r.wall_s < 1.0


@pytest.mark.parametrize("name", ["sequential", "blocking"])
def test_cancel_stops_the_run(name: str, demo_url: str) -> None:
    handle = RunHandle(RunConfig(urls=(f"{demo_url}/delay/0.2",), requests=50), [name, "gather"]).start()
    time.sleep(0.5)
    started = time.perf_counter()
    handle.cancel()
    results = handle.wait(timeout=10)
    assert time.perf_counter() - started < 1.0
    assert [r.pattern for r in results] == [name]
    assert results[0].outcome == OUTCOME_CANCELLED
    assert results[0].ok < 50


def test_bad_config_is_refused() -> None:
    with pytest.raises(ValueError, match="requests must be"):
        RunHandle(RunConfig(urls=("http://127.0.0.1/",), requests=MAX_REQUESTS + 1), ["gather"])
    with pytest.raises(ValueError, match="not an http"):
        RunHandle(RunConfig(urls=("ftp://example.com/",)), ["gather"])
    with pytest.raises(ValueError, match="unknown pattern"):
        RunHandle(RunConfig(urls=("http://127.0.0.1/",)), ["nope"])
