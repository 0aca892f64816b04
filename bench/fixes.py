"""Cost of fixes: offering them during a scan (no libcst), computing one (libcst, first
call and warm), previewing and applying a batch with verification, and undo.

Run: /work/venv/bin/python bench/fixes.py [--django DIR] [--corpus DIR]
Defaults: Django 5.2 source at /work/bench-data/django-5.2.8/django (for the offer cost on
a large project) and the flake8-async corpus at /work/shared/corpus/flake8_async_eval (for
compute latency over many real findings). Everything runs on copies in a temporary
folder. Prints one table: figure, result, and the command (a Python snippet) behind it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DJANGO = Path("/work/bench-data/django-5.2.8/django")
CORPUS = Path("/work/shared/corpus/flake8_async_eval")


def _child(code: str, *args: str) -> str:
    """Run a snippet in a fresh interpreter (cold imports) and return its stdout."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


OFFER = """
import sys, time
from pathlib import Path
from asyncdoc_tui.scan.engine import load_project, analyse
from asyncdoc_tui.fixes.registry import fixes_for
project = load_project([Path(sys.argv[1])], use_cache=False)
t = time.perf_counter(); findings, _ = analyse(project); total = time.perf_counter() - t
t = time.perf_counter()
for f in findings: fixes_for(project, f)
offer = time.perf_counter() - t
print(f"{len(findings)} {sum(bool(f.fixes) for f in findings)} {offer:.4f} {total:.4f} {'libcst' in sys.modules}")
"""

COMPUTE = """
import sys, time, statistics
from pathlib import Path
from asyncdoc_tui.scan.engine import scan
from asyncdoc_tui.fixes import compute_fix, FixRefused
times, refused, first = [], 0, None
project, result = scan([Path(sys.argv[1])], use_cache=False)
for f in result.findings:
    for ref in f.fixes:
        t = time.perf_counter()
        try:
            compute_fix(project, f, ref.id)
        except FixRefused:
            refused += 1
        took = time.perf_counter() - t
        if first is None:
            first = took
        else:
            times.append(took)
times.sort()
print(f"{len(times) + 1} {refused} {first:.3f} {statistics.median(times)*1000:.1f} {times[int(len(times)*0.9)]*1000:.1f} {max(times)*1000:.1f}")
"""

APPLY = """
import sys, time
from pathlib import Path
from asyncdoc_tui.scan.engine import scan
from asyncdoc_tui.fixes import FixRefused, compute_fix, preview_fixes, apply_fixes, undo_last
root, cache = Path(sys.argv[1]), Path(sys.argv[2])
project, result = scan([root], use_cache=False)
t = time.perf_counter()
proposals = []
for f in result.findings:
    for ref in f.fixes:
        try:
            proposals.append(compute_fix(project, f, ref.id)); break
        except FixRefused:
            pass
compute = time.perf_counter() - t
t = time.perf_counter(); preview_fixes(project, proposals); preview = time.perf_counter() - t
t = time.perf_counter(); report = apply_fixes(project, proposals, cache_dir=cache); apply = time.perf_counter() - t
t = time.perf_counter(); undo = undo_last(root, cache); took = time.perf_counter() - t
print(f"{len(proposals)} {len(report.applied)} {len(report.skipped)} {len(report.files_written)} {compute:.3f} {preview:.3f} {apply:.3f} {took*1000:.1f} {undo.ok}")
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--django", type=Path, default=DJANGO)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.django.is_dir():
            n, with_fixes, offer, total, libcst = _child(OFFER, str(args.django)).split()
            rows.append((
                f"offer fixes for {n} Django findings ({with_fixes} with fixes)",
                f"{float(offer) * 1000:.1f} ms of {float(total):.2f} s analyse; libcst imported: {libcst}",
                f"OFFER snippet {args.django}",
            ))
        if args.corpus.is_dir():
            corpus = work / "corpus"
            corpus.mkdir()
            for source in args.corpus.glob("*.py"):
                shutil.copy(source, corpus / source.name)
            n, refused, first, median, p90, worst = _child(COMPUTE, str(corpus)).split()
            rows.append((
                f"compute_fix, {n} offered fixes on the flake8-async corpus ({refused} refused)",
                f"first {float(first):.2f} s (libcst import + parse); then median {median} ms, p90 {p90} ms, max {worst} ms",
                f"COMPUTE snippet {args.corpus} (copy)",
            ))
        from asyncdoc_tui.demo import demo_path

        demo = work / "shop"
        shutil.copytree(demo_path(), demo, ignore=shutil.ignore_patterns("__pycache__"))
        n, applied, skipped, files, compute, preview, apply, undo, ok = _child(APPLY, str(demo), str(work / "cache")).split()
        rows.append((
            f"demo project: {n} proposals (first fix of each finding, unsafe included)",
            f"compute {compute} s, preview {preview} s, apply+verify {apply} s ({applied} applied in {files} files, {skipped} made moot by another), undo {undo} ms (ok: {ok})",
            "APPLY snippet <copy of the demo>",
        ))
    width = max(len(r[0]) for r in rows)
    result_width = max(len(r[1]) for r in rows)
    print(f"{'figure':<{width}}  {'result':<{result_width}}  command")
    for figure, result, command in rows:
        print(f"{figure:<{width}}  {result:<{result_width}}  python bench/fixes.py  # {command}")
    print(f"load average: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
