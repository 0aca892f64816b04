"""`async def` route or dependency that never awaits -> `def`: FastAPI then runs it in
its thread pool, so the blocking calls inside stop blocking the loop (the guide's
"better approach"). Offered only when nothing in the project calls the function.
"""

from __future__ import annotations

import libcst as cst

from asyncdoc_tui.fixes.cst import FixContext
from asyncdoc_tui.fixes.proposal import FixRefused


class _AwaitFinder(cst.CSTVisitor):
    """Await / async for / async with in the function's own body (not nested defs)."""

    def __init__(self) -> None:
        self.found = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Await(self, node: cst.Await) -> None:
        self.found = True

    def visit_For(self, node: cst.For) -> None:
        self.found = self.found or node.asynchronous is not None

    def visit_With(self, node: cst.With) -> None:
        self.found = self.found or node.asynchronous is not None

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.found = self.found or node.asynchronous is not None


def rewrite(ctx: FixContext) -> tuple[str, str]:
    function = ctx.enclosing_function(ctx.target_call())
    if function.asynchronous is None:
        raise FixRefused("the enclosing function is already a plain `def`")
    finder = _AwaitFinder()
    function.body.visit(finder)
    if finder.found:
        raise FixRefused(f"`{function.name.value}` awaits something, so it must stay `async def`")
    module = ctx.replace(function, function.with_changes(asynchronous=None))
    return module.code, f"`{function.name.value}` will run in FastAPI's thread pool (40 threads by default)."
