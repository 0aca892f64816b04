"""Attribute reads and operators as call edges (see `operation_sites`): reading
`obj.attr` runs `C.attr` when `attr` is a `@property` or `functools.cached_property` of
`obj`'s project class `C` (or a base), and `k in obj`, `obj[k]` (get, set, delete),
`len(obj)`, `bool(obj)` run the matching dunder when `C` defines it.

Only the operations whose method name some project function could run for are resolved,
so the rest cost a set lookup. Assigning or deleting a property runs its setter or
deleter, kept under their own qualnames (`Account.balance.<setter>`).
"""

from __future__ import annotations

from asyncdoc_tui.scan.facts_model import CallFact, DecoratorFact, FileFacts
from asyncdoc_tui.scan.implicit_targets import method_of
from asyncdoc_tui.scan.operation_sites import ACCESSORS
from asyncdoc_tui.scan.resolve import EXTERNAL, ProjectIndex

PROPERTY_DECORATORS = frozenset({"property", "builtins.property", "functools.cached_property"})
_PROPERTY_NAMES = frozenset(name.rpartition(".")[2] for name in PROPERTY_DECORATORS)
OPERATOR_METHODS = frozenset({"__contains__", "__getitem__", "__setitem__", "__delitem__", "__len__", "__bool__"})
_KEY = ("operations", "", "")  # in `ProjectIndex.derived`: decorators and methods are part of every file's interface


def runnable(index: ProjectIndex) -> tuple[frozenset[str], frozenset[str]]:
    """Project functions an operation can run (property getters and operator dunders, as
    dotted names) and their method names; once per index lineage."""
    found = index.derived.get(_KEY)
    if isinstance(found, tuple):
        return found
    functions = set()
    for name, (_, fn) in index.functions.items():
        if fn.class_qualname is None:
            continue
        if fn.name in OPERATOR_METHODS or any(_is_property(index, d) for d in fn.decorators):
            functions.add(name)
    found = index.derived[_KEY] = (frozenset(functions), frozenset(f.rpartition(".")[2] for f in functions))
    return found


def _is_property(index: ProjectIndex, decorator: DecoratorFact) -> bool:
    if decorator.called or decorator.expr.rpartition(".")[2] not in _PROPERTY_NAMES:
        return False
    resolved = index.resolve(decorator.expr)
    return resolved.kind == EXTERNAL and resolved.name in PROPERTY_DECORATORS


def operation_calls(index: ProjectIndex, facts: FileFacts) -> list[tuple[str, CallFact]]:
    """(function run, the operation as an implicit call fact) for each operation of the
    file that runs project code."""
    functions, names = runnable(index)
    if not functions or not facts.operations:
        return []
    is_async = {fn.qualname: fn.is_async for fn in facts.functions}
    found: list[tuple[str, CallFact]] = []
    for op in facts.operations:
        if op.method not in names:
            continue
        function = method_of(index, op.receiver, op.method)
        if function is None or function not in functions:
            continue
        if op.kind in ACCESSORS:
            function = f"{function}.<{ACCESSORS[op.kind]}>"
            if function not in index.functions:
                continue  # a property without a setter (or deleter): assigning raises
        call = CallFact(
            callee=f"{op.receiver}.{op.method}",
            text=op.text,
            line=op.line,
            col=op.col,
            end_line=op.end_line,
            end_col=op.end_col,
            function=op.function,
            in_async=is_async.get(op.function, False),
            awaited=False,
            in_loop=False,
            args=(),
            kwargs=(),
            sink="",
            kind=op.kind,
        )
        found.append((function, call))
    return found
