"""Property getters as call edges: reading `obj.attr` runs `C.attr` when `obj` is an
instance of a project class `C` (or a subclass) and `attr` is a `@property` or
`functools.cached_property` there.

Facts keep instance attribute reads apart (`FileFacts.reads`); only the reads whose
attribute name is a project property anywhere are resolved, so the rest cost a set
lookup. Setters and deleters are not followed: the index keys a method by its name, and
they share their getter's.
"""

from __future__ import annotations

from asyncdoc_tui.scan.edge_kinds import GET
from asyncdoc_tui.scan.facts_model import CallFact, FileFacts
from asyncdoc_tui.scan.resolve import EXTERNAL, FUNCTION, ProjectIndex

PROPERTY_DECORATORS = frozenset({"property", "builtins.property", "functools.cached_property"})
_KEY = ("properties", "", "")  # in `ProjectIndex.derived`: decorators are part of every file's interface


def project_properties(index: ProjectIndex) -> frozenset[str]:
    """Dotted names of the project's property getters (once per index lineage)."""
    found = index.derived.get(_KEY)
    if isinstance(found, frozenset):
        return found
    getters = set()
    for name, (_, fn) in index.functions.items():
        if fn.class_qualname is not None and any(not d.called and _is_property(index, d.expr) for d in fn.decorators):
            getters.add(name)
    found = index.derived[_KEY] = frozenset(getters)
    return found


def _is_property(index: ProjectIndex, decorator: str) -> bool:
    resolved = index.resolve(decorator)
    return resolved.kind == EXTERNAL and resolved.name in PROPERTY_DECORATORS


def property_calls(index: ProjectIndex, facts: FileFacts) -> list[tuple[str, CallFact]]:
    """(getter, the read as an implicit call fact) for each read of a project property."""
    getters = project_properties(index)
    if not getters or not facts.reads:
        return []
    names = {getter.rpartition(".")[2] for getter in getters}
    is_async = {fn.qualname: fn.is_async for fn in facts.functions}
    found: list[tuple[str, CallFact]] = []
    for read in facts.reads:
        attr = read.text.rpartition(".")[2].strip()
        if attr not in names:
            continue
        callee = f"{read.receiver}.{attr}"
        resolved = index.resolve(callee)
        if resolved.kind == FUNCTION and resolved.name in getters:
            call = CallFact(
                callee,
                read.text,
                read.line,
                read.col,
                read.end_line,
                read.end_col,
                read.function,
                is_async.get(read.function, False),
                False,
                False,
                (),
                (),
                "",
                GET,
            )
            found.append((resolved.name, call))
    return found
