"""Where asyncdoc keeps what it can recompute: facts, results, fix journals, the demo copy.

A module of its own so the warm path of `asyncdoc check` can name the folder without
importing the facts cache (and with it the whole extractor).
"""

from __future__ import annotations

import os
from pathlib import Path


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "asyncdoc"
