"""Detail pane: the code around a finding, what is wrong, the async alternative, and the
evidence (AD201 call chain, AD3xx import cycle) as hops you can move through and jump to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from asyncdoc_tui.model import Evidence, Finding
from asyncdoc_tui.report.skipped import incomplete_reason
from asyncdoc_tui.rules.catalog import RuleInfo
from asyncdoc_tui.tui.widgets.block import Block
from asyncdoc_tui.tui.widgets.findings_table import SEVERITY_STYLE

CONTEXT_LINES = 3
SYNTAX_THEME = "monokai"


def code_context(root: Path, path: str, line: int, col: int = 0, end_line: int = 0, end_col: int = 0) -> RenderableType:
    """A few highlighted lines around `path:line`, the line marked and the span underlined."""
    try:
        lines = (root / path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        return Text(f"cannot read {path}: {exc.strerror or exc}", style="red")
    if not lines:
        return Text(f"{path} is empty", style="dim")
    line = min(max(line, 1), len(lines))
    first = max(1, line - CONTEXT_LINES)
    last = min(len(lines), line + CONTEXT_LINES)
    syntax = Syntax(
        "\n".join(lines[first - 1 : last]),
        "python",
        theme=SYNTAX_THEME,
        line_numbers=True,
        start_line=first,
        highlight_lines={line},
        word_wrap=False,
    )
    if col and end_line == line and end_col > col:
        syntax.stylize_range("underline", (line - first + 1, col - 1), (line - first + 1, end_col - 1))
    return syntax


def _plain(value: Any) -> str:
    """An extra field as one readable line."""
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def entry_label(entry: Any) -> str:
    """`{"kind": "route", "method": "GET", "path": "/health"}` -> `GET /health (route)`."""
    if isinstance(entry, dict) and "kind" in entry:
        where = " ".join(str(entry[k]) for k in ("method", "path") if entry.get(k))
        rest = {k: v for k, v in entry.items() if k not in ("kind", "method", "path")}
        label = f"{where} ({entry['kind']})" if where else str(entry["kind"])
        return label + (f" · {_plain(rest)}" if rest else "")
    return _plain(entry)


def _bullets(title: str, value: Any, joiner: str | None = None) -> Text:
    """A titled list; `joiner` renders a sequence as one path (`a → b → a`)."""
    text = Text()
    text.append(f"\n{title}\n", style="bold")
    if isinstance(value, (list, tuple)) and joiner is None:
        for item in value:
            text.append(f"  • {_plain(item)}\n")
    elif isinstance(value, (list, tuple)):
        text.append(f"  {joiner.join(_plain(v) for v in value)}\n")
    else:
        text.append(f"  {_plain(value)}\n")
    return text


def explain(finding: Finding, rule: RuleInfo | None) -> RenderableType:
    """The message, why it matters, what to do instead, and the entry point."""
    extras = finding.extras
    parts: list[RenderableType] = [Text(finding.message)]
    if rule is not None:
        parts.append(Text.assemble(("Why: ", "bold"), rule.explanation))
    alternative = finding.alternative or (rule.alternative if rule else "")
    if alternative:
        parts.append(Text.assemble(("Instead: ", "bold green"), alternative))
    if finding.equivalent:
        parts.append(Text.assemble(("Also known as: ", "dim"), (finding.equivalent, "dim")))
    if "entry" in extras:
        parts.append(Text.assemble(("Entry point: ", "bold"), entry_label(extras["entry"])))
    if finding.incomplete_files:
        parts.append(Text.assemble(("Incomplete: ", "bold yellow"), incomplete_reason(finding)))
    if finding.suppressed:
        parts.append(Text("Suppressed by a noqa comment or configuration.", style="dim italic"))
    return Group(*parts)


def _edge(edge: Any) -> str:
    """An import edge or import statement: `path:line  from x import y`."""
    if isinstance(edge, dict) and "path" in edge:
        return f"{edge['path']}:{edge.get('line', '?')}  {edge.get('text', '')}".rstrip()
    return _plain(edge)


def _cycle(witness: Any) -> str:
    """`a → b → a` from the witness edges."""
    if isinstance(witness, list) and witness and all(isinstance(e, dict) and "from" in e for e in witness):
        return " → ".join([str(e["from"]) for e in witness] + [str(witness[-1].get("to", ""))])
    return _plain(witness)


def cycle_details(finding: Finding) -> RenderableType:
    """AD3xx: the shortest cycle, which import order fails, the cut set and the advice;
    AD201: where the chain ends up blocking."""
    extras = finding.extras
    parts: list[RenderableType] = []
    sink = extras.get("sink")
    if isinstance(sink, dict) and "path" in sink:
        parts.append(_bullets("Blocks at", f"{sink['path']}:{sink.get('line', '?')}  {sink.get('call', '')} ({sink.get('code', '')})"))
    witness = extras.get("witness")
    if witness:
        parts.append(_bullets("Shortest cycle", _cycle(witness)))
        if isinstance(witness, list):
            parts.append(_bullets("Its imports", [_edge(e) for e in witness]))
    if extras.get("failing_entries"):
        parts.append(_bullets("Importing one of these first raises ImportError", extras["failing_entries"]))
    cut = extras.get("cut")
    if cut:
        lines = []
        for edge in cut if isinstance(cut, list) else [cut]:
            if isinstance(edge, dict) and "imports" in edge:
                lines += [_edge(i) for i in edge["imports"]]
            else:
                lines.append(_plain(edge))
        parts.append(_bullets("Change these imports to break the cycle (cut set)", lines))
    advice = extras.get("advice")
    if advice:
        items = advice if isinstance(advice, list) else [advice]
        parts.append(_bullets("How to fix", [a.get("message", _plain(a)) if isinstance(a, dict) else _plain(a) for a in items]))
    return Group(*parts)


def evidence_title(finding: Finding) -> str:
    if finding.code.startswith("AD2"):
        return "Call chain (enter: jump, e: edit there)"
    if finding.code.startswith("AD3"):
        return "Import cycle (enter: jump, e: edit there)"
    return "Evidence (enter: jump, e: edit there)"


class HopList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]


class DetailPane(VerticalScroll):
    """Everything about the selected finding; the hop list is focusable."""

    class HopChosen(Message):
        """A hop of the chain or cycle was picked with enter."""

        def __init__(self, hop: Evidence) -> None:
            super().__init__()
            self.hop = hop

    def __init__(self, root: Path, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.root = root
        self.finding: Finding | None = None
        self.can_focus = True

    def compose(self) -> ComposeResult:
        yield Block(id="detail-head")
        yield Block(id="detail-code")
        yield Block(id="detail-text")
        yield Block(id="detail-hops-title")
        yield HopList(id="detail-hops")
        yield Block(id="detail-extra")

    @property
    def hops(self) -> HopList:
        return self.query_one(HopList)

    @property
    def current_hop(self) -> Evidence | None:
        """The hop under the hop-list cursor, when the hop list has focus."""
        if self.finding is None or not self.hops.has_focus or self.hops.highlighted is None:
            return None
        return self.finding.evidence[self.hops.highlighted]

    def show(self, finding: Finding | None, rule: RuleInfo | None, empty: Text | None = None) -> None:
        """Show a finding, or `empty` (default: "No finding selected.") when there is none."""
        self.finding = finding
        head = self.query_one("#detail-head", Block)
        hops = self.hops
        if hops.option_count:
            hops.clear_options()
        if finding is None:
            head.set(empty or Text("No finding selected.", style="dim"))
            self.query_one("#detail-code", Block).set("")
            self.query_one("#detail-text", Block).set("")
            self.query_one("#detail-extra", Block).set("")
            self.query_one("#detail-hops-title", Block).display = False
            hops.display = False
            return
        title = rule.title if rule else ""
        head.set(
            Text.assemble(
                (finding.code, "bold"),
                " ",
                (finding.severity.value, SEVERITY_STYLE[finding.severity]),
                f"  {title}\n",
                (finding.location, "underline"),
            )
        )
        self.show_code(finding.path, finding.line, finding.col, finding.end_line, finding.end_col)
        self.query_one("#detail-text", Block).set(explain(finding, rule))
        self.query_one("#detail-extra", Block).set(cycle_details(finding))
        has_hops = bool(finding.evidence)
        self.query_one("#detail-hops-title", Block).display = has_hops
        hops.display = has_hops
        if has_hops:
            self.query_one("#detail-hops-title", Block).set(Text("\n" + evidence_title(finding), style="bold"))
            hops.add_options(
                Option(Text.assemble((f"{i}. ", "dim"), (f"{hop.path}:{hop.line}", "underline"), f"  {hop.note}"))
                for i, hop in enumerate(finding.evidence, 1)
            )
        self.scroll_home(animate=False)

    def show_code(self, path: str, line: int, col: int = 0, end_line: int = 0, end_col: int = 0) -> None:
        code = code_context(self.root, path, line, col, end_line, end_col)
        # Syntax does not wrap here, so its height is its line count.
        self.query_one("#detail-code", Block).set(code, len(code.code.splitlines()) if isinstance(code, Syntax) else None)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if self.finding is not None and event.option_index < len(self.finding.evidence) and self.hops.has_focus:
            hop = self.finding.evidence[event.option_index]
            self.show_code(hop.path, hop.line)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.finding is not None and event.option_index < len(self.finding.evidence):
            self.post_message(self.HopChosen(self.finding.evidence[event.option_index]))

    def on_descendant_blur(self) -> None:
        if self.finding is not None and not self.hops.has_focus:
            f = self.finding
            self.show_code(f.path, f.line, f.col, f.end_line, f.end_col)
