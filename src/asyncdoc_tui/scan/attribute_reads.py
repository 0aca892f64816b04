"""Attribute reads that may run a property getter: `obj.attr` loaded in a function, on a
receiver whose value is an instance (`self`, an annotated parameter, a constructed or
returned object). Module and class attributes, unknown receivers and dunders are left
out. Which reads are property calls is decided project-wide (`property_calls`).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from asyncdoc_tui.scan.facts_model import AttributeRead

if TYPE_CHECKING:
    from asyncdoc_tui.scan.facts import FactsBuilder


def attribute_read(builder: FactsBuilder, node: ast.Attribute, function: str) -> None:
    """Note `node`, an attribute loaded in `function`, when its receiver is an instance."""
    if node.attr.startswith("__"):
        return
    receiver = builder.value(node.value)
    if "()" not in receiver:
        return
    share = builder.share
    text = builder.short_text(node)
    builder.reads.append(
        AttributeRead(
            share(receiver, receiver),
            share(text, text),
            node.lineno,
            node.col_offset + 1,
            node.end_lineno or node.lineno,
            (node.end_col_offset or node.col_offset) + 1,
            function,
        )
    )
