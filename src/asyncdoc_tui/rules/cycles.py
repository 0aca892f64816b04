"""AD301–AD304: import cycles, classified by whether they can break at import time.

Severities come from the catalog: AD301 (error) can raise ImportError from at least one
entry module; AD302 (warning) runs at import time and works, but ties the modules
together; AD303 (info) is closed only by imports inside functions, which is the guide's
own remedy, so warning about it would punish following the advice; AD304 (info) exists
only for type checkers.
"""

from __future__ import annotations

from collections.abc import Iterator

from asyncdoc_tui.cycles.advice import ALREADY_DEFERRED
from asyncdoc_tui.cycles.analysis import (
    CAN_FAIL,
    EAGER_MODULES,
    FUNCTION_LOCAL,
    Cycle,
    analyse_cycles,
)
from asyncdoc_tui.model import Evidence, Finding, incomplete_extra
from asyncdoc_tui.rules.findings import rule_finding
from asyncdoc_tui.scan.project import Project


# Failing entries named in the one-line message (all of them are in the JSON and detail).
_LISTED = 5


def _path_text(cycle: Cycle) -> str:
    modules = [e.source for e in cycle.witness] + [cycle.witness[0].source]
    return " → ".join(f"`{m}`" for m in modules)


def describe(cycle: Cycle) -> str:
    """The one-line message of a cycle finding."""
    path = _path_text(cycle)
    size = len(cycle.modules)
    if cycle.code == CAN_FAIL:
        first = cycle.failures[0]
        members = [m for m in cycle.failing_entries if m in cycle.modules]
        outside = [m for m in cycle.failing_entries if m not in cycle.modules]
        entries = ", ".join(f"`{m}`" for m in members[:_LISTED])
        more = f" and {len(members) - _LISTED} more" if len(members) > _LISTED else ""
        importers = f", and {len(outside)} importing module{'s' * (len(outside) > 1)} outside it" if outside else ""
        return (
            f"import cycle {path} can raise ImportError: importing {entries}{more} first fails "
            f"({len(members)} of {size} modules{importers}); `{first.entry}`: {first.message}"
        )
    if cycle.code == EAGER_MODULES:
        return (
            f"import cycle {path} ({size} modules) runs at import time and works from every entry, "
            f"but the modules cannot be imported or tested apart"
        )
    if cycle.code == FUNCTION_LOCAL:
        return (
            f"import cycle {path} ({size} modules) is closed only by imports that run after import time "
            f"(inside functions): works unless one of those functions runs during import"
        )
    return f"import cycle {path} ({size} modules) exists only through `if TYPE_CHECKING:` imports"


def make_finding(project: Project, cycle: Cycle) -> Finding:
    """The finding for one cycle; JSON extras carry modules, entries, witness, cut, advice."""
    info = project.catalog.rules[cycle.code]
    first = cycle.witness[0]
    advice = cycle.advice
    extra: list[tuple[str, object]] = [("modules", list(cycle.modules))]
    if cycle.code == CAN_FAIL:
        extra.append(("failing_entries", list(cycle.failing_entries)))
        extra.append(("chain", cycle.failures[0].to_json()))
    extra += [
        ("witness", [e.to_json() for e in cycle.witness]),
        ("cut", [c.to_json() for c in cycle.cut]),
        ("advice", [a.to_json() for a in advice]),
        *incomplete_extra(cycle.incomplete),
    ]
    alternative = next((a.action for a in advice if a.remedy != ALREADY_DEFERRED), info.alternative)
    if any(c.fixes is False for c in cycle.cut):
        alternative = f"{info.alternative}; deferring the imports of the cut still fails in the import-order replay"
    return rule_finding(
        project,
        cycle.code,
        first.path,
        (first.line, first.col, first.line, first.col + len(first.text)),
        describe(cycle),
        alternative=alternative,
        evidence=_evidence(cycle),
        extra=tuple(extra),
    )


def _evidence(cycle: Cycle) -> tuple[Evidence, ...]:
    """AD301: the import chain Python fails on, ending in its error; otherwise the
    witness cycle, one import statement per hop."""
    if cycle.failures and cycle.failures[0].chain:
        failure = cycle.failures[0]
        hops = [Evidence(h.path, h.line, f"`{h.module}` runs {h.text}") for h in failure.chain]
        last = failure.chain[-1]
        return (*hops[:-1], Evidence(last.path, last.line, f"`{last.module}` runs {last.text}: {failure.message}"))
    return tuple(Evidence(e.path, e.line, f"`{e.source}` imports `{e.target}`: {e.text}") for e in cycle.witness)


def check(project: Project) -> Iterator[Finding]:
    """One finding per strongly connected component of the import graph."""
    _, cycles = analyse_cycles(project)
    for cycle in cycles:
        yield make_finding(project, cycle)
