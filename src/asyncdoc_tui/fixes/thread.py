"""Any blocking call -> `await asyncio.to_thread(f, *args, **kwargs)`, or the guide's
`await asyncio.get_running_loop().run_in_executor(None, functools.partial(f, ...))`.

The callee expression is evaluated on the loop as before; only the call moves to a
worker thread.
"""

from __future__ import annotations

import libcst as cst

from asyncdoc_tui.fixes.cst import FixContext, ensure_import


def _arg(value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(value=value)


def rewrite(ctx: FixContext) -> tuple[str, str]:
    call = ctx.target_call()
    ctx.require_await_allowed(call)
    args = [arg.with_changes(comma=cst.MaybeSentinel.DEFAULT) for arg in call.args]
    if ctx.fix_id == "run-in-executor":
        new, imports, notes = _executor(call, args)
    else:
        new = cst.Call(func=cst.parse_expression("asyncio.to_thread"), args=[_arg(call.func), *args])
        imports, notes = ["asyncio"], ""
    module = ctx.replace(call, ctx.awaited(call, new))
    for name in imports:
        module = ensure_import(module, name)
    return module.code, notes


def _executor(call: cst.Call, args: list[cst.Arg]) -> tuple[cst.Call, list[str], str]:
    """run_in_executor takes no keyword arguments: pass them through functools.partial."""
    target: list[cst.Arg]
    imports = ["asyncio"]
    if any(arg.keyword is not None or arg.star == "**" for arg in args):
        target = [_arg(cst.Call(func=cst.parse_expression("functools.partial"), args=[_arg(call.func), *args]))]
        imports.append("functools")
    else:
        target = [_arg(call.func), *args]
    new = cst.Call(
        func=cst.parse_expression("asyncio.get_running_loop().run_in_executor"),
        args=[_arg(cst.Name("None")), *target],
    )
    return new, imports, ""
