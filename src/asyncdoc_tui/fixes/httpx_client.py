"""AD102: `requests.<verb>(...)` -> `async with httpx.AsyncClient() as client:
resp = await client.<verb>(...)`, mapping arguments whose name or meaning differs and
refusing, with the reason, what has no faithful httpx form.

Responses are read in full by `client.<verb>()`, so using the response after the
`async with` block (which closes the client) works as with requests.
"""

from __future__ import annotations

import libcst as cst

from asyncdoc_tui.fixes.cst import (
    FixContext,
    drop_import_if_unused,
    ensure_import,
)
from asyncdoc_tui.fixes.proposal import FixRefused

# Positional parameters of requests' module functions after `url`.
_POSITIONAL = {
    "get": ("url", "params"),
    "options": ("url",),
    "head": ("url",),
    "delete": ("url",),
    "post": ("url", "data", "json"),
    "put": ("url", "data"),
    "patch": ("url", "data"),
    "request": ("method", "url"),
}
_PASS_THROUGH = frozenset({"params", "headers", "cookies", "json", "files", "timeout", "auth"})
_BODY = frozenset({"data", "content", "json", "files"})
_UNMAPPABLE = {
    "cert": "httpx 0.28 takes client certificates through an `ssl.SSLContext` on the client",
    "proxies": "httpx takes one `proxy=` or per-scheme `mounts=` on the client",
    "stream": "streamed responses need `async with client.stream(...)` and async iteration",
    "hooks": "httpx event hooks are set on the client and have other signatures",
}


def _keyword(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(keyword=cst.Name(name), value=value, equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))


def _named_arguments(call: cst.Call, verb: str) -> list[tuple[str, cst.BaseExpression]]:
    names = _POSITIONAL[verb]
    result: list[tuple[str, cst.BaseExpression]] = []
    position = 0
    for arg in call.args:
        if arg.star:
            raise FixRefused(f"cannot map `{arg.star}` arguments to httpx; spell the arguments out first")
        if arg.keyword is None:
            if position >= len(names):
                raise FixRefused(f"requests.{verb}() takes at most {len(names)} positional arguments here")
            result.append((names[position], arg.value))
            position += 1
        else:
            result.append((arg.keyword.value, arg.value))
    return result


def _is_literal_text(value: cst.BaseExpression) -> bool:
    return isinstance(value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))


def _map(verb: str, named: list[tuple[str, cst.BaseExpression]]) -> tuple[list[cst.Arg], list[cst.Arg], list[str], str]:
    """(request arguments, client arguments, notes, httpx method to call)."""
    args: list[cst.Arg] = []
    client_args: list[cst.Arg] = []
    notes: list[str] = []
    given = {name for name, _ in named}
    method = verb
    for name, value in named:
        if name in ("method", "url"):
            args.append(cst.Arg(value=value))
        elif name in _UNMAPPABLE:
            raise FixRefused(f"cannot map requests argument `{name}`: {_UNMAPPABLE[name]}")
        elif name == "allow_redirects":
            args.append(_keyword("follow_redirects", value))
        elif name == "verify":
            client_args.append(_keyword("verify", value))
        elif name == "data":
            if isinstance(value, (cst.Dict, cst.DictComp)):
                args.append(_keyword("data", value))
            elif _is_literal_text(value):
                args.append(_keyword("content", value))
            else:
                raise FixRefused(
                    "cannot tell whether `data` is a form dict (httpx `data=`) or a raw body (httpx `content=`); "
                    "write a dict or a string literal, or convert by hand"
                )
        elif name == "timeout" and isinstance(value, cst.Tuple):
            if len(value.elements) != 2 or any(isinstance(e, cst.StarredElement) for e in value.elements):
                raise FixRefused("cannot map a `timeout` tuple that is not (connect, read)")
            connect, read = (e.value for e in value.elements)
            timeout = cst.Call(func=cst.parse_expression("httpx.Timeout"), args=[cst.Arg(value=read), _keyword("connect", connect)])
            args.append(_keyword("timeout", timeout))
        elif name == "auth":
            if isinstance(value, cst.Call):
                raise FixRefused("cannot map a requests auth object; httpx takes a (user, password) tuple or an httpx.Auth")
            if not isinstance(value, cst.Tuple):
                notes.append("`auth` must be a (user, password) tuple or an `httpx.Auth` instance.")
            args.append(_keyword("auth", value))
        elif name in _PASS_THROUGH:
            args.append(_keyword(name, value))
        else:
            raise FixRefused(f"cannot map requests argument `{name}`")
    if "allow_redirects" not in given and verb != "head":
        args.append(_keyword("follow_redirects", cst.Name("True")))  # requests follows by default, httpx does not
    if "timeout" not in given:
        notes.append("httpx applies a 5 s timeout by default where requests waited without limit; pass `timeout=` to choose.")
    if verb in ("get", "head", "options", "delete") and given & _BODY:
        # httpx's get/head/options/delete take no body; `request` does.
        method = "request"
        args.insert(0, cst.Arg(value=cst.SimpleString(f'"{verb.upper()}"')))
    return args, client_args, notes, method


def _statement(ctx: FixContext, call: cst.Call) -> cst.SimpleStatementLine:
    """The one-statement line holding the call (wrapped whole in `async with`)."""
    for ancestor in ctx.ancestors(call):
        if isinstance(ancestor, cst.SimpleStatementLine):
            if len(ancestor.body) != 1:
                raise FixRefused("the call shares its line with other statements; split the line first")
            return ancestor
        if isinstance(ancestor, cst.BaseCompoundStatement):
            raise FixRefused(f"the call is in the header of a `{type(ancestor).__name__.lower()}` statement; assign the response first")
    raise FixRefused("cannot find the statement holding the call")


def _free_name(function: cst.FunctionDef) -> str:
    used: set[str] = set()

    class _Names(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            used.add(node.value)

    function.visit(_Names())
    for candidate in ("client", "http_client", *(f"http_client{i}" for i in range(2, 100))):
        if candidate not in used:
            return candidate
    raise FixRefused("no free name for the client")


def rewrite(ctx: FixContext) -> tuple[str, str]:
    call = ctx.target_call()
    function = ctx.require_await_allowed(call)
    verb = ctx.project.index.resolve(ctx.call.callee).name.rpartition(".")[2] if ctx.call else ""
    if verb not in _POSITIONAL:
        raise FixRefused(f"`{verb}` is not a requests module function")
    args, client_args, notes, method = _map(verb, _named_arguments(call, verb))
    statement = _statement(ctx, call)
    name = _free_name(function)
    new_call = cst.Call(func=cst.Attribute(value=cst.Name(name), attr=cst.Name(method)), args=args)
    inner = statement.deep_replace(call, ctx.awaited(call, new_call))
    block = cst.With(
        asynchronous=cst.Asynchronous(),
        items=[
            cst.WithItem(
                item=cst.Call(func=cst.parse_expression("httpx.AsyncClient"), args=client_args),
                asname=cst.AsName(name=cst.Name(name)),
            )
        ],
        body=cst.IndentedBlock(body=[inner.with_changes(leading_lines=())]),
        leading_lines=statement.leading_lines,
    )
    module = ctx.replace(statement, block)
    root = ctx.imported_root(call.func)
    module = ensure_import(module, "httpx")
    if root:
        module = drop_import_if_unused(module, root)
    notes.append("This opens a client per call; share one `httpx.AsyncClient` (e.g. created in the app's lifespan) when it runs often.")
    return module.code, " ".join(notes)
