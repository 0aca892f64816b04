"""Paths for CI reporters: relative to the working directory (the checkout) when possible.

Findings carry paths relative to the scanned root; GitHub resolves annotation and SARIF
paths against the repository root, which is where CI runs `asyncdoc check`.
"""

from __future__ import annotations

import os
from pathlib import Path


def workspace_path(root: str, rel: str) -> str:
    """`rel` (under `root`) as seen from the current directory, forward slashes."""
    full = Path(root, rel)
    try:
        return full.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return rel.replace(os.sep, "/")
