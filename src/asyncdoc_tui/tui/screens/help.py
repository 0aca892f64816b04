"""`?`: every key of the main screen (as remapped by `[tool.asyncdoc.keys]`) and what it does."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

# Keys provided by the widgets themselves rather than the screen's BINDINGS.
WIDGET_KEYS: tuple[tuple[str, str], ...] = (
    ("j / k / ↑ / ↓", "move in the focused list"),
    ("enter", "table: focus the detail pane · tree: narrow to that rule or file · chain: jump to the hop"),
    ("tab / shift+tab", "next / previous pane"),
    ("escape", "close the filter or this help"),
    ("ctrl+p", "command palette: every action, themes"),
    ("click a column header", "sort by that column"),
)


def key_table(screen: Screen) -> Table:
    """Two columns, key and action: the screen's own bindings (after remapping), then the
    keys the lists and the app provide."""
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if active.node is not screen or not binding.description or binding.action in seen:
            continue
        seen.add(binding.action)
        keys = [k for k, a in screen.active_bindings.items() if a.binding.action == binding.action]
        display = " / ".join(screen.app.get_key_display(Binding(k, binding.action)) for k in keys)
        table.add_row(display, binding.tooltip or binding.description)
    for key, text in WIDGET_KEYS:
        table.add_row(key, text)
    return table


class HelpScreen(ModalScreen[None]):
    """Shows the keys of the screen it was opened from."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, source: Screen) -> None:
        super().__init__()
        self.source = source

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("asyncdoc keys", style="bold"), id="help-title")
            yield Static(key_table(self.source), id="help-keys")
            yield Static(
                Text("Remap keys in pyproject.toml, e.g. [tool.asyncdoc.keys] apply = \"ctrl+a\". Esc closes.", style="dim"),
                id="help-foot",
            )
