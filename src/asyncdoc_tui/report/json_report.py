"""The stable JSON contract of `asyncdoc check --format json` (keys are never renamed)."""

from __future__ import annotations

import json
from typing import Any

from asyncdoc_tui import __version__
from asyncdoc_tui.model import ScanResult


def result_to_json(result: ScanResult) -> dict[str, Any]:
    return {
        "version": __version__,
        "root": result.root,
        "files_scanned": result.files_scanned,
        "files_skipped": [s.to_json() for s in result.skipped],
        "findings": [f.to_json() for f in result.findings],
        "roots": [{"path": path, "reason": reason} for path, reason in result.roots],
        "notes": list(result.notes),
    }


def render_json(result: ScanResult) -> str:
    return json.dumps(result_to_json(result), indent=2, sort_keys=False) + "\n"
