"""A small set of module-to-module imports whose removal breaks every cycle of a component.

Weighted Eades–Lin–Smyth heuristic: order the modules by repeatedly taking sinks to the
back, sources to the front, and otherwise the module with the largest (out − in) weight;
edges pointing backwards in that order are the cut. Linear-ish, deterministic (ties by
name), and good enough to tell a user which few import lines to change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def feedback_arcs(
    component: Sequence[str], weights: Mapping[tuple[str, str], int]
) -> list[tuple[str, str]]:
    """Edges (source, target) to cut, sorted; `weights` covers the component's edges."""
    out_w: dict[str, dict[str, int]] = {m: {} for m in component}
    in_w: dict[str, dict[str, int]] = {m: {} for m in component}
    for (source, target), weight in weights.items():
        if source in out_w and target in out_w and source != target:
            out_w[source][target] = weight
            in_w[target][source] = weight
    remaining = set(component)
    front: list[str] = []
    back: list[str] = []

    def remove(node: str) -> None:
        remaining.discard(node)
        for target in out_w[node]:
            in_w[target].pop(node, None)
        for source in in_w[node]:
            out_w[source].pop(node, None)

    while remaining:
        changed = True
        while changed:
            changed = False
            for node in sorted(remaining):
                if not out_w[node]:
                    back.append(node)
                    remove(node)
                    changed = True
                elif not in_w[node]:
                    front.append(node)
                    remove(node)
                    changed = True
        if remaining:
            node = max(sorted(remaining), key=lambda n: sum(out_w[n].values()) - sum(in_w[n].values()))
            front.append(node)
            remove(node)
    order = {node: position for position, node in enumerate(front + back[::-1])}
    return sorted(
        (source, target)
        for (source, target) in weights
        if source in order and target in order and source != target and order[source] > order[target]
    )
