"""What the findings table shows: filters, sort orders and stable row keys.

Pure functions over findings, so the screen stays thin and the rules of filtering can be
tested without a terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from asyncdoc_tui.model import Finding, Severity

# Rule families by code prefix: the first level of the navigation tree.
FAMILIES: tuple[tuple[str, str], ...] = (
    ("AD1", "Blocking calls"),
    ("AD2", "Blocking via project code"),
    ("AD3", "Import cycles"),
    ("AD4", "Async patterns"),
)

# `f` walks through these: everything, then one severity at a time.
SEVERITY_CYCLE: tuple[Severity | None, ...] = (None, Severity.ERROR, Severity.WARNING, Severity.INFO)


def family_of(code: str) -> str:
    """Human name of the family a rule code belongs to."""
    for prefix, name in FAMILIES:
        if code.startswith(prefix):
            return name
    return "Other"


def finding_key(finding: Finding) -> str:
    """A row key that survives rescans as long as the finding itself is unchanged."""
    path, line, col, code, message = finding.sort_key
    return f"{path}\0{line}\0{col}\0{code}\0{message}\0{int(finding.suppressed)}"


@dataclass(frozen=True)
class Scope:
    """The part of the project picked in the navigation tree."""

    kind: str = "all"  # all | family | code | path
    value: str = ""

    def contains(self, finding: Finding) -> bool:
        if self.kind == "family":
            return family_of(finding.code) == self.value
        if self.kind == "code":
            return finding.code == self.value
        if self.kind == "path":
            return finding.path == self.value
        return True

    @property
    def label(self) -> str:
        return "" if self.kind == "all" else f"{self.kind} {self.value}"


@dataclass(frozen=True)
class ViewFilter:
    """Every filter the user can set; all must pass for a row to show."""

    text: str = ""
    severity: Severity | None = None
    show_suppressed: bool = False
    scope: Scope = Scope()

    def matches(self, finding: Finding) -> bool:
        if finding.suppressed and not self.show_suppressed:
            return False
        if self.severity is not None and finding.severity is not self.severity:
            return False
        if not self.scope.contains(finding):
            return False
        return all(_token_matches(token, finding) for token in self.text.lower().split())

    def next_severity(self) -> ViewFilter:
        index = SEVERITY_CYCLE.index(self.severity)
        return replace(self, severity=SEVERITY_CYCLE[(index + 1) % len(SEVERITY_CYCLE)])

    def describe(self) -> str:
        """Short summary for the status line; empty when nothing is filtered."""
        parts = []
        if self.text:
            parts.append(f"/{self.text}")
        if self.severity is not None:
            parts.append(f"only {self.severity.value}")
        if self.scope.kind != "all":
            parts.append(self.scope.label)
        if self.show_suppressed:
            parts.append("+suppressed")
        return " · ".join(parts)


def _token_matches(token: str, finding: Finding) -> bool:
    """`code:AD1`, `path:shop/` or a bare word matching code, path or message."""
    field_name, sep, value = token.partition(":")
    if sep and field_name == "code":
        return finding.code.lower().startswith(value)
    if sep and field_name == "path":
        return value in finding.path.lower()
    return token in finding.code.lower() or token in finding.path.lower() or token in finding.message.lower()


def _severity_key(f: Finding) -> tuple[Any, ...]:
    return (f.severity.rank, f.code, *f.sort_key)


def _code_key(f: Finding) -> tuple[Any, ...]:
    return (f.code, *f.sort_key)


def _location_key(f: Finding) -> tuple[Any, ...]:
    return f.sort_key


def _message_key(f: Finding) -> tuple[Any, ...]:
    return (f.message, *f.sort_key)


SORTS: dict[str, Callable[[Finding], tuple[Any, ...]]] = {
    "severity": _severity_key,
    "code": _code_key,
    "location": _location_key,
    "message": _message_key,
}


def visible(findings: Iterable[Finding], view: ViewFilter, sort: str) -> list[Finding]:
    """The findings to show, in display order."""
    return sorted((f for f in findings if view.matches(f)), key=SORTS[sort])


def severity_counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    counts = {s: 0 for s in Severity}
    for finding in findings:
        counts[finding.severity] += 1
    return counts
