"""Transitive analysis (AD201): cost over a cold scan, and time from a one-file change to
updated findings, on Django 5.2 and on a generated 2,000-module FastAPI-style project.

Run: /work/venv/bin/python bench/incremental.py [DJANGO_DIR] [--modules 2000] [--repeat 5] [--json]
DJANGO_DIR defaults to /work/bench-data/django-5.2.8/django. Both projects are copied to
a temporary folder (edits never touch the originals). Prints one table: what was
measured, median wall and CPU seconds of --repeat runs, details, and the call behind it
(`--json`: the same rows as JSON, which bench/scan.py reads).

"one-file change" = write a new statement into a function body of one file, then
`engine.rescan_paths(project, [file])` (re-parses that file only) and recompute the
findings; the other files' facts, resolutions and per-file call-graph shares are reused.
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from asyncdoc_tui.rules import transitive
from asyncdoc_tui.scan.callgraph import call_graph
from asyncdoc_tui.scan.engine import load_project, rescan_paths
from asyncdoc_tui.scan.project import Project

DJANGO = Path("/work/bench-data/django-5.2.8/django")
DJANGO_EDIT = ("core/handlers/base.py", "        response = None\n")
TRANSITIVE = "asyncdoc_tui.rules.transitive"


@dataclass(frozen=True)
class Row:
    name: str
    seconds: float  # median wall time
    cpu: float  # median CPU time of this process
    detail: str
    command: str


def timed(work: Callable[[], object]) -> tuple[float, float, object]:
    """(wall, CPU) seconds of one run, and its result."""
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - start, time.process_time() - cpu, result


def median_time(work: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Median (wall, CPU) seconds of `repeat` runs, and the last result."""
    runs = [timed(work) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), runs[-1][2]


def run_rules(project: Project, names: tuple[str, ...]) -> int:
    return sum(sum(1 for _ in importlib.import_module(name).check(project)) for name in names)


def fresh(project: Project) -> Project:
    """The same facts with a new, empty index (what a cold scan has after parsing)."""
    return Project(project.root, project.files, project.config, project.skipped, project.catalog, roots=project.roots)


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
    baseline = ("asyncdoc_tui.rules.blocking",)
    project = load_project([package_dir], use_cache=False)  # warms the OS file cache

    # Rounds of parse, AD1xx and AD201 in turn: the AD201 share compares figures that saw
    # the same load on a shared box.
    parse_runs, blocking_runs, ad201_runs = [], [], []
    for _ in range(repeat):
        parse_wall, parse_cpu_s, project = timed(lambda: load_project([package_dir], use_cache=False))
        parse_runs.append((parse_wall, parse_cpu_s))
        cold = fresh(project)
        blocking_runs.append(timed(lambda: run_rules(cold, baseline))[:2])  # the engine runs it first
        ad201_runs.append(timed(lambda: run_rules(cold, (TRANSITIVE,)))[:2])
    parse_s, parse_cpu = (statistics.median(r[i] for r in parse_runs) for i in (0, 1))
    blocking_s, blocking_cpu = (statistics.median(r[i] for r in blocking_runs) for i in (0, 1))
    ad201_s, ad201_cpu = (statistics.median(r[i] for r in ad201_runs) for i in (0, 1))
    rows.append(Row(f"{label}: parse, no cache", parse_s, parse_cpu, f"{len(project.files)} files, parallel workers", "load_project([dir], use_cache=False)"))
    rows.append(Row(f"{label}: index + AD101-109", blocking_s, blocking_cpu, "fresh index, after the parse of the same round", "rules.blocking.check(project)"))
    warm = fresh(project)
    findings = list(transitive.check(warm))
    graph = call_graph(warm.index)
    edges = sum(len(v) for v in graph.edges.values())
    wall_share = 100 * ad201_s / (parse_s + blocking_s)  # parse CPU is in workers: compare wall
    rows.append(
        Row(
            f"{label}: AD201 added to a cold scan",
            ad201_s,
            ad201_cpu,
            (
                f"{wall_share:.1f}% of parse + AD1xx wall (target <= 25%); {len(findings)} findings, "
                f"{edges} call edges, {len(transitive.blocking_functions(warm))} blocking functions, {len(graph.unresolved)} unresolved calls"
            ),
            "rules.transitive.check(project) after rules.blocking.check",
        )
    )

    path = package_dir / edit[0]
    original = path.read_text(encoding="utf-8")
    anchor = edit[1]
    indent = anchor[: len(anchor) - len(anchor.lstrip())]
    body_indent = indent + "    " if anchor.rstrip().endswith(":") else indent
    run_rules(project, (*baseline, TRANSITIVE))  # warm: what a watching client has
    counter = [0]

    def one_file_change(names: tuple[str, ...], new_function: bool = False) -> None:
        nonlocal project
        counter[0] += 1
        text = original.replace(anchor, f"{anchor}{body_indent}_edit = {counter[0]}\n", 1)
        if new_function:
            text += f"\n\ndef added_{counter[0]}():\n    return {counter[0]}\n"
        path.write_text(text, encoding="utf-8")
        project = rescan_paths(project, [path])
        run_rules(project, names)

    cases = (
        ("one-file change -> AD201 findings", (TRANSITIVE,), False, "rescan_paths(project, [file]) + rules.transitive.check"),
        ("one-file change -> AD1xx + AD201", (*baseline, TRANSITIVE), False, "rescan_paths + rules.blocking.check + rules.transitive.check"),
        ("interface change (adds a function) -> AD201", (TRANSITIVE,), True, "same edit plus a new module-level function: no reuse"),
    )
    for name, names, new_function, command in cases:
        wall, cpu, _ = median_time(lambda names=names, new_function=new_function: one_file_change(names, new_function), repeat)
        rows.append(Row(f"{label}: {name}", wall, cpu, f"edit {edit[0]}", command))
    path.write_text(original, encoding="utf-8")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("django", nargs="?", type=Path, default=DJANGO)
    parser.add_argument("--modules", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
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
    if args.json:
        print(json.dumps([asdict(row) for row in rows], indent=1))
        return
    print("| measurement | median s | CPU s | detail | command |\n|---|---:|---:|---|---|")
    for row in rows:
        print(f"| {row.name} | {row.seconds:.3f} | {row.cpu:.3f} | {row.detail} | `{row.command}` |")


if __name__ == "__main__":
    main()
