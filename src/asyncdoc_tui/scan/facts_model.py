"""FileFacts: the picklable per-file product of one `ast` parse.

Project-wide analyses (blocking, transitive, cycles, patterns) read only these facts,
never syntax trees, so facts can be computed in worker processes and cached on disk.

Expressions are kept as *value expressions*: strings in a tiny language the project
resolver (`scan/resolve.py`) understands:

- a dotted name, resolved through this file's imports and bindings
  (`requests.get`, `app.db.engine`, `subprocess.run` for an unbound root name);
- `X()` for the result of calling X (`requests.Session()`, `app.db.make_engine()`);
  an annotation `x: T` binds `x` to `T()`;
- attributes after a call (`requests.Session().get`, `app.svc.Service().http`);
- `?` for a value whose origin is unknown (a plain local, a subscript, a literal).

Argument renderings (`CallFact.args`, decorator arguments, parameter defaults) also keep
the arguments of nested calls (`fastapi.Depends(app.deps.get_db)`) and show constants as
Python literals (`'/users/{id}'`).

Facts are named tuples rather than dataclasses: a Django scan builds ~100k of them in the
workers and unpickles them all in the main process (and from the cache on every warm
scan); a tuple is built 5× faster than a frozen dataclass and unpickles 2× faster.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import NamedTuple

from asyncdoc_tui.scan.edge_kinds import CALL

UNKNOWN = "?"


def span(node: ast.expr) -> tuple[int, int, int, int]:
    """(line, col, end line, end col) of a node as facts keep them: 1-based columns, the
    end exclusive like ast's."""
    return node.lineno, node.col_offset + 1, node.end_lineno or node.lineno, (node.end_col_offset or node.col_offset) + 1

# Import guards.
GUARD_NONE = ""
GUARD_TYPE_CHECKING = "type_checking"
GUARD_TYPE_CHECKING_ELSE = "type_checking_else"
GUARD_TRY_IMPORT_ERROR = "try_import_error"
GUARD_MAIN = "main"  # body of `if __name__ == "__main__":`, never run when imported


class ImportFact(NamedTuple):
    """One imported module of one import statement (`import a, b` gives two facts).

    `module` is the absolute target module (relative imports resolved against this
    file's package; empty when a relative import climbs above the top package).
    `names` holds `(name, asname)` pairs for `from module import name as asname`, and is
    empty for plain `import module [as asname]`.
    """

    line: int
    col: int
    module: str
    names: tuple[tuple[str, str | None], ...]
    is_from: bool
    asname: str | None
    level: int
    scope: str  # "module" | "class" | "function"
    function: str | None  # qualname of the enclosing function, if any
    guard: str
    text: str  # the statement's source, for evidence


class CallFact(NamedTuple):
    """One call, attributed to its innermost enclosing function: a call expression, or a
    call Python makes without one (`kind`, see edge_kinds), whose `callee` then names the
    method it runs (`app.locks.FileLock().__enter__`) and `text` the expression it runs on."""

    callee: str  # value expression of the called object
    text: str  # the callee as written (`r.get`, `time.sleep`)
    line: int
    col: int  # 1-based
    end_line: int
    end_col: int  # 1-based, exclusive like ast
    function: str | None  # qualname of the innermost function; None at module level
    in_async: bool  # innermost function is `async def`
    awaited: bool
    in_loop: bool  # inside a for/while/comprehension of the innermost function
    args: tuple[str, ...]  # rendered positional arguments
    kwargs: tuple[tuple[str, str], ...]  # rendered keyword arguments (`**x` as "**")
    sink: str  # where the result goes: "return", "await-return", "name:x", "attr:<text>", "with", "raise" (into an exception being raised), ""
    kind: str = CALL  # edge_kinds: CALL for a call expression, else the implicit call


class OperationFact(NamedTuple):
    """An attribute read or an operator in a function, on a receiver that is an instance
    (`X()` in its value expression): `obj.attr`, `k in obj`, `obj[k]`, `len(obj)`.

    It runs code only when `method` is a property getter or the dunder of a project
    class, so the call graph turns only those into call edges (see `operation_calls`);
    the rest cost no call fact. (Calls that catalog types can make blocking, `with` and
    iteration, are call facts.)"""

    kind: str  # edge_kinds: GET, CONTAINS, GETITEM, SETITEM, DELITEM, LEN, BOOL
    receiver: str  # value expression of `obj`
    method: str  # the attribute read, or the dunder the operator runs
    text: str  # the expression as written
    line: int
    col: int  # 1-based
    end_line: int
    end_col: int
    function: str  # qualname of the innermost function


class ParamFact(NamedTuple):
    name: str
    annotation: str | None  # value expression of the annotation's type, if resolvable
    default: str | None  # rendered default (keeps `fastapi.Depends(app.deps.get_db)`)


class DecoratorFact(NamedTuple):
    expr: str  # value expression of the decorator callee (without the call)
    called: bool  # `@app.get("/x")` is called; `@staticmethod` is not
    args: tuple[str, ...]
    kwargs: tuple[tuple[str, str], ...]
    line: int


class FunctionFact(NamedTuple):
    qualname: str  # `load`, `Service.fetch`, `outer.<locals>.inner`
    name: str
    is_async: bool
    line: int
    col: int
    end_line: int
    class_qualname: str | None  # set for methods (functions directly in a class body)
    decorators: tuple[DecoratorFact, ...]
    params: tuple[ParamFact, ...]
    returns: tuple[str, ...]  # value expressions of `return` statements
    return_annotation: str | None
    awaits: int  # await / async for / async with in this function's own body
    is_generator: bool = False  # has `yield`: calling it runs nothing, iterating it runs the body


class ClassFact(NamedTuple):
    qualname: str
    name: str
    line: int
    bases: tuple[str, ...]  # value expressions
    attrs: tuple[tuple[str, str], ...]  # class-level and `self.x = ...` bindings
    methods: tuple[str, ...]  # method names
    decorators: tuple[DecoratorFact, ...]


class NameUse(NamedTuple):
    """How a module-level imported name is used in this file.

    `kinds` holds "annotation" (function signatures, local annotations),
    "class_annotation:<class qualname>" (class-body annotations, evaluated at runtime by
    Pydantic / SQLAlchemy / dataclasses), "function:<qualname>" (runtime use inside a
    function body) and "module" (runtime use at import time: module or class body,
    decorators, defaults, bases).
    """

    name: str
    kinds: tuple[str, ...]


class FileFacts(NamedTuple):
    """Everything the project analyses need to know about one source file."""

    path: str  # relative to the scan root, forward slashes
    module: str  # dotted module name (`app.services`; `app` for app/__init__.py)
    is_package: bool  # an `__init__.py`
    digest: str  # content hash the facts were computed from
    imports: tuple[ImportFact, ...] = ()
    calls: tuple[CallFact, ...] = ()
    operations: tuple[OperationFact, ...] = ()
    functions: tuple[FunctionFact, ...] = ()
    classes: tuple[ClassFact, ...] = ()
    bindings: tuple[tuple[str, str], ...] = ()  # module-level name -> value expression
    events: tuple[tuple[str, str, int], ...] = ()  # top-level ("bind"|"import", name|index, line) in order
    name_uses: tuple[NameUse, ...] = ()
    future_annotations: bool = False
    suppressions: tuple[tuple[int, tuple[str, ...]], ...] = ()  # line -> codes ("*" = all)
    lines: int = 0
    extra: Mapping[str, object] = {}  # per-file tree passes (patterns); never mutated

    def qualified(self, qualname: str) -> str:
        """The project-wide dotted name of a function or class of this file, as keys of
        `ProjectIndex.functions` (`app.services.Service.load` for `Service.load`)."""
        return f"{self.module}.{qualname}" if self.module else qualname
