"""`asyncdoc playground --headless` and `asyncdoc demo-server` through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys


def asyncdoc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "asyncdoc_tui", *args], capture_output=True, text=True, timeout=60)


def test_headless_json(demo_url: str) -> None:
    done = asyncdoc("playground", "--headless", "--url", f"{demo_url}/delay/0.05", "--repeat", "4",
                    "--pattern", "gather", "--json")
    assert done.returncode == 0, done.stderr
    (run,) = json.loads(done.stdout)["runs"]
    assert run["pattern"] == "gather" and run["errors"] == 0 and len(run["requests"]) == 4
    for key in ("wall_s", "speedup", "p50_s", "p90_s", "p99_s", "max_lag_s"):
        assert key in run


def test_headless_table_and_errors_exit_1(demo_url: str) -> None:
    done = asyncdoc("playground", "--headless", "--url", f"{demo_url}/status/503", "--repeat", "2",
                    "--pattern", "gather-return-exceptions")
    assert done.returncode == 1
    assert "gather-return-exceptions: 2× http 503" in done.stdout


def test_headless_usage_errors_exit_2() -> None:
    assert asyncdoc("playground", "--headless", "--url", "nope", "--pattern", "gather").returncode == 2
    assert asyncdoc("playground", "--headless", "--pattern", "bogus").returncode == 2


def test_demo_server_help() -> None:
    done = asyncdoc("demo-server", "--help")
    assert done.returncode == 0 and "--port" in done.stdout
