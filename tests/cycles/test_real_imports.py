"""The prediction and Python agree: every module of every case, imported first in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cycle_cases import CASES

from asyncdoc_tui.cycles.graph import build_graph
from asyncdoc_tui.cycles.simulate import ImportSimulator
from asyncdoc_tui.scan.engine import load_project


def _import_error(root: Path, module: str) -> str | None:
    """The last line Python prints when `import module` fails, or None when it works."""
    done = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(root)!r}); import {module}"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stderr.strip().splitlines()[-1] if done.returncode else None


def _without_path(message: str) -> str:
    """Python prints the absolute path of the module; asyncdoc the project-relative one."""
    return message.rsplit(" (", 1)[0]


@pytest.mark.parametrize("name", sorted(CASES))
def test_prediction_matches_python_for_every_module(name, tmp_path):
    case = CASES[name]
    case.write(tmp_path)
    project = load_project([tmp_path], use_cache=False)
    simulator = ImportSimulator(build_graph(project.files))
    root = tmp_path / case.import_root
    modules = sorted(f.module for f in project.files)
    assert modules
    for module in modules:
        predicted = simulator.run(module)
        actual = _import_error(root, module)
        if predicted is None:
            assert actual is None, f"{name}: {module} fails in Python: {actual}"
        else:
            assert actual is not None, f"{name}: predicted {predicted.message} for {module}, Python imports it"
            assert _without_path(actual) == _without_path(predicted.message), module
