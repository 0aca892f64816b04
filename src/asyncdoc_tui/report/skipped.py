"""What a scan could not see, worded once for every output (text, SARIF, GitHub, the app).

A skipped file is a hole in the analysis, never a silent one: every output counts the
skipped files, a scan that analysed nothing says so (and is not a clean result), and a
finding that depends on a skipped file says which.
"""

from __future__ import annotations

from collections.abc import Sequence

from asyncdoc_tui.model import Finding, SkippedFile


def skipped_count(count: int) -> str:
    """"1 file skipped", "3 files skipped"."""
    return f"{count} file{'' if count == 1 else 's'} skipped"


def nothing_analysed(root: str, files_scanned: int, skipped: Sequence[SkippedFile]) -> str:
    """Why no file was analysed, or "" when some were.

    Python files found but none parsed, and no Python file found at all, both mean the
    scan saw no code: the commands report it and exit 2 rather than look clean.
    """
    if files_scanned:
        return ""
    unparsed = [s for s in skipped if s.module]
    if unparsed:
        noun = "file" if len(unparsed) == 1 else "files"
        return (
            f"none of the {len(unparsed)} Python {noun} under {root} could be parsed, "
            "so nothing was analysed (each is listed with its reason)"
        )
    return f"no Python files found under {root}, so nothing was analysed"


def incomplete_reason(finding: Finding) -> str:
    """"depends on pkg/sub.py, which was skipped (…)", or "" for a whole finding; every
    output puts it after its own "incomplete" label."""
    files = finding.incomplete_files
    if not files:
        return ""
    names = ", ".join(files)
    verb, their = ("was", "its") if len(files) == 1 else ("were", "their")
    return f"depends on {names}, which {verb} skipped ({their} imports and calls are unknown, so the evidence may differ)"
