"""The findings table: one row per finding, built once and kept in place across updates.

Rows are keyed by `finding_key`, cells are cached per finding, and an update only removes,
adds or reorders what changed, so 10,000 rows cost nothing per keystroke.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from asyncdoc_tui.model import Finding, Severity
from asyncdoc_tui.tui.view import finding_key

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}

# (column key, label, fixed width or None for "fit the content")
COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("severity", "Severity", 8),
    ("code", "Code", 6),
    ("location", "Location", 28),
    ("message", "Message", None),
)

# Past this many removed rows, clearing and re-adding is cheaper than removing one by one.
_REBUILD_AFTER = 32


def row_cells(finding: Finding) -> tuple[Text, Text, Text, Text]:
    """The four cells of a finding's row."""
    dim = "dim" if finding.suppressed else ""
    message = finding.message + ("  (suppressed)" if finding.suppressed else "")
    return (
        Text(finding.severity.value, style=dim or SEVERITY_STYLE[finding.severity]),
        Text(finding.code, style=dim or "bold"),
        Text(f"{finding.path}:{finding.line}", style=dim, overflow="ellipsis", no_wrap=True),
        Text(message, style=dim, no_wrap=True),
    )


class FindingsTable(DataTable[Text]):
    """Sortable findings list; `show()` makes it display exactly the given findings."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._findings: dict[str, Finding] = {}
        self._cells: dict[str, tuple[Text, Text, Text, Text]] = {}

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(label, key=key, width=width)

    @property
    def current(self) -> Finding | None:
        """The finding under the cursor, if any."""
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return self._findings.get(key) if key is not None else None

    def finding(self, key: str) -> Finding | None:
        return self._findings.get(key)

    def show(self, findings: list[Finding], keep: str | None = None) -> None:
        """Display `findings` in this order; the cursor stays on `keep` when it is shown."""
        wanted = {finding_key(f): f for f in findings}
        gone = [key for key in self._findings if key not in wanted]
        old_index = self.cursor_row
        if len(gone) > _REBUILD_AFTER:
            self.clear()
            self._findings = {}
        else:
            for key in gone:
                self.remove_row(key)
                del self._findings[key]
        new = [key for key in wanted if key not in self._findings]
        for key in new:
            cells = self._cells.get(key)
            if cells is None:
                cells = self._cells[key] = row_cells(wanted[key])
            self.add_row(*cells, key=key)
            self._findings[key] = wanted[key]
        if len(self._cells) > 2 * len(wanted) + 1000:  # forget cells of long-gone findings
            self._cells = {key: cells for key, cells in self._cells.items() if key in wanted}
        if [row.key.value for row in self.ordered_rows] != list(wanted):
            # Each severity cell is a distinct cached object, so its id names the row.
            position = {id(self._cells[key][0]): index for index, key in enumerate(wanted)}
            self.sort("severity", key=lambda cell: position[id(cell)])
        self._place_cursor(keep, old_index)

    def _place_cursor(self, keep: str | None, old_index: int) -> None:
        if not self.row_count:
            return
        if keep is not None and keep in self._findings:
            self.move_cursor(row=self.get_row_index(keep), animate=False)
        else:
            self.move_cursor(row=min(old_index, self.row_count - 1), animate=False)

    def select(self, key: str) -> bool:
        """Move the cursor to the row of `key`; False when that finding is not shown."""
        try:
            index = self.get_row_index(key)
        except RowDoesNotExist:
            return False
        self.move_cursor(row=index, animate=False)
        return True
