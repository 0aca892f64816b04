"""Built-in demo server: a small stdlib asyncio HTTP/1.1 server for the playground.

It runs in its own process (`server_process.py` starts it) so that the blocking pattern, which
stalls the client's event loop, cannot stall the server too. It binds 127.0.0.1 only, keeps
connections alive, uses a large listen backlog and TCP_NODELAY, bounds every input (no
10-hour delays, no 10 GB bodies) and exits when the process that started it dies.

Endpoints: /delay/{s}, /status/{code}, /jitter?min=&max=, /bytes/{n}, /drip?seconds=&chunks=,
/json, /flaky?rate=. This module imports only the standard library, so it starts fast.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
BACKLOG = 4096
MAX_HEADER_BYTES = 65_536
MAX_REQUEST_BODY = 1_048_576
MAX_DELAY_S = 60.0
MAX_BYTES = 10_485_760
MAX_CHUNKS = 1_000
PARENT_POLL_S = 0.5
READY_PREFIX = "asyncdoc demo server listening on "

ENDPOINTS = (
    ("/delay/{seconds}", f"answer after a delay (≤ {MAX_DELAY_S:g} s)"),
    ("/status/{code}", "answer with that status code (200-599)"),
    ("/jitter?min=&max=", "answer after a random delay in [min, max] seconds"),
    ("/bytes/{n}", f"n bytes of body (≤ {MAX_BYTES} bytes)"),
    ("/drip?seconds=&chunks=", "a chunked body spread over the given time"),
    ("/json", "a small JSON document"),
    ("/flaky?rate=", "503 for a share `rate` (0..1) of requests, 200 otherwise"),
)

_SAMPLE_JSON = {
    "slideshow": {
        "title": "asyncdoc demo",
        "slides": [{"title": "gather"}, {"title": "TaskGroup"}, {"title": "Semaphore"}],
    }
}


class BadRequest(Exception):
    """The request cannot be served as asked; becomes a 400 with this message."""


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes
    content_type: str = "application/json"
    delay_s: float = 0.0
    drip_s: float = 0.0
    drip_chunks: int = 0


def _number(raw: str, name: str, low: float, high: float) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a number, got {raw!r}") from None
    if not low <= value <= high:
        raise BadRequest(f"{name} must be between {low:g} and {high:g}")
    return value


def _query(query: dict[str, list[str]], name: str, default: str) -> str:
    return query.get(name, [default])[0]


def _json_reply(status: int, data: object, delay_s: float = 0.0) -> Reply:
    return Reply(status, json.dumps(data).encode(), delay_s=delay_s)


def route(target: str) -> Reply:
    """Map a request target to a reply (pure: no I/O, so it is easy to test and bound)."""
    parts = urlsplit(target)
    path = parts.path.rstrip("/") or "/"
    query = parse_qs(parts.query)
    segments = path.strip("/").split("/")
    head, arg = segments[0], "/".join(segments[1:])
    if path == "/":
        return _json_reply(200, {"endpoints": {p: d for p, d in ENDPOINTS}})
    if head == "delay" and arg:
        seconds = _number(arg, "seconds", 0, MAX_DELAY_S)
        return _json_reply(200, {"delay": seconds}, delay_s=seconds)
    if head == "status" and arg:
        code = int(_number(arg, "code", 200, 599))
        return _json_reply(code, {"status": code})
    if head == "jitter":
        low = _number(_query(query, "min", "0"), "min", 0, MAX_DELAY_S)
        high = _number(_query(query, "max", "1"), "max", low, MAX_DELAY_S)
        seconds = random.uniform(low, high)
        return _json_reply(200, {"delay": seconds}, delay_s=seconds)
    if head == "bytes" and arg:
        n = int(_number(arg, "n", 0, MAX_BYTES))
        return Reply(200, random.randbytes(n), "application/octet-stream")
    if head == "drip":
        seconds = _number(_query(query, "seconds", "2"), "seconds", 0, MAX_DELAY_S)
        chunks = int(_number(_query(query, "chunks", "10"), "chunks", 1, MAX_CHUNKS))
        return Reply(200, b"*", "application/octet-stream", drip_s=seconds, drip_chunks=chunks)
    if head == "json" and not arg:
        return _json_reply(200, _SAMPLE_JSON)
    if head == "flaky" and not arg:
        rate = _number(_query(query, "rate", "0.5"), "rate", 0, 1)
        failed = random.random() < rate
        return _json_reply(503 if failed else 200, {"failed": failed, "rate": rate})
    return _json_reply(404, {"error": f"no such endpoint: {path}", "endpoints": [p for p, _ in ENDPOINTS]})


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Status"


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {_reason(status)}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _send(writer: asyncio.StreamWriter, reply: Reply, keep_alive: bool, head_only: bool) -> None:
    if reply.delay_s:
        await asyncio.sleep(reply.delay_s)
    headers = {"Content-Type": reply.content_type, "Connection": "keep-alive" if keep_alive else "close"}
    if reply.drip_chunks:
        headers["Transfer-Encoding"] = "chunked"
        writer.write(_head(reply.status, headers))
        await writer.drain()
        if head_only:
            return
        pause = reply.drip_s / reply.drip_chunks
        for _ in range(reply.drip_chunks):
            await asyncio.sleep(pause)
            writer.write(b"%x\r\n%s\r\n" % (len(reply.body), reply.body))
            await writer.drain()
        writer.write(b"0\r\n\r\n")
    else:
        headers["Content-Length"] = str(len(reply.body))
        writer.write(_head(reply.status, headers) + (b"" if head_only else reply.body))
    await writer.drain()


def _parse_head(raw: bytes) -> tuple[str, str, str, dict[str, str]]:
    try:
        request_line, *header_lines = raw.decode("latin-1").rstrip("\r\n").split("\r\n")
        method, target, version = request_line.split(" ")
    except ValueError:
        raise BadRequest("malformed request line") from None
    headers = {}
    for line in header_lines:
        name, sep, value = line.partition(":")
        if not sep:
            raise BadRequest("malformed header line")
        headers[name.strip().lower()] = value.strip()
    return method.upper(), target, version, headers


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Serve requests on one connection until the client closes or asks to."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while True:
            try:
                first = await reader.readexactly(1)
                if not first.isalpha():  # e.g. a TLS ClientHello: answer like a plain HTTP server
                    await _send(writer, _json_reply(400, {"error": "not an HTTP request"}), False, False)
                    return
                raw = first + await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                return
            keep_alive = False
            try:
                method, target, version, headers = _parse_head(raw)
                connection = headers.get("connection", "").lower()
                keep_alive = (version == "HTTP/1.1" and connection != "close") or connection == "keep-alive"
                length = int(_number(headers.get("content-length", "0"), "content-length", 0, MAX_REQUEST_BODY))
                if length:
                    await reader.readexactly(length)
                reply = route(target)
            except BadRequest as exc:
                reply, keep_alive, method = _json_reply(400, {"error": str(exc)}), False, "GET"
            await _send(writer, reply, keep_alive, head_only=method == "HEAD")
            if not keep_alive:
                return
    except (ConnectionError, asyncio.IncompleteReadError):
        return
    finally:
        writer.close()


async def serve(port: int, parent_pid: int | None = None, ready: bool = True) -> None:
    """Serve forever (or until the parent process is gone)."""
    server = await asyncio.start_server(handle, HOST, port, backlog=BACKLOG, limit=MAX_HEADER_BYTES)
    bound = server.sockets[0].getsockname()[1]
    if ready:
        print(f"{READY_PREFIX}http://{HOST}:{bound}", flush=True)
    async with server:
        if parent_pid is None:
            await server.serve_forever()
        else:
            await server.start_serving()
            while os.getppid() == parent_pid:
                await asyncio.sleep(PARENT_POLL_S)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="asyncdoc demo HTTP server (127.0.0.1 only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    parser.add_argument("--parent-pid", type=int, help="exit when this process is no longer our parent")
    args = parser.parse_args(argv)
    try:
        asyncio.run(serve(args.port, args.parent_pid))
    except KeyboardInterrupt:
        return 0
    except OSError as exc:
        print(f"demo server: cannot listen on {HOST}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
