"""The docs' example of a rule is reported and its look-alike is not: scanned for real."""

from __future__ import annotations

from pathlib import Path

import pytest
from pattern_helpers import findings

from asyncdoc_tui.rules.catalog import load_catalog


# Every rule whose docs show a one-file example and a look-alike (the cycle rules' examples
# span several files; AD109 depends on the project's configuration).
DOCUMENTED = [code for code, rule in load_catalog().rules.items() if rule.example and rule.not_reported]


def test_the_docs_pair_most_rules_with_a_look_alike() -> None:
    assert len(DOCUMENTED) >= 13


@pytest.mark.parametrize("code", DOCUMENTED)
def test_example_is_reported_and_look_alike_is_not(tmp_path: Path, code: str) -> None:
    rule = load_catalog().rules[code]
    assert rule.example and rule.not_reported
    _, reported = findings(tmp_path / "example", {"example.py": rule.example}, code)
    _, silent = findings(tmp_path / "look_alike", {"look_alike.py": rule.not_reported}, code)
    marked = [n for n, line in enumerate(rule.example.splitlines(), 1) if f"# {code}" in line]
    assert [f.line for f in reported] == marked
    assert silent == []
