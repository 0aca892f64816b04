"""Diff pane: the selected finding's fix as a coloured unified diff, marked safe or unsafe,
with the other fixes for the same finding listed to switch between (`v`).
"""

from __future__ import annotations

from rich.console import Group
from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll

from asyncdoc_tui.fixes.proposal import FixProposal
from asyncdoc_tui.model import FixRef
from asyncdoc_tui.tui.widgets.block import Block

SAFE_BADGE = (" SAFE ", "bold black on green")
UNSAFE_BADGE = (" UNSAFE · review ", "bold white on dark_red")


def variants_line(refs: tuple[FixRef, ...], index: int) -> Text:
    """`fixes: [asyncio-sleep] · to-thread · run-in-executor  (v: next)` (ids are short)."""
    text = Text("fixes: ", style="dim")
    for i, ref in enumerate(refs):
        if i:
            text.append(" · ", style="dim")
        marker = "✓" if ref.safe else "!"
        label = f"{ref.id} {marker}"
        text.append(f"[{label}]" if i == index else label, style="bold reverse" if i == index else "")
    if len(refs) > 1:
        text.append("  (v: next)", style="dim")
    return text


class DiffPane(VerticalScroll):
    """Shows one of: nothing to fix, computing, a proposal, or why the fix cannot be made."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.can_focus = True

    def compose(self) -> ComposeResult:
        yield Block(id="diff-head")
        yield Block(id="diff-body")

    def _set(self, head: Text | Group, body: Text | Syntax | Group) -> None:
        self.query_one("#diff-head", Block).set(head)
        self.query_one("#diff-body", Block).set(body)
        self.scroll_home(animate=False)

    def show_message(self, message: str, refs: tuple[FixRef, ...] = (), index: int = 0) -> None:
        head = variants_line(refs, index) if refs else Text("")
        self._set(head, Text(message, style="dim"))

    def show_pending(self, refs: tuple[FixRef, ...] = (), index: int = 0) -> None:
        """"Computing the fix…" in the space the last fix took: the pane keeps its layout
        (a layout repaints the whole screen) until the new fix arrives, often as tall."""
        head_lines = self.query_one("#diff-head", Block).content_size.height
        body_lines = self.query_one("#diff-body", Block).content_size.height
        head = variants_line(refs, index) if refs else Text("")
        head.append("\n" * max(head_lines - 1, 0))
        self._set(head, Text("Computing the fix…" + "\n" * max(body_lines - 1, 0), style="dim"))

    def show_proposal(self, proposal: FixProposal, refs: tuple[FixRef, ...], index: int) -> None:
        badge = SAFE_BADGE if proposal.safe else UNSAFE_BADGE
        head = Group(
            Text.assemble(badge, " ", (proposal.title, "bold")),
            variants_line(refs, index),
            Text("a: apply   A: all safe fixes in this file", style="dim"),
        )
        parts: list[Text | Syntax] = []
        if proposal.notes:
            parts.append(Text(f"Review: {proposal.notes}", style="yellow"))
        parts.append(Syntax(proposal.diff.rstrip("\n") or "(no change)", "diff", theme="monokai", word_wrap=False))
        self._set(head, Group(*parts))

    def show_refusal(self, reason: str, refs: tuple[FixRef, ...], index: int) -> None:
        head = Group(Text.assemble((" CANNOT FIX ", "bold white on dark_red")), variants_line(refs, index))
        self._set(head, Text(reason, style="yellow"))
