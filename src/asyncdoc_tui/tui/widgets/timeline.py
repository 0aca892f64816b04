"""Gantt timeline of a playground run: one bar per request, the loop-lag trace underneath.

Bars show the queued segment (waiting for a pooled connection) and the in-flight segment,
coloured by how the request ended; a `┊` marks when the pattern returned, so requests left
running by a plain `gather` visibly outlive it. With more requests than rows, each row
merges a block of requests (the worst state wins in each cell). The lag row is what tells
sequential from blocking: both look the same as bars. With a served app (`--serve`), its
own loop's lag is a second row on the same time axis.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget

from asyncdoc_tui.playground.lag import STALL_S
from asyncdoc_tui.playground.records import (
    STATE_CANCELLED,
    STATE_ERROR,
    STATE_OK,
    RequestRecord,
)

LABEL_WIDTH = 10
EMPTY, QUEUED, RUNNING, OK, CANCELLED, ERROR, ERROR_END = range(7)
_CELLS = {
    QUEUED: ("░", "grey50"),
    RUNNING: ("█", "dodger_blue2"),
    OK: ("█", "green3"),
    CANCELLED: ("▒", "yellow3"),
    ERROR: ("█", "red3"),
    ERROR_END: ("✗", "bold red"),
}
_LAG_LEVELS = (0.001, 0.005, 0.01, 0.02, STALL_S, 0.1, 0.25, 0.5)  # seconds for ▁ … █
_LAG_BLOCKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True, slots=True)
class TimelineData:
    """What to draw; `now` is set while a run is live (bars still growing)."""

    requests: Sequence[RequestRecord]
    lag: Sequence[tuple[float, float]]
    lag_interval_s: float
    returned_at: float | None
    now: float | None = None
    server_lag: Sequence[tuple[float, float]] | None = None  # the served app's loop, same clock
    server_interval_s: float = 0.0


class Timeline(Widget):
    """Renders `TimelineData` to fit its size; call `show()` to replace what is drawn."""

    DEFAULT_CSS = """
    Timeline { height: 1fr; min-height: 6; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._data: TimelineData | None = None

    def show(self, data: TimelineData | None) -> None:
        self._data = data
        self.refresh()

    def render(self) -> Text:
        if self._data is None or not self._data.requests:
            return Text("No run yet: pick a pattern and press r (run) or c (compare all).", style="grey50")
        width = max(10, self.size.width - LABEL_WIDTH)
        rows = max(1, self.size.height - (3 if self._data.server_lag is None else 4))
        return render_timeline(self._data, width, rows)


def _span(data: TimelineData) -> float:
    ends = [r.done for r in data.requests if r.done is not None]
    ends += [data.returned_at or 0.0, data.now or 0.0]
    for samples, interval in ((data.lag, data.lag_interval_s), (data.server_lag or (), data.server_interval_s)):
        if samples:
            t, lag = samples[-1]
            ends.append(t + interval + lag)
    return max(max(ends), 1e-3)


def _code(r: RequestRecord) -> int:
    if r.state == STATE_OK:
        return OK
    if r.state == STATE_ERROR:
        return ERROR
    if r.state == STATE_CANCELLED:
        return CANCELLED
    return RUNNING


def render_timeline(data: TimelineData, width: int, rows: int) -> Text:
    """Pure rendering (testable without an app): bars, axis, lag trace and legend."""
    span = _span(data)
    scale = width / span
    n = len(data.requests)
    group = math.ceil(n / rows)
    grid = [[EMPTY] * width for _ in range(math.ceil(n / group))]
    for r in data.requests:
        row = grid[r.index // group] if r.index // group < len(grid) else grid[-1]
        end = r.done if r.done is not None else (data.now if data.now is not None else span)
        start = r.started if r.started is not None else end
        _paint(row, r.created, start, QUEUED, scale, width)
        _paint(row, start, end, _code(r), scale, width)
        if r.state == STATE_ERROR:
            col = min(width - 1, int(end * scale))
            row[col] = ERROR_END
    returned_col = None if data.returned_at is None else min(width - 1, int(data.returned_at * scale))

    text = Text(no_wrap=True, overflow="crop")
    for i, cells in enumerate(grid):
        first, last = i * group, min(n, (i + 1) * group) - 1
        label = f"#{first}" if first == last else f"#{first}-{last}"
        text.append(f"{label:>{LABEL_WIDTH - 1}} ", style="grey62")
        for col, code in enumerate(cells):
            if code == EMPTY:
                text.append("┊" if col == returned_col else " ", style="magenta")
            else:
                char, style = _CELLS[code]
                text.append(char, style=style)
        text.append("\n")
    text.append(" " * LABEL_WIDTH + _axis(span, width) + "\n", style="grey62")
    text.append(f"{'loop lag':>{LABEL_WIDTH - 1}} ", style="grey62")
    text.append_text(_lag_row(data.lag, data.lag_interval_s, scale, width))
    text.append("\n")
    if data.server_lag is not None:
        text.append(f"{'server':>{LABEL_WIDTH - 1}} ", style="grey62")
        text.append_text(_lag_row(data.server_lag, data.server_interval_s, scale, width))
        text.append("\n")
    max_lag = max((lag for _, lag in data.lag), default=0.0)
    text.append(" " * LABEL_WIDTH)
    for code, label in ((OK, "ok "), (QUEUED, "queued "), (ERROR_END, "error "), (CANCELLED, "cancelled ")):
        char, style = _CELLS[code]
        text.append(char, style=style)
        text.append(f" {label}", style="grey62")
    text.append("┊", style="magenta")
    text.append(" returned  ", style="grey62")
    text.append(f"max lag {max_lag * 1000:.0f} ms", style="bold red" if max_lag > STALL_S else "grey62")
    if data.server_lag is not None:
        server_max = max((lag for _, lag in data.server_lag), default=0.0)
        text.append(f"  server {server_max * 1000:.0f} ms", style="bold red" if server_max > STALL_S else "grey62")
    return text


def _paint(row: list[int], start: float, end: float, code: int, scale: float, width: int) -> None:
    if end <= start and code == QUEUED:
        return
    first = min(width - 1, int(start * scale))
    last = min(width - 1, max(first, math.ceil(end * scale) - 1))
    for col in range(first, last + 1):
        if row[col] < code:
            row[col] = code


def _axis(span: float, width: int) -> str:
    """Tick labels at 0, ¼, ½, ¾ and the end of the span."""
    axis = [" "] * width
    for q in range(5):
        label = f"{span * q / 4:.2f}s"
        col = min(width - len(label), int((width - 1) * q / 4) - (len(label) // 2 if q else 0))
        for k, ch in enumerate(label):
            if 0 <= col + k < width:
                axis[col + k] = ch
    return "".join(axis)


def _lag_row(samples: Sequence[tuple[float, float]], interval_s: float, scale: float, width: int) -> Text:
    cells = [0.0] * width
    for t, lag in samples:
        first = max(0, min(width - 1, int(t * scale)))
        last = min(width - 1, int((t + interval_s + lag) * scale))
        for col in range(first, last + 1):
            cells[col] = max(cells[col], lag)
    row = Text()
    for lag in cells:
        level = sum(lag >= threshold for threshold in _LAG_LEVELS)
        if level == 0:
            row.append(" ")
        else:
            row.append(_LAG_BLOCKS[level - 1], style="red" if lag > STALL_S else "green3")
    return row
