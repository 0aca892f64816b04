"""Replay module-level statements in import order to see which imports really fail.

Python runs a module top to bottom; `from B import X` while B is still executing (it is
in `sys.modules`, partially initialised) raises ImportError when X is bound only later
in B. The replay follows `FileFacts.events` (top-level bindings and imports in source
order; imports in class bodies too, which run at import time but bind into the class):
parent packages load before their submodules, `if TYPE_CHECKING:` and `if __name__ ==
"__main__":` bodies are skipped, `try/except ImportError` catches a failure (and, as in
Python, the modules that failed are dropped again). Names we cannot see being bound
(star imports, `__getattr__`, `globals()`) are never reported: no false alarms by
guesswork.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from asyncdoc_tui.cycles.graph import NAME_BINDING, ImportEdge, ImportGraph
from asyncdoc_tui.scan.facts_model import (
    GUARD_MAIN,
    GUARD_TRY_IMPORT_ERROR,
    GUARD_TYPE_CHECKING,
    ImportFact,
)

_PARTIAL, _DONE = 1, 2


@dataclass(frozen=True, slots=True)
class Hop:
    """One import statement on the way to a failure."""

    module: str
    path: str
    line: int
    text: str

    def to_json(self) -> dict[str, object]:
        return {"module": self.module, "path": self.path, "line": self.line, "text": self.text}


@dataclass(frozen=True, slots=True)
class ImportFailure:
    """Importing `entry` first raises ImportError at the last hop of `chain`."""

    entry: str
    chain: tuple[Hop, ...]
    name: str
    target: str
    target_path: str

    @property
    def message(self) -> str:
        """The error as Python prints it (with the project-relative path)."""
        return (
            f"ImportError: cannot import name '{self.name}' from partially initialized module "
            f"'{self.target}' (most likely due to a circular import) ({self.target_path})"
        )

    def to_json(self) -> dict[str, object]:
        return {"entry": self.entry, "hops": [h.to_json() for h in self.chain], "error": self.message}


@dataclass(frozen=True, slots=True)
class _Import:
    line: int
    text: str
    needs: tuple[str, ...]  # project modules to load first, parents before children
    checks: tuple[tuple[str, str], ...]  # (module, name) that must be bound once loaded
    binds: tuple[str, ...]  # names this statement binds that someone imports from here
    guarded: bool  # inside `try: … except ImportError:`


@dataclass(slots=True)
class _Frame:
    module: str | None  # None for the entry's own `import`
    ops: tuple[str | _Import, ...]
    pos: int = 0


def _bound_names(imp: ImportFact) -> tuple[str, ...]:
    if not imp.is_from:
        return (imp.asname or imp.module.split(".")[0],)
    return tuple(asname or name for name, asname in imp.names if name != "*")


@dataclass
class ImportSimulator:
    """Import-order replay over `scope` (default: every project module).

    Modules outside the scope count as loaded without side effects: a module that can
    reach the scope and be reached from it would be part of the same cycle.
    """

    graph: ImportGraph
    scope: frozenset[str] | None = None
    # Import statements (module, line) replayed as if moved out of import time: how a
    # proposed cut is checked before it is offered.
    deferred: frozenset[tuple[str, int]] = frozenset()
    _ops: dict[str, tuple[str | _Import, ...]] = field(default_factory=dict)
    _eventual: dict[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        files = self.graph.files
        members = self.scope if self.scope is not None else frozenset(files)
        self.scope = frozenset(m for m in members if m in files)
        wanted: dict[str, set[str]] = {}
        for source in self.scope:
            for edge in self.graph.by_source.get(source, ()):
                if edge.binding == NAME_BINDING and edge.target in self.scope:
                    wanted.setdefault(edge.target, set()).update(edge.names)
        for module in sorted(self.scope):
            self._ops[module] = self._compile(module, frozenset(wanted.get(module, ())))
            self._eventual[module] = frozenset(
                name for op in self._ops[module] for name in ((op,) if isinstance(op, str) else op.binds)
            )

    def _needs(self, target: str) -> list[str]:
        parts = target.split(".")
        return [m for m in (".".join(parts[:end]) for end in range(1, len(parts) + 1)) if m in self.scope]

    def _compile(self, module: str, wanted: frozenset[str]) -> tuple[str | _Import, ...]:
        facts = self.graph.files[module]
        by_index: dict[int, list[ImportEdge]] = {}
        for edge in self.graph.by_source.get(module, ()):
            by_index.setdefault(edge.index, []).append(edge)
        import_binds = {
            (name, imp.line) for imp in facts.imports if imp.scope == "module" for name in _bound_names(imp)
        }
        loaded_first = set(self._needs(module))
        ops: list[str | _Import] = []
        for kind, ref, line in facts.events:
            if kind == "bind":
                if ref in wanted and (ref, line) not in import_binds:
                    ops.append(ref)
                continue
            index = int(ref)
            imp = facts.imports[index]
            if imp.guard in (GUARD_TYPE_CHECKING, GUARD_MAIN) or (module, imp.line) in self.deferred:
                continue
            edges = by_index.get(index, [])
            needs: list[str] = []
            for edge in edges:
                # The module's own packages are loaded before it runs: no need to check them.
                needs.extend(m for m in self._needs(edge.target) if m not in needs and m not in loaded_first)
            checks = tuple(
                (edge.target, name)
                for edge in edges
                if edge.binding == NAME_BINDING and edge.target in self.scope
                for name in edge.names
                if name != "*"
            )
            binds = tuple(n for n in _bound_names(imp) if n in wanted) if imp.scope == "module" else ()
            if needs or binds:
                ops.append(_Import(line, imp.text, tuple(needs), checks, binds, imp.guard == GUARD_TRY_IMPORT_ERROR))
        return tuple(ops)

    def run(self, entry: str) -> ImportFailure | None:
        """The failure importing `entry` first (in a fresh interpreter) raises, if any."""
        status: dict[str, int] = {}
        bound: dict[str, set[str]] = {}
        root = _Import(0, f"import {entry}", tuple(self._needs(entry)), (), (), False)
        frames = [_Frame(None, (root,))]
        while frames:
            frame = frames[-1]
            if frame.pos == len(frame.ops):
                frames.pop()
                if frame.module is not None:
                    status[frame.module] = _DONE
                continue
            op = frame.ops[frame.pos]
            if isinstance(op, str):
                bound[frame.module].add(op)
                frame.pos += 1
                continue
            pending = None
            for module in op.needs:
                if module not in status:
                    pending = module
                    break
            if pending is not None:
                status[pending] = _PARTIAL
                bound[pending] = set()
                frames.append(_Frame(pending, self._ops[pending]))
                continue
            missing = None
            for target, name in op.checks:
                if status.get(target) == _PARTIAL and name not in bound[target] and name in self._eventual[target]:
                    missing = (target, name)
                    break
            if missing is None:
                if frame.module is not None:
                    bound[frame.module].update(op.binds)
                frame.pos += 1
                continue
            failure = self._failure(entry, frames, *missing)
            if not self._unwind(frames, status, bound):
                return failure
        return None

    def _failure(self, entry: str, frames: list[_Frame], target: str, name: str) -> ImportFailure:
        chain = tuple(
            Hop(f.module, self.graph.files[f.module].path, f.ops[f.pos].line, f.ops[f.pos].text)
            for f in frames[1:]
        )
        return ImportFailure(entry, chain, name, target, self.graph.files[target].path)

    @staticmethod
    def _unwind(frames: list[_Frame], status: dict[str, int], bound: dict[str, set[str]]) -> bool:
        """Propagate the ImportError; True when a `try/except ImportError` caught it."""
        while frames:
            frame = frames[-1]
            if frame.ops[frame.pos].guarded:
                frame.pos += 1
                return True
            if frame.module is None:
                return False
            frames.pop()
            del status[frame.module]
            del bound[frame.module]
        return False

    def failing_entries(self, modules: Iterable[str]) -> dict[str, ImportFailure]:
        """Failure per module that cannot be imported first (sorted by module)."""
        found = {}
        for module in sorted(modules):
            failure = self.run(module)
            if failure is not None:
                found[module] = failure
        return found
