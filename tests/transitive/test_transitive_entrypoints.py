"""FastAPI / Starlette entry points, and how findings inside them are labelled."""

from __future__ import annotations

from asyncdoc_tui.rules import blocking
from asyncdoc_tui.rules.entrypoints import entry_points

APP = """
import time
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, Request
from starlette.middleware.base import BaseHTTPMiddleware

from app.deps import Checker, audit, current_user, get_db


@asynccontextmanager
async def lifespan(app):
    yield


def warm():
    pass


app = FastAPI(lifespan=lifespan, on_shutdown=[warm])


def send_mail(to):
    time.sleep(1)


@app.get("/users/{id}", dependencies=[Depends(audit)])
async def read_user(id: int, db=Depends(get_db), bg: BackgroundTasks = None):
    bg.add_task(send_mail, "x")
    return id


@app.api_route("/things", methods=["GET", "POST"])
async def things(user: Annotated[str, Depends(current_user)], check: Checker = Depends()):
    return user


@app.websocket("/ws")
async def socket(websocket):
    pass


@app.middleware("http")
async def timing(request: Request, call_next):
    return await call_next(request)


class Tracing(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        return await call_next(request)


@app.exception_handler(ValueError)
async def on_value_error(request, exc):
    pass


@app.on_event("startup")
async def connect():
    pass


async def later():
    pass


app.add_api_route("/later", later, methods=["DELETE"])
"""

DEPS = """
import time


async def audit():
    time.sleep(1)


def get_db():
    time.sleep(1)


async def current_user():
    return "me"


class Checker:
    def __init__(self):
        pass
"""

ROUTER = """
from fastapi import APIRouter

router = APIRouter(prefix="/orders")


@router.post("/{order_id}")
async def create(order_id: int):
    pass
"""

MAIN = """
from app.api import app
from app.routes import orders

app.include_router(orders.router, prefix="/v1")
"""


def test_every_kind_is_found(project_of):
    project = project_of(
        {"app/__init__.py": "", "app/api.py": APP, "app/deps.py": DEPS, "app/routes/__init__.py": "", "app/routes/orders.py": ROUTER, "app/main.py": MAIN}
    )
    found = {name: entry.to_json() for name, entry in entry_points(project).items()}
    assert found == {
        "app.api.Tracing.dispatch": {"kind": "middleware"},
        "app.api.connect": {"kind": "startup"},
        "app.api.later": {"kind": "route", "method": "DELETE", "path": "/later"},
        "app.api.lifespan": {"kind": "lifespan"},
        "app.api.on_value_error": {"kind": "exception_handler"},
        "app.api.read_user": {"kind": "route", "method": "GET", "path": "/users/{id}"},
        "app.api.send_mail": {"kind": "background_task"},
        "app.api.socket": {"kind": "websocket", "path": "/ws"},
        "app.api.things": {"kind": "route", "method": "GET,POST", "path": "/things"},
        "app.api.timing": {"kind": "middleware"},
        "app.api.warm": {"kind": "shutdown"},
        "app.deps.Checker.__init__": {"kind": "dependency"},
        "app.deps.audit": {"kind": "dependency"},
        "app.deps.current_user": {"kind": "dependency"},
        "app.deps.get_db": {"kind": "dependency"},
        "app.routes.orders.create": {"kind": "route", "method": "POST", "path": "/v1/orders/{order_id}"},
    }
    assert entry_points(project)["app.api.read_user"].label == "GET /users/{id}"


def test_findings_in_entry_points_say_which(project_of, ad201):
    files = {
        "app/__init__.py": "",
        "app/slow.py": """
            import time

            def pause():
                time.sleep(1)
        """,
        "app/main.py": """
            import time

            from fastapi import Depends, FastAPI, Request
            from starlette.middleware.base import BaseHTTPMiddleware

            from app.slow import pause

            app = FastAPI()

            async def get_user():
                pause()
                time.sleep(1)

            @app.middleware("http")
            async def timing(request: Request, call_next):
                pause()
                return await call_next(request)

            class Tracing(BaseHTTPMiddleware):
                async def dispatch(self, request, call_next):
                    pause()
                    return await call_next(request)

            @app.get("/me")
            async def me(user=Depends(get_user)):
                pause()
        """,
    }
    findings = ad201(files)
    assert [(f.line, f.extras["entry"]) for f in findings] == [
        (11, {"kind": "dependency"}),
        (16, {"kind": "middleware"}),
        (21, {"kind": "middleware"}),
        (26, {"kind": "route", "method": "GET", "path": "/me"}),
    ]
    assert findings[-1].message.startswith("`pause()` blocks the event loop in GET /me: it calls `time.sleep`")
    direct = list(blocking.check(project_of(files)))
    assert [(f.code, f.line, f.extras["entry"]) for f in direct] == [("AD101", 12, {"kind": "dependency"})]


def test_background_tasks_that_are_sync_are_not_findings(ad201):
    assert ad201({"app/main.py": APP, "app/deps.py": DEPS}) == []
