"""Scan speed and memory on a real code base (default: Django 5.2's source), beside ruff
and flake8-async, against the single-process `ast.parse` floor over the same files.

Run: /work/venv/bin/python bench/scan.py [PACKAGE_DIR] [--runs 5] [--cli-runs 3] [--startup-runs 21] [--skip-flake8]
PACKAGE_DIR defaults to /work/bench-data/django-5.2.8/django (`pip download --no-deps
django==5.2.8`, unzipped). Every figure is a separate process started from here: its wall
time (median of --runs after one untimed warm-up, taken in rounds that run each command
of a group once, so that load drifting on a shared box hits every figure of a ratio
alike; flake8-async once, it takes about a minute; Python bytecode cached as after an
install) and its peak resident
memory (largest process of the run, workers included, from wait4's rusage). The scanner
core (discovery, facts, cache, AD101-AD109) is measured alone and as part of the full
`asyncdoc check`, whose other rules belong to other issues; a warm `asyncdoc check` is
answered by the whole-project result cache, so a third row empties that cache to show what
any change costs, and a warm check of an empty folder is set beside bare interpreter
start-up. Prints one table: what was measured, median seconds, ratio to the ast floor, peak RSS, and the
command behind the figure; then the targets.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DEFAULT = Path("/work/bench-data/django-5.2.8/django")
BIN = Path(sys.executable).parent
# The floor: read and parse every file the scan sees, one process, nothing else.
AST_FLOOR = (
    "import ast, sys\n"
    "from asyncdoc_tui.scan.discover import discover\n"
    "from pathlib import Path\n"
    "files = discover([Path(sys.argv[1])]).files\n"
    "for f in files:\n"
    "    ast.parse(f.path.read_bytes())\n"
)
# The floor plus one Python-level visit of every node and nothing else: what any extractor
# walking the whole tree pays at least, however little it does per node. The collector is
# off, as in the scanner's workers (with it on, the walk's allocations re-traverse the tree).
WALK_FLOOR = "import gc\ngc.disable()\n" + AST_FLOOR.replace(
    "    ast.parse(f.path.read_bytes())\n", "    for _ in ast.walk(ast.parse(f.path.read_bytes())):\n        pass\n"
)
# The scanner core alone: discover, parse and extract facts (cached or not), AD101-AD109.
CORE = (
    "import sys\n"
    "from pathlib import Path\n"
    "from asyncdoc_tui.config import Config\n"
    "from asyncdoc_tui.rules import blocking\n"
    "from asyncdoc_tui.scan.engine import load_project\n"
    "cache = sys.argv[2]\n"
    "project = load_project([Path(sys.argv[1])], config=Config(), use_cache=bool(cache), cache_dir=Path(cache) if cache else None)\n"
    "print(len(project.files), project.parsed, sum(1 for _ in blocking.check(project)))\n"
)


@dataclass(frozen=True)
class Row:
    name: str
    seconds: float
    cpu: float  # user + system seconds of the process and its workers
    rss_mb: float
    command: str
    note: str = ""


@dataclass
class Context:
    """What every measurement needs; `rows` holds what was measured so far (for ratios)."""

    target: Path
    runs: int
    cli_runs: int
    cache_dir: Path
    skip_flake8: bool
    startup_runs: int
    rows: dict[str, Row]


def run_once(command: list[str]) -> tuple[float, float, float, int, str]:
    """(wall s, CPU s, peak RSS MB of the process or its largest child, exit code, stderr)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return wall, cpu, usage.ru_maxrss / 1024, process.returncode, errors.read().decode(errors="replace")


def measure(name: str, command: list[str], runs: int, ok: tuple[int, ...] = (0, 1), shown: str | None = None) -> Row:
    return interleaved([(name, command, shown)], runs, ok)[0]


def interleaved(specs: list[tuple[str, list[str], str | None]], runs: int, ok: tuple[int, ...] = (0, 1)) -> list[Row]:
    """Run the commands in turn, `runs` rounds: on a shared box the load drifts within a
    minute, and ratios between figures are only fair when each saw the same drift."""
    results: list[list[tuple[float, float, float, int, str]]] = [[] for _ in specs]
    if runs > 1:  # one untimed round: bytecode compiled, OS file cache filled
        for _, command, _ in specs:
            run_once(command)
    for _ in range(runs):
        for (name, command, _), got in zip(specs, results):
            got.append(run_once(command))
            code, stderr = got[-1][3], got[-1][4]
            if code not in ok:
                raise SystemExit(f"{name}: `{' '.join(command)}` exited with {code}:\n{stderr[-2000:]}")
    return [
        Row(
            name,
            statistics.median(r[0] for r in got),
            statistics.median(r[1] for r in got),
            max(r[2] for r in got),
            shown or " ".join(command),
            f"median of {runs}, interleaved" if len(specs) > 1 else (f"median of {runs}" if runs > 1 else "one run"),
        )
        for (name, command, shown), got in zip(specs, results)
    ]


def core(ctx: Context) -> list[Row]:
    """The floors and the scanner core, cold and warm, one round of each at a time."""
    target = str(ctx.target)
    warm_cache = str(ctx.cache_dir / "core")
    run_once([sys.executable, "-c", CORE, target, warm_cache])  # prime the cache
    return interleaved(
        [
            ("ast.parse floor (1 process)", [sys.executable, "-c", AST_FLOOR, target], f"python -c '<discover + ast.parse each file>' {target}"),
            ("ast.parse + ast.walk (1 process)", [sys.executable, "-c", WALK_FLOOR, target], f"python -c '<discover + ast.parse + ast.walk each file>' {target}"),
            ("asyncdoc scan core, cold (no cache)", [sys.executable, "-c", CORE, target, ""], f"python -c '<load_project(use_cache=False) + AD101-AD109>' {target}"),
            ("asyncdoc scan core, warm (cache primed)", [sys.executable, "-c", CORE, target, warm_cache], f"python -c '<load_project(cache_dir=…) + AD101-AD109>' {target}"),
        ],
        ctx.runs,
        ok=(0,),
    )


def cli(ctx: Context) -> list[Row]:
    """`asyncdoc check` with every rule: cold, warm (the whole-project result cache answers),
    and facts warm but the result cache emptied (what any change costs), interleaved."""
    check = [str(BIN / "asyncdoc"), "check", "--format", "json"]
    cache = ctx.cache_dir / "cli"
    warm = [*check, "--cache-dir", str(cache), str(ctx.target)]
    run_once(warm)  # prime the caches
    stale = f"rm -rf {cache / 'results'} && {' '.join(warm)}"
    return interleaved(
        [
            ("asyncdoc check, all rules, cold (--no-cache)", [*check, "--no-cache", str(ctx.target)], None),
            ("asyncdoc check, all rules, warm (cache primed)", warm, None),
            ("asyncdoc check, all rules, facts warm, no cached result", ["sh", "-c", stale], stale),
        ],
        ctx.cli_runs,
    )


def startup(ctx: Context) -> list[Row]:
    """A warm `asyncdoc check` with nothing to scan, beside bare interpreter start-up: what
    the cached path costs beyond starting Python (imports, discovery, one pickle)."""
    empty = ctx.cache_dir / "empty"
    empty.mkdir()
    check = [str(BIN / "asyncdoc"), "check", "--cache-dir", str(ctx.cache_dir / "startup"), str(empty)]
    run_once(check)  # prime the cache
    return interleaved(
        [
            ("python -c pass", [sys.executable, "-c", "pass"], None),
            ("python -c 'import asyncdoc_tui.cli'", [sys.executable, "-c", "import asyncdoc_tui.cli"], None),
            ("asyncdoc check, empty folder, warm", check, None),
        ],
        ctx.startup_runs,
    )


def ruff(ctx: Context) -> list[Row]:
    if not (BIN / "ruff").exists() and not shutil.which("ruff"):
        return []
    exe = str(BIN / "ruff") if (BIN / "ruff").exists() else "ruff"
    command = [exe, "check", "--select", "ASYNC", "--no-cache", "--quiet", str(ctx.target)]
    return [measure("ruff --select ASYNC", command, ctx.runs)]


def flake8_async(ctx: Context) -> list[Row]:
    if ctx.skip_flake8:
        return []
    exe = str(BIN / "flake8") if (BIN / "flake8").exists() else "flake8"
    command = [exe, "--select", "ASYNC2", "-j", "2", str(ctx.target)]
    return [measure("flake8-async (flake8 --select ASYNC2 -j 2)", command, 1)]


def transitive(ctx: Context) -> list[Row]:
    """AD201 rows from bench/incremental.py (one process: Django copy + generated project)."""
    script = Path(__file__).with_name("incremental.py")
    command = [sys.executable, str(script), str(ctx.target), "--repeat", str(ctx.runs), "--json"]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdout=out, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(f"`{' '.join(command)}` failed:\n{errors.read().decode(errors='replace')[-2000:]}")
        out.seek(0)
        measured = json.loads(out.read())
    rss = usage.ru_maxrss / 1024
    return [Row(m["name"], m["seconds"], m["cpu"], rss, m["command"], f"median of {ctx.runs}; {m['detail']}") for m in measured]


# Measurements in the order they run; each returns rows for the table. Issue 4 adds
# incremental-rescan and AD201-cost rows by appending functions here.
MEASUREMENTS: list[Callable[[Context], list[Row]]] = [
    core,
    cli,
    startup,
    ruff,
    flake8_async,
    transitive,
]


def table(rows: list[Row]) -> str:
    floor = next((r.seconds for r in rows if r.name.startswith("ast.parse floor")), None)
    header = "| measurement | median s | × ast floor | CPU s | peak RSS MB | runs | command |\n|---|---:|---:|---:|---:|---|---|"
    lines = [header]
    for row in rows:
        ratio = f"{row.seconds / floor:.2f}" if floor else "–"
        lines.append(f"| {row.name} | {row.seconds:.3f} | {ratio} | {row.cpu:.2f} | {row.rss_mb:.0f} | {row.note} | `{row.command}` |")
    return "\n".join(lines)


def targets(rows: dict[str, Row]) -> list[str]:
    floor = rows.get("ast.parse floor (1 process)")
    walk = rows.get("ast.parse + ast.walk (1 process)")
    lines: list[str] = []
    if floor and walk:
        cpus = len(os.sched_getaffinity(0))
        best = walk.cpu / cpus
        lines.append(
            f"lowest cold time for an extractor that visits every node: (parse + walk CPU {walk.cpu:.2f} s) / {cpus} CPUs"
            f" = {best:.2f} s = {best / floor.seconds:.2f}× the floor, before any fact is built or sent between processes"
        )
    for kind in ("scan core", "check, all rules"):
        cold = next((r for n, r in rows.items() if kind in n and "cold" in n), None)
        warm = next((r for n, r in rows.items() if kind in n and "warm" in n), None)
        if floor and cold:
            lines.append(f"{kind}: cold / ast floor = {cold.seconds / floor.seconds:.2f} (target ≤ 1.0)")
        if cold and warm:
            target = 0.15 if kind == "check, all rules" else 0.25
            lines.append(f"{kind}: warm / cold = {warm.seconds / cold.seconds:.3f} (target ≤ {target})")
        if cold or warm:
            peak = max(r.rss_mb for r in (cold, warm) if r)
            lines.append(f"{kind}: peak RSS = {peak:.0f} MB (target ≤ 300)")
    empty = rows.get("asyncdoc check, empty folder, warm")
    if empty:
        for bare in ("python -c pass", "python -c 'import asyncdoc_tui.cli'"):
            if bare in rows:
                lines.append(f"warm check, empty folder / `{bare}` = {empty.seconds / rows[bare].seconds:.2f} (target ≤ 2)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (default 5)")
    parser.add_argument("--cli-runs", type=int, default=3, help="runs of the full `asyncdoc check` (default 3)")
    parser.add_argument("--startup-runs", type=int, default=21, help="runs of each start-up figure (default 21)")
    parser.add_argument("--skip-flake8", action="store_true")
    args = parser.parse_args()
    if not args.target.is_dir():
        raise SystemExit(f"{args.target} not found: pip download --no-deps django==5.2.8 and unzip it")
    files = sum(1 for _ in args.target.rglob("*.py"))
    lines = sum(p.read_bytes().count(b"\n") for p in args.target.rglob("*.py"))
    with tempfile.TemporaryDirectory(prefix="asyncdoc-bench-") as cache:
        # As installed (pip writes bytecode at install time): a box that sets
        # PYTHONDONTWRITEBYTECODE would otherwise compile every module in every run.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = os.path.join(cache, "bytecode")
        ctx = Context(args.target, args.runs, args.cli_runs, Path(cache), args.skip_flake8, args.startup_runs, {})
        ordered: list[Row] = []
        for measurement in MEASUREMENTS:
            for row in measurement(ctx):
                ctx.rows[row.name] = row
                ordered.append(row)
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{args.target}: {files} files, {lines} lines; {os.cpu_count()} CPUs (load {load}); Python {sys.version.split()[0]}\n")
    print(table(ordered))
    print()
    print("\n".join(targets(ctx.rows)))


if __name__ == "__main__":
    main()
