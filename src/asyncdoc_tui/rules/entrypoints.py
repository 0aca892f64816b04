"""FastAPI / Starlette entry points: which project functions the framework calls, and how.

Rules need this twice: a sync `def` route or dependency runs in the thread pool (so it
is never a blocking finding), and a finding inside an async entry point says which one
it is (`GET /users/{id}`). Detection reads FileFacts only: decorators on functions,
registration calls (`add_api_route`, `add_middleware`, `FastAPI(lifespan=...)`),
`Depends(f)` calls wherever they appear (parameter defaults, `Annotated[...]`,
`dependencies=[...]`) and `background_tasks.add_task(f)`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any
from weakref import WeakKeyDictionary

from asyncdoc_tui.model import Finding
from asyncdoc_tui.scan.facts_model import (
    UNKNOWN,
    CallFact,
    DecoratorFact,
    FileFacts,
    FunctionFact,
)
from asyncdoc_tui.scan.project import Project
from asyncdoc_tui.scan.resolve import CLASS, EXTERNAL, FUNCTION, INSTANCE, ProjectIndex

ROUTE = "route"
WEBSOCKET = "websocket"
DEPENDENCY = "dependency"
MIDDLEWARE = "middleware"
EXCEPTION_HANDLER = "exception_handler"
LIFESPAN = "lifespan"
STARTUP = "startup"
SHUTDOWN = "shutdown"
BACKGROUND_TASK = "background_task"

# When one function plays several parts, the first in this order names it.
KIND_ORDER = (ROUTE, WEBSOCKET, MIDDLEWARE, DEPENDENCY, EXCEPTION_HANDLER, LIFESPAN, STARTUP, SHUTDOWN, BACKGROUND_TASK)
# Sync functions of these kinds run in the framework's thread pool, not on the loop.
THREADPOOL_KINDS = frozenset({ROUTE, DEPENDENCY, BACKGROUND_TASK})

APP_TYPES = frozenset({"fastapi.FastAPI", "fastapi.applications.FastAPI", "starlette.applications.Starlette"})
ROUTER_TYPES = frozenset({"fastapi.APIRouter", "fastapi.routing.APIRouter", "starlette.routing.Router"})
BACKGROUND_TYPES = frozenset({"fastapi.BackgroundTasks", "fastapi.background.BackgroundTasks", "starlette.background.BackgroundTasks"})
MIDDLEWARE_BASES = frozenset({"starlette.middleware.base.BaseHTTPMiddleware"})
DEPENDS = frozenset({"fastapi.Depends", "fastapi.Security", "fastapi.params.Depends", "fastapi.params.Security", "fastapi.param_functions.Depends", "fastapi.param_functions.Security"})
_KNOWN_TYPES = APP_TYPES | ROUTER_TYPES | BACKGROUND_TYPES
_FRAMEWORK_BASES = _KNOWN_TYPES | MIDDLEWARE_BASES
_HTTP_METHODS = ("get", "post", "put", "patch", "delete", "options", "head", "trace")
# Decorator methods of an app or router that register the function (and return it unchanged).
DECORATOR_VERBS = frozenset(_HTTP_METHODS) | {"api_route", "route", "websocket", "websocket_route", "middleware", "exception_handler", "on_event"}
# Registration methods called with a callable, and the constructors read for arguments:
# only calls named like these are resolved (the rest cannot declare an entry point).
_CALL_VERBS = frozenset(
    {"add_api_route", "add_route", "add_api_websocket_route", "add_websocket_route", "add_exception_handler", "add_event_handler", "add_middleware", "include_router", "add_task"}
)
_CONSTRUCTOR_NAMES = frozenset(name.rpartition(".")[2] for name in DEPENDS | APP_TYPES | ROUTER_TYPES)
_MAX_DEPTH = 8


@dataclass(frozen=True, slots=True)
class EntryPoint:
    """How the framework reaches a function: a route, a dependency, middleware, …"""

    kind: str
    method: str = ""  # "GET", "GET,POST" for api_route; "" when not a route
    path: str = ""  # "/users/{id}", including the router's prefix when known

    @property
    def label(self) -> str:
        """What people call it: `GET /users/{id}`, `WEBSOCKET /ws`, `dependency`."""
        if self.kind == ROUTE:
            return f"{self.method or 'GET'} {self.path}".strip()
        if self.kind == WEBSOCKET:
            return f"WEBSOCKET {self.path}".strip()
        return self.kind.replace("_", " ")

    @property
    def runs_in_threadpool_when_sync(self) -> bool:
        """A sync `def` of this kind is run by FastAPI in its thread pool."""
        return self.kind in THREADPOOL_KINDS

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        if self.method:
            data["method"] = self.method
        if self.path:
            data["path"] = self.path
        return data


_CACHE: WeakKeyDictionary[ProjectIndex, dict[str, EntryPoint]] = WeakKeyDictionary()


def entry_points(project: Project) -> dict[str, EntryPoint]:
    """Entry points keyed by the function's dotted name (`app.routes.get_user`).

    Computed once per project index (several rules ask), in a stable order.
    """
    index = project.index
    found = _CACHE.get(index)
    if found is None:
        found = _Finder(index).run()
        _CACHE[index] = found
    return found


def entry_for(project: Project, facts: FileFacts, function: str | None) -> EntryPoint | None:
    """The entry point a function of `facts` (by qualname) is, if any."""
    if function is None:
        return None
    return entry_points(project).get(facts.qualified(function))


def with_entry(project: Project, facts: FileFacts, function: str | None, finding: Finding) -> Finding:
    """The finding with `entry` (`{"kind": "route", "method": "GET", ...}`) when it lies
    in an entry point."""
    entry = entry_for(project, facts, function)
    if entry is None:
        return finding
    return replace(finding, extra=(*finding.extra, ("entry", entry.to_json())))


def literal(rendered: str) -> Any:
    """A rendered constant argument (`'/users'`, `['GET']`) as a Python value, else None."""
    quote = rendered[:1]
    if quote in ("'", '"') and len(rendered) > 1 and rendered[-1] == quote and quote not in rendered[1:-1] and not {"\\", "\n"} & set(rendered):
        return rendered[1:-1]  # a plain string (every route path): no compile needed
    try:
        return ast.literal_eval(rendered)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None


def split_items(rendered: str) -> list[str]:
    """`[a.b, c(d, e)]` -> ["a.b", "c(d, e)"]: top-level items of a rendered list."""
    if not (rendered.startswith("[") and rendered.endswith("]")):
        return [rendered]
    items: list[str] = []
    depth = 0
    current: list[str] = []
    for char in rendered[1:-1]:
        if char == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
            continue
        depth += char in "([{"
        depth -= char in ")]}"
        current.append(char)
    tail = "".join(current).strip()
    if tail:
        items.append(tail)
    return items


def framework_type(index: ProjectIndex, expr: str, depth: int = 0) -> str | None:
    """The FastAPI/Starlette type an expression holds (`fastapi.FastAPI`), following the
    project's module bindings, factory functions and subclasses; None when unknown."""
    if depth > _MAX_DEPTH or not expr or expr.startswith(UNKNOWN):
        return None
    if expr.endswith("()"):
        made = index.resolve(expr[:-2])
        if made.kind == EXTERNAL:
            return made.name if made.name in _KNOWN_TYPES else None
        if made.kind == CLASS:
            return _framework_base(index, made.name)
        if made.kind == FUNCTION:
            _, fn = index.functions[made.name]
            for value in ([fn.return_annotation] if fn.return_annotation else []) + list(fn.returns):
                found = framework_type(index, value, depth + 1)
                if found:
                    return found
        return None
    head, _, attr = expr.rpartition(".")
    if attr == "router" and framework_type(index, head, depth + 1) in APP_TYPES:
        return "starlette.routing.Router"  # `app.router`: the app's own router
    bound = index.bindings.get(head, {}).get(attr) if head in index.by_module else None
    if bound and bound != expr:
        return framework_type(index, bound, depth + 1)
    return None


def _framework_base(index: ProjectIndex, class_name: str) -> str | None:
    """The framework type a project class derives from (`class Api(FastAPI)`)."""
    for name in index.mro(class_name):
        _, cls = index.classes[name]
        for base in cls.bases:
            resolved = index.resolve(base)
            if resolved.kind == EXTERNAL and resolved.name in _FRAMEWORK_BASES:
                return resolved.name
    return None


@dataclass(frozen=True, slots=True)
class _FileShare:
    """What one file declares (cached per file content while interfaces hold): entries
    as (function, entry, router whose prefix applies), and router prefixes."""

    found: tuple[tuple[str, EntryPoint, str], ...]
    own_prefixes: tuple[tuple[str, str], ...]  # router binding -> `APIRouter(prefix=...)`
    included: tuple[tuple[str, str], ...]  # router binding -> `include_router(..., prefix=...)`


_LAST_RUN = ("entrypoints", "", "")  # key in `ProjectIndex.derived`: (shares, result)


class _Finder:
    """Collects every file's share, then applies router prefixes and kind priority."""

    def __init__(self, index: ProjectIndex):
        self.index = index
        self.current: list[tuple[str, EntryPoint, str]] = []

    def run(self) -> dict[str, EntryPoint]:
        shares = [self._share(facts) for facts in self.index.files]
        last = self.index.derived.get(_LAST_RUN)
        if isinstance(last, tuple) and last[0] == shares:  # an edit that changed no entry point
            return last[1]
        prefixes = self._prefixes(shares)
        found: dict[str, EntryPoint] = {}
        for share in shares:
            for function, entry, router in share.found:
                if function not in self.index.functions:
                    continue
                if router in prefixes:
                    entry = EntryPoint(entry.kind, entry.method, prefixes[router] + entry.path)
                old = found.get(function)
                if old is None or KIND_ORDER.index(entry.kind) < KIND_ORDER.index(old.kind):
                    found[function] = entry
        result = dict(sorted(found.items()))
        self.index.derived[_LAST_RUN] = (shares, result)
        return result

    def _share(self, facts: FileFacts) -> _FileShare:
        key = ("entrypoints", facts.path, facts.digest)
        cached = self.index.derived.get(key)
        if isinstance(cached, _FileShare):
            return cached
        self.current = []
        for fn in facts.functions:
            for decorator in fn.decorators:
                self._decorator(facts, facts.qualified(fn.qualname), decorator)
        for call in facts.calls:
            self._call(facts, call)
        for cls in facts.classes:
            self._middleware_class(facts.qualified(cls.qualname))
        own, included = self._router_info(facts)
        share = _FileShare(tuple(self.current), own, included)
        self.index.derived[key] = share
        return share

    @staticmethod
    def _prefixes(shares: list[_FileShare]) -> dict[str, str]:
        """Router binding -> full path prefix (its own, after the one it is included with
        when it is included with exactly one)."""
        own: dict[str, str] = {}
        included: dict[str, set[str]] = {}
        for share in shares:
            own.update(share.own_prefixes)
            for router, prefix in share.included:
                included.setdefault(router, set()).add(prefix)
        result: dict[str, str] = {}
        for router in sorted(set(own) | set(included)):
            outer = included.get(router, {""})
            result[router] = (next(iter(outer)) if len(outer) == 1 else "") + own.get(router, "")
        return result

    # ---- recording ---------------------------------------------------------------
    def _add(self, function: str | None, entry: EntryPoint, router: str = "") -> None:
        if function is not None:
            self.current.append((function, entry, router))

    def _target(self, expr: str, call_method: str = "__call__") -> str | None:
        """The project function a registered callable runs (classes run `__init__`)."""
        resolved = self.index.resolve(expr)
        if resolved.kind == FUNCTION:
            return resolved.name
        if resolved.kind in (CLASS, INSTANCE):
            method = "__init__" if resolved.kind == CLASS else call_method
            found = self.index.class_attribute(resolved.name, method)
            if found and found[0] == "method":
                return found[1]
        return None

    # ---- decorators --------------------------------------------------------------
    def _decorator(self, facts: FileFacts, function: str, decorator: DecoratorFact) -> None:
        receiver, _, verb = decorator.expr.rpartition(".")
        if not decorator.called or verb not in DECORATOR_VERBS:
            return
        kind = framework_type(self.index, receiver)
        if kind not in APP_TYPES and kind not in ROUTER_TYPES:
            return
        entry = self._registration(verb, decorator.args, dict(decorator.kwargs))
        if entry is not None:
            self._add(function, entry, self._binding_key(facts, receiver))

    @staticmethod
    def _registration(verb: str, args: tuple[str, ...], kwargs: dict[str, str]) -> EntryPoint | None:
        """The entry a decorator or `add_*` method of an app/router declares (the path
        without the router's prefix)."""
        path = literal(args[0] if args else kwargs.get("path", "''"))
        path = path if isinstance(path, str) else ""
        if verb in _HTTP_METHODS:
            return EntryPoint(ROUTE, verb.upper(), path)
        if verb in ("api_route", "route", "add_api_route", "add_route"):
            methods = literal(kwargs.get("methods", "")) or ["GET"]
            if isinstance(methods, (list, tuple, set)):
                return EntryPoint(ROUTE, ",".join(str(m).upper() for m in methods), path)
            return EntryPoint(ROUTE, "GET", path)
        if verb in ("websocket", "websocket_route", "add_api_websocket_route", "add_websocket_route"):
            return EntryPoint(WEBSOCKET, "", path)
        if verb == "middleware":
            return EntryPoint(MIDDLEWARE)
        if verb in ("exception_handler", "add_exception_handler"):
            return EntryPoint(EXCEPTION_HANDLER)
        if verb in ("on_event", "add_event_handler"):
            event = literal(args[0]) if args else literal(kwargs.get("event_type", ""))
            if event in (STARTUP, SHUTDOWN):
                return EntryPoint(event)
        return None

    # ---- calls -------------------------------------------------------------------
    def _call(self, facts: FileFacts, call: CallFact) -> None:
        callee = call.callee
        receiver, _, verb = callee.rpartition(".")
        if callee.startswith(UNKNOWN) or (verb not in _CONSTRUCTOR_NAMES and verb not in _CALL_VERBS):
            return
        resolved = self.index.resolve(callee)
        if resolved.kind == EXTERNAL and resolved.name in DEPENDS:
            self._depends(facts, call)
            return
        if resolved.kind == EXTERNAL and resolved.name in APP_TYPES | ROUTER_TYPES:
            self._constructor_kwargs(call)
            return
        kind = framework_type(self.index, receiver) if receiver else None
        if kind in BACKGROUND_TYPES and verb == "add_task" and call.args:
            self._add(self._target(call.args[0]), EntryPoint(BACKGROUND_TASK))
        elif kind in APP_TYPES or kind in ROUTER_TYPES:
            self._registration_call(verb, self._binding_key(facts, receiver), call)

    def _registration_call(self, verb: str, router: str, call: CallFact) -> None:
        kwargs = dict(call.kwargs)
        if verb == "add_middleware" and call.args:
            self._add(self._target(call.args[0] + "()", "dispatch") or self._target(call.args[0] + "()"), EntryPoint(MIDDLEWARE))
            return
        if verb == "include_router":
            for item in split_items(kwargs.get("dependencies", "")):
                self._depends_expr(item)
            return
        if verb in ("add_exception_handler", "add_event_handler"):
            handler = call.args[1] if len(call.args) > 1 else kwargs.get("handler", kwargs.get("func", ""))
        else:
            handler = call.args[1] if len(call.args) > 1 else kwargs.get("endpoint", kwargs.get("route", ""))
        entry = self._registration(verb, call.args, kwargs)
        if entry is not None and verb.startswith("add_") and handler:
            self._add(self._target(handler), entry, router)

    def _constructor_kwargs(self, call: CallFact) -> None:
        """`FastAPI(lifespan=f, on_startup=[g], on_shutdown=[h])`."""
        for key, value in call.kwargs:
            if key == "lifespan":
                self._add(self._target(value), EntryPoint(LIFESPAN))
            elif key in ("on_startup", "on_shutdown"):
                for item in split_items(value):
                    self._add(self._target(item), EntryPoint(STARTUP if key == "on_startup" else SHUTDOWN))

    def _depends(self, facts: FileFacts, call: CallFact) -> None:
        target = call.args[0] if call.args else dict(call.kwargs).get("dependency")
        if target:
            self._add(self._target(target), EntryPoint(DEPENDENCY))
            return
        # `x: Service = Depends()`: the annotated class is the dependency.
        for fn in self._functions_at(facts, call.line):
            for param in fn.params:
                if param.default and param.default.startswith(call.callee + "(") and param.annotation:
                    self._add(self._target(param.annotation.removesuffix("()")), EntryPoint(DEPENDENCY))

    def _depends_expr(self, rendered: str) -> None:
        """A dependency written in a rendered argument: `fastapi.Depends(app.deps.f)`."""
        head, paren, rest = rendered.partition("(")
        if paren and rest.endswith(")") and self.index.resolve(head).name in DEPENDS:
            inner = split_items(f"[{rest[:-1]}]")
            if inner and "=" not in inner[0]:
                self._add(self._target(inner[0]), EntryPoint(DEPENDENCY))

    @staticmethod
    def _functions_at(facts: FileFacts, line: int) -> Iterator[FunctionFact]:
        for fn in facts.functions:
            if fn.line <= line <= fn.end_line:
                yield fn

    def _middleware_class(self, name: str) -> None:
        """`dispatch` of a project subclass of `BaseHTTPMiddleware`."""
        if name in self.index.classes and _framework_base(self.index, name) in MIDDLEWARE_BASES:
            found = self.index.class_attribute(name, "dispatch")
            if found and found[0] == "method":
                self._add(found[1], EntryPoint(MIDDLEWARE))

    # ---- router prefixes -----------------------------------------------------------
    def _binding_key(self, facts: FileFacts, receiver: str) -> str:
        """The dotted binding a receiver names: `app.routes.router` for `@router.get` in
        app/routes.py, whose facts show the receiver as `fastapi.APIRouter()`."""
        if self._router_binding(receiver):
            return receiver
        names = [name for name, value in facts.bindings if value == receiver]
        return facts.qualified(names[0]) if len(names) == 1 else receiver

    def _router_info(self, facts: FileFacts) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
        """Module-level `router = APIRouter(prefix=...)` and `include_router(r, prefix=...)`."""
        own: list[tuple[str, str]] = []
        included: list[tuple[str, str]] = []
        for call in facts.calls:
            if call.function is not None:
                continue
            kwargs = dict(call.kwargs)
            if call.callee.endswith(".include_router") and call.args:
                prefix = literal(kwargs.get("prefix", "''"))
                router = self._router_binding(self._binding_key(facts, call.args[0]))
                if router and isinstance(prefix, str):
                    included.append((router, prefix))
            elif call.sink.startswith("name:") and "prefix" in kwargs:
                resolved = self.index.resolve(call.callee)
                prefix = literal(kwargs["prefix"])
                if resolved.kind == EXTERNAL and resolved.name in ROUTER_TYPES and isinstance(prefix, str):
                    own.append((facts.qualified(call.sink[5:]), prefix))
        return tuple(own), tuple(included)

    def _router_binding(self, expr: str) -> str | None:
        """The dotted module binding an expression names (`app.routes.users.router`)."""
        head, _, attr = expr.rpartition(".")
        if head in self.index.by_module and attr in self.index.bindings.get(head, {}):
            return expr
        return None
