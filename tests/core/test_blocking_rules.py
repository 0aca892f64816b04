"""AD101-AD109 per family: positives are marked `# !`, every other call must stay quiet."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from core_helpers import Hit, lines_of, marked

from asyncdoc_tui.config import Config

Run = Callable[..., list[Hit]]

FAMILIES = {
    "AD101": """
        import time
        from time import sleep as nap

        async def handler():
            time.sleep(1)  # !
            nap(1)  # !

        def sync_handler():
            time.sleep(1)
        """,
    "AD102": """
        import httpx
        import requests
        import urllib.request
        import urllib3

        async def handler(url):
            requests.get(url)  # !
            session = requests.Session()
            session.post(url)  # !
            httpx.get(url)  # !
            with httpx.Client() as client:
                client.get(url)  # !
                client.build_request("GET", url)
            urllib.request.urlopen(url)  # !
            pool = urllib3.PoolManager()
            pool.request("GET", url)  # !
            async with httpx.AsyncClient() as aclient:
                await aclient.get(url)
        """,
    "AD103": """
        import os
        import subprocess

        async def handler():
            subprocess.run(["ls"])  # !
            proc = subprocess.Popen(["ls"])  # !
            proc.wait()  # !
            os.system("ls")  # !
            os.waitpid(0, 0)  # !
            os.getpid()
        """,
    "AD104": """
        import os.path
        import shutil
        from pathlib import Path

        async def handler(name):
            with open(name) as handle:  # !
                handle.read()  # !
            Path(name).read_text()  # !
            os.path.exists(name)  # !
            shutil.rmtree(name)  # !
            os.path.join(name, "x")
            os.path.normpath(name)  # string work only (flake8-async's ASYNC240 reports it)
            Path(name).name
        """,
    "AD105": """
        async def handler():
            return input("? ")  # !
        """,
    "AD106": """
        import sqlite3
        from sqlalchemy import create_engine, inspect
        from sqlalchemy.orm import Session

        engine = create_engine("sqlite://")

        async def handler():
            conn = sqlite3.connect("db")  # !
            conn.execute("select 1")  # !
            with engine.connect() as connection:  # !
                connection.execute("select 1")  # !
            inspect(engine).get_table_names()  # !
            with Session(engine) as session:
                session.add(object())
                session.commit()  # !
        """,
    "AD107": """
        import smtplib
        import socket

        import boto3
        import paramiko

        async def handler():
            smtp = smtplib.SMTP("mail")  # !
            smtp.sendmail("a", "b", "c")  # !
            s3 = boto3.client("s3")
            s3.get_object(Bucket="b", Key="k")  # !
            ssh = paramiko.SSHClient()
            ssh.connect("host")  # !
            socket.getaddrinfo("host", 80)  # !
        """,
    "AD108": """
        import queue
        import threading
        from concurrent.futures import ThreadPoolExecutor

        lock = threading.Lock()
        jobs = queue.Queue()

        async def handler(pool: ThreadPoolExecutor):
            lock.acquire()  # !
            jobs.get()  # !
            threading.Event().wait()  # !
            pool.submit(print).result()  # !
            lock.release()
            jobs.qsize()
        """,
}


@pytest.mark.parametrize("code", sorted(FAMILIES))
def test_family_positives_and_negatives(blocking_hits: Run, code: str) -> None:
    source = FAMILIES[code]
    hits = blocking_hits({"app.py": source})
    assert lines_of(hits) == marked(source)
    assert {c for _, _, c in hits} == {code}


def test_configured_blocking_calls_are_ad109(blocking_hits: Run) -> None:
    source = """
        import legacy
        from legacy import fetch as get_it

        async def handler():
            legacy.fetch(1)  # !
            get_it(2)  # !
            await legacy.fetch(3)
            legacy.other()
        """
    config = Config(blocking=(("legacy.fetch", "use legacy.afetch"),))
    hits = blocking_hits({"app.py": source}, config)
    assert lines_of(hits) == marked(source)
    assert {c for _, _, c in hits} == {"AD109"}


OFFLOADED = """
    import asyncio
    import functools
    import time
    from concurrent.futures import ThreadPoolExecutor

    import anyio
    import requests
    from starlette.concurrency import run_in_threadpool

    executor = ThreadPoolExecutor()

    async def handler(url):
        await asyncio.to_thread(time.sleep, 1)
        await asyncio.to_thread(requests.get, url)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, time.sleep, 1)
        await loop.run_in_executor(None, functools.partial(requests.get, url, timeout=5))
        await loop.run_in_executor(None, lambda: requests.get(url))
        await anyio.to_thread.run_sync(time.sleep, 1)
        await run_in_threadpool(requests.get, url)
        executor.submit(time.sleep, 1)
        await asyncio.sleep(1)
    """


def test_callables_passed_to_offload_apis_are_not_calls(blocking_hits: Run) -> None:
    assert blocking_hits({"app.py": OFFLOADED}) == []


def test_async_context_is_the_innermost_function(blocking_hits: Run) -> None:
    source = """
        import time

        async def outer():
            def helper():
                time.sleep(1)

            callback = lambda: time.sleep(1)

            async def inner():
                time.sleep(1)  # !

            class Local:
                def method(self):
                    time.sleep(1)

            time.sleep(1)  # !

        def sync_outer():
            async def inner():
                time.sleep(1)  # !
        """
    assert lines_of(blocking_hits({"app.py": source})) == marked(source)


def test_awaited_async_apis_are_quiet_but_a_sync_call_awaited_wrongly_is_not(blocking_hits: Run) -> None:
    source = """
        import asyncio
        import time

        import httpx

        async def handler(url):
            await asyncio.sleep(1)
            async with httpx.AsyncClient() as client:
                await client.get(url)
            await time.sleep(1)  # !
        """
    assert lines_of(blocking_hits({"app.py": source})) == marked(source)


def test_local_shadowing_hides_the_builtin_and_the_module(blocking_hits: Run) -> None:
    source = """
        import time

        def open(name):
            return name

        async def handler(time_source):
            open("x")
            time = time_source
            time.sleep(1)

        async def other():
            input = print
            input("x")
        """
    assert blocking_hits({"app.py": source}) == []


def test_generic_methods_on_unknown_receivers_are_quiet(blocking_hits: Run) -> None:
    source = """
        async def handler(cache, rows, response):
            values = {}
            values.get("key")
            cache.get("key")
            rows.read()
            response.json()
            some_object().close()
        """
    assert blocking_hits({"app.py": source}) == []
