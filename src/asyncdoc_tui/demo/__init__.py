"""Locate the embedded demo project (a small FastAPI-style app with every finding type)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def demo_path() -> Path:
    """Folder of the demo project inside the installed package."""
    return Path(str(resources.files("asyncdoc_tui.demo").joinpath("shop")))
