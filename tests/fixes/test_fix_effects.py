"""A fix that may add a finding by design says so before it is applied."""

from __future__ import annotations

import textwrap
from pathlib import Path

from fix_helpers import only, scan_tree

from asyncdoc_tui.fixes import compute_fix


def _write(root: Path, source: str) -> Path:
    (root / "app.py").write_text(textwrap.dedent(source).lstrip())
    return root


def test_a_fix_that_may_add_a_finding_says_so_before_it_is_applied(tmp_path: Path) -> None:
    source = """
        import requests


        async def rates():
            return requests.get("https://rates.example/eur").json()
        """
    project, result = scan_tree(_write(tmp_path, source))
    proposal = compute_fix(project, only(result.findings, "AD102"), "requests-to-httpx")
    assert "Effect: −1 error (AD102); it may add +1 warning (AD401: HTTP client created per request)" in proposal.notes
