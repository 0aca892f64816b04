"""Helpers shared by the scanner-core tests (imported by name: tests/ has no packages)."""

from __future__ import annotations

import textwrap
from pathlib import Path

Hit = tuple[str, int, str]  # (path, line, code)


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `{"app/main.py": source}` under root (text is dedented, bytes written as is)."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def lines_of(hits: list[Hit], path: str = "app.py") -> list[int]:
    """Just the flagged lines of one file."""
    return [line for p, line, _ in hits if p == path]


def marked(source: str, marker: str = "# !") -> list[int]:
    """Lines of a (dedented) source that carry the marker: where findings are expected."""
    text = textwrap.dedent(source).lstrip("\n")
    return [n for n, line in enumerate(text.splitlines(), start=1) if marker in line]
