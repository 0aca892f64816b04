"""Catalog breadth: the blocking calls real services make, each family with its safe twins.

A positive line carries `# ! CODE`; every other call (the awaited async API, the same call
offloaded, a factory that does no I/O, the same call in a sync `def`) must stay quiet.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from core_helpers import Hit

from asyncdoc_tui.config import Config
from asyncdoc_tui.rules import transitive
from asyncdoc_tui.rules.catalog import load_catalog
from asyncdoc_tui.scan.engine import load_project

Run = Callable[..., list[Hit]]

FAMILIES = {
    "sqlalchemy": """
        import asyncio

        from sqlalchemy import select
        from sqlalchemy.ext.asyncio import AsyncSession
        from sqlalchemy.orm import Session, scoped_session, sessionmaker

        from app.models import User

        SessionLocal = sessionmaker()
        db = scoped_session(SessionLocal)

        async def legacy_query(session: Session, user_id: int):
            active = session.query(User).filter(User.active).order_by(User.id)
            page = active.join(User.orders).options().limit(10)
            page.all()  # ! AD106
            active.first()  # ! AD106
            session.query(User).filter_by(id=user_id).one()  # ! AD106
            active.one_or_none()  # ! AD106
            session.query(User.id).scalar()  # ! AD106
            active.count()  # ! AD106
            active.delete()  # ! AD106
            active.update({"active": False})  # ! AD106
            session.query(User).get(user_id)  # ! AD106
            await asyncio.to_thread(page.all)

        async def scoped_proxy(user_id: int):
            db.query(User).filter(User.id == user_id).first()  # ! AD106
            db.add(User())
            db.commit()  # ! AD106
            db.rollback()  # ! AD106
            db.remove()

        async def session_methods(session: Session, user: User):
            session.get(User, 1)  # ! AD106
            session.merge(user)  # ! AD106
            session.refresh(user)  # ! AD106
            session.flush()  # ! AD106
            session.execute(select(User))  # ! AD106
            session.scalars(select(User))  # ! AD106
            session.scalar(select(User.id))  # ! AD106
            session.add(user)

        async def async_session(session: AsyncSession):
            await session.get(User, 1)
            await session.execute(select(User))
            await session.commit()

        def sync_route(session: Session):
            return session.query(User).all()
        """,
    "files": """
        import asyncio
        import bz2
        import glob
        import gzip
        import io
        import lzma
        import os
        import pickle
        import shutil
        import tarfile
        import tempfile
        import zipfile

        async def os_calls(path: str, target: str):
            os.chmod(path, 0o600)  # ! AD104
            os.chown(path, 1000, 1000)  # ! AD104
            os.lstat(path)  # ! AD104
            os.utime(path)  # ! AD104
            os.symlink(path, target)  # ! AD104
            os.link(path, target)  # ! AD104
            os.readlink(target)  # ! AD104
            os.scandir(path)  # ! AD104
            os.listdir(path)  # ! AD104
            os.makedirs(path, exist_ok=True)  # ! AD104
            os.rename(path, target)  # ! AD104
            os.replace(path, target)  # ! AD104
            os.remove(path)  # ! AD104
            os.walk(path)  # ! AD104
            glob.glob("*.txt")  # ! AD104
            glob.iglob("*.txt")  # ! AD104
            shutil.copymode(path, target)  # ! AD104
            await asyncio.to_thread(os.chmod, path, 0o600)
            await asyncio.to_thread(glob.glob, "*.txt")
            os.path.join(path, target)
            os.getpid()

        async def temporary(data: bytes):
            tempfile.TemporaryFile()  # ! AD104
            tempfile.NamedTemporaryFile()  # ! AD104
            scratch = tempfile.TemporaryDirectory()  # ! AD104
            scratch.cleanup()  # ! AD104
            tempfile.mkstemp()  # ! AD104
            tempfile.mkdtemp()  # ! AD104
            spooled = tempfile.SpooledTemporaryFile(max_size=1024)
            spooled.write(data)
            spooled.read()
            await asyncio.to_thread(tempfile.mkdtemp)

        async def archives(path: str, data: bytes):
            zipfile.ZipFile(path)  # ! AD104
            tarfile.open(path)  # ! AD104
            gzip.open(path)  # ! AD104
            bz2.open(path)  # ! AD104
            lzma.open(path)  # ! AD104
            zipfile.ZipFile(io.BytesIO(data))
            buffer = io.BytesIO(data)
            tarfile.open(fileobj=buffer)
            gzip.GzipFile(fileobj=buffer)
            gzip.open(buffer)
            bz2.BZ2File(buffer)
            await asyncio.to_thread(zipfile.ZipFile, path)

        async def pickles(path: str, obj: object, data: bytes):
            with open(path, "rb") as handle:  # ! AD104
                pickle.load(handle)  # ! AD104
            with open(path, "wb") as out:  # ! AD104
                pickle.dump(obj, out)  # ! AD104
            pickle.load(io.BytesIO(data))
            pickle.dump(obj, io.BytesIO())
            pickle.loads(data)
            pickle.dumps(obj)

        def sync_helper(path: str):
            os.chmod(path, 0o600)
            return zipfile.ZipFile(path)
        """,
    "network": """
        import asyncio
        import select
        import selectors
        import socket
        import ssl

        async def sockets(host: str, sock: socket.socket):
            socket.create_connection((host, 443))  # ! AD107
            socket.getaddrinfo(host, 443)  # ! AD107
            select.select([sock], [], [])  # ! AD107
            select.select([sock], [], [], 5)  # ! AD107
            select.select([sock], [], [], 0)
            poller = select.poll()
            poller.register(sock)
            poller.poll(1000)  # ! AD107
            poller.poll(0)
            selector = selectors.DefaultSelector()
            selector.select()  # ! AD107
            selector.select(timeout=0)
            loop = asyncio.get_running_loop()
            await loop.getaddrinfo(host, 443)
            await asyncio.open_connection(host, 443)
            await asyncio.to_thread(socket.create_connection, (host, 443))

        async def tls(host: str, raw: socket.socket):
            context = ssl.create_default_context()
            secure = context.wrap_socket(raw, server_hostname=host)  # ! AD107
            secure.do_handshake()  # ! AD107
            secure.sendall(b"ping")  # ! AD107
            secure.recv(1024)  # ! AD107
            lazy = context.wrap_socket(raw, do_handshake_on_connect=False)
            lazy.settimeout(5)
            lazy.getpeercert()
            secure.close()
            await asyncio.open_connection(host, 443, ssl=context)
        """,
    "waiting": """
        import asyncio
        import concurrent.futures
        import multiprocessing
        import queue
        import threading
        from concurrent.futures import Executor, ThreadPoolExecutor

        async def threads(worker: threading.Thread, items: list):
            worker.join()  # ! AD108
            ready = threading.Event()
            ready.wait()  # ! AD108
            barrier = threading.Barrier(2)
            barrier.wait()  # ! AD108
            ready.set()
            worker.start()
            await asyncio.to_thread(worker.join)

        async def non_blocking_forms(lock: threading.Lock, jobs: queue.Queue):
            lock.acquire()  # ! AD108
            lock.acquire(blocking=False)
            lock.acquire(False)
            jobs.get()  # ! AD108
            jobs.get(block=False)
            jobs.get(False)
            jobs.put(1)  # ! AD108
            jobs.put(1, block=False)
            jobs.put(1, False)
            jobs.get_nowait()

        async def executors(executor: Executor, items: list):
            list(executor.map(str, items))  # ! AD108
            futures = [executor.submit(str, item) for item in items]
            concurrent.futures.wait(futures)  # ! AD108
            concurrent.futures.as_completed(futures)  # ! AD108
            executor.shutdown()  # ! AD108
            executor.shutdown(wait=True)  # ! AD108
            executor.shutdown(False)
            executor.shutdown(wait=False)
            loop = asyncio.get_running_loop()
            await asyncio.gather(*(loop.run_in_executor(executor, str, item) for item in items))
            await asyncio.wrap_future(futures[0])
            own = ThreadPoolExecutor(max_workers=2)
            own.map(str, items)  # ! AD108

        async def processes(items: list):
            child = multiprocessing.Process(target=print)
            child.start()
            child.join()  # ! AD108
            pool = multiprocessing.Pool(4)
            pool.map(str, items)  # ! AD108
            pool.apply(str, (1,))  # ! AD108
            pool.starmap(max, [(1, 2)])  # ! AD108
            pool.imap(str, items)  # ! AD108
            pending = pool.apply_async(str, (1,))
            pending.get()  # ! AD108
            pool.close()
            pool.join()  # ! AD108
            await asyncio.to_thread(pool.join)
        """,
    "redis": """
        import asyncio

        import redis
        import redis.asyncio

        client = redis.Redis()
        aclient = redis.asyncio.Redis()

        async def locks():
            lock = client.lock("report", timeout=10)
            lock.acquire()  # ! AD106
            lock.extend(5)  # ! AD106
            lock.release()  # ! AD106
            await asyncio.to_thread(lock.acquire)
            alock = aclient.lock("report")
            await alock.acquire()
            await alock.release()

        async def pubsub():
            channel = client.pubsub()
            channel.subscribe("events")  # ! AD106
            channel.get_message(timeout=1.0)  # ! AD106
            for message in channel.listen():  # ! AD106
                print(message)
            achannel = aclient.pubsub()
            await achannel.subscribe("events")
            await achannel.get_message(timeout=1.0)
        """,
    "sqlite": """
        import asyncio
        import sqlite3

        import aiosqlite

        async def rows(path: str):
            conn = sqlite3.connect(path)  # ! AD106
            cursor = conn.cursor()
            cursor.execute("select 1")  # ! AD106
            cursor.fetchone()  # ! AD106
            cursor.fetchmany(10)  # ! AD106
            cursor.fetchall()  # ! AD106
            cursor.description
            await asyncio.to_thread(cursor.fetchall)
            async with aiosqlite.connect(path) as adb:
                acursor = await adb.execute("select 1")
                await acursor.fetchall()
        """,
    "streaming": """
        import httpx
        import requests

        async def downloads(url: str, response: requests.Response, plain: httpx.Response, sync: httpx.Client, client: httpx.AsyncClient):
            response.iter_content(chunk_size=8192)  # ! AD102
            response.iter_lines()  # ! AD102
            response.json()
            with sync.stream("GET", url) as streamed:  # ! AD102
                streamed.iter_bytes()  # ! AD102
                streamed.iter_lines()  # ! AD102
                streamed.read()  # ! AD102
            plain.iter_bytes()
            plain.read()
            async with client.stream("GET", url) as astreamed:
                async for chunk in astreamed.aiter_bytes():
                    print(chunk)
                await astreamed.aread()
        """,
}


def expected(source: str) -> list[tuple[int, str]]:
    """(line, code) of every `# ! CODE` marker in a (dedented) source."""
    text = textwrap.dedent(source).lstrip("\n")
    return [(n, line.rsplit("# ! ", 1)[1].strip()) for n, line in enumerate(text.splitlines(), start=1) if "# ! " in line]


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_family_positives_and_safe_twins(blocking_hits: Run, family: str) -> None:
    source = FAMILIES[family]
    hits = blocking_hits({"app/__init__.py": "", "app/models.py": "class User: ...\n", "app/routes.py": source})
    assert [(line, code) for path, line, code in hits if path == "app/routes.py"] == expected(source)


def test_a_blocking_query_behind_a_helper_is_ad201_and_offloading_the_helper_is_not(write: Callable[[dict[str, str]], Path]) -> None:
    root = write(
        {
            "app/__init__.py": "",
            "app/repo.py": """\
from sqlalchemy.orm import Session


def active_users(session: Session) -> list:
    return session.query(object).filter_by(active=True).all()
""",
            "app/routes.py": """\
import asyncio

from sqlalchemy.orm import Session

from app.repo import active_users


async def listing(session: Session):
    return active_users(session)


async def offloaded(session: Session):
    return await asyncio.to_thread(active_users, session)
""",
        }
    )
    project = load_project([root], config=Config(), use_cache=False)
    found = [(f.path, f.line, f.code, [e.line for e in f.evidence]) for f in transitive.check(project)]
    assert found == [("app/routes.py", 9, "AD201", [9, 5])]


def test_catalog_rows_name_only_types_the_catalog_defines() -> None:
    catalog = load_catalog()
    types = set(catalog.safe_methods)  # one key per [types.*] table
    assert set(catalog.bases) | set(catalog.bases.values()) <= types
    for name in catalog.bases:  # a base chain ends (match and returns follow it)
        seen = {name}
        while name in catalog.bases:
            name = catalog.bases[name]
            assert name not in seen
            seen.add(name)
    for entry in [*catalog.calls.values(), *catalog.type_wildcards.values()]:
        for condition in entry.only_if + entry.unless:
            assert condition.position is not None or condition.name, entry.pattern
            assert set(condition.types) <= types, entry.pattern
            assert condition.values or condition.types, entry.pattern


def test_types_and_dunders_for_the_calls_python_makes_implicitly() -> None:
    """What iteration and `with` support will ask the catalog (those calls are found elsewhere)."""
    catalog = load_catalog()
    assert catalog.returns("sqlalchemy.orm.Session.query") == "sqlalchemy.orm.Query"
    assert catalog.returns("sqlalchemy.orm.scoped_session.query") == "sqlalchemy.orm.Query"
    assert catalog.returns("redis.Redis.lock") == "redis.lock.Lock"
    assert catalog.returns("redis.Redis.pubsub") == "redis.client.PubSub"
    assert catalog.match("redis.Redis.lock") is None
    assert catalog.match("redis.Redis.pubsub") is None
    assert catalog.match("sqlalchemy.orm.Session.query") is None
    blocking = {
        "sqlalchemy.orm.Query.__iter__": "AD106",
        "redis.lock.Lock.__enter__": "AD106",
        "redis.lock.Lock.__exit__": "AD106",
        "concurrent.futures.ThreadPoolExecutor.__exit__": "AD108",
        "tempfile.TemporaryDirectory.__exit__": "AD104",
    }
    assert {name: getattr(catalog.match(name), "code", None) for name in blocking} == blocking
