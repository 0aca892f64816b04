"""AD403: consecutive independent awaits -> one `asyncio.gather` (or a TaskGroup).

`a = await f()` / `b = await g()` becomes `a, b = await asyncio.gather(f(), g())`:
gather returns results in the order of its arguments, so every target keeps its value.
Variants: `return_exceptions=True` (a failure does not cancel the others; each result
may then be an exception) and `asyncio.TaskGroup` (Python 3.11+, cancels the others on
the first failure).
"""

from __future__ import annotations

import re

import libcst as cst

from asyncdoc_tui.fixes.cst import FixContext, with_imports
from asyncdoc_tui.fixes.proposal import FixRefused
from asyncdoc_tui.scan.facts import source_lines

MAX_LINE = 88
_RETURN_EXCEPTIONS_NOTE = "# return_exceptions=True: a failed call's result is its exception instance; check each before use"


def _statements(ctx: FixContext) -> tuple[cst.IndentedBlock, int, list[cst.SimpleStatementLine]]:
    """The block holding the awaits, the index of the first, and the statements."""
    lines = [line for line, _ in ctx.finding.extras.get("awaits", ())]
    by_line: dict[int, cst.SimpleStatementLine] = {}
    for node, where in ctx.positions.items():
        if isinstance(node, cst.SimpleStatementLine) and where.start.line in lines:
            by_line[where.start.line] = node
    if len(by_line) != len(lines) or len(lines) < 2:
        raise FixRefused("cannot find the awaits of this finding in the file (one statement per line is needed)")
    statements = [by_line[line] for line in lines]
    block = ctx.parent(statements[0])
    if not isinstance(block, cst.IndentedBlock) or any(ctx.parent(s) is not block for s in statements):
        raise FixRefused("the awaits are not in one indented block")
    first = next(i for i, s in enumerate(block.body) if s is statements[0])
    if list(block.body[first : first + len(statements)]) != statements:
        raise FixRefused("the awaits are no longer consecutive")
    for statement in statements:
        if len(statement.body) != 1 or not _assign_parts(statement.body[0]):
            raise FixRefused("each await must be a single `target = await call(...)` statement")
    return block, first, statements


def _assign_parts(node: cst.BaseSmallStatement) -> tuple[cst.BaseAssignTargetExpression, cst.Call] | None:
    if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.value, cst.Await):
        call = node.value.expression
        if isinstance(call, cst.Call):
            return node.targets[0].target, call
    return None


def _target_code(ctx: FixContext, target: cst.BaseAssignTargetExpression) -> str:
    code = ctx.module.code_for_node(target)
    return f"({code})" if isinstance(target, (cst.Tuple, cst.List)) and not target.lpar else code


def _indent(ctx: FixContext, statement: cst.SimpleStatementLine) -> str:
    line = source_lines(ctx.text)[ctx.positions[statement].start.line - 1]
    return line[: len(line) - len(line.lstrip())]


def _gather_code(targets: list[str], calls: list[str], indent: str, return_exceptions: bool) -> str:
    args = calls + (["return_exceptions=True"] if return_exceptions else [])
    head = f"{', '.join(targets)} = await asyncio.gather("
    one_line = f"{head}{', '.join(args)})"
    if len(indent) + len(one_line) <= MAX_LINE and not any("\n" in c for c in calls):
        return one_line
    # libcst indents continuation lines by the enclosing block's indentation itself.
    return head + "\n" + "".join(f"    {arg},\n" for arg in args) + ")"


def _fresh(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}_{number}", number + 1
    taken.add(candidate)
    return candidate


def _task_group_code(ctx: FixContext, targets: list[cst.BaseAssignTargetExpression], calls: list[str], taken: set[str]) -> str:
    group = _fresh("tg", taken)
    tasks = [_fresh(f"{t.value}_task" if isinstance(t, cst.Name) else f"task_{i}", taken) for i, t in enumerate(targets, 1)]
    lines = [f"async with asyncio.TaskGroup() as {group}:"]
    lines += [f"    {task} = {group}.create_task({call})" for task, call in zip(tasks, calls)]
    lines += [f"{ctx.module.code_for_node(t)} = {task}.result()" for t, task in zip(targets, tasks)]
    return "\n".join(lines) + "\n"


def rewrite(ctx: FixContext) -> tuple[str, str]:
    block, first, statements = _statements(ctx)
    function = ctx.require_await_allowed(statements[0])
    parts = [_assign_parts(s.body[0]) for s in statements]
    targets = [p[0] for p in parts if p]
    calls = [ctx.module.code_for_node(p[1]) for p in parts if p]
    config = ctx.module.config_for_parsing
    leading = [line for s in statements for line in s.leading_lines]
    notes = ""
    if ctx.fix_id == "task-group":
        taken = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", ctx.module.code_for_node(function)))
        new = list(cst.parse_module(_task_group_code(ctx, targets, calls, taken), config=config).body)
        notes = "asyncio.TaskGroup needs Python 3.11 or later; on the first failure it cancels the other tasks and raises an ExceptionGroup."
    else:
        return_exceptions = ctx.fix_id == "gather-return-exceptions"
        code = _gather_code([_target_code(ctx, t) for t in targets], calls, _indent(ctx, statements[0]), return_exceptions)
        new = [cst.parse_statement(code, config=config)]
        if return_exceptions:
            leading.append(cst.EmptyLine(comment=cst.Comment(_RETURN_EXCEPTIONS_NOTE)))
            notes = "With return_exceptions=True a failure no longer propagates: each result may be an exception instance."
    new[0] = new[0].with_changes(leading_lines=leading)
    body = list(block.body)
    body[first : first + len(statements)] = new
    module = ctx.module.deep_replace(block, block.with_changes(body=body))
    return with_imports(module, add=[("asyncio", None)]).code, notes  # type: ignore[arg-type]
