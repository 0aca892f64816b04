"""Write a small project into tmp_path and scan it (no cache), for the pattern tests."""

from __future__ import annotations

from pathlib import Path

from project_files import write_tree

from asyncdoc_tui.model import Finding
from asyncdoc_tui.scan.engine import scan
from asyncdoc_tui.scan.project import Project


def findings(root: Path, files: dict[str, str], code: str) -> tuple[Project, list[Finding]]:
    """The project and its findings of one rule code."""
    project, result = scan([write_tree(root, files)], use_cache=False)
    return project, [f for f in result.findings if f.code == code]


def lines(found: list[Finding]) -> list[tuple[str, int]]:
    return [(f.path, f.line) for f in found]
