"""AD401: an HTTP client built per request or per loop iteration, not once in the lifespan."""

from __future__ import annotations

from pathlib import Path

from pattern_helpers import findings, lines

APP = '''
from contextlib import asynccontextmanager

import httpx
from fastapi import Depends, FastAPI, Request

from app.clients import make_client


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.http = httpx.AsyncClient(timeout=10)   # once: negative
    yield
    await app.state.http.aclose()


app = FastAPI(lifespan=lifespan)


@app.get("/inline")
async def inline():
    async with httpx.AsyncClient() as client:        # positive
        return (await client.get("https://x")).json()


@app.get("/helper")
async def via_helper():
    client = make_client()                           # positive (helper returns a new client)
    return (await client.get("https://x")).json()


@app.get("/shared")
async def shared(request: Request):
    return (await request.app.state.http.get("https://x")).json()


@app.get("/sync")
def sync_route():
    with httpx.Client() as client:                   # positive: sync twin, still per request
        return client.get("https://x").json()


async def get_client():
    async with httpx.AsyncClient() as client:        # positive: dependency
        yield client


@app.get("/dep")
async def with_dependency(client: httpx.AsyncClient = Depends(get_client)):
    return (await client.get("https://x")).json()


async def crawl(urls: list[str]):
    for url in urls:
        async with httpx.AsyncClient() as client:    # positive: in a loop
            await client.get(url)


async def crawl_once(urls: list[str]):
    async with httpx.AsyncClient() as client:        # negative: one client for the loop
        for url in urls:
            await client.get(url)
'''

CLIENTS = '''
import httpx


def make_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=5)             # factory: reported at the caller


def build_app_client(app):
    app.state.http = httpx.AsyncClient()            # stored on app.state: negative
'''


def test_positives_and_negatives(tmp_path: Path) -> None:
    _, found = findings(tmp_path, {"app/__init__.py": "", "app/main.py": APP, "app/clients.py": CLIENTS}, "AD401")
    assert lines(found) == [
        ("app/main.py", 21),
        ("app/main.py", 27),
        ("app/main.py", 38),
        ("app/main.py", 43),
        ("app/main.py", 54),
    ]
    inline, helper, sync, dependency, loop = found
    assert "route `GET /inline`" in inline.message
    assert inline.extras["entry"] == {"kind": "route", "method": "GET", "path": "/inline"}
    assert "entry" not in loop.extras
    assert "`make_client()` builds a new `httpx.AsyncClient`" in helper.message
    assert [(e.path, e.line) for e in helper.evidence] == [("app/main.py", 27), ("app/clients.py", 5)]
    assert "httpx.Client" in sync.message
    assert "dependency" in dependency.message
    assert "loop" in loop.message
    assert all(f.fixes == () or f.fixes[0].safe is False for f in found)


def test_lifespan_client_is_not_reported(tmp_path: Path) -> None:
    app = '''
    from contextlib import asynccontextmanager

    import aiohttp
    from fastapi import FastAPI


    @asynccontextmanager
    async def lifespan(app: FastAPI):
        async with aiohttp.ClientSession() as session:
            app.state.session = session
            yield


    app = FastAPI(lifespan=lifespan)


    @app.on_event("startup")
    async def startup():
        app.state.other = aiohttp.ClientSession()
    '''
    _, found = findings(tmp_path, {"main.py": app}, "AD401")
    assert found == []


def test_cached_client_factories_are_shared(tmp_path: Path) -> None:
    app = '''
    from functools import lru_cache

    import httpx
    from fastapi import Depends, FastAPI

    app = FastAPI()


    @lru_cache
    def get_client() -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=5)


    @app.get("/a")
    async def a(client: httpx.AsyncClient = Depends(get_client)):
        return (await client.get("https://x")).json()


    @app.get("/b")
    async def b():
        return (await get_client().get("https://x")).json()
    '''
    _, found = findings(tmp_path, {"main.py": app}, "AD401")
    assert found == []
