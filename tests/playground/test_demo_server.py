"""The demo server's endpoints, bounds, keep-alive and shutdown with its parent."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx
import pytest


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/json", 200),
        ("/delay/0.01", 200),
        ("/status/418", 418),
        ("/jitter?min=0&max=0.01", 200),
        ("/flaky?rate=1", 503),
        ("/flaky?rate=0", 200),
        ("/delay/100000", 400),
        ("/bytes/99999999999", 400),
        ("/status/abc", 400),
        ("/drip?seconds=1&chunks=1000000", 400),
        ("/nope", 404),
    ],
)
def test_endpoints_and_bounds(demo_url: str, path: str, status: int) -> None:
    assert httpx.get(demo_url + path).status_code == status


def test_bodies(demo_url: str) -> None:
    assert len(httpx.get(f"{demo_url}/bytes/5000").content) == 5000
    drip = httpx.get(f"{demo_url}/drip?seconds=0.1&chunks=5")
    assert drip.headers["transfer-encoding"] == "chunked" and drip.content == b"*****"


def test_keep_alive_on_one_connection(demo_url: str) -> None:
    host, port = demo_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        request = f"GET /json HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
        sock.sendall(request * 2)
        time.sleep(0.2)
        data = sock.recv(65536)
    assert data.count(b"HTTP/1.1 200 OK") == 2


def test_exits_when_parent_dies() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c",
         "import time; from asyncdoc_tui.playground.server_process import DemoServerProcess as D\n"
         "print(D().start(), flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    assert parent.stdout is not None
    url = parent.stdout.readline().strip()
    assert httpx.get(f"{url}/json").status_code == 200
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/json", timeout=0.5)
        except httpx.ConnectError:
            return
        except httpx.TransportError:  # shutting down mid-request: try again
            pass
        time.sleep(0.1)
    pytest.fail("demo server outlived its parent")
