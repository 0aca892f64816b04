"""Rule families. Each module in RULE_MODULES exposes `check(project) -> Iterable[Finding]`."""

import re
from pathlib import Path

RULE_MODULES: tuple[str, ...] = (
    "asyncdoc_tui.rules.blocking",
    "asyncdoc_tui.rules.transitive",
    "asyncdoc_tui.rules.patterns",
    "asyncdoc_tui.rules.cycles",
)


def rule_codes() -> tuple[str, ...]:
    """The codes the catalog defines (`[rules.AD101]` …), read without parsing the TOML or
    importing the catalog module: `check` validates `--select` on its warm path too."""
    text = (Path(__file__).parent / "catalog.toml").read_text(encoding="utf-8")
    return tuple(sorted(set(re.findall(r"^\[rules\.(\w+)\]", text, re.MULTILINE))))
