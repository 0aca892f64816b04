"""Render docs/rules.md from the rule catalog, so the docs and the TUI read the same text.

`python -m asyncdoc_tui.docs [OUTPUT]` writes the file (default `docs/rules.md`);
`--check` exits 1 when the file on disk differs from what the catalog renders.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from asyncdoc_tui.rules.catalog import Catalog, RuleInfo, load_catalog

DEFAULT_OUTPUT = Path("docs/rules.md")
_HEADER = """# asyncdoc rules

Generated from `src/asyncdoc_tui/rules/catalog.toml` by `python -m asyncdoc_tui.docs`;
edit the catalog, not this file. The same text is shown in the terminal app's detail pane.

Suppress a finding with `# noqa: CODE` (the flake8-async / ruff equivalent works too) or
`# asyncdoc: ignore[CODE]` on its line, or with `[tool.asyncdoc]` `ignore` / `per-file-ignores`.
"""


def matched_calls(catalog: Catalog, code: str) -> list[str]:
    """Catalog rows of a blocking rule, as written (`time.sleep`, `requests.Session.*`)."""
    exact = [name for name, entry in catalog.calls.items() if entry.code == code]
    wild = [f"{name}.*" for name, entry in catalog.type_wildcards.items() if entry.code == code]
    return sorted(exact + wild)


def _rule_section(catalog: Catalog, rule: RuleInfo) -> list[str]:
    lines = [f"## {rule.code}: {rule.title}", ""]
    facts = [f"severity: {rule.severity.value}", f"category: `{rule.category}`"]
    if rule.equivalent:
        facts.append(f"equivalent: {rule.equivalent}")
    lines += [" · ".join(facts), "", f"**Why.** {rule.explanation}", "", f"**Instead.** {rule.alternative}", ""]
    if rule.example:
        lines += ["**Example.**", "", "```python", rule.example.strip("\n"), "```", ""]
    if rule.not_reported:
        lines += ["**Not reported.**", "", "```python", rule.not_reported.strip("\n"), "```", ""]
    if rule.fix:
        lines += [f"**Fix.** {rule.fix}", ""]
    if rule.fixes:
        lines += ["Fix ids: " + ", ".join(f"`{f}`" for f in rule.fixes), ""]
    calls = matched_calls(catalog, rule.code)
    if calls:
        lines += ["Matched calls: " + ", ".join(f"`{c}`" for c in calls), ""]
    return lines


def rules_markdown(catalog: Catalog) -> str:
    """The whole reference: an index table, then one section per rule code."""
    rules = [catalog.rules[code] for code in sorted(catalog.rules)]
    lines = [_HEADER, "| code | rule | severity | equivalent |", "|---|---|---|---|"]
    for rule in rules:
        anchor = f"{rule.code}-{rule.title}".lower()
        anchor = "".join(ch for ch in anchor.replace(" ", "-") if ch.isalnum() or ch in "-_")
        lines.append(f"| [{rule.code}](#{anchor}) | {rule.title} | {rule.severity.value} | {rule.equivalent or '—'} |")
    lines.append("")
    for rule in rules:
        lines += _rule_section(catalog, rule)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m asyncdoc_tui.docs", description="Write docs/rules.md from the rule catalog.")
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date instead of writing it")
    args = parser.parse_args(argv)
    text = rules_markdown(load_catalog())
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run python -m asyncdoc_tui.docs", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
