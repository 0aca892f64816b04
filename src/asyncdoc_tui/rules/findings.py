"""Finding construction shared by the rule families: catalog defaults in one place."""

from __future__ import annotations

from typing import Any

from asyncdoc_tui.model import Finding
from asyncdoc_tui.scan.facts_model import CallFact, FileFacts
from asyncdoc_tui.scan.project import Project


def rule_finding(
    project: Project, code: str, path: str, span: tuple[int, int, int, int], message: str, **fields: Any
) -> Finding:
    """A finding over `span` (line, col, end line, end col); severity, alternative and
    equivalent come from the catalog's entry for `code` unless `fields` give them."""
    info = project.catalog.rules[code]
    defaults: dict[str, Any] = {"severity": info.severity, "alternative": info.alternative, "equivalent": info.equivalent}
    line, col, end_line, end_col = span
    return Finding(
        code=code,
        path=path,
        line=line,
        col=col,
        end_line=end_line,
        end_col=end_col,
        message=message,
        **(defaults | fields),
    )


def call_finding(project: Project, code: str, facts: FileFacts, call: CallFact, message: str, **fields: Any) -> Finding:
    """A finding spanning `call` in `facts` (see `rule_finding`)."""
    span = (call.line, call.col, call.end_line, call.end_col)
    return rule_finding(project, code, facts.path, span, message, **fields)
