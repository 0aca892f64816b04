"""The main screen: navigation tree, findings table, detail and diff panes, and every action.

All scanning, fix computation and writing happens in workers; this screen only turns their
results into rows and panes. The project is replaced as a whole after every rescan, so the
UI never sees a half-updated state.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Tree
from textual.worker import Worker, WorkerState

from asyncdoc_tui.config import Config
from asyncdoc_tui.model import Finding, ScanResult
from asyncdoc_tui.report.skipped import nothing_analysed
from asyncdoc_tui.scan.engine import load_project, rescan_paths, result_for
from asyncdoc_tui.scan.project import Project
from asyncdoc_tui.tui.editor import editor_command, editor_from_env
from asyncdoc_tui.tui.screens.fix_controller import FixController
from asyncdoc_tui.tui.screens.help import HelpScreen
from asyncdoc_tui.tui.view import (
    SORTS,
    Scope,
    ViewFilter,
    finding_key,
    severity_counts,
    visible,
)
from asyncdoc_tui.tui.watch import DiscoveryFilter
from asyncdoc_tui.tui.widgets.detail import DetailPane
from asyncdoc_tui.tui.widgets.diff_pane import DiffPane
from asyncdoc_tui.tui.widgets.findings_table import FindingsTable
from asyncdoc_tui.tui.widgets.nav_tree import NavTree
from asyncdoc_tui.tui.widgets.skipped import SkippedPanel, nothing_analysed_text
from asyncdoc_tui.tui.widgets.summary import SummaryBar

log = logging.getLogger("asyncdoc.tui")

# The panes follow the cursor once it rests this long, so holding `j` only moves the
# table; the fix (libcst, in a thread) is computed after a further pause (FixController).
DETAIL_DEBOUNCE_S = 0.05
FILTER_DEBOUNCE_S = 0.15
# watchfiles batches changes for this long; well inside the one-second promise.
WATCH_DEBOUNCE_MS = 200
# Progress updates from the scan thread are throttled to about this many per scan.
PROGRESS_STEPS = 50

SORT_ORDER = tuple(SORTS)


class MainScreen(Screen[None]):
    """Findings of one project, with fixes, undo, editor, filters, rescans and watch mode."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # `?` first: on an 80-column terminal the footer cuts off the last entries.
        Binding("question_mark", "help", "Keys", id="help", tooltip="all keys"),
        Binding("a", "apply", "Apply fix", id="apply", tooltip="apply the fix shown in the diff pane"),
        Binding("A", "apply_file", "Apply safe in file", id="apply_file", show=False,
                tooltip="apply every safe fix in the selected finding's file"),
        Binding("u", "undo", "Undo", id="undo", tooltip="undo the last applied fix"),
        Binding("e", "edit", "Edit", id="edit", tooltip="open $EDITOR at the line (or at the chain hop)"),
        Binding("slash", "filter", "Filter", id="filter", tooltip="filter by text, code:AD1 or path:shop/"),
        Binding("f", "severity", "Severity", id="severity", show=False, tooltip="cycle: all → error → warning → info"),
        Binding("s", "suppressed", "Suppressed", id="suppressed", show=False, tooltip="show or hide suppressed findings"),
        Binding("o", "sort", "Sort", id="sort", show=False, tooltip="sort by severity → code → location → message"),
        Binding("v", "variant", "Next fix", id="variant", show=False, tooltip="show the next alternative fix"),
        Binding("r", "rescan", "Rescan", id="rescan", tooltip="rescan the project"),
        Binding("w", "watch", "Watch", id="watch", tooltip="watch mode: rescan files when they are saved"),
        Binding("p", "playground", "Playground", id="playground", tooltip="open the async playground"),
        Binding("escape", "close_filter", "Close filter", show=False),
        Binding("q", "quit", "Quit", id="quit", tooltip="quit asyncdoc"),
    ]

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]

    def __init__(
        self,
        root: Path,
        *,
        config: Config,
        use_cache: bool = True,
        cache_dir: Path | None = None,
        note: str = "",
        preloaded: tuple[Project, ScanResult] | None = None,
    ) -> None:
        super().__init__()
        self.root = root
        self.config = config
        self.use_cache = use_cache
        self.cache_dir = cache_dir
        self.note = note
        self._preloaded = preloaded
        self.project: Project | None = None
        self.result: ScanResult | None = None
        self.view = ViewFilter()
        self.sort_by = "severity"
        self.state = "starting"
        self.watching = False
        self.fixes = FixController(self)
        self._detail_timer: Timer | None = None
        self._filter_timer: Timer | None = None
        self._watch_stop: asyncio.Event | None = None
        self.project_lock = threading.Lock()  # one scan, rescan or write at a time

    # ---- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SummaryBar(self.root.name, self.note, id="summary")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield NavTree(id="nav")
                yield SkippedPanel(id="skipped")
            with Vertical(id="center"):
                yield Input(placeholder="filter: words, code:AD1, path:shop/  (enter: done, esc: clear)", id="filter")
                yield FindingsTable(id="findings")
                with Horizontal(id="panes"):
                    yield DetailPane(self.root, id="detail")
                    yield DiffPane(id="diff")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.query_one(SkippedPanel).display = False
        self.query_one("#nav").border_title = "Navigate"
        self.query_one("#findings").border_title = "Findings"
        self.query_one("#detail").border_title = "Detail"
        self.query_one("#diff").border_title = "Fix"
        self.query_one(FindingsTable).focus()
        self.query_one(DetailPane).show(None, None)
        self.query_one(DiffPane).show_message("Select a finding to see its fix.")
        if self._preloaded is not None:
            project, result = self._preloaded
            self._preloaded = None
            self.show_result(project, result, "scanned")
        else:
            self.action_rescan()

    @property
    def table(self) -> FindingsTable:
        return self.query_one(FindingsTable)

    @property
    def summary(self) -> SummaryBar:
        return self.query_one(SummaryBar)

    # ---- scanning -------------------------------------------------------------------------

    def set_state(self, state: str) -> None:
        self.state = state
        self._refresh_summary()

    def _refresh_summary(self, shown: int | None = None) -> None:
        findings = self.result.findings if self.result else []
        self.summary.update_summary(
            severity_counts(findings),
            self.result.files_scanned if self.result else 0,
            self.state,
            self.table.row_count if shown is None else shown,
            self.view.describe(),
            self.watching,
            skipped=len(self.result.skipped) if self.result else 0,
            analysed_nothing=bool(self._nothing_analysed()),
        )

    def _nothing_analysed(self) -> str:
        """Why the scan saw no code ("" while it did, or before the first result); the
        folder by name, as the header shows it."""
        result = self.result
        return nothing_analysed(self.root.name, result.files_scanned, result.skipped) if result else ""

    def action_rescan(self) -> None:
        """Scan the whole project again (unchanged files come from the cache)."""
        self.set_state("scanning")
        self.summary.progress(0, 1)
        self._scan_worker()

    @work(thread=True, exclusive=True, group="scan", exit_on_error=False, description="scan")
    def _scan_worker(self) -> None:
        step = {"last": -1}

        def progress(done: int, total: int) -> None:
            tick = done * PROGRESS_STEPS // max(total, 1)
            if tick != step["last"]:
                step["last"] = tick
                self.app.call_from_thread(self._progress, done, total)

        with self.project_lock:
            project = load_project(
                [self.root], config=self.config, use_cache=self.use_cache, cache_dir=self.cache_dir, progress=progress
            )
            self.app.call_from_thread(self.set_state, f"checking {len(project.files)} files")
            result = result_for(project, partial=lambda found: self.app.call_from_thread(self._partial, project, found))
        self.app.call_from_thread(self.show_result, project, result, "scanned")

    def _progress(self, done: int, total: int) -> None:
        self.summary.progress(done, total)
        self.set_state(f"scanning {done}/{total} files")

    def _partial(self, project: Project, found: list[Finding]) -> None:
        """Findings of the rules that have finished, while the others still run."""
        keep = self.table.current
        self.project = project
        self.result = ScanResult(str(project.root), len(project.files), found, list(project.skipped))
        self.state = f"checking: {len(found)} findings so far"
        self._refresh_rows(keep)

    def show_result(self, project: Project, result: ScanResult, state: str) -> None:
        """Show a new scan result, keeping the cursor on the same finding where possible."""
        keep = self.table.current
        self.project, self.result = project, result
        self.fixes.forget()
        self.summary.finish()
        self.query_one(NavTree).rebuild(self._all_findings(), project.catalog.rules, self.view.scope)
        self.query_one(SkippedPanel).show(result.skipped)
        self.state = state
        self._refresh_rows(keep)

    def _all_findings(self) -> list[Finding]:
        if self.result is None:
            return []
        return self.result.findings + (self.result.suppressed if self.view.show_suppressed else [])

    def _refresh_rows(self, keep: Finding | None = None) -> None:
        rows = visible(self._all_findings(), self.view, self.sort_by)
        keep_key = self._successor(keep, rows) if keep is not None else None
        self.table.show(rows, keep_key)
        self._refresh_summary(len(rows))
        self._selection_changed()

    @staticmethod
    def _successor(old: Finding, rows: list[Finding]) -> str | None:
        """The row that is `old`, or the same problem after its line moved."""
        key = finding_key(old)
        same = [f for f in rows if (f.path, f.code, f.message) == (old.path, old.code, old.message)]
        if any(finding_key(f) == key for f in same):
            return key
        if same:
            return finding_key(min(same, key=lambda f: abs(f.line - old.line)))
        return None

    @work(thread=True, group="rescan", exit_on_error=False, description="rescan")
    def rescan_files(self, paths: list[Path], why: str) -> None:
        """Re-parse only `paths`, then re-run the rules on the updated project."""
        with self.project_lock:
            if self.project is None:
                return
            project = rescan_paths(self.project, paths)
            result = result_for(project)
        self.app.call_from_thread(self.show_result, project, result, why)

    # ---- selection, detail and fix --------------------------------------------------------

    @on(DataTable.RowHighlighted, "#findings")
    def _row_highlighted(self) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DEBOUNCE_S, self._selection_changed)

    def _selection_changed(self) -> None:
        finding = self.table.current
        rules = self.project.catalog.rules if self.project else {}
        problem = self._nothing_analysed()
        empty = nothing_analysed_text(problem, self.result.skipped) if problem and self.result else None
        self.query_one(DetailPane).show(finding, rules.get(finding.code) if finding else None, empty)
        self.fixes.follow(finding)

    def _sync_selection(self) -> bool:
        """Bring the detail and fix panes to the row under the cursor now, ahead of the
        debounce: a key acts on the finding under the cursor, never on the row the panes
        showed a moment ago. True when the fix shown already belongs to that row."""
        if self.fixes.describes(self.table.current):
            return True
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._selection_changed()
        return False

    # ---- fixes (FixController) ----------------------------------------------------------

    def action_variant(self) -> None:
        """Switch the diff pane to the next alternative fix."""
        if self._sync_selection():  # else the panes just caught up: its first fix is on the way
            self.fixes.variant()

    def action_apply(self) -> None:
        """Apply the fix of the finding under the cursor; unsafe fixes ask first."""
        self._sync_selection()
        self.fixes.apply()

    def action_apply_file(self) -> None:
        """Apply every safe fix in the selected finding's file in one undoable batch."""
        self._sync_selection()
        finding = self.table.current
        if finding is None or self.project is None or self.result is None:
            self.notify("Select a finding first.", severity="warning", timeout=3)
            return
        self.fixes.apply_file(self.project, [f for f in self.result.findings if f.path == finding.path])

    def action_undo(self) -> None:
        """Restore the files of the last applied fix batch."""
        self.fixes.undo()

    # ---- editor -----------------------------------------------------------------------------

    def action_edit(self) -> None:
        """Open `$EDITOR` at the finding (or at the selected chain hop), then rescan that file."""
        detail = self.query_one(DetailPane)
        hop = detail.current_hop
        finding = self.table.current
        if hop is not None:
            path, line = hop.path, hop.line
        elif finding is not None:
            path, line = finding.path, finding.line
        else:
            self.notify("Select a finding first.", severity="warning", timeout=3)
            return
        command = editor_command(editor_from_env(), self.root / path, line)
        if shutil.which(command[0]) is None:
            self.notify(f"Editor `{command[0]}` not found: set $EDITOR (e.g. export EDITOR=vim).", severity="error", timeout=8)
            return
        failure = ""
        try:
            with self.app.suspend():
                try:  # an exception must not leave the suspend block: the app would stay suspended
                    completed = subprocess.run(command, check=False)
                    if completed.returncode:
                        failure = f"{command[0]} exited with {completed.returncode}."
                except OSError as exc:
                    failure = f"Cannot start {command[0]}: {exc.strerror or exc}. Set $EDITOR."
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to an editor.", severity="error")
            return
        if failure:
            self.notify(failure, severity="warning", timeout=6)
        self.rescan_files([self.root / path], "scanned")

    # ---- filters and sorting ----------------------------------------------------------------

    def _set_view(self, view: ViewFilter) -> None:
        keep = self.table.current
        suppressed_changed = view.show_suppressed != self.view.show_suppressed
        self.view = view
        if suppressed_changed and self.project is not None:
            self.query_one(NavTree).rebuild(self._all_findings(), self.project.catalog.rules, view.scope)
        self._refresh_rows(keep)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def action_close_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.display:
            box.value = ""
            box.display = False
            self._set_view(replace(self.view, text=""))
            self.table.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        text = event.value.strip()
        self._filter_timer = self.set_timer(FILTER_DEBOUNCE_S, lambda: self._set_view(replace(self.view, text=text)))

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._set_view(replace(self.view, text=event.value.strip()))
        if not event.value.strip():
            event.input.display = False
        self.table.focus()

    def action_severity(self) -> None:
        self._set_view(self.view.next_severity())

    def action_suppressed(self) -> None:
        self._set_view(replace(self.view, show_suppressed=not self.view.show_suppressed))

    def action_sort(self, column: str = "") -> None:
        """Sort by `column`, or by the next column in turn."""
        if column not in SORTS:
            column = SORT_ORDER[(SORT_ORDER.index(self.sort_by) + 1) % len(SORT_ORDER)]
        self.sort_by = column
        self.notify(f"Sorted by {column}.", timeout=2)
        self._refresh_rows(self.table.current)

    @on(DataTable.HeaderSelected, "#findings")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        self.action_sort(str(event.column_key.value))

    @on(Tree.NodeSelected, "#nav")
    def _scope_selected(self, event: Tree.NodeSelected[Scope]) -> None:
        scope = event.node.data or Scope()
        self._set_view(replace(self.view, scope=scope))

    # ---- navigation -------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#findings")
    def _row_selected(self) -> None:
        detail = self.query_one(DetailPane)
        if detail.hops.display:
            detail.hops.focus()
            if detail.hops.highlighted is None:
                detail.hops.highlighted = 0
        else:
            detail.focus()

    @on(DetailPane.HopChosen)
    def _hop_chosen(self, event: DetailPane.HopChosen) -> None:
        hop = event.hop
        for finding in visible(self._all_findings(), self.view, self.sort_by):
            if finding.path == hop.path and finding.line == hop.line:
                self.table.select(finding_key(finding))
                self.table.focus()
                return
        self.query_one(DetailPane).show_code(hop.path, hop.line)
        self.notify(f"{hop.path}:{hop.line} has no finding of its own; e opens it in your editor.", timeout=4)

    # ---- watch mode -------------------------------------------------------------------------

    def action_watch(self) -> None:
        """Toggle watch mode: rescan files as they are saved."""
        if self.watching:
            self.watching = False
            if self._watch_stop is not None:
                self._watch_stop.set()
            self.workers.cancel_group(self, "watch")
            self.notify("Watch mode off.", timeout=2)
        else:
            self.watching = True
            self._watch_stop = asyncio.Event()
            self._watch_worker(self._watch_stop)
            self.notify("Watch mode on: saved files are rescanned.", timeout=3)
        self._refresh_summary()

    @work(exclusive=True, group="watch", exit_on_error=False, description="watch files")
    async def _watch_worker(self, stop: asyncio.Event) -> None:
        from watchfiles import awatch

        project = self.project
        root, exclude = (project.root, project.config.exclude) if project else (self.root, self.config.exclude)
        watch_filter = DiscoveryFilter(root, exclude)
        async for changes in awatch(self.root, watch_filter=watch_filter, debounce=WATCH_DEBOUNCE_MS, step=50, stop_event=stop):
            paths = await asyncio.to_thread(watch_filter.without_git_ignored, sorted({Path(path) for _, path in changes}))
            if not paths:
                continue
            self.set_state(f"rescanning {len(paths)} file(s)")
            self.rescan_files(paths, "scanned")

    # ---- other screens ----------------------------------------------------------------------

    def action_playground(self) -> None:
        from asyncdoc_tui.tui.screens.playground import PlaygroundScreen

        self.app.push_screen(PlaygroundScreen(project=self.root, on_confirmed=self.table.confirm))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self))

    async def action_quit(self) -> None:
        await self.app.action_quit()

    # ---- errors -----------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed worker becomes a notification; the traceback goes to the log."""
        worker = event.worker
        if event.state is not WorkerState.ERROR or worker.error is None:
            return
        error = worker.error
        log.error("worker %s failed", worker.description, exc_info=(type(error), error, error.__traceback__))
        self.summary.finish()
        if worker.group == "watch":
            self.watching = False
        self.set_state("error")
        self.notify(f"{type(error).__name__}: {error}\n(details in the log)", title=f"{worker.description} failed", severity="error", timeout=10)

    def commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """(title, help, callback) for every action with a description: the command palette."""
        entries = []
        for binding in self.BINDINGS:
            if isinstance(binding, Binding) and binding.description and binding.id:
                entries.append((binding.description, binding.tooltip, lambda a=binding.action: self.run_action(a)))
        for column in SORT_ORDER:
            entries.append((f"Sort by {column}", f"order the findings table by {column}", lambda c=column: self.action_sort(c)))
        return entries
