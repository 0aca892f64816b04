"""The main screen's fixes: the proposal shown for the row under the cursor, and applying
one fix, every safe fix of a file, and undoing, in worker threads.

Kept apart from the screen because fixes carry their own state and their own race: a key
acts on the finding under the cursor at the moment of the key, never on the proposal the
diff pane showed a moment before (the screen calls `describes` and `follow` to keep the
two in step; a fix still being computed is applied when ready, or not at all if the
cursor moves first).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.timer import Timer

from asyncdoc_tui.fixes import ProjectBusy, apply_fixes, compute_fix, fixes_for, undo_last
from asyncdoc_tui.fixes.proposal import ApplyReport, FixProposal, FixRefused, UndoReport
from asyncdoc_tui.model import Finding, FixRef, ScanResult
from asyncdoc_tui.scan.engine import result_for
from asyncdoc_tui.scan.project import Project
from asyncdoc_tui.tui.screens.confirm import ConfirmScreen
from asyncdoc_tui.tui.view import finding_key
from asyncdoc_tui.tui.widgets.diff_pane import DiffPane

if TYPE_CHECKING:
    from asyncdoc_tui.tui.screens.main import MainScreen

# The fix (libcst, in a thread) is computed once the cursor rests this long.
FIX_DEBOUNCE_S = 0.25


class FixController:
    """Fix state and fix actions of one main screen."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.proposal: FixProposal | None = None
        self.refs: tuple[FixRef, ...] = ()
        self.index = 0
        self._for: str | None = None  # finding key the diff pane describes
        self._done_for: str | None = None  # finding key whose fix computation has finished
        self._apply_when_ready: str | None = None  # `a` was pressed before that fix was ready
        self._timer: Timer | None = None

    @property
    def pane(self) -> DiffPane:
        return self.screen.query_one(DiffPane)

    def forget(self) -> None:
        """A new scan: proposals were computed on the old project."""
        self._for, self.proposal = None, None

    def describes(self, finding: Finding | None) -> bool:
        return (finding_key(finding) if finding else None) == self._for

    def follow(self, finding: Finding | None) -> None:
        """Make the diff pane describe `finding` (the row under the cursor)."""
        if self.describes(finding):
            return
        if self._apply_when_ready is not None:
            self._apply_when_ready = None
            self.screen.notify("Moved to another finding: the pending fix was not applied.", timeout=3)
        self._for, self._done_for = (finding_key(finding) if finding else None), None
        self.proposal, self.refs, self.index = None, (), 0
        if self._timer is not None:
            self._timer.stop()
        if finding is None:
            self.pane.show_message("No finding selected.")
            return
        self.pane.show_pending()
        self._timer = self.screen.set_timer(FIX_DEBOUNCE_S, self._compute_current)

    def _compute_current(self) -> None:
        finding = self.screen.table.current
        if finding is not None and self.screen.project is not None:
            self._compute(self.screen.project, finding, self.index)

    def _compute(self, project: Project, finding: Finding, index: int) -> None:
        work = partial(self._compute_in_thread, project, finding, index)
        self.screen.run_worker(work, thread=True, exclusive=True, group="fix", exit_on_error=False, description="compute fix")

    def _compute_in_thread(self, project: Project, finding: Finding, index: int) -> None:
        call = self.screen.app.call_from_thread
        refs = tuple(fixes_for(project, finding))
        if not refs:
            call(self._show, finding, refs, index, None, "")
            return
        index %= len(refs)
        try:
            proposal = compute_fix(project, finding, refs[index].id)
        except FixRefused as refusal:
            call(self._show, finding, refs, index, None, refusal.reason)
            return
        call(self._show, finding, refs, index, proposal, "")

    def _show(self, finding: Finding, refs: tuple[FixRef, ...], index: int, proposal: FixProposal | None, refusal: str) -> None:
        key = finding_key(finding)
        if key != self._for:
            return  # the cursor moved on while this was computed
        self.refs, self.index, self.proposal = refs, index, proposal
        self._done_for = key
        if proposal is not None:
            self.pane.show_proposal(proposal, refs, index)
        elif refusal:
            self.pane.show_refusal(refusal, refs, index)
        else:
            alternative = finding.alternative or ""
            self.pane.show_message("No automatic fix for this finding." + (f"\nDo this instead: {alternative}" if alternative else ""))
        if self._apply_when_ready == key:
            self._apply_when_ready = None
            self.apply()

    # ---- actions (the screen brings the panes to the cursor first) --------------------------

    def variant(self) -> None:
        """Switch the diff pane to the next alternative fix."""
        screen = self.screen
        finding = screen.table.current
        if finding is None or screen.project is None or len(self.refs) < 2:
            screen.notify("This finding has only one fix." if self.refs else "No fix to switch.", timeout=3)
            return
        self.index = (self.index + 1) % len(self.refs)
        self.proposal, self._done_for = None, None
        self.pane.show_pending(self.refs, self.index)
        self._compute(screen.project, finding, self.index)

    def apply(self) -> None:
        """Apply the fix of the finding the pane describes; unsafe fixes ask first."""
        proposal = self.proposal
        if proposal is None:
            if self._for is None or self._done_for == self._for:
                self.screen.notify("No fix to apply for the selected finding.", severity="warning", timeout=3)
            else:
                self._apply_when_ready = self._for
                self.screen.notify("Computing the fix for this finding: it is applied when ready.", timeout=3)
            return
        if proposal.safe:
            self._apply([proposal])
            return
        body = f"{proposal.title}\n\n{proposal.notes or 'This fix changes behaviour; read the diff first.'}"

        def answered(yes: bool | None) -> None:
            if yes:
                self._apply([proposal])

        self.screen.app.push_screen(ConfirmScreen("Apply an UNSAFE fix?", body, yes="Apply"), answered)

    def apply_file(self, project: Project, findings: list[Finding]) -> None:
        """Every safe fix of `findings` (one file's) in one undoable batch."""
        work = partial(self._apply_file_in_thread, project, findings)
        self.screen.run_worker(work, thread=True, exclusive=True, group="apply", exit_on_error=False, description="apply safe fixes in file")

    def _apply_file_in_thread(self, project: Project, findings: list[Finding]) -> None:
        proposals: list[FixProposal] = []
        for finding in findings:
            safe = [ref for ref in fixes_for(project, finding) if ref.safe]
            if not safe:
                continue
            try:
                proposals.append(compute_fix(project, finding, safe[0].id))
            except FixRefused:
                continue
        if not proposals:
            self.screen.app.call_from_thread(self.screen.notify, "No safe fix in this file.", severity="warning", timeout=3)
            return
        self._apply_in_thread(proposals)

    def _apply(self, proposals: list[FixProposal]) -> None:
        work = partial(self._apply_in_thread, proposals)
        self.screen.run_worker(work, thread=True, exclusive=True, group="apply", exit_on_error=False, description="apply fix")

    def _apply_in_thread(self, proposals: list[FixProposal]) -> None:
        """Write, rescan the touched files, report back."""
        screen, call = self.screen, self.screen.app.call_from_thread
        call(screen.set_state, "applying")
        with screen.project_lock:
            assert screen.project is not None
            try:
                report = apply_fixes(screen.project, proposals, cache_dir=screen.cache_dir)
            except ProjectBusy as exc:
                call(self._busy, exc.reason)
                return
            project = report.project or screen.project
            result = result_for(project)
        call(self._applied, report, project, result)

    def _busy(self, reason: str) -> None:
        self.screen.set_state("scanned")
        self.screen.notify(reason, title="Not applied", severity="error", timeout=8)

    def _applied(self, report: ApplyReport, project: Project, result: ScanResult) -> None:
        screen = self.screen
        screen.show_result(project, result, "scanned")
        if report.applied:
            titles = ", ".join(sorted({p.title for p in report.applied}))
            files = ", ".join(sorted({p.path for p in report.applied}))
            screen.notify(f"Applied {len(report.applied)} fix(es): {titles} in {files}. u undoes.", title="Fixed", timeout=5)
        if report.failed:
            failures = "\n".join(sorted({f"• {r.path}: {r.reason}" for r in report.failed}))
            screen.notify(f"Not written:\n{failures}", title="Write failed", severity="error", timeout=10)
        if report.refused:
            reasons = "\n".join(f"• {r.path}: {r.reason}" for r in report.refused)
            paths = sorted({r.path for r in report.refused})

            def answered(yes: bool | None) -> None:
                if yes:
                    screen.set_state("rescanning")
                    screen.rescan_files([screen.root / p for p in paths], "rescanned")

            screen.app.push_screen(
                ConfirmScreen("The fix was refused", f"{reasons}\n\nRescan the file and try again?", yes="Rescan"), answered
            )

    def undo(self) -> None:
        """Restore the files of the last applied fix batch."""
        self.screen.run_worker(self._undo_in_thread, thread=True, exclusive=True, group="apply", exit_on_error=False, description="undo")

    def _undo_in_thread(self) -> None:
        screen, call = self.screen, self.screen.app.call_from_thread
        try:
            report = undo_last(screen.root, cache_dir=screen.cache_dir)
        except ProjectBusy as exc:
            call(screen.notify, exc.reason, title="Not undone", severity="error", timeout=8)
            return
        call(self._undone, report)

    def _undone(self, report: UndoReport) -> None:
        screen = self.screen
        if report.restored:
            screen.notify(f"Restored {', '.join(report.restored)}.", title="Undone", timeout=4)
            screen.rescan_files([screen.root / p for p in report.restored], "scanned")
        if not report.ok:
            screen.notify(report.refused or "Nothing to undo.", title="Undo", severity="warning", timeout=5)
