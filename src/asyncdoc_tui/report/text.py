"""Ruff-style text output: `path:line:col: CODE message`, then the alternative."""

from __future__ import annotations

from collections.abc import Sequence

from asyncdoc_tui.model import ScanResult, SkippedFile
from asyncdoc_tui.report.skipped import incomplete_reason, skipped_count


def render_text(result: ScanResult, color: bool = False) -> str:
    """The human report; skipped files are listed separately (stderr in the CLI)."""
    lines: list[str] = []
    for finding in result.findings:
        code = f"\x1b[1;31m{finding.code}\x1b[0m" if color else finding.code
        where = f"\x1b[1m{finding.location}\x1b[0m" if color else finding.location
        lines.append(f"{where}: {code} {finding.message}")
        if finding.alternative:
            lines.append(f"    → instead: {finding.alternative}")
        for hop in finding.evidence:
            lines.append(f"    · {hop.path}:{hop.line} {hop.note}")
        if finding.incomplete_files:
            lines.append(f"    ! incomplete: {incomplete_reason(finding)}")
    count = len(result.findings)
    noun = "finding" if count == 1 else "findings"
    summary = f"Found {count} {noun} in {result.files_scanned} files"
    if result.suppressed:
        summary += f" ({len(result.suppressed)} suppressed)"
    if result.skipped:
        summary += f"; {skipped_count(len(result.skipped))} (listed on stderr)"
    incomplete = sum(1 for f in result.findings if f.incomplete_files)
    if incomplete:
        summary += f"; {incomplete} incomplete (they depend on skipped files)"
    lines.append(summary + ".")
    return "\n".join(lines) + "\n"


def render_skipped(skipped: Sequence[SkippedFile]) -> str:
    """One stderr line per skipped file (every command prints them)."""
    return "".join(f"asyncdoc: skipped {s.path}: {s.reason}\n" for s in skipped)


def render_notes(result: ScanResult) -> str:
    return "".join(f"asyncdoc: note: {note}\n" for note in result.notes)


def render_roots(result: ScanResult) -> str:
    """`--show-roots`: the folders module names are relative to, and why each was chosen."""
    lines = ["Import roots (a file takes the deepest root above it):"]
    lines.extend(f"  {path + '/' if path != '.' else './'}  {reason}" for path, reason in result.roots)
    return "\n".join(lines) + "\n"
