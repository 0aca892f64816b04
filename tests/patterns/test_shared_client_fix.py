"""AD401 fix: the guide's lifespan client, or the pattern as advice when it cannot be placed."""

from __future__ import annotations

from pathlib import Path

import pytest
from pattern_helpers import findings

from asyncdoc_tui.fixes import FixRefused, compute_fix
from asyncdoc_tui.fixes.api import check_compiles

NO_LIFESPAN = '''
import httpx
from fastapi import FastAPI, Request

app = FastAPI(title="rates")


@app.get("/rates/{currency}")
async def rates(currency: str):
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(f"https://rates.example.com/{currency}")
    return response.json()


@app.get("/close")
async def close(request: Request):
    client = httpx.AsyncClient()
    response = await client.get("https://example.com")
    await client.aclose()
    return response.status_code
'''

WITH_LIFESPAN = '''
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app: FastAPI):
    print("starting")
    yield
    print("stopped")


app = FastAPI(lifespan=lifespan)


@app.get("/ping")
async def ping():
    async with httpx.AsyncClient() as client:
        return (await client.get("https://example.com")).status_code
'''


def test_adds_a_lifespan_with_timeout_and_limits(tmp_path: Path) -> None:
    project, found = findings(tmp_path, {"main.py": NO_LIFESPAN}, "AD401")
    assert [f.fixes[0].id for f in found] == ["shared-client", "shared-client"]
    proposal = compute_fix(project, found[0], "shared-client")
    assert not proposal.safe
    text = proposal.new_text
    assert "@asynccontextmanager" not in text and "@contextlib.asynccontextmanager" in text
    assert "    app.state.http = httpx.AsyncClient(\n        timeout=5,\n        limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),\n    )\n    yield\n" in text
    assert "await app.state.http.aclose()" in text
    assert 'app = FastAPI(title="rates", lifespan=lifespan)' in text
    assert "async def rates(request: Request, currency: str):" in text
    assert "    client = request.app.state.http\n    response = await client.get(" in text
    check_compiles(text, "main.py")


def test_assignment_form_drops_the_close_and_reuses_the_request(tmp_path: Path) -> None:
    project, found = findings(tmp_path, {"main.py": NO_LIFESPAN}, "AD401")
    text = compute_fix(project, found[1], "shared-client").new_text
    assert "async def close(request: Request):" in text
    assert "client = request.app.state.http" in text
    assert "await client.aclose()" not in text
    assert "timeout=httpx.Timeout(10.0)" in text


def test_extends_an_existing_lifespan_around_its_yield(tmp_path: Path) -> None:
    project, found = findings(tmp_path, {"main.py": WITH_LIFESPAN}, "AD401")
    text = compute_fix(project, found[0], "shared-client").new_text
    assert '    print("starting")\n    app.state.http = httpx.AsyncClient(' in text
    assert "    yield\n    await app.state.http.aclose()\n    print(\"stopped\")" in text
    assert text.count("async def lifespan") == 1
    assert "async def ping(request: fastapi.Request):" in text and "\nimport fastapi\n" in text
    check_compiles(text, "main.py")


def test_app_in_another_module_gives_the_pattern_as_advice(tmp_path: Path) -> None:
    files = {
        "app/__init__.py": "",
        "app/main.py": "from fastapi import FastAPI\n\nfrom app.routes import router\n\napp = FastAPI()\napp.include_router(router)\n",
        "app/routes.py": (
            "import httpx\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get('/x')\n"
            "async def x():\n    async with httpx.AsyncClient() as client:\n        return (await client.get('https://e.com')).text\n"
        ),
    }
    project, found = findings(tmp_path, files, "AD401")
    with pytest.raises(FixRefused) as refused:
        compute_fix(project, found[0], "shared-client")
    assert "not created in this file" in refused.value.reason
    assert "app.state.http = httpx.AsyncClient(" in refused.value.reason
