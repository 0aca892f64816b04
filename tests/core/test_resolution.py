"""Name resolution behind the blocking rules (DESIGN §2): each case a small project."""

from __future__ import annotations

from collections.abc import Callable

from core_helpers import Hit, lines_of, marked

Run = Callable[..., list[Hit]]


def test_import_aliases_module_and_function_level(blocking_hits: Run) -> None:
    source = """
        import requests as rq
        from subprocess import run as sh

        async def handler(url):
            rq.get(url)  # !
            sh(["ls"])  # !
            import time as clock
            clock.sleep(1)  # !
        """
    assert lines_of(blocking_hits({"app.py": source})) == marked(source)


def test_names_re_exported_by_project_init(blocking_hits: Run) -> None:
    hits = blocking_hits(
        {
            "app/__init__.py": "from app.http import fetch, session\n",
            "app/http.py": """
                import requests
                from requests import get as fetch

                session = requests.Session()
                """,
            "app/routes.py": """
                from app import fetch, session
                import app

                async def handler(url):
                    fetch(url)
                    session.get(url)
                    app.session.post(url)
                """,
        }
    )
    assert [(p, line) for p, line, _ in hits] == [("app/routes.py", 5), ("app/routes.py", 6), ("app/routes.py", 7)]


def test_module_level_instances_imported_from_another_project_module(blocking_hits: Run) -> None:
    hits = blocking_hits(
        {
            "app/__init__.py": "",
            "app/db.py": """
                from sqlalchemy import create_engine

                def make_engine():
                    return create_engine("sqlite://")

                engine = make_engine()
                """,
            "app/routes.py": """
                from app.db import engine

                async def handler():
                    with engine.connect() as connection:
                        connection.execute("select 1")
                    engine.dispose()
                """,
        }
    )
    assert hits == [("app/routes.py", 4, "AD106"), ("app/routes.py", 5, "AD106")]


def test_self_attribute_assigned_from_a_factory_in_the_class(blocking_hits: Run) -> None:
    source = """
        import requests

        class Client:
            def __init__(self):
                self.http = requests.Session()
                self.name = "x"

            async def fetch(self, url):
                self.http.get(url)  # !
                self.name.upper()

        class Derived(Client):
            async def again(self, url):
                return self.http.post(url)  # !
        """
    assert lines_of(blocking_hits({"app.py": source})) == marked(source)


def test_annotated_parameters_plain_optional_and_union_with_none(blocking_hits: Run) -> None:
    source = """
        from typing import Optional

        import httpx
        from sqlalchemy.orm import Session

        async def a(client: httpx.Client):
            client.get("u")  # !

        async def b(client: Optional[httpx.Client] = None):
            client.get("u")  # !

        async def c(client: httpx.Client | None):
            client.get("u")  # !

        async def d(client: None | httpx.Client, session: "Session"):
            client.post("u")  # !
            session.execute("select 1")  # !

        async def e(client: httpx.AsyncClient):
            await client.get("u")
        """
    assert lines_of(blocking_hits({"app.py": source})) == marked(source)


def test_unbound_root_names_are_taken_as_modules(blocking_hits: Run) -> None:
    source = """
        async def handler():
            subprocess.run(["ls"])  # !
            time.sleep(1)  # !
            mystery.sleep(1)
        """
    assert lines_of(blocking_hits({"app.py": source})) == marked(source)


def test_factory_return_types_flow_through_assignments_and_with(blocking_hits: Run) -> None:
    source = """
        import requests

        def new_session() -> requests.Session:
            return requests.Session()

        async def handler(url):
            s = requests.Session()
            s.get(url)  # !
            t = new_session()
            t.get(url)  # !
            with open("f") as handle:  # !
                handle.write("x")  # !
            alias = handle
            alias.flush()  # !
        """
    assert lines_of(blocking_hits({"app.py": source})) == marked(source)
