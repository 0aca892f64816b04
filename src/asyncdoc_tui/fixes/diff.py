"""Unified diffs of a fix, plain text with `\n` line ends whatever the file uses."""

from __future__ import annotations

import difflib


def unified_diff(path: str, before: str, after: str, context: int = 3) -> str:
    """`--- a/path` / `+++ b/path` diff; CR of CRLF files is dropped for display only."""
    return "".join(difflib.unified_diff(_lines(before), _lines(after), f"a/{path}", f"b/{path}", n=context))


def _lines(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line + "\n" for line in lines]
