"""Helpers for the import-cycle tests: write a case and scan it (no cache)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from project_files import write_tree

from asyncdoc_tui.scan.engine import load_project
from asyncdoc_tui.scan.project import Project


@pytest.fixture
def project_of(tmp_path: Path) -> Callable[[dict[str, str]], Project]:
    """Write files under tmp_path and load them as a project."""

    def load(files: dict[str, str]) -> Project:
        return load_project([write_tree(tmp_path, files)], use_cache=False)

    return load
