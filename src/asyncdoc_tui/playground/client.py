"""`Run`: what a pattern gets — the URLs, the limit and two instrumented fetchers.

`fetch` uses the run's one `httpx.AsyncClient` (on `PoolTransport`); `fetch_sync` uses a
sync `httpx.Client` (for the thread and blocking patterns). Both record a `RequestRecord`:
the `trace` request extension marks when the request left the pool queue (first
connect/send event), when it was sent and when the response headers arrived; the body is
read up to the run's cap.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx

from asyncdoc_tui.playground.errors import DeadlineExceeded, classify
from asyncdoc_tui.playground.records import (
    POOL_MAX_CONNECTIONS,
    POOL_MAX_KEEPALIVE,
    STATE_CANCELLED,
    STATE_ERROR,
    STATE_OK,
    STATE_PENDING,
    RequestRecord,
    RunConfig,
)

_SENT = ("http11.send_request_body.complete", "http2.send_request_body.complete")
_FIRST_BYTE = ("http11.receive_response_headers.complete", "http2.receive_response_headers.complete")


class RunCancelled(Exception):
    """The user cancelled the run; raised by `fetch_sync`, which cannot be interrupted."""


def client_limits() -> httpx.Limits:
    """Few idle keep-alive connections: 200 idle ones made a batch 20x slower (DESIGN §6)."""
    return httpx.Limits(max_connections=POOL_MAX_CONNECTIONS, max_keepalive_connections=POOL_MAX_KEEPALIVE)


class Run:
    """Handed to a pattern; every request it makes is recorded in `records`."""

    def __init__(
        self,
        config: RunConfig,
        client: httpx.AsyncClient,
        sync_client: httpx.Client,
        origin: float,
        cancel: threading.Event,
    ) -> None:
        self.urls = [config.url_for(i) for i in range(config.requests)]
        # Parsed once per distinct URL: httpx re-parses a string on every request (~4% of a
        # 200-request gather), and the patterns repeat a handful of URLs.
        self._parsed = {url: httpx.URL(url) for url in config.urls}
        self.limit = config.concurrency
        self.records: list[RequestRecord] = []
        self._config = config
        self._client = client
        self._sync_client = sync_client
        self._origin = origin
        self._deadline_at = origin + config.deadline_s
        self._cancel = cancel
        self._lock = threading.Lock()

    @property
    def origin(self) -> float:
        """The run's time zero (`perf_counter`), to line other clocks' samples up with it."""
        return self._origin

    def now(self) -> float:
        return time.perf_counter() - self._origin

    def in_flight(self) -> int:
        return sum(r.state == STATE_PENDING for r in self.records)

    async def fetch(self, url: str) -> int:
        """GET `url` with the shared async client; returns the status, raises on 4xx/5xx."""
        record = self._new_record(url)

        async def trace(event: str, info: dict[str, Any]) -> None:
            self._on_trace(record, event)

        try:
            async with self._client.stream("GET", self._parsed.get(url, url), extensions={"trace": trace}) as response:
                await self._read_async(record, response)
        except asyncio.CancelledError:
            self._finish(record, STATE_CANCELLED)
            raise
        except Exception as exc:
            self._fail(record, exc)
            raise
        self._finish(record, STATE_OK)
        return record.status or 0

    def fetch_sync(self, url: str) -> int:
        """GET `url` with the sync client (blocks the calling thread); same record as `fetch`."""
        record = self._new_record(url)
        record.thread = threading.current_thread().name

        def trace(event: str, info: dict[str, Any]) -> None:
            self._on_trace(record, event)

        try:
            if self._cancel.is_set():
                raise RunCancelled("run cancelled")
            if time.perf_counter() > self._deadline_at:
                raise DeadlineExceeded(f"overall deadline of {self._config.deadline_s:g} s passed")
            with self._sync_client.stream("GET", self._parsed.get(url, url), extensions={"trace": trace}) as response:
                self._read_sync(record, response)
        except RunCancelled:
            self._finish(record, STATE_CANCELLED)
            raise
        except Exception as exc:
            self._fail(record, exc)
            raise
        self._finish(record, STATE_OK)
        return record.status or 0

    async def _read_async(self, record: RequestRecord, response: httpx.Response) -> None:
        record.status = response.status_code
        async for chunk in response.aiter_raw():
            record.nbytes += len(chunk)
            if record.nbytes >= self._config.body_cap:
                break
        if response.is_error:
            response.raise_for_status()

    def _read_sync(self, record: RequestRecord, response: httpx.Response) -> None:
        record.status = response.status_code
        for chunk in response.iter_raw():
            record.nbytes += len(chunk)
            if record.nbytes >= self._config.body_cap:
                break
        if response.is_error:
            response.raise_for_status()

    def _new_record(self, url: str) -> RequestRecord:
        with self._lock:
            record = RequestRecord(index=len(self.records), url=url, created=self.now())
            self.records.append(record)
        return record

    def _on_trace(self, record: RequestRecord, event: str) -> None:
        now = self.now()
        if record.started is None:
            record.started = now
        if event in _SENT:
            record.sent = now
        elif event in _FIRST_BYTE:
            record.first_byte = now

    def _finish(self, record: RequestRecord, state: str) -> None:
        record.done = self.now()
        record.state = state

    def _fail(self, record: RequestRecord, exc: BaseException) -> None:
        record.error_kind, record.error = classify(exc)
        self._finish(record, STATE_ERROR)
