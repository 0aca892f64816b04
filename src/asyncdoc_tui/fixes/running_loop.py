"""AD402: `asyncio.get_event_loop()` in a coroutine -> `asyncio.get_running_loop()`.

Same loop, same behaviour inside a coroutine; `from asyncio import get_event_loop` goes
only when nothing else uses it.
"""

from __future__ import annotations

import libcst as cst

from asyncdoc_tui.fixes.cst import FixContext, replace_node, root_name, with_imports


def rewrite(ctx: FixContext) -> tuple[str, str]:
    call = ctx.target_call()
    ctx.require_await_allowed(call)
    if isinstance(call.func, cst.Attribute):  # asyncio.get_event_loop / aio.get_event_loop
        new = call.with_changes(func=call.func.with_changes(attr=cst.Name("get_running_loop")))
        return replace_node(ctx.module, call, new).code, ""
    new = call.with_changes(func=cst.parse_expression("asyncio.get_running_loop"))
    module = replace_node(ctx.module, call, new)
    root = root_name(call.func)
    binding = ctx.bound_name(root) if root else None
    return with_imports(module, add=[("asyncio", None)], remove_if_unused=[binding] if binding else []).code, ""
