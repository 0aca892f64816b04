"""Run patterns in a dedicated thread with its own event loop, measuring each run.

Runs never share the caller's loop: the blocking pattern must stall only the loop it runs
on (not the TUI), and the lag meter must see only the run. Each run gets one
`httpx.AsyncClient` (on `PoolTransport`) and one sync `httpx.Client` with explicit limits
and timeouts, the playground's own thread pool as the loop's default executor, and
`asyncio.timeout` as the overall deadline. Requests a pattern leaves running after it
returns are counted, then given time to finish (so the client is not closed under them)
and cancelled if they don't.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from asyncdoc_tui.playground.client import Run, RunCancelled, client_limits
from asyncdoc_tui.playground.errors import classify
from asyncdoc_tui.playground.lag import LoopMonitor
from asyncdoc_tui.playground.patterns import PATTERNS, Pattern
from asyncdoc_tui.playground.records import RunConfig, RunResult
from asyncdoc_tui.playground.server_report import ServerReport
from asyncdoc_tui.playground.stats import fill_speedups
from asyncdoc_tui.playground.transport import PoolTransport

OUTCOME_OK = "ok"
OUTCOME_CANCELLED = "cancelled by user"
DRAIN_POLL_S = 0.01


def describe_raised(exc: BaseException) -> str:
    """One line for what a pattern raised: the group's members by kind, or the root cause."""
    if isinstance(exc, BaseExceptionGroup):
        kinds: dict[str, int] = {}
        for member in exc.exceptions:
            kind = classify(member)[0]
            kinds[kind] = kinds.get(kind, 0) + 1
        parts = ", ".join(f"{n}× {kind}" for kind, n in kinds.items())
        return f"raised {type(exc).__name__} ({parts})"
    kind, message = classify(exc)
    return f"raised {type(exc).__name__} ({kind}): {message}"


async def execute(
    config: RunConfig,
    pattern: Pattern,
    cancel: threading.Event,
    on_start: Callable[[Run, asyncio.Task[Any], LoopMonitor], None] | None = None,
    tls: ssl.SSLContext | None = None,
) -> RunResult:
    """Run one pattern once on the current loop and measure it.

    `tls` lets a batch share one SSL context: loading the CA bundle costs ~0.1 s per client.
    """
    loop = asyncio.get_running_loop()
    notes: list[str] = []
    loop.set_exception_handler(lambda _loop, context: notes.append(str(context.get("message", ""))))
    pool = ThreadPoolExecutor(config.workers, thread_name_prefix="playground-worker")
    loop.set_default_executor(pool)
    timeout = httpx.Timeout(config.timeout_s)
    verify = tls if tls is not None else httpx.create_ssl_context()
    try:
        transport = PoolTransport(client_limits(), verify)
        async with httpx.AsyncClient(transport=transport, timeout=timeout) as client:
            with httpx.Client(limits=client_limits(), timeout=timeout, verify=verify) as sync_client:
                origin = time.perf_counter()
                run = Run(config, client, sync_client, origin, cancel)
                monitor = LoopMonitor(origin)
                monitor.start()
                task = loop.create_task(pattern.func(run), name=f"pattern-{pattern.name}")
                if on_start is not None:
                    on_start(run, task, monitor)
                outcome = await _outcome(task, config, cancel)
                wall = run.now()
                left_running = max(run.in_flight(), len(_orphans(monitor)))
                lag, sites = await monitor.stop()
                await _drain(run, config.timeout_s + 1.0)
                drained = run.now()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return RunResult(
        pattern=pattern.name,
        config=config,
        wall_s=wall,
        outcome=outcome,
        left_running=left_running,
        drained_s=drained,
        lag=lag,
        blocked_at=sites,
        requests=sorted(run.records, key=lambda r: r.index),
        notes=tuple(n for n in notes if n),
    )


async def _outcome(task: asyncio.Task[Any], config: RunConfig, cancel: threading.Event) -> str:
    try:
        async with asyncio.timeout(config.deadline_s):
            await task
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise  # we are being cancelled, not just the pattern
        return OUTCOME_CANCELLED
    except RunCancelled:
        return OUTCOME_CANCELLED
    except TimeoutError as exc:
        if task.cancelled():
            return f"deadline: stopped after {config.deadline_s:g} s"
        return describe_raised(exc)
    except Exception as exc:
        return describe_raised(exc)
    return OUTCOME_OK


def _orphans(monitor: LoopMonitor) -> list[asyncio.Task[Any]]:
    """Tasks the pattern left behind: still running or waiting after it returned."""
    skip = {asyncio.current_task(), monitor.task}
    return [t for t in asyncio.all_tasks() if t not in skip and not t.done()]


async def _drain(run: Run, limit_s: float) -> None:
    """Let orphaned requests finish (bounded), then cancel what is still running."""
    give_up = time.perf_counter() + limit_s
    while run.in_flight() and time.perf_counter() < give_up:
        await asyncio.sleep(DRAIN_POLL_S)
    current = asyncio.current_task()
    leftovers = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    for t in leftovers:
        t.cancel()
    await asyncio.gather(*leftovers, return_exceptions=True)


class RunHandle:
    """A batch of pattern runs on a dedicated thread; poll `live` (requests) and `live_lag`
    (the loop's lag so far) for the run in progress. With `server_report` (a served app's
    report for a window of `perf_counter` time), each result gets its run's `server`."""

    def __init__(
        self,
        config: RunConfig,
        patterns: Sequence[str],
        on_result: Callable[[RunResult], None] | None = None,
        on_done: Callable[[RunHandle], None] | None = None,
        server_report: Callable[[float, float], ServerReport] | None = None,
    ) -> None:
        config.validate()
        unknown = [p for p in patterns if p not in PATTERNS]
        if unknown:
            raise ValueError(f"unknown pattern(s): {', '.join(unknown)}; known: {', '.join(PATTERNS)}")
        self.config = config
        self.patterns = list(patterns)
        self.results: list[RunResult] = []
        self.live: Run | None = None
        self.live_lag: LoopMonitor | None = None
        self.live_pattern: str | None = None
        self.error: BaseException | None = None
        self._on_result = on_result
        self._on_done = on_done
        self._server_report = server_report
        self._cancel = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[Any] | None = None
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._main, name="playground-runner", daemon=True)

    def start(self) -> RunHandle:
        self._thread.start()
        return self

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Stop the current pattern (sync fetches stop at their next request) and skip the rest."""
        self._cancel.set()
        with self._lock:
            if self._loop is not None and self._task is not None and not self._loop.is_closed():
                self._loop.call_soon_threadsafe(self._task.cancel)

    def wait(self, timeout: float | None = None) -> list[RunResult]:
        self._thread.join(timeout)
        if self.error is not None:
            raise self.error
        return self.results

    def _main(self) -> None:
        try:
            asyncio.run(self._session())
        except BaseException as exc:  # reported to the caller through `error`
            self.error = exc
        finally:
            if self._on_done is not None:
                self._on_done(self)

    async def _session(self) -> None:
        tls = httpx.create_ssl_context()
        for name in self.patterns:
            if self._cancel.is_set():
                break
            result = await execute(self.config, PATTERNS[name], self._cancel, self._started, tls)
            with self._lock:
                self._task = None
            if self._server_report is not None and self.live is not None:
                origin = self.live.origin  # between runs: waiting for the probe here holds up nothing
                result.server = self._server_report(origin, origin + result.drained_s)
            self.results.append(result)
            fill_speedups(self.results)
            if self._on_result is not None:
                self._on_result(result)

    def _started(self, run: Run, task: asyncio.Task[Any], monitor: LoopMonitor) -> None:
        with self._lock:
            self._loop = asyncio.get_running_loop()
            self._task = task
            self.live = run
            self.live_lag = monitor
            self.live_pattern = task.get_name().removeprefix("pattern-")
        if self._cancel.is_set():
            task.cancel()
