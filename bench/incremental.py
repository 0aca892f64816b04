"""Transitive analysis (AD201): cost over a cold scan, and time from a one-file change to
updated findings, on Django 5.2 and on a generated 2,000-module FastAPI-style project.

Run: /work/venv/bin/python bench/incremental.py [DJANGO_DIR] [--modules 2000] [--repeat 5]
DJANGO_DIR defaults to /work/bench-data/django-5.2.8/django. Both projects are copied to
a temporary folder (edits never touch the originals). Prints one table: what was
measured, the figure (median of --repeat runs), and the call behind it.

"one-file change" = write a new statement into a function body of one file, then
`engine.rescan_paths(project, [file])` (re-parses that file only) and recompute the
findings; the other files' facts, resolutions and per-file call-graph shares are reused.
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from asyncdoc_tui.rules import RULE_MODULES, transitive
from asyncdoc_tui.scan.callgraph import call_graph
from asyncdoc_tui.scan.engine import load_project, rescan_paths, result_for
from asyncdoc_tui.scan.project import Project

DJANGO = Path("/work/bench-data/django-5.2.8/django")
DJANGO_EDIT = ("core/handlers/base.py", "        response = None\n")
TRANSITIVE = "asyncdoc_tui.rules.transitive"
Row = tuple[str, str, str]


def median_time(work: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run_rules(project: Project, names: tuple[str, ...]) -> int:
    return sum(sum(1 for _ in importlib.import_module(name).check(project)) for name in names)


def fresh(project: Project) -> Project:
    """The same facts with a new, empty index (what a cold scan has after parsing)."""
    return Project(project.root, project.files, project.config, project.skipped, project.catalog)


def generate(root: Path, modules: int) -> tuple[str, str]:
    """A FastAPI-style package: services calling each other across modules (aliases,
    module attributes, methods, inheritance), sinks in every tenth module, two async routes
    and a dependency per module. Returns the file to edit and the line to add after."""
    package = root / "gen"
    per_group = 100
    for group in range((modules + per_group - 1) // per_group):
        (package / f"g{group}").mkdir(parents=True, exist_ok=True)
        (package / f"g{group}" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "base.py").write_text(
        "import time\n\n\nclass BaseService:\n    def settle(self):\n        return 1\n\n    def pause(self):\n        time.sleep(0.1)\n"
    )

    def name(i: int) -> str:
        return f"gen.g{i // per_group}.m{i}"

    for i in range(modules):
        a, b, c = (i + 1) % modules, (i * 7 + 3) % modules, (i * 13 + 5) % modules
        sink = "    requests.get('https://example.com', timeout=1)\n" if i % 10 == 0 else "    return x\n"
        source = f'''"""Generated module {i}."""

import requests
from fastapi import APIRouter, Depends

import {name(b)} as other
from {name(a)} import helper_{a} as next_helper
from {name(c).rsplit(".", 1)[0]} import m{c}
from gen.base import BaseService

router = APIRouter(prefix="/m{i}")


def leaf_{i}(x):
{sink}

def helper_{i}(x=0):
    return leaf_{i}(x)


def chain_{i}(x=0):
    if x > 3:
        return next_helper(x - 1)
    return other.helper_{b}(x) + m{c}.leaf_{c}(x)


class Service{i}(BaseService):
    def run(self, x):
        self.settle()
        return helper_{i}(x)

    def heavy(self):
        self.pause()


def get_service():
    return Service{i}()


async def current_user():
    return {i}


@router.get("/a/{{x}}")
async def route_a_{i}(x: int, user=Depends(current_user)):
    return chain_{i}(x)


@router.post("/b")
async def route_b_{i}(service: Service{i} = Depends(get_service)):
    return service.run(1)
'''
        (package / f"g{i // per_group}" / f"m{i}.py").write_text(source)
    return f"gen/g{(modules // 2) // per_group}/m{modules // 2}.py", "    def run(self, x):\n"


def measure(label: str, package_dir: Path, edit: tuple[str, str], repeat: int) -> list[Row]:
    rows: list[Row] = []
    parse_s, project = median_time(lambda: load_project([package_dir], use_cache=False), 1)
    rows.append((f"{label}: parse, no cache", f"{parse_s:.3f} s, {len(project.files)} files", "load_project([dir], use_cache=False)"))
    others = tuple(n for n in RULE_MODULES if n != TRANSITIVE)
    baseline = ("asyncdoc_tui.rules.blocking",)
    index_s, _ = median_time(lambda: fresh(project).index, repeat)
    blocking_s, _ = median_time(lambda: run_rules(fresh(project), baseline), repeat)
    rows.append((f"{label}: index + AD101-109", f"{blocking_s:.3f} s (index alone {index_s:.3f} s)", "rules.blocking.check(project) on a fresh index"))

    def ad201_after_blocking() -> float:
        cold = fresh(project)
        run_rules(cold, baseline)  # the engine runs the blocking rule first
        start = time.perf_counter()
        run_rules(cold, (TRANSITIVE,))
        return time.perf_counter() - start

    ad201_s = statistics.median(ad201_after_blocking() for _ in range(repeat))
    warm = fresh(project)
    findings = list(transitive.check(warm))
    graph = call_graph(warm.index)
    edges = sum(len(v) for v in graph.edges.values())
    blocking_fns = len(transitive.blocking_functions(warm))
    core_s = parse_s + blocking_s
    rows.append(
        (
            f"{label}: AD201 added to the scan",
            (
                f"{ad201_s:.3f} s = {100 * ad201_s / core_s:.1f}% of parse+AD1xx (target <= 25%); {len(findings)} findings, "
                f"{edges} edges, {blocking_fns} blocking functions, {len(graph.unresolved)} unresolved calls"
            ),
            "rules.transitive.check(project) after rules.blocking.check",
        )
    )
    others_s, _ = median_time(lambda: run_rules(fresh(project), others), 1)
    rows.append((f"{label}: every other rule (context)", f"{others_s:.3f} s; AD201 = {100 * ad201_s / (parse_s + others_s):.1f}% of that full scan", ", ".join(others)))

    path = package_dir / edit[0]
    original = path.read_text(encoding="utf-8")
    anchor = edit[1]
    indent = anchor[: len(anchor) - len(anchor.lstrip())]
    body_indent = indent + "    " if anchor.rstrip().endswith(":") else indent
    run_rules(project, tuple(RULE_MODULES))  # warm: what a watching TUI has

    def one_file_change(counter: list[int], names: tuple[str, ...], new_function: bool = False) -> float:
        nonlocal project
        counter[0] += 1
        text = original.replace(anchor, f"{anchor}{body_indent}_edit = {counter[0]}\n", 1)
        if new_function:
            text += f"\n\ndef added_{counter[0]}():\n    return {counter[0]}\n"
        path.write_text(text, encoding="utf-8")
        start = time.perf_counter()
        project = rescan_paths(project, [path])
        if names:
            run_rules(project, names)
        else:
            result_for(project)
        return time.perf_counter() - start

    counter = [0]
    ad201_inc = statistics.median(one_file_change(counter, (TRANSITIVE,)) for _ in range(repeat))
    rows.append((f"{label}: one-file change -> AD201 findings", f"{ad201_inc:.3f} s", f"rescan_paths(project, ['{edit[0]}']) + rules.transitive.check"))
    blocking_inc = statistics.median(one_file_change(counter, ("asyncdoc_tui.rules.blocking", TRANSITIVE)) for _ in range(repeat))
    rows.append((f"{label}: one-file change -> AD1xx + AD201", f"{blocking_inc:.3f} s", "rescan_paths + rules.blocking.check + rules.transitive.check"))
    full_inc = statistics.median(one_file_change(counter, ()) for _ in range(max(1, repeat // 2)))
    rows.append((f"{label}: one-file change -> all findings", f"{full_inc:.3f} s", "rescan_paths + engine.result_for (every rule)"))
    iface_inc = statistics.median(one_file_change(counter, (TRANSITIVE,), new_function=True) for _ in range(repeat))
    rows.append((f"{label}: interface change (new function) -> AD201", f"{iface_inc:.3f} s (no reuse: index rebuilt)", "same, the edit also adds a function"))
    path.write_text(original, encoding="utf-8")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("django", nargs="?", type=Path, default=DJANGO)
    parser.add_argument("--modules", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.django.is_dir():
            django = work / "django"
            shutil.copytree(args.django, django, ignore=shutil.ignore_patterns("__pycache__"))
            rows += measure("Django 5.2", django, DJANGO_EDIT, args.repeat)
        edit = generate(work / "generated", args.modules)
        rows += measure(f"generated {args.modules} modules", work / "generated" / "gen", (edit[0].removeprefix("gen/"), edit[1]), args.repeat)
    width = max(len(r[0]) for r in rows)
    value_width = min(90, max(len(r[1]) for r in rows))
    print(f"{'measure':<{width}}  {'figure':<{value_width}}  command")
    for name, value, command in rows:
        print(f"{name:<{width}}  {value:<{value_width}}  {command}")


if __name__ == "__main__":
    main()
