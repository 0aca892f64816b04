"""Ruff-style text output: `path:line:col: CODE message`, then the alternative."""

from __future__ import annotations

from asyncdoc_tui.model import ScanResult


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
    count = len(result.findings)
    noun = "finding" if count == 1 else "findings"
    summary = f"Found {count} {noun} in {result.files_scanned} files"
    if result.suppressed:
        summary += f" ({len(result.suppressed)} suppressed)"
    if result.skipped:
        summary += f"; {len(result.skipped)} skipped"
    lines.append(summary + ".")
    return "\n".join(lines) + "\n"


def render_skipped(result: ScanResult) -> str:
    return "".join(f"asyncdoc: skipped {s.path}: {s.reason}\n" for s in result.skipped)


def render_notes(result: ScanResult) -> str:
    return "".join(f"asyncdoc: note: {note}\n" for note in result.notes)


def render_roots(result: ScanResult) -> str:
    """`--show-roots`: the folders module names are relative to, and why each was chosen."""
    lines = ["Import roots (a file takes the deepest root above it):"]
    lines.extend(f"  {path + '/' if path != '.' else './'}  {reason}" for path, reason in result.roots)
    return "\n".join(lines) + "\n"
