"""libcst plumbing shared by the rewriting fixers: find the node a finding points at,
wrap calls in `await`, check the async context, add and drop imports.

Imported only when a fix is computed (libcst is slow to import and to parse).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import (
    CodeRange,
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
)

from asyncdoc_tui.fixes.proposal import FixRefused
from asyncdoc_tui.fixes.source import char_col
from asyncdoc_tui.model import Finding
from asyncdoc_tui.scan.facts_model import CallFact, FileFacts
from asyncdoc_tui.scan.project import Project


@dataclass(frozen=True)
class ParsedFile:
    """A parsed file with the metadata fixers use; libcst nodes are immutable, so one
    parse serves every fix computed on the same text."""

    module: cst.Module
    positions: Mapping[cst.CSTNode, CodeRange]
    parents: Mapping[cst.CSTNode, cst.CSTNode]
    calls_by_start: dict[tuple[int, int], list[cst.Call]]


# Each parse keeps a position for every node (several libcst objects per node), so only
# the latest text of the few most recently fixed files is kept: moving the cursor within
# a file reuses its parse, an edited file replaces its old parse instead of adding one.
PARSE_CACHE_FILES = 8  # as many texts as the earlier lru_cache kept; a file costs a few thousand objects
_parses: OrderedDict[str, tuple[str, ParsedFile]] = OrderedDict()
_parses_lock = threading.Lock()  # fixes are computed in worker threads


def parsed(path: str, text: str) -> ParsedFile:
    """The parse of `text`, the current text of the file at `path`."""
    with _parses_lock:
        entry = _parses.get(path)
        if entry is not None and entry[0] == text:
            _parses.move_to_end(path)
            return entry[1]
    file = _parse(text)
    with _parses_lock:
        _parses[path] = (text, file)
        _parses.move_to_end(path)
        while len(_parses) > PARSE_CACHE_FILES:
            _parses.popitem(last=False)
    return file


def _parse(text: str) -> ParsedFile:
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        raise FixRefused(f"libcst cannot parse this file: {exc.message}") from exc
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    calls: dict[tuple[int, int], list[cst.Call]] = {}
    for node in positions:
        if isinstance(node, cst.Call):
            start = positions[node.func].start
            calls.setdefault((start.line, start.column), []).append(node)
    return ParsedFile(module, positions, wrapper.resolve(ParentNodeProvider), calls)


class _SwapChild(cst.CSTTransformer):
    """Replace one direct child of `top` without descending any further."""

    def __init__(self, top: cst.CSTNode, old: cst.CSTNode, new: cst.CSTNode) -> None:
        self.top, self.old, self.new = top, old, new

    def on_visit(self, node: cst.CSTNode) -> bool:
        return node is self.top

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:
        return self.new if original_node is self.old else updated_node


@dataclass
class FixContext:
    """Everything a fixer needs: the finding, its facts and the parsed file with metadata."""

    project: Project
    finding: Finding
    facts: FileFacts
    call: CallFact | None
    text: str
    fix_id: str
    file: ParsedFile = field(init=False)

    def __post_init__(self) -> None:
        self.file = parsed(self.facts.path, self.text)

    @property
    def module(self) -> cst.Module:
        return self.file.module

    @property
    def positions(self) -> Mapping[cst.CSTNode, CodeRange]:
        return self.file.positions

    @property
    def parents(self) -> Mapping[cst.CSTNode, cst.CSTNode]:
        return self.file.parents

    def target_call(self) -> cst.Call:
        """The libcst Call node at the finding's call site."""
        if self.call is None:
            raise FixRefused("the finding does not point at a call")
        start = (self.call.line, char_col(self.text, self.call.line, self.call.col))
        end = (self.call.end_line, char_col(self.text, self.call.end_line, self.call.end_col))
        found = self.file.calls_by_start.get(start, [])
        if not found:
            raise FixRefused(f"cannot find the call at line {self.call.line} in the file")
        exact = [n for n in found if (self.positions[n].end.line, self.positions[n].end.column) == end]
        return (exact or found)[0]

    def replace(self, old: cst.CSTNode, new: cst.CSTNode) -> cst.Module:
        """The module with `old` (a node of this file) replaced, rebuilding only its
        ancestors instead of walking the whole tree."""
        for ancestor in self.ancestors(old):
            old, new = ancestor, ancestor.visit(_SwapChild(ancestor, old, new))
        if not isinstance(new, cst.Module):
            raise FixRefused("internal: the node is not part of this file")
        return new

    def awaited(self, original: cst.BaseExpression, expression: cst.BaseExpression) -> cst.Await:
        """`await expression` to stand where `original` stands, parenthesised where
        `await` would bind too loosely (`(await f()).x`, `(await f())[0]`, `(await f())()`)."""
        node = cst.Await(expression=expression.with_changes(lpar=(), rpar=()), lpar=original.lpar, rpar=original.rpar)
        parent = self.parents.get(original)
        holds = (
            (isinstance(parent, (cst.Attribute, cst.Subscript)) and parent.value is original)
            or (isinstance(parent, cst.Call) and parent.func is original)
        )
        if holds and not node.lpar:
            node = node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return node

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
        """The module-level import binding `root` as (module, object, asname), or None."""
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

    def imported_root(self, expression: cst.BaseExpression) -> str | None:
        """The name of `expression`'s root when a module-level import binds it."""
        root = root_name(expression)
        for imp in self.facts.imports:
            if imp.scope != "module" or imp.guard:
                continue
            bound = [asname or name for name, asname in imp.names] if imp.is_from else [imp.asname or imp.module.partition(".")[0]]
            if root in bound:
                return root
        return None


def replace_node(module: cst.Module, old: cst.CSTNode, new: cst.CSTNode) -> cst.Module:
    """The module with one node (found by identity) replaced."""
    return module.deep_replace(old, new)  # type: ignore[return-value]


def _is_import_line(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _imports_module(statement: cst.CSTNode, name: str) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(small, cst.Import)
        and not isinstance(small.names, cst.ImportStar)
        and any(alias.asname is None and dotted(alias.name) == name for alias in small.names)
        for small in statement.body
    )


def ensure_import(module: cst.Module, name: str) -> cst.Module:
    """`import name` at module level unless already there, in alphabetical place among
    the plain imports of the leading import block.

    Plain list surgery instead of libcst's AddImportsVisitor, which needs a full
    metadata pass (seconds on a large file)."""
    body = list(module.body)
    if any(_imports_module(statement, name) for statement in body):
        return module
    position = 1 if body and _is_docstring(body[0]) else 0
    block: list[int] = []
    for index in range(position, len(body)):
        if not _is_import_line(body[index]):
            break
        block.append(index)
    plain = [i for i in block if isinstance(body[i].body[0], cst.Import)]
    runtime = [i for i in block if not _is_future(body[i])]
    later = next((i for i in plain if (dotted(body[i].body[0].names[0].name) or "") > name), None)
    statement = cst.parse_statement(f"import {name}\n", config=module.config_for_parsing)
    if later is None and plain:
        body.insert(plain[-1] + 1, statement)
        return module.with_changes(body=body)
    before = later if later is not None else (runtime[0] if runtime else None)
    if before is None:
        before = block[-1] + 1 if block else position
        if before < len(body) and (block or position):
            statement = statement.with_changes(leading_lines=[cst.EmptyLine()])
        body.insert(before, statement)
        return module.with_changes(body=body)
    # take the blank lines and comments that introduce the group
    statement = statement.with_changes(leading_lines=body[before].leading_lines)
    body[before] = body[before].with_changes(leading_lines=[])
    body.insert(before, statement)
    return module.with_changes(body=body)


def _is_future(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(small, cst.ImportFrom) and dotted(small.module) == "__future__" if small.module else False
        for small in statement.body
        if isinstance(small, cst.ImportFrom)
    )


class _NameCounter(cst.CSTVisitor):
    """Uses of a name outside import statements."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.count += node.value == self.name


def _alias_binds(alias: cst.ImportAlias, name: str) -> bool:
    if alias.asname is not None:
        return isinstance(alias.asname.name, cst.Name) and alias.asname.name.value == name
    return (dotted(alias.name) or "").partition(".")[0] == name


def carried_lines(removed: cst.BaseStatement, following: cst.BaseStatement) -> list[cst.EmptyLine]:
    """Leading lines for the statement after a removed one: its comments always move
    down; its blank lines only when the next statement has none (no double gaps)."""
    own = list(following.leading_lines)
    moved = [line for line in removed.leading_lines if line.comment is not None or not own]
    return [*moved, *own]


def drop_import_if_unused(module: cst.Module, name: str) -> cst.Module:
    """Remove the module-level import binding `name` when nothing else uses the name.

    An emptied import line disappears; its leading blank lines and comments move to
    the next statement so the file's layout stays."""
    counter = _NameCounter(name)
    module.visit(counter)
    if counter.count:
        return module
    body = list(module.body)
    for index, statement in enumerate(body):
        if not _is_import_line(statement):
            continue
        smalls = []
        changed = False
        for small in statement.body:
            if isinstance(small.names, cst.ImportStar):
                smalls.append(small)
                continue
            kept = [a for a in small.names if not _alias_binds(a, name)]
            if len(kept) != len(small.names):
                changed = True
                if not kept:
                    continue
                kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                small = small.with_changes(names=kept)
                if isinstance(small, cst.ImportFrom) and small.rpar is not None and len(kept) == 1:
                    small = small.with_changes(lpar=None, rpar=None)
            smalls.append(small)
        if not changed:
            continue
        if smalls:
            smalls[-1] = smalls[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
            body[index] = statement.with_changes(body=smalls)
        else:
            del body[index]
            if index < len(body):
                body[index] = body[index].with_changes(leading_lines=carried_lines(statement, body[index]))
        return module.with_changes(body=body)
    return module


def with_imports(
    module: cst.Module,
    add: Sequence[tuple[str, str | None]] = (),
    remove_if_unused: Sequence[tuple[str, str | None, str | None]] = (),
) -> cst.Module:
    """Add `import m` where missing and drop the given bindings (module, object, asname
    as `FixContext.bound_name` returns them) when nothing uses them any more."""
    for module_name, obj in add:
        if obj is not None:
            raise ValueError("with_imports adds plain `import module` statements only")
        module = ensure_import(module, module_name)
    for module_name, obj, asname in remove_if_unused:
        module = drop_import_if_unused(module, asname or obj or module_name.partition(".")[0])
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
