"""Per-file tree pass for AD403: runs of consecutive awaits that do not depend on each other.

FileFacts keep calls, not statement order or data flow, so this pass looks at each
`async def` body block by block and records groups of consecutive
`target = await call(...)` statements where no later call reads an earlier target, no
two calls reach one object that allows one operation at a time (`await_sharing`: a
session, connection or websocket, directly, through objects built from it, through
`self` or a dependency; any shared value of unknown type counts), no two calls use one
receiver, and no ordering we can see (locks, transactions, Django's ORM, timing) holds
them in sequence. Only statements that *keep* their result take part: a bare
`await f()` is usually done for its effect (a write, a send, a sleep), and its place in
the order is the point.

The result is plain picklable data stored in `FileFacts.extra["await_flow"]`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from asyncdoc_tui.rules.await_sharing import SAFE, FunctionFlow
from asyncdoc_tui.scan.facts import TREE_PASSES, FactsBuilder, dotted_name

PASS_NAME = "await_flow"

# `async with` / `with` context managers that serialise what runs inside them.
_ORDERING_CONTEXT = re.compile(r"lock|semaphore|transaction|atomic|begin|session|connect|acquire|mutex|savepoint", re.IGNORECASE)
# Django's async ORM API: every call is a query on the thread's one connection.
_DJANGO_ORM_METHODS = frozenset(
    {
        "aget", "acreate", "aget_or_create", "aupdate_or_create", "abulk_create", "abulk_update",
        "acount", "ain_bulk", "aiterator", "alatest", "aearliest", "afirst", "alast", "aaggregate",
        "aexists", "acontains", "aupdate", "adelete", "aexplain", "asave", "arefresh_from_db",
        "aadd", "aremove", "aclear", "aset",
    }
)
# Awaits whose place in time is their purpose, or that run serially anyway.
_ORDERING_CALLS = frozenset({"asyncio.sleep", "sleep", "anyio.sleep", "trio.sleep", "asyncio.wait_for", "asyncio.shield"})
_SERIAL_WRAPPERS = frozenset({"sync_to_async", "database_sync_to_async"})
# Reads that a concurrency-safe client (HTTP client, pool) runs side by side; other
# methods on one receiver may depend on each other's effects (create, then list).
_READS = frozenset({"get", "head", "options", "fetch", "fetchrow", "fetchval"})


@dataclass(frozen=True, slots=True)
class AwaitStep:
    """One `target = await call(...)` statement of a group."""

    line: int
    col: int  # 1-based
    end_line: int
    end_col: int  # 1-based, exclusive
    target: str  # the assignment target as written (`user`, `(a, b)`)
    call: str  # the awaited callee as written (`client.get`, `fetch_user`)


@dataclass(frozen=True, slots=True)
class AwaitGroup:
    """Consecutive independent awaits in one block of one async function."""

    function: str  # qualname, as in FunctionFact
    steps: tuple[AwaitStep, ...]


@dataclass(frozen=True, slots=True)
class _Candidate:
    step: AwaitStep
    writes: frozenset[str]
    reads: frozenset[str]
    receiver: str  # receiver text (`self.client`), "" for a plain function or a module
    method: str
    reached: frozenset[str]  # access paths the call reaches (see await_sharing)
    django_orm: bool


def _target_names(target: ast.expr) -> list[str] | None:
    """Names a target binds, or None when it writes anything else (attributes, items)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        names: list[str] = []
        for elt in target.elts:
            inner = _target_names(elt)
            if inner is None:
                return None
            names.extend(inner)
        return names
    return None


def _awaited_call(stmt: ast.stmt) -> ast.Call | None:
    """The call of a `target = await call(...)` statement."""
    if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
        return None
    value = stmt.value
    return value.value if isinstance(value, ast.Await) and isinstance(value.value, ast.Call) else None


def _pairs_possible(block: list[ast.stmt]) -> bool:
    """Two such statements in a row: only then is the data flow worth computing."""
    return any(_awaited_call(a) and _awaited_call(b) for a, b in zip(block, block[1:]))


def _candidate(stmt: ast.stmt, builder: FactsBuilder, flow: FunctionFlow) -> _Candidate | None:
    """The statement as a group member, or None when it cannot take part."""
    call = _awaited_call(stmt)
    if call is None or not isinstance(stmt, ast.Assign):  # (the second test narrows the type)
        return None
    writes = _target_names(stmt.targets[0])
    if not writes or any(isinstance(n, (ast.Await, ast.NamedExpr, ast.Yield, ast.YieldFrom)) for n in ast.walk(call)):
        return None
    func = call.func
    if isinstance(func, ast.Call):  # `await sync_to_async(f)()` and similar wrappers
        wrapper = dotted_name(func.func) or ""
        if wrapper.rsplit(".", 1)[-1] in _SERIAL_WRAPPERS:
            return None
    callee = dotted_name(func) or ""
    if not callee or callee in _ORDERING_CALLS or callee.rsplit(".", 1)[-1] in _SERIAL_WRAPPERS:
        return None
    receiver, _, method = callee.rpartition(".")
    reads = frozenset(n.id for n in ast.walk(call) if isinstance(n, ast.Name))
    django_orm = method in _DJANGO_ORM_METHODS or "objects" in receiver.split(".")
    if flow.is_module(receiver):
        receiver = ""
    step = AwaitStep(
        line=stmt.lineno,
        col=stmt.col_offset + 1,
        end_line=stmt.end_lineno or stmt.lineno,
        end_col=(stmt.end_col_offset or 0) + 1,
        target=builder.segment(stmt.targets[0]) or ", ".join(writes),
        call=callee,
    )
    return _Candidate(step, frozenset(writes), reads, receiver, method, flow.reached(call), django_orm)


def _independent(group: list[_Candidate], new: _Candidate, flow: FunctionFlow) -> bool:
    """Whether `new` can run concurrently with every member of the group."""
    for old in group:
        if old.writes & (new.reads | new.writes) or new.writes & old.reads:
            return False
        if old.django_orm and new.django_orm:  # one database connection per thread
            return False
        if flow.share_an_object(old.reached, new.reached):
            return False
        same_receiver = bool(old.receiver) and old.receiver == new.receiver
        if same_receiver and not (flow.receiver_kind(new.receiver) == SAFE and {old.method, new.method} <= _READS):
            return False
    return True


def _groups_in_block(body: list[ast.stmt], builder: FactsBuilder, flow: FunctionFlow) -> Iterator[list[_Candidate]]:
    group: list[_Candidate] = []
    for stmt in body:
        candidate = _candidate(stmt, builder, flow)
        if candidate is not None and _independent(group, candidate, flow):
            group.append(candidate)
            continue
        if len(group) >= 2:
            yield group
        group = [candidate] if candidate is not None else []
    if len(group) >= 2:
        yield group


def _ordered_context(node: ast.With | ast.AsyncWith, builder: FactsBuilder) -> bool:
    return any(_ORDERING_CONTEXT.search(builder.segment(item.context_expr)) for item in node.items)


def _blocks(node: ast.AST, builder: FactsBuilder) -> Iterator[list[ast.stmt]]:
    """Statement lists of one function body, not entering nested definitions or
    blocks held in order by a lock / transaction / session context manager."""
    for name in ("body", "orelse", "finalbody"):
        block = getattr(node, name, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            yield block
            for stmt in block:
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    continue
                if isinstance(stmt, (ast.With, ast.AsyncWith)) and _ordered_context(stmt, builder):
                    continue
                yield from _blocks(stmt, builder)
    for handler in getattr(node, "handlers", ()):
        yield from _blocks(handler, builder)
    for case in getattr(node, "cases", ()):
        yield from _blocks(case, builder)


def _functions(defs: list[ast.stmt], prefix: str) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every function with its qualname (`C.m`, `f.<locals>.g`, as the facts name them)."""
    for stmt in defs:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            qualname = prefix + stmt.name
            yield qualname, stmt
            yield from _functions(_nested_defs(stmt), f"{qualname}.<locals>.")
        elif isinstance(stmt, ast.ClassDef):
            yield from _functions(_nested_defs(stmt), f"{prefix}{stmt.name}.")


_STATEMENT_LIKE = (ast.stmt, ast.excepthandler, ast.match_case)


def _nested_defs(node: ast.AST) -> list[ast.stmt]:
    """Definitions directly inside a node's statement lists (through if/try/with/…)."""
    found: list[ast.stmt] = []
    stack = [c for c in ast.iter_child_nodes(node) if isinstance(c, _STATEMENT_LIKE)]
    while stack:
        stmt = stack.pop(0)
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.append(stmt)
        else:
            stack[0:0] = [c for c in ast.iter_child_nodes(stmt) if isinstance(c, _STATEMENT_LIKE)]
    return found


def await_groups(tree: ast.Module, builder: FactsBuilder) -> tuple[AwaitGroup, ...]:
    """Tree pass: every group of two or more independent consecutive awaits."""
    # A group needs two awaits in one `async def`'s own body, which the facts already
    # count; most files have none, and this skips their second tree walk (and the
    # data-flow pass of every function with fewer).
    awaiting = {f.qualname for f in builder.functions if f.is_async and f.awaits >= 2}
    if not awaiting:
        return ()
    found: list[AwaitGroup] = []
    for qualname, node in _functions(_nested_defs(tree), ""):
        if not isinstance(node, ast.AsyncFunctionDef) or qualname not in awaiting:
            continue
        blocks = [block for block in _blocks(node, builder) if _pairs_possible(block)]
        if not blocks:
            continue
        flow = FunctionFlow(node, builder)
        for block in blocks:
            for group in _groups_in_block(block, builder, flow):
                found.append(AwaitGroup(qualname, tuple(c.step for c in group)))
    return tuple(sorted(found, key=lambda g: (g.steps[0].line, g.steps[0].col)))


TREE_PASSES[PASS_NAME] = await_groups
