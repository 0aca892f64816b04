"""Fixtures for the app tests: a fresh copy of the demo project and isolated user folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from asyncdoc_tui.demo import demo_path


@pytest.fixture(autouse=True)
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the user's real theme, cache and editor out of every test."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    return tmp_path


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A writable copy of the demo project, named like the original so frames match."""
    root = tmp_path / "work" / "shop"
    shutil.copytree(demo_path(), root, ignore=shutil.ignore_patterns("__pycache__"))
    return root
