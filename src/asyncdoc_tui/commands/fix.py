"""`asyncdoc fix`: show the fixes as diffs (default), apply them, or undo the last apply."""

from __future__ import annotations

import argparse
import sys

from asyncdoc_tui.commands.check import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    add_scan_arguments,
    analysed_nothing,
    project_from_args,
    scan_from_args,
)

_COLOURS = {"+": "\x1b[32m", "-": "\x1b[31m", "@": "\x1b[36m"}
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "fix",
        help="show or apply fixes for findings (with undo)",
        description="Show fixes as diffs (default, writes nothing), apply them, or undo the last apply.",
    )
    add_scan_arguments(parser)
    parser.add_argument("--unsafe", action="store_true", help="also use fixes that change behaviour and need review")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print the diffs and write nothing (default)")
    mode.add_argument("--apply", action="store_true", help="write the fixes (journalled, undoable)")
    mode.add_argument("--undo", action="store_true", help="revert the last --apply batch of this project")
    parser.set_defaults(func=run)


def colour_diff(diff: str, colour: bool) -> str:
    """ANSI colours for a terminal, the plain diff otherwise (pipes, files, CI logs)."""
    if not colour:
        return diff
    lines = []
    for line in diff.splitlines(keepends=True):
        if line.startswith(("+++", "---")):
            lines.append(f"{_BOLD}{line.rstrip(chr(10))}{_RESET}\n")
        elif line[:1] in _COLOURS:
            lines.append(f"{_COLOURS[line[0]]}{line.rstrip(chr(10))}{_RESET}\n")
        else:
            lines.append(line)
    return "".join(lines)


def _proposals(project, findings, unsafe: bool):
    """The first usable fix of each finding, and why others could not be made."""
    from asyncdoc_tui.fixes import FixRefused, Refusal, compute_fix

    proposals, refused = [], []
    for finding in findings:
        reasons = []
        for ref in finding.fixes:
            if not (ref.safe or unsafe):
                continue
            try:
                proposals.append(compute_fix(project, finding, ref.id))
                break
            except FixRefused as exc:
                reasons.append(f"{ref.id}: {exc.reason}")
        else:
            if reasons:
                refused.append(Refusal(finding.path, "", finding, "; ".join(reasons)))
    return proposals, refused


def _print_refusals(refusals) -> None:
    for refusal in refusals:
        where = refusal.finding.location if refusal.finding else refusal.path
        code = f" {refusal.finding.code}" if refusal.finding else ""
        print(f"not fixed: {where}{code}: {refusal.reason}")


def _print_failures(failures, files_written: int) -> None:
    """Writes the OS refused, one line per file on stderr, with what was written anyway."""
    files = "1 other file" if files_written == 1 else f"{files_written} other files"
    others = f"{files} fixed, undo with `asyncdoc fix --undo`" if files_written else "no file was changed"
    for path, reason in dict.fromkeys((f.path, f.reason) for f in failures):
        print(f"asyncdoc: {path}: {reason}; {others}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from asyncdoc_tui.fixes import ProjectBusy, apply_fixes, preview_fixes, undo_last

    if args.demo and (args.apply or args.undo):
        print("asyncdoc: the demo project is part of the installed package; copy it and fix the copy", file=sys.stderr)
        return EXIT_ERROR
    try:
        if args.undo:  # needs only the project's root: no rules run
            undo = undo_last(project_from_args(args).root, args.cache_dir)
            if undo.restored:
                print(f"undid batch {undo.batch_id}: restored {', '.join(undo.restored)}")
            if not undo.ok:
                print(f"asyncdoc: {undo.refused}", file=sys.stderr)
                return EXIT_ERROR
            return EXIT_CLEAN
        project, result = scan_from_args(args)
        if analysed_nothing(project):
            return EXIT_ERROR
        proposals, refused = _proposals(project, result.findings, args.unsafe)
        if args.apply:
            report = apply_fixes(project, proposals, cache_dir=args.cache_dir)
            for proposal in report.applied:
                kind = "safe" if proposal.safe else "unsafe"
                print(f"fixed: {proposal.finding.location} {proposal.finding.code} with {proposal.fix_id} ({kind})")
            _print_refusals(refused + report.refused)
            files = len(report.files_written)
            print(f"{len(report.applied)} fix(es) applied in {files} file(s)", end="")
            print(f"; undo with `asyncdoc fix --undo` (batch {report.batch_id})" if report.batch_id else "")
            if report.failed:
                _print_failures(report.failed, files)
                return EXIT_ERROR
            from asyncdoc_tui.scan.engine import result_for

            remaining = result_for(report.project).findings if report.project else result.findings
            return EXIT_FINDINGS if remaining else EXIT_CLEAN
        plans, plan_refused = preview_fixes(project, proposals)
        colour = sys.stdout.isatty()
        for plan in plans:
            for proposal in plan.done:
                kind = "safe" if proposal.safe else "unsafe, use --unsafe"
                print(f"# {proposal.finding.location} {proposal.finding.code}: {proposal.title} [{proposal.fix_id}, {kind}]")
                if proposal.notes:
                    print(f"#   note: {proposal.notes}")
            for moot in plan.skipped:
                if moot.finding is not None:
                    print(f"# {moot.finding.location} {moot.finding.code}: also resolved by the fixes above")
            sys.stdout.write(colour_diff(plan.diff, colour))
        _print_refusals(refused + plan_refused + [r for plan in plans for r in plan.refused])
        return EXIT_FINDINGS if result.findings else EXIT_CLEAN
    except ProjectBusy as exc:
        print(f"asyncdoc: {exc.reason}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # an internal error must not look like "no findings"
        print(f"asyncdoc: internal error: {exc!r}", file=sys.stderr)
        return EXIT_ERROR
