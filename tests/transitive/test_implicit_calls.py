"""Calls Python makes without a call expression: `with` (enter/exit) and iteration.

Each family: the blocking case in an `async def`, its safe twin (offloaded, async, or a
class whose dunder does not block), and the same case reached through a sync helper
(AD201, with the implicit call named in the chain).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from asyncdoc_tui.model import Finding
from asyncdoc_tui.rules import blocking, patterns, transitive
from asyncdoc_tui.scan.engine import load_project, rescan_paths
from asyncdoc_tui.scan.project import Project

ProjectOf = Callable[[dict[str, str]], Project]

LOCKS = """
import time


class FileLock:
    def __init__(self, path):
        self.path = path

    def __enter__(self):
        time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        return None


class SlowRelease:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        time.sleep(0.05)


class Quiet:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None
"""

PAGES = """
import requests


class Pages:
    def __init__(self, url):
        self.url = url

    def __iter__(self):
        for n in range(3):
            yield requests.get(self.url, params={"page": n})


class Cursor:
    def __iter__(self):
        return self

    def __next__(self):
        return requests.get("https://api.example.com/next")


class Cached:
    def __iter__(self):
        return iter([1, 2, 3])


def rows(url):
    yield from requests.get(url).json()
"""


@pytest.fixture
def scan(project_of: ProjectOf) -> Callable[[dict[str, str]], list[Finding]]:
    """AD1xx and AD201 findings of a project, in report order."""

    def run(files: dict[str, str]) -> list[Finding]:
        project = project_of({"app/__init__.py": "", "app/locks.py": LOCKS, "app/pages.py": PAGES, **files})
        found = [*blocking.check(project), *transitive.check(project)]
        return sorted(found, key=lambda f: f.sort_key)

    return run


def where(finding: Finding) -> tuple[str, str, int, int]:
    return finding.code, finding.path, finding.line, finding.col


# ---- with: a project context manager ------------------------------------------------
def test_entering_a_project_context_manager_that_blocks(scan) -> None:
    [finding] = scan(
        {
            "app/main.py": """
                from app.locks import FileLock

                async def save(path):
                    with FileLock(path):
                        return path
            """
        }
    )
    assert where(finding) == ("AD201", "app/main.py", 4, 10)
    assert finding.message == (
        "entering `with FileLock(path)` runs `FileLock.__enter__`, which calls `time.sleep` (app/locks.py:9)"
        ": this blocks the event loop in `save`"
    )
    assert [e.note for e in finding.evidence] == [
        "`save` enters `with FileLock(path)` (runs `FileLock.__enter__`)",
        "`FileLock.__enter__` calls `time.sleep()` (AD101, sleep)",
    ]
    assert finding.extras["implicit"] == "enter"
    assert finding.fixes == ()


def test_leaving_a_project_context_manager_that_blocks(scan) -> None:
    [finding] = scan(
        {
            "app/main.py": """
                from app.locks import SlowRelease

                async def save():
                    with SlowRelease() as held:
                        return held
            """
        }
    )
    assert where(finding) == ("AD201", "app/main.py", 4, 10)
    assert finding.message.startswith("leaving `with SlowRelease()` runs `SlowRelease.__exit__`, which calls `time.sleep`")


def test_context_manager_safe_twins(scan) -> None:
    assert (
        scan(
            {
                "app/main.py": """
                    import asyncio
                    import contextlib

                    from app.locks import FileLock, Quiet

                    def save_locked(path):
                        with FileLock(path):
                            return path

                    @contextlib.asynccontextmanager
                    async def session():
                        yield 1

                    async def save(path):
                        with Quiet():
                            pass
                        async with session():
                            pass
                        return await asyncio.to_thread(save_locked, path)
                """
            }
        )
        == []
    )


def test_context_manager_entered_in_a_helper(scan) -> None:
    [finding] = scan(
        {
            "app/store.py": """
                from app.locks import FileLock

                def write(path, data):
                    with FileLock(path):
                        return len(data)
            """,
            "app/main.py": """
                from app.store import write

                async def upload(data):
                    return write("/tmp/x", data)
            """,
        }
    )
    assert where(finding) == ("AD201", "app/main.py", 4, 12)
    assert finding.message == (
        "`write()` blocks the event loop in `upload`: it calls `time.sleep` (app/locks.py:9) via `FileLock.__enter__` (called at app/store.py:4)"
    )
    assert [e.note for e in finding.evidence][1] == "`write` enters `with FileLock(path)` (runs `FileLock.__enter__`)"


def test_contextmanager_generator_body_runs_on_entry_only(scan) -> None:
    findings = scan(
        {
            "app/db.py": """
                import contextlib
                import time

                @contextlib.contextmanager
                def transaction():
                    time.sleep(0.01)
                    yield
            """,
            "app/main.py": """
                from app.db import transaction

                async def made_only():
                    return transaction()

                async def entered():
                    with transaction():
                        pass
            """,
        }
    )
    assert [where(f) for f in findings] == [("AD201", "app/main.py", 7, 10)]
    assert findings[0].message.startswith("entering `with transaction()` runs `transaction`, which calls `time.sleep`")


# ---- with: library context managers --------------------------------------------------
def test_thread_lock_entered_in_async_code(scan) -> None:
    [finding] = scan(
        {
            "app/main.py": """
                import threading

                class Counter:
                    def __init__(self):
                        self._lock = threading.RLock()
                        self.n = 0

                    async def bump(self):
                        with self._lock:
                            self.n += 1
            """
        }
    )
    assert where(finding) == ("AD108", "app/main.py", 9, 14)
    assert finding.message == (
        "entering `with self._lock` runs `threading.RLock.__enter__`, which blocks the event loop"
        " in async function `Counter.bump`: sync waiting primitive in async function"
    )
    assert finding.fixes == ()


@pytest.mark.parametrize("ctor", ["threading.Lock()", "threading.Semaphore(2)", "threading.BoundedSemaphore(2)", "threading.Condition()"])
def test_every_thread_primitive_blocks_on_entry(scan, ctor: str) -> None:
    [finding] = scan(
        {
            "app/main.py": f"""
                import threading

                guard = {ctor}

                async def handler():
                    with guard:
                        return 1
            """
        }
    )
    assert where(finding) == ("AD108", "app/main.py", 6, 10)


def test_thread_lock_safe_twins(scan) -> None:
    assert (
        scan(
            {
                "app/main.py": """
                    import asyncio
                    import threading

                    guard = threading.Lock()
                    alock = asyncio.Lock()

                    def locked_sync():
                        with guard:
                            return 1

                    async def handler():
                        made = threading.Lock()
                        async with alock:
                            pass
                        return await asyncio.to_thread(locked_sync), made
                """
            }
        )
        == []
    )


def test_thread_lock_entered_in_a_helper(scan) -> None:
    [finding] = scan(
        {
            "app/main.py": """
                import threading

                guard = threading.Lock()

                def locked():
                    with guard:
                        return 1

                async def handler():
                    return locked()
            """
        }
    )
    assert where(finding) == ("AD201", "app/main.py", 10, 12)
    assert finding.message == "`locked()` blocks the event loop in `handler`: it calls `threading.Lock.__enter__` (app/main.py:6)"
    assert finding.evidence[-1].note == "`locked` enters `with guard` (runs `threading.Lock.__enter__`) (AD108, sync-primitive)"


def test_thread_pool_left_in_async_code(scan) -> None:
    [finding] = scan(
        {
            "app/main.py": """
                from concurrent.futures import ThreadPoolExecutor

                async def crunch(items):
                    with ThreadPoolExecutor(max_workers=4) as pool:
                        futures = [pool.submit(len, i) for i in items]
                    return futures
            """
        }
    )
    assert where(finding) == ("AD108", "app/main.py", 4, 10)
    assert finding.message.startswith(
        "leaving `with ThreadPoolExecutor(max_workers=4)` runs `concurrent.futures.ThreadPoolExecutor.__exit__`, which blocks"
    )


def test_thread_pool_safe_twin_and_helper(scan) -> None:
    findings = scan(
        {
            "app/main.py": """
                import asyncio
                from concurrent.futures import ThreadPoolExecutor

                POOL = ThreadPoolExecutor(max_workers=4)

                def crunch_all(items):
                    with ThreadPoolExecutor() as pool:
                        return list(pool.map(len, items))

                async def shared(items):
                    return await asyncio.get_running_loop().run_in_executor(POOL, len, items)

                async def offloaded(items):
                    return await asyncio.to_thread(crunch_all, items)

                async def nested(items):
                    return crunch_all(items)
            """
        }
    )
    assert [where(f) for f in findings] == [("AD201", "app/main.py", 17, 12)]
    assert any(e.note.startswith("`crunch_all` leaves `with ThreadPoolExecutor()`") for e in findings[0].evidence)


def test_closing_runs_close_on_exit(scan) -> None:
    findings = scan(
        {
            "app/feed.py": """
                import contextlib
                import time

                class Feed:
                    def close(self):
                        time.sleep(0.01)

                class Memory:
                    def close(self):
                        return None

                async def drain():
                    with contextlib.closing(Feed()) as feed:
                        return feed

                async def drain_memory():
                    with contextlib.closing(Memory()) as buffer:
                        return buffer

                def drain_sync():
                    with contextlib.closing(Feed()):
                        return 1

                async def drain_nested():
                    return drain_sync()
            """
        }
    )
    assert [where(f) for f in findings] == [("AD201", "app/feed.py", 13, 10), ("AD201", "app/feed.py", 25, 12)]
    assert findings[0].message.startswith("leaving `with contextlib.closing(Feed())` runs `Feed.close`, which calls `time.sleep`")
    assert findings[1].evidence[1].note == "`drain_sync` leaves `with contextlib.closing(Feed())` (runs `Feed.close`)"


def test_exit_stack_enter_context(scan) -> None:
    findings = scan(
        {
            "app/main.py": """
                import contextlib

                from app.locks import FileLock, Quiet

                async def many(paths):
                    with contextlib.ExitStack() as stack:
                        stack.enter_context(Quiet())
                        stack.enter_context(FileLock(paths[0]))
            """
        }
    )
    assert [where(f) for f in findings] == [("AD201", "app/main.py", 8, 9)]
    assert findings[0].message.startswith("entering `stack.enter_context(FileLock(paths[0]))` runs `FileLock.__enter__`")


# ---- iteration ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "col"),
    [
        ("    for page in Pages(url):\n        print(page)", 17),
        ("    return [p.status_code for p in Pages(url)]", 36),
        ("    return {p: 1 for p in Pages(url)}", 27),
        ("    return list(Pages(url))", 17),
        ("    return sorted(Pages(url), key=id)", 19),
        ("    return any(Pages(url))", 16),
        ("    first, *rest = Pages(url)\n    return first", 20),
        ("    print(*Pages(url))", 12),
        ("    return next(iter(Pages(url)))", 22),
        ("    return tuple(Pages(url)), set(), dict()", 18),
    ],
)
def test_iterating_a_project_iterable_that_blocks(scan, line: str, col: int) -> None:
    [finding] = scan({"app/main.py": f"from app.pages import Pages\n\n\nasync def handler(url):\n{line}\n"})
    assert where(finding) == ("AD201", "app/main.py", 5, col)
    assert finding.message == (
        "iterating `Pages(url)` runs `Pages.__iter__`, which calls `requests.get` (app/pages.py:10): this blocks the event loop in `handler`"
    )
    assert finding.extras["implicit"] == "iter"


def test_iterator_class_runs_next(scan) -> None:
    [finding] = scan(
        {
            "app/main.py": """
                from app.pages import Cursor

                async def handler():
                    return [row for row in Cursor()]
            """
        }
    )
    assert where(finding) == ("AD201", "app/main.py", 4, 28)
    assert finding.message.startswith("iterating `Cursor()` runs `Cursor.__next__`, which calls `requests.get`")


def test_next_on_a_project_iterator(scan) -> None:
    [finding] = scan(
        {
            "app/main.py": """
                from app.pages import Cursor

                async def handler(cursor: Cursor):
                    return next(cursor)
            """
        }
    )
    assert where(finding) == ("AD201", "app/main.py", 4, 12)
    assert finding.message.startswith("`next(cursor)` runs `Cursor.__next__`, which calls `requests.get`")


def test_iteration_safe_twins(scan) -> None:
    assert (
        scan(
            {
                "app/main.py": """
                    import asyncio

                    from app.pages import Cached, Pages, rows

                    def all_pages(url):
                        return list(Pages(url))

                    async def handler(url, unknown):
                        made = Pages(url)
                        pending = rows(url)
                        await asyncio.to_thread(lambda: list(made))
                        await asyncio.to_thread(all_pages, url)
                        for item in unknown:
                            print(item)
                        return [n for n in Cached()], pending
                """
            }
        )
        == []
    )


def test_iterated_in_a_helper(scan) -> None:
    [finding] = scan(
        {
            "app/report.py": """
                from app.pages import Pages

                def count(url):
                    return sum(1 for _ in Pages(url))
            """,
            "app/main.py": """
                from app.report import count

                async def handler(url):
                    return count(url)
            """,
        }
    )
    assert where(finding) == ("AD201", "app/main.py", 4, 12)
    assert finding.message == (
        "`count()` blocks the event loop in `handler`: it calls `requests.get` (app/pages.py:10) via `Pages.__iter__` (called at app/report.py:4)"
    )
    assert finding.evidence[1].note == "`count` iterates `Pages(url)` (runs `Pages.__iter__`)"


# ---- generator functions: the body runs when iterated ----------------------------------
def test_generator_called_but_not_iterated_is_not_a_finding(scan) -> None:
    assert (
        scan(
            {
                "app/main.py": """
                    from app.pages import rows

                    async def handler(url):
                        stream = rows(url)
                        return stream
                """
            }
        )
        == []
    )


def test_generator_iterated_in_async_code(scan) -> None:
    [finding] = scan(
        {
            "app/main.py": """
                from app.pages import rows

                async def handler(url):
                    return sum(rows(url))
            """
        }
    )
    assert where(finding) == ("AD201", "app/main.py", 4, 16)
    assert finding.message.startswith("iterating `rows(url)` runs `rows`, which calls `requests.get` (app/pages.py:27)")


def test_generator_method_and_yield_from_in_a_helper(scan) -> None:
    [finding] = scan(
        {
            "app/main.py": """
                from app.pages import rows

                class Export:
                    def lines(self, url):
                        yield from rows(url)

                async def handler(url):
                    export = Export()
                    return [line for line in export.lines(url)]
            """
        }
    )
    assert where(finding) == ("AD201", "app/main.py", 9, 30)
    assert [e.note for e in finding.evidence][:2] == [
        "`handler` iterates `export.lines(url)` (runs `Export.lines`)",
        "`Export.lines` iterates `rows(url)` (runs `rows`)",
    ]


# ---- construction: __new__, __post_init__, validators -----------------------------------
MODELS = """
import dataclasses
import time

import pydantic
from pydantic import BaseModel, field_validator, model_validator


def lookup(name):
    time.sleep(0.01)
    return name


class Token:
    def __new__(cls, raw):
        lookup(raw)
        return super().__new__(cls)


@dataclasses.dataclass
class Settings:
    path: str

    def __post_init__(self):
        lookup(self.path)


@dataclasses.dataclass
class Point:
    x: int

    def __post_init__(self):
        self.x = int(self.x)


class Base(BaseModel):
    name: str

    @field_validator("name")
    @classmethod
    def known(cls, value):
        return lookup(value)


class User(Base):
    age: int

    @model_validator(mode="after")
    def adult(self):
        return self


class Plain(pydantic.BaseModel):
    name: str
"""


def test_construction_runs_new_post_init_and_validators(scan) -> None:
    findings = scan(
        {
            "app/models.py": MODELS,
            "app/main.py": """
                from app.models import Settings, Token, User

                async def handler(payload):
                    token = Token(payload["t"])
                    settings = Settings("x")
                    user = User(name="a", age=3)
                    again = User.model_validate(payload)
                    return token, settings, user, again
            """,
        }
    )
    assert [where(f) for f in findings] == [
        ("AD201", "app/main.py", 4, 13),
        ("AD201", "app/main.py", 5, 16),
        ("AD201", "app/main.py", 6, 12),
        ("AD201", "app/main.py", 7, 13),
    ]
    assert [f.evidence[0].note for f in findings] == [
        "`handler` calls `Token()` (runs `Token.__new__`)",
        "`handler` calls `Settings()` (runs `Settings.__post_init__`)",
        "`handler` calls `User()` (runs `Base.known`)",
        "`handler` calls `User.model_validate()` (runs `Base.known`)",
    ]


def test_construction_safe_twins(scan) -> None:
    assert (
        scan(
            {
                "app/models.py": MODELS,
                "app/main.py": """
                    import asyncio

                    from app.models import Plain, Point, Settings

                    async def handler(payload):
                        point = Point(1)
                        plain = Plain.model_validate(payload)
                        settings = await asyncio.to_thread(Settings, "x")
                        return point, plain, settings
                """,
            }
        )
        == []
    )


def test_construction_in_a_helper(scan) -> None:
    [finding] = scan(
        {
            "app/models.py": MODELS,
            "app/main.py": """
                from app.models import User

                def parse_users(rows):
                    return [User(**row) for row in rows]

                async def handler(rows):
                    return parse_users(rows)
            """,
        }
    )
    assert where(finding) == ("AD201", "app/main.py", 7, 12)
    assert [e.note for e in finding.evidence][:2] == [
        "`handler` calls `parse_users()`",
        "`parse_users` calls `User()` (runs `Base.known`)",
    ]


# ---- attribute access: property and cached_property getters ---------------------------
ACCOUNTS = """
import functools
import time

import requests


class Account:
    def __init__(self, number):
        self.number = number

    @property
    def balance(self):
        return requests.get(f"https://bank.example.com/{self.number}").json()

    @functools.cached_property
    def history(self):
        time.sleep(0.01)
        return []

    @property
    def label(self):
        return f"#{self.number}"


class Savings(Account):
    pass


class Snapshot:
    def __init__(self, balance):
        self.balance = balance
"""


def test_reading_a_property_that_blocks(scan) -> None:
    findings = scan(
        {
            "app/accounts.py": ACCOUNTS,
            "app/main.py": """
                from app.accounts import Account, Savings

                async def show(account: Account, number):
                    current = account.balance
                    past = Savings(number).history
                    return current, past
            """,
        }
    )
    assert [where(f) for f in findings] == [("AD201", "app/main.py", 4, 15), ("AD201", "app/main.py", 5, 12)]
    assert findings[0].message == (
        "reading `account.balance` runs `Account.balance`, which calls `requests.get` (app/accounts.py:13)"
        ": this blocks the event loop in `show`"
    )
    assert findings[0].extras["implicit"] == "get"
    assert findings[1].message.startswith("reading `Savings(number).history` runs `Account.history`, which calls `time.sleep`")


LEDGER = """
import time


class Ledger:
    def __init__(self):
        self._total = 0

    @property
    def total(self):
        return self._total

    @total.setter
    def total(self, value):
        time.sleep(0.01)
        self._total = value

    @total.deleter
    def total(self):
        time.sleep(0.01)

    @property
    def frozen(self):
        return True
"""


def test_property_setter_and_deleter_that_block(scan) -> None:
    findings = scan(
        {
            "app/ledger.py": LEDGER,
            "app/main.py": """
                from app.ledger import Ledger

                async def book(ledger: Ledger, amount):
                    current = ledger.total
                    ledger.total = current + amount
                    del ledger.total
            """,
        }
    )
    assert [where(f) for f in findings] == [("AD201", "app/main.py", 5, 5), ("AD201", "app/main.py", 6, 9)]
    assert findings[0].message.startswith("assigning `ledger.total` runs `Ledger.total.<setter>`, which calls `time.sleep`")
    assert findings[1].message.startswith("deleting `ledger.total` runs `Ledger.total.<deleter>`, which calls `time.sleep`")
    assert [f.extras["implicit"] for f in findings] == ["set", "del"]


def test_property_setter_in_a_helper_and_safe_twins(scan) -> None:
    findings = scan(
        {
            "app/ledger.py": LEDGER,
            "app/main.py": """
                import asyncio

                from app.ledger import Ledger

                def reset(ledger: Ledger):
                    ledger.total = 0

                async def offloaded(ledger: Ledger):
                    await asyncio.to_thread(reset, ledger)
                    return ledger.total, ledger.frozen

                async def nested(ledger: Ledger):
                    reset(ledger)
            """,
        }
    )
    assert [where(f) for f in findings] == [("AD201", "app/main.py", 13, 5)]
    assert findings[0].evidence[1].note == "`reset` assigns `ledger.total` (runs `Ledger.total.<setter>`)"


def test_property_read_as_the_receiver_of_a_method_call(scan) -> None:
    [finding] = scan(
        {
            "app/accounts.py": ACCOUNTS,
            "app/main.py": """
                from app.accounts import Account

                async def show(account: Account):
                    return account.balance.get("amount")
            """,
        }
    )
    assert where(finding) == ("AD201", "app/main.py", 4, 12)
    assert finding.message.startswith("reading `account.balance` runs `Account.balance`")


def test_property_safe_twins(scan) -> None:
    assert (
        scan(
            {
                "app/accounts.py": ACCOUNTS,
                "app/main.py": """
                    import asyncio

                    from app.accounts import Account, Snapshot

                    async def show(account: Account, snapshot: Snapshot, other):
                        label = account.label
                        kept = snapshot.balance
                        unknown = other.balance
                        fresh = await asyncio.to_thread(lambda: account.balance)
                        return label, kept, unknown, fresh
                """,
            }
        )
        == []
    )


def test_property_read_in_a_helper(scan) -> None:
    [finding] = scan(
        {
            "app/accounts.py": ACCOUNTS,
            "app/main.py": """
                from app.accounts import Account

                class Statement:
                    def __init__(self, account: Account):
                        self.account = account

                    def total(self):
                        return self.account.balance

                async def render(statement: Statement):
                    return statement.total()
            """,
        }
    )
    assert where(finding) == ("AD201", "app/main.py", 11, 12)
    assert finding.evidence[1].note == "`Statement.total` reads `self.account.balance` (runs `Account.balance`)"


# ---- operators: in, [], len(), bool() on project classes --------------------------------
STORE = """
import time


class RemoteSet:
    def __contains__(self, key):
        time.sleep(0.01)
        return True

    def __getitem__(self, key):
        time.sleep(0.01)
        return key

    def __setitem__(self, key, value):
        time.sleep(0.01)

    def __delitem__(self, key):
        time.sleep(0.01)

    def __len__(self):
        time.sleep(0.01)
        return 0

    def __bool__(self):
        time.sleep(0.01)
        return True


class LocalSet:
    def __contains__(self, key):
        return False

    def __len__(self):
        return 0
"""


@pytest.mark.parametrize(
    ("statement", "col", "message"),
    [
        ("    return 'k' in remote", 12, "testing `'k' in remote` runs `RemoteSet.__contains__`"),
        ("    return 'k' not in remote", 12, "testing `'k' not in remote` runs `RemoteSet.__contains__`"),
        ("    return remote['k']", 12, "indexing `remote['k']` runs `RemoteSet.__getitem__`"),
        ("    remote['k'] = 1", 5, "assigning `remote['k']` runs `RemoteSet.__setitem__`"),
        ("    del remote['k']", 9, "deleting `remote['k']` runs `RemoteSet.__delitem__`"),
        ("    return len(remote)", 12, "`len(remote)` runs `RemoteSet.__len__`"),
        ("    return bool(remote)", 12, "`bool(remote)` runs `RemoteSet.__bool__`"),
    ],
)
def test_operator_on_a_project_class_that_blocks(scan, statement: str, col: int, message: str) -> None:
    [finding] = scan(
        {
            "app/store.py": STORE,
            "app/main.py": f"from app.store import RemoteSet\n\n\nasync def handler(remote: RemoteSet):\n{statement}\n",
        }
    )
    assert where(finding) == ("AD201", "app/main.py", 5, col)
    assert finding.message.startswith(f"{message}, which calls `time.sleep`")


def test_operator_safe_twins(scan) -> None:
    assert (
        scan(
            {
                "app/store.py": STORE,
                "app/main.py": """
                    import asyncio

                    from app.store import LocalSet, RemoteSet

                    async def handler(local: LocalSet, remote: RemoteSet, plain: dict):
                        found = "k" in local and len(local) == 0 and plain["k"]
                        size = await asyncio.to_thread(len, remote)
                        has = await asyncio.to_thread(lambda: "k" in remote)
                        return found, size, has
                """,
            }
        )
        == []
    )


def test_operator_in_a_helper(scan) -> None:
    [finding] = scan(
        {
            "app/store.py": STORE,
            "app/main.py": """
                from app.store import RemoteSet

                SEEN = RemoteSet()

                def is_new(key):
                    return key not in SEEN

                async def handler(key):
                    return is_new(key)
            """,
        }
    )
    assert where(finding) == ("AD201", "app/main.py", 9, 12)
    assert finding.evidence[1].note == "`is_new` tests `key not in SEEN` (runs `RemoteSet.__contains__`)"


# ---- incremental: edits that add or remove implicit calls ------------------------------
def test_rescan_follows_edits_that_change_implicit_calls(write_files) -> None:
    root = write_files(
        {
            "app/__init__.py": "",
            "app/pages.py": PAGES,
            "app/feed.py": """
                import time

                def entries():
                    return [1, 2]
            """,
            "app/main.py": """
                from app.feed import entries
                from app.pages import Pages

                async def handler(url):
                    made = Pages(url)
                    return made, entries()
            """,
        }
    )
    project = load_project([root], use_cache=False)
    assert list(transitive.check(project)) == []

    main = root / "app/main.py"
    main.write_text(main.read_text().replace("return made,", "return list(made),"), encoding="utf-8")
    body_edit = rescan_paths(project, [main])
    assert body_edit.index.derived is project.index.derived  # a body edit: analyses reused
    assert [(f.line, f.col, f.extras["implicit"]) for f in transitive.check(body_edit)] == [(6, 17, "iter")]

    feed = root / "app/feed.py"
    feed.write_text("import time\n\n\ndef entries():\n    time.sleep(1)\n    yield 1\n", encoding="utf-8")
    now_generator = rescan_paths(body_edit, [feed])
    assert [f.line for f in transitive.check(now_generator)] == [6]  # `entries()` is called, not iterated

    main.write_text(main.read_text().replace("entries()", "sum(entries())"), encoding="utf-8")
    iterated = rescan_paths(now_generator, [main])
    assert [(f.line, f.col) for f in transitive.check(iterated)] == [(6, 17), (6, 28)]


def test_nested_loop_reached_through_an_implicit_call(project_of: ProjectOf) -> None:
    """AD404's chain names the implicit call too."""
    project = project_of(
        {
            "app/__init__.py": "",
            "app/main.py": """
                import asyncio

                async def connect():
                    return 1

                class Session:
                    def __enter__(self):
                        asyncio.run(connect())
                        return self

                    def __exit__(self, *exc):
                        return None

                async def handler():
                    with Session():
                        return 1
            """,
        }
    )
    [finding] = [f for f in patterns.check(project) if f.code == "AD404"]
    assert (finding.path, finding.line, finding.col) == ("app/main.py", 8, 9)
    assert finding.evidence[0].note == "`app.main.handler` enters `with Session()` (runs `app.main.Session.__enter__`)"
