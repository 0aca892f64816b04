"""Import-cycle analysis on a real code base (default: Django 5.2), beside grimp and pylint.

Run: /work/venv/bin/python bench/cycles.py [PACKAGE_DIR] [--skip-pylint]
PACKAGE_DIR is the top package folder (default /work/bench-data/django-5.2.8/django); its
parent must be importable for grimp. Prints one table: what was measured, the figure, and
the command or call behind it. In-process timings are the median CPU time of several
runs (the machine is shared, so wall time mostly measures other people's load); parsing
runs in worker processes and grimp/pylint in their own, so those are wall times.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from asyncdoc_tui.cycles.analysis import analyse_graph
from asyncdoc_tui.cycles.graph import ALL, EAGER, RUNTIME, build_graph
from asyncdoc_tui.cycles.scc import strongly_connected
from asyncdoc_tui.rules import RULE_MODULES
from asyncdoc_tui.rules.cycles import check as cycles_check
from asyncdoc_tui.scan.engine import load_project

DEFAULT = Path("/work/bench-data/django-5.2.8/django")
CYCLES_RULE = "asyncdoc_tui.rules.cycles"


def timed(work: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median CPU time of `repeat` runs (this process; robust on a shared machine), and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.process_time()
        result = work()
        times.append(time.process_time() - start)
    return statistics.median(times), result


def other_rules(project) -> int:
    count = 0
    for name in RULE_MODULES:
        if name != CYCLES_RULE:
            count += sum(1 for _ in importlib.import_module(name).check(project))
    return count


def grimp_sccs(package: str) -> tuple[int, int]:
    import grimp

    graph = grimp.build_graph(package, cache_dir=None)
    modules = sorted(graph.modules)
    successors = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    components = strongly_connected(modules, successors)
    return len(components), sum(len(c) for c in components)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--skip-pylint", action="store_true")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    package_dir = args.package.resolve()
    sys.path.insert(0, str(package_dir.parent))
    rows: list[tuple[str, str, str]] = []

    start = time.perf_counter()
    project = load_project([package_dir], use_cache=False)
    parse_s = time.perf_counter() - start
    rows.append(("parse (facts, no cache, parallel; wall)", f"{parse_s:.3f} s, {len(project.files)} modules", f"load_project([{package_dir.name}], use_cache=False)"))
    rules_s, _ = timed(lambda: other_rules(project), 1)  # first run also builds the index
    rules_s, _ = timed(lambda: other_rules(project), 1)  # slow, context only: one run
    rows.append(("other rules (index built)", f"{rules_s:.3f} s", "check(project) of RULE_MODULES minus rules.cycles"))
    rows.append(("scan without cycle analysis", f"{parse_s + rules_s:.3f} s", "the two lines above"))

    graph_s, graph = timed(lambda: build_graph(project.files), args.repeat)
    rows.append(("  graph build", f"{graph_s:.3f} s, {len(graph.edges)} statement edges", "cycles.graph.build_graph(project.files)"))
    for edge_set in (ALL, RUNTIME, EAGER):
        adjacency = graph.successors(edge_set)
        scc_s, comps = timed(lambda adjacency=adjacency: strongly_connected(graph.modules, adjacency), args.repeat)
        rows.append((f"  SCCs ({edge_set} edges)", f"{scc_s:.3f} s: {len(comps)} SCCs / {sum(map(len, comps))} modules", f"scc.strongly_connected(graph.modules, graph.successors('{edge_set}'))"))
    classify_s, cycles = timed(lambda: analyse_graph(project, build_graph(project.files)), args.repeat)
    codes = {}
    for c in cycles:
        codes[c.code] = codes.get(c.code, 0) + 1
    rows.append(("  classify (SCCs, simulation, witness, cut, advice)", f"{classify_s:.3f} s: " + ", ".join(f"{k} {v}" for k, v in sorted(codes.items())), "analysis.analyse_graph(project, graph)"))
    failing = sorted(e for c in cycles for e in c.failing_entries)
    rows.append(("  failing entry modules (AD301)", f"{len(failing)}: " + ", ".join(failing), "Cycle.failing_entries"))
    rule_s, findings = timed(lambda: list(cycles_check(project)), args.repeat)
    rows.append(("cycle analysis added to the scan", f"{rule_s:.3f} s ({len(findings)} findings; target <= 0.15 s)", "list(rules.cycles.check(project))"))

    grimp_s, (count, size) = timed(lambda: grimp_sccs(package_dir.name), 3)  # grimp builds in-process (Rust)
    rows.append(("grimp graph build + SCCs", f"{grimp_s:.3f} s: {count} SCCs / {size} modules", f"grimp.build_graph('{package_dir.name}', cache_dir=None) + Tarjan"))

    if not args.skip_pylint:
        command = [sys.executable, "-m", "pylint", "--disable=all", "--enable=cyclic-import", package_dir.name]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=package_dir.parent, capture_output=True, text=True, check=False)
        pylint_s = time.perf_counter() - start
        reported = sum(1 for line in done.stdout.splitlines() if "cyclic-import" in line)
        rows.append(("pylint cyclic-import (wall)", f"{pylint_s:.1f} s: {reported} cycles reported", " ".join(["pylint", *command[3:]])))

    width = max(len(r[0]) for r in rows)
    value_width = min(70, max(len(r[1]) for r in rows))
    print(f"{'measure':<{width}}  {'figure':<{value_width}}  command")
    for name, value, command in rows:
        print(f"{name:<{width}}  {value:<{value_width}}  {command}")


if __name__ == "__main__":
    main()
