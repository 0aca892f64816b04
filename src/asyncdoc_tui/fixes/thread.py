"""Any blocking call -> `await asyncio.to_thread(f, *args, **kwargs)`, or the guide's
`await asyncio.get_running_loop().run_in_executor(None, functools.partial(f, ...))`; in
trio and anyio code `await trio.to_thread.run_sync(f, *args)` (keywords through
`functools.partial`: `run_sync` takes none for the callable).

The callee expression is evaluated on the loop as before; only the call moves to a
worker thread.
"""

from __future__ import annotations

import libcst as cst

from asyncdoc_tui.fixes.cst import FixContext, ensure_import
from asyncdoc_tui.fixes.library import library_name
from asyncdoc_tui.rules.async_library import ASYNCIO


def _arg(value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(value=value)


def rewrite(ctx: FixContext) -> tuple[str, str]:
    call = ctx.target_call()
    library, name, needs_import = library_name(ctx, ctx.require_await_allowed(call))
    args = [arg.with_changes(comma=cst.MaybeSentinel.DEFAULT) for arg in call.args]
    imports: list[str] = []
    if ctx.fix_id == "run-in-executor":
        target, imports = _positional_only(call, args)
        func = f"{name}.get_running_loop().run_in_executor"
        new = cst.Call(func=cst.parse_expression(func), args=[_arg(cst.Name("None")), *target])
    elif library == ASYNCIO:
        new = cst.Call(func=cst.parse_expression(f"{name}.to_thread"), args=[_arg(call.func), *args])
    else:
        target, imports = _positional_only(call, args)
        new = cst.Call(func=cst.parse_expression(f"{name}.to_thread.run_sync"), args=target)
    module = ctx.replace(call, ctx.awaited(call, new))
    for module_name in [*imports, *([library] if needs_import else [])]:
        module = ensure_import(module, module_name)
    return module.code, ""


def _positional_only(call: cst.Call, args: list[cst.Arg]) -> tuple[list[cst.Arg], list[str]]:
    """(the callable and its arguments, imports) for APIs that take no keyword arguments
    for the callable (`run_in_executor`, `run_sync`): keywords go through functools.partial."""
    if any(arg.keyword is not None or arg.star == "**" for arg in args):
        return [_arg(cst.Call(func=cst.parse_expression("functools.partial"), args=[_arg(call.func), *args]))], ["functools"]
    return [_arg(call.func), *args], []
