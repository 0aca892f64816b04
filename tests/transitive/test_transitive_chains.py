"""AD201: blocking code reached through the project's own functions."""

from __future__ import annotations

from asyncdoc_tui.rules import transitive

SERVICES = """
import time


def _slow_backoff():
    time.sleep(1)


def load_user(uid):
    _slow_backoff()
    return uid
"""


def hops(finding):
    return [f"{e.path}:{e.line}" for e in finding.evidence]


def test_alias_import_reports_the_whole_chain(ad201):
    findings = ad201(
        {
            "app/__init__.py": "",
            "app/services.py": SERVICES,
            "app/main.py": """
                from app.services import load_user as load

                async def handler():
                    return load(1)
            """,
        }
    )
    [finding] = findings
    assert finding.code == "AD201"
    assert (finding.path, finding.line, finding.col) == ("app/main.py", 4, 12)
    assert finding.message == (
        "`load()` blocks the event loop in `handler`: it calls `time.sleep` (app/services.py:5)"
        " via `_slow_backoff` (called at app/services.py:9)"
    )
    assert hops(finding) == ["app/main.py:4", "app/services.py:9", "app/services.py:5"]
    assert finding.alternative == "await asyncio.sleep(seconds)"
    assert finding.extras["category"] == "sleep"
    assert finding.extras["sink"] == {"code": "AD101", "call": "time.sleep", "path": "app/services.py", "line": 5}
    assert "entry" not in finding.extras


def test_module_attribute_call(ad201):
    [finding] = ad201(
        {
            "app/__init__.py": "",
            "app/services.py": SERVICES,
            "app/main.py": """
                from app import services

                async def handler():
                    return services.load_user(1)
            """,
        }
    )
    assert finding.message.startswith("`services.load_user()` blocks the event loop")


def test_three_modules_deep(ad201):
    [finding] = ad201(
        {
            "app/__init__.py": "",
            "app/a.py": """
                from app.b import step_b

                async def handler():
                    step_b()
            """,
            "app/b.py": """
                from app import c

                def step_b():
                    c.step_c()
            """,
            "app/c.py": """
                from app.d import step_d as final

                def step_c():
                    final()
            """,
            "app/d.py": """
                import subprocess

                def step_d():
                    subprocess.run(["true"])
            """,
        }
    )
    assert hops(finding) == ["app/a.py:4", "app/b.py:4", "app/c.py:4", "app/d.py:4"]
    assert finding.extras["chain"] == ["app.a.handler", "app.b.step_b", "app.c.step_c", "app.d.step_d"]
    assert finding.extras["category"] == "subprocess"
    assert "via `step_c` (called at app/b.py:4), `step_d` (called at app/c.py:4)" in finding.message


def test_package_reexport(ad201):
    [finding] = ad201(
        {
            "app/__init__.py": "",
            "app/services/__init__.py": "from app.services.users import load_user\n",
            "app/services/users.py": SERVICES,
            "app/main.py": """
                from app.services import load_user

                async def handler():
                    load_user(1)
            """,
        }
    )
    assert finding.evidence[-1].path == "app/services/users.py"


def test_methods_through_self_and_inheritance(ad201):
    [finding] = ad201(
        {
            "app/__init__.py": "",
            "app/store.py": """
                import requests

                class Base:
                    def get(self, uid):
                        return requests.get(f"https://users/{uid}")

                class Store(Base):
                    def fetch(self, uid):
                        return self.get(uid)
            """,
            "app/main.py": """
                from app.store import Store

                async def handler():
                    store = Store()
                    return store.fetch(1)
            """,
        }
    )
    assert finding.extras["chain"] == ["app.main.handler", "app.store.Store.fetch", "app.store.Base.get"]
    assert finding.extras["sink"]["call"] == "requests.get"
    assert finding.extras["category"] == "http"


def test_instantiation_runs_init(ad201):
    [finding] = ad201(
        {
            "app/client.py": """
                import socket

                class Client:
                    def __init__(self, host):
                        self.conn = socket.create_connection((host, 80))
            """,
            "app/main.py": """
                from app.client import Client

                async def handler():
                    Client("example.com")
            """,
        }
    )
    assert finding.extras["chain"] == ["app.main.handler", "app.client.Client.__init__"]


def test_partial_called_later(ad201):
    [finding] = ad201(
        {
            "app/main.py": """
                import functools
                import time

                def pause(seconds):
                    time.sleep(seconds)

                async def handler():
                    later = functools.partial(pause, 2)
                    later()
            """,
        }
    )
    assert finding.line == 9


def test_staticmethod_classmethod_annotation_and_attribute(ad201):
    findings = ad201(
        {
            "app/repo.py": """
                import sqlite3

                class Repo:
                    @staticmethod
                    def connect():
                        return sqlite3.connect("db")

                    @classmethod
                    def open(cls):
                        return cls.connect()

                class Service:
                    def __init__(self):
                        self.repo = Repo()

                    def load(self):
                        return self.repo.open()
            """,
            "app/main.py": """
                from app.repo import Repo, Service

                async def by_class():
                    Repo.open()

                async def by_annotation(service: Service):
                    service.load()

                class Holder:
                    service: Service

                async def by_attribute(holder: Holder):
                    holder.service.load()
            """,
        }
    )
    assert [f.line for f in findings] == [4, 7, 13]
    assert findings[0].extras["chain"] == ["app.main.by_class", "app.repo.Repo.open", "app.repo.Repo.connect"]


def test_return_type_of_project_function(ad201):
    [finding] = ad201(
        {
            "app/repo.py": """
                import time

                class Repo:
                    def load(self):
                        time.sleep(1)

                def get_repo() -> Repo:
                    return Repo()
            """,
            "app/main.py": """
                from app.repo import get_repo

                async def handler():
                    get_repo().load()
            """,
        }
    )
    assert finding.extras["chain"][-1] == "app.repo.Repo.load"


def test_super_call(ad201):
    [finding] = ad201(
        {
            "app/main.py": """
                import time

                class Base:
                    def save(self):
                        time.sleep(1)

                class Child(Base):
                    def save(self):
                        super().save()

                async def handler(item: Child):
                    item.save()
            """,
        }
    )
    assert finding.extras["chain"] == ["app.main.handler", "app.main.Child.save", "app.main.Base.save"]


def test_transparent_and_opaque_decorators(ad201, project_of):
    files = {
        "app/main.py": """
            import functools
            import time

            import tenacity

            def logged(fn):
                @functools.wraps(fn)
                def wrapper(*args, **kwargs):
                    return fn(*args, **kwargs)
                return wrapper

            @functools.lru_cache(maxsize=None)
            def cached():
                time.sleep(1)

            @logged
            def wrapped():
                time.sleep(1)

            @tenacity.retry
            def retried():
                time.sleep(1)

            async def handler():
                cached()
                wrapped()
                retried()
        """,
    }
    findings = ad201(files)
    assert [f.line for f in findings] == [25, 26]
    reasons = {(u.call.text, u.reason) for u in transitive.unresolved_calls(project_of(files))}
    assert ("retried", "decorated by a function asyncdoc cannot see through") in reasons


def test_nested_function(ad201):
    [finding] = ad201(
        {
            "app/main.py": """
                import time

                def outer():
                    def inner():
                        time.sleep(1)
                    inner()

                async def handler():
                    outer()
            """,
        }
    )
    assert finding.extras["chain"] == ["app.main.handler", "app.main.outer", "app.main.outer.<locals>.inner"]


def test_offloaded_chains_are_not_reported(ad201):
    assert ad201(
        {
            "app/main.py": """
                import asyncio
                import functools
                import time

                from starlette.concurrency import run_in_threadpool

                def helper(seconds=1):
                    time.sleep(seconds)

                async def handler():
                    await asyncio.to_thread(helper)
                    await asyncio.to_thread(functools.partial(helper, 2))
                    loop = asyncio.get_running_loop()
                    await loop.run_in_executor(None, helper)
                    await run_in_threadpool(helper, 3)
                    await asyncio.to_thread(lambda: helper(4))
            """,
        }
    ) == []


def test_sync_routes_and_dependencies_are_not_reported(ad201):
    assert ad201(
        {
            "app/main.py": """
                import time

                from fastapi import Depends, FastAPI

                app = FastAPI()

                def slow():
                    time.sleep(1)

                def get_db():
                    slow()
                    return 1

                @app.get("/items")
                def items(db=Depends(get_db)):
                    slow()
                    return []
            """,
        }
    ) == []


def test_awaited_async_helpers_are_analysed_on_their_own(ad201):
    assert ad201(
        {
            "app/main.py": """
                import time

                async def helper():
                    time.sleep(1)

                async def handler():
                    await helper()
            """,
        }
    ) == []


def test_recursion_terminates(ad201):
    findings = ad201(
        {
            "app/main.py": """
                import time

                def ping(n):
                    return pong(n - 1) if n else ping(n)

                def pong(n):
                    if n > 10:
                        time.sleep(1)
                    return ping(n)

                def spin(n):
                    return spin(n + 1)

                async def handler():
                    ping(3)
                    spin(0)
            """,
        }
    )
    assert [f.line for f in findings] == [15]
    assert findings[0].extras["chain"] == ["app.main.handler", "app.main.ping", "app.main.pong"]


def test_shortest_witness_is_kept(ad201):
    [finding] = ad201(
        {
            "app/main.py": """
                import time

                def deep():
                    deeper()

                def deeper():
                    time.sleep(1)

                def helper():
                    deep()
                    time.sleep(2)

                async def handler():
                    helper()
            """,
        }
    )
    assert finding.extras["chain"] == ["app.main.handler", "app.main.helper"]
    assert finding.extras["sink"]["line"] == 11


def test_vouched_sink_is_not_followed(ad201):
    assert ad201(
        {
            "app/main.py": """
                import time

                def tiny_pause():
                    time.sleep(0.001)  # asyncdoc: ignore

                async def handler():
                    tiny_pause()
            """,
        }
    ) == []


def test_unresolved_dynamic_dispatch_is_counted_not_guessed(ad201, project_of):
    files = {
        "app/main.py": """
            import time

            def slow():
                time.sleep(1)

            HANDLERS = {"slow": slow}

            class Box:
                pass

            def relay(callback):
                callback()

            async def handler(name, box: Box):
                HANDLERS[name]()
                box.missing()
                relay(slow)
        """,
    }
    assert ad201(files) == []
    found = sorted((u.call.line, u.reason) for u in transitive.unresolved_calls(project_of(files)))
    assert found == [
        (12, "receiver of unknown type"),
        (15, "receiver of unknown type"),
        (16, "attribute not found on a project module or class"),
    ]


def test_return_types_flow_across_modules_to_a_sync_engine(ad201):
    [finding] = ad201(
        {
            "app/__init__.py": "",
            "app/db.py": """
                from sqlalchemy import create_engine

                def make_engine():
                    return create_engine("sqlite://")
            """,
            "app/state.py": """
                from app.db import make_engine

                engine = make_engine()
            """,
            "app/schema.py": """
                from sqlalchemy import inspect

                from app.state import engine

                def schemas():
                    return inspect(engine).get_schema_names()
            """,
            "app/main.py": """
                from app.schema import schemas

                async def handler():
                    return schemas()
            """,
        }
    )
    assert finding.extras["sink"]["path"] == "app/schema.py"
    assert finding.extras["category"] == "database"


def test_calling_an_instance_runs_dunder_call(ad201):
    [finding] = ad201(
        {
            "app/main.py": """
                import time

                class Throttle:
                    def __call__(self):
                        time.sleep(1)

                throttle = Throttle()

                async def handler():
                    throttle()
            """,
        }
    )
    assert finding.extras["chain"] == ["app.main.handler", "app.main.Throttle.__call__"]


def test_route_decorators_return_the_function_unchanged(ad201):
    [finding] = ad201(
        {
            "app/main.py": """
                import time

                from fastapi import APIRouter

                router = APIRouter()

                @router.get("/legacy")
                def legacy():
                    time.sleep(1)

                async def handler():
                    return legacy()
            """,
        }
    )
    assert finding.extras["chain"] == ["app.main.handler", "app.main.legacy"]


def test_cycles_in_bases_bindings_and_decorators_end(ad201):
    findings = ad201(
        {
            "app/__init__.py": "",
            "app/a.py": """
                import time

                from app import b

                helper = b.helper

                class A(b.B):
                    def run(self):
                        self.run()

                def deco(fn):
                    return deco(fn)

                @deco
                def wrapped():
                    time.sleep(1)

                async def handler(item: A):
                    item.run()
                    helper()
                    wrapped()
            """,
            "app/b.py": """
                from app import a

                helper = a.helper

                class B(a.A):
                    pass
            """,
        }
    )
    assert findings == []


def test_a_wraps_wrapper_that_blocks_is_part_of_the_call(ad201):
    [finding] = ad201(
        {
            "app/main.py": """
                import functools
                import time

                def retry(times):
                    def decorator(fn):
                        @functools.wraps(fn)
                        def wrapper(*args, **kwargs):
                            for _ in range(times):
                                time.sleep(0.5)
                            return fn(*args, **kwargs)
                        return wrapper
                    return decorator

                @retry(3)
                def fetch():
                    return 1

                async def handler():
                    return fetch()
            """,
        }
    )
    assert finding.extras["chain"] == ["app.main.handler", "app.main.retry.<locals>.decorator.<locals>.wrapper"]
    assert "via" not in finding.message



def test_the_strongest_sink_is_reported_and_the_others_listed(ad201):
    """A path lookup first and a network call later: the network call is what persuades."""
    [finding] = ad201(
        {
            "app/__init__.py": "",
            "app/config.py": """
                import os
                import requests

                def _home():
                    return os.path.expanduser("~")

                def sync_settings(url):
                    home = _home()
                    requests.post(url, json={"home": home})
                    with open(os.path.join(home, ".cfg"), "w") as out:
                        out.write("synced")
            """,
            "app/jobs.py": """
                from app.config import sync_settings

                async def refresh(url):
                    sync_settings(url)
            """,
        }
    )
    assert finding.message == (
        "`sync_settings()` blocks the event loop in `refresh`: it calls `requests.post` (app/config.py:9)"
    )
    also = [e.note for e in finding.evidence if e.note.startswith("also: ")]
    assert also == ["also: `sync_settings` calls `open()` (AD104)", "also: `sync_settings` calls `file.write()` (AD104)"]


def test_a_helper_called_to_build_a_raised_exception_is_a_warning_on_the_error_path(ad201):
    [finding] = ad201(
        {
            "app/__init__.py": "",
            "app/static.py": """
                import os

                def resolved(path):
                    return os.path.realpath(path)

                async def fallback(path):
                    if not path:
                        raise RuntimeError(f"missing fallback in {resolved(path)}")
                    return path
            """,
        }
    )
    assert finding.severity.value == "warning"
    assert finding.message.startswith(
        "`resolved()` blocks the event loop in `fallback` while building the exception it raises: it calls `os.path.realpath`"
    )
