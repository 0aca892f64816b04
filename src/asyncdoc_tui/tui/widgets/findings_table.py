"""The findings table: one row per finding, built once and kept in place across updates.

Rows are keyed by `finding_key`, cells are cached per finding, and an update only removes,
adds or reorders what changed, so 10,000 rows cost nothing per keystroke.
"""

from __future__ import annotations

import gc
from functools import partial
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist, RowKey

from asyncdoc_tui.model import Finding, Severity
from asyncdoc_tui.tui.view import finding_key

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}

# (column key, label, width): fixed widths, so no cell ever needs measuring
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("severity", "Severity", 8),
    ("code", "Code", 6),
    ("location", "Location", 28),
    ("message", "Message", 100),
)

# Rows are added this many at a time; the first batch is on screen at once.
FILL_BATCH = 400

# Stands in for the cursor and the mouse when they are on another row (no row has index -2).
_ELSEWHERE = Coordinate(-2, -2)

# Past this many removed rows, clearing and re-adding is cheaper than removing one by one.
_REBUILD_AFTER = 32


def row_cells(finding: Finding, confirmed_s: float | None = None) -> tuple[Text, Text, Text, Text]:
    """The four cells of a finding's row; `confirmed_s`: a live run saw the served app's loop
    stall that long on it (playground `--serve`), shown as `AD101✓` and in the message."""
    dim = "dim" if finding.suppressed else ""
    message = finding.message + ("  (suppressed)" if finding.suppressed else "")
    code = Text(finding.code, style=dim or "bold")
    if confirmed_s is not None:
        message = f"confirmed: stalled the server's loop {confirmed_s:.2f} s · {message}"
        code = Text(finding.code + "✓", style="bold green3")
    return (
        Text(finding.severity.value, style=dim or SEVERITY_STYLE[finding.severity]),
        code,
        Text(f"{finding.path}:{finding.line}", style=dim, overflow="ellipsis", no_wrap=True),
        Text(message, style=dim, no_wrap=True),
    )


class FindingsTable(DataTable[Text]):
    """Sortable findings list; `show()` makes it display exactly the given findings."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._findings: dict[str, Finding] = {}
        self._cells: dict[str, tuple[Text, Text, Text, Text]] = {}
        self._confirmed: dict[tuple[str, int, str], float] = {}  # (path, line, code) -> longest stall
        self._fill_generation = 0

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
        self._fill_generation += 1  # a fill still in progress is for an older list
        gone = [key for key in self._findings if key not in wanted]
        if len(gone) > _REBUILD_AFTER or not self._findings:
            old_index = self.cursor_row
            self.clear()
            self._findings = {}
            self._fill(list(wanted.items()), keep, old_index, 0, self._fill_generation)
            return
        old_index = self.cursor_row
        for key in gone:
            self.remove_row(key)
            del self._findings[key]
        for key, finding in wanted.items():
            if key not in self._findings:
                self._add(key, finding)
        if [row.key.value for row in self.ordered_rows] != list(wanted):
            # Each severity cell is a distinct cached object, so its id names the row.
            position = {id(self._cells[key][0]): index for index, key in enumerate(wanted)}
            self.sort("severity", key=lambda cell: position[id(cell)])
        self._forget_cells(wanted)
        self._place_cursor(keep, old_index)

    def confirm(self, path: str, line: int, code: str, seconds: float) -> None:
        """Mark the finding at `path:line` with `code` as confirmed by a live run, now and
        whenever it is shown again."""
        spot = (path, line, code)
        self._confirmed[spot] = max(seconds, self._confirmed.get(spot, 0.0))
        for key, finding in self._findings.items():
            if (finding.path, finding.line, finding.code) == spot:
                _, code_cell, location, message = row_cells(finding, self._confirmed[spot])
                self._cells[key] = (self._cells[key][0], code_cell, location, message)  # same severity cell: it names the row
                self.update_cell(key, "code", code_cell)
                self.update_cell(key, "message", message)

    def _add(self, key: str, finding: Finding) -> None:
        cells = self._cells.get(key)
        if cells is None:
            cells = self._cells[key] = row_cells(finding, self._confirmed.get((finding.path, finding.line, finding.code)))
        self.add_row(*cells, key=key)
        self._findings[key] = finding

    def _fill(self, items: list[tuple[str, Finding]], keep: str | None, old_index: int, start: int, generation: int) -> None:
        """Append rows in display order, one batch per call, yielding to the UI between."""
        if generation != self._fill_generation:
            return
        for key, finding in items[start : start + FILL_BATCH]:
            self._add(key, finding)
        start += FILL_BATCH
        if start < len(items):
            keep_shown = keep is not None and keep in self._findings
            if start == FILL_BATCH or keep_shown:
                self._place_cursor(keep, old_index)
            self.set_timer(0.001, partial(self._fill, items, keep, old_index, start, generation))
            return
        self._forget_cells(dict(items))
        self._place_cursor(keep, old_index)
        # The rows live until the next scan; left in the collected generations, every full
        # collection walks all of them (0.1-0.3 s with 10,000 rows, landing on a keypress).
        # Reference counting still frees them when they go; collecting first keeps cyclic
        # garbage out of the frozen set (only what arrived since the last freeze is walked).
        gc.collect()
        gc.freeze()

    def _forget_cells(self, wanted: dict[str, Finding]) -> None:
        if len(self._cells) > 2 * len(wanted) + 1000:  # drop cells of long-gone findings
            self._cells = {key: cells for key, cells in self._cells.items() if key in wanted}

    def _update_dimensions(self, new_rows: object) -> None:
        """Every column has a fixed width and every row is one line, so only the virtual
        size changes; DataTable's own version measures every new cell (seconds for 10,000)."""
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width + self._row_label_column_width, self._total_row_height + header)

    def _render_line_in_row(
        self, row_key: RowKey, line_no: int, base_style: Style, cursor_location: Coordinate, hover_location: Coordinate
    ) -> tuple[list[list[Segment]], list[list[Segment]]]:
        """A row away from the cursor and the mouse looks the same wherever they are, but
        DataTable keys its row cache on both: every visible row was rendered again on each
        move that scrolled. Rows are cached with the cursor and mouse "elsewhere" instead."""
        row = self._row_locations.get(row_key)
        if row is not None and self.cursor_type == "row":
            if cursor_location.row != row:
                cursor_location = _ELSEWHERE
            if hover_location.row != row:
                hover_location = _ELSEWHERE
        return super()._render_line_in_row(row_key, line_no, base_style, cursor_location, hover_location)

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
