"""AD101: `time.sleep(x)` -> `await asyncio.sleep(x)`.

Never produces `asyncio.sleep(x)` without `await` (a silent no-op); `import time` goes
only when nothing else uses it.
"""

from __future__ import annotations

import libcst as cst

from asyncdoc_tui.fixes.cst import FixContext, awaited, replace_node, root_name, with_imports


def rewrite(ctx: FixContext) -> tuple[str, str]:
    call = ctx.target_call()
    ctx.require_await_allowed(call)
    new_call = call.with_changes(func=cst.Attribute(value=cst.Name("asyncio"), attr=cst.Name("sleep")))
    module = replace_node(ctx.module, call, awaited(new_call, ctx.parent(call)))
    root = root_name(call.func)
    binding = ctx.bound_name(root) if root else None
    module = with_imports(module, add=[("asyncio", None)], remove_if_unused=[binding] if binding else [])
    return module.code, ""
