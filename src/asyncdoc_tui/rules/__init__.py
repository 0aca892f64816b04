"""Rule families. Each module in RULE_MODULES exposes `check(project) -> Iterable[Finding]`."""

RULE_MODULES: tuple[str, ...] = (
    "asyncdoc_tui.rules.blocking",
    "asyncdoc_tui.rules.transitive",
    "asyncdoc_tui.rules.patterns",
    "asyncdoc_tui.rules.cycles",
)
