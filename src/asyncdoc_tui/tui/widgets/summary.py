"""The top bar: project name, counts by severity, scan state and a progress bar."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from asyncdoc_tui.model import Severity
from asyncdoc_tui.tui.widgets.findings_table import SEVERITY_STYLE


class SummaryBar(Horizontal):
    """`asyncdoc · shop   3 errors 1 warning 0 info · 4 files · scanning ▕███  ▏ 2 skipped`.

    The skipped count has a cell of its own at the right end, so it shows at every width
    (the side panel listing the files is hidden on narrow terminals).
    """

    def __init__(self, project: str, note: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.project = project
        self.note = note

    def compose(self) -> ComposeResult:
        yield Static(id="summary-text")
        yield ProgressBar(total=None, show_eta=False, id="summary-progress")
        yield Static(id="summary-skipped")

    def update_summary(
        self,
        counts: dict[Severity, int],
        files: int,
        state: str,
        shown: int,
        filters: str,
        watching: bool,
        skipped: int = 0,
        analysed_nothing: bool = False,
    ) -> None:
        """Redraw the bar; `analysed_nothing` replaces the counts, which would read as clean."""
        text = Text.assemble(("asyncdoc", "bold"), " · ", (self.project, "bold underline"))
        if self.note:
            text.append(f" ({self.note})", style="dim")
        text.append("  ")
        if analysed_nothing:
            text.append("nothing analysed ", style="bold red")
        else:
            for severity in Severity:
                n = counts.get(severity, 0)
                label = severity.value + ("s" if n != 1 and severity is not Severity.INFO else "")
                text.append(f"{n} {label}", style=SEVERITY_STYLE[severity] if n else "dim")
                text.append(" ")
        text.append(f"· {files} files · {state}")
        if watching:
            text.append(" · watching", style="bold green")
        if filters:
            text.append(f" · showing {shown} ({filters})", style="italic")
        self.query_one("#summary-text", Static).update(text)
        cell = self.query_one("#summary-skipped", Static)
        cell.display = bool(skipped)
        cell.update(Text(f" {skipped} skipped", style="bold yellow"))

    def progress(self, done: int, total: int) -> None:
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=max(total, 1), progress=done)

    def finish(self) -> None:
        self.query_one(ProgressBar).display = False
