"""False-alarm check of the pattern rules (AD401-AD404) on real code nobody here wrote.

    python bench/pattern_rules.py [PATH ...]      (default: /work/bench-data/django-5.2.8/django)

Prints, per path, the findings of each rule with a table of counts and the time the
pattern rules took on the already-parsed project, then every finding (for hand-checking).
Get Django with `pip download --no-deps django==5.2.8 -d /work/bench-data` and unzip the
wheel to /work/bench-data/django-5.2.8.
"""

from __future__ import annotations

import ast
import sys
import time
from collections import Counter
from pathlib import Path

from asyncdoc_tui.config import Config
from asyncdoc_tui.rules import patterns
from asyncdoc_tui.scan.engine import load_project

DEFAULT = Path("/work/bench-data/django-5.2.8/django")
CODES = ("AD401", "AD402", "AD403", "AD404")


def raw_await_runs(path: Path) -> int:
    """Runs of 2+ consecutive await statements in async functions, before any filter:
    the candidates AD403 starts from (bare awaits and `x = await ...` alike)."""
    count = 0
    for file in sorted(path.rglob("*.py")):
        try:
            tree = ast.parse(file.read_bytes())
        except (SyntaxError, ValueError):
            continue
        for function in ast.walk(tree):
            if not isinstance(function, ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                for name in ("body", "orelse", "finalbody"):
                    block = getattr(node, name, None)
                    if not isinstance(block, list):
                        continue
                    length = 0
                    for stmt in [*block, None]:
                        value = getattr(stmt, "value", None) if isinstance(stmt, (ast.Assign, ast.Expr)) else None
                        if isinstance(value, ast.Await):
                            length += 1
                            continue
                        count += length >= 2
                        length = 0
    return count


def run(path: Path) -> None:
    command = f"python bench/pattern_rules.py {path}"
    started = time.perf_counter()
    project = load_project([path], config=Config(), use_cache=False)
    parsed = time.perf_counter() - started
    started = time.perf_counter()
    found = sorted(patterns.check(project), key=lambda f: f.sort_key)
    checked = time.perf_counter() - started
    counts = Counter(f.code for f in found)
    groups = sum(len(f.extra.get("await_flow", ())) for f in project.files)
    async_functions = sum(1 for f in project.files for fn in f.functions if fn.is_async)
    print(f"\n## {path}\n")
    print("| figure | value | command |")
    print("|---|---|---|")
    rows = [
        ("files parsed", str(len(project.files))),
        ("async functions", str(async_functions)),
        ("parse + facts (s, no cache)", f"{parsed:.1f}"),
        ("pattern rules (s)", f"{checked:.2f}"),
        ("runs of 2+ consecutive await statements (before filters)", str(raw_await_runs(path))),
        ("AD403 groups from the await_flow pass", str(groups)),
    ]
    rows += [(f"{code} findings", str(counts.get(code, 0))) for code in CODES]
    for name, value in rows:
        print(f"| {name} | {value} | `{command}` |")
    print()
    for finding in found:
        print(f"{finding.location} {finding.code} {finding.message}")


def main(argv: list[str]) -> int:
    for path in [Path(a) for a in argv] or [DEFAULT]:
        if not path.exists():
            print(f"{path} not found (see the module docstring for how to get it)", file=sys.stderr)
            return 2
        run(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
