"""Recall and precision against flake8-async's own test inputs (the shared corpus).

Scored at (file, line) granularity and family-mapped (DESIGN §2): a finding counts for
an ASYNC code when the code's asyncdoc family matches. Only the codes a corpus file
enables (those in its expected rows) are scored in that file, as flake8-async runs each
file with those codes alone. Lines marked as known flake8-async false negatives
(`# should error`, `# not handled`, `# not implemented`) are not counted either way.
The corpus is read in place, never copied.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from asyncdoc_tui.config import Config
from asyncdoc_tui.model import Finding
from asyncdoc_tui.scan.engine import equivalent_codes, scan

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "flake8_async_eval"
THRESHOLD = 0.95
SCORED = ("ASYNC210", "ASYNC211", "ASYNC212", "ASYNC220", "ASYNC221", "ASYNC222", "ASYNC230", "ASYNC231", "ASYNC232", "ASYNC240", "ASYNC250", "ASYNC251")
FAMILY = {
    "AD101": ("ASYNC251",),
    "AD102": ("ASYNC210", "ASYNC211", "ASYNC212"),
    "AD103": ("ASYNC220", "ASYNC221", "ASYNC222"),
    "AD104": ("ASYNC230", "ASYNC231", "ASYNC232", "ASYNC240"),
    "AD105": ("ASYNC250",),
    "AD109": ("ASYNC200",),
}
_UNCOUNTED = re.compile(r"#\s*(should error|not handled|not implemented)\b")
_BLOCKING_ARG = "--async200-blocking-calls="


def _config_for(file_args: list[str]) -> Config:
    """The `# ARG --async200-blocking-calls=pattern -> advice, ...` line as [tool.asyncdoc] blocking."""
    blocking: list[tuple[str, str]] = []
    for arg in file_args:
        if arg.startswith(_BLOCKING_ARG):
            for item in arg[len(_BLOCKING_ARG) :].split(","):
                pattern, _, advice = item.partition("->")
                if pattern.strip():
                    blocking.append((pattern.strip(), advice.strip()))
    return Config(blocking=tuple(blocking))


def _uncounted_lines(path: Path) -> set[int]:
    """Marked lines; a marker on a line of its own covers the next top-level definition."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    marked = [n for n, line in enumerate(lines, start=1) if _UNCOUNTED.search(line)]
    definitions = [n for n in ast.parse(text).body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    uncounted: set[int] = set(marked)
    for line in marked:
        if lines[line - 1].lstrip().startswith("#"):
            following = next((d for d in definitions if d.lineno > line), None)
            if following is not None:
                uncounted.update(range(line, (following.end_lineno or following.lineno) + 1))
    return uncounted


def _codes_of(finding: Finding) -> set[str]:
    """ASYNC codes a finding stands for: its own equivalent, within its family."""
    family = set(FAMILY.get(finding.code, ()))
    own = equivalent_codes(finding.equivalent) if finding.equivalent else family
    return (own & family) or family


def score() -> tuple[dict[str, Counter], list[str]]:
    """Per ASYNC code: Counter(tp, fn, fp); plus a line per miss or false alarm."""
    expected: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    file_args: dict[str, list[str]] = {}
    for row in map(json.loads, (CORPUS / "expected.jsonl").read_text(encoding="utf-8").splitlines()):
        expected[row["file"]][row["line"]].add(row["code"])
        file_args[row["file"]] = row["file_args"]
    table: dict[str, Counter] = defaultdict(Counter)
    notes: list[str] = []
    for name in sorted(expected):
        path = CORPUS / name
        enabled = set().union(*expected[name].values())
        _, result = scan([path], config=_config_for(file_args[name]), use_cache=False)
        assert not result.skipped, result.skipped
        found: dict[int, set[str]] = defaultdict(set)
        for finding in result.findings:
            codes = _codes_of(finding) & enabled
            if codes:
                found[finding.line] |= codes
        uncounted = _uncounted_lines(path)
        for line in sorted(set(expected[name]) | set(found)):
            want, got = expected[name].get(line, set()), found.get(line, set())
            for code in sorted(want):
                hit = code in got
                table[code]["tp" if hit else "fn"] += 1
                if not hit:
                    notes.append(f"miss   {name}:{line} {code}")
            if got and not (got & want) and line not in uncounted:
                # One false alarm per line, against the first code it stands for.
                table[min(got)]["fp"] += 1
                notes.append(f"extra  {name}:{line} {'/'.join(sorted(got))}")
    return table, notes


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


@pytest.mark.skipif(not (CORPUS / "expected.jsonl").is_file(), reason="flake8-async corpus not present")
def test_recall_and_precision_per_async_code() -> None:
    table, notes = score()
    print(f"\n{'code':<10}{'tp':>5}{'fn':>5}{'fp':>5}{'recall':>9}{'precision':>11}")
    totals: Counter = Counter()
    for code in sorted(table):
        row = table[code]
        print(f"{code:<10}{row['tp']:>5}{row['fn']:>5}{row['fp']:>5}{_ratio(row['tp'], row['tp'] + row['fn']):>9.3f}{_ratio(row['tp'], row['tp'] + row['fp']):>11.3f}")
        if code in SCORED:
            totals.update(row)
    recall = _ratio(totals["tp"], totals["tp"] + totals["fn"])
    precision = _ratio(totals["tp"], totals["tp"] + totals["fp"])
    print(f"{'210-251':<10}{totals['tp']:>5}{totals['fn']:>5}{totals['fp']:>5}{recall:>9.3f}{precision:>11.3f}")
    print("\n".join(notes))
    assert recall >= THRESHOLD, f"recall {recall:.3f} < {THRESHOLD}"
    assert precision >= THRESHOLD, f"precision {precision:.3f} < {THRESHOLD}"
