"""Which objects an awaited call reaches, so AD403 never gathers two awaits that share one.

An `AsyncSession`, an `AsyncConnection`, an asyncpg connection or a websocket allows one
operation at a time: gathering two awaits that reach it raises at run time
("another operation is in progress", "concurrent operations are not permitted"). The
sharing is often indirect (`users = UserRepo(session)`, `Service(db=session)`, a
`Depends(get_db)` parameter, `self`), so it is tracked by data flow inside the function,
not by names: each local name maps to the access paths it was built from, and a call
reaches the paths of every name it reads.

Each reached path is classified by what is known about its value:

- `data`: a value that cannot hold a connection (`int`, `str`, `UUID`, containers,
  literals, FastAPI `Path()`/`Query()`/`Body()` parameters), and attributes of one;
- `safe`: a client built for concurrent use (`httpx.AsyncClient`, `aiohttp.ClientSession`,
  an `AsyncEngine`, an asyncpg or redis pool, the request), as that very object only;
- `global`: a module-level or imported name, already shared by every request at once
  (not its attributes: `db.session` can be a per-request session behind a property);
- `object`: anything else, including every value of unknown type: a parameter without an
  annotation, a dependency, an object built by a call, `self`.

Two calls that reach the same `object`, one reaching inside the other's, or two
attributes of one `object` (`self.users`, `self.orders`) are not independent. A lambda
or nested function reaches what its body reads. Deciding this way when the type is
unknown is deliberate: a wrong gather fails in production, a missed one only costs
latency. Annotating the parameter (`user_id: int`) is how code gets the finding back.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from asyncdoc_tui.scan.facts import FactsBuilder, dotted_name

DATA, SAFE, GLOBAL, OBJECT = "data", "safe", "global", "object"

# Values that hold no connection: calling these builds data, annotating with them means data.
DATA_TYPES = frozenset(
    {
        "int", "str", "float", "bool", "bytes", "bytearray", "complex", "list", "dict", "set",
        "frozenset", "tuple", "range", "len", "sorted", "min", "max", "sum", "repr", "format",
        "decimal.Decimal", "uuid.UUID", "datetime.datetime", "datetime.date", "datetime.time",
        "datetime.timedelta", "pathlib.Path", "pathlib.PurePath", "pydantic.EmailStr",
        "pydantic.HttpUrl", "pydantic.AnyUrl", "pydantic.SecretStr",
    }
)
# Generic containers and literal types: `list[int]`, `Mapping[str, Any]`, `Literal["a"]`.
_DATA_GENERICS = frozenset({"list", "dict", "set", "frozenset", "tuple", "List", "Dict", "Set", "FrozenSet", "Tuple", "Sequence", "Mapping", "Iterable", "Collection", "Literal"})
_UNIONS = frozenset({"Optional", "Union"})
# FastAPI parameter markers whose value is request data.
_DATA_MARKERS = frozenset({"Path", "Query", "Body", "Header", "Cookie", "Form"})
# Objects documented as safe to use from concurrent tasks, by type and by factory.
SAFE_TYPES = frozenset(
    {
        "httpx.AsyncClient", "aiohttp.ClientSession", "sqlalchemy.ext.asyncio.AsyncEngine",
        "sqlalchemy.ext.asyncio.async_sessionmaker", "asyncpg.Pool", "asyncpg.pool.Pool",
        "redis.asyncio.Redis", "redis.asyncio.client.Redis", "starlette.requests.Request",
        "fastapi.Request", "fastapi.requests.Request", "motor.motor_asyncio.AsyncIOMotorClient",
        "motor.motor_asyncio.AsyncIOMotorDatabase", "motor.motor_asyncio.AsyncIOMotorCollection",
    }
)
# What a request carries that is plain data (unlike `request.state` and `request.app`).
_REQUEST_DATA = frozenset({"path_params", "query_params", "headers", "cookies", "url", "base_url", "method", "client"})
SAFE_FACTORIES = SAFE_TYPES | {"sqlalchemy.ext.asyncio.create_async_engine", "asyncpg.create_pool", "redis.asyncio.from_url", "redis.asyncio.Redis.from_url"}
# Expressions that compute a new plain value. Displays and comprehensions are not among
# them: `repos = (UserRepo(session), OrderRepo(session))` reaches what its items reach.
_DATA_EXPRS = (ast.Constant, ast.JoinedStr, ast.BinOp, ast.UnaryOp, ast.Compare)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _join(base: str, rest: str) -> str:
    return f"{base}.{rest}" if rest else base


def _within(path: str, other: str) -> bool:
    """`path` is `other` or a path inside it (`session.bind` within `session`)."""
    return path == other or path.startswith(other + ".")


class FunctionFlow:
    """Access paths reached by the calls of one `async def`, and what each path is."""

    def __init__(self, node: ast.AsyncFunctionDef, builder: FactsBuilder):
        self._builder = builder
        self._kinds: dict[str, str] = {}  # root name -> kind
        self._origins: dict[str, set[tuple[str, bool]]] = {}  # local -> (path, keeps the rest)
        self._modules = {i.asname or i.module.split(".")[0] for i in builder.imports if not i.is_from}
        self._parameters(node)
        assignments = list(self._assignments(node))
        # Names first, then `obj.attr = value` / `obj[key] = value` on the names bound.
        for target, value, new in assignments:
            for name in self._names(target):
                self._bind(name, value, new)
        for target, value, _ in assignments:
            root = self._mutated(target)
            if root in self._origins:
                self._origins[root].update((p, False) for p in self._raw_paths(value))

    # ---- what names are ---------------------------------------------------------
    def _parameters(self, node: ast.AsyncFunctionDef) -> None:
        """Kinds of the parameters; `self` and `cls` are objects of unknown type like any
        parameter without annotation or default."""
        args = node.args
        positional = args.posonlyargs + args.args
        defaults: dict[str, ast.expr | None] = dict(zip((a.arg for a in positional[len(positional) - len(args.defaults) :]), args.defaults))
        defaults.update(zip((a.arg for a in args.kwonlyargs), args.kw_defaults))
        for arg in positional + args.kwonlyargs:
            kind = self._annotation_kind(arg.annotation) or self._default_kind(defaults.get(arg.arg))
            self._kinds[arg.arg] = kind or OBJECT
        for arg in (args.vararg, args.kwarg):
            if arg is not None:
                self._kinds[arg.arg] = OBJECT
        for name in self._kinds:
            self._origins[name] = {(name, True)}

    def _annotation_kind(self, node: ast.expr | None) -> str | None:
        """DATA or SAFE when the annotation says so, OBJECT for other types, None without one."""
        if node is None:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                node = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                return OBJECT
        if isinstance(node, ast.Constant) and node.value is None:
            return DATA
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return self._union_kind([node.left, node.right])
        if isinstance(node, ast.Subscript):
            outer = self._builder.value(node.value).rsplit(".", 1)[-1]
            members = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
            if outer == "Annotated":
                return self._annotation_kind(members[0])
            if outer in _UNIONS:
                return self._union_kind(members)
            return DATA if outer in _DATA_GENERICS else OBJECT
        return self._type_kind(self._builder.value(node))

    def _union_kind(self, members: list[ast.expr]) -> str:
        kinds = {self._annotation_kind(m) for m in members if not (isinstance(m, ast.Constant) and m.value is None)}
        return kinds.pop() if len(kinds) == 1 else OBJECT

    @staticmethod
    def _type_kind(name: str) -> str:
        return DATA if name in DATA_TYPES else SAFE if name in SAFE_TYPES else OBJECT

    def _default_kind(self, node: ast.expr | None) -> str | None:
        if isinstance(node, ast.Constant):
            return None if node.value is None else DATA
        if isinstance(node, ast.Call) and self._builder.value(node.func).rsplit(".", 1)[-1] in _DATA_MARKERS:
            return DATA
        return None  # `Depends(get_db)` and anything else: unknown

    def _built_kind(self, value: ast.expr) -> str:
        """What a local assigned from `value` holds when `value` makes a new value."""
        if isinstance(value, ast.Await):
            value = value.value
        if isinstance(value, _DATA_EXPRS):
            return DATA
        if isinstance(value, ast.Call):
            made = self._builder.value(value.func)
            return DATA if made in DATA_TYPES else SAFE if made in SAFE_FACTORIES else OBJECT
        return OBJECT

    # ---- data flow --------------------------------------------------------------
    @staticmethod
    def _walk(node: ast.AST) -> Iterator[ast.AST]:
        """The function's own nodes; nested functions, lambdas and classes without their insides."""
        stack = list(ast.iter_child_nodes(node))
        while stack:
            child = stack.pop()
            yield child
            if not isinstance(child, _SCOPES):
                stack.extend(ast.iter_child_nodes(child))

    def _assignments(self, node: ast.AsyncFunctionDef) -> Iterator[tuple[ast.expr, ast.expr, bool]]:
        """(target, value, value is a new object) for every binding in the body."""
        for child in self._walk(node):
            if isinstance(child, ast.Assign):
                for target in child.targets:
                    yield target, child.value, self._is_new(child.value)
            elif isinstance(child, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)) and child.value is not None:
                yield child.target, child.value, self._is_new(child.value)
            elif isinstance(child, (ast.For, ast.AsyncFor, ast.comprehension)):
                yield child.target, child.iter, False
            elif isinstance(child, (ast.With, ast.AsyncWith)):
                for item in child.items:
                    if item.optional_vars is not None:
                        yield item.optional_vars, item.context_expr, self._is_new(item.context_expr)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield ast.Name(id=child.name), child, True  # a closure reaches what its body reads

    @staticmethod
    def _is_new(value: ast.expr) -> bool:
        """A call or a computed scalar makes a new value; anything else reaches what it reads."""
        inner = value.value if isinstance(value, ast.Await) else value
        return isinstance(inner, (ast.Call, *_DATA_EXPRS))

    @staticmethod
    def _names(target: ast.expr) -> list[str]:
        """Names a target binds (`a`, `a, *b`); none for `obj.attr` or `obj[key]`."""
        if isinstance(target, ast.Starred):
            target = target.value
        if isinstance(target, ast.Name):
            return [target.id]
        if isinstance(target, (ast.Tuple, ast.List)):
            return [n for elt in target.elts for n in FunctionFlow._names(elt)]
        return []

    @staticmethod
    def _mutated(target: ast.expr) -> str:
        """`obj` for `obj.attr = …` or `obj[key] = …`: obj now reaches the value."""
        if not isinstance(target, (ast.Attribute, ast.Subscript)):
            return ""
        root = target
        while isinstance(root, (ast.Attribute, ast.Subscript)):
            root = root.value
        return root.id if isinstance(root, ast.Name) else ""

    def _bind(self, name: str, value: ast.expr, new: bool) -> None:
        origins = self._origins.setdefault(name, set())
        if new:
            kind = self._built_kind(value)
            # Several bindings of one name: the least known kind wins.
            previous = self._kinds.get(name, kind)
            self._kinds[name] = kind if previous == kind else OBJECT
            origins.add((name, True))
            origins.update((p, False) for p in self._raw_paths(value))
        else:
            origins.update((p, True) for p in self._raw_paths(value))

    def _raw_paths(self, node: ast.AST) -> Iterator[str]:
        """Dotted paths read by an expression, as written (a call's method name dropped)."""
        if isinstance(node, ast.Call):
            func = dotted_name(node.func)
            if func is not None:
                receiver = func.rpartition(".")[0]
                if receiver:
                    yield receiver
                children: list[ast.AST] = [*node.args, *node.keywords]
            else:
                children = list(ast.iter_child_nodes(node))
            for child in children:
                yield from self._raw_paths(child)
            return
        if isinstance(node, (ast.Name, ast.Attribute)):
            path = dotted_name(node)
            if path is not None:
                yield path
                return
        for child in ast.iter_child_nodes(node):
            yield from self._raw_paths(child)

    def _resolve(self, path: str, seen: frozenset[str] = frozenset()) -> set[str]:
        """A written path as paths from parameters, new objects and globals."""
        root, _, rest = path.partition(".")
        origins = self._origins.get(root)
        if origins is None or root in seen:
            return {path}
        found: set[str] = set()  # stays empty for a value built from nothing shared
        for origin, keeps_rest in origins:
            if origin == root:
                found.add(path)
            else:
                found |= self._resolve(_join(origin, rest) if keeps_rest else origin, seen | {root})
        return found

    def reached(self, call: ast.Call) -> frozenset[str]:
        """Every path the awaited call can reach through its receiver and arguments."""
        return frozenset(p for raw in self._raw_paths(call) for p in self._resolve(raw))

    def kind(self, path: str) -> str:
        """The kind of a resolved path (its root is a parameter, a new object or a global).

        An attribute of a module-level object is not GLOBAL: it may be a per-request value
        behind a property (`db.session` of fastapi-async-sqlalchemy reads a context var)."""
        root, _, rest = path.partition(".")
        kind = self._kinds.get(root)
        if kind is None:
            return GLOBAL if not rest or root in self._modules else OBJECT
        if kind == DATA or (kind == SAFE and rest.partition(".")[0] in _REQUEST_DATA):
            return DATA
        return SAFE if kind == SAFE and not rest else OBJECT

    def is_module(self, path: str) -> bool:
        """`crud` in `crud.get_user`: an imported module, not an object with state."""
        return path in self._modules and path not in self._origins

    def share_an_object(self, first: frozenset[str], second: frozenset[str]) -> bool:
        """Both reach one object not known to allow concurrent use: the same path, one
        inside the other, or two attributes of one object of unknown type (`uow.users`
        and `uow.orders`, `self.users` and `self.orders` may wrap one session)."""
        for a in first:
            for b in second:
                if _within(a, b) or _within(b, a):
                    if self.kind(max(a, b, key=len)) == OBJECT:
                        return True
                elif a.partition(".")[0] == b.partition(".")[0] and self.kind(a.partition(".")[0]) == OBJECT:
                    return True
        return False

    def receiver_kind(self, receiver: str) -> str:
        """SAFE for a client made for concurrent calls, by parameter, local or module-level
        binding (`http = httpx.AsyncClient()`); the path's kind otherwise."""
        resolved = self._resolve(receiver)
        if len(resolved) != 1:
            return OBJECT
        path = resolved.pop()
        kind = self.kind(path)
        if kind == GLOBAL and "." not in path:
            value = self._builder.lookup(path)
            return SAFE if value.endswith("()") and value[:-2] in SAFE_FACTORIES else GLOBAL
        return kind

