"""AD401: a client built per request -> one client from the lifespan (the guide's pattern).

The lifespan creates one `httpx.AsyncClient` with an explicit timeout and
`httpx.Limits`, stores it on `app.state` and closes it on shutdown; the handler takes it
from `request.app.state` (a `request: Request` parameter is added when missing) and no
longer closes it. Only what can be rewritten in the one file is: the app and its
lifespan must be in the handler's file, the client an `httpx.AsyncClient` made by
`async with ... as name:` or `name = ...`. Anything else is refused with the pattern as
advice, since a wrong guess here changes a client's lifetime.
"""

from __future__ import annotations

import libcst as cst

from asyncdoc_tui.fixes.cst import FixContext, dotted, with_imports
from asyncdoc_tui.fixes.pattern_offers import HTTP_KINDS
from asyncdoc_tui.fixes.proposal import FixRefused
from asyncdoc_tui.rules.entrypoints import APP_TYPES
from asyncdoc_tui.scan.facts_model import CallFact

ADVICE = """create one client for the whole app in the lifespan and reuse it:

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.http = httpx.AsyncClient(
            timeout=httpx.Timeout(10.0),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        )
        yield
        await app.state.http.aclose()

    app = FastAPI(lifespan=lifespan)

    @app.get("/rates")
    async def rates(request: Request):
        response = await request.app.state.http.get(RATES_URL)"""
LINE_ROOM = 60  # what fits after `    app.state.http = ` in 88 columns
DEFAULT_TIMEOUT = "httpx.Timeout(10.0)"
DEFAULT_LIMITS = "httpx.Limits(max_connections=100, max_keepalive_connections=20)"
_REQUEST_TYPES = ("Request",)
REQUEST_NAMES = frozenset({"fastapi.Request", "fastapi.requests.Request", "starlette.requests.Request"})
CONTEXT_NAMES = frozenset({"contextlib.asynccontextmanager"})


def _refuse(why: str) -> FixRefused:
    return FixRefused(f"{why}; {ADVICE}")


def rewrite(ctx: FixContext) -> tuple[str, str]:
    extras = ctx.finding.extras
    if extras.get("client_type") != "httpx.AsyncClient":
        raise _refuse("only an httpx.AsyncClient can be moved automatically")
    if extras.get("entry", {}).get("kind") not in HTTP_KINDS:
        raise _refuse("the client is not built in an HTTP route, dependency or middleware")
    app_call = _app_call(ctx)
    call = ctx.target_call()
    function = ctx.require_await_allowed(call)
    attr = _state_attribute(call)
    request_type = _spelling(ctx, REQUEST_NAMES, "fastapi.Request")
    new_function = _handler(ctx, function, call, attr, request_type)
    module = ctx.module.deep_replace(function, new_function)
    module, notes = _lifespan(ctx, module, app_call, call, attr)
    imports = [("httpx", None)]
    imports += [(name.partition(".")[0], None) for name in (request_type, _spelling(ctx, CONTEXT_NAMES, "contextlib.asynccontextmanager")) if name.endswith(f".{name.rpartition('.')[2]}") and "." in name]
    return with_imports(module, add=[i for i in imports if _used(module, i[0])]).code, notes  # type: ignore[arg-type]


def _spelling(ctx: FixContext, names: frozenset[str], fallback: str) -> str:
    """How this file already names a thing (`Request` after `from fastapi import
    Request`), else its dotted name, whose module then gets a plain import."""
    for local, value in ctx.facts.bindings:
        if value in names:
            return local
    return fallback


def _used(module: cst.Module, root: str) -> bool:
    return f"{root}." in module.code


def _app_call(ctx: FixContext) -> CallFact:
    """The module-level `app = FastAPI(...)` of the handler's file."""
    index = ctx.project.index
    for call in ctx.facts.calls:
        if call.function is None and call.sink.startswith("name:") and index.resolve(call.callee).name in APP_TYPES:
            return call
    raise _refuse("the FastAPI app is not created in this file")


def _state_attribute(call: cst.Call) -> str:
    """`app.state.<attr>`: `http` for a constructor, the helper's name for a factory."""
    name = dotted(call.func) or ""
    return "http" if name.endswith("AsyncClient") else name.rpartition(".")[2]


def _state_value(request: str, attr: str) -> cst.BaseExpression:
    return cst.parse_expression(f"{request}.app.state.{attr}")


def _handler(ctx: FixContext, function: cst.FunctionDef, call: cst.Call, attr: str, request_type: str) -> cst.FunctionDef:
    """The handler taking the shared client (with a `request` parameter added if missing)."""
    request, added = _request_param(function)
    parent = ctx.parent(call)
    if isinstance(parent, cst.WithItem):
        statement = ctx.parent(parent)
        if not isinstance(statement, cst.With) or len(statement.items) != 1 or not isinstance(parent.asname, cst.AsName):
            raise _refuse("the `with` statement holds more than the client")
        target = parent.asname.name
        if not isinstance(target, cst.Name) or not isinstance(statement.body, cst.IndentedBlock):
            raise _refuse("the client is not bound to a plain name")
        bind = cst.SimpleStatementLine(
            body=[cst.Assign(targets=[cst.AssignTarget(target=target)], value=_state_value(request, attr))],
            leading_lines=statement.leading_lines,
        )
        replacement: list[cst.BaseStatement] = [bind, *statement.body.body]
        new = _replace_statement(function, statement, replacement)
        name = target.value
    elif isinstance(parent, cst.Assign) and parent.value is call and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name):
        name = parent.targets[0].target.value
        new = function.deep_replace(parent, parent.with_changes(value=_state_value(request, attr)))
        new = new.visit(_DropClose(name))  # type: ignore[assignment]
    else:
        raise _refuse("the client is neither `async with ... as name` nor `name = ...`")
    if added:
        params = new.params  # type: ignore[union-attr]
        param = cst.Param(name=cst.Name(request), annotation=cst.Annotation(cst.parse_expression(request_type)))
        new = new.with_changes(params=params.with_changes(params=[param, *params.params]))  # type: ignore[union-attr]
    return new  # type: ignore[return-value]


def _request_param(function: cst.FunctionDef) -> tuple[str, bool]:
    """The name of the handler's `Request` parameter, or `request` to be added."""
    for param in (*function.params.posonly_params, *function.params.params, *function.params.kwonly_params):
        annotation = dotted(param.annotation.annotation) if param.annotation else None
        if annotation and annotation.rpartition(".")[2] in _REQUEST_TYPES:
            return param.name.value, False
        if param.name.value == "request" and param.annotation is None:
            return "request", False
    return "request", True


def _replace_statement(function: cst.FunctionDef, old: cst.BaseStatement, new: list[cst.BaseStatement]) -> cst.FunctionDef:
    class Replace(cst.CSTTransformer):
        def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
            if isinstance(updated, cst.IndentedBlock) and any(s is old for s in original.body):  # type: ignore[attr-defined]
                body: list[cst.BaseStatement] = []
                for before, after in zip(original.body, updated.body):  # type: ignore[attr-defined]
                    body.extend(new if before is old else [after])
                return updated.with_changes(body=body)
            return updated

    return function.visit(Replace())  # type: ignore[return-value]


class _DropClose(cst.CSTTransformer):
    """Remove `await name.aclose()`: the shared client is closed by the lifespan."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):  # type: ignore[no-untyped-def]
        value = updated.body[0].value if len(updated.body) == 1 and isinstance(updated.body[0], cst.Expr) else None
        awaited = value.expression if isinstance(value, cst.Await) else None
        if isinstance(awaited, cst.Call) and dotted(awaited.func) == f"{self.name}.aclose":
            return cst.RemoveFromParent()
        return updated


def _client_code(ctx: FixContext, call: cst.Call) -> tuple[str, str]:
    """The lifespan's construction: the handler's arguments plus an explicit timeout and
    limits (a factory's call is reused as written)."""
    code = ctx.module.code_for_node(call)
    if not (dotted(call.func) or "").endswith("AsyncClient"):
        return code, "The lifespan calls the same factory; make sure it sets a timeout and httpx.Limits."
    keywords = {arg.keyword.value for arg in call.args if arg.keyword is not None}
    extra = [f"timeout={DEFAULT_TIMEOUT}"] if "timeout" not in keywords else []
    extra += [f"limits={DEFAULT_LIMITS}"] if "limits" not in keywords else []
    args = [ctx.module.code_for_node(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT)) for arg in call.args] + extra
    one_line = f"httpx.AsyncClient({', '.join(args)})"
    if len(one_line) > LINE_ROOM:  # continuation lines relative to the statement
        one_line = "httpx.AsyncClient(\n" + "".join(f"    {arg},\n" for arg in args) + ")"
    return one_line, "Review the timeout and connection limits chosen for the shared client."


def _lifespan(ctx: FixContext, module: cst.Module, app_call: CallFact, call: cst.Call, attr: str) -> tuple[cst.Module, str]:
    """Create the client in the app's lifespan (adding the lifespan when there is none)."""
    client, notes = _client_code(ctx, call)
    kwargs = dict(app_call.kwargs)
    at = _statement_index(ctx, app_call.line)
    app_statement = module.body[at]
    if not isinstance(app_statement, cst.SimpleStatementLine):
        raise _refuse("cannot find the statement that creates the app")
    if "lifespan" not in kwargs:
        if any(name == "lifespan" for name, _ in ctx.facts.bindings):
            raise _refuse("the name `lifespan` is already used in this file")
        app_type = app_call.text
        code = (
            f"@{_spelling(ctx, CONTEXT_NAMES, 'contextlib.asynccontextmanager')}\n"
            f"async def lifespan(app: {app_type}):\n"
            f"    app.state.{attr} = {client.replace(chr(10), chr(10) + '    ')}\n"
            "    yield\n"
            f"    await app.state.{attr}.aclose()\n"
        )
        definition = cst.parse_module(code, config=module.config_for_parsing).body[0]
        blank = [cst.EmptyLine(), cst.EmptyLine()]
        comments = [line for line in app_statement.leading_lines if line.comment is not None]
        body = list(module.body)
        new_app = _with_lifespan_argument(app_statement).with_changes(leading_lines=blank + comments)
        body[at : at + 1] = [definition.with_changes(leading_lines=blank), new_app]
        return module.with_changes(body=body), notes
    return _extend_lifespan(ctx, module, kwargs["lifespan"], client, attr), notes


def _statement_index(ctx: FixContext, line: int) -> int:
    """Index in the module body of the top-level statement starting at `line` (indices
    survive the handler's rewrite, node identities do not)."""
    for index, statement in enumerate(ctx.module.body):
        where = ctx.positions.get(statement)
        if where is not None and where.start.line == line:
            return index
    raise _refuse("cannot find the statement that creates the app")


def _with_lifespan_argument(statement: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
    """`app = FastAPI(...)` with `lifespan=lifespan` added to the outer call."""
    assign = statement.body[0]
    if not isinstance(assign, cst.Assign) or not isinstance(assign.value, cst.Call):
        raise _refuse("the app is not created by a plain `app = FastAPI(...)`")
    args = list(assign.value.args)
    if args:
        args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    equal = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
    args.append(cst.Arg(keyword=cst.Name("lifespan"), value=cst.Name("lifespan"), equal=equal))
    return statement.with_changes(body=[assign.with_changes(value=assign.value.with_changes(args=args))])


def _extend_lifespan(ctx: FixContext, module: cst.Module, lifespan: str, client: str, attr: str) -> cst.Module:
    """Insert the client around the `yield` of an existing lifespan in this file."""
    name = lifespan.rpartition(".")[2]
    definition = next((s for s in module.body if isinstance(s, cst.FunctionDef) and s.name.value == name), None)
    if definition is None or definition.asynchronous is None or not isinstance(definition.body, cst.IndentedBlock):
        raise _refuse(f"the lifespan `{lifespan}` is not an `async def` in this file")
    params = definition.params.params
    app = params[0].name.value if params else "app"
    code = ctx.module.code_for_node(definition)
    if f"{app}.state.{attr} =" in code:
        return module  # a client of that name is already shared
    body = list(definition.body.body)
    at = next((i for i, s in enumerate(body) if _is_yield(s)), None)
    if at is None:
        raise _refuse("the lifespan has no top-level `yield` to put the client around")
    config = module.config_for_parsing
    create = cst.parse_statement(f"{app}.state.{attr} = {client}\n", config=config)
    close = cst.parse_statement(f"await {app}.state.{attr}.aclose()\n", config=config)
    body[at : at + 1] = [create, body[at], close]
    return module.deep_replace(definition, definition.with_changes(body=definition.body.with_changes(body=body)))  # type: ignore[return-value]


def _is_yield(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.Yield)
    )
