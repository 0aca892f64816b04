"""Bad input never stops a scan: each bad file is listed in files_skipped with a reason."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from asyncdoc_tui.config import Config
from asyncdoc_tui.scan.engine import scan
from asyncdoc_tui.scan.parse import MAX_BYTES

Write = Callable[[dict[str, str | bytes]], Path]

GOOD = "import time\n\nasync def handler():\n    time.sleep(1)\n"


def _scan(root: Path) -> tuple[dict[str, str], list[tuple[str, int]]]:
    _, result = scan([root], config=Config(), use_cache=False)
    return {s.path: s.reason for s in result.skipped}, [(f.path, f.line) for f in result.findings if f.code == "AD101"]


def test_each_bad_file_is_skipped_with_a_clear_reason(write: Write) -> None:
    root = write(
        {
            "good.py": GOOD,
            "syntax.py": "def broken(:\n    pass\n",
            "nulls.py": b"x = 1\x00\n",
            "latin.py": b"x = 'caf\xe9'\n",
            "huge.py": b"x = 1\n" * (MAX_BYTES // 6 + 1),
            "deep.py": "x = " + "+".join(["a"] * 20000) + "\n",
        }
    )
    skipped, found = _scan(root)
    assert found == [("good.py", 4)]
    assert skipped["syntax.py"].startswith("syntax error at line 1")
    assert skipped["nulls.py"] == "contains null bytes (binary file or corrupted source)"
    assert skipped["latin.py"].startswith("cannot decode as utf-8 at byte 8")
    assert "MB limit" in skipped["huge.py"]
    assert skipped["deep.py"].startswith("too deeply nested")
    assert set(skipped) == {"syntax.py", "nulls.py", "latin.py", "huge.py", "deep.py"}


def test_pep_263_coding_cookie_is_honoured(write: Write) -> None:
    root = write({"legacy.py": b"# -*- coding: latin-1 -*-\nimport time\n\nasync def f():\n    time.sleep(1)  # caf\xe9\n"})
    skipped, found = _scan(root)
    assert skipped == {} and found == [("legacy.py", 5)]


def test_unreadable_file_is_skipped(write: Write) -> None:
    root = write({"secret.py": GOOD, "good.py": GOOD})
    secret = root / "secret.py"
    secret.chmod(0)
    try:
        if os.access(secret, os.R_OK):
            pytest.skip("running as a user who can read mode-000 files (root)")
        skipped, found = _scan(root)
        assert skipped == {"secret.py": "cannot read: Permission denied"}
        assert found == [("good.py", 4)]
    finally:
        secret.chmod(0o644)


def test_scanning_never_imports_or_runs_the_code(write: Write, tmp_path: Path) -> None:
    marker = tmp_path / "imported.txt"
    side_effect = f"from pathlib import Path\nPath({str(marker)!r}).write_text('imported')\n"
    root = write(
        {
            "app/__init__.py": side_effect,
            "app/main.py": side_effect + "import app\n\nasync def f():\n    app.run()\n",
            "conftest.py": side_effect,
            "setup.py": side_effect,
        }
    )
    _, result = scan([root], config=Config(), use_cache=False)
    assert result.files_scanned == 4
    assert not marker.exists()


def test_core_never_imports_textual() -> None:
    core = [
        "asyncdoc_tui.scan.engine",
        "asyncdoc_tui.rules",
        "asyncdoc_tui.rules.blocking",
        "asyncdoc_tui.report",
        "asyncdoc_tui.commands.check",
        "asyncdoc_tui.fixes",
        "asyncdoc_tui.playground",
        "asyncdoc_tui.playground.served_session",
    ]
    code = "; ".join(f"import {m}" for m in core) + "; import sys; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_form_feeds_do_not_shift_line_numbers(write: Write) -> None:
    """str.splitlines breaks at \\f; Python (and so the findings) does not."""
    root = write(
        {
            "paged.py": "import time\n\x0c\nasync def f():\n    x = 1  \x0c # noqa\n    time.sleep(1)  # noqa\n",
            "import_text.py": 'page = "one\x0ctwo"\nimport os\n',
        }
    )
    project, result = scan([root], config=Config(), use_cache=False)
    assert [(f.path, f.line) for f in result.suppressed] == [("paged.py", 5)]
    assert not result.findings
    facts = project.index.by_path["import_text.py"]
    assert [(i.line, i.text) for i in facts.imports] == [(2, "import os")]
