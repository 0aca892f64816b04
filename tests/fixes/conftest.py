"""Fixtures of the fix tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """A cache dir of the test's own, so journals never touch the user's cache."""
    return tmp_path / "cache"


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    return root
