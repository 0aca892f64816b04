"""`asyncdoc [PATH] [--demo]`: resolve what to open and run the app.

The demo project ships inside the package; fixes applied to it would write into
site-packages, so the app opens a fresh copy in the user's cache folder instead.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
from pathlib import Path

from asyncdoc_tui.config import load_config
from asyncdoc_tui.scan.cache_dir import default_cache_dir

EXIT_CLEAN, EXIT_ERROR = 0, 2


def demo_copy(cache_dir: Path | None = None) -> Path:
    """A fresh, writable copy of the demo project (replacing any earlier copy)."""
    from asyncdoc_tui.demo import demo_path

    target = (cache_dir or default_cache_dir()) / "demo" / "shop"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(demo_path(), target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return target


def _log_to_file(folder: Path) -> Path:
    """Worker tracebacks go here (the screen shows a one-line notification)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "tui.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger = logging.getLogger("asyncdoc")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return path


def run_app(args: argparse.Namespace) -> int:
    from asyncdoc_tui.tui.app import AsyncdocApp

    cache_dir = Path(args.cache_dir) if args.cache_dir else None
    if args.demo:
        root = demo_copy(cache_dir)
        note = "demo copy"
    else:
        root = Path(args.path).absolute()
        note = ""
        if not root.is_dir():
            print(f"asyncdoc: {args.path} is not a folder", file=sys.stderr)
            return EXIT_ERROR
    config = load_config(root).with_overrides(src=args.src, force_exclude=args.force_exclude)
    log_path = _log_to_file(cache_dir or default_cache_dir())
    AsyncdocApp(root, config=config, use_cache=not args.no_cache, cache_dir=cache_dir, note=note).run()
    if args.demo:
        print(f"asyncdoc: the demo copy you worked on is {root} (a fresh copy is made each time)")
    if log_path.stat().st_size:
        print(f"asyncdoc: errors were logged to {log_path}")
    return EXIT_CLEAN
