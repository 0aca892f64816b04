"""Command-line entry: `asyncdoc [PATH]` opens the app; subcommands run headless.

Each subcommand lives in `asyncdoc_tui.commands.<name>` and registers itself, so this
module only dispatches. Heavy imports (Textual, libcst, httpx) happen inside commands.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from asyncdoc_tui import __version__
from asyncdoc_tui.commands.check import add_layout_arguments

# command name -> module under asyncdoc_tui.commands exposing `register(subparsers)`
COMMANDS: dict[str, str] = {
    "check": "check",
    "fix": "fix",
    "graph": "graph",
    "playground": "playground",
    "demo-server": "demo_server",
}

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def build_parser(command: str) -> argparse.ArgumentParser:
    """The parser for one subcommand: only its module is imported (`check` need not load
    the playground's asyncio and httpx)."""
    parser = argparse.ArgumentParser(
        prog="asyncdoc",
        description="Find blocking calls, import cycles and async anti-patterns in Python "
        "async code; fix them with one key. Without a subcommand, opens the terminal app.",
    )
    parser.add_argument("--version", action="version", version=f"asyncdoc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    importlib.import_module(f"asyncdoc_tui.commands.{COMMANDS[command]}").register(sub)
    return parser


def build_app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="asyncdoc",
        description="Open the asyncdoc terminal app on PATH (default: the current folder). "
        f"Subcommands: {', '.join(COMMANDS)} (asyncdoc COMMAND --help).",
    )
    parser.add_argument("--version", action="version", version=f"asyncdoc {__version__}")
    parser.add_argument("path", nargs="?", default=".", help="project folder to scan")
    parser.add_argument("--demo", action="store_true", help="open the embedded demo project")
    parser.add_argument("--no-cache", action="store_true", help="parse every file again")
    parser.add_argument("--cache-dir", help="where parsed facts are cached")
    add_layout_arguments(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if args_list and args_list[0] in COMMANDS:
            args = build_parser(args_list[0]).parse_args(args_list)
            return int(args.func(args))
        if args_list and args_list[0] in ("-h", "--help") and len(args_list) == 1:
            build_app_parser().print_help()
            return EXIT_CLEAN
        args = build_app_parser().parse_args(args_list)
        from asyncdoc_tui.tui.launch import run_app

        return run_app(args)
    except SystemExit as exc:  # argparse usage errors exit with 2 already
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_ERROR
    except KeyboardInterrupt:
        return 130
