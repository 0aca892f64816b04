"""Fixtures for scanner-core tests: each test writes a small project as real files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from core_helpers import Hit
from project_files import write_tree

from asyncdoc_tui.config import Config
from asyncdoc_tui.rules import blocking
from asyncdoc_tui.scan.engine import load_project


@pytest.fixture
def write(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Write files into tmp_path and return it."""
    return lambda files: write_tree(tmp_path, files)


@pytest.fixture
def blocking_hits(write: Callable[[dict[str, str | bytes]], Path]) -> Callable[..., list[Hit]]:
    """(path, line, code) of the AD101-AD109 findings in a project written for the test."""

    def run(files: dict[str, str | bytes], config: Config | None = None) -> list[Hit]:
        project = load_project([write(files)], config=config or Config(), use_cache=False)
        return sorted((f.path, f.line, f.code) for f in blocking.check(project))

    return run
