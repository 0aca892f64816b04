"""Per-file tree pass: sync calls whose sibling branch offloads the very same callable.

Real async code decides at run time where a call may run:

    if self._in_memory:
        self.file.write(data)                              # a SpooledTemporaryFile in RAM
    else:
        await run_in_threadpool(self.file.write, data)     # rolled over to disk

The author already knows the call can block and offloads it exactly when it does; the
direct call is the code's own decision, not a finding. The same holds when the `if`
branch returns and the code after it plays the `else` part. Only the same callable
expression counts (`self.file.write` beside `self.file.write`), and only when it is
handed to an offload API (`asyncio.to_thread`, `run_in_executor`, `run_in_threadpool`,
`anyio.to_thread.run_sync`, `executor.submit`).

The result, stored in `FileFacts.extra["offload_branches"]`, is the (line, col) of each
such direct call.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from asyncdoc_tui.scan.facts import TREE_PASSES, FactsBuilder, dotted_name

PASS_NAME = "offload_branches"
# Offload APIs by their last name, and the position of the callable among their arguments.
_OFFLOADS = {"to_thread": 0, "run_in_threadpool": 0, "run_sync": 0, "submit": 0, "run_in_executor": 1}
# Cheap gate: a file that names none of these cannot hold such a pair (most files).
_WORDS = tuple(_OFFLOADS)
_TERMINAL = (ast.Return, ast.Raise, ast.Continue, ast.Break)


def _offloaded(statements: list[ast.stmt]) -> set[str]:
    """Dotted callables handed to an offload API anywhere in these statements."""
    found: set[str] = set()
    for statement in statements:
        for node in ast.walk(statement):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            where = _OFFLOADS.get(name)
            if where is not None and len(node.args) > where and (callable_ := dotted_name(node.args[where])):
                found.add(callable_)
    return found


def _direct_calls(statements: list[ast.stmt], names: set[str]) -> Iterator[tuple[int, int]]:
    """(line, 1-based col) of the calls to one of `names` in these statements."""
    for statement in statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and dotted_name(node.func) in names:
                yield node.lineno, node.col_offset + 1


def _branch_pairs(body: list[ast.stmt]) -> Iterator[tuple[list[ast.stmt], list[ast.stmt]]]:
    """(one branch, its sibling) for every `if` in a block, nested blocks included; an
    `if` whose body ends the block's flow has the statements after it as its sibling."""
    for position, statement in enumerate(body):
        if isinstance(statement, ast.If):
            other = statement.orelse
            if not other and statement.body and isinstance(statement.body[-1], _TERMINAL):
                other = body[position + 1 :]
            yield statement.body, other
            yield other, statement.body
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(statement, field, None)
            if inner and not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                yield from _branch_pairs(inner)
        for handler in getattr(statement, "handlers", ()):
            yield from _branch_pairs(handler.body)


def _async_functions(tree: ast.Module) -> Iterator[ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.AsyncFunctionDef):
            yield node


def offload_branches(tree: ast.Module, builder: FactsBuilder) -> tuple[tuple[int, int], ...]:
    """Tree pass: positions of direct calls whose sibling branch offloads the same callable."""
    if not any(f.is_async for f in builder.functions) or not any(word in builder.source for word in _WORDS):
        return ()
    found: set[tuple[int, int]] = set()
    for function in _async_functions(tree):
        for branch, sibling in _branch_pairs(function.body):
            offloaded = _offloaded(sibling)
            if offloaded:
                found.update(_direct_calls(branch, offloaded))
    return tuple(sorted(found))


TREE_PASSES[PASS_NAME] = offload_branches
