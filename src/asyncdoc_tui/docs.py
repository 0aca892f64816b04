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


# What Python runs without a call expression, for the "Calls Python makes for you"
# section: (what is written, what runs, followed, not followed).
IMPLICIT_CALLS = (
    (
        "`with x:`",
        "`x.__enter__()`, and `x.__exit__()` on leaving",
        "a project class's `__enter__` / `__exit__`; a `@contextmanager` generator function (its whole body, counted on entering); "
        "`threading.Lock`, `RLock`, `Semaphore`, `BoundedSemaphore`, `Condition` entered (AD108); a `ThreadPoolExecutor` / "
        "`ProcessPoolExecutor` left (its exit joins the workers, AD108); `contextlib.closing(x)` runs `x.close()` on leaving; "
        "`stack.enter_context(x)` enters `x` where it is written",
        "`async with` (its `__aenter__` / `__aexit__` are coroutines, analysed as async functions); the exit of "
        "`enter_context` (it runs when the stack closes); a `@contextmanager` body is not split at its `yield`",
    ),
    (
        "`for`, comprehensions and generator expressions, `list` / `tuple` / `set` / `frozenset` / `dict` / `sorted` / "
        "`sum` / `any` / `all` / `min` / `max` / `iter(x)`, `yield from x`, `*x`, `a, b = x`",
        "`x.__iter__()`, then `__next__()` of the iterator it returns",
        "a project class's `__iter__` (a generator `__iter__` runs its body), the `__next__` of the project iterator it "
        "returns (`return self` too); a project generator function or method: its body runs when it is iterated, so "
        "calling one without iterating it is not a finding; catalog rows on `Type.__iter__`",
        "`async for`; lazy wrappers (`map`, `zip`, `enumerate`, `filter`, `reversed`) and library functions that iterate "
        "their argument (`str.join`); a generator made in one function and iterated in another; a generator expression "
        "counts as iterated where it is written",
    ),
    ("`next(x)`", "`x.__next__()`", "a project class's `__next__`", "an iterator returned by `iter(x)` and stored in a name"),
    (
        "`x.attr`, `x.attr = v`, `del x.attr`",
        "the property's getter, setter or deleter",
        "`@property` (with its `@attr.setter` / `@attr.deleter`) and `functools.cached_property` of the project "
        "class of `x`, on its MRO; an attribute read inside a method call's receiver (`self.db` in `self.db.query()`)",
        "other descriptors (`__get__` / `__set__`), `__getattr__` / `__getattribute__`, a module's `__getattr__`, "
        "property-like decorators defined in the project, attributes of modules and classes; `x.attr += v` is "
        "reported once, as its setter",
    ),
    (
        "`C(...)`, `Model.model_validate(...)`",
        "`__new__`, `__init__`, `__post_init__`, validators",
        "the project `__new__` and `__init__` found on the MRO, a dataclass `__post_init__`, attrs "
        "`__attrs_post_init__`, pydantic `field_validator` / `model_validator` / `validator` / `root_validator` methods "
        "(also on `model_validate`, `model_validate_json`, `model_validate_strings`, `parse_obj`, `parse_raw`)",
        "metaclass `__call__`, `__init_subclass__`, `__set_name__`, validators given as `Annotated[..., AfterValidator(f)]`, "
        "field defaults and `default_factory`",
    ),
    (
        "`k in x`, `x[k]`, `x[k] = v`, `del x[k]`, `len(x)`, `bool(x)`",
        "`__contains__`, `__getitem__`, `__setitem__`, `__delitem__`, `__len__`, `__bool__`",
        "those dunders of the project class of `x`, on its MRO",
        "truth tests (`if x:`), comparison and arithmetic dunders, dunders of library types; `x[k] += v` is reported "
        "once, as its `__setitem__`",
    ),
)
_IMPLICIT_INTRO = """## Calls Python makes for you

Blocking code also runs without a call expression. In an `async def` (AD101–AD109 for a
library type in the catalog) and through project helpers (AD201), these are followed like
calls, and the finding says which one ran: "iterating `Pages()` runs `Pages.__iter__`,
which calls `requests.get`". Only receivers whose type is known count (a project class
instance, a catalog type); an unknown receiver is never assumed to block. Offloaded code
(`await asyncio.to_thread(lambda: list(pages))`, a sync `def` run in the thread pool) is
not a finding. No fix is offered for an implicit call.
"""


def implicit_calls_markdown() -> list[str]:
    """The section on implicit calls: for each, what is followed and what is not."""
    lines = [_IMPLICIT_INTRO, "| you write | Python runs | followed | not followed |", "|---|---|---|---|"]
    lines += [f"| {written} | {runs} | {followed} | {left} |" for written, runs, followed, left in IMPLICIT_CALLS]
    return [*lines, ""]


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
    """The whole reference: an index table, one section per rule code, then the calls
    Python makes without a call expression."""
    rules = [catalog.rules[code] for code in sorted(catalog.rules)]
    lines = [_HEADER, "| code | rule | severity | equivalent |", "|---|---|---|---|"]
    for rule in rules:
        anchor = f"{rule.code}-{rule.title}".lower()
        anchor = "".join(ch for ch in anchor.replace(" ", "-") if ch.isalnum() or ch in "-_")
        lines.append(f"| [{rule.code}](#{anchor}) | {rule.title} | {rule.severity.value} | {rule.equivalent or '—'} |")
    see = "What runs without a call expression (`with`, iteration, properties, operators): see [Calls Python makes for you](#calls-python-makes-for-you)."
    lines += ["", see, ""]
    for rule in rules:
        lines += _rule_section(catalog, rule)
    lines += implicit_calls_markdown()
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
