"""Parse a file written in any grammar from Python 3.8 to 3.14 with the running `ast`.

`ast.parse` is the fast path. Only after it raises SyntaxError is the source
down-levelled (`downlevel`: 3.11 syntax, every byte in place) and parsed again, and the
tree given back the shapes a 3.14 parser produces where 3.11's `ast` has them: f- and
t-string groups become JoinedStr again (t-strings too: 3.11 has no TemplateStr), an
unparenthesised `except A, B:` a tuple, and the placeholder statements standing in for
`type` aliases go. Positions are the original file's throughout.
"""

from __future__ import annotations

import ast
import importlib
import re
from bisect import bisect_left
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asyncdoc_tui.scan.downlevel import Marks, Span

# The lexer and its patterns cost ~3 ms to import; most processes never need them.
DOWNLEVEL = "asyncdoc_tui.scan.downlevel"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def parse(text: str, filename: str) -> ast.Module:
    """The module's tree in whichever grammar it is written; raises SyntaxError when no
    grammar accepts it (see `_reported` for which error)."""
    try:
        return ast.parse(text, filename=filename)
    except SyntaxError as original:
        try:
            tree = parse_downlevelled(text, filename)
        except SyntaxError as again:
            raise _reported(original, again) from None
        if tree is None:
            raise original from None
        return tree


def parse_downlevelled(text: str, filename: str) -> ast.Module | None:
    """The slow path on its own: down-level, parse, give the tree 3.14's shapes back.

    None when the text cannot even be lexed; SyntaxError, placed in the original text
    with a note per newer construct that was read, when the result does not parse."""
    result = importlib.import_module(DOWNLEVEL).downlevel(text)
    if result is None:
        return None
    lowered, marks = result
    try:
        tree = ast.parse(lowered, filename=filename)
    except SyntaxError as exc:
        error = _placed(exc, text, lowered)
        for construct in sorted(marks.constructs):
            error.add_note(construct)
        raise error from None
    return _Restore(marks).visit(tree)


def check_compiles(text: str, filename: str) -> None:
    """Raise SyntaxError as `compile()` would for the grammar the text is written in: the
    full compiler, which also rejects what the parser lets through (`await` outside an
    async function). The down-levelled text compiles exactly when the original does."""
    try:
        compile(text, filename, "exec", dont_inherit=True)
    except SyntaxError as original:
        result = importlib.import_module(DOWNLEVEL).downlevel(text)
        if result is None:
            raise original from None
        try:
            compile(result[0], filename, "exec", dont_inherit=True)
        except SyntaxError as again:
            raise _reported(original, _placed(again, text, result[0])) from None


def _reported(original: SyntaxError, again: SyntaxError) -> SyntaxError:
    """The error to report when the down-levelled text fails too: the original one,
    with the notes naming the newer syntax that was read, unless the other failed on
    another line. The original error was then that newer syntax, and the other one is
    in text the rewrite left alone."""
    if again.lineno != original.lineno:
        return again
    for note in getattr(again, "__notes__", ()):
        original.add_note(note)
    return original


def _placed(exc: SyntaxError, text: str, lowered: str) -> SyntaxError:
    """The same error with its column counted in the original line's characters (a
    blanked `é` is two spaces: same bytes, one more character)."""
    line = (exc.lineno or 0) - 1
    ours, theirs = _LINE_BREAK.split(lowered), _LINE_BREAK.split(text)  # as ast counts lines
    if not exc.offset or not 0 <= line < min(len(ours), len(theirs)):
        return exc
    byte = len(ours[line][: exc.offset - 1].encode())
    column = len(theirs[line].encode()[:byte].decode(errors="ignore")) + 1
    return SyntaxError(exc.msg, (exc.filename, exc.lineno, column, theirs[line]))


def _span(node: ast.expr) -> Span:
    return (node.lineno, node.col_offset, node.end_lineno or node.lineno, node.end_col_offset or node.col_offset)


class _Restore(ast.NodeTransformer):
    """Undo, on the tree, the shapes the down-levelling had to borrow.

    Only subtrees whose lines hold a mark are entered: a generic walk of every node
    would cost more than the down-levelling itself."""

    def __init__(self, marks: Marks) -> None:
        self.marks = marks
        starts = {span[0] for span in marks.strings} | {line for line, _ in marks.placeholders}
        self.lines = sorted(starts | {line for line, _ in marks.handlers})

    def visit(self, node: ast.AST) -> ast.AST | None:
        first = getattr(node, "lineno", None)
        if first is not None:
            for decorator in getattr(node, "decorator_list", ()):  # they sit above the def
                first = min(first, decorator.lineno)
            k = bisect_left(self.lines, first)
            if k == len(self.lines) or self.lines[k] > (node.end_lineno or first):  # type: ignore[attr-defined]
                return node
        return super().visit(node)

    def visit_Tuple(self, node: ast.Tuple) -> ast.expr:
        self.generic_visit(node)
        if _span(node) not in self.marks.strings:
            return node
        values: list[ast.expr] = [ast.copy_location(ast.FormattedValue(value=e, conversion=-1, format_spec=None), e) for e in node.elts]
        return ast.copy_location(ast.JoinedStr(values=values), node)

    def visit_Expr(self, node: ast.Expr) -> ast.Expr | None:
        if (node.lineno, node.col_offset) in self.marks.placeholders:
            return None
        self.generic_visit(node)
        return node

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> ast.ExceptHandler:
        self.generic_visit(node)
        spans = self.marks.handlers.get((node.lineno, node.col_offset))
        if spans and node.type is not None:
            by_span: dict[Span, ast.expr] = {}
            for child in ast.walk(node.type):  # breadth first: the outermost node of a span wins
                if isinstance(child, ast.expr):
                    by_span.setdefault(_span(child), child)
            elts = [next((by_span[s] for s in candidates if s in by_span), None) for candidates in spans]
            if all(elts):
                first, last = elts[0], elts[-1]
                node.type = ast.Tuple(
                    elts=elts,
                    ctx=ast.Load(),
                    lineno=first.lineno,
                    col_offset=first.col_offset,
                    end_lineno=last.end_lineno,
                    end_col_offset=last.end_col_offset,
                )
        return node
