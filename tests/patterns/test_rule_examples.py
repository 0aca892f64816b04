"""The docs' example of a rule is reported and its look-alike is not: scanned for real."""

from __future__ import annotations

from pathlib import Path

import pytest
from pattern_helpers import findings

from asyncdoc_tui.rules.catalog import load_catalog


RULES = load_catalog().rules
# Rules whose example is one file that needs no configuration (the cycle rules' examples
# span several files; AD109's depends on `[tool.asyncdoc] blocking`).
DOCUMENTED = [code for code, rule in RULES.items() if "# app/" not in rule.example and code != "AD109"]


def test_every_rule_shows_an_example_and_a_look_alike() -> None:
    assert [code for code, rule in RULES.items() if not (rule.example and rule.not_reported)] == []


def test_the_configured_rule_example_and_look_alike(tmp_path: Path) -> None:
    rule = RULES["AD109"]
    config = '[tool.asyncdoc]\nblocking = { "vendor.sdk.charge" = "use vendor.sdk.acharge" }\n'
    _, reported = findings(tmp_path / "example", {"pyproject.toml": config, "example.py": rule.example}, "AD109")
    _, silent = findings(tmp_path / "look_alike", {"pyproject.toml": config, "look_alike.py": rule.not_reported}, "AD109")
    assert [f.line for f in reported] == [n for n, line in enumerate(rule.example.splitlines(), 1) if "# AD109" in line]
    assert silent == []


@pytest.mark.parametrize("code", DOCUMENTED)
def test_example_is_reported_and_look_alike_is_not(tmp_path: Path, code: str) -> None:
    rule = load_catalog().rules[code]
    assert rule.example and rule.not_reported
    _, reported = findings(tmp_path / "example", {"example.py": rule.example}, code)
    _, silent = findings(tmp_path / "look_alike", {"look_alike.py": rule.not_reported}, code)
    marked = [n for n, line in enumerate(rule.example.splitlines(), 1) if f"# {code}" in line]
    assert [f.line for f in reported] == marked
    assert silent == []
