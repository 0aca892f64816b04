"""docs/rules.md is generated from the catalog: it must match what the catalog renders."""

from __future__ import annotations

from pathlib import Path

from asyncdoc_tui.docs import main, rules_markdown
from asyncdoc_tui.rules.catalog import load_catalog

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_rules_doc_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == rules_markdown(load_catalog()), "run: python -m asyncdoc_tui.docs"


def test_every_rule_is_documented_with_why_and_instead() -> None:
    text = rules_markdown(load_catalog())
    for code in ("AD101", "AD201", "AD301", "AD401", "AD402", "AD403", "AD404"):
        section = text.split(f"## {code}:", 1)[1].split("\n## ", 1)[0]
        assert "**Why.**" in section and "**Instead.**" in section


def test_check_mode_reports_a_stale_file(tmp_path: Path) -> None:
    out = tmp_path / "rules.md"
    assert main([str(out), "--check"]) == 1
    assert main([str(out)]) == 0
    assert main([str(out), "--check"]) == 0
