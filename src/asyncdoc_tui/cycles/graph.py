"""The project's import graph, one edge per imported project module per statement.

An edge keeps what decides whether a cycle can break at import time: scope (module,
class, function), guard (`if TYPE_CHECKING:` body is type-only; its `else:` and
`try/except ImportError` run; `if __name__ == "__main__":` runs only as a script), and binding kind (`import a.b` / `from pkg import sub`
bind a module and always succeed; `from mod import Name` needs `Name` bound already).
Imports of modules outside the project are not edges. A project module that failed to
parse is still a module: imports of it are edges to it (so `from pkg import sub` binds a
module, as it does at run time), and it has no outgoing edges because its own imports are
unknown; findings that lean on it say so (`Cycle.incomplete`).
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from asyncdoc_tui.scan.facts_model import (
    GUARD_MAIN,
    GUARD_TYPE_CHECKING,
    FileFacts,
    ImportFact,
)

MODULE_BINDING = "module"
NAME_BINDING = "name"

# Edge sets SCCs are computed on.
ALL = "all"
RUNTIME = "runtime"  # not under `if TYPE_CHECKING:`
EAGER = "eager"  # runtime and executed while the module itself is imported


@dataclass(frozen=True, slots=True)
class ImportEdge:
    """`source` imports project module `target` in one statement."""

    source: str
    target: str
    path: str
    line: int
    col: int
    scope: str  # "module" | "class" | "function"
    function: str | None
    guard: str
    binding: str  # MODULE_BINDING | NAME_BINDING
    names: tuple[str, ...]  # names imported from `target` (name binding); "*" for a star import
    local_names: tuple[str, ...]  # names the statement binds in `source`
    text: str
    index: int  # position of the ImportFact in the source's FileFacts.imports

    @property
    def runtime(self) -> bool:
        return self.guard != GUARD_TYPE_CHECKING

    @property
    def eager(self) -> bool:
        return self.runtime and self.scope != "function" and self.guard != GUARD_MAIN

    def in_set(self, edge_set: str) -> bool:
        if edge_set == EAGER:
            return self.eager
        if edge_set == RUNTIME:
            return self.runtime
        return True

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.source, self.line, self.col, self.target)

    def to_json(self) -> dict[str, object]:
        return {
            "from": self.source,
            "to": self.target,
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "scope": self.scope,
            "function": self.function,
            "guard": self.guard,
            "binding": self.binding,
            "names": list(self.names),
            "text": self.text,
        }


def longest_module(dotted: str, modules: Container[str]) -> str | None:
    """The deepest project module `dotted` names (`import a.b.c` loads a, a.b, a.b.c)."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def _edges_of(facts: FileFacts, index: int, imp: ImportFact, modules: Container[str]) -> Iterable[ImportEdge]:
    source = facts.module
    common = (facts.path, imp.line, imp.col, imp.scope, imp.function, imp.guard)
    if not imp.is_from:
        target = longest_module(imp.module, modules)
        if target is not None and target != source:
            local = (imp.asname or imp.module.split(".")[0],)
            yield ImportEdge(source, target, *common, MODULE_BINDING, (), local, imp.text, index)
        return
    named: list[str] = []
    local: list[str] = []
    for name, asname in imp.names:
        submodule = f"{imp.module}.{name}"
        if name != "*" and submodule in modules:
            if submodule != source:
                yield ImportEdge(source, submodule, *common, MODULE_BINDING, (), (asname or name,), imp.text, index)
        else:
            named.append(name)
            if name != "*":
                local.append(asname or name)
    if named and imp.module in modules and imp.module != source:
        yield ImportEdge(source, imp.module, *common, NAME_BINDING, tuple(named), tuple(local), imp.text, index)


@dataclass(frozen=True)
class ImportGraph:
    """Project modules (sorted) and import edges (sorted by source, line, col, target)."""

    files: dict[str, FileFacts]  # module -> facts
    edges: tuple[ImportEdge, ...]
    skipped: dict[str, str] = field(default_factory=dict)  # module -> path of a file that failed to parse

    def skipped_around(self, modules: Iterable[str]) -> tuple[str, ...]:
        """Paths of skipped modules that `modules` import or that are their parent packages
        (which run first): their own imports are unknown, so a cycle through `modules` may
        be missing members or have another class."""
        found: set[str] = set()
        for module in modules:
            parts = module.split(".")
            found.update(self.skipped[p] for p in (".".join(parts[:end]) for end in range(1, len(parts))) if p in self.skipped)
            found.update(self.skipped[e.target] for e in self.by_source.get(module, ()) if e.target in self.skipped)
        return tuple(sorted(found))

    @cached_property
    def modules(self) -> tuple[str, ...]:
        return tuple(sorted(self.files))

    def successors(self, edge_set: str) -> dict[str, list[str]]:
        """Sorted distinct targets per module for one edge set."""
        return self._successors[edge_set]

    @cached_property
    def _successors(self) -> dict[str, dict[str, list[str]]]:
        found: dict[str, dict[str, set[str]]] = {ALL: {}, RUNTIME: {}, EAGER: {}}
        for e in self.edges:
            found[ALL].setdefault(e.source, set()).add(e.target)
            if e.runtime:
                found[RUNTIME].setdefault(e.source, set()).add(e.target)
                if e.eager:
                    found[EAGER].setdefault(e.source, set()).add(e.target)
        return {name: {s: sorted(t) for s, t in adjacency.items()} for name, adjacency in found.items()}

    @cached_property
    def by_pair(self) -> dict[tuple[str, str], tuple[ImportEdge, ...]]:
        """Statements per (source, target), in source order."""
        pairs: dict[tuple[str, str], list[ImportEdge]] = {}
        for e in self.edges:
            pairs.setdefault((e.source, e.target), []).append(e)
        return {pair: tuple(edges) for pair, edges in pairs.items()}

    @cached_property
    def by_source(self) -> dict[str, tuple[ImportEdge, ...]]:
        grouped: dict[str, list[ImportEdge]] = {}
        for e in self.edges:
            grouped.setdefault(e.source, []).append(e)
        return {source: tuple(edges) for source, edges in grouped.items()}


def build_graph(files: Iterable[FileFacts], skipped: dict[str, str] | None = None) -> ImportGraph:
    """The import graph of a project's FileFacts (first file wins for a duplicated module),
    with `skipped` (module -> path, see `scan.resolve.skipped_modules`) as modules too."""
    modules: dict[str, FileFacts] = {}
    for facts in sorted(files, key=lambda f: f.path):
        if facts.module:
            modules.setdefault(facts.module, facts)
    unparsed = {m: p for m, p in (skipped or {}).items() if m not in modules}
    known = modules.keys() | unparsed.keys()
    roots = {module.partition(".")[0] for module in known}
    edges = [
        edge
        for facts in modules.values()
        for index, imp in enumerate(facts.imports)
        if imp.module.partition(".")[0] in roots
        for edge in _edges_of(facts, index, imp, known)
    ]
    edges.sort(key=lambda e: e.sort_key)
    return ImportGraph(modules, tuple(edges), unparsed)


def restrict(successors: dict[str, list[str]], within: frozenset[str]) -> dict[str, list[str]]:
    """The part of an adjacency map inside a set of modules."""
    return {s: [t for t in targets if t in within] for s, targets in successors.items() if s in within}
