"""One shortest cycle of a component, by breadth-first search (never all cycles)."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence


def cycle_through(start: str, successors: Mapping[str, Sequence[str]], limit: int | None = None) -> list[str] | None:
    """Shortest cycle start -> … -> start as modules (start not repeated), within `limit` hops."""
    parent: dict[str, str] = {}
    depth = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if limit is not None and depth[node] + 1 > limit:
            return None
        for nxt in successors.get(node, ()):
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return path[::-1]
            if nxt not in depth:
                depth[nxt] = depth[node] + 1
                parent[nxt] = node
                queue.append(nxt)
    return None


def shortest_cycle(component: Sequence[str], successors: Mapping[str, Sequence[str]]) -> list[str]:
    """The shortest cycle in a component (`successors` restricted to it); ties go to sort order."""
    best: list[str] | None = None
    for start in component:
        found = cycle_through(start, successors, None if best is None else len(best) - 1)
        if found is not None and (best is None or len(found) < len(best)):
            best = found
            if len(best) == 2:
                break
    if best is None:
        raise ValueError("not a cycle: component has no cycle in this edge set")
    return best
