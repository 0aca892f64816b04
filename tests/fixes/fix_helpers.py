"""Helpers for the fix tests: small projects written as real files in tmp_path."""

from __future__ import annotations

from pathlib import Path

from asyncdoc_tui.model import Finding, ScanResult
from asyncdoc_tui.scan.engine import scan
from asyncdoc_tui.scan.project import Project

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"


def scan_tree(root: Path) -> tuple[Project, ScanResult]:
    return scan([root], use_cache=False)


def with_fix(result: ScanResult, fix_id: str) -> list[Finding]:
    return [f for f in result.findings if any(ref.id == fix_id for ref in f.fixes)]


def only(findings: list[Finding], code: str | None = None) -> Finding:
    chosen = [f for f in findings if code is None or f.code == code]
    assert len(chosen) == 1, chosen
    return chosen[0]
