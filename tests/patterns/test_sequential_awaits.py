"""AD403: consecutive awaits that could run concurrently, and the gather / TaskGroup fixes."""

from __future__ import annotations

import asyncio
import runpy
from pathlib import Path

from pattern_helpers import findings, lines

from asyncdoc_tui.fixes import compute_fix

SERVICE = '''
import asyncio

import httpx


async def fetch_user(user_id):
    await asyncio.sleep(0.02)
    return {"id": user_id}


async def fetch_orders(user_id):
    await asyncio.sleep(0.01)
    return [user_id, "order"]


async def fetch_rates():
    return "rates"


async def independent(user_id: int):
    user = await fetch_user(user_id)
    orders = await fetch_orders(user_id)
    rates = await fetch_rates()
    return user, orders, rates


async def dependent(user_id: int):
    user = await fetch_user(user_id)
    orders = await fetch_orders(user["id"])
    return user, orders


async def session_shared(session):
    a = await session.execute("select 1")
    b = await session.execute("select 2")
    return a, b


async def transaction(pool):
    async with pool.transaction():
        a = await fetch_user(1)
        b = await fetch_orders(1)
    return a, b


async def locked(lock):
    async with lock:
        a = await fetch_user(1)
        b = await fetch_orders(1)
    return a, b


async def django_orm(Model):
    a = await Model.objects.aget(pk=1)
    b = await Model.objects.acount()
    return a, b


async def effects(queue):
    await queue.put(1)
    await queue.put(2)


async def same_receiver(self_like):
    a = await self_like.step_one()
    b = await self_like.step_two()
    return a, b


async def http_reads(client: httpx.AsyncClient):
    a = await client.get("/a")
    b = await client.get("/b")
    return a, b
'''


def test_reports_only_independent_runs(tmp_path: Path) -> None:
    _, found = findings(tmp_path, {"svc.py": SERVICE}, "AD403")
    assert lines(found) == [("svc.py", 21), ("svc.py", 71)]
    first = found[0]
    assert first.message.startswith("3 independent awaits run one after another in `independent`")
    assert "up to 3x faster" in first.message
    assert first.extras["awaits"] == [[21, 21], [22, 22], [23, 23]]


def _run(path: Path, function: str, *args: object) -> object:
    namespace = runpy.run_path(str(path))
    return asyncio.run(namespace[function](*args))


def test_gather_fix_preserves_the_order_of_results(tmp_path: Path) -> None:
    project, found = findings(tmp_path, {"svc.py": SERVICE}, "AD403")
    before = _run(tmp_path / "svc.py", "independent", 7)
    proposal = compute_fix(project, found[0], "gather")
    assert not proposal.safe
    assert "    user, orders, rates = await asyncio.gather(\n        fetch_user(user_id),\n        fetch_orders(user_id),\n        fetch_rates(),\n    )\n" in proposal.new_text
    (tmp_path / "svc.py").write_text(proposal.new_text, encoding="utf-8")
    assert _run(tmp_path / "svc.py", "independent", 7) == before


def test_return_exceptions_and_task_group_variants(tmp_path: Path) -> None:
    project, found = findings(tmp_path, {"svc.py": SERVICE}, "AD403")
    assert [f.id for f in found[0].fixes] == ["gather", "gather-return-exceptions", "task-group"]
    variant = compute_fix(project, found[0], "gather-return-exceptions")
    assert "return_exceptions=True" in variant.new_text and "# return_exceptions=True:" in variant.new_text
    group = compute_fix(project, found[0], "task-group")
    assert "async with asyncio.TaskGroup() as tg:" in group.new_text
    assert "    user = user_task.result()" in group.new_text
    (tmp_path / "svc.py").write_text(group.new_text, encoding="utf-8")
    assert _run(tmp_path / "svc.py", "independent", 7) == ({"id": 7}, [7, "order"], "rates")


def test_tuple_targets_keep_their_shape(tmp_path: Path) -> None:
    source = '''
    async def pair():
        return 1, 2


    async def single():
        return 3


    async def use():
        (a, b) = await pair()
        c = await single()
        return a, b, c
    '''
    project, found = findings(tmp_path, {"t.py": source}, "AD403")
    proposal = compute_fix(project, found[0], "gather")
    assert "(a, b), c = await asyncio.gather(pair(), single())" in proposal.new_text
    (tmp_path / "t.py").write_text(proposal.new_text, encoding="utf-8")
    assert _run(tmp_path / "t.py", "use") == (1, 2, 3)
