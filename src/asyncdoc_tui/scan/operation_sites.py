"""Attribute accesses and operators that may run project code: `obj.attr` (a property's
getter, or its setter and deleter on assignment and `del`), `k in obj`, `obj[k]` (get,
set, delete), `len(obj)`, `bool(obj)`, noted in a function when the receiver's value is
an instance (`self`, an annotated parameter, a constructed or returned object). Module and class attributes, unknown receivers,
dunder attributes and annotations are left out. Which ones are calls is decided
project-wide (`operation_calls`).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from asyncdoc_tui.scan.edge_kinds import BOOL, CONTAINS, DEL, DELITEM, GET, GETITEM, LEN, SET, SETITEM
from asyncdoc_tui.scan.facts_model import DecoratorFact, OperationFact, span

if TYPE_CHECKING:
    from asyncdoc_tui.scan.facts import FactsBuilder

# Builtins that call one dunder of their argument.
MEASURES = {"len": (LEN, "__len__"), "bool": (BOOL, "__bool__")}
_SUBSCRIPT = {ast.Load: (GETITEM, "__getitem__"), ast.Store: (SETITEM, "__setitem__"), ast.Del: (DELITEM, "__delitem__")}
_ATTRIBUTE = {ast.Load: GET, ast.Store: SET, ast.Del: DEL}
# A property's setter and deleter share its name; their qualnames get a suffix
# (`Account.balance.<setter>`) so their bodies are not taken for the getter's.
ACCESSORS = {SET: "setter", DEL: "deleter"}


def accessor_suffix(name: str, decorators: tuple[DecoratorFact, ...]) -> str:
    """".<setter>" for `@name.setter` (".<deleter>" for `@name.deleter`), else ""."""
    for decorator in decorators:
        owner, _, kind = decorator.expr.rpartition(".")
        if not decorator.called and kind in ACCESSORS.values() and owner.rpartition(".")[2] == name:
            return f".<{kind}>"
    return ""


def _note(builder: FactsBuilder, kind: str, at: ast.expr, receiver: ast.expr, method: str, function: str) -> None:
    """Keep the operation when `receiver` is an instance (its value has a call in it)."""
    value = builder.value(receiver)
    if "()" not in value:
        return
    share = builder.share
    text = builder.short_text(at)
    builder.operations.append(
        OperationFact(
            kind,
            share(value, value),
            share(method, method),
            share(text, text),
            *span(at),
            function,
        )
    )


def attribute_access(builder: FactsBuilder, node: ast.Attribute, function: str) -> None:
    """`obj.attr` read, assigned or deleted in `function`."""
    if not node.attr.startswith("__"):
        _note(builder, _ATTRIBUTE[type(node.ctx)], node, node.value, node.attr, function)


def receiver_reads(builder: FactsBuilder, method: ast.Attribute, function: str) -> None:
    """The attribute reads inside the receiver of a dotted method call (`self.db` in
    `self.db.query()`), which the walk over the call does not visit as expressions."""
    node = method.value
    while type(node) is ast.Attribute:
        attribute_access(builder, node, function)
        node = node.value


def subscript(builder: FactsBuilder, node: ast.Subscript, function: str) -> None:
    """`obj[k]` read, assigned or deleted in `function`."""
    kind, method = _SUBSCRIPT[type(node.ctx)]
    _note(builder, kind, node, node.value, method, function)


def membership(builder: FactsBuilder, node: ast.Compare, function: str) -> None:
    """`k in obj` / `k not in obj` in `function` (each `in` of a chained comparison)."""
    for op, right in zip(node.ops, node.comparators):
        if type(op) is ast.In or type(op) is ast.NotIn:
            _note(builder, CONTAINS, node, right, "__contains__", function)


def measured(builder: FactsBuilder, call: ast.Call, builtin: str, function: str) -> None:
    """`len(obj)` / `bool(obj)` in `function`."""
    if len(call.args) == 1 and not isinstance(call.args[0], ast.Starred):
        kind, method = MEASURES[builtin]
        _note(builder, kind, call, call.args[0], method, function)
