"""The import graph as JSON, Graphviz dot or Mermaid, for `asyncdoc graph`.

Module pairs are drawn once with every statement behind them; the line style tells how
the import runs: solid = at import time, dashed = inside a function, dotted = only under
`if TYPE_CHECKING:`. Modules of a cycle are grouped and labelled with its class.
"""

from __future__ import annotations

import json
import re

from asyncdoc_tui.cycles.analysis import CAN_FAIL, Cycle
from asyncdoc_tui.cycles.graph import ImportEdge, ImportGraph

EAGER_STYLE, DEFERRED_STYLE, TYPE_ONLY_STYLE = "eager", "deferred", "type-only"


def _style(statements: tuple[ImportEdge, ...]) -> str:
    if any(e.eager for e in statements):
        return EAGER_STYLE
    if any(e.runtime for e in statements):
        return DEFERRED_STYLE
    return TYPE_ONLY_STYLE


def _selection(graph: ImportGraph, cycles: list[Cycle], scc_only: bool) -> tuple[list[str], list[tuple[str, str]]]:
    in_cycles = {m for c in cycles for m in c.modules}
    modules = [m for m in graph.modules if not scc_only or m in in_cycles]
    chosen = set(modules)
    pairs = sorted(p for p in graph.by_pair if p[0] in chosen and p[1] in chosen)
    if scc_only:
        cycle_of = {m: i for i, c in enumerate(cycles) for m in c.modules}
        pairs = [p for p in pairs if cycle_of[p[0]] == cycle_of[p[1]]]
    return modules, pairs


def _clusters(cycles: list[Cycle], modules: list[str]) -> tuple[list[tuple[int, Cycle, list[str]]], list[str]]:
    """(number, cycle, its shown modules) for each cycle with any shown, then the shown
    modules in no cycle: the groups both graph formats draw."""
    chosen = set(modules)
    clusters: list[tuple[int, Cycle, list[str]]] = []
    grouped: set[str] = set()
    for number, cycle in enumerate(cycles):
        members = [m for m in cycle.modules if m in chosen]
        if members:
            grouped.update(members)
            clusters.append((number, cycle, members))
    return clusters, [m for m in modules if m not in grouped]


def _failing_pairs(cycles: list[Cycle]) -> set[tuple[str, str]]:
    return {(e.source, e.target) for c in cycles if c.code == CAN_FAIL for e in c.witness}


def render_json(graph: ImportGraph, cycles: list[Cycle], scc_only: bool = False) -> str:
    modules, pairs = _selection(graph, cycles, scc_only)
    code_of = {m: c.code for c in cycles for m in c.modules}
    data = {
        "modules": [{"name": m, "path": graph.files[m].path, "cycle": code_of.get(m)} for m in modules],
        "edges": [
            {"from": s, "to": t, "style": _style(graph.by_pair[(s, t)]), "imports": [e.to_json() for e in graph.by_pair[(s, t)]]}
            for s, t in pairs
        ],
        "cycles": [
            {
                "code": c.code,
                "modules": list(c.modules),
                "failing_entries": list(c.failing_entries),
                **({"incomplete": True, "incomplete_files": list(c.incomplete)} if c.incomplete else {}),
            }
            for c in cycles
        ],
        "skipped": [{"name": m, "path": p} for m, p in sorted(graph.skipped.items())],
    }
    return json.dumps(data, indent=2) + "\n"


_DOT_STYLE = {EAGER_STYLE: "solid", DEFERRED_STYLE: "dashed", TYPE_ONLY_STYLE: "dotted"}
_DOT_COLOR = {"AD301": "red", "AD302": "orange", "AD303": "blue", "AD304": "gray"}


def _lines(statements: tuple[ImportEdge, ...]) -> str:
    return ",".join(str(e.line) for e in statements)


def render_dot(graph: ImportGraph, cycles: list[Cycle], scc_only: bool = False) -> str:
    modules, pairs = _selection(graph, cycles, scc_only)
    clusters, loose = _clusters(cycles, modules)
    out = ["digraph imports {", "  rankdir=LR;", '  node [shape=box, fontname="monospace"];']
    for number, cycle, members in clusters:
        color = _DOT_COLOR[cycle.code]
        out.append(f'  subgraph cluster_{number} {{ label="{cycle.code}"; color={color};')
        out.extend(f'    "{m}";' for m in members)
        out.append("  }")
    out.extend(f'  "{m}";' for m in loose)
    failing = _failing_pairs(cycles)
    for s, t in pairs:
        statements = graph.by_pair[(s, t)]
        color = ', color=red, penwidth=2' if (s, t) in failing else ""
        out.append(f'  "{s}" -> "{t}" [label="{_lines(statements)}", style={_DOT_STYLE[_style(statements)]}{color}];')
    out.append("}")
    return "\n".join(out) + "\n"


def _node_id(module: str) -> str:
    return "m_" + re.sub(r"\W", "_", module)


_MERMAID_ARROW = {EAGER_STYLE: "-->", DEFERRED_STYLE: "-.->", TYPE_ONLY_STYLE: "-.->"}


def render_mermaid(graph: ImportGraph, cycles: list[Cycle], scc_only: bool = False) -> str:
    modules, pairs = _selection(graph, cycles, scc_only)
    clusters, loose = _clusters(cycles, modules)
    out = ["flowchart LR"]
    for number, cycle, members in clusters:
        out.append(f'  subgraph cycle_{number}["{cycle.code}"]')
        out.extend(f'    {_node_id(m)}["{m}"]' for m in members)
        out.append("  end")
    out.extend(f'  {_node_id(m)}["{m}"]' for m in loose)
    for s, t in pairs:
        statements = graph.by_pair[(s, t)]
        style = _style(statements)
        label = _lines(statements) + (" type-only" if style == TYPE_ONLY_STYLE else "")
        out.append(f"  {_node_id(s)} {_MERMAID_ARROW[style]}|{label}| {_node_id(t)}")
    return "\n".join(out) + "\n"


FORMATS = {"json": render_json, "dot": render_dot, "mermaid": render_mermaid}
