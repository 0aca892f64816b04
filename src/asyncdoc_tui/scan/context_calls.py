"""Calls a sync `with` statement makes: `x.__enter__()` on entry and `x.__exit__()` on the
way out, noted as implicit call facts on the context expression.

`contextlib.closing(x)` runs `x.close()` on exit; `stack.enter_context(x)` enters `x`
where it is written. `async with` runs `__aenter__`/`__aexit__`, coroutines that are
analysed as the async functions they are, so it adds nothing here.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from asyncdoc_tui.scan.edge_kinds import ENTER, EXIT

if TYPE_CHECKING:
    from asyncdoc_tui.scan.facts import FactsBuilder

_CLOSING = "contextlib.closing"
ENTER_CONTEXT = ".enter_context"  # callee suffix of `stack.enter_context(x)` (ExitStack, AsyncExitStack)


def with_item_calls(builder: FactsBuilder, context: ast.expr) -> None:
    """The enter and exit calls of one item of a sync `with`."""
    if isinstance(context, ast.Call) and context.args and builder.value(context.func) == _CLOSING:
        builder.implicit_call(EXIT, context, context.args[0], "close", "with ")
        return
    builder.implicit_call(ENTER, context, context, "__enter__", "with ")
    builder.implicit_call(EXIT, context, context, "__exit__", "with ")


def entered_context(builder: FactsBuilder, call: ast.Call) -> None:
    """`stack.enter_context(x)` runs `x.__enter__()` now (its exit runs when the stack
    closes, somewhere the scan cannot place)."""
    if call.args and not isinstance(call.args[0], ast.Starred):
        builder.implicit_call(ENTER, call, call.args[0], "__enter__")
