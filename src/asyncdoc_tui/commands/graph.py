"""`asyncdoc graph`: the project's import graph as JSON, Graphviz dot or Mermaid."""

from __future__ import annotations

import argparse
import sys

from asyncdoc_tui.commands.check import (
    EXIT_CLEAN,
    EXIT_ERROR,
    add_scan_arguments,
    analysed_nothing,
    project_from_args,
)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "graph",
        help="print the import graph (json, dot, mermaid)",
        description="Print the module import graph with per-statement edge attributes and the cycles "
        "(AD301-AD304). Solid edges run at import time, dashed inside functions, dotted only under TYPE_CHECKING.",
    )
    add_scan_arguments(parser)
    parser.add_argument("--format", choices=("json", "dot", "mermaid"), default="json", help="output format (default: json)")
    parser.add_argument("--scc-only", action="store_true", help="only modules that are part of a cycle")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from asyncdoc_tui.cycles.analysis import analyse_cycles
    from asyncdoc_tui.cycles.render import FORMATS

    try:
        project = project_from_args(args)
        if analysed_nothing(project):
            return EXIT_ERROR
        graph, cycles = analyse_cycles(project)
    except Exception as exc:  # noqa: BLE001 - an internal error must not look like an empty graph
        print(f"asyncdoc: internal error: {exc!r}", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(FORMATS[args.format](graph, cycles, args.scc_only))
    return EXIT_CLEAN
