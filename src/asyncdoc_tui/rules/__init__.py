"""Rule families. Each module in RULE_MODULES exposes `check(project) -> Iterable[Finding]`."""

RULE_MODULES: tuple[str, ...] = (
    "asyncdoc_tui.rules.blocking",
    "asyncdoc_tui.rules.patterns",
)
