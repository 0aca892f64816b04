"""The patterns the playground runs. Each is real code: the snippet on screen is its source.

Every pattern gets a `Run` (see `client.py`): `run.urls`, `run.limit`, and `run.fetch` (async,
shared `httpx.AsyncClient`) / `run.fetch_sync` (sync `httpx.Client`). The thread patterns use
the loop's default executor, which the runner sets to the playground's own thread pool.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: the CLI reads the pattern names without importing httpx
    from asyncdoc_tui.playground.client import Run


async def sequential(run: Run) -> list[Any]:
    results = []
    for url in run.urls:
        results.append(await run.fetch(url))
    return results


async def gather(run: Run) -> list[Any]:
    # The first exception propagates at once; the other requests keep running, unowned.
    return await asyncio.gather(*(run.fetch(url) for url in run.urls))


async def gather_return_exceptions(run: Run) -> list[Any]:
    # Failures come back as values, in order; every request runs to completion.
    return await asyncio.gather(*(run.fetch(url) for url in run.urls), return_exceptions=True)


async def taskgroup(run: Run) -> list[Any]:
    # The first failure cancels the other tasks; errors arrive as an ExceptionGroup.
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(run.fetch(url)) for url in run.urls]
    return [task.result() for task in tasks]


async def semaphore(run: Run) -> list[Any]:
    sem = asyncio.Semaphore(run.limit)

    async def bounded(url: str) -> Any:
        async with sem:
            return await run.fetch(url)

    return await asyncio.gather(*(bounded(url) for url in run.urls))


async def to_thread(run: Run) -> list[Any]:
    # A sync client in worker threads: concurrency is capped by the pool size.
    return await asyncio.gather(*(asyncio.to_thread(run.fetch_sync, url) for url in run.urls))


async def executor(run: Run) -> list[Any]:
    loop = asyncio.get_running_loop()
    return await asyncio.gather(
        *(loop.run_in_executor(None, functools.partial(run.fetch_sync, url)) for url in run.urls)
    )


async def blocking(run: Run) -> list[Any]:
    # Anti-pattern: a sync client inside async def stalls the whole event loop.
    results = []
    for url in run.urls:
        results.append(run.fetch_sync(url))
    return results


@dataclass(frozen=True, slots=True)
class Pattern:
    """A named pattern, what it teaches, and whether its size knob is the limit or the pool."""

    name: str
    func: Callable[[Run], Awaitable[Any]]
    summary: str
    uses_threads: bool = False
    uses_limit: bool = False

    @property
    def snippet(self) -> str:
        """The exact source that runs."""
        return inspect.getsource(self.func)


PATTERNS: dict[str, Pattern] = {
    p.name: p
    for p in (
        Pattern("sequential", sequential, "one await after another: the baseline"),
        Pattern("gather", gather, "all at once; one failure returns early, others left running"),
        Pattern(
            "gather-return-exceptions",
            gather_return_exceptions,
            "all at once; failures are returned as values",
        ),
        Pattern("taskgroup", taskgroup, "all at once; one failure cancels the rest"),
        Pattern("semaphore", semaphore, "at most N in flight (the concurrency limit)", uses_limit=True),
        Pattern("to-thread", to_thread, "sync client in worker threads (pool size)", uses_threads=True),
        Pattern(
            "executor",
            executor,
            "loop.run_in_executor(None, functools.partial(...)) with a sync client",
            uses_threads=True,
        ),
        Pattern("blocking", blocking, "sync client inside async def: the loop stalls"),
    )
}
