"""GitHub Actions workflow commands: one `::error file=…,line=…,col=…::message` per finding,
a `::warning file=…::` per skipped file with the count after them, and an `::error::` when
nothing could be analysed.

Printed to stdout in a workflow step, they become annotations on the pull request diff.
"""

from __future__ import annotations

from asyncdoc_tui.model import ScanResult, Severity
from asyncdoc_tui.report.paths import workspace_path
from asyncdoc_tui.report.skipped import incomplete_reason, nothing_analysed, skipped_count

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: ScanResult) -> str:
    lines: list[str] = []
    for f in result.findings:
        props = [
            f"file={_prop(workspace_path(result.root, f.path))}",
            f"line={f.line}",
            f"col={f.col}",
            f"endLine={f.end_line}",
            f"endColumn={f.end_col}",
            f"title={_prop(f'asyncdoc {f.code}')}",
        ]
        message = f"{f.code} {f.message}" + (f"\nInstead: {f.alternative}" if f.alternative else "")
        if f.incomplete_files:
            message += f"\nincomplete: {incomplete_reason(f)}"
        lines.append(f"::{_COMMAND[f.severity]} {','.join(props)}::{_data(message)}")
    for s in result.skipped:
        lines.append(f"::warning file={_prop(workspace_path(result.root, s.path))},title=asyncdoc skipped a file::{_data(s.reason)}")
    if result.skipped:
        lines.append(f"::notice title=asyncdoc::{_data(skipped_count(len(result.skipped)) + ', each annotated with its reason')}")
    problem = nothing_analysed(result.root, result.files_scanned, result.skipped)
    if problem:
        lines.append(f"::error title=asyncdoc analysed nothing::{_data(problem)}")
    return "".join(line + "\n" for line in lines)
