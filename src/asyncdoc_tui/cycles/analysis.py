"""Classify every import cycle of a project (AD301–AD304) with its evidence.

Each SCC of the full graph is looked at through the SCCs of its eager edges (module-level,
runtime): every eager SCC is a cycle of its own, AD301 when importing some module first
fails (a member, or a module outside that imports into it), else AD302 (it works, an
architectural smell); a big SCC can hold several. An SCC without eager SCCs is one cycle:
closed by function-local imports (AD303) when a runtime SCC remains, else only through
`if TYPE_CHECKING:` imports (AD304).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from asyncdoc_tui.cycles.advice import ALREADY_DEFERRED, CENTRALISE, Advice, advise
from asyncdoc_tui.cycles.cutset import feedback_arcs
from asyncdoc_tui.cycles.graph import (
    ALL,
    EAGER,
    NAME_BINDING,
    RUNTIME,
    ImportEdge,
    ImportGraph,
    build_graph,
    restrict,
)
from asyncdoc_tui.cycles.scc import strongly_connected
from asyncdoc_tui.cycles.simulate import Hop, ImportFailure, ImportSimulator
from asyncdoc_tui.cycles.usage import (
    ANNOTATION,
    FUNCTION,
    IMPORT_TIME,
    MODEL_ANNOTATION,
    REEXPORT,
    usage_of,
)
from asyncdoc_tui.cycles.witness import cycle_through, shortest_cycle
from asyncdoc_tui.scan.project import Project
from asyncdoc_tui.scan.resolve import skipped_modules

CAN_FAIL = "AD301"
EAGER_MODULES = "AD302"
FUNCTION_LOCAL = "AD303"
TYPE_ONLY = "AD304"

# Cut cost per statement: names used only in annotations are the cheapest to defer,
# names used at import time cannot be deferred at all.
_COST = {ANNOTATION: 1, FUNCTION: 2, MODEL_ANNOTATION: 3, REEXPORT: 3, IMPORT_TIME: 4}

_EDGE_SET = {CAN_FAIL: EAGER, EAGER_MODULES: EAGER, FUNCTION_LOCAL: RUNTIME, TYPE_ONLY: ALL}


@dataclass(frozen=True, slots=True)
class CutEdge:
    """A module pair to cut and the statements that make it (weight = statements)."""

    source: str
    target: str
    advice: tuple[Advice, ...]
    fixes: bool | None = None  # AD301: the replay no longer fails once the cut is made

    def to_json(self) -> dict[str, object]:
        return {
            "from": self.source,
            "to": self.target,
            "weight": len(self.advice),
            "fixes": self.fixes,
            "imports": [{"path": a.edge.path, "line": a.edge.line, "text": a.edge.text} for a in self.advice],
        }


@dataclass(frozen=True, slots=True)
class Cycle:
    """One SCC of the import graph, classified, with a witness, a cut and failures."""

    code: str
    modules: tuple[str, ...]
    witness: tuple[ImportEdge, ...]
    cut: tuple[CutEdge, ...]
    failures: tuple[ImportFailure, ...]  # AD301: one per failing entry module, sorted
    incomplete: tuple[str, ...] = ()  # skipped files the members import or sit in (ImportGraph.skipped_around)

    @property
    def failing_entries(self) -> tuple[str, ...]:
        return tuple(f.entry for f in self.failures)

    @property
    def advice(self) -> tuple[Advice, ...]:
        return tuple(a for c in self.cut for a in c.advice)


def _ancestors(modules: tuple[str, ...], graph: ImportGraph) -> frozenset[str]:
    found = set(modules)
    for module in modules:
        parts = module.split(".")
        found.update(p for p in (".".join(parts[:end]) for end in range(1, len(parts))) if p in graph.files)
    return frozenset(found)


def _has_name_import(component: tuple[str, ...], graph: ImportGraph) -> bool:
    members = set(component)
    return any(
        e.eager and e.binding == NAME_BINDING and e.target in members
        for m in component
        for e in graph.by_source.get(m, ())
    )


def _witness(cycle: list[str], graph: ImportGraph, edge_set: str, prefer_names: bool) -> tuple[ImportEdge, ...]:
    hops = []
    for source, target in zip(cycle, cycle[1:] + cycle[:1]):
        statements = [e for e in graph.by_pair[(source, target)] if e.in_set(edge_set)]
        if prefer_names:
            statements.sort(key=lambda e: e.binding != NAME_BINDING)
        hops.append(statements[0])
    return tuple(hops)


class _Cutter:
    """Cut sets with per-statement advice (usage computed once per statement)."""

    def __init__(self, project: Project, graph: ImportGraph):
        self.project = project
        self.graph = graph
        self._advice: dict[ImportEdge, Advice] = {}

    def advice(self, edge: ImportEdge) -> Advice:
        found = self._advice.get(edge)
        if found is None:
            facts = self.graph.files[edge.source]
            # A remedy moves the whole statement, so every name it binds counts, also those
            # of its other edges: `from pkg import Model, actions` moved for `Model` alone
            # would leave `actions` unbound where it is used.
            names = tuple(
                dict.fromkeys(n for e in self.graph.by_source.get(edge.source, ()) if e.index == edge.index for n in e.local_names)
            )
            found = self._advice[edge] = advise(edge, usage_of(self.project, facts, names), facts)
        return found

    def cut(self, component: tuple[str, ...], edge_set: str) -> list[CutEdge]:
        members = set(component)
        weights: dict[tuple[str, str], int] = {}
        for module in component:
            for edge in self.graph.by_source.get(module, ()):
                if edge.target in members and edge.in_set(edge_set):
                    cost = _COST[self.advice(edge).usage.kind]
                    weights[(edge.source, edge.target)] = weights.get((edge.source, edge.target), 0) + cost
        return [
            CutEdge(s, t, tuple(self.advice(e) for e in self.graph.by_pair[(s, t)] if e.in_set(edge_set)))
            for s, t in feedback_arcs(component, weights)
        ]


def _classify(component: tuple[str, ...], graph: ImportGraph, cutter: _Cutter) -> list[Cycle]:
    """One cycle per eager part of an SCC (a big SCC holds several, each with its own
    class), else one for the SCC closed by deferred or type-only imports."""
    within = frozenset(component)
    eager = strongly_connected(component, restrict(graph.successors(EAGER), within))
    if eager:
        return [_eager_cycle(part, graph, cutter) for part in eager]
    runtime = strongly_connected(component, restrict(graph.successors(RUNTIME), within))
    code, parts = (FUNCTION_LOCAL, runtime) if runtime else (TYPE_ONLY, [component])
    return [_cycle(code, component, parts, [], graph, cutter)]


def _eager_cycle(part: tuple[str, ...], graph: ImportGraph, cutter: _Cutter) -> Cycle:
    """AD301 when importing some module first fails (a member, or a module outside that
    imports into it), else AD302."""
    failures: list[ImportFailure] = []
    if _has_name_import(part, graph):
        inside = ImportSimulator(graph, _ancestors(part, graph)).failing_entries(part)
        failures = [inside[m] for m in sorted(inside)] + _importer_failures(part, inside, graph)
    return _cycle(CAN_FAIL if failures else EAGER_MODULES, part, [part], failures, graph, cutter)


def _importer_failures(part: tuple[str, ...], inside: dict[str, ImportFailure], graph: ImportGraph) -> list[ImportFailure]:
    """Modules outside the cycle whose first import into it loads a member that fails
    when imported first: they fail too, through the same chain (no member imports them,
    or they would be members)."""
    members = frozenset(part)
    found: list[ImportFailure] = []
    for module in sorted(graph.files):
        if module in members:
            continue
        first = next((e for e in graph.by_source.get(module, ()) if e.eager and e.target in members), None)
        if first is None:
            continue
        loaded = next((m for m in _loading_order(first.target) if m in members), first.target)
        failure = inside.get(loaded)
        if failure is not None:
            hop = Hop(module, first.path, first.line, first.text)
            found.append(replace(failure, entry=module, chain=(hop, *failure.chain)))
    return found


def _loading_order(module: str) -> list[str]:
    """`a.b.c` loads `a`, then `a.b`, then `a.b.c`."""
    parts = module.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts) + 1)]


def _cycle(
    code: str,
    modules: tuple[str, ...],
    parts: list[tuple[str, ...]],
    ordered: list[ImportFailure],
    graph: ImportGraph,
    cutter: _Cutter,
) -> Cycle:
    edge_set = _EDGE_SET[code]
    target = ordered[0].target if ordered else ""
    part = next((p for p in parts if target in p), parts[0])
    successors = restrict(graph.successors(edge_set), frozenset(part))
    cycle = (cycle_through(target, successors) if target in part else None) or shortest_cycle(part, successors)
    witness = _witness(cycle, graph, edge_set, prefer_names=code == CAN_FAIL)
    cut = sorted((c for p in parts for c in cutter.cut(p, edge_set)), key=lambda c: (c.source, c.target))
    if ordered:
        # The cut on the import chain Python actually fails on comes first, and a cut whose
        # replay still fails is marked so that no fix is offered for it.
        on_chain = {(hop.module, hop.line) for hop in ordered[0].chain}
        cut.sort(key=lambda c: not any((a.edge.source, a.edge.line) in on_chain for a in c.advice))
        fixes = _cut_fixes(cut, [f for f in ordered if f.entry in modules], parts, graph)
        cut = [replace(c, fixes=fixes) for c in cut]
    return Cycle(code, modules, witness, tuple(cut), tuple(ordered), graph.skipped_around(modules))


def _cut_fixes(cut: list[CutEdge], failures: list[ImportFailure], parts: list[tuple[str, ...]], graph: ImportGraph) -> bool:
    """Whether deferring every statement of the cut that can be deferred lets each entry
    that failed import cleanly in the replay. Only those entries are replayed again:
    deferring imports only removes edges, which rarely makes a module fail that did not
    before, and a full replay per cut doubled the cycle analysis on Django."""
    deferred = frozenset(
        (a.edge.source, a.edge.line) for c in cut for a in c.advice if a.remedy not in (CENTRALISE, ALREADY_DEFERRED)
    )
    for part in parts:
        entries = [f.entry for f in failures if f.entry in part]
        if entries and ImportSimulator(graph, _ancestors(part, graph), deferred).failing_entries(entries):
            return False
    return True


def analyse_graph(project: Project, graph: ImportGraph) -> list[Cycle]:
    """Every cycle of an already built graph, in module order."""
    components = strongly_connected(graph.modules, graph.successors(ALL))
    cutter = _Cutter(project, graph)
    return [cycle for component in components for cycle in _classify(component, graph, cutter)]


def analyse_cycles(project: Project) -> tuple[ImportGraph, list[Cycle]]:
    """The project's import graph and its classified cycles."""
    graph = build_graph(project.files, skipped_modules(project.skipped))
    return graph, analyse_graph(project, graph)
