"""FactsBuilder.segment gives what `ast.get_source_segment` gives, from lines split once."""

from __future__ import annotations

import ast

from asyncdoc_tui.scan.facts import FactsBuilder

SOURCE = """\
name = "žluťoučký kůň"
async def handler(client):
    (user,
     orders) = await client.get("/ü", params={"q": "é"})
    async with lock_for("ñ") as held:
        return [user, orders, held]
"""


def test_segment_matches_ast_for_every_expression() -> None:
    tree = ast.parse(SOURCE)
    builder = FactsBuilder(tree, SOURCE, "app.py", "app", False, "")
    nodes = [n for n in ast.walk(tree) if isinstance(n, (ast.expr, ast.stmt))]
    assert len(nodes) > 20
    for node in nodes:
        assert builder.segment(node) == ast.get_source_segment(SOURCE, node)
