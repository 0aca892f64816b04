"""Engine pieces that need no server: root causes, snippets, JSON round trip, no Textual."""

from __future__ import annotations

import errno
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from asyncdoc_tui.playground.errors import classify
from asyncdoc_tui.playground.export import load_runs, run_to_json, runs_to_json
from asyncdoc_tui.playground.patterns import PATTERNS
from asyncdoc_tui.playground.stats import percentile

RECORDED = Path(__file__).parent / "data" / "compare_all.json"


def _wrapped(root: BaseException) -> httpx.ConnectError:
    """Build the chain httpx really raises: httpx error from httpcore error from OS error."""
    import httpcore

    try:
        try:
            try:
                raise root
            except BaseException as exc:
                raise httpcore.ConnectError(str(exc)) from exc
        except httpcore.ConnectError as exc:
            raise httpx.ConnectError(str(exc)) from exc
    except httpx.ConnectError as exc:
        return exc


@pytest.mark.parametrize(
    ("root", "kind"),
    [
        (OSError(errno.EMFILE, "Too many open files"), "too-many-open-files"),
        (ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"), "refused"),
        (OSError(errno.ENETUNREACH, "Network is unreachable"), "unreachable"),
        (TimeoutError("timed out"), "timeout"),
    ],
)
def test_root_cause_not_wrapper(root: BaseException, kind: str) -> None:
    found, message = classify(_wrapped(root))
    assert found == kind
    assert message.startswith(type(root).__name__)


def test_snippet_is_the_running_source() -> None:
    for pattern in PATTERNS.values():
        namespace: dict[str, object] = {}
        exec(compile("from __future__ import annotations\nimport asyncio, functools\nfrom typing import Any\n"
                     + pattern.snippet, "<snippet>", "exec"), namespace)
        assert pattern.func.__code__.co_code == namespace[pattern.func.__name__].__code__.co_code  # type: ignore[attr-defined]
    assert "run_in_executor(None, functools.partial(" in PATTERNS["executor"].snippet
    assert "asyncio.TaskGroup()" in PATTERNS["taskgroup"].snippet


def test_percentile() -> None:
    assert percentile([], 50) is None
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([0.0, 10.0], 90) == pytest.approx(9.0)


def test_json_round_trip_of_a_recorded_run() -> None:
    runs = load_runs(RECORDED)
    assert [r.pattern for r in runs] == list(PATTERNS)
    data = runs_to_json(runs)
    assert data == json.loads(RECORDED.read_text())
    first = run_to_json(runs[0])
    for key in ("pattern", "wall_s", "speedup", "p50_s", "p90_s", "p99_s", "errors", "max_lag_s", "requests"):
        assert key in first


def test_engine_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import asyncdoc_tui.playground.runner, asyncdoc_tui.playground.export\n"
        "import asyncdoc_tui.playground.server_process, asyncdoc_tui.commands.playground\n"
        "assert 'textual' not in sys.modules, 'engine imported textual'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
