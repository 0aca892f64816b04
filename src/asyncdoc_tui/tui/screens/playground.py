"""The async playground screen: run patterns against URLs, watch the timeline and loop lag.

Runs happen in the engine's own thread and event loop (`RunHandle`), never on the UI loop, so
the blocking pattern freezes only its own loop; the screen polls the live run ten times a
second to draw the Gantt timeline. With no URLs it starts the demo server in its own process.

With a serve command, the first run starts the user's own server in the project folder under
the loop probe (again when the command changes); the timeline then gets the server's lag row,
and a pane lists each stall of the server's loop at its project line, marked as confirming
the static finding there or as blocking the scan did not find.

While a run is measured the UI's objects are frozen out of the garbage collector
(`gc.freeze`): a full collection over a Textual heap pauses every thread for ~0.1 s, which
the lag meter would otherwise pin on an innocent pattern.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, DataTable, Footer, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from asyncdoc_tui.playground.export import write_runs
from asyncdoc_tui.playground.lag import STALL_S
from asyncdoc_tui.playground.patterns import PATTERNS
from asyncdoc_tui.playground.records import DEFAULT_WORKERS, RunConfig, RunResult
from asyncdoc_tui.playground.runner import OUTCOME_OK, RunHandle
from asyncdoc_tui.playground.served_app import ServedAppError
from asyncdoc_tui.playground.served_session import ServedSession
from asyncdoc_tui.playground.server_process import DemoServerError, DemoServerProcess
from asyncdoc_tui.playground.server_report import UNOBSERVED, ServerReport
from asyncdoc_tui.playground.stats import fill_speedups, run_stats
from asyncdoc_tui.tui.widgets.timeline import Timeline, TimelineData

DEMO_PATH = "/delay/0.2"
POLL_S = 0.1
STACK_SHOWN = 6  # innermost frames shown under a stall
COLUMNS = ("pattern", "wall s", "speed-up", "p50 s", "p99 s", "p99 q+s", "ok", "err",
           "cancelled", "left", "max lag", "stalled")


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def summarize(result: RunResult) -> str:
    """One status line: counts, the root cause of each error kind, what the pattern raised."""
    parts = [f"{result.pattern}: {result.ok} ok, {result.errors} failed, {result.cancelled} cancelled"]
    if result.left_running:
        parts.append(f"{result.left_running} left running when it returned")
    for kind, n in result.errors_by_kind.items():
        example = next(r.error for r in result.requests if r.error_kind == kind)
        parts.append(f"{n}× {kind}: {example}")
    if result.outcome != OUTCOME_OK:
        parts.append(result.outcome)
    if result.blocked_at and result.blocked_at[0].seconds >= STALL_S:  # not one-off GIL/GC hiccups
        site = result.blocked_at[0]
        parts.append(f"loop blocked {site.seconds:.2f} s at {site.where} → {site.call}")
    if result.server is not None and result.server.stalls:
        worst = max(result.server.stalls, key=lambda stall: stall.duration_s)
        parts.append(f"server loop stalled {len(result.server.stalls)}×, up to {worst.duration_s:.2f} s at "
                     f"{worst.where.path}:{worst.where.line} ({worst.verdict})")
    return " · ".join(parts)


def describe_server(report: ServerReport) -> Text:
    """The server pane: each stall at its project line with its verdict and inner stack."""
    text = Text()
    if not report.observed:
        text.append(f"Not observed: {UNOBSERVED}.", style="yellow")
        return text
    if not report.stalls:
        text.append(f"No stall: the server's loop kept up (max lag {report.max_lag_s * 1000:.0f} ms).",
                    style="green3")
        return text
    for stall in report.stalls:
        ongoing = " (still going on)" if stall.ongoing else ""
        text.append(f"{stall.duration_s:6.2f} s{ongoing}  ", style="bold red")
        text.append(f"{stall.where}  ")
        text.append(stall.verdict, style="bold green3" if stall.finding else "bold yellow")
        text.append("\n")
        for frame in stall.stack[:STACK_SHOWN]:
            where = frame if frame.in_project else replace(frame, path=_library_path(frame.path))
            text.append(f"           {where}\n", style="" if frame.in_project else "grey50")
    return text


def _library_path(path: str) -> str:
    """`fastapi/routing.py` for `…/site-packages/fastapi/routing.py`; the file name otherwise."""
    _, found, inside = path.rpartition("site-packages/")
    return inside if found else Path(path).name


class PlaygroundScreen(Screen[None]):
    """Pattern picker, inputs, live timeline, results per pattern and the code that ran."""

    DEFAULT_CSS = """
    PlaygroundScreen { layout: vertical; }
    PlaygroundScreen #pg-main { height: 1fr; }
    PlaygroundScreen #pg-form { width: 38; padding: 0 1; border-right: solid $primary-darken-2; }
    PlaygroundScreen #pg-form Label { margin-top: 1; color: $text-muted; }
    PlaygroundScreen #pg-urls { height: 5; }
    PlaygroundScreen .pg-field { height: 3; }
    PlaygroundScreen .pg-field Label { width: 16; margin-top: 1; }
    PlaygroundScreen .pg-field Input { width: 1fr; }
    PlaygroundScreen #pg-patterns { height: 10; }
    PlaygroundScreen #pg-buttons { height: 3; margin-top: 1; }
    PlaygroundScreen #pg-buttons Button { min-width: 8; margin-right: 1; }
    PlaygroundScreen #pg-right { width: 1fr; }
    PlaygroundScreen #pg-timeline { border: round $primary; }
    PlaygroundScreen #pg-results { height: 13; border: round $primary; }
    PlaygroundScreen #pg-code { height: 12; border: round $primary; overflow-y: auto; }
    PlaygroundScreen #pg-server { height: 12; border: round $primary; overflow-y: auto; display: none;
                                  text-wrap: nowrap; text-overflow: ellipsis; }
    PlaygroundScreen #pg-server.-shown { display: block; }
    PlaygroundScreen #pg-status { height: 2; padding: 0 1; color: $text; background: $boost; }
    PlaygroundScreen #pg-status.-error { color: $error; }
    """

    # Start on the pattern list, so the letter keys run patterns instead of typing into
    # the URL box (found trying the screen as a new user).
    AUTO_FOCUS = "#pg-patterns"

    BINDINGS = [
        Binding("r", "run_one", "Run pattern"),
        Binding("c", "compare_all", "Compare all"),
        Binding("y", "copy_code", "Copy code"),
        Binding("x", "export", "Export JSON"),
        Binding("escape", "cancel_or_close", "Cancel / close"),
        Binding("q", "close", "Close"),
    ]

    def __init__(
        self,
        urls: list[str] | None = None,
        serve: str = "",
        project: Path | None = None,
        on_confirmed: Callable[[str, int, str, float], None] | None = None,
    ) -> None:
        """`on_confirmed(path, line, code, seconds)` hears of each finding a served run confirms."""
        super().__init__()
        self._urls = urls
        self._serve = serve
        self._project = project or Path.cwd()
        self._on_confirmed = on_confirmed
        self._server: DemoServerProcess | None = None
        self._session: ServedSession | None = None
        self._starting_server = False
        self._handle: RunHandle | None = None
        self._seen = 0
        self._results: dict[str, RunResult] = {}
        self._timer: Timer | None = None
        self._pattern = next(iter(PATTERNS))

    @property
    def busy(self) -> bool:
        """A server is starting, a batch is running or its results are not on screen yet."""
        return self._starting_server or self._timer is not None

    def compose(self) -> ComposeResult:
        with Horizontal(id="pg-main"):
            with Vertical(id="pg-form"):
                yield Label("URLs (one per line)")
                yield TextArea("\n".join(self._urls or []), id="pg-urls", soft_wrap=False)
                for label, field_id, value, kind in (
                    ("Requests", "pg-requests", "20", "integer"),
                    ("Concurrency", "pg-concurrency", "5", "integer"),
                    ("Worker threads", "pg-workers", str(DEFAULT_WORKERS), "integer"),
                    ("Timeout s", "pg-timeout", "10", "number"),
                ):
                    with Horizontal(classes="pg-field"):
                        yield Label(label)
                        yield Input(value, id=field_id, type=kind)
                with Horizontal(classes="pg-field"):
                    yield Label("Serve command")
                    yield Input(self._serve, id="pg-serve", placeholder="uvicorn app.main:app --port 8000")
                yield Label("Pattern")
                yield OptionList(
                    *(Option(f"{p.name}  [dim]{p.summary}[/]", id=p.name) for p in PATTERNS.values()),
                    id="pg-patterns",
                )
                with Horizontal(id="pg-buttons"):
                    yield Button("Run", id="pg-run", variant="primary")
                    yield Button("Compare all", id="pg-compare")
                    yield Button("Export", id="pg-export")
            with Vertical(id="pg-right"):
                yield Timeline(id="pg-timeline")
                yield DataTable(id="pg-results", cursor_type="row", zebra_stripes=True)
                yield Static(id="pg-server")
                yield Static(id="pg-code")
        yield Static(id="pg-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#pg-results", DataTable)
        table.add_columns(*COLUMNS)
        table.border_title = "Results: one row per pattern · speed-up vs sequential · left = left running"
        self.query_one("#pg-timeline", Timeline).border_title = "Timeline"
        self.query_one("#pg-patterns", OptionList).highlighted = 0
        self._show_code(self._pattern)
        if self._urls is None:
            self._status("Starting the demo server on 127.0.0.1 …")
            self._start_demo_server()
        else:
            self._status("Ready: enter or r runs the highlighted pattern, c compares all, esc cancels (in a text field, tab out first).")

    def on_unmount(self) -> None:
        if self._handle is not None and self._handle.running:
            self._handle.cancel()
        if self.busy:
            gc.unfreeze()
        if self._server is not None:
            self._server.stop()
        if self._session is not None:
            self._session.stop()

    @work(thread=True, exclusive=True, group="demo-server")
    def _start_demo_server(self) -> None:
        server = DemoServerProcess()
        try:
            url = server.start()
        except DemoServerError as exc:
            self.app.call_from_thread(self._status, str(exc), True)
            return
        self._server = server
        self.app.call_from_thread(self._demo_ready, url)

    def _demo_ready(self, url: str) -> None:
        area = self.query_one("#pg-urls", TextArea)
        if not area.text.strip():
            area.text = url + DEMO_PATH
        self._status(f"Demo server at {url} (endpoints /delay/s, /status/code, /jitter, /bytes/n, "
                     "/drip, /json, /flaky). enter or r runs the highlighted pattern, c compares all.")

    # ---- inputs -------------------------------------------------------------------------

    def _config(self) -> RunConfig:
        urls = tuple(line.strip() for line in self.query_one("#pg-urls", TextArea).text.splitlines() if line.strip())

        def number(field_id: str, name: str) -> float:
            raw = self.query_one(f"#{field_id}", Input).value.strip()
            try:
                return float(raw)
            except ValueError:
                raise ValueError(f"{name} must be a number, got {raw!r}") from None

        config = RunConfig(
            urls=urls,
            requests=int(number("pg-requests", "requests")),
            concurrency=int(number("pg-concurrency", "concurrency")),
            workers=int(number("pg-workers", "worker threads")),
            timeout_s=number("pg-timeout", "timeout"),
        )
        config.validate()
        return config

    # ---- actions ------------------------------------------------------------------------

    def action_run_one(self) -> None:
        self._start([self._pattern])

    def action_compare_all(self) -> None:
        self._start(list(PATTERNS))

    def action_cancel_or_close(self) -> None:
        if self._handle is not None and self._handle.running:
            self._handle.cancel()
            self._status("Cancelling … (a blocking call stops at its next request)")
        else:
            self.dismiss()

    def action_close(self) -> None:
        if self._handle is not None and self._handle.running:
            self._status("A run is in progress: esc cancels it first.", True)
        else:
            self.dismiss()

    def action_copy_code(self) -> None:
        self.app.copy_to_clipboard(PATTERNS[self._pattern].snippet)
        self.notify(f"Copied the {self._pattern} pattern to the clipboard.")

    def action_export(self) -> None:
        if not self._results:
            self.notify("Nothing to export yet: run a pattern first.", severity="warning")
            return
        path = Path.cwd() / f"asyncdoc-playground-{time.strftime('%Y%m%d-%H%M%S')}.json"
        try:
            write_runs(self._results.values(), path)
        except OSError as exc:
            self._status(f"Export failed: {exc.strerror or exc} ({path})", True)
            return
        self.notify(f"Exported {len(self._results)} run(s) to {path}")

    @on(Button.Pressed, "#pg-run")
    def _run_pressed(self) -> None:
        self.action_run_one()

    @on(Button.Pressed, "#pg-compare")
    def _compare_pressed(self) -> None:
        self.action_compare_all()

    @on(Button.Pressed, "#pg-export")
    def _export_pressed(self) -> None:
        self.action_export()

    @on(OptionList.OptionHighlighted, "#pg-patterns")
    def _pattern_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self._pattern = event.option.id
            self._show_code(self._pattern)

    @on(OptionList.OptionSelected, "#pg-patterns")
    def _pattern_selected(self, event: OptionList.OptionSelected) -> None:
        """`enter` on a pattern runs it."""
        self.action_run_one()

    @on(DataTable.RowHighlighted, "#pg-results")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self._handle is not None and self._handle.running:
            return
        result = self._results.get(str(event.row_key.value))
        if result is not None:
            self._show_run(result)
            patterns = self.query_one("#pg-patterns", OptionList)
            patterns.highlighted = patterns.get_option_index(result.pattern)

    # ---- running ------------------------------------------------------------------------

    def _start(self, patterns: list[str]) -> None:
        if self._handle is not None and self._handle.running or self._starting_server:
            self._status("A run is already in progress (esc cancels it).", True)
            return
        try:
            config = self._config()
        except ValueError as exc:
            self._status(f"Cannot run: {exc}", True)
            return
        command = self.query_one("#pg-serve", Input).value.strip()
        current = self._session.app.command if self._session is not None else ""
        if command != current:
            self._starting_server = True
            self._status(f"Starting `{command}` in {self._project} and waiting for {config.urls[0]} …"
                         if command else f"Stopping `{current}` …")
            self._swap_server(command, config, patterns)
            return
        self._launch(config, patterns)

    @work(thread=True, exclusive=True, group="serve")
    def _swap_server(self, command: str, config: RunConfig, patterns: list[str]) -> None:
        """Stop the served app (if any), start `command` (if any), then launch the runs."""
        if self._session is not None:
            self._session.stop()
            self._session = None
        session = None
        if command:
            try:
                session = ServedSession(command, self._project, config.urls[0])
                session.start()
            except (ServedAppError, ValueError) as exc:
                self.app.call_from_thread(self._server_failed, str(exc))
                return
        self.app.call_from_thread(self._server_swapped, session, config, patterns)

    def _server_failed(self, message: str) -> None:
        self._starting_server = False
        self._status(f"Cannot serve: {message}", True)

    def _server_swapped(self, session: ServedSession | None, config: RunConfig, patterns: list[str]) -> None:
        self._starting_server = False
        self._session = session
        self.query_one("#pg-server", Static).set_class(session is not None, "-shown")
        if session is not None:
            self.query_one("#pg-server", Static).border_title = (
                f"Server loop — `{session.app.command}` (pid {session.app.pid}) · stalls pinned to "
                f"{session.root.name}/ lines, joined to the scan")
        if self.is_attached:
            self._launch(config, patterns)
        elif session is not None:
            session.stop()  # the screen closed while the server started

    def _launch(self, config: RunConfig, patterns: list[str]) -> None:
        report = self._session.report if self._session is not None else None
        self._handle = RunHandle(config, patterns, server_report=report).start()
        self._seen = 0
        gc.freeze()
        self._status(f"Running {', '.join(patterns)} — {config.requests} requests … (esc cancels)")
        self._timer = self.set_interval(POLL_S, self._poll)

    def _poll(self) -> None:
        """Draw the live run; pick up finished runs; stop polling when the batch ends."""
        handle = self._handle
        if handle is None:
            return
        for result in handle.results[self._seen:]:
            self._add_result(result)
            self._seen += 1
        live, lag = handle.live, handle.live_lag
        if handle.running and live is not None and lag is not None and handle.live_pattern is not None:
            timeline = self.query_one("#pg-timeline", Timeline)
            timeline.border_title = f"Timeline — {handle.live_pattern} (running)"
            server_lag, interval = None, 0.0
            if self._session is not None:
                origin, monitor = live.origin, self._session.monitor
                server_lag = [(t - origin, v) for t, v in monitor.lag_samples(origin, origin + live.now())]
                interval = monitor.heartbeat_s
            timeline.show(TimelineData(list(live.records), lag.live_samples(), lag.interval_s, None, now=live.now(),
                                       server_lag=server_lag, server_interval_s=interval))
        if not handle.running:
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            self._finished(handle)

    def _finished(self, handle: RunHandle) -> None:
        gc.unfreeze()
        if handle.error is not None:
            self._status(f"Run failed: {type(handle.error).__name__}: {handle.error}", True)
        elif handle.results:
            last = handle.results[-1]
            self._show_run(last)
            message = summarize(last) if len(handle.results) == 1 else self._compare_summary(handle.results)
            if handle.cancelled:
                message = "Cancelled. " + message
            self._status(message, bool(last.errors) or last.outcome != OUTCOME_OK)
        elif handle.cancelled:
            self._status("Cancelled before any run finished.")

    @staticmethod
    def _compare_summary(results: list[RunResult]) -> str:
        fastest = min(results, key=lambda r: r.wall_s)
        lagged = max(results, key=lambda r: r.lag.max_s)
        return (f"Compared {len(results)} patterns: fastest {fastest.pattern} ({fastest.wall_s:.2f} s); "
                f"worst loop lag {lagged.pattern} ({lagged.lag.max_s:.2f} s). Select a row to see its timeline.")

    # ---- display ------------------------------------------------------------------------

    def show_results(self, results: list[RunResult]) -> None:
        """Show finished runs (also how recorded runs are replayed, e.g. in tests)."""
        for result in results:
            self._add_result(result)
        if results:
            self._show_run(results[-1])
            self._status(self._compare_summary(results) if len(results) > 1 else summarize(results[-1]))

    def _add_result(self, result: RunResult) -> None:
        self._results[result.pattern] = result
        if result.server is not None and self._on_confirmed is not None:
            for stall in result.server.stalls:
                if stall.finding is not None and stall.finding_path is not None and stall.finding_line is not None:
                    self._on_confirmed(stall.finding_path, stall.finding_line, stall.finding, stall.duration_s)
        fill_speedups(self._results.values())
        table = self.query_one("#pg-results", DataTable)
        table.clear()
        for name in PATTERNS:
            r = self._results.get(name)
            if r is None:
                continue
            st = run_stats(r)
            table.add_row(
                name, _s(r.wall_s), "-" if r.speedup is None else f"{r.speedup:.1f}×",
                _s(st.p50_s), _s(st.p99_s), _s(st.p99_total_s), str(r.ok), str(r.errors),
                str(r.cancelled), str(r.left_running), _s(r.lag.max_s), _s(r.lag.stalled_s),
                key=name,
            )
        table.move_cursor(row=table.get_row_index(result.pattern))

    def _show_run(self, result: RunResult) -> None:
        timeline = self.query_one("#pg-timeline", Timeline)
        c = result.config
        knob = ""
        if PATTERNS[result.pattern].uses_threads:
            knob = f", pool {c.workers} threads"
        elif PATTERNS[result.pattern].uses_limit:
            knob = f", limit {c.concurrency}"
        timeline.border_title = (f"Timeline — {result.pattern}: {len(result.requests)} requests{knob}, "
                                 f"wall {result.wall_s:.2f} s")
        server = result.server
        timeline.show(TimelineData(
            result.requests, result.lag.samples, result.lag.interval_s, result.wall_s,
            server_lag=None if server is None else server.samples,
            server_interval_s=0.0 if server is None else server.interval_s,
        ))
        pane = self.query_one("#pg-server", Static)
        pane.set_class(server is not None, "-shown")
        if server is not None:
            pane.update(describe_server(server))

    def _show_code(self, name: str) -> None:
        code = self.query_one("#pg-code", Static)
        code.border_title = f"Code: {name} (exactly what runs · y copies)"
        code.update(Syntax(PATTERNS[name].snippet, "python", theme="monokai", background_color="default"))

    def _status(self, message: str, error: bool = False) -> None:
        status = self.query_one("#pg-status", Static)
        status.update(message)
        status.set_class(error, "-error")


class PlaygroundApp(App[None]):
    """`asyncdoc playground` on its own: the playground screen, quitting when it closes."""

    TITLE = "asyncdoc playground"

    def __init__(self, urls: list[str] | None = None, serve: str = "", project: Path | None = None) -> None:
        super().__init__()
        self._urls = urls
        self._serve = serve
        self._project = project

    def on_mount(self) -> None:
        self.push_screen(PlaygroundScreen(self._urls, self._serve, self._project), callback=lambda _: self.exit())
