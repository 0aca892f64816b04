"""Calls iteration makes: `for`, comprehensions, `yield from`, star-unpacking, tuple
unpacking and the builtins that consume an iterable run `x.__iter__()` (then
`__next__` on what it returns); `next(x)` runs `x.__next__()`.

Noted as implicit call facts on the iterated expression. A generator function's body
runs only here: calling it runs nothing (see `implicit_targets`). Async iteration
(`async for`, async comprehensions) runs coroutines and adds nothing.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from asyncdoc_tui.scan.edge_kinds import ITER, NEXT

if TYPE_CHECKING:
    from asyncdoc_tui.scan.facts import FactsBuilder

# Builtins that iterate their first argument (`iter` starts it, `next` advances it, the
# others run it to the end); lazy ones such as `map`, `zip`, `enumerate` only iterate
# when they are themselves consumed.
CONSUMERS = frozenset({"list", "tuple", "set", "frozenset", "dict", "sorted", "sum", "any", "all", "min", "max", "iter", "next"})


def iterated(builder: FactsBuilder, iterable: ast.expr) -> None:
    """`iterable` is iterated here (`for`, a comprehension, `yield from`, `*iterable`)."""
    builder.implicit_call(ITER, iterable, iterable, "__iter__")


def comprehension_calls(builder: FactsBuilder, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> None:
    """Each sync `for` clause of a comprehension iterates its iterable."""
    for clause in node.generators:
        if not clause.is_async:
            iterated(builder, clause.iter)


def consumed(builder: FactsBuilder, call: ast.Call, builtin: str) -> None:
    """`list(x)`, `sorted(x)`, `iter(x)` … iterate `x`; `next(x)` advances it."""
    if not call.args or isinstance(call.args[0], ast.Starred) or (builtin in ("min", "max") and len(call.args) > 1):
        return
    if builtin == "next":
        builder.implicit_call(NEXT, call, call.args[0], "__next__")
    else:
        iterated(builder, call.args[0])


def unpacked(builder: FactsBuilder, targets: list[ast.expr], value: ast.expr) -> None:
    """`a, b = x` iterates `x`."""
    for target in targets:
        if type(target) is ast.Tuple or type(target) is ast.List:
            iterated(builder, value)
            return
