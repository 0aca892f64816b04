"""The async library a fix writes into a file, and the name it reaches it by.

Trio code gets `trio.sleep` / `trio.to_thread.run_sync`, anyio code the anyio ones (see
`rules.async_library`), through the name the file already binds (`import trio as t`
-> `t.sleep`). When an import has to be added, its name must be free: a fix never
binds `asyncio` over a parameter, a local or another module imported under that name.
"""

from __future__ import annotations

import libcst as cst

from asyncdoc_tui.fixes.cst import FixContext
from asyncdoc_tui.fixes.proposal import FixRefused
from asyncdoc_tui.rules.async_library import imported_libraries, library_of


class _Binds(cst.CSTVisitor):
    """Whether a function binds `name` itself: a parameter, an assignment target, a
    loop or `with` target, a walrus, an import or a nested definition."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.found = False

    def _check(self, node: cst.CSTNode | None) -> None:
        if node is not None:
            self.found |= any(isinstance(n, cst.Name) and n.value == self.name for n in _names(node))

    def visit_Param(self, node: cst.Param) -> None:
        self._check(node.name)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._check(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._check(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._check(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._check(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._check(node.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._check(node.target)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        self._check(node.name if node.asname is None else None)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._check(node.name)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._check(node.name)


def _names(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The node and the names it is made of (tuples and lists of targets)."""
    found: list[cst.CSTNode] = [node]
    if isinstance(node, (cst.Tuple, cst.List)):
        for element in node.elements:
            found.extend(_names(element.value))
    elif isinstance(node, cst.StarredElement):
        found.extend(_names(node.value))
    return found


def library_name(ctx: FixContext, function: cst.FunctionDef) -> tuple[str, str, bool]:
    """(library, the name to write for it, whether `import <library>` must be added)."""
    library = library_of(ctx.facts)
    alias = imported_libraries(ctx.facts).get(library)
    if alias is not None:
        return library, alias, False
    binds = _Binds(library)
    function.visit(binds)
    if binds.found or library in dict(ctx.facts.bindings):
        raise FixRefused(f"`{library}` already names something else here (a parameter, a local or another import): rename it, or import {library} under another name")
    return library, library, True
