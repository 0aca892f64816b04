"""Resolve value expressions (see facts_model) across the whole project.

`app.db.engine.connect` becomes "method `connect` of an `sqlalchemy.engine.Engine`"
when `app/db.py` binds `engine = make_engine()` and `make_engine` returns
`create_engine(...)`. Only FileFacts are used; recursion is bounded so cyclic bindings
end as unknown instead of looping.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass

from asyncdoc_tui.model import SkippedFile
from asyncdoc_tui.rules.catalog import Catalog
from asyncdoc_tui.scan.facts_model import UNKNOWN, ClassFact, FileFacts, FunctionFact

_MAX_DEPTH = 24

# Resolved kinds.
EXTERNAL = "external"  # a name outside the project: module, function, class (`requests.get`)
EXTERNAL_INSTANCE = "external_instance"  # an instance of a catalog type (`requests.Session`)
MODULE = "module"  # a project module
FUNCTION = "function"  # a project function or method (name = module.qualname)
CLASS = "class"  # a project class
INSTANCE = "instance"  # an instance of a project class
SKIPPED = "skipped"  # a module asyncdoc skipped, or anything reached through one (name = the module)
UNRESOLVED = "unknown"


@dataclass(frozen=True, slots=True)
class Resolved:
    kind: str
    name: str = ""

    @property
    def known(self) -> bool:
        return self.kind != UNRESOLVED


NOTHING = Resolved(UNRESOLVED)


def skipped_modules(skipped: Iterable[SkippedFile]) -> dict[str, str]:
    """Module -> path of the project files that exist but could not be parsed (first path
    wins for a duplicated module, as for parsed files)."""
    found: dict[str, str] = {}
    for item in sorted(skipped, key=lambda s: s.path):
        if item.module:
            found.setdefault(item.module, item.path)
    return found


def split_expr(expr: str) -> list[str]:
    """`a.b().c` -> ["a", "b", "()", "c"]."""
    parts: list[str] = []
    for piece in expr.split("."):
        name = piece
        calls = 0
        while name.endswith("()"):
            name = name[:-2]
            calls += 1
        if name:
            parts.append(name)
        parts.extend(["()"] * calls)
    return parts


class ProjectIndex:
    """Modules, functions and classes of the project, keyed by dotted name."""

    def __init__(self, files: list[FileFacts], catalog: Catalog, skipped: Iterable[SkippedFile] = ()):
        self.catalog = catalog
        self.files = sorted(files, key=lambda f: f.path)
        # Modules on disk that failed to parse: still modules, with unknown content.
        self.skipped = skipped_modules(skipped)
        self.by_module: dict[str, FileFacts] = {}
        for facts in self.files:
            self.by_module.setdefault(facts.module, facts)
        self.by_path = {f.path: f for f in self.files}
        self.functions: dict[str, tuple[FileFacts, FunctionFact]] = {}
        self.classes: dict[str, tuple[FileFacts, ClassFact]] = {}
        self.bindings: dict[str, dict[str, str]] = {}
        for facts in self.files:
            prefix = f"{facts.module}." if facts.module else ""
            for fn in facts.functions:
                self.functions.setdefault(prefix + fn.qualname, (facts, fn))
            for cls in facts.classes:
                self.classes.setdefault(prefix + cls.qualname, (facts, cls))
            self.bindings.setdefault(facts.module, dict(facts.bindings))
        # Results of resolution depend only on the files' interfaces (see `interface`),
        # so an index rebuilt after a body-only edit shares them (`updated`), together
        # with `derived`: per-file products of analyses keyed by (kind, path, digest).
        self._memo: dict[tuple[str, int], Resolved] = {}
        self._mro: dict[str, tuple[str, ...]] = {}
        self.derived: dict[tuple[str, str, str], object] = {}

    @staticmethod
    def interface(facts: FileFacts) -> tuple:
        """What other files' resolution may read from this file: names, bindings, return
        values, decorators, generators, classes. Function bodies and line numbers are not
        part of it."""
        return (
            facts.module,
            facts.is_package,
            facts.bindings,
            tuple(
                (f.qualname, f.is_async, tuple((d.expr, d.called, d.args, d.kwargs) for d in f.decorators), f.returns, f.return_annotation, f.is_generator)
                for f in facts.functions
            ),
            tuple((c.qualname, c.bases, c.attrs, c.methods) for c in facts.classes),
        )

    def updated(self, files: list[FileFacts], skipped: Iterable[SkippedFile] = ()) -> ProjectIndex:
        """An index for `files`; when no file's interface changed, a patched copy of this
        one that shares its resolutions and per-file analyses (cheap, few allocations)."""
        files = sorted(files, key=lambda f: f.path)
        skipped = list(skipped)
        if [f.path for f in files] == [f.path for f in self.files] and skipped_modules(skipped) == self.skipped:
            changed = [(old, f) for old, f in zip(self.files, files) if old is not f and old.digest != f.digest]
            if all(self.interface(old) == self.interface(f) for old, f in changed):
                return self._patched(files, changed)
        return ProjectIndex(files, self.catalog, skipped)

    def _patched(self, files: list[FileFacts], changed: list[tuple[FileFacts, FileFacts]]) -> ProjectIndex:
        new = copy.copy(self)  # shares catalog, bindings (equal interfaces), memo, mro, derived
        new.files = files
        new.by_module = dict(self.by_module)
        new.by_path = dict(self.by_path)
        new.functions = dict(self.functions)
        new.classes = dict(self.classes)
        stale = {(old.path, old.digest) for old, _ in changed}
        for key in [k for k in self.derived if k[1:] in stale]:
            del self.derived[key]
        for old, facts in changed:
            new.by_path[facts.path] = facts
            if new.by_module.get(facts.module) is old:
                new.by_module[facts.module] = facts
            prefix = f"{facts.module}." if facts.module else ""
            for fn in facts.functions:
                if new.functions[prefix + fn.qualname][0] is old:
                    new.functions[prefix + fn.qualname] = (facts, fn)
            for cls in facts.classes:
                if new.classes[prefix + cls.qualname][0] is old:
                    new.classes[prefix + cls.qualname] = (facts, cls)
        return new

    # ---- public --------------------------------------------------------------
    def resolve(self, expr: str) -> Resolved:
        """What a value expression denotes, as far as the project and catalog tell."""
        if not expr or expr.startswith(UNKNOWN):
            return NOTHING
        return self._resolve(expr, 0)

    def _resolve(self, expr: str, depth: int) -> Resolved:
        key = (expr, depth)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._resolve_uncached(expr, depth)
        return found

    def is_sync(self, function: str) -> bool:
        """A project function defined with `def` (not `async def`)."""
        found = self.functions.get(function)
        return found is not None and not found[1].is_async

    def class_attribute(self, class_name: str, attr: str) -> tuple[str, str] | None:
        """("method", dotted function) or ("attr", value expr) found on a class or its bases."""
        for name in self.mro(class_name):
            _, cls = self.classes[name]
            if attr in cls.methods:
                return "method", f"{name}.{attr}"
            for key, value in cls.attrs:
                if key == attr:
                    return "attr", value
        return None

    def mro(self, class_name: str) -> tuple[str, ...]:
        """Project classes in method-resolution order (depth-first, left to right)."""
        found = self._mro.get(class_name)
        if found is None:
            found = self._mro[class_name] = tuple(self._mro_uncached(class_name))
        return found

    def _mro_uncached(self, class_name: str) -> list[str]:
        order: list[str] = []
        stack = [class_name]
        while stack:
            name = stack.pop(0)
            if name in order or name not in self.classes:
                continue
            order.append(name)
            _, cls = self.classes[name]
            bases = [self.resolve(b) for b in cls.bases]
            stack[0:0] = [b.name for b in bases if b.kind == CLASS]
        return order

    # ---- resolution ----------------------------------------------------------
    def _resolve_uncached(self, expr: str, depth: int) -> Resolved:
        if depth > _MAX_DEPTH:
            return NOTHING
        parts = split_expr(expr)
        if not parts or parts[0] == "()":
            return NOTHING
        state, index = self._start(parts)
        for part in parts[index:]:
            if not state.known:
                return NOTHING
            state = self._call(state, depth) if part == "()" else self._attr(state, part, depth)
        return state

    def _start(self, parts: list[str]) -> tuple[Resolved, int]:
        """Longest leading dotted prefix that names a project module, else an external name."""
        names: list[str] = []
        for part in parts:
            if part == "()":
                break
            names.append(part)
        for end in range(len(names), 0, -1):
            module = ".".join(names[:end])
            if module in self.by_module:
                if "<locals>" in names[end:]:  # a function or class defined in a function
                    return self._local_definition(names, end)
                return Resolved(MODULE, module), end
            if module in self.skipped:
                return Resolved(SKIPPED, module), end
        return Resolved(EXTERNAL, parts[0]), 1

    def _local_definition(self, names: list[str], start: int) -> tuple[Resolved, int]:
        """`app.svc.outer.<locals>.inner`: the longest prefix naming a nested definition."""
        for end in range(len(names), start, -1):
            dotted = ".".join(names[:end])
            if dotted in self.functions:
                return Resolved(FUNCTION, dotted), end
            if dotted in self.classes:
                return Resolved(CLASS, dotted), end
        return NOTHING, len(names)

    def _attr(self, state: Resolved, attr: str, depth: int) -> Resolved:
        kind, name = state.kind, state.name
        if kind == EXTERNAL:
            return Resolved(EXTERNAL, f"{name}.{attr}")
        if kind == EXTERNAL_INSTANCE:
            return Resolved(EXTERNAL, f"{name}.{attr}")
        if kind == SKIPPED:
            return state  # whatever a skipped module holds is unknown
        if kind == MODULE:
            sub = f"{name}.{attr}"
            if sub in self.by_module:
                return Resolved(MODULE, sub)
            if sub in self.skipped:
                return Resolved(SKIPPED, sub)
            bound = self.bindings.get(name, {}).get(attr)
            if bound is None:
                return NOTHING
            if bound == sub:  # a definition in this module binds itself
                if sub in self.functions:
                    return Resolved(FUNCTION, sub)
                if sub in self.classes:
                    return Resolved(CLASS, sub)
                return NOTHING
            return self._resolve(bound, depth + 1) if not bound.startswith(UNKNOWN) else NOTHING
        if kind in (CLASS, INSTANCE):
            found = self.class_attribute(name, attr)
            if found is None:
                return NOTHING
            what, value = found
            if what == "method":
                return Resolved(FUNCTION, value)
            return self._resolve(value, depth + 1) if not value.startswith(UNKNOWN) else NOTHING
        return NOTHING

    def _call(self, state: Resolved, depth: int) -> Resolved:
        kind, name = state.kind, state.name
        if kind == SKIPPED:
            return state
        if kind == EXTERNAL:
            returned = self.catalog.returns(name)
            return Resolved(EXTERNAL_INSTANCE, returned) if returned else NOTHING
        if kind == EXTERNAL_INSTANCE:
            returned = self.catalog.returns(f"{name}.__call__")
            return Resolved(EXTERNAL_INSTANCE, returned) if returned else NOTHING
        if kind == CLASS:
            return Resolved(INSTANCE, name)
        if kind == FUNCTION:
            return self.returns_of(name, depth)
        return NOTHING

    def returns_of(self, function: str, depth: int = 0) -> Resolved:
        """What calling a project function gives: its annotation, else its first known return."""
        entry = self.functions.get(function)
        if entry is None:
            return NOTHING
        _, fn = entry
        candidates = ([fn.return_annotation] if fn.return_annotation else []) + list(fn.returns)
        for value in candidates:
            if value and not value.startswith(UNKNOWN):
                found = self._resolve(value, depth + 1)
                if found.kind in (EXTERNAL_INSTANCE, INSTANCE):
                    return found
        return NOTHING
