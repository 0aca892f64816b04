"""Turn one parsed module into FileFacts in a single pass over its syntax tree.

Name resolution is local and lexical: imports, definitions, assignments from calls,
annotations and `with ... as` targets bind names; a name bound nowhere is taken as the
module of that name (`subprocess.run` with no import). Function bodies are visited after
the enclosing scope's own statements, so a function sees module names bound later in the
file, as it would at run time.
"""

from __future__ import annotations

import ast
import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from asyncdoc_tui.scan.context_calls import ENTER_CONTEXT, entered_context, with_item_calls
from asyncdoc_tui.scan.facts_model import (
    GUARD_MAIN,
    GUARD_NONE,
    GUARD_TRY_IMPORT_ERROR,
    GUARD_TYPE_CHECKING,
    GUARD_TYPE_CHECKING_ELSE,
    UNKNOWN,
    CallFact,
    ClassFact,
    DecoratorFact,
    FileFacts,
    FunctionFact,
    ImportFact,
    NameUse,
    OperationFact,
    ParamFact,
    span,
)
from asyncdoc_tui.scan.iteration_calls import CONSUMERS, comprehension_calls, consumed, iterated, unpacked
from asyncdoc_tui.scan.operation_sites import (
    MEASURES,
    accessor_suffix,
    attribute_access,
    measured,
    membership,
    receiver_reads,
    subscript,
)

_FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_COMPREHENSIONS = frozenset({ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp})
# Non-statement, non-expression nodes whose children are walked.
_WALKED = (ast.excepthandler, ast.comprehension, ast.keyword, ast.withitem, ast.match_case, ast.arguments, ast.pattern)
_PARTIAL = ("functools.partial",)
# Offload APIs return what the callable they run returns (`fh = await asyncio.to_thread(open,
# p)` is a file object like `open(p)`), by the callable's position among the arguments.
_OFFLOAD_RESULT = {
    "asyncio.to_thread": 0,
    "anyio.to_thread.run_sync": 0,
    "starlette.concurrency.run_in_threadpool": 0,
    "fastapi.concurrency.run_in_threadpool": 0,
}
_NOQA = re.compile(r"#\s*noqa\b(?::\s*(?P<codes>[A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*))?", re.IGNORECASE)
_IGNORE = re.compile(r"#\s*asyncdoc:\s*ignore\b(?:\[(?P<codes>[A-Za-z0-9,\s]+)\])?", re.IGNORECASE)

# Tree passes registered by rule modules that need more than the shared facts
# (e.g. data flow between consecutive awaits). Each takes the tree and the facts being
# built and returns a picklable value stored in `FileFacts.extra[name]`.
TreePass = Callable[[ast.Module, "FactsBuilder"], object]
TREE_PASSES: dict[str, TreePass] = {}


@dataclass
class _Scope:
    kind: str  # "module" | "class" | "function"
    qualname: str  # "" for the module
    bindings: dict[str, str] = field(default_factory=dict)
    is_async: bool = False
    class_qual: str | None = None  # for a class scope: its dotted name
    self_attrs: dict[str, str] = field(default_factory=dict)  # class scope: `self.x = ...` in its methods
    owner: _Scope | None = None  # method scope: the class scope it belongs to
    self_name: str | None = None  # method scope: the name of its `self` parameter
    is_generator: bool = False  # function scope: a `yield` in its own body


_LEAF_FIELDS = frozenset({"ctx", "op", "ops"})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(kind: type) -> tuple[str, ...]:
    """Fields of a node type that can hold statements or expressions (cached per type)."""
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = _CHILD_FIELDS[kind] = tuple(f for f in kind._fields if f not in _LEAF_FIELDS)
    return fields


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def source_lines(source: str) -> list[str]:
    """Lines as Python numbers them: `str.splitlines` also breaks at form feeds and
    other separators, which would shift every later line number."""
    if "\r" not in source:  # nearly every file: a plain split is several times faster
        return source.split("\n")
    return _LINE_BREAK.split(source)


def parse_suppressions(source: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """`# noqa`, `# noqa: AD101,ASYNC251`, `# asyncdoc: ignore[AD101]` by line ("*" = all)."""
    if "noqa" not in source and "asyncdoc" not in source:
        return ()
    found: list[tuple[int, tuple[str, ...]]] = []
    for number, text in enumerate(source_lines(source), start=1):
        if "#" not in text:
            continue
        for pattern in (_NOQA, _IGNORE):
            match = pattern.search(text)
            if match:
                codes = match.group("codes")
                found.append(
                    (number, tuple(sorted(c.upper() for c in re.split(r"[\s,]+", codes) if c)) if codes else ("*",))
                )
                break
    return tuple(found)


def resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str:
    """Absolute module for `from .target import ...` seen in `module`."""
    if level == 0:
        return target or ""
    parts = module.split(".") if module else []
    if not is_package:
        parts = parts[:-1]
    if level - 1 > len(parts):
        return ""
    base = parts[: len(parts) - (level - 1)]
    if target:
        base.append(target)
    return ".".join(base)


def _attribute_chain(node: ast.expr) -> tuple[ast.expr, list[str]]:
    """The root of `a.b.c` and the attribute names after it, in written order."""
    attrs: list[str] = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    attrs.reverse()
    return node, attrs


def dotted_name(node: ast.expr) -> str | None:
    """`a.b.c` for a plain dotted name, None for anything else (`f().x`, `a[0].y`)."""
    root, attrs = _attribute_chain(node)
    return ".".join([root.id, *attrs]) if isinstance(root, ast.Name) else None


def _dotted_text(node: ast.expr) -> str:
    """A dotted expression as written, calls shown as `f()` and other roots as `…`."""
    root, attrs = _attribute_chain(node)
    if isinstance(root, ast.Name):
        head = root.id
    elif isinstance(root, ast.Call):
        head = _dotted_text(root.func) + "()"
    else:
        head = "…"
    return ".".join([head, *attrs])


def _is_main_check(test: ast.expr) -> bool:
    """`if __name__ == "__main__":` (its body never runs when the module is imported)."""
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Eq)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    return False


def _catches_import_error(handlers: list[ast.ExceptHandler]) -> bool:
    names = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
    for handler in handlers:
        kinds = handler.type
        if kinds is None:
            return True
        elts = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds]
        if any(isinstance(e, ast.Name) and e.id in names for e in elts):
            return True
    return False


class FactsBuilder:
    """Walks one module and accumulates its facts; `build()` returns the FileFacts."""

    def __init__(self, tree: ast.Module, source: str, path: str, module: str, is_package: bool, digest: str):
        self.tree = tree
        self.source = source
        self.path = path
        self.module = module
        self.is_package = is_package
        self.digest = digest
        self.imports: list[ImportFact] = []
        self.calls: list[CallFact] = []
        self.operations: list[OperationFact] = []
        self.functions: list[FunctionFact] = []
        self.classes: list[ClassFact] = []
        self.events: list[tuple[str, str, int]] = []
        self.uses: dict[str, set[str]] = {}
        self.future_annotations = False
        self._scopes: list[_Scope] = [_Scope("module", "")]
        self._deferred: list[deque[Callable[[], None]]] = [deque()]
        self._guard = GUARD_NONE
        self._loop_depth = 0
        self._raising = 0  # inside a `raise` statement: calls build the exception
        self._func: _Scope | None = None
        self._returns: list[str] | None = None
        self._awaits = 0
        self._annotation_ctx: str | None = None  # "annotation" | "class_annotation:<q>"
        self._lines = source_lines(source)
        # One object per distinct call string in this file: pickle writes each once, so
        # the facts cross from worker processes smaller and unpickle faster.
        self._strings: dict[str, str] = {}
        self.share: Callable[[str, str], str] = self._strings.setdefault

    # ---- entry -----------------------------------------------------------------
    def build(self) -> FileFacts:
        self._block(self.tree.body)
        self._run_deferred()
        module_scope = self._scopes[0]
        extra = {name: run(self.tree, self) for name, run in TREE_PASSES.items()}
        return FileFacts(
            path=self.path,
            module=self.module,
            is_package=self.is_package,
            digest=self.digest,
            imports=tuple(self.imports),
            calls=tuple(self.calls),
            operations=tuple(self.operations),
            functions=tuple(self.functions),
            classes=tuple(self.classes),
            bindings=tuple(sorted(module_scope.bindings.items())),
            events=tuple(self.events),
            name_uses=tuple(NameUse(n, tuple(sorted(k))) for n, k in sorted(self.uses.items())),
            future_annotations=self.future_annotations,
            suppressions=parse_suppressions(self.source),
            lines=len(self._lines) - (self._lines[-1] == ""),
            extra=extra,
        )

    def _run_deferred(self) -> None:
        pending = self._deferred[-1]
        while pending:
            pending.popleft()()

    # ---- scopes and names ------------------------------------------------------
    @property
    def scope(self) -> _Scope:
        return self._scopes[-1]

    def qualify(self, name: str) -> str:
        """Qualname for a definition named `name` in the current scope."""
        scope = self.scope
        if scope.kind == "module":
            return name
        if scope.kind == "class":
            return f"{scope.qualname}.{name}"
        return f"{scope.qualname}.<locals>.{name}"

    def _dotted(self, qualname: str) -> str:
        return f"{self.module}.{qualname}" if self.module else qualname

    def bind(self, name: str, value: str, line: int = 0) -> None:
        self.scope.bindings[name] = value
        if len(self._scopes) == 1 and line:
            self.events.append(("bind", name, line))

    def lookup(self, name: str, record: bool = False) -> str:
        """Value expression a name refers to here (innermost scope first, classes skipped).

        `record` notes a use of a module-level name (for import-cycle advice); only the
        walk over the code records, not the evaluation of bindings.
        """
        innermost = True
        for scope in reversed(self._scopes):
            if scope.kind == "class" and not innermost:
                continue
            innermost = False
            if name in scope.bindings:
                value = scope.bindings[name]
                if record and scope.kind == "module":
                    self._record_use(name)
                return value
        return name

    def _record_use(self, name: str) -> None:
        if self._annotation_ctx is not None:
            kind = self._annotation_ctx
        elif self._func is not None:
            kind = f"function:{self._func.qualname}"
        else:
            kind = "module"
        self.uses.setdefault(name, set()).add(kind)

    # ---- expressions -----------------------------------------------------------
    def value(self, node: ast.expr | None) -> str:
        """Value expression for `node` (see facts_model)."""
        if isinstance(node, ast.Name):
            return self.lookup(node.id)
        if isinstance(node, ast.Attribute):
            base = self.value(node.value)
            return UNKNOWN if base == UNKNOWN else f"{base}.{node.attr}"
        if isinstance(node, ast.Call):
            func = self.value(node.func)
            if func == UNKNOWN:
                return UNKNOWN
            if func in _PARTIAL and node.args:
                return self.value(node.args[0])
            position = 1 if func.endswith(".run_in_executor") else _OFFLOAD_RESULT.get(func)  # (executor, callable, ...)
            if position is not None:
                target = self.value(node.args[position]) if len(node.args) > position else UNKNOWN
                return UNKNOWN if target == UNKNOWN else f"{target}()"
            return f"{func}()"
        if isinstance(node, ast.Await):
            return self.value(node.value)
        if isinstance(node, ast.NamedExpr):
            return self.value(node.value)
        return UNKNOWN

    def annotation_value(self, node: ast.expr | None) -> str | None:
        """Instance expression for an annotation: `T` -> `T()`, `Optional[T]`/`T | None` too."""
        if node is None:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                node = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                return None
            return self._annotation_type(node)
        return self._annotation_type(node)

    def _annotation_type(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            for side in (node.left, node.right):
                if not (isinstance(side, ast.Constant) and side.value is None):
                    return self._annotation_type(side)
            return None
        if isinstance(node, ast.Subscript):
            outer = self.value(node.value)
            if outer.rsplit(".", 1)[-1] in ("Optional", "Annotated") or outer == "typing.Optional":
                inner = node.slice
                if isinstance(inner, ast.Tuple) and inner.elts:
                    inner = inner.elts[0]
                return self._annotation_type(inner)
            return None
        if isinstance(node, (ast.Name, ast.Attribute)):
            base = self.value(node)
            return None if base == UNKNOWN else f"{base}()"
        return None

    def render(self, node: ast.expr) -> str:
        """Argument rendering: constants as literals, nested calls with their arguments."""
        if isinstance(node, ast.Constant):
            return repr(node.value)
        if isinstance(node, ast.Call):
            func = self.value(node.func)
            parts = [self.render(a) for a in node.args]
            parts += [f"{k.arg}={self.render(k.value)}" if k.arg else "**" for k in node.keywords]
            return f"{func}({', '.join(parts)})"
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return "[" + ", ".join(self.render(e) for e in node.elts) + "]"
        if isinstance(node, ast.Lambda):
            return "<lambda>"
        return self.value(node)

    # ---- statements ------------------------------------------------------------
    def _block(self, body: Iterable[ast.stmt]) -> None:
        for stmt in body:
            self._stmt(stmt)

    def _stmt(self, node: ast.stmt) -> None:
        handler = _STMT_HANDLERS.get(type(node))
        if handler is not None:
            handler(self, node)
        else:
            self._generic(node)

    def _generic(self, node: ast.AST) -> None:
        for name in _child_fields(type(node)):
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, ast.AST):
                        self._child(item)
            elif isinstance(value, ast.AST):
                self._child(value)

    def _child(self, child: ast.AST) -> None:
        if isinstance(child, ast.expr):
            self._expr(child)
        elif isinstance(child, ast.stmt):
            self._stmt(child)
        elif isinstance(child, _WALKED):
            self._generic(child)

    def _expr(self, node: ast.expr, awaited: bool = False, sink: str = "") -> None:
        kind = type(node)
        # The most frequent node types first, without the generic field walk.
        if kind is ast.Name:
            if type(node.ctx) is ast.Load:
                self.lookup(node.id, record=True)
        elif kind is ast.Attribute:
            if self._func is not None:
                attribute_access(self, node, self._func.qualname)
            self._expr(node.value)
        elif kind is ast.Constant:
            return
        elif kind is ast.Call:
            self._call(node, awaited, sink)
        elif kind is ast.Await:
            self._awaits += 1
            self._expr(node.value, awaited=True, sink="await-" + sink if sink else "")
        elif kind is ast.Lambda:
            self._lambda(node)
        elif kind in _COMPREHENSIONS:
            comprehension_calls(self, node)
            self._loop_depth += 1
            self._generic(node)
            self._loop_depth -= 1
        elif kind is ast.Yield or kind is ast.YieldFrom:
            if self._func is not None:
                self._func.is_generator = True
            if kind is ast.YieldFrom:
                iterated(self, node.value)
            self._generic(node)
        elif kind is ast.Subscript:
            if self._func is not None and self._annotation_ctx is None:
                subscript(self, node, self._func.qualname)
            self._generic(node)
        elif kind is ast.Compare:
            if self._func is not None:
                membership(self, node, self._func.qualname)
            self._generic(node)
        elif kind is ast.Starred:
            if type(node.ctx) is ast.Load:
                iterated(self, node.value)
            self._expr(node.value)
        elif kind is ast.NamedExpr:
            self._expr(node.value)
            self.bind(node.target.id, self.value(node.value))
        else:
            self._generic(node)

    def _callee(self, func: ast.expr) -> tuple[str, str, bool]:
        """(value expression, text as written, walked) of a called expression.

        A dotted name is walked here once, noting the use of its root name as `_expr`
        would (`walked`); anything else is left to `_expr`.
        """
        attrs: list[str] = []
        node = func
        while type(node) is ast.Attribute:
            attrs.append(node.attr)
            node = node.value
        if type(node) is not ast.Name:
            return self.value(func), _dotted_text(func), False
        attrs.reverse()
        root = self.lookup(node.id, record=True) if type(node.ctx) is ast.Load else self.lookup(node.id)
        text = ".".join([node.id, *attrs]) if attrs else node.id
        if root == UNKNOWN or not attrs:
            return root, text, True
        if root == node.id:  # one string for both, which pickles once
            return text, text, True
        return ".".join([root, *attrs]), text, True

    def _call(self, node: ast.Call, awaited: bool, sink: str) -> None:
        callee, text, walked = self._callee(node.func)
        if self._raising and not sink:
            sink = "raise"
        scope = self._func
        render = self.render
        share = self.share
        self.calls.append(
            CallFact(
                share(callee, callee),
                share(text, text),
                *span(node),
                scope.qualname if scope else None,
                bool(scope and scope.is_async),
                awaited,
                self._loop_depth > 0,
                tuple([share(r, r) for r in map(render, node.args)]) if node.args else (),
                tuple([(k.arg or "**", render(k.value)) for k in node.keywords]) if node.keywords else (),
                share(sink, sink),
            )
        )
        if callee in CONSUMERS:
            consumed(self, node, callee)
        elif callee.endswith(ENTER_CONTEXT):
            entered_context(self, node)
        elif callee in MEASURES and scope is not None:
            measured(self, node, callee, scope.qualname)
        if not walked:
            self._expr(node.func)
        elif scope is not None and type(node.func) is ast.Attribute:
            receiver_reads(self, node.func, scope.qualname)
        for arg in node.args:
            self._expr(arg)
        for kw in node.keywords:
            self._expr(kw.value)

    def implicit_call(self, kind: str, at: ast.expr, receiver: ast.expr, method: str, prefix: str = "") -> None:
        """Note a call Python makes without a call expression (see edge_kinds): `method`
        of the value of `receiver`, run by the expression `at` (its text, after `prefix`,
        names it in messages), in a function (module level is not analysed), when that
        value is known."""
        scope = self._func
        if scope is None:
            return
        value = self.value(receiver)
        if value == UNKNOWN:
            return
        callee = f"{value}.{method}"
        text = prefix + self.short_text(at)
        share = self.share
        self.calls.append(
            CallFact(
                share(callee, callee),
                share(text, text),
                *span(at),
                scope.qualname,
                scope.is_async,
                False,
                self._loop_depth > 0,
                (),
                (),
                "",
                kind,
            )
        )

    def short_text(self, node: ast.expr) -> str:
        """An expression as written, for messages: one line of at most 60 characters
        (`FileLock(path)`, else `FileLock()`)."""
        text = self.segment(node)
        if "\n" not in text and len(text) <= 60:
            return text
        return _dotted_text(node) if isinstance(node, (ast.Name, ast.Attribute, ast.Call)) else "…"

    def _lambda(self, node: ast.Lambda) -> None:
        saved = (self._func, self._loop_depth, self._returns, self._awaits)
        scope = _Scope("function", self.qualify("<lambda>"))
        for arg in node.args.args + node.args.kwonlyargs + node.args.posonlyargs:
            scope.bindings[arg.arg] = UNKNOWN
        self._scopes.append(scope)
        self._func, self._loop_depth, self._returns = scope, 0, None
        self._expr(node.body)
        self._scopes.pop()
        self._func, self._loop_depth, self._returns, self._awaits = saved

    def _assign_targets(self, targets: list[ast.expr], value_node: ast.expr, line: int) -> None:
        value = self.value(value_node)
        for target in targets:
            if isinstance(target, ast.Name):
                self.bind(target.id, value, line)
            elif isinstance(target, ast.Attribute):
                self._expr(target)
                self._self_attribute(target, value)
            elif isinstance(target, (ast.Tuple, ast.List)):
                for elt in ast.walk(target):
                    if isinstance(elt, ast.Name):
                        self.bind(elt.id, UNKNOWN, line)
            else:
                self._expr(target)

    def s_assign(self, node: ast.Assign) -> None:
        # Evaluate the value first (Python order), then bind targets.
        self._expr(node.value, sink=self._sink_for(node.targets))
        unpacked(self, node.targets, node.value)
        self._assign_targets(node.targets, node.value, node.lineno)

    @staticmethod
    def _sink_for(targets: list[ast.expr]) -> str:
        target = targets[0]
        if isinstance(target, ast.Name):
            return f"name:{target.id}"
        if isinstance(target, ast.Attribute):
            return f"attr:{_dotted_text(target)}"
        return ""

    def s_annassign(self, node: ast.AnnAssign) -> None:
        self._annotation(node.annotation)
        if node.value is not None:
            self._expr(node.value, sink=self._sink_for([node.target]))
        value = self.value(node.value) if node.value is not None else UNKNOWN
        if value == UNKNOWN:
            value = self.annotation_value(node.annotation) or UNKNOWN
        if isinstance(node.target, ast.Name):
            self.bind(node.target.id, value, node.lineno if node.value is not None or self.scope.kind != "module" else 0)
        else:
            self._expr(node.target)
            if isinstance(node.target, ast.Attribute):
                self._self_attribute(node.target, value)

    def _self_attribute(self, target: ast.Attribute, value: str) -> None:
        """Note `self.x = value` written directly in a method, for the class's attributes."""
        func = self._func
        if (
            func is not None
            and func.owner is not None
            and func is self.scope
            and isinstance(target.value, ast.Name)
            and target.value.id == func.self_name
        ):
            attrs = func.owner.self_attrs
            if value != UNKNOWN or target.attr not in attrs:
                attrs[target.attr] = value

    def s_augassign(self, node: ast.AugAssign) -> None:
        self._expr(node.value)
        if not isinstance(node.target, ast.Name):
            self._expr(node.target)

    def s_return(self, node: ast.Return) -> None:
        if node.value is not None:
            self._expr(node.value, sink="return")
            if self._returns is not None:
                self._returns.append(self.value(node.value))

    def s_expr(self, node: ast.Expr) -> None:
        self._expr(node.value)

    def s_for(self, node: ast.For | ast.AsyncFor) -> None:
        if isinstance(node, ast.AsyncFor):
            self._awaits += 1
        self._expr(node.iter)
        if isinstance(node, ast.For):
            iterated(self, node.iter)
        for elt in ast.walk(node.target):
            if isinstance(elt, ast.Name):
                self.bind(elt.id, UNKNOWN, node.lineno)
        self._loop_depth += 1
        self._block(node.body)
        self._loop_depth -= 1
        self._block(node.orelse)

    def s_while(self, node: ast.While) -> None:
        self._loop_depth += 1
        self._expr(node.test)
        self._block(node.body)
        self._loop_depth -= 1
        self._block(node.orelse)

    def s_with(self, node: ast.With | ast.AsyncWith) -> None:
        if isinstance(node, ast.AsyncWith):
            self._awaits += 1
        for item in node.items:
            self._expr(item.context_expr, sink="with")
            if isinstance(node, ast.With):
                with_item_calls(self, item.context_expr)
            if isinstance(item.optional_vars, ast.Name):
                self.bind(item.optional_vars.id, self.value(item.context_expr), node.lineno)
            elif item.optional_vars is not None:
                for elt in ast.walk(item.optional_vars):
                    if isinstance(elt, ast.Name):
                        self.bind(elt.id, UNKNOWN, node.lineno)
        self._block(node.body)

    def s_if(self, node: ast.If) -> None:
        self._expr(node.test)
        if _is_type_checking(node.test):
            saved = self._guard
            self._guard = GUARD_TYPE_CHECKING
            self._block(node.body)
            self._guard = GUARD_TYPE_CHECKING_ELSE if saved == GUARD_NONE else saved
            self._block(node.orelse)
            self._guard = saved
            return
        if _is_main_check(node.test) and self._guard == GUARD_NONE:
            self._guard = GUARD_MAIN
            self._block(node.body)
            self._guard = GUARD_NONE
            self._block(node.orelse)
            return
        self._block(node.body)
        self._block(node.orelse)

    def s_try(self, node: ast.Try) -> None:
        saved = self._guard
        if saved == GUARD_NONE and _catches_import_error(node.handlers):
            self._guard = GUARD_TRY_IMPORT_ERROR
        self._block(node.body)
        self._guard = saved
        for handler in node.handlers:
            if handler.type is not None:
                self._expr(handler.type)
            if handler.name:
                self.bind(handler.name, UNKNOWN, handler.lineno)
            self._block(handler.body)
        self._block(node.orelse)
        self._block(node.finalbody)

    def s_import(self, node: ast.Import) -> None:
        text = self._text(node)
        for alias in node.names:
            self._add_import(node, alias.name, (), False, alias.asname, 0, text)
            if alias.asname:
                self.bind(alias.asname, alias.name, node.lineno)
            else:
                root = alias.name.split(".")[0]
                self.bind(root, root, node.lineno)

    def s_importfrom(self, node: ast.ImportFrom) -> None:
        if node.module == "__future__":
            if any(a.name == "annotations" for a in node.names):
                self.future_annotations = True
            return
        target = resolve_relative(self.module, self.is_package, node.level, node.module)
        names = tuple((a.name, a.asname) for a in node.names)
        self._add_import(node, target, names, True, None, node.level, self._text(node))
        for alias in node.names:
            if alias.name == "*":
                continue
            local = alias.asname or alias.name
            self.bind(local, f"{target}.{alias.name}" if target else UNKNOWN, node.lineno)

    def _add_import(self, node: ast.stmt, module: str, names: tuple, is_from: bool, asname: str | None, level: int, text: str) -> None:
        scope = self.scope.kind
        index = len(self.imports)
        self.imports.append(
            ImportFact(
                line=node.lineno,
                col=node.col_offset + 1,
                module=module,
                names=names,
                is_from=is_from,
                asname=asname,
                level=level,
                scope=scope,
                function=self._func.qualname if self._func else None,
                guard=self._guard,
                text=text,
            )
        )
        if self._func is None:  # module level or a class body: runs when the module is imported
            self.events.append(("import", str(index), node.lineno))

    def _text(self, node: ast.stmt) -> str:
        first = node.lineno - 1
        last = (node.end_lineno or node.lineno) - 1
        if first == last:
            return self._lines[first].strip() if first < len(self._lines) else ""
        return " ".join(line.strip() for line in self._lines[first : last + 1])

    def segment(self, node: ast.expr | ast.stmt) -> str:
        """A node's source text, as `ast.get_source_segment` gives it (lines joined with
        "\\n"), from the lines split once: that function re-splits the file on every call."""
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        if node.end_col_offset is None or last >= len(self._lines):
            return ""
        # Column offsets count UTF-8 bytes; ASCII lines (nearly all) slice as they are.
        parts = [line if line.isascii() else line.encode() for line in self._lines[first : last + 1]]
        parts[-1] = parts[-1][: node.end_col_offset]
        parts[0] = parts[0][node.col_offset :]
        return "\n".join(p if isinstance(p, str) else p.decode() for p in parts)

    # ---- definitions -----------------------------------------------------------
    def _annotation(self, node: ast.expr | None) -> None:
        if node is None:
            return
        saved = self._annotation_ctx
        scope = self.scope
        if scope.kind == "class":
            self._annotation_ctx = f"class_annotation:{scope.qualname}"
        else:
            self._annotation_ctx = "annotation"
        self._expr(node)
        self._annotation_ctx = saved

    def _decorators(self, nodes: list[ast.expr]) -> tuple[DecoratorFact, ...]:
        result = []
        for dec in nodes:
            self._expr(dec)
            if isinstance(dec, ast.Call):
                result.append(
                    DecoratorFact(
                        expr=self.value(dec.func),
                        called=True,
                        args=tuple(self.render(a) for a in dec.args),
                        kwargs=tuple((k.arg or "**", self.render(k.value)) for k in dec.keywords),
                        line=dec.lineno,
                    )
                )
            else:
                result.append(DecoratorFact(self.value(dec), False, (), (), dec.lineno))
        return tuple(result)

    def s_function(self, node: _FunctionNode) -> None:
        decorators = self._decorators(node.decorator_list)
        args = node.args
        all_args = args.posonlyargs + args.args + ([args.vararg] if args.vararg else []) + args.kwonlyargs + ([args.kwarg] if args.kwarg else [])
        defaults: dict[str, ast.expr] = {}
        positional = args.posonlyargs + args.args
        for arg, default in zip(positional[len(positional) - len(args.defaults) :], args.defaults):
            defaults[arg.arg] = default
        for arg, default in zip(args.kwonlyargs, args.kw_defaults):
            if default is not None:
                defaults[arg.arg] = default
        for default in defaults.values():
            self._expr(default)
        for arg in all_args:
            self._annotation(arg.annotation)
        self._annotation(node.returns)
        params = tuple(
            ParamFact(
                name=a.arg,
                annotation=self.annotation_value(a.annotation),
                default=self.render(defaults[a.arg]) if a.arg in defaults else None,
            )
            for a in all_args
        )
        qualname = self.qualify(node.name)
        outer = self.scope
        owner = outer if outer.kind == "class" else None
        self.bind(node.name, self._dotted(qualname), node.lineno)
        if owner is not None:
            qualname += accessor_suffix(node.name, decorators)
        self._deferred[-1].append(lambda: self._function_body(node, qualname, params, decorators, owner))

    def _function_body(
        self,
        node: _FunctionNode,
        qualname: str,
        params: tuple[ParamFact, ...],
        decorators: tuple[DecoratorFact, ...],
        owner: _Scope | None,
    ) -> None:
        scope = _Scope("function", qualname, is_async=isinstance(node, ast.AsyncFunctionDef), owner=owner)
        class_qual = owner.class_qual if owner else None
        decorator_names = {d.expr.rsplit(".", 1)[-1] for d in decorators if not d.called}
        for index, param in enumerate(params):
            value = param.annotation or UNKNOWN
            if index == 0 and class_qual and "staticmethod" not in decorator_names:
                value = class_qual if "classmethod" in decorator_names else f"{class_qual}()"
                scope.self_name = param.name
            scope.bindings[param.name] = value
        saved = (self._func, self._loop_depth, self._returns, self._awaits, self._guard)
        self._scopes.append(scope)
        self._deferred.append(deque())
        self._func, self._loop_depth, self._returns, self._awaits = scope, 0, [], 0
        self._guard = GUARD_NONE
        self._block(node.body)
        returns = tuple(self._returns or ())
        awaits = self._awaits
        self._run_deferred()
        self._deferred.pop()
        self._scopes.pop()
        self._func, self._loop_depth, self._returns, self._awaits, self._guard = saved
        self.functions.append(
            FunctionFact(
                qualname=qualname,
                name=node.name,
                is_async=scope.is_async,
                line=node.lineno,
                col=node.col_offset + 1,
                end_line=node.end_lineno or node.lineno,
                class_qualname=owner.qualname if owner else None,
                decorators=decorators,
                params=params,
                returns=returns,
                return_annotation=self.annotation_value(node.returns) if node.returns is not None else None,
                awaits=awaits,
                is_generator=scope.is_generator,
            )
        )

    def s_class(self, node: ast.ClassDef) -> None:
        decorators = self._decorators(node.decorator_list)
        for base in node.bases:
            self._expr(base)
        for kw in node.keywords:
            self._expr(kw.value)
        bases = tuple(self.value(b) for b in node.bases)
        qualname = self.qualify(node.name)
        dotted = self._dotted(qualname)
        scope = _Scope("class", qualname, class_qual=dotted)
        self._scopes.append(scope)
        self._block(node.body)
        attrs = dict(scope.bindings)
        methods = tuple(
            s.name for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
        )
        for name in methods:
            attrs.pop(name, None)
        self._scopes.pop()
        self.bind(node.name, dotted, node.lineno)  # as Python does: after the body has run

        def finish() -> None:
            """Runs after the method bodies (deferred before it), which collect `self.x`."""
            attrs.update(scope.self_attrs)
            self.classes.append(
                ClassFact(
                    qualname=qualname,
                    name=node.name,
                    line=node.lineno,
                    bases=bases,
                    attrs=tuple(sorted(attrs.items())),
                    methods=methods,
                    decorators=decorators,
                )
            )

        self._deferred[-1].append(finish)

    def s_global(self, node: ast.Global | ast.Nonlocal) -> None:
        return

    def s_raise(self, node: ast.Raise) -> None:
        """Calls that only build the exception being raised run on the error path; their
        facts say so (sink "raise")."""
        self._raising += 1
        try:
            self._generic(node)
        finally:
            self._raising -= 1

    def s_delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.scope.bindings.pop(target.id, None)
            else:
                self._expr(target)


_STMT_HANDLERS: dict[type, Callable[[FactsBuilder, ast.stmt], None]] = {
    ast.Assign: FactsBuilder.s_assign,
    ast.AnnAssign: FactsBuilder.s_annassign,
    ast.AugAssign: FactsBuilder.s_augassign,
    ast.Return: FactsBuilder.s_return,
    ast.Raise: FactsBuilder.s_raise,
    ast.Expr: FactsBuilder.s_expr,
    ast.For: FactsBuilder.s_for,
    ast.AsyncFor: FactsBuilder.s_for,
    ast.While: FactsBuilder.s_while,
    ast.With: FactsBuilder.s_with,
    ast.AsyncWith: FactsBuilder.s_with,
    ast.If: FactsBuilder.s_if,
    ast.Try: FactsBuilder.s_try,
    ast.TryStar: FactsBuilder.s_try,
    ast.Import: FactsBuilder.s_import,
    ast.ImportFrom: FactsBuilder.s_importfrom,
    ast.FunctionDef: FactsBuilder.s_function,
    ast.AsyncFunctionDef: FactsBuilder.s_function,
    ast.ClassDef: FactsBuilder.s_class,
    ast.Global: FactsBuilder.s_global,
    ast.Nonlocal: FactsBuilder.s_global,
    ast.Delete: FactsBuilder.s_delete,
    ast.Pass: lambda self, node: None,
    ast.Break: lambda self, node: None,
    ast.Continue: lambda self, node: None,
}


def extract(tree: ast.Module, source: str, path: str, module: str, is_package: bool, digest: str) -> FileFacts:
    """FileFacts for one parsed module."""
    return FactsBuilder(tree, source, path, module, is_package, digest).build()
