"""The project call graph: which project function each call site runs, from FileFacts.

Calls are resolved with `ProjectIndex.resolve` (imports, aliases, re-exports, module
bindings, `self`/`cls`, annotated parameters, `self.attr = Class()`, return types of
project functions, `functools.partial`), plus what the resolver does not model:
class instantiation runs `__new__`/`__init__`/`__post_init__`/pydantic validators
(`construction_calls`), calling an instance runs `__call__`, `super()` follows the method
resolution order, and a decorated function is followed only when its decorators return
it unchanged or wrap it with `functools.wraps`. Calls Python makes without a call
expression (`with`, iteration, properties, operators: see edge_kinds) are edges too, of
their kind; calling a generator function runs nothing, so only iterating it is an edge.

Calls that reach project code the index cannot name are kept as `Unresolved` with a
reason, so they can be counted and shown instead of guessed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple
from weakref import WeakKeyDictionary

from asyncdoc_tui.scan.construction_calls import VALIDATING_CLASSMETHODS, construction_targets, validators
from asyncdoc_tui.scan.edge_kinds import CALL
from asyncdoc_tui.scan.facts_model import UNKNOWN, CallFact, DecoratorFact, FileFacts
from asyncdoc_tui.scan.implicit_targets import implicit_targets, is_generator
from asyncdoc_tui.scan.operation_calls import operation_calls
from asyncdoc_tui.scan.resolve import (
    CLASS,
    EXTERNAL,
    EXTERNAL_INSTANCE,
    FUNCTION,
    INSTANCE,
    MODULE,
    SKIPPED,
    ProjectIndex,
)

# Decorators that hand back the function itself (or a cache around it that calls it).
TRANSPARENT_DECORATORS = frozenset(
    {
        "staticmethod",
        "classmethod",
        "functools.lru_cache",
        "functools.cache",
        "functools.singledispatch",
        "contextlib.contextmanager",
        "abc.abstractmethod",
        "typing.overload",
        "typing.final",
        "typing.override",
        "typing_extensions.override",
        "typing_extensions.final",
    }
)
_WRAPS = "functools.wraps"

# Why a call into project code has no target.
UNKNOWN_RECEIVER = "receiver of unknown type"
MISSING_ATTRIBUTE = "attribute not found on a project module or class"
OPAQUE_DECORATOR = "decorated by a function asyncdoc cannot see through"
IN_SKIPPED_MODULE = "defined in a file asyncdoc skipped (it could not be parsed)"


class CallEdge(NamedTuple):
    """A call site in `caller` that runs the project function `callee`."""

    caller: str  # dotted name (module.qualname)
    callee: str
    path: str
    call: CallFact


class Unresolved(NamedTuple):
    """A call inside a project function whose target the index cannot name."""

    caller: str
    path: str
    call: CallFact
    reason: str


@dataclass(frozen=True, slots=True)
class FileCalls:
    """The call graph's share from one file (cached per file while interfaces hold)."""

    edges: tuple[CallEdge, ...]
    unresolved: tuple[Unresolved, ...]


def _edge_order(edge: CallEdge) -> tuple[str, int, int]:
    return edge.path, edge.call.line, edge.call.col


class CallGraph:
    """Edges between project functions, forwards and backwards, in a stable order.

    Built from per-file shares; a graph for an index that shares its analyses with an
    earlier one (a body-only edit, see `ProjectIndex.updated`) is patched from that
    graph: only the changed files' shares are replaced.
    """

    def __init__(self, index: ProjectIndex, previous: CallGraph | None = None):
        self.index = index
        targets = _Targets(index)
        if previous is None:
            self.shares = {facts.path: targets.file_calls(facts) for facts in index.files}
            self.edges: dict[str, list[CallEdge]] = {}
            self.callers: dict[str, list[CallEdge]] = {}
            for share in self.shares.values():
                for edge in share.edges:
                    self.edges.setdefault(edge.caller, []).append(edge)
                    self.callers.setdefault(edge.callee, []).append(edge)
            for edges in self.callers.values():
                edges.sort(key=_edge_order)
            return
        self.shares = dict(previous.shares)
        self.edges = dict(previous.edges)
        self.callers = dict(previous.callers)
        old_files = previous.index.by_path
        for facts in index.files:
            if old_files[facts.path].digest != facts.digest:
                self._replace(facts.path, targets.file_calls(facts))

    def _replace(self, path: str, share: FileCalls) -> None:
        """Swap one file's edges (lists are copied, never changed in place: the previous
        graph stays valid for its own index)."""
        old = self.shares[path]
        self.shares[path] = share
        for caller in {e.caller for e in old.edges}:
            self.edges.pop(caller, None)
        touched = {e.callee for e in old.edges} | {e.callee for e in share.edges}
        for callee in touched:
            kept = [e for e in self.callers.get(callee, ()) if e.path != path]
            kept += [e for e in share.edges if e.callee == callee]
            if kept:
                self.callers[callee] = sorted(kept, key=_edge_order)
            else:
                self.callers.pop(callee, None)
        for edge in share.edges:
            self.edges.setdefault(edge.caller, []).append(edge)

    @cached_property
    def reached_from_async(self) -> dict[str, list[CallEdge]]:
        """Sync project functions called (through sync functions) from an async one, each
        with a shortest call chain from an async function."""
        functions = self.index.functions
        chains: dict[str, list[CallEdge]] = {}
        queue: deque[str] = deque(name for name, (_, fn) in functions.items() if fn.is_async)
        while queue:
            function = queue.popleft()
            for edge in self.edges.get(function, ()):
                callee = functions.get(edge.callee)
                if edge.callee in chains or callee is None or callee[1].is_async:
                    continue
                chains[edge.callee] = [*chains.get(function, []), edge]
                queue.append(edge.callee)
        return chains

    @property
    def unresolved(self) -> list[Unresolved]:
        """Calls into project code with no known target, by file."""
        return [u for share in self.shares.values() for u in share.unresolved]

    @cached_property
    def calls_into_skipped(self) -> dict[str, frozenset[str]]:
        """Per project function, the paths of skipped files its calls reach: what runs
        there is unknown, so a chain through the function may not be the whole story."""
        found: dict[str, set[str]] = {}
        for u in self.unresolved:
            if u.reason == IN_SKIPPED_MODULE:
                module = self.index.resolve(u.call.callee).name
                found.setdefault(u.caller, set()).add(self.index.skipped[module])
        return {caller: frozenset(paths) for caller, paths in found.items()}

    def skipped_behind(self, functions: Iterable[str]) -> set[str]:
        """Paths of the skipped files any of `functions` calls into."""
        return {path for f in functions for path in self.calls_into_skipped.get(f, ())}


_GRAPHS: WeakKeyDictionary[ProjectIndex, CallGraph] = WeakKeyDictionary()
_LATEST = ("callgraph", "", "")  # key in `ProjectIndex.derived`: the last graph built


def call_graph(index: ProjectIndex) -> CallGraph:
    """The graph of an index, built once per index (rules and commands share it)."""
    found = _GRAPHS.get(index)
    if found is None:
        previous = index.derived.get(_LATEST)
        usable = isinstance(previous, CallGraph) and previous.index.derived is index.derived
        found = _GRAPHS[index] = CallGraph(index, previous if usable else None)
        index.derived[_LATEST] = found
    return found


class _Targets:
    """Resolves call sites to project functions for one index."""

    def __init__(self, index: ProjectIndex):
        self.index = index
        self._wrappers: dict[str, tuple[str, ...] | None] = {}
        self._constructions: dict[str, tuple[str, ...]] = {}

    def file_calls(self, facts: FileFacts) -> FileCalls:
        key = ("calls", facts.path, facts.digest)
        cached = self.index.derived.get(key)
        if isinstance(cached, FileCalls):
            return cached
        prefix = f"{facts.module}." if facts.module else ""
        classes = {fn.qualname: fn.class_qualname for fn in facts.functions}
        edges: list[CallEdge] = []
        unresolved: list[Unresolved] = []
        for call in facts.calls:
            if call.function is None:
                continue
            caller = prefix + call.function
            owner = classes.get(call.function)
            targets, reason = self.targets(call, prefix + owner if owner else None)
            edges.extend(CallEdge(caller, target, facts.path, call) for target in targets)
            if reason is not None:
                unresolved.append(Unresolved(caller, facts.path, call, reason))
        edges.extend(CallEdge(prefix + call.function, target, facts.path, call) for target, call in operation_calls(self.index, facts))
        share = FileCalls(tuple(edges), tuple(unresolved))
        self.index.derived[key] = share
        return share

    def targets(self, call: CallFact, owner_class: str | None) -> tuple[tuple[str, ...], str | None]:
        """(project functions the call runs, None), or ((), why not); ((), None) for calls
        outside the project. A decorated function comes with its `functools.wraps`
        wrappers, which run around it."""
        if call.kind != CALL:
            return implicit_targets(self.index, call, self.wrappers), None
        callee = call.callee
        if callee.startswith(UNKNOWN):
            return (), UNKNOWN_RECEIVER
        if callee.startswith("super()."):
            return self._super(callee[len("super().") :], owner_class)
        index = self.index
        resolved = index.resolve(callee)
        if resolved.kind == FUNCTION:
            if is_generator(index, resolved.name):
                return (), None  # the body runs when the generator is iterated
            wrappers = self.wrappers(resolved.name)
            if wrappers is None:
                return (), OPAQUE_DECORATOR
            return (resolved.name, *wrappers), None
        if resolved.kind == CLASS:
            found = self._constructions.get(resolved.name)
            if found is None:
                found = self._constructions[resolved.name] = construction_targets(index, resolved.name)
            return found, None
        if resolved.kind == INSTANCE:
            found = index.class_attribute(resolved.name, "__call__")
            return ((found[1],), None) if found and found[0] == "method" else ((), None)
        if resolved.kind in (EXTERNAL, EXTERNAL_INSTANCE):
            return (), None
        if resolved.kind == SKIPPED:
            return (), IN_SKIPPED_MODULE
        head = callee.split("()", 1)[0]
        if head != callee and index.resolve(head).kind in (EXTERNAL, EXTERNAL_INSTANCE):
            return (), None  # a value made by a library, of a type the catalog does not know
        receiver, _, method = callee.rpartition(".")
        owner = index.resolve(receiver) if receiver else None
        if owner is not None and owner.kind == CLASS and method in VALIDATING_CLASSMETHODS:
            return validators(index, owner.name), None
        if owner is not None and owner.kind in (MODULE, CLASS, INSTANCE):
            return (), MISSING_ATTRIBUTE
        return (), UNKNOWN_RECEIVER

    def _super(self, method: str, owner_class: str | None) -> tuple[tuple[str, ...], str | None]:
        if "." in method or "(" in method or owner_class is None:
            return (), UNKNOWN_RECEIVER
        for name in self.index.mro(owner_class)[1:]:
            _, cls = self.index.classes[name]
            if method in cls.methods:
                return (f"{name}.{method}",), None
        return (), None  # a method of an external base class

    # ---- decorators ----------------------------------------------------------------
    def wrappers(self, function: str) -> tuple[str, ...] | None:
        """The project wrapper functions a call of this decorated function runs first
        (`functools.wraps` wrappers), or None when a decorator hides what the call runs."""
        if function in self._wrappers:
            return self._wrappers[function]
        self._wrappers[function] = ()  # a decorator decorating itself ends here
        _, fn = self.index.functions[function]
        found: list[str] = []
        for decorator in fn.decorators:
            wrapper = self._decorator_wrapper(decorator)
            if wrapper is None:
                self._wrappers[function] = None
                return None
            found.extend(wrapper)
        result = tuple(found)
        self._wrappers[function] = result
        return result

    def _decorator_wrapper(self, decorator: DecoratorFact) -> tuple[str, ...] | None:
        """() for a decorator returning the function itself, (wrapper,) for a project
        decorator returning a sync `functools.wraps` wrapper, None otherwise."""
        resolved = self.index.resolve(decorator.expr)
        if resolved.kind == EXTERNAL and resolved.name in TRANSPARENT_DECORATORS:
            return ()
        if resolved.kind != FUNCTION:
            return () if decorator.called and self._registers(decorator) else None
        decorator_fn = resolved.name
        if decorator.called:  # a decorator factory: `@retry(3)` returns the decorator
            inner = self._returned_function(decorator_fn)
            if inner is None:
                return None
            decorator_fn = inner
        wrapper = self._returned_function(decorator_fn)
        if wrapper is None:
            return None
        _, fn = self.index.functions[wrapper]
        if fn.is_async or not any(d.called and self.index.resolve(d.expr).name == _WRAPS for d in fn.decorators):
            return None
        return (wrapper,)

    def _registers(self, decorator: DecoratorFact) -> bool:
        """`@app.get(...)` and friends register the function and return it unchanged."""
        from asyncdoc_tui.rules.entrypoints import (
            APP_TYPES,
            DECORATOR_VERBS,
            ROUTER_TYPES,
            framework_type,
        )

        receiver, _, verb = decorator.expr.rpartition(".")
        return verb in DECORATOR_VERBS and framework_type(self.index, receiver) in APP_TYPES | ROUTER_TYPES

    def _returned_function(self, function: str) -> str | None:
        _, fn = self.index.functions[function]
        for value in fn.returns:
            resolved = self.index.resolve(value)
            if resolved.kind == FUNCTION:
                return resolved.name
        return None
