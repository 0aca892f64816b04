"""Fixes: which apply to a finding (cheap), computing one as a diff (libcst, lazily),
applying a batch safely with a journal, and undoing the last batch.

The TUI and `asyncdoc fix` use only these names.
"""

from asyncdoc_tui.fixes.api import compute_fix
from asyncdoc_tui.fixes.apply import FilePlan, apply_fixes, preview_fixes
from asyncdoc_tui.fixes.journal import undo_last
from asyncdoc_tui.fixes.lock import ProjectBusy
from asyncdoc_tui.fixes.proposal import (
    ApplyReport,
    FixProposal,
    FixRefused,
    Refusal,
    UndoReport,
)
from asyncdoc_tui.fixes.registry import fixes_for

__all__ = [
    "ApplyReport",
    "FilePlan",
    "FixProposal",
    "FixRefused",
    "ProjectBusy",
    "Refusal",
    "UndoReport",
    "apply_fixes",
    "compute_fix",
    "fixes_for",
    "preview_fixes",
    "undo_last",
]
