"""Event-loop lag: a heartbeat task measures how late the loop is; a watchdog says where.

The heartbeat sleeps `interval` and records how much later than that it woke up. While it is
late by more than `stall`, a watchdog thread samples the loop thread's current Python frame
(`sys._current_frames`) and names the innermost `async def` on the stack: that is the code
that called something blocking without awaiting. Garbage-collection pauses (any thread's
collection stops every thread) are timed too, so a stall can be told apart from GC.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import os
import sys
import threading
import time
from collections import Counter
from types import FrameType

from asyncdoc_tui.playground.records import BlockSite, LagReport
from asyncdoc_tui.playground.stats import percentile

HEARTBEAT_S = 0.01
STALL_S = 0.05
WATCH_EVERY_S = 0.01


class LoopMonitor:
    """Start inside the loop to watch; `stop()` returns the lag report and blocking sites."""

    def __init__(self, origin: float, interval: float = HEARTBEAT_S, stall: float = STALL_S) -> None:
        self._origin = origin
        self._interval = interval
        self._stall = stall
        self._samples: list[tuple[float, float]] = []
        self._sites: Counter[tuple[str, str, str]] = Counter()
        self._last_beat = time.perf_counter()
        self._stopping = False
        self._watch_stop = threading.Event()
        self._loop_thread = threading.get_ident()
        self._beat_task: asyncio.Task[None] | None = None
        self._gc_started = 0.0
        self._gc_s = 0.0
        self._watchdog = threading.Thread(target=self._watch, name="playground-watchdog", daemon=True)

    @property
    def interval_s(self) -> float:
        return self._interval

    def live_samples(self) -> list[tuple[float, float]]:
        """(time, lag) so far, from any thread; a stall still going on is included as it
        stands, so a live view shows the lag growing instead of waiting for the loop."""
        samples = list(self._samples)
        stalled = time.perf_counter() - self._last_beat - self._interval
        if not self._stopping and stalled > self._stall:
            samples.append((self._last_beat - self._origin, stalled))
        return samples

    @property
    def task(self) -> asyncio.Task[None] | None:
        """The heartbeat task, so callers can tell it apart from the run's own tasks."""
        return self._beat_task

    def start(self) -> None:
        self._loop_thread = threading.get_ident()
        self._last_beat = time.perf_counter()
        self._beat_task = asyncio.get_running_loop().create_task(self._beat())
        self._watchdog.start()
        gc.callbacks.append(self._on_gc)

    async def stop(self) -> tuple[LagReport, tuple[BlockSite, ...]]:
        """Let the heartbeat finish its current tick (so a stall still going on is counted)."""
        self._stopping = True
        if self._beat_task is not None:
            await self._beat_task
        gc.callbacks.remove(self._on_gc)
        self._watch_stop.set()
        self._watchdog.join()
        return self._report(), self._block_sites()

    async def _beat(self) -> None:
        while not self._stopping:
            before = time.perf_counter()
            self._last_beat = before
            await asyncio.sleep(self._interval)
            lag = max(0.0, time.perf_counter() - before - self._interval)
            self._samples.append((before - self._origin, lag))

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self._gc_s += time.perf_counter() - self._gc_started

    def _watch(self) -> None:
        while not self._watch_stop.wait(WATCH_EVERY_S):
            if time.perf_counter() - self._last_beat > self._interval + self._stall:
                frame = sys._current_frames().get(self._loop_thread)
                if frame is not None:
                    self._sites[describe_stack(frame)] += 1

    def _report(self) -> LagReport:
        lags = [lag for _, lag in self._samples]
        return LagReport(
            interval_s=self._interval,
            samples=tuple(self._samples),
            max_s=max(lags, default=0.0),
            p99_s=percentile(lags, 99) or 0.0,
            stalled_s=sum(lag for lag in lags if lag > self._stall),
            gc_s=self._gc_s,
        )

    def _block_sites(self) -> tuple[BlockSite, ...]:
        return tuple(
            BlockSite(where, call, leaf, n, round(n * WATCH_EVERY_S, 3))
            for (where, call, leaf), n in self._sites.most_common()
        )


def describe_stack(frame: FrameType) -> tuple[str, str, str]:
    """(innermost async def, the call it was making, innermost frame) as `file:line function`."""
    leaf = frame
    inner: FrameType | None = None  # the frame just inside the coroutine (the sync call)
    current: FrameType | None = frame
    while current is not None:
        if current.f_code.co_flags & inspect.CO_COROUTINE:
            return _where(current), _where(inner) if inner else "", _where(leaf)
        inner = current
        current = current.f_back
    return "", "", _where(leaf)


def _where(frame: FrameType) -> str:
    return f"{os.path.basename(frame.f_code.co_filename)}:{frame.f_lineno} {frame.f_code.co_name}"
