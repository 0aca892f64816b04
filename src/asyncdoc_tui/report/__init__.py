"""Reporters: turn a ScanResult into text for people and machines.

FORMATS names the `--format` choices; `renderer(name)` imports only the reporter asked
for (a warm `asyncdoc check` should not load the others, nor the catalog SARIF needs).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from asyncdoc_tui.model import ScanResult

# --format name -> (module under asyncdoc_tui.report, function `(ScanResult) -> str`)
FORMATS: dict[str, tuple[str, str]] = {
    "text": ("text", "render_text"),
    "json": ("json_report", "render_json"),
    "sarif": ("sarif", "render_sarif"),
    "github": ("github", "render_github"),
}


def renderer(name: str) -> Callable[[ScanResult], str]:
    module, function = FORMATS[name]
    return getattr(importlib.import_module(f"asyncdoc_tui.report.{module}"), function)
