"""`PoolTransport`: the async client's HTTP/1.1 transport, with O(1) pool operations.

httpcore's pool re-scans every queued request against every connection on each event
(`_assign_requests_to_connections`), so a 200-request gather spent more time in pool
bookkeeping than on the wire: 0.5–0.8 s for 200 × `/delay/0.1`. This transport keeps a
FIFO of waiters and a stack of idle connections per origin, speaks HTTP/1.1 through `h11`
(already an httpx dependency) over asyncio streams, and keeps httpx's contract: the same
`httpx` exception types with the OS error as their cause, `Limits`, per-phase timeouts, and
the `trace` extension with httpcore's event names, which the playground's records rely on.
"""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeAlias

import h11
import httpx

Origin: TypeAlias = tuple[bytes, str, int]
Trace: TypeAlias = Callable[[str, dict[str, Any]], Awaitable[None]]

READ_SIZE = 65_536
_RETRYABLE = frozenset({b"GET", b"HEAD", b"OPTIONS"})
_DEFAULT_PORTS = {b"http": 80, b"https": 443}


class _Connection:
    """One socket and its HTTP/1.1 state machine."""

    def __init__(self, origin: Origin, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.origin = origin
        self.reader = reader
        self.writer = writer
        self.h11 = h11.Connection(h11.CLIENT)
        self.reused = False

    def alive(self) -> bool:
        return not (self.reader.at_eof() or self.writer.is_closing())

    def ready_for_next(self) -> bool:
        """Finish the exchange; True when the connection can carry another request."""
        if self.h11.our_state is h11.DONE and self.h11.their_state is h11.DONE:
            self.h11.start_next_cycle()
            return self.alive()
        return False

    def close(self) -> None:
        self.writer.close()


class PoolTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 over asyncio with at most `max_connections` open and `max_keepalive` idle."""

    def __init__(self, limits: httpx.Limits, ssl_context: ssl.SSLContext) -> None:
        self._max_open = limits.max_connections or 1 << 30
        self._max_idle = limits.max_keepalive_connections or 0
        self._ssl = ssl_context
        self._idle: dict[Origin, list[_Connection]] = {}
        self._idle_count = 0
        self._open = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts: dict[str, float | None] = request.extensions.get("timeout", {})
        trace: Trace | None = request.extensions.get("trace")
        origin = _origin_of(request.url)
        retry = request.method.encode() in _RETRYABLE
        while True:
            conn = await self._acquire(origin, request, timeouts, trace)
            try:
                return await self._exchange(conn, request, timeouts, trace)
            except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError):
                self._discard(conn)
                if not (retry and conn.reused):
                    raise
                retry = False  # a kept-alive connection the server had closed: one fresh try
            except BaseException:
                self._discard(conn)
                raise

    async def aclose(self) -> None:
        self._closed = True
        for conns in self._idle.values():
            for conn in conns:
                conn.close()
                self._open -= 1
        self._idle.clear()
        self._idle_count = 0

    async def _acquire(
        self, origin: Origin, request: httpx.Request, timeouts: dict[str, float | None], trace: Trace | None
    ) -> _Connection:
        if self._closed:
            raise RuntimeError("the transport is closed")
        loop = asyncio.get_running_loop()
        pool_timeout = timeouts.get("pool")
        deadline = None if pool_timeout is None else loop.time() + pool_timeout
        while True:
            conn = self._pop_idle(origin)
            if conn is not None:
                return conn
            if self._open >= self._max_open and self._idle_count:
                self._drop_any_idle()  # make room: an idle connection to another origin
            if self._open < self._max_open:
                break
            await self._wait_turn(request, deadline)
        self._open += 1
        try:
            return await self._connect(origin, request, timeouts, trace)
        except BaseException:
            self._open -= 1
            self._wake_one()
            raise

    async def _wait_turn(self, request: httpx.Request, deadline: float | None) -> None:
        """Wait until a connection is handed back or closed; `httpx.PoolTimeout` at `deadline`."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)  # cancelled waiters are skipped by `_wake_one`
        try:
            with _mapped({TimeoutError: httpx.PoolTimeout}, request):
                async with asyncio.timeout_at(deadline):
                    await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self._wake_one()  # woken, but leaving: pass the turn on
            raise

    async def _connect(
        self, origin: Origin, request: httpx.Request, timeouts: dict[str, float | None], trace: Trace | None
    ) -> _Connection:
        scheme, host, port = origin
        tls = scheme == b"https"
        server_hostname = request.extensions.get("sni_hostname", host) if tls else None
        await _emit(trace, "connection.connect_tcp.started", {"host": host, "port": port})
        with _mapped({TimeoutError: httpx.ConnectTimeout, OSError: httpx.ConnectError}, request):
            async with asyncio.timeout(timeouts.get("connect")):
                reader, writer = await asyncio.open_connection(
                    host,
                    port,
                    ssl=self._ssl if tls else None,
                    server_hostname=server_hostname,
                    limit=READ_SIZE,
                )
        await _emit(trace, "connection.connect_tcp.complete", {})
        return _Connection(origin, reader, writer)

    async def _exchange(
        self, conn: _Connection, request: httpx.Request, timeouts: dict[str, float | None], trace: Trace | None
    ) -> httpx.Response:
        await _emit(trace, "http11.send_request_headers.started", {"request": request})
        target = request.url.raw_path
        head = h11.Request(method=request.method, target=target, headers=request.headers.raw)
        with _mapped({TimeoutError: httpx.WriteTimeout, OSError: httpx.WriteError}, request):
            conn.writer.write(conn.h11.send(head) or b"")
            async for chunk in request.stream:  # type: ignore[union-attr]
                if chunk:
                    conn.writer.write(conn.h11.send(h11.Data(data=chunk)) or b"")
                    await _drained(conn.writer, timeouts.get("write"))
            conn.writer.write(conn.h11.send(h11.EndOfMessage()) or b"")
            await _drained(conn.writer, timeouts.get("write"))
        await _emit(trace, "http11.send_request_body.complete", {"request": request})
        event = await _next_event(conn, request, timeouts.get("read"))
        while isinstance(event, h11.InformationalResponse):
            event = await _next_event(conn, request, timeouts.get("read"))
        if not isinstance(event, h11.Response):
            raise httpx.RemoteProtocolError(f"unexpected {type(event).__name__} before the response", request=request)
        await _emit(trace, "http11.receive_response_headers.complete", {"request": request})
        return httpx.Response(
            event.status_code,
            headers=event.headers.raw_items(),
            stream=_Body(self, conn, request, timeouts.get("read")),
            extensions={"http_version": b"HTTP/" + event.http_version, "reason_phrase": event.reason},
        )

    def release(self, conn: _Connection) -> None:
        """Called when a response is closed: keep the connection idle or close it."""
        if not self._closed and self._idle_count < self._max_idle and conn.ready_for_next():
            conn.reused = True
            self._idle.setdefault(conn.origin, []).append(conn)
            self._idle_count += 1
            self._wake_one()
        else:
            self._discard(conn)

    def _discard(self, conn: _Connection) -> None:
        conn.close()
        self._open -= 1
        self._wake_one()

    def _pop_idle(self, origin: Origin) -> _Connection | None:
        conns = self._idle.get(origin)
        while conns:
            conn = conns.pop()
            self._idle_count -= 1
            if conn.alive():
                return conn
            conn.close()
            self._open -= 1
        return None

    def _drop_any_idle(self) -> None:
        for conns in self._idle.values():
            if conns:
                conns.pop().close()
                self._idle_count -= 1
                self._open -= 1
                return

    def _wake_one(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return


class _Body(httpx.AsyncByteStream):
    """The response body, read from the connection; closing it hands the connection back."""

    def __init__(self, pool: PoolTransport, conn: _Connection, request: httpx.Request, timeout: float | None) -> None:
        self._pool = pool
        self._conn: _Connection | None = conn
        self._request = request
        self._timeout = timeout

    async def __aiter__(self) -> AsyncIterator[bytes]:
        conn = self._conn
        if conn is None:
            return
        while True:
            event = await _next_event(conn, self._request, self._timeout)
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                return
            else:
                raise httpx.RemoteProtocolError(f"unexpected {type(event).__name__} in the body", request=self._request)

    async def aclose(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            self._pool.release(conn)


async def _next_event(conn: _Connection, request: httpx.Request, timeout: float | None) -> Any:
    """The next h11 event, reading from the socket as needed."""
    errors = {TimeoutError: httpx.ReadTimeout, OSError: httpx.ReadError, h11.RemoteProtocolError: httpx.RemoteProtocolError}
    with _mapped(errors, request):
        while True:
            event = conn.h11.next_event()
            if event is h11.NEED_DATA:
                async with asyncio.timeout(timeout):
                    conn.h11.receive_data(await conn.reader.read(READ_SIZE))
            elif isinstance(event, h11.ConnectionClosed):
                raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
            else:
                return event


async def _drained(writer: asyncio.StreamWriter, timeout: float | None) -> None:
    """Wait until the socket takes the buffered bytes; no timer when it already has (most requests)."""
    if writer.transport.get_write_buffer_size():
        async with asyncio.timeout(timeout):
            await writer.drain()


@contextmanager
def _mapped(mapping: dict[type[BaseException], type[httpx.TransportError]], request: httpx.Request) -> Iterator[None]:
    """Re-raise low-level errors as httpx's, keeping the original as `__cause__`."""
    try:
        yield
    except httpx.TransportError:
        raise
    except tuple(mapping) as exc:
        for low, high in mapping.items():
            if isinstance(exc, low):
                raise high(str(exc) or type(exc).__name__, request=request) from exc
        raise


async def _emit(trace: Trace | None, event: str, info: dict[str, Any]) -> None:
    if trace is not None:
        await trace(event, info)


def _origin_of(url: httpx.URL) -> Origin:
    scheme = url.raw_scheme
    if scheme not in _DEFAULT_PORTS:
        raise httpx.UnsupportedProtocol(f"unsupported URL scheme {url.scheme!r}: use http or https")
    return scheme, url.host, url.port or _DEFAULT_PORTS[scheme]
