"""The real demo server, started once per test session on a free port (no HTTP mocks)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from asyncdoc_tui.playground.server_process import DemoServerProcess


@pytest.fixture(scope="session")
def demo_url() -> Iterator[str]:
    with DemoServerProcess(port=0) as url:
        yield url


@pytest.fixture
def closed_port_url() -> str:
    """A URL on a local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"
