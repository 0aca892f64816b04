"""Byte-identical JSON across runs and hash seeds (no set order leaks into the output)."""

from __future__ import annotations

import os
import subprocess
import sys

from cycle_cases import CASES


def _run(seed: str, *args: str) -> bytes:
    done = subprocess.run(
        [sys.executable, "-m", "asyncdoc_tui", *args],
        check=False,
        capture_output=True,
        env=dict(os.environ, PYTHONHASHSEED=seed),
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def test_check_and_graph_json_are_identical_across_hash_seeds(tmp_path):
    CASES["symmetric_names"].write(tmp_path)  # app/
    CASES["relative_reexport"].write(tmp_path)  # pkg/
    check = ("check", str(tmp_path), "--no-cache", "--select", "AD3", "--format", "json")
    graph = ("graph", str(tmp_path), "--no-cache", "--format", "json")
    for args in (check, graph):
        outputs = {_run(seed, *args) for seed in ("0", "1", "12345")}
        assert len(outputs) == 1
    assert _run("7", *check).count(b'"code": "AD301"') == 2
