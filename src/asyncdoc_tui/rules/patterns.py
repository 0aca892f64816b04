"""AD401-AD404: async anti-patterns from the FastAPI async guide.

- AD401 an HTTP client built per request (in a route, dependency or middleware, or in a
  loop of any async function) instead of one pooled client from the lifespan;
- AD402 `asyncio.get_event_loop()` inside a coroutine (works, but `get_running_loop()`
  is the call meant there) or at import time (no loop runs: a DeprecationWarning and a
  stray loop on 3.12-3.13, RuntimeError on 3.14+);
- AD403 consecutive awaits that do not depend on each other (the tree pass in
  `await_flow` finds them; this module only reports);
- AD404 `asyncio.run()` / `loop.run_until_complete()` where a loop is already running.
"""

from __future__ import annotations

from collections.abc import Iterator
from weakref import WeakKeyDictionary

from asyncdoc_tui.model import Evidence, Finding, Severity
from asyncdoc_tui.rules.await_flow import PASS_NAME, AwaitGroup
from asyncdoc_tui.rules.entrypoints import (
    DEPENDENCY,
    LIFESPAN,
    MIDDLEWARE,
    ROUTE,
    SHUTDOWN,
    STARTUP,
    WEBSOCKET,
    EntryPoint,
    entry_for,
)
from asyncdoc_tui.rules.findings import call_finding, rule_finding
from asyncdoc_tui.scan.callgraph import CallEdge, call_graph
from asyncdoc_tui.scan.edge_kinds import CALL, does
from asyncdoc_tui.scan.facts_model import UNKNOWN, CallFact, FileFacts, FunctionFact
from asyncdoc_tui.scan.project import Project
from asyncdoc_tui.scan.resolve import EXTERNAL, FUNCTION, ProjectIndex

CLIENT_PER_REQUEST, EVENT_LOOP, SEQUENTIAL_AWAITS, NESTED_RUN = "AD401", "AD402", "AD403", "AD404"

# Client constructors, async and sync, by every name they are importable under.
CLIENT_TYPES: dict[str, str] = {
    "httpx.AsyncClient": "httpx.AsyncClient",
    "httpx._client.AsyncClient": "httpx.AsyncClient",
    "httpx.Client": "httpx.Client",
    "httpx._client.Client": "httpx.Client",
    "aiohttp.ClientSession": "aiohttp.ClientSession",
    "aiohttp.client.ClientSession": "aiohttp.ClientSession",
    "requests.Session": "requests.Session",
    "requests.session": "requests.Session",
    "requests.sessions.Session": "requests.Session",
}
# Entry points the framework calls once per request.
PER_REQUEST_KINDS = frozenset({ROUTE, WEBSOCKET, DEPENDENCY, MIDDLEWARE})
# Entry points that run once per process: the right place for a shared client.
ONCE_KINDS = frozenset({LIFESPAN, STARTUP, SHUTDOWN})
MEMOISING_DECORATORS = frozenset({"functools.lru_cache", "functools.cache", "async_lru.alru_cache", "aiocache.cached"})
GET_EVENT_LOOP = frozenset({"asyncio.get_event_loop", "asyncio.events.get_event_loop"})
SET_EVENT_LOOP = frozenset({"asyncio.set_event_loop", "asyncio.events.set_event_loop"})
ASYNCIO_RUN = frozenset({"asyncio.run", "asyncio.runners.run"})
_FACTORIES: WeakKeyDictionary[ProjectIndex, dict[str, tuple[str, tuple[str, int]] | None]] = WeakKeyDictionary()
_RETURNED: WeakKeyDictionary[ProjectIndex, dict[str, dict[str, list[CallFact]]]] = WeakKeyDictionary()


def check(project: Project) -> Iterator[Finding]:
    """Every AD401-AD404 finding, file by file (AD403 from the facts' await groups)."""
    for facts in project.index.files:
        for call in facts.calls:
            if call.callee.startswith(UNKNOWN):
                continue
            finding = _client_per_request(project, facts, call) or _event_loop(project, facts, call) or _nested_run(project, facts, call)
            if finding is not None:
                yield finding
        for group in facts.extra.get(PASS_NAME, ()):
            yield _sequential_awaits(project, facts, group)


# ---- AD401 ------------------------------------------------------------------------
def client_type(index: ProjectIndex, callee: str) -> tuple[str, tuple[str, int] | None] | None:
    """(client type, where a project factory builds it) for a call that makes a client.

    A direct constructor gives (type, None); a project function that returns a new
    client (`def make_client(): return httpx.AsyncClient()`) gives (type, (path, line))
    of the construction inside it, following factories of factories.
    """
    resolved = index.resolve(callee)
    if resolved.kind == EXTERNAL:
        found = CLIENT_TYPES.get(resolved.name)
        return (found, None) if found else None
    return _factory(index, resolved.name) if resolved.kind == FUNCTION else None


def _factory(index: ProjectIndex, function: str) -> tuple[str, tuple[str, int]] | None:
    """The client a project function returns, memoised per index (cycles end as None)."""
    memo = _FACTORIES.setdefault(index, {})
    if function in memo:
        return memo[function]
    memo[function] = None
    facts, fn = index.functions[function]
    if _memoised(index, fn):
        return None  # `@lru_cache def get_client()`: one client, shared
    for call in _returned_calls(index, facts).get(fn.qualname, ()):
        inner = client_type(index, call.callee)
        if inner is not None:
            memo[function] = (inner[0], inner[1] or (facts.path, call.line))
            break
    return memo[function]


def _memoised(index: ProjectIndex, fn: FunctionFact) -> bool:
    """Decorated with a cache, so every call after the first returns the same client."""
    return any(index.resolve(d.expr).name in MEMOISING_DECORATORS for d in fn.decorators)


def _returned_calls(index: ProjectIndex, facts: FileFacts) -> dict[str, list[CallFact]]:
    """Calls whose result a function returns (directly or through a local name), by qualname."""
    by_file = _RETURNED.setdefault(index, {})
    found = by_file.get(facts.path)
    if found is None:
        returns = {fn.qualname: fn.returns for fn in facts.functions}
        found = {}
        for call in facts.calls:
            if call.function is None or call.callee.startswith(UNKNOWN):
                continue
            if call.sink in ("return", "await-return") or (call.sink.startswith("name:") and f"{call.callee}()" in returns.get(call.function, ())):
                found.setdefault(call.function, []).append(call)
        by_file[facts.path] = found
    return found


def _client_per_request(project: Project, facts: FileFacts, call: CallFact) -> Finding | None:
    made = client_type(project.index, call.callee)
    if made is None:
        return None
    kind, factory = made
    entry = entry_for(project, facts, call.function)
    if entry is not None and entry.kind in ONCE_KINDS:
        return None
    found = project.index.functions.get(facts.qualified(call.function or ""))
    if found is not None and _memoised(project.index, found[1]):
        return None
    if call.sink.startswith("attr:") and ".state." in f"{call.sink}.":
        return None  # stored on app.state: built once, then shared
    where = _per_request_place(entry, call)
    if where is None:
        return None
    how = f"`{call.text}()` builds a new `{kind}`" if factory else f"a new `{kind}` is created"
    evidence: tuple[Evidence, ...] = ()
    if factory:
        evidence = (Evidence(facts.path, call.line, f"`{call.text}()` called {where}"), Evidence(factory[0], factory[1], f"`{kind}(...)` constructed here"))
    extra: tuple[tuple[str, object], ...] = (("client_type", kind),)
    if entry is not None:
        extra += (("entry", entry.to_json()),)
    message = f"{how} {where}: every call opens its own connection pool (new TCP and TLS handshakes, no keep-alive); share one client created in the lifespan"
    return call_finding(project, CLIENT_PER_REQUEST, facts, call, message, evidence=evidence, extra=extra)


def _per_request_place(entry: EntryPoint | None, call: CallFact) -> str | None:
    """Words for where the client is built per request, or None when it is built once."""
    if entry is not None and entry.kind in PER_REQUEST_KINDS:
        label = f"route `{entry.label}`" if entry.kind in (ROUTE, WEBSOCKET) else entry.kind
        return f"on every request in {label} (`{call.function}`)"
    if call.in_async and call.in_loop:
        return f"in every iteration of a loop in async function `{call.function}`"
    return None


# ---- AD402 ------------------------------------------------------------------------
def _event_loop(project: Project, facts: FileFacts, call: CallFact) -> Finding | None:
    """In a coroutine (info: it works) or at import time (warning: it breaks on 3.14).

    A sync function is not reported: whether a loop runs or was set when it is called
    depends on its callers, which a static scan does not see reliably."""
    if not call.text.endswith("get_event_loop") or not (call.in_async or call.function is None):
        return None
    if project.index.resolve(call.callee).name not in GET_EVENT_LOOP:
        return None
    if call.in_async:
        message = (
            f"`{call.text}()` in coroutine `{call.function}` returns the running loop (not deprecated here); "
            "`asyncio.get_running_loop()` is the documented call in coroutines: it skips the event-loop policy "
            "and raises RuntimeError instead of returning or creating another loop if the code ever runs outside one"
        )
        return call_finding(project, EVENT_LOOP, facts, call, message)
    if _loop_set_before(project, facts, call):
        return None  # `asyncio.set_event_loop(loop)` earlier at module level: returns that loop
    message = (
        f"`{call.text}()` at import time, where no loop is running: with no current loop set, Python 3.12 and 3.13 "
        "create one and emit a DeprecationWarning (a loop `asyncio.run()` will not use), and Python 3.14+ raises "
        "RuntimeError; start the loop with `asyncio.run(main())` and get it with `asyncio.get_running_loop()` inside coroutines"
    )
    return call_finding(project, EVENT_LOOP, facts, call, message, severity=Severity.WARNING)


def _loop_set_before(project: Project, facts: FileFacts, call: CallFact) -> bool:
    """`asyncio.set_event_loop(...)` runs earlier at import time: that loop is current."""
    return any(
        other.function is None and other.line < call.line and project.index.resolve(other.callee).name in SET_EVENT_LOOP
        for other in facts.calls
        if other.text.endswith("set_event_loop")
    )


# ---- AD403 ------------------------------------------------------------------------
def _sequential_awaits(project: Project, facts: FileFacts, group: AwaitGroup) -> Finding:
    first, last = group.steps[0], group.steps[-1]
    count = len(group.steps)
    calls = ", ".join(f"`{s.call}()`" for s in group.steps)
    message = (
        f"{count} independent awaits run one after another in `{group.function}` ({calls}): "
        f"none uses another's result and no two share a session, connection or other stateful object, so `asyncio.gather` can overlap them, "
        f"up to {count}x faster when they wait on I/O (the slowest instead of the sum)"
    )
    return rule_finding(
        project,
        SEQUENTIAL_AWAITS,
        facts.path,
        (first.line, first.col, last.end_line, last.end_col),
        message,
        evidence=tuple(Evidence(facts.path, s.line, f"`{s.target} = await {s.call}(...)`") for s in group.steps),
        extra=(("awaits", [[s.line, s.end_line] for s in group.steps]), ("function", group.function)),
    )


# ---- AD404 ------------------------------------------------------------------------
def is_nested_run(project: Project, call: CallFact) -> bool:
    """`asyncio.run(...)` or `<loop>.run_until_complete(...)` (by method name: it is unique)."""
    if call.text.endswith(".run_until_complete"):
        return True
    return call.text.endswith("run") and project.index.resolve(call.callee).name in ASYNCIO_RUN


def _hop(edge: CallEdge) -> str:
    """"`app.a.f` calls `app.b.g()`", or the implicit call that ran it ("`app.a.f`
    enters `with Session()` (runs `app.b.Session.__enter__`)")."""
    if edge.call.kind == CALL:
        return f"`{edge.caller}` calls `{edge.callee}()`"
    return f"`{edge.caller}` {does(edge.call.kind, edge.call.text)} (runs `{edge.callee}`)"


def _nested_run(project: Project, facts: FileFacts, call: CallFact) -> Finding | None:
    if call.function is None or not is_nested_run(project, call):
        return None
    if call.in_async:
        message = f"`{call.text}()` inside coroutine `{call.function}`: the event loop is already running, so this raises RuntimeError; `await` the coroutine instead"
        return call_finding(project, NESTED_RUN, facts, call, message)
    path = call_graph(project.index).reached_from_async.get(facts.qualified(call.function))
    if path is None:
        return None
    start = path[0].caller
    message = (
        f"`{call.text}()` in `{call.function}`, reached from async function `{project.index.functions[start][1].qualname}` "
        f"(running loop): this raises RuntimeError; make the chain async and `await` the coroutine"
    )
    evidence = tuple(Evidence(e.path, e.call.line, _hop(e)) for e in path)
    evidence += (Evidence(facts.path, call.line, f"`{call.text}()` starts a second loop"),)
    return call_finding(project, NESTED_RUN, facts, call, message, evidence=evidence, extra=(("chain", [path[0].caller, *(e.callee for e in path)]),))
