"""`PoolTransport` against the real demo server and tiny misbehaving servers written here."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import trustme

from asyncdoc_tui.playground.errors import KIND_PROTOCOL, KIND_TLS, classify
from asyncdoc_tui.playground.transport import PoolTransport

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
KEEP_ALIVE_REPLY = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok"


class Events:
    """Collects `trace` events in order, per request label."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str]] = []

    def hook(self, label: str) -> dict[str, Any]:
        async def trace(event: str, info: dict[str, Any]) -> None:
            self.log.append((label, event))

        return {"trace": trace}

    def count(self, event: str) -> int:
        return sum(name == event for _, name in self.log)

    def max_in_flight(self) -> int:
        """Most requests between 'sent' and 'headers received' at once, from event order."""
        current = peak = 0
        for _, event in self.log:
            if event == "http11.send_request_body.complete":
                current += 1
                peak = max(peak, current)
            elif event == "http11.receive_response_headers.complete":
                current -= 1
        return peak


@asynccontextmanager
async def client_for(
    max_connections: int = 10,
    max_keepalive: int = 5,
    timeout: httpx.Timeout | None = None,
    tls: ssl.SSLContext | None = None,
) -> AsyncIterator[httpx.AsyncClient]:
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_keepalive)
    transport = PoolTransport(limits, tls or httpx.create_ssl_context())
    async with httpx.AsyncClient(transport=transport, timeout=timeout or httpx.Timeout(5.0)) as client:
        yield client


@asynccontextmanager
async def local_server(handler: Handler, tls: ssl.SSLContext | None = None) -> AsyncIterator[str]:
    server = await asyncio.start_server(handler, "127.0.0.1", 0, ssl=tls)
    async with server:
        scheme = "https" if tls else "http"
        yield f"{scheme}://localhost:{server.sockets[0].getsockname()[1]}"


async def answer_ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    writer.write(KEEP_ALIVE_REPLY)
    await writer.drain()
    await reader.read()  # until the client closes
    writer.close()


async def test_keep_alive_reuses_one_connection(demo_url: str) -> None:
    events = Events()
    async with client_for() as client:
        for i in range(5):
            response = await client.get(f"{demo_url}/json", extensions=events.hook(str(i)))
            assert response.status_code == 200 and response.json()
    assert events.count("connection.connect_tcp.started") == 1


async def test_max_connections_queues_the_rest(demo_url: str) -> None:
    events = Events()
    async with client_for(max_connections=2, max_keepalive=2) as client:
        responses = await asyncio.gather(
            *(client.get(f"{demo_url}/delay/0.1", extensions=events.hook(str(i))) for i in range(6))
        )
    assert [r.status_code for r in responses] == [200] * 6
    assert events.count("connection.connect_tcp.started") == 2
    assert events.max_in_flight() == 2


async def test_bodies_chunked_sized_head_and_post(demo_url: str) -> None:
    async with client_for() as client:
        drip = await client.get(f"{demo_url}/drip?seconds=0.05&chunks=3")
        sized = await client.get(f"{demo_url}/bytes/100000")
        head = await client.head(f"{demo_url}/json")
        post = await client.post(f"{demo_url}/json", content=b"x" * 5000)
    assert drip.content == b"***"
    assert len(sized.content) == 100_000
    assert head.status_code == 200 and head.content == b""
    assert post.status_code == 200 and post.json()


async def test_pool_timeout_when_every_connection_is_busy(demo_url: str) -> None:
    timeout = httpx.Timeout(5.0, pool=0.05)
    async with client_for(max_connections=1, timeout=timeout) as client:
        slow = asyncio.ensure_future(client.get(f"{demo_url}/delay/0.5"))
        await asyncio.sleep(0.01)
        with pytest.raises(httpx.PoolTimeout):
            await client.get(f"{demo_url}/json")
        assert (await slow).status_code == 200


async def test_cancelled_request_frees_its_connection(demo_url: str) -> None:
    timeout = httpx.Timeout(5.0, pool=2.0)
    async with client_for(max_connections=1, timeout=timeout) as client:
        slow = asyncio.ensure_future(client.get(f"{demo_url}/delay/5"))
        waiting = asyncio.ensure_future(client.get(f"{demo_url}/json"))
        await asyncio.sleep(0.05)
        slow.cancel()
        assert (await waiting).status_code == 200


async def test_connection_closed_while_idle_is_retried_once() -> None:
    """The server promises keep-alive, then closes; the next GET goes out on a fresh socket."""
    connections = 0

    async def answer_then_close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await reader.readuntil(b"\r\n\r\n")
        writer.write(KEEP_ALIVE_REPLY)
        await writer.drain()
        writer.close()

    async with local_server(answer_then_close) as url, client_for() as client:
        first = await client.get(url)
        await asyncio.sleep(0.05)  # let the close arrive while the connection is idle
        second = await client.get(url)
    assert (first.text, second.text) == ("ok", "ok")
    assert connections == 2


async def test_reused_connection_dropped_mid_request_is_retried_once() -> None:
    """Each socket answers one request and hangs up on the next: GETs retry on a fresh one."""
    connections = 0

    async def one_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await reader.readuntil(b"\r\n\r\n")
        writer.write(KEEP_ALIVE_REPLY)
        await writer.drain()
        await reader.readuntil(b"\r\n\r\n")
        writer.close()

    async with local_server(one_answer) as url, client_for() as client:
        texts = [(await client.get(url)).text for _ in range(3)]
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post(url, content=b"not retried")
    assert texts == ["ok"] * 3
    assert connections == 3


async def test_server_hanging_up_is_a_protocol_error() -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.close()

    async with local_server(hang_up) as url, client_for() as client:
        with pytest.raises(httpx.RemoteProtocolError) as caught:
            await client.get(url)
    assert classify(caught.value)[0] == KIND_PROTOCOL


async def test_read_timeout(demo_url: str) -> None:
    async with client_for(timeout=httpx.Timeout(0.05)) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get(f"{demo_url}/delay/1")


async def test_refused_port_keeps_the_os_error_as_cause(closed_port_url: str) -> None:
    async with client_for() as client:
        with pytest.raises(httpx.ConnectError) as caught:
            await client.get(closed_port_url)
    assert isinstance(caught.value.__cause__, ConnectionRefusedError)


async def test_unsupported_scheme() -> None:
    async with client_for() as client:
        with pytest.raises(httpx.UnsupportedProtocol):
            await client.get("ftp://127.0.0.1/file")


async def test_https_with_a_trusted_certificate() -> None:
    ca = trustme.CA()
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(server_tls)
    client_tls = ssl.create_default_context()
    ca.configure_trust(client_tls)
    async with local_server(answer_ok, server_tls) as url:
        async with client_for(tls=client_tls) as client:
            assert (await client.get(url)).text == "ok"
        async with client_for() as untrusting:
            with pytest.raises(httpx.ConnectError) as caught:
                await untrusting.get(url)
    assert classify(caught.value)[0] == KIND_TLS
