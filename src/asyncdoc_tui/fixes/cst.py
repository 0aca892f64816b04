"""libcst plumbing shared by the rewriting fixers: find the node a finding points at,
wrap calls in `await`, check the async context, add and drop imports.

Imported only when a fix is computed (libcst is slow to import and to parse).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.metadata import CodeRange, MetadataWrapper, ParentNodeProvider, PositionProvider

from asyncdoc_tui.model import Finding
from asyncdoc_tui.fixes.proposal import FixRefused
from asyncdoc_tui.fixes.source import char_col
from asyncdoc_tui.scan.facts_model import CallFact, FileFacts
from asyncdoc_tui.scan.project import Project


@dataclass
class FixContext:
    """Everything a fixer needs: the finding, its facts and the parsed file with metadata."""

    project: Project
    finding: Finding
    facts: FileFacts
    call: CallFact | None
    text: str
    fix_id: str
    wrapper: MetadataWrapper = field(init=False)
    positions: dict[cst.CSTNode, CodeRange] = field(init=False)
    parents: dict[cst.CSTNode, cst.CSTNode] = field(init=False)

    def __post_init__(self) -> None:
        try:
            module = cst.parse_module(self.text)
        except cst.ParserSyntaxError as exc:
            raise FixRefused(f"libcst cannot parse this file: {exc.message}") from exc
        self.wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        self.positions = self.wrapper.resolve(PositionProvider)
        self.parents = self.wrapper.resolve(ParentNodeProvider)

    @property
    def module(self) -> cst.Module:
        return self.wrapper.module

    def target_call(self) -> cst.Call:
        """The libcst Call node at the finding's call site."""
        if self.call is None:
            raise FixRefused("the finding does not point at a call")
        line, col = self.call.line, char_col(self.text, self.call.line, self.call.col)
        end = (self.call.end_line, char_col(self.text, self.call.end_line, self.call.end_col))
        found: list[cst.Call] = []
        for node, where in self.positions.items():
            if isinstance(node, cst.Call):
                start = self.positions[node.func].start
                if (start.line, start.column) == (line, col):
                    found.append(node)
        if not found:
            raise FixRefused(f"cannot find the call at line {self.call.line} in the file")
        exact = [n for n in found if (self.positions[n].end.line, self.positions[n].end.column) == end]
        return (exact or found)[0]

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.parents.get(node)

    def ancestors(self, node: cst.CSTNode) -> list[cst.CSTNode]:
        chain: list[cst.CSTNode] = []
        current = self.parents.get(node)
        while current is not None:
            chain.append(current)
            current = self.parents.get(current)
        return chain

    def enclosing_function(self, node: cst.CSTNode) -> cst.FunctionDef:
        """The innermost function around `node`; refuses lambdas and sync functions."""
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, cst.Lambda):
                raise FixRefused("the call is inside a lambda, which cannot await")
            if isinstance(ancestor, cst.GeneratorExp):
                raise FixRefused("the call is inside a generator expression; awaiting there changes what it produces")
            if isinstance(ancestor, cst.FunctionDef):
                return ancestor
        raise FixRefused("the call is not inside a function")

    def require_await_allowed(self, node: cst.CSTNode) -> cst.FunctionDef:
        function = self.enclosing_function(node)
        if function.asynchronous is None:
            raise FixRefused("the call is not directly inside an `async def`; an `await` here would not compile")
        return function

    def bound_name(self, root: str) -> tuple[str, str | None, str | None] | None:
        """The module-level import binding `root`: (module, object, asname) for libcst's
        import visitors, or None when `root` is not bound by an import at module level."""
        for imp in self.facts.imports:
            if imp.scope != "module" or imp.guard or imp.level:
                continue
            if not imp.is_from:
                bound = imp.asname or imp.module.partition(".")[0]
                if bound == root:
                    return (imp.module if imp.asname else bound, None, imp.asname)
            else:
                for name, asname in imp.names:
                    if (asname or name) == root:
                        return (imp.module, name, asname)
        return None


def awaited(expression: cst.BaseExpression, parent: cst.CSTNode | None) -> cst.BaseExpression:
    """`await expression`, parenthesised where `await` would bind too loosely (`x.y`,
    `x[0]`, `x()`)."""
    node = cst.Await(expression=expression.with_changes(lpar=(), rpar=()), lpar=expression.lpar, rpar=expression.rpar)
    if not node.lpar and isinstance(parent, (cst.Attribute, cst.Subscript, cst.Call)):
        if (isinstance(parent, cst.Attribute) and parent.value is expression) or (
            isinstance(parent, cst.Subscript) and parent.value is expression
        ) or (isinstance(parent, cst.Call) and parent.func is expression):
            node = node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return node


def replace_node(module: cst.Module, old: cst.CSTNode, new: cst.CSTNode) -> cst.Module:
    """The module with one node (found by identity) replaced."""
    return module.deep_replace(old, new)  # type: ignore[return-value]


def with_imports(
    module: cst.Module,
    add: Sequence[tuple[str, str | None]] = (),
    remove_if_unused: Sequence[tuple[str, str | None, str | None]] = (),
) -> cst.Module:
    """Add `import m` / `from m import o` where missing; drop imports left unused."""
    context = CodemodContext()
    for module_name, obj in add:
        AddImportsVisitor.add_needed_import(context, module_name, obj)
    for module_name, obj, asname in remove_if_unused:
        RemoveImportsVisitor.remove_unused_import(context, module_name, obj, asname)
    if add:
        module = AddImportsVisitor(context).transform_module(module)
    if remove_if_unused:
        module = RemoveImportsVisitor(context).transform_module(module)
    return module


def dotted(expression: cst.BaseExpression) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None."""
    if isinstance(expression, cst.Name):
        return expression.value
    if isinstance(expression, cst.Attribute):
        head = dotted(expression.value)
        return f"{head}.{expression.attr.value}" if head else None
    return None


def root_name(expression: cst.BaseExpression) -> str | None:
    name = dotted(expression)
    return name.partition(".")[0] if name else None
