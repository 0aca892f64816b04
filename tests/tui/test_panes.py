"""Pane pieces that skip work on cursor moves must still show exactly what they are given."""

from __future__ import annotations

from pathlib import Path

from rich.syntax import Syntax
from textual.app import App, ComposeResult

from asyncdoc_tui.fixes.proposal import FixProposal
from asyncdoc_tui.model import Finding, Severity
from asyncdoc_tui.tui.widgets.block import Block
from asyncdoc_tui.tui.widgets.diff_pane import DiffPane
from asyncdoc_tui.tui.widgets.findings_table import FindingsTable


class BlockApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Block(id="block")
        yield Block("below", id="below")


def shown(block: Block) -> list[str]:
    return [strip.text.rstrip() for strip in block.render_lines(block.content_region.reset_offset)]


async def test_block_shows_new_text_of_the_same_height_and_resizes_for_other_heights() -> None:
    app = BlockApp()
    async with app.run_test(size=(40, 12)) as pilot:
        block = app.query_one("#block", Block)
        block.set("one\ntwo")
        await pilot.pause()
        assert block.size.height == 2

        block.set("three\nfour")  # same height: repainted in place
        await pilot.pause()
        assert shown(block) == ["three", "four"]

        block.set("a\nb\nc\nd")  # taller: the screen is laid out again
        await pilot.pause()
        assert block.size.height == 4
        assert app.query_one("#below").region.y == 4

        block.set("x")
        await pilot.pause()
        assert block.size.height == 1
        assert shown(block) == ["x"]


async def test_block_takes_the_height_of_code_from_its_line_count() -> None:
    app = BlockApp()
    async with app.run_test(size=(40, 12)) as pilot:
        block = app.query_one("#block", Block)
        code = Syntax("a = 1\nb = 2\nc = 3", "python")
        block.set(code, 3)
        await pilot.pause()
        assert block.size.height == 3
        assert [line.split()[-3:] for line in shown(block)] == [["a", "=", "1"], ["b", "=", "2"], ["c", "=", "3"]]


def proposal_for(diff: str) -> FixProposal:
    finding = Finding("AD101", Severity.ERROR, "x.py", 1, 1, 1, 14, "time.sleep blocks")
    return FixProposal("asyncio-sleep", "Replace with asyncio.sleep", True, finding, "x.py", Path("x.py"), "", "", diff, "", "")


class DiffApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DiffPane(id="diff")


async def test_pending_fix_keeps_the_diff_panes_height_and_says_so() -> None:
    app = DiffApp()
    async with app.run_test(size=(60, 20)) as pilot:
        pane = app.query_one(DiffPane)
        diff = "--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-time.sleep(1)\n+await asyncio.sleep(1)\n"
        pane.show_proposal(proposal_for(diff), (), 0)
        await pilot.pause()
        body = pane.query_one("#diff-body", Block)
        height = body.size.height

        pane.show_pending()
        await pilot.pause()
        assert body.size.height == height
        assert shown(body)[0] == "Computing the fix…"
        assert not any(shown(body)[1:])


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield FindingsTable(id="findings")

    def on_mount(self) -> None:
        findings = [Finding("AD101", Severity.ERROR, f"m{i:02}.py", 1, 1, 1, 5, f"finding {i}") for i in range(60)]
        self.query_one(FindingsTable).show(findings)


async def test_only_the_cursor_row_is_drawn_as_the_cursor_after_scrolling_moves() -> None:
    """Rows are cached with the cursor "elsewhere": moves that scroll must still draw the
    cursor on exactly the selected row."""
    app = TableApp()
    async with app.run_test(size=(80, 12)) as pilot:
        table = app.query_one(FindingsTable)
        await pilot.press(*["j"] * 25, "k", "k")
        await pilot.pause()
        cursor_bg = table.get_component_rich_style("datatable--cursor").bgcolor
        lines = table.render_lines(table.content_region.reset_offset)
        marked = [strip.text.split()[2] for strip in lines if any(seg.style and seg.style.bgcolor == cursor_bg for seg in strip)]
        assert table.cursor_row == 23
        assert marked == ["m23.py:1"]
