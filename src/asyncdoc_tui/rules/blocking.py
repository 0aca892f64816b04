"""AD101-AD109: blocking calls written directly inside an `async def`."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from asyncdoc_tui.model import Finding
from asyncdoc_tui.rules.catalog import CatalogEntry
from asyncdoc_tui.rules.entrypoints import with_entry
from asyncdoc_tui.rules.findings import call_finding
from asyncdoc_tui.scan.edge_kinds import CALL, doing
from asyncdoc_tui.scan.facts_model import CallFact, FileFacts
from asyncdoc_tui.scan.project import Project
from asyncdoc_tui.scan.resolve import EXTERNAL

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
        if entry is not None:
            return entry
    if call.awaited:  # it returned an awaitable: not the sync call the user configured
        return None
    written = (call.text,) if call.kind == CALL else ()  # an implicit call's text is its receiver
    for pattern, advice in project.config.blocking:
        names = (resolved.name, *written) if resolved.kind == EXTERNAL else written
        if any(fnmatch.fnmatchcase(name, pattern) for name in names if name):
            return CatalogEntry(CONFIGURED, pattern, advice, project.catalog.rules[CONFIGURED].equivalent)
    return None


def describe(call: CallFact) -> str:
    """How a call is named in messages: as written, with parentheses."""
    return f"`{call.text}()`"


def _function_label(call: CallFact) -> str:
    return f"async function `{call.function}`" if call.function else "async code"


def check(project: Project) -> Iterator[Finding]:
    """One finding per blocking call whose innermost enclosing function is async."""
    for facts in project.index.files:
        for call in facts.calls:
            if not call.in_async:
                continue
            entry = blocking_entry(project, call)
            if entry is None:
                continue
            yield with_entry(project, facts, call.function, make_finding(project, facts, call, entry))


def make_finding(project: Project, facts: FileFacts, call: CallFact, entry: CatalogEntry) -> Finding:
    """The finding for one blocking call; an implicit call says what runs it
    ("entering `with threading.Lock()` runs `threading.Lock.__enter__`")."""
    info = project.catalog.rules[entry.code]
    equivalent = f" [{entry.equivalent}]" if entry.equivalent else ""
    cause = f"{describe(call)} blocks"
    extra: tuple[tuple[str, str], ...] = ()
    if call.kind != CALL:
        cause = f"{doing(call.kind, call.text, project.index.resolve(call.callee).name)}, which blocks"
        extra = (("implicit", call.kind),)
    message = f"{cause} the event loop in {_function_label(call)}: {info.title}{equivalent}"
    return call_finding(
        project, entry.code, facts, call, message, alternative=entry.alternative, equivalent=entry.equivalent, extra=extra
    )
