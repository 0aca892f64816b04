"""Plain data shared by every layer: findings, evidence and fix references.

Findings are values (frozen, picklable, no behaviour beyond ordering and JSON) so the
scanner, reporters, fixes and the TUI can exchange them without knowing each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    """How loudly a finding is reported; ordered from worst to mildest."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True)
class Evidence:
    """One hop of a call chain or import cycle, pointing at a line in the project."""

    path: str
    line: int
    note: str

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "note": self.note}


@dataclass(frozen=True, slots=True)
class FixRef:
    """A fix that can be computed for a finding (the diff itself is made on demand)."""

    id: str
    title: str
    safe: bool

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "safe": self.safe}


# JSON keys of a finding that depends on skipped files: `"incomplete": true` and the files.
INCOMPLETE, INCOMPLETE_FILES = "incomplete", "incomplete_files"


def incomplete_extra(paths: Iterable[str]) -> tuple[tuple[str, Any], ...]:
    """`Finding.extra` entries marking a finding incomplete (none when `paths` is empty)."""
    files = sorted(set(paths))
    return ((INCOMPLETE, True), (INCOMPLETE_FILES, files)) if files else ()


@dataclass(frozen=True, slots=True)
class Finding:
    """One reported problem.

    `path` is relative to the scanned root with forward slashes; lines and columns are
    1-based. `extra` carries rule-specific JSON fields (cycle modules, entry point, …)
    that are merged into the JSON object without renaming the stable keys.
    """

    code: str
    severity: Severity
    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    message: str
    alternative: str = ""
    equivalent: str = ""
    evidence: tuple[Evidence, ...] = ()
    fixes: tuple[FixRef, ...] = ()
    extra: tuple[tuple[str, Any], ...] = ()
    suppressed: bool = False

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.col, self.code, self.message)

    @property
    def extras(self) -> dict[str, Any]:
        return dict(self.extra)

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    @property
    def incomplete_files(self) -> tuple[str, ...]:
        """Skipped files this finding's chain, cycle or resolution depends on (see README)."""
        return tuple(self.extras.get(INCOMPLETE_FILES, ()))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "end_line": self.end_line,
            "end_col": self.end_col,
            "message": self.message,
            "alternative": self.alternative,
            "equivalent": self.equivalent,
            "evidence": [e.to_json() for e in self.evidence],
            "fixes": [f.to_json() for f in self.fixes],
        }
        for key, value in self.extra:
            data.setdefault(key, value)
        return data


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file the scan could not read or parse, with a reason a person can act on.

    `module` is the module name discovery gave the file (empty for a path that is not a
    Python file of the project): a skipped module is still a module, with unknown content.
    """

    path: str
    reason: str
    module: str = ""
    is_package: bool = False

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}


@dataclass(slots=True)
class ScanResult:
    """Everything one scan produced; reporters and the TUI render this."""

    root: str
    files_scanned: int
    findings: list[Finding] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    roots: list[tuple[str, str]] = field(default_factory=list)  # import roots: (path relative to root, why)
    notes: list[str] = field(default_factory=list)  # hints about the scan itself
