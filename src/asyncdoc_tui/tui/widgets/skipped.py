"""Files the scan could not read or parse, with the reason, so nothing is silently missed."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from asyncdoc_tui.model import SkippedFile


class SkippedPanel(Static):
    """Hidden while every file scanned fine."""

    def show(self, skipped: list[SkippedFile]) -> None:
        self.display = bool(skipped)
        text = Text(f"Skipped files ({len(skipped)})\n", style="bold yellow")
        for item in skipped:
            text.append(f"{item.path}\n", style="underline")
            text.append(f"  {item.reason}\n", style="dim")
        self.update(text)
