"""Plain results of the fix layer: a computed proposal, a refusal, apply and undo reports.

Kept free of libcst so the TUI and the CLI can hold and render them cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from asyncdoc_tui.model import Finding

if TYPE_CHECKING:
    from asyncdoc_tui.scan.project import Project


class FixRefused(Exception):
    """A fix that cannot be made safely; `reason` says why in words a person can act on."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class FixProposal:
    """One computed fix for one finding: the whole new file text and its diff."""

    fix_id: str
    title: str
    safe: bool
    finding: Finding
    path: str  # relative to the project root, forward slashes
    abs_path: Path
    original_text: str
    new_text: str
    diff: str
    notes: str  # what the fix could not map or what to review
    digest_at_scan: str


@dataclass(frozen=True, slots=True)
class Refusal:
    """A proposal (or finding) that was not applied, and why."""

    path: str
    fix_id: str
    finding: Finding | None
    reason: str


@dataclass(slots=True)
class ApplyReport:
    """What one `apply_fixes` call did; `project` is the rescanned project."""

    applied: list[FixProposal] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    failed: list[Refusal] = field(default_factory=list)  # writes the OS refused (permissions, disk full)
    skipped: list[Refusal] = field(default_factory=list)  # made moot by another fix
    batch_id: str | None = None
    project: Project | None = None
    files_written: list[str] = field(default_factory=list)


@dataclass(slots=True)
class UndoReport:
    """What `undo_last` restored, or why it refused."""

    batch_id: str | None
    restored: list[str] = field(default_factory=list)
    refused: str = ""

    @property
    def ok(self) -> bool:
        return self.batch_id is not None and not self.refused
