"""Classify every import cycle of a project (AD301–AD304) with its evidence.

One cycle per SCC of the full graph. Inside it, SCCs of the eager edges (module-level,
runtime) decide: an eager SCC with a name import that fails from some entry is AD301,
other eager SCCs are AD302 (they work, an architectural smell); without eager SCCs a
runtime SCC means the cycle is closed by function-local imports (AD303); otherwise it is
closed only through `if TYPE_CHECKING:` imports (AD304).
"""

from __future__ import annotations

from dataclasses import dataclass

from asyncdoc_tui.cycles.advice import Advice, advise
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
from asyncdoc_tui.cycles.simulate import ImportFailure, ImportSimulator
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

    def to_json(self) -> dict[str, object]:
        return {
            "from": self.source,
            "to": self.target,
            "weight": len(self.advice),
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
            found = self._advice[edge] = advise(edge, usage_of(self.project, facts, edge.local_names), facts)
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


def _classify(component: tuple[str, ...], graph: ImportGraph, cutter: _Cutter) -> Cycle:
    within = frozenset(component)
    eager = strongly_connected(component, restrict(graph.successors(EAGER), within))
    failures: dict[str, ImportFailure] = {}
    for part in eager:
        if _has_name_import(part, graph):
            simulator = ImportSimulator(graph, _ancestors(part, graph))
            failures.update(simulator.failing_entries(part))
    if failures:
        code, parts = CAN_FAIL, eager
    elif eager:
        code, parts = EAGER_MODULES, eager
    else:
        runtime = strongly_connected(component, restrict(graph.successors(RUNTIME), within))
        code, parts = (FUNCTION_LOCAL, runtime) if runtime else (TYPE_ONLY, [component])
    edge_set = _EDGE_SET[code]
    ordered = [failures[m] for m in sorted(failures)]
    target = ordered[0].target if ordered else ""
    part = next((p for p in parts if target in p), parts[0])
    successors = restrict(graph.successors(edge_set), frozenset(part))
    cycle = (cycle_through(target, successors) if target in part else None) or shortest_cycle(part, successors)
    witness = _witness(cycle, graph, edge_set, prefer_names=code == CAN_FAIL)
    cut = [c for p in parts for c in cutter.cut(p, edge_set)]
    cut_set = tuple(sorted(cut, key=lambda c: (c.source, c.target)))
    return Cycle(code, component, witness, cut_set, tuple(ordered), graph.skipped_around(component))


def analyse_graph(project: Project, graph: ImportGraph) -> list[Cycle]:
    """Every cycle of an already built graph, in module order."""
    components = strongly_connected(graph.modules, graph.successors(ALL))
    cutter = _Cutter(project, graph)
    return [_classify(component, graph, cutter) for component in components]


def analyse_cycles(project: Project) -> tuple[ImportGraph, list[Cycle]]:
    """The project's import graph and its classified cycles."""
    graph = build_graph(project.files, skipped_modules(project.skipped))
    return graph, analyse_graph(project, graph)
