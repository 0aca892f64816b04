"""The catalog: metadata of every rule code, and the blocking calls AD101-AD109 match.

`catalog.toml` is loaded once; matching questions are answered here.

Kept as data so users and docs read the same table the rules use.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any
from importlib import resources

from asyncdoc_tui.model import Severity


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a rule code means: shown in messages, the TUI and docs/rules.md."""

    code: str
    title: str
    category: str
    equivalent: str
    alternative: str
    explanation: str
    fixes: tuple[str, ...]
    severity: Severity = Severity.ERROR
    example: str = ""  # a short snippet showing the problem (docs, TUI detail)
    not_reported: str = ""  # a look-alike the rule deliberately leaves alone, and why
    fix: str = ""  # what the fixes do, in words


@dataclass(frozen=True, slots=True)
class ArgCondition:
    """One argument of a call, by position and/or keyword, and what makes it count.

    The argument counts when its rendering is one of `values` (literals: `False`, `0`)
    or when it is an instance of one of the catalog `types` (`file`, `io.BytesIO`).
    """

    position: int | None
    name: str
    values: tuple[str, ...] = ()
    types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """A blocking callable matched by the catalog.

    Some calls block only with some arguments: `pickle.load(f)` reads the disk only when
    `f` is a file (`only_if`), `executor.shutdown(wait=False)` does not wait (`unless`).
    """

    code: str
    pattern: str  # the catalog row that matched (`requests.Session.*`)
    alternative: str
    equivalent: str  # flake8-async / ruff code(s), "" when they have none
    only_if: tuple[ArgCondition, ...] = ()  # blocks only when one of these holds
    unless: tuple[ArgCondition, ...] = ()  # does not block when one of these holds


@dataclass(frozen=True)
class Catalog:
    """`catalog.toml` as loaded: rules by code, and blocking calls by dotted name."""

    rules: dict[str, RuleInfo]
    calls: dict[str, CatalogEntry]  # exact dotted names (functions and Type.method)
    type_wildcards: dict[str, CatalogEntry]  # Type -> entry for `Type.*`
    safe_methods: dict[str, frozenset[str]]  # Type -> methods `Type.*` does not cover
    constructors: dict[str, str]  # callable dotted name -> type it returns
    bases: dict[str, str]  # Type -> type whose methods it also has (subclass or proxy)

    def match(self, name: str) -> CatalogEntry | None:
        """Entry for a resolved callable (`time.sleep`) or method (`requests.Session.get`)."""
        entry = self.calls.get(name)
        if entry is not None:
            return entry
        owner, _, method = name.rpartition(".")
        if method in self.safe_methods.get(owner, frozenset()):
            return None
        wildcard = self.type_wildcards.get(owner)
        if wildcard is not None and not method.startswith("_"):
            return wildcard
        base = self.bases.get(owner)
        return self.match(f"{base}.{method}") if base else None

    def returns(self, name: str) -> str | None:
        """Type returned by calling `name` (a constructor or factory), if known."""
        returned = self.constructors.get(name)
        if returned is None:
            owner, _, method = name.rpartition(".")
            base = self.bases.get(owner)
            if base:
                return self.returns(f"{base}.{method}")
        return returned


@cache
def load_catalog() -> Catalog:
    """Parse the shipped catalog (cached for the process)."""
    raw = tomllib.loads(resources.files("asyncdoc_tui.rules").joinpath("catalog.toml").read_text("utf-8"))
    rules = {
        code: RuleInfo(
            code=code,
            title=info["title"],
            category=info["category"],
            equivalent=info.get("equivalent", ""),
            alternative=info["alternative"],
            explanation=info["explanation"],
            fixes=tuple(info.get("fixes", ())),
            severity=Severity(info.get("severity", Severity.ERROR.value)),
            example=info.get("example", ""),
            not_reported=info.get("not_reported", ""),
            fix=info.get("fix", ""),
        )
        for code, info in raw["rules"].items()
    }
    calls: dict[str, CatalogEntry] = {}
    wildcards: dict[str, CatalogEntry] = {}
    for row in raw["entry"]:
        for pattern in row["calls"]:
            info = rules[row["code"]]
            entry = CatalogEntry(
                info.code,
                pattern,
                row.get("alternative", info.alternative),
                row.get("equivalent", info.equivalent),
                _conditions(row.get("only_if", ())),
                _conditions(row.get("unless", ())),
            )
            if pattern.endswith(".*"):
                wildcards[pattern[:-2]] = entry
            else:
                calls[pattern] = entry
    constructors: dict[str, str] = {}
    safe: dict[str, frozenset[str]] = {}
    bases: dict[str, str] = {}
    for type_name, info in raw["types"].items():
        for ctor in info.get("constructors", ()):
            constructors.setdefault(ctor, type_name)
        constructors.setdefault(type_name, type_name)
        safe[type_name] = frozenset(info.get("safe_methods", ()))
        if "base" in info:
            bases[type_name] = info["base"]
    return Catalog(rules, calls, wildcards, safe, constructors, bases)


def _conditions(rows: list[dict[str, Any]]) -> tuple[ArgCondition, ...]:
    """`only_if` / `unless` inline tables as conditions (keys absent in TOML take defaults)."""
    return tuple(ArgCondition(row.get("position"), row.get("name", ""), tuple(row.get("values", ())), tuple(row.get("types", ()))) for row in rows)
