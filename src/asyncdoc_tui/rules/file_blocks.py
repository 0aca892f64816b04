"""Per-file tree pass: `with open(p) as fh:` blocks in `async def` that read or write the
whole file in one statement, which one `pathlib.Path` call in a worker thread replaces.

    with open(path, encoding="utf-8") as fh:       data = await asyncio.to_thread(
        data = fh.read()                      ->       pathlib.Path(path).read_text, encoding="utf-8")

Offloading only `open()` would leave `fh.read()` on the loop; the fix for the block has to
move the whole block. The pass records where such blocks are, so the fix is offered (first,
and safe) only where it applies. The result, in `FileFacts.extra["file_blocks"]`, is
(line, col) of the `open()` call and the block's shape ("read" or "write").
"""

from __future__ import annotations

import ast

from asyncdoc_tui.scan.facts import TREE_PASSES, FactsBuilder, dotted_name

PASS_NAME = "file_blocks"
OPEN = frozenset({"open", "io.open"})
READ_MODES = frozenset({"r", "rt", "tr", "rb", "br"})
WRITE_MODES = frozenset({"w", "wt", "tw", "wb", "bw"})
PASSED_KEYWORDS = frozenset({"encoding", "errors"})  # what Path.read_text/write_text take too


def open_mode(call: ast.Call) -> str | None:
    """The literal mode of an `open()` call ("r" when absent), or None when it is not a
    plain path, a literal mode and at most `encoding`/`errors`."""
    if not call.args or len(call.args) > 2 or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    keywords = {k.arg: k.value for k in call.keywords}
    if None in keywords or not set(keywords) <= PASSED_KEYWORDS | {"mode"}:
        return None
    mode_node = call.args[1] if len(call.args) == 2 else keywords.get("mode")
    if mode_node is None:
        return "r"
    if not (isinstance(mode_node, ast.Constant) and isinstance(mode_node.value, str)):
        return None
    mode = mode_node.value
    if mode not in READ_MODES | WRITE_MODES or ("b" in mode and set(keywords) & PASSED_KEYWORDS):
        return None
    return mode


def block_shape(body: list[ast.stmt], name: str) -> str | None:
    """"read" for `return fh.read()` / `x = fh.read()`, "write" for `fh.write(data)`."""
    if len(body) != 1:
        return None
    statement = body[0]
    value = statement.value if isinstance(statement, (ast.Return, ast.Expr)) else None
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        value = statement.value
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and dotted_name(value.func.value) == name):
        return None
    if value.keywords or any(isinstance(a, ast.Starred) for a in value.args):
        return None
    if value.func.attr == "read" and not value.args and not isinstance(statement, ast.Expr):
        return "read"
    if value.func.attr == "write" and len(value.args) == 1 and isinstance(statement, ast.Expr):
        return "write"
    return None


def file_blocks(tree: ast.Module, builder: FactsBuilder) -> tuple[tuple[int, int, str], ...]:
    """Tree pass: (line, col, shape) of each `open()` heading a whole-file block."""
    if "open(" not in builder.source or not any(f.is_async for f in builder.functions):
        return ()
    found: list[tuple[int, int, str]] = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.With) or len(node.items) != 1:
                continue
            item = node.items[0]
            call, target = item.context_expr, item.optional_vars
            if not (isinstance(call, ast.Call) and dotted_name(call.func) in OPEN and isinstance(target, ast.Name)):
                continue
            mode, shape = open_mode(call), block_shape(node.body, target.id)
            if mode is not None and shape == ("read" if mode in READ_MODES else "write"):
                found.append((call.lineno, call.col_offset + 1, shape))
    return tuple(sorted(set(found)))


TREE_PASSES[PASS_NAME] = file_blocks
