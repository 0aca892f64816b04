"""Files the scan could not read or parse, with the reason, so nothing is silently missed."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from asyncdoc_tui.model import SkippedFile


def skipped_text(skipped: list[SkippedFile]) -> Text:
    """Each skipped file with its reason (the side panel, and the all-failed state)."""
    text = Text(f"Skipped files ({len(skipped)})\n", style="bold yellow")
    for item in skipped:
        text.append(f"{item.path}\n", style="underline")
        text.append(f"  {item.reason}\n", style="dim")
    return text


def nothing_analysed_text(problem: str, skipped: list[SkippedFile]) -> Text:
    """What the detail pane shows instead of a blank when the scan saw no code: the
    side panel is hidden on narrow terminals, so the files are listed here too."""
    text = Text.assemble(("Nothing was analysed\n", "bold red"), f"{problem[:1].upper()}{problem[1:]}.\n\n")
    if skipped:
        text.append_text(skipped_text(skipped))
    return text


class SkippedPanel(Static):
    """Hidden while every file scanned fine."""

    def show(self, skipped: list[SkippedFile]) -> None:
        self.display = bool(skipped)
        self.update(skipped_text(skipped))
