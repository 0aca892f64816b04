"""Cycle remedies on the one import statement a cycle's cut names (rules/cycles.py
advice): move it under `if TYPE_CHECKING:`, first writing SQLAlchemy model references
as strings when needed, or move it into the functions that use it.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from asyncdoc_tui.fixes.cst import FixContext, carried_lines, dotted
from asyncdoc_tui.fixes.proposal import FixRefused
from asyncdoc_tui.fixes.registry import cycle_advice


def _statement_index(ctx: FixContext, line: int) -> int:
    for index, statement in enumerate(ctx.module.body):
        if isinstance(statement, cst.SimpleStatementLine) and ctx.positions[statement.body[0]].start.line == line:
            if len(statement.body) != 1 or not isinstance(statement.body[0], (cst.Import, cst.ImportFrom)):
                raise FixRefused("the import shares its line with other statements; split the line first")
            return index
    raise FixRefused(f"cannot find the module-level import at line {line}")


def _without(body: list[cst.BaseStatement], index: int) -> list[cst.BaseStatement]:
    """Body minus one statement; its blank lines and comments move to the next one."""
    removed = body.pop(index)
    if index < len(body):
        body[index] = body[index].with_changes(leading_lines=carried_lines(removed, body[index]))
    return body


def _is_type_checking_block(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.If) and dotted(statement.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def _is_doc(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_import(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body
    )


def _import_block_end(body: list[cst.BaseStatement]) -> int:
    """Index after the leading docstring and import statements."""
    for index, statement in enumerate(body):
        if not ((index == 0 and _is_doc(statement)) or _is_import(statement)):
            return index
    return len(body)


def _binds(body: list[cst.BaseStatement], module: str, name: str) -> bool:
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if (
                    isinstance(small, cst.ImportFrom)
                    and small.module is not None
                    and dotted(small.module) == module
                    and not isinstance(small.names, cst.ImportStar)
                    and any(a.name.value == name for a in small.names)
                ):
                    return True
    return False


def _parse(ctx: FixContext, code: str) -> cst.BaseStatement:
    return cst.parse_statement(code, config=ctx.module.config_for_parsing)


def _under_type_checking(ctx: FixContext, module: cst.Module, index: int) -> tuple[cst.Module, list[str]]:
    """Move body[index] into an `if TYPE_CHECKING:` block (reused or created)."""
    notes: list[str] = []
    body = list(module.body)
    statement = body[index].with_changes(leading_lines=[])
    body = _without(body, index)
    block_at = next((i for i, s in enumerate(body) if _is_type_checking_block(s)), None)
    if block_at is not None:
        block = body[block_at]
        body[block_at] = block.with_changes(body=block.body.with_changes(body=[*block.body.body, statement]))
    else:
        at = _import_block_end(body)
        new_block = _parse(ctx, "if TYPE_CHECKING:\n    pass\n")
        new_block = new_block.with_changes(body=new_block.body.with_changes(body=[statement]), leading_lines=[cst.EmptyLine()])
        body.insert(at, new_block)
        if not _binds(body, "typing", "TYPE_CHECKING"):
            typing_import = _parse(ctx, "from typing import TYPE_CHECKING\n")
            if at and not _is_import(body[at - 1]):
                typing_import = typing_import.with_changes(leading_lines=[cst.EmptyLine()])
            body.insert(at, typing_import)
    if not ctx.facts.future_annotations:
        first = 1 if body and _is_doc(body[0]) else 0
        future = _parse(ctx, "from __future__ import annotations\n")
        if first:
            future = future.with_changes(leading_lines=[cst.EmptyLine()])
        if first < len(body) and not body[first].leading_lines:
            body[first] = body[first].with_changes(leading_lines=[cst.EmptyLine()])
        body.insert(first, future)
        notes.append(
            "`from __future__ import annotations` makes every annotation of the module lazy: check code that "
            "reads annotations at run time (FastAPI signatures, Pydantic, dataclasses with `ClassVar`)."
        )
    return module.with_changes(body=body), notes


class _QuoteModelReferences(cst.CSTTransformer):
    """Inside model class bodies: `Mapped[Post]` -> `Mapped["Post"]`, `relationship(Post)`
    -> `relationship("Post")`."""

    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.in_annotation = 0
        self.in_relationship_arg = 0

    def visit_Annotation(self, node: cst.Annotation) -> None:
        self.in_annotation += 1

    def leave_Annotation(self, original_node: cst.Annotation, updated_node: cst.Annotation) -> cst.Annotation:
        self.in_annotation -= 1
        return updated_node

    def visit_Arg(self, node: cst.Arg) -> None:
        self.in_relationship_arg += isinstance(node.value, cst.Name)

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        self.in_relationship_arg -= isinstance(original_node.value, cst.Name)
        return updated_node

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        if original_node.value in self.names and (self.in_annotation or self.in_relationship_arg):
            return cst.SimpleString(f'"{original_node.value}"')
        return updated_node


class _RuntimeUses(cst.CSTVisitor):
    """Names still evaluated at import time (outside imports and annotations)."""

    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.found: set[str] = set()

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Annotation(self, node: cst.Annotation) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in self.names:
            self.found.add(node.value)


def _quote_models(ctx: FixContext, advice: dict[str, Any]) -> cst.Module:
    names = set(advice["local_names"])
    classes = {m["class"] for m in advice["usage"]["models"]}
    body = list(ctx.module.body)
    for index, statement in enumerate(body):
        if isinstance(statement, cst.ClassDef) and statement.name.value in classes:
            body[index] = statement.visit(_QuoteModelReferences(names))
    module = ctx.module.with_changes(body=body)
    uses = _RuntimeUses(names)
    module.visit(uses)
    if uses.found:
        raise FixRefused(f"{', '.join(sorted(uses.found))} still used at run time after quoting model references")
    return module


def _function(body: list[cst.BaseStatement], qualname: str) -> tuple[list[int], cst.FunctionDef]:
    """Path of body indexes to a function by qualname (`C.method`; nested via `<locals>`)."""
    parts = [p for p in qualname.split(".") if p != "<locals>"]
    path: list[int] = []
    statements: Any = body
    node: cst.CSTNode | None = None
    for part in parts:
        for index, statement in enumerate(statements):
            if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) and statement.name.value == part:
                path.append(index)
                node = statement
                statements = statement.body.body if isinstance(statement.body, cst.IndentedBlock) else ()
                break
        else:
            raise FixRefused(f"cannot find function `{qualname}`")
    if not isinstance(node, cst.FunctionDef):
        raise FixRefused(f"`{qualname}` is not a function")
    return path, node


def _replace_at(body: list[cst.BaseStatement], path: list[int], new: cst.BaseStatement) -> list[cst.BaseStatement]:
    body = list(body)
    if len(path) == 1:
        body[path[0]] = new
        return body
    parent = body[path[0]]
    inner = _replace_at(list(parent.body.body), path[1:], new)
    body[path[0]] = parent.with_changes(body=parent.body.with_changes(body=inner))
    return body


def _into_functions(ctx: FixContext, index: int, advice: dict[str, Any]) -> cst.Module:
    usage = advice["usage"]
    if usage.get("in_annotations"):
        raise FixRefused("the names are also used in annotations; keep an `if TYPE_CHECKING:` import for them and move the rest by hand")
    if not usage.get("functions"):
        raise FixRefused("no function uses the names")
    statement = ctx.module.body[index].with_changes(leading_lines=[])
    body = _without(list(ctx.module.body), index)
    for qualname in usage["functions"]:
        path, function = _function(body, qualname)
        inner = list(function.body.body)
        first = 1 if inner and _is_doc(inner[0]) else 0
        inner.insert(first, statement)
        body = _replace_at(body, path, function.with_changes(body=function.body.with_changes(body=inner)))
    return ctx.module.with_changes(body=body)


def rewrite(ctx: FixContext) -> tuple[str, str]:
    advice = cycle_advice(ctx.finding)
    if advice is None:
        raise FixRefused("the cycle has no single import statement to change")
    index = _statement_index(ctx, int(advice["line"]))
    notes = [f"{advice['message']}." if advice.get("message") else ""]
    if ctx.fix_id == "local-import":
        module = _into_functions(ctx, index, advice)
        notes.append("The module is now imported when the function first runs, not at import time.")
    else:
        module = _quote_models(ctx, advice) if ctx.fix_id == "string-annotations" else ctx.module
        module, more = _under_type_checking(ctx, module, index)
        notes += more
    return module.code, " ".join(n for n in notes if n)
