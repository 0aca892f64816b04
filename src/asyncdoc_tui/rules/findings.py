"""Finding construction shared by the rule families that report a call."""

from __future__ import annotations

from typing import Any

from asyncdoc_tui.model import Finding
from asyncdoc_tui.scan.facts_model import CallFact, FileFacts
from asyncdoc_tui.scan.project import Project


def call_finding(project: Project, code: str, facts: FileFacts, call: CallFact, message: str, **fields: Any) -> Finding:
    """A finding spanning `call` in `facts`; severity, alternative and equivalent come from the
    catalog's entry for `code` unless `fields` give them."""
    info = project.catalog.rules[code]
    defaults: dict[str, Any] = {"severity": info.severity, "alternative": info.alternative, "equivalent": info.equivalent}
    return Finding(
        code=code,
        path=facts.path,
        line=call.line,
        col=call.col,
        end_line=call.end_line,
        end_col=call.end_col,
        message=message,
        **(defaults | fields),
    )
