"""A text block whose updates repaint only itself unless its height changes."""

from __future__ import annotations

from textual.geometry import Size
from textual.visual import VisualType
from textual.widgets import Static


class Block(Static):
    """`Static` for pane content that changes as the cursor moves.

    `Static.update` always asks for a layout, and a layout reflows and repaints the whole
    screen (tens of milliseconds next to a 10,000-row table); most new findings' text has
    the height of the last one's, so `set` repaints just this block when it can.
    """

    def set(self, content: VisualType, lines: int | None = None) -> None:
        """Show `content`, reflowing the screen only when the block's height changes.

        `lines` is the content's height when the caller knows it (unwrapped code), which
        saves rendering it once just to measure it.
        """
        width, height = self.content_size
        self.update(content, layout=False)
        if not width or not self.display:
            self.refresh(layout=True)  # not laid out yet: nothing to compare with
            return
        if lines is None:
            lines = self.get_content_height(Size(0, 0), Size(0, 0), width)
        if lines != height:
            self.refresh(layout=True)
