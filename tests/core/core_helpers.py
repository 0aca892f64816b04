"""Helpers shared by the scanner-core tests (imported by name: tests/ has no packages)."""

from __future__ import annotations

import textwrap

Hit = tuple[str, int, str]  # (path, line, code)


def lines_of(hits: list[Hit], path: str = "app.py") -> list[int]:
    """Just the flagged lines of one file."""
    return [line for p, line, _ in hits if p == path]


def marked(source: str, marker: str = "# !") -> list[int]:
    """Lines of a (dedented) source that carry the marker: where findings are expected."""
    text = textwrap.dedent(source).lstrip("\n")
    return [n for n, line in enumerate(text.splitlines(), start=1) if marker in line]
