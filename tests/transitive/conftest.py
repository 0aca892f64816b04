"""Helpers for AD201 tests: each test writes a small project as real files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from project_files import write_tree

from asyncdoc_tui.model import Finding
from asyncdoc_tui.rules import transitive
from asyncdoc_tui.scan.engine import load_project
from asyncdoc_tui.scan.project import Project


@pytest.fixture
def write_files(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write a project into tmp_path and return its root."""
    return lambda files: write_tree(tmp_path, files)


@pytest.fixture
def project_of(write_files: Callable[[dict[str, str]], Path]) -> Callable[[dict[str, str]], Project]:
    def build(files: dict[str, str]) -> Project:
        return load_project([write_files(files)], use_cache=False)

    return build


@pytest.fixture
def ad201(project_of: Callable[[dict[str, str]], Project]) -> Callable[[dict[str, str]], list[Finding]]:
    def run(files: dict[str, str]) -> list[Finding]:
        return sorted(transitive.check(project_of(files)), key=lambda f: f.sort_key)

    return run
