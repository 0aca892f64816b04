"""AD403 never proposes gathering awaits that reach one session, connection or websocket.

Each false alarm sits next to its true twin; the runnable module checks the claim the
other way round: every gather asyncdoc offers runs, and the awaits it leaves alone
really fail when gathered.
"""

from __future__ import annotations

import asyncio
import runpy
from pathlib import Path

import pytest
from pattern_helpers import findings

from asyncdoc_tui.fixes import compute_fix

ROUTES = '''
import asyncio
from typing import Annotated

import asyncpg
import httpx
from fastapi import Depends, FastAPI, Query, Request, WebSocket
from sqlalchemy.ext.asyncio import AsyncSession

from app.deps import get_db, get_http, get_session
from app.models import User
from app.repos import OrderRepo, Service, UnitOfWork, UserRepo, count_orders, count_users, fetch_json, orders_of, profile, rates, retry
from app.settings import settings
from fastapi_async_sqlalchemy import db

app = FastAPI()


@app.get("/a/{user_id}")
async def repos_on_one_session(user_id: int, session: AsyncSession = Depends(get_session)):
    users = UserRepo(session)
    orders = OrderRepo.from_session(session)
    user = await users.get(user_id)
    history = await orders.list(user_id)
    return user, history


@app.get("/b/{user_id}")
async def helpers_without_shared_state(user_id: int, currency: str = Query("EUR")):
    user = await profile(user_id)
    quote = await rates(currency)
    return user, quote


@app.get("/c/{user_id}")
async def untyped_dependency(user_id: int, db=Depends(get_db)):
    users = await count_users(db)
    orders = await Service(db=db).orders(user_id)
    return users, orders


@app.get("/d")
async def one_http_client(http: Annotated[httpx.AsyncClient, Depends(get_http)]):
    left = await fetch_json(http, "/left")
    right = await fetch_json(http, "/right")
    return left, right


@app.get("/e")
async def annotated_session(session: Annotated[AsyncSession, Depends(get_session)]):
    users = await count_users(session)
    orders = await count_orders(session)
    return users, orders


@app.websocket("/f")
async def one_socket(ws: WebSocket):
    hello = await ws.receive_text()
    config = await ws.receive_json()
    return hello, config


@app.websocket("/g")
async def two_sockets(left: WebSocket, right: WebSocket):
    a = await left.receive_text()
    b = await right.receive_text()
    return a, b


async def one_connection(conn: asyncpg.Connection):
    users = await count_users(conn)
    orders = await count_orders(conn)
    return users, orders


async def one_pool(pool: asyncpg.Pool):
    users = await count_users(pool)
    orders = await count_orders(pool)
    return users, orders


async def untyped_value(user_id):
    user = await profile(user_id)
    quote = await rates(user_id)
    return user, quote


@app.get("/h")
async def session_from_request_state(request: Request):
    db = request.state.db
    users = await count_users(db)
    orders = await count_orders(db)
    return users, orders


@app.get("/i")
async def request_data(request: Request):
    user = await profile(request.path_params["user_id"])
    quote = await rates(request.query_params["currency"])
    return user, quote


http = httpx.AsyncClient()
jobs = asyncio.Queue()


async def module_client():
    left = await http.get("/left")
    right = await http.get("/right")
    return left, right


async def module_queue():
    first = await jobs.get()
    second = await jobs.get()
    return first, second


async def per_user(user_ids: list[int], session: AsyncSession):
    for user_id in user_ids:
        user = await profile(user_id)
        quote = await rates("EUR")
        rows = await count_users(session)
        more = await count_orders(session)


async def retried(session: AsyncSession, user_id: int):
    user = await retry(lambda: session.get(User, user_id))
    history = await retry(lambda: session.scalars(orders_of(user_id)))
    return user, history


async def retried_elsewhere(user_id: int, currency: str):
    user = await retry(lambda: profile(user_id))
    quote = await retry(lambda: rates(currency))
    return user, quote


async def closure(session: AsyncSession, user_id: int):
    async def load_user():
        return await session.get(User, user_id)

    user = await retry(load_user)
    history = await count_orders(session)
    return user, history


async def unit_of_work(uow: UnitOfWork, user_id: int):
    user = await uow.users.get(user_id)
    history = await uow.orders.list(user_id)
    return user, history


async def context_session():
    users = await count_users(db.session)
    orders = await count_orders(db.session)
    return users, orders


async def module_settings():
    left = await fetch_json(settings.left_url)
    right = await fetch_json(settings.right_url)
    return left, right


class Reports:
    @staticmethod
    async def static(first: UserRepo, second: UserRepo):
        a = await first.get(1)
        b = await second.get(2)
        return a, b

    def __init__(self, session: AsyncSession):
        self.users = UserRepo(session)
        self.orders = OrderRepo(session)

    async def through_self(self, user_id: int):
        user = await self.users.get(user_id)
        history = await self.orders.list(user_id)
        return user, history

    async def not_touching_self(self, user_id: int):
        user = await profile(user_id)
        quote = await rates("EUR")
        return user, quote
'''


def test_shared_sessions_are_not_reported_and_their_twins_are(tmp_path: Path) -> None:
    _, found = findings(tmp_path, {"routes.py": ROUTES}, "AD403")
    assert sorted(f.extras["function"] for f in found) == [
        "Reports.not_touching_self",
        "Reports.static",
        "helpers_without_shared_state",
        "module_client",
        "module_settings",
        "one_http_client",
        "one_pool",
        "per_user",
        "request_data",
        "retried_elsewhere",
        "two_sockets",
    ]
    loop = next(f for f in found if f.extras["function"] == "per_user")
    # One query on the session may join the helpers; the second query on it may not.
    assert [e.note for e in loop.evidence] == ["`user = await profile(...)`", "`quote = await rates(...)`", "`rows = await count_users(...)`"]


SHOP = '''
import asyncio

from fastapi import Depends


class Session:
    """One operation at a time, as an AsyncSession or an asyncpg connection allows."""

    def __init__(self):
        self.busy = False

    async def scalar(self, query: str) -> str:
        if self.busy:
            raise RuntimeError("another operation is in progress")
        self.busy = True
        await asyncio.sleep(0.01)
        self.busy = False
        return query


async def get_session():
    yield Session()


class UserRepo:
    def __init__(self, session):
        self.session = session

    @classmethod
    def from_session(cls, session):
        return cls(session)

    async def count(self, table: str) -> str:
        return await self.session.scalar(f"count {table}")


class Service:
    def __init__(self, db):
        self.users = UserRepo(db)
        self.orders = UserRepo.from_session(db)

    async def totals(self):
        users = await self.users.count("users")
        orders = await self.orders.count("orders")
        return users, orders


async def profile(user_id: int) -> dict:
    await asyncio.sleep(0.01)
    return {"id": user_id}


async def rates(currency: str) -> dict:
    await asyncio.sleep(0.01)
    return {currency: 1.0}


async def repos(session: Session):
    users = UserRepo(session)
    orders = UserRepo.from_session(session)
    a = await users.count("users")
    b = await orders.count("orders")
    return a, b


async def injected(db=Depends(get_session)):
    a = await UserRepo(db).count("users")
    b = await Service(db=db).orders.count("orders")
    return a, b


async def two_sessions(left: Session, right: Session):
    a = await left.scalar("left")
    b = await right.scalar("right")
    return a, b


async def independent(user_id: int, currency: str):
    user = await profile(user_id)
    quote = await rates(currency)
    return user, quote
'''

CALLS = {
    "Service.totals": lambda ns: ns["Service"](ns["Session"]()).totals(),
    "repos": lambda ns: ns["repos"](ns["Session"]()),
    "injected": lambda ns: ns["injected"](ns["Session"]()),
    "two_sessions": lambda ns: ns["two_sessions"](ns["Session"](), ns["Session"]()),
    "independent": lambda ns: ns["independent"](7, "EUR"),
}


def _run_all(path: Path) -> dict[str, object]:
    namespace = runpy.run_path(str(path))
    return {name: asyncio.run(call(namespace)) for name, call in CALLS.items()}


def test_the_fixture_session_really_refuses_concurrent_use(tmp_path: Path) -> None:
    (tmp_path / "shop.py").write_text(SHOP, encoding="utf-8")
    namespace = runpy.run_path(str(tmp_path / "shop.py"))
    session = namespace["Session"]()
    users, orders = namespace["UserRepo"](session), namespace["UserRepo"].from_session(session)

    async def gathered() -> object:
        return await asyncio.gather(users.count("users"), orders.count("orders"))

    with pytest.raises(RuntimeError, match="another operation is in progress"):
        asyncio.run(gathered())


def test_every_offered_gather_runs_and_keeps_the_results(tmp_path: Path) -> None:
    project, found = findings(tmp_path, {"shop.py": SHOP}, "AD403")
    assert sorted(f.extras["function"] for f in found) == ["independent", "two_sessions"]
    before = _run_all(tmp_path / "shop.py")
    for finding in found:
        for fix_id in ("gather", "task-group"):
            proposal = compute_fix(project, finding, fix_id)
            fixed = tmp_path / "fixed" / f"{finding.extras['function']}_{fix_id}.py"
            fixed.parent.mkdir(exist_ok=True)
            fixed.write_text(proposal.new_text, encoding="utf-8")
            assert _run_all(fixed) == before
