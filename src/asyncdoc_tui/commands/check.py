"""`asyncdoc check`: scan headless and report for people, CI and code scanning."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asyncdoc_tui.config import Config
    from asyncdoc_tui.model import ScanResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def codes(value: str) -> tuple[str, ...]:
    """`AD101,AD2` -> ("AD101", "AD2")."""
    return tuple(c.strip().upper() for c in value.split(",") if c.strip())


def add_scan_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments every scanning command shares (check, fix, graph)."""
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: current folder)")
    parser.add_argument("--demo", action="store_true", help="scan the embedded demo project instead")
    parser.add_argument("--select", type=codes, help="only these codes or prefixes, comma-separated")
    parser.add_argument("--ignore", type=codes, help="skip these codes or prefixes, comma-separated")
    parser.add_argument("--no-cache", action="store_true", help="read and write no cache: parse and analyse everything again")
    parser.add_argument("--cache-dir", type=Path, help="where parsed facts and scan results are cached")


def target_from_args(args: argparse.Namespace) -> tuple[list[Path], Config]:
    """The paths to scan and the effective configuration (`--select`/`--ignore` applied)."""
    from asyncdoc_tui.config import load_config

    if args.demo:
        from asyncdoc_tui.demo import demo_path

        paths = [demo_path()]
    else:
        paths = list(args.paths) or [Path.cwd()]
    config = load_config(paths[0].absolute()).with_overrides(args.select, args.ignore)
    for error in config.errors:
        print(f"asyncdoc: {error}", file=sys.stderr)
    return paths, config


def project_from_args(args: argparse.Namespace):
    """Load (discover and parse, no rules) the project the shared arguments describe."""
    from asyncdoc_tui.scan.engine import load_project

    paths, config = target_from_args(args)
    return load_project(paths, config=config, use_cache=not args.no_cache, cache_dir=args.cache_dir)


def scan_from_args(args: argparse.Namespace):
    """Run the scan the shared arguments describe; returns (project, result)."""
    from asyncdoc_tui.scan.engine import result_for

    project = project_from_args(args)
    return project, result_for(project)


def result_from_args(args: argparse.Namespace) -> ScanResult:
    """The result alone: the stored one when nothing changed since the last scan (no
    project is built then), else a scan whose result is stored."""
    from asyncdoc_tui.scan.cache_dir import default_cache_dir
    from asyncdoc_tui.scan.result_cache import cached_result

    paths, config = target_from_args(args)
    return cached_result(paths, config, args.cache_dir or default_cache_dir())


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("check", help="scan and report findings (headless)", description="Scan and report findings.")
    add_scan_arguments(parser)
    from asyncdoc_tui.report import FORMATS

    parser.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format (default: text)")
    parser.add_argument(
        "--explain-unresolved",
        action="store_true",
        help="list the calls in async code (and the helpers it reaches) that asyncdoc could not follow",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from asyncdoc_tui.report import renderer
    from asyncdoc_tui.report.text import render_skipped

    try:
        if args.explain_unresolved or args.no_cache:  # the explanation needs the project itself
            project, result = scan_from_args(args)
        else:
            project, result = None, result_from_args(args)
    except Exception as exc:  # an internal error must not look like "no findings"
        print(f"asyncdoc: internal error: {exc!r}", file=sys.stderr)
        return EXIT_ERROR
    if args.format == "text":
        sys.stderr.write(render_skipped(result))
        sys.stdout.write(renderer("text")(result))
    else:
        sys.stdout.write(renderer(args.format)(result))
    if project is not None and args.explain_unresolved:  # on stderr for machine formats, so their output stays valid
        from asyncdoc_tui.rules.transitive import explain_unresolved

        (sys.stdout if args.format == "text" else sys.stderr).write(explain_unresolved(project))
    return EXIT_FINDINGS if result.findings else EXIT_CLEAN
