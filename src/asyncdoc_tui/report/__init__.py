"""Reporters: turn a ScanResult into text for people and machines.

FORMATS maps a `--format` name to a function `(ScanResult) -> str`.
"""

from __future__ import annotations

from collections.abc import Callable

from asyncdoc_tui.model import ScanResult
from asyncdoc_tui.report.github import render_github
from asyncdoc_tui.report.json_report import render_json
from asyncdoc_tui.report.sarif import render_sarif
from asyncdoc_tui.report.text import render_text

FORMATS: dict[str, Callable[[ScanResult], str]] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
}
