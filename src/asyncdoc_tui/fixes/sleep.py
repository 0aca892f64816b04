"""AD101: `time.sleep(x)` -> `await asyncio.sleep(x)`.

Never produces `asyncio.sleep(x)` without `await` (a silent no-op); `import time` goes
only when nothing else uses it.
"""

from __future__ import annotations

import libcst as cst

from asyncdoc_tui.fixes.cst import (
    FixContext,
    drop_import_if_unused,
    ensure_import,
)


def rewrite(ctx: FixContext) -> tuple[str, str]:
    call = ctx.target_call()
    ctx.require_await_allowed(call)
    new_call = call.with_changes(func=cst.Attribute(value=cst.Name("asyncio"), attr=cst.Name("sleep")))
    module = ctx.replace(call, ctx.awaited(call, new_call))
    root = ctx.imported_root(call.func)
    module = ensure_import(module, "asyncio")
    if root:
        module = drop_import_if_unused(module, root)
    return module.code, ""
