"""Write a small project into tmp_path and scan it (no cache), for the pattern tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

from asyncdoc_tui.model import Finding
from asyncdoc_tui.scan.engine import scan
from asyncdoc_tui.scan.project import Project


def write_project(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def findings(root: Path, files: dict[str, str], code: str) -> tuple[Project, list[Finding]]:
    """The project and its findings of one rule code."""
    project, result = scan([write_project(root, files)], use_cache=False)
    return project, [f for f in result.findings if f.code == code]


def lines(found: list[Finding]) -> list[tuple[str, int]]:
    return [(f.path, f.line) for f in found]
