"""Name the root cause of a failed request, not the wrapper httpx raised.

httpx's transports wrap the OS error (`raise X from exc`), so a refused port, a DNS
failure and "too many open files" all surface as `httpx.ConnectError`; only the end of the
`__cause__`/`__context__` chain tells them apart.
"""

from __future__ import annotations

import errno
import socket
import ssl

import httpx

KIND_REFUSED = "refused"
KIND_DNS = "dns"
KIND_TIMEOUT = "timeout"
KIND_DEADLINE = "deadline"
KIND_TLS = "tls"
KIND_EMFILE = "too-many-open-files"
KIND_UNREACHABLE = "unreachable"
KIND_RESET = "reset"
KIND_PROTOCOL = "protocol"

_ERRNO_KINDS = {
    errno.ECONNREFUSED: KIND_REFUSED,
    errno.EMFILE: KIND_EMFILE,
    errno.ENFILE: KIND_EMFILE,
    errno.ENETUNREACH: KIND_UNREACHABLE,
    errno.EHOSTUNREACH: KIND_UNREACHABLE,
    errno.ECONNRESET: KIND_RESET,
    errno.EPIPE: KIND_RESET,
    errno.ETIMEDOUT: KIND_TIMEOUT,
}

_HINTS = {
    KIND_REFUSED: "nothing is listening on that host:port",
    KIND_DNS: "the host name does not resolve",
    KIND_TIMEOUT: "no answer within the per-request timeout",
    KIND_DEADLINE: "the run's overall deadline passed",
    KIND_TLS: "TLS handshake failed (plain HTTP port, bad certificate or protocol)",
    KIND_EMFILE: "the process ran out of file descriptors: lower the concurrency or raise `ulimit -n`",
    KIND_UNREACHABLE: "no route to the host",
    KIND_RESET: "the server closed the connection",
    KIND_PROTOCOL: "the server's reply is not valid HTTP",
}


class DeadlineExceeded(TimeoutError):
    """The run's overall deadline passed before this request could start."""


def exception_chain(exc: BaseException) -> list[BaseException]:
    """The exception and its causes, outermost first, without looping on cycles."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        chain.append(current)
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return chain


def classify(exc: BaseException) -> tuple[str, str]:
    """(kind, message) for a failed request; the message names the root cause and a hint."""
    if isinstance(exc, httpx.HTTPStatusError):
        code = exc.response.status_code
        return f"http {code}", f"HTTP {code} {exc.response.reason_phrase}".strip()
    chain = exception_chain(exc)
    root = chain[-1]
    kind = _kind_of(chain)
    detail = str(root) or type(root).__name__
    hint = _HINTS.get(kind)
    message = f"{type(root).__name__}: {detail}"
    return kind, f"{message} — {hint}" if hint else message


def _kind_of(chain: list[BaseException]) -> str:
    # The deepest recognisable exception wins: it is the closest to what really happened.
    for exc in reversed(chain):
        if isinstance(exc, DeadlineExceeded):
            return KIND_DEADLINE
        if isinstance(exc, socket.gaierror):
            return KIND_DNS
        if isinstance(exc, ssl.SSLError):
            return KIND_TLS
        if isinstance(exc, OSError) and exc.errno in _ERRNO_KINDS:
            return _ERRNO_KINDS[exc.errno]
        if isinstance(exc, (TimeoutError, httpx.TimeoutException)):
            return KIND_TIMEOUT
        if isinstance(exc, httpx.RemoteProtocolError):
            return KIND_PROTOCOL
    return type(chain[-1]).__name__
