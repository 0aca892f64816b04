"""The docs' example of a rule is reported and its look-alike is not: scanned for real."""

from __future__ import annotations

from pathlib import Path

import pytest
from pattern_helpers import findings

from asyncdoc_tui.rules.catalog import load_catalog


@pytest.mark.parametrize("code", ["AD402", "AD403"])
def test_example_is_reported_and_look_alike_is_not(tmp_path: Path, code: str) -> None:
    rule = load_catalog().rules[code]
    assert rule.example and rule.not_reported
    _, reported = findings(tmp_path / "example", {"example.py": rule.example}, code)
    _, silent = findings(tmp_path / "look_alike", {"look_alike.py": rule.not_reported}, code)
    marked = [n for n, line in enumerate(rule.example.splitlines(), 1) if f"# {code}" in line]
    assert [f.line for f in reported] == marked
    assert silent == []
