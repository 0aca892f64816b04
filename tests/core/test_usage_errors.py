"""Bad input on the command line or in [tool.asyncdoc] is a usage error: one line, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from project_files import write_tree

COMMANDS = ("check", "graph", "fix")


def run(command: str, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd / ".xdg")}
    argv = [sys.executable, "-m", "asyncdoc_tui", command, "--no-cache", *map(str, args)]
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env, check=False)


def assert_usage_error(done: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert lines and all(line.startswith("asyncdoc: error: ") for line in lines), done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    for text in expected:
        assert text in done.stderr


CASES = {
    "missing path": ({"app.py": ""}, ("nope",), "no such file or directory"),
    "unknown code on the command line": ({"app.py": ""}, ("--select", "AD999,XYZ"), "unknown rule codes AD999, XYZ"),
    "unknown code in the config": (
        {"app.py": "", "pyproject.toml": '[tool.asyncdoc]\nignore = ["AD104", "AD7"]\n'}, (), "unknown rule code AD7"
    ),
    "tool is not a table": ({"app.py": "", "pyproject.toml": 'tool = "x"\n'}, (), "[tool] must be a table"),
    "select is a string": (
        {"app.py": "", "pyproject.toml": '[tool.asyncdoc]\nselect = "AD1"\n'}, (), "select must be a list of strings"
    ),
    "force-exclude is not a flag": (
        {"app.py": "", "pyproject.toml": '[tool.asyncdoc]\nforce-exclude = "yes"\n'}, (), "force-exclude must be true or false"
    ),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_a_usage_error(case: str, command: str, tmp_path: Path) -> None:
    files, args, expected = CASES[case]
    root = write_tree(tmp_path / "project", files)
    targets = [root / a if a == "nope" else a for a in args]
    if "nope" not in args:
        targets.append(root)
    assert_usage_error(run(command, *targets, cwd=tmp_path), expected)


def test_valid_prefixes_are_accepted(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "project", {"app.py": "import time\n\nasync def f():\n    time.sleep(1)\n"})
    done = run("check", "--select", "AD1,AD20", "--ignore", "AD104", root, cwd=tmp_path)
    assert done.returncode == 1 and "AD101" in done.stdout, done.stderr
