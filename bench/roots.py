"""What finding import roots costs discovery, on Django's source laid out two ways.

Run: python bench/roots.py [PACKAGE_DIR] [--runs 7]
PACKAGE_DIR defaults to /work/bench-data/django-5.2.8/django (see bench/scan.py). Layouts:
the package scanned from its parent (roots follow from the layout alone: no file is read),
and the same package under a plain `server/` folder of a repository (the import lines of
every file are read to decide that `server/` is a root). Each figure is the median wall
time of `discover()` in this process over interleaved rounds, beside the `os.scandir` walk
alone, so the extra cost of roots reads as a difference on the same load.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from asyncdoc_tui.scan.discover import _walk, discover

DEFAULT = Path("/work/bench-data/django-5.2.8/django")


def _median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="asyncdoc-roots-") as tmp:
        repo = Path(tmp) / "repo"
        shutil.copytree(args.package, repo / "server" / args.package.name)
        cases: dict[str, tuple[Callable[[], object], str]] = {
            "walk only, package scanned": (lambda: _walk(args.package), f"_walk({args.package})"),
            "discover, package scanned": (lambda: discover([args.package]), f"discover([{args.package}])"),
            "walk only, package under server/": (lambda: _walk(repo), f"_walk({repo})"),
            "discover, package under server/": (lambda: discover([repo]), f"discover([{repo}])"),
        }
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs + 1):  # the first round warms the page cache
            for name, (run, _) in cases.items():
                start = time.perf_counter()
                run()
                samples[name].append(time.perf_counter() - start)
        found = discover([repo])
        modules = {f.module for f in found.files}
        print(f"| measurement | median ms | runs | command |\n|---|---:|---|---|")
        for name, (_, command) in cases.items():
            print(f"| {name} | {_median_ms(samples[name][1:])} | {args.runs} | `{command}` |")
        print(f"\nroots under server/: {[(r.path.relative_to(repo).as_posix(), r.reason) for r in found.roots]}")
        print(f"modules named `django.*`: {sum(m.startswith('django') for m in modules)} of {len(modules)}")


if __name__ == "__main__":
    main()
