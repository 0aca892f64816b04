"""AD101-AD109: blocking calls written directly inside an `async def`."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from asyncdoc_tui.model import Finding
from asyncdoc_tui.rules.async_library import advice_for, library_of
from asyncdoc_tui.rules.catalog import ArgCondition, CatalogEntry
from asyncdoc_tui.rules.entrypoints import with_entry
from asyncdoc_tui.rules.findings import call_finding
from asyncdoc_tui.rules.loop_code import loop_functions
from asyncdoc_tui.rules.offload_branches import PASS_NAME
from asyncdoc_tui.scan.edge_kinds import CALL, doing
from asyncdoc_tui.scan.facts_model import CallFact, FileFacts
from asyncdoc_tui.scan.project import Project
from asyncdoc_tui.scan.resolve import EXTERNAL, EXTERNAL_INSTANCE

CONFIGURED = "AD109"


_IMPLICIT_ROWS = ("implicit-rows", "", "")  # key in `ProjectIndex.derived`


def _implicit_rows(project: Project) -> frozenset[str]:
    """Dunder methods the catalog has rows for (`__enter__` of `threading.Lock` …): the
    only implicit calls a library type can block in."""
    derived = project.index.derived
    found = derived.get(_IMPLICIT_ROWS)
    if not isinstance(found, frozenset):
        found = derived[_IMPLICIT_ROWS] = frozenset(
            method for method in (name.rpartition(".")[2] for name in project.catalog.calls) if method.startswith("__")
        )
    return found


def blocking_entry(project: Project, call: CallFact) -> CatalogEntry | None:
    """The catalog (or configured) entry a call matches, wherever the call is."""
    if call.kind != CALL and call.callee.rpartition(".")[2] not in _implicit_rows(project):
        return None
    resolved = project.index.resolve(call.callee)
    if resolved.kind == EXTERNAL:
        entry = project.catalog.match(resolved.name)
        if entry is not None and _blocks_with_arguments(project, call, entry):
            return entry
    if call.awaited:  # it returned an awaitable: not the sync call the user configured
        return None
    written = (call.text,) if call.kind == CALL else ()  # an implicit call's text is its receiver
    for pattern, advice in project.config.blocking:
        names = (resolved.name, *written) if resolved.kind == EXTERNAL else written
        if any(fnmatch.fnmatchcase(name, pattern) for name in names if name):
            return CatalogEntry(CONFIGURED, pattern, advice, project.catalog.rules[CONFIGURED].equivalent)
    return None


def _blocks_with_arguments(project: Project, call: CallFact, entry: CatalogEntry) -> bool:
    """Whether the call's arguments make it block: no `unless` holds, and an `only_if` does."""
    if any(_holds(project, call, condition) for condition in entry.unless):
        return False
    return not entry.only_if or any(_holds(project, call, condition) for condition in entry.only_if)


def _holds(project: Project, call: CallFact, condition: ArgCondition) -> bool:
    rendered = dict(call.kwargs).get(condition.name) if condition.name else None
    if rendered is None and condition.position is not None and condition.position < len(call.args):
        rendered = call.args[condition.position]
    if rendered is None:
        return False
    if rendered in condition.values:
        return True
    if not condition.types:
        return False
    resolved = project.index.resolve(_value_of(rendered))
    return resolved.kind == EXTERNAL_INSTANCE and resolved.name in condition.types


def _value_of(rendered: str) -> str:
    """A rendered argument as a value expression: `io.BytesIO(data)` -> `io.BytesIO()`."""
    out: list[str] = []
    depth = 0
    for char in rendered:
        if char == "(":
            if depth == 0:
                out.append("()")
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


def describe(call: CallFact) -> str:
    """How a call is named in messages: as written, with parentheses."""
    return f"`{call.text}()`"


def _function_label(call: CallFact, loop_reason: str) -> str:
    if loop_reason:
        return f"`{call.function}`, a {loop_reason}"
    return f"async function `{call.function}`" if call.function else "async code"


def check(project: Project) -> Iterator[Finding]:
    """One finding per blocking call whose innermost enclosing function runs on the loop:
    an `async def`, or a sync function the loop calls itself (see `loop_code`)."""
    on_loop = loop_functions(project)
    for facts in project.index.files:
        decided = facts.extra.get(PASS_NAME, ())  # offloaded in the sibling branch: the code's own choice
        for call in facts.calls:
            loop_reason = "" if call.in_async or call.function is None else on_loop.get(facts.qualified(call.function), "")
            if not (call.in_async or loop_reason) or (call.line, call.col) in decided:
                continue
            entry = blocking_entry(project, call)
            if entry is None:
                continue
            yield with_entry(project, facts, call.function, make_finding(project, facts, call, entry, loop_reason))


def make_finding(project: Project, facts: FileFacts, call: CallFact, entry: CatalogEntry, loop_reason: str = "") -> Finding:
    """The finding for one blocking call; an implicit call says what runs it
    ("entering `with threading.Lock()` runs `threading.Lock.__enter__`"), a sync function
    the loop runs says why it counts."""
    info = project.catalog.rules[entry.code]
    # flake8-async and ruff see direct calls written in an `async def` only: no tag elsewhere.
    equivalent = f" [{entry.equivalent}]" if entry.equivalent and not loop_reason and call.kind == CALL else ""
    title = info.title.removesuffix(" in async function") if loop_reason else info.title
    cause = f"{describe(call)} blocks"
    extra: tuple[tuple[str, str], ...] = ()
    if call.kind != CALL:
        cause = f"{doing(call.kind, call.text, project.index.resolve(call.callee).name)}, which blocks"
        extra = (("implicit", call.kind),)
    message = f"{cause} the event loop in {_function_label(call, loop_reason)}: {title}{equivalent}"
    alternative = advice_for(entry.code, library_of(facts), entry.alternative)
    return call_finding(project, entry.code, facts, call, message, alternative=alternative, equivalent=entry.equivalent, extra=extra)
