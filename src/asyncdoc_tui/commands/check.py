"""`asyncdoc check`: scan headless and report for people, CI and code scanning."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the scanner is imported when a command runs, not when it registers
    from asyncdoc_tui.config import Config
    from asyncdoc_tui.model import ScanResult
    from asyncdoc_tui.scan.project import Project

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
    add_layout_arguments(parser)


def add_layout_arguments(parser: argparse.ArgumentParser) -> None:
    """How the project is laid out: every command that scans takes these (the app too)."""
    parser.add_argument(
        "--src",
        type=Path,
        action="append",
        metavar="FOLDER",
        help="an import root (repeatable; replaces detection and [tool.asyncdoc] src)",
    )
    parser.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply exclude, .gitignore and venv rules to paths named on the command line too",
    )


def target_from_args(args: argparse.Namespace) -> tuple[list[Path], Config]:
    """The paths to scan and the effective configuration (command-line options applied).

    Bad input on the command line or in `[tool.asyncdoc]` (a missing path, an unknown rule
    code, a value of the wrong type) is a usage error: one line each, exit 2."""
    from asyncdoc_tui.config import load_config

    if args.demo:
        from asyncdoc_tui.demo import demo_path

        paths = [demo_path()]
    else:
        paths = list(args.paths) or [Path.cwd()]
    config = load_config(paths[0].absolute()).with_overrides(args.select, args.ignore, args.src, args.force_exclude)
    problems = [*config.errors, *_missing(paths), *_unknown_codes(config)]
    if problems:
        for problem in problems:
            print(f"asyncdoc: error: {problem}", file=sys.stderr)
        raise SystemExit(EXIT_ERROR)
    return paths, config


def project_from_args(args: argparse.Namespace):
    """Load (discover and parse, no rules) the project the shared arguments describe."""
    from asyncdoc_tui.scan.engine import load_project

    paths, config = target_from_args(args)
    return load_project(paths, config=config, use_cache=not args.no_cache, cache_dir=args.cache_dir)


def _missing(paths: list[Path]) -> list[str]:
    return [f"no such file or directory: {path}" for path in paths if not path.exists() and not path.is_symlink()]


def _unknown_codes(config: Config) -> list[str]:
    """Codes in --select/--ignore/per-file-ignores that name no rule, even as a prefix."""
    from asyncdoc_tui.rules import rule_codes

    known = rule_codes()
    used = [*config.select, *config.ignore, *(code for _, codes in config.per_file_ignores for code in codes)]
    unknown = sorted({code for code in used if not code or not any(rule.startswith(code) for rule in known)})
    if not unknown:
        return []
    return [f"unknown rule code{'s' * (len(unknown) > 1)} {', '.join(unknown)}; asyncdoc's codes are {min(known)}–{max(known)} or their prefixes (AD1, AD20)"]


def analysed_nothing(project: Project, list_skipped: bool = True) -> bool:
    """List the skipped files on stderr (unless the report has them already) and say so
    when the scan saw no code (nothing found, or nothing parsed): every command then
    exits 2, since an empty result there is not a clean one."""
    from asyncdoc_tui.report.skipped import nothing_analysed
    from asyncdoc_tui.report.text import render_skipped

    if list_skipped:
        sys.stderr.write(render_skipped(project.skipped))
    problem = nothing_analysed(str(project.root), len(project.files), project.skipped)
    if problem:
        print(f"asyncdoc: error: {problem}", file=sys.stderr)
    return bool(problem)


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
    parser.add_argument(
        "--show-roots", action="store_true", help="list the import roots used and why each was chosen"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from asyncdoc_tui.report import renderer
    from asyncdoc_tui.report.skipped import nothing_analysed
    from asyncdoc_tui.report.text import render_notes, render_roots, render_skipped

    try:
        if args.explain_unresolved or args.no_cache:  # the explanation needs the project itself
            project, result = scan_from_args(args)
        else:
            project, result = None, result_from_args(args)
    except Exception as exc:  # an internal error must not look like "no findings"
        print(f"asyncdoc: internal error: {exc!r}", file=sys.stderr)
        return EXIT_ERROR
    human = sys.stdout if args.format == "text" else sys.stderr  # machine output stays valid
    if args.show_roots:
        human.write(render_roots(result))
    sys.stderr.write((render_skipped(result.skipped) if args.format == "text" else "") + render_notes(result))
    sys.stdout.write(renderer(args.format)(result))
    if project is not None and args.explain_unresolved:
        from asyncdoc_tui.rules.transitive import explain_unresolved

        human.write(explain_unresolved(project))
    problem = nothing_analysed(result.root, result.files_scanned, result.skipped)
    if problem:  # the report lists the skipped files
        print(f"asyncdoc: error: {problem}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_FINDINGS if result.findings else EXIT_CLEAN
