"""AD104 on `with open(p) as fh:` whose body reads or writes the whole file in one
statement -> that statement alone, doing the I/O in a worker thread through `pathlib`:

    with open(p, encoding="utf-8") as fh:     ->   data = await asyncio.to_thread(
        data = fh.read()                                pathlib.Path(p).read_text, encoding="utf-8")

Same bytes read or written, same encoding and newline handling (`Path.read_text` and
`write_text` open the file the way `open()` does), and the file is closed as before. Which
blocks qualify is decided by `rules.file_blocks`; this module only rewrites them.
"""

from __future__ import annotations

import libcst as cst

from asyncdoc_tui.fixes.cst import FixContext, ensure_import
from asyncdoc_tui.fixes.library import library_name
from asyncdoc_tui.fixes.proposal import FixRefused
from asyncdoc_tui.rules.async_library import ASYNCIO


def _keyword(arg: cst.Arg, name: str) -> bool:
    return arg.keyword is not None and arg.keyword.value == name


def rewrite(ctx: FixContext) -> tuple[str, str]:
    call = ctx.target_call()
    library, name, needs_import = library_name(ctx, ctx.require_await_allowed(call))
    item, block = ctx.parent(call), ctx.parent(ctx.parent(call))
    if not (isinstance(item, cst.WithItem) and isinstance(block, cst.With) and isinstance(block.body, cst.IndentedBlock)):
        raise FixRefused("the `open()` does not head a `with` block")
    line = block.body.body[0] if len(block.body.body) == 1 else None
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        raise FixRefused("the block is not one simple statement")
    statement = line.body[0]
    io_call = statement.value if isinstance(statement, (cst.Return, cst.Expr, cst.Assign)) else None
    if not isinstance(io_call, cst.Call) or not isinstance(io_call.func, cst.Attribute):
        raise FixRefused("the block does not read or write the whole file")
    positional = [a for a in call.args if a.keyword is None]
    mode_arg = positional[1] if len(positional) > 1 else next((a for a in call.args if _keyword(a, "mode")), None)
    mode = mode_arg.value.evaluated_value if mode_arg is not None and isinstance(mode_arg.value, cst.SimpleString) else "r"
    kind = "bytes" if "b" in mode else "text"
    method = f"{io_call.func.attr.value}_{kind}"  # read_text, read_bytes, write_text, write_bytes
    passed = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in call.args if a.keyword is not None and not _keyword(a, "mode")]
    payload = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in io_call.args]
    target = cst.Attribute(value=cst.Call(func=cst.parse_expression("pathlib.Path"), args=[positional[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)]), attr=cst.Name(method))
    imports = ["pathlib"]
    if library == ASYNCIO:
        offload = cst.Call(func=cst.parse_expression(f"{name}.to_thread"), args=[cst.Arg(target), *payload, *passed])
    elif passed:  # trio/anyio run_sync takes no keywords for the callable
        partial = cst.Call(func=cst.parse_expression("functools.partial"), args=[cst.Arg(target), *payload, *passed])
        offload = cst.Call(func=cst.parse_expression(f"{name}.to_thread.run_sync"), args=[cst.Arg(partial)])
        imports.append("functools")
    else:
        offload = cst.Call(func=cst.parse_expression(f"{name}.to_thread.run_sync"), args=[cst.Arg(target), *payload])
    awaited = cst.Await(expression=offload)
    replacement = line.with_changes(body=[statement.with_changes(value=awaited)], leading_lines=block.leading_lines)
    module = ctx.replace(block, replacement)
    for module_name in [*imports, *([library] if needs_import else [])]:
        module = ensure_import(module, module_name)
    return module.code, ""
