"""AD101: `time.sleep(x)` -> `await asyncio.sleep(x)` (`trio.sleep` / `anyio.sleep` in
trio or anyio code, see `fixes.library`).

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
from asyncdoc_tui.fixes.library import library_name


def rewrite(ctx: FixContext) -> tuple[str, str]:
    call = ctx.target_call()
    library, name, needs_import = library_name(ctx, ctx.require_await_allowed(call))
    new_call = call.with_changes(func=cst.Attribute(value=cst.Name(name), attr=cst.Name("sleep")))
    module = ctx.replace(call, ctx.awaited(call, new_call))
    root = ctx.imported_root(call.func)
    if needs_import:
        module = ensure_import(module, library)
    if root:
        module = drop_import_if_unused(module, root)
    return module.code, ""
