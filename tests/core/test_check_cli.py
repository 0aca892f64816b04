"""`asyncdoc check` as CI runs it: the JSON contract, SARIF, annotations, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

Write = Callable[[dict[str, str | bytes]], Path]

BLOCKING = {
    "app/__init__.py": "",
    "app/api/routes.py": """
        import time

        async def handler():
            time.sleep(1)
        """,
    "app/broken.py": "def (:\n",
}
CLEAN = {"app/__init__.py": "", "app/ok.py": "import asyncio\n\nasync def f():\n    await asyncio.sleep(1)\n"}

TOP_KEYS = {"version", "root", "files_scanned", "files_skipped", "findings"}
FINDING_KEYS = {
    "code", "severity", "path", "line", "col", "end_line", "end_col",
    "message", "alternative", "equivalent", "evidence", "fixes",
}


def check(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `asyncdoc check` in a fresh interpreter, without the user's cache."""
    full_env = {**os.environ, "XDG_CACHE_HOME": str(cwd / ".xdg"), **(env or {})}
    command = [sys.executable, "-m", "asyncdoc_tui", "check", *map(str, args)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=full_env, check=False)


def test_json_contract(write: Write, tmp_path: Path) -> None:
    root = write(BLOCKING)
    done = check("--format", "json", "--no-cache", root, cwd=tmp_path.parent)
    assert done.returncode == 1, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    assert TOP_KEYS <= data.keys()
    assert isinstance(data["version"], str) and data["root"] == str(root)
    assert data["files_scanned"] == 2
    assert data["files_skipped"] == [{"path": "app/broken.py", "reason": data["files_skipped"][0]["reason"]}]
    assert data["files_skipped"][0]["reason"].startswith("syntax error at line 1")
    (finding,) = [f for f in data["findings"] if f["code"] == "AD101"]
    assert FINDING_KEYS <= finding.keys()
    assert finding["path"] == "app/api/routes.py"  # relative to the root, forward slashes
    assert (finding["line"], finding["col"], finding["end_line"], finding["end_col"]) == (4, 5, 4, 18)
    assert finding["severity"] == "error" and finding["equivalent"] == "ASYNC251"
    assert "asyncio.sleep" in finding["alternative"]
    assert isinstance(finding["evidence"], list) and isinstance(finding["fixes"], list)


def test_exit_codes(write: Write, tmp_path: Path) -> None:
    clean = write({f"clean/{k}": v for k, v in CLEAN.items()}) / "clean"
    assert check("--no-cache", clean, cwd=tmp_path).returncode == 0
    assert check("--no-cache", "--format", "json", clean, cwd=tmp_path).returncode == 0
    dirty = write({f"dirty/{k}": v for k, v in BLOCKING.items()}) / "dirty"
    assert check("--no-cache", dirty, cwd=tmp_path).returncode == 1
    assert check("--no-cache", "--format", "nope", dirty, cwd=tmp_path).returncode == 2
    assert check("--no-cache", "--bogus-flag", dirty, cwd=tmp_path).returncode == 2


def test_text_output_is_ruff_like_and_lists_skipped_files_on_stderr(write: Write, tmp_path: Path) -> None:
    root = write(BLOCKING)
    done = check("--no-cache", "--select", "AD1", ".", cwd=root)
    assert "app/api/routes.py:4:5: AD101 `time.sleep()` blocks the event loop" in done.stdout
    assert "[ASYNC251]" in done.stdout and "→ instead: await asyncio.sleep(seconds)" in done.stdout
    assert "asyncdoc: skipped app/broken.py: syntax error at line 1" in done.stderr


def test_github_annotations(write: Write) -> None:
    root = write(BLOCKING)
    done = check("--no-cache", "--select", "AD101", "--format", "github", ".", cwd=root)
    lines = done.stdout.splitlines()
    assert lines[0].startswith("::error file=app/api/routes.py,line=4,col=5,endLine=4,endColumn=18,title=asyncdoc AD101::AD101 ")
    assert "%0AInstead: await asyncio.sleep(seconds)" in lines[0]
    assert lines[1].startswith("::warning file=app/broken.py,title=asyncdoc skipped a file::syntax error at line 1")


def test_sarif_is_2_1_0_shaped_for_github_code_scanning(write: Write) -> None:
    root = write(BLOCKING)
    done = check("--no-cache", "--format", "sarif", ".", cwd=root)
    sarif = json.loads(done.stdout)
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    (run,) = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "asyncdoc" and driver["version"]
    rule_ids = [r["id"] for r in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids)) and "AD101" in rule_ids
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    (result,) = [r for r in run["results"] if r["ruleId"] == "AD101"]
    assert rule_ids[result["ruleIndex"]] == "AD101"
    assert result["level"] == "error" and result["message"]["text"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "app/api/routes.py"
    assert location["region"] == {"startLine": 4, "startColumn": 5, "endLine": 4, "endColumn": 18}
    assert result["partialFingerprints"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/broken.py"


def test_demo_has_every_blocking_rule() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "asyncdoc_tui", "check", "--demo", "--no-cache", "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    codes = {f["code"] for f in json.loads(done.stdout)["findings"]}
    assert {f"AD10{n}" for n in range(1, 10)} <= codes
