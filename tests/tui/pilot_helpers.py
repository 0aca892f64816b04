"""Helpers for driving the app in tests (imported by the test modules)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerFailed

from asyncdoc_tui.config import load_config
from asyncdoc_tui.tui.app import AsyncdocApp


def make_app(root: Path, tmp_path: Path) -> AsyncdocApp:
    return AsyncdocApp(root, config=load_config(root), cache_dir=tmp_path / "cache" / "asyncdoc")


async def settle(pilot: Pilot) -> None:
    """Wait until scans, fix computations and rescans have finished and been drawn
    (the watcher runs until it is switched off, so it is not waited for)."""
    app = pilot.app
    for _ in range(6):
        await pilot.pause(0.1)
        for worker in [w for w in app.workers if w.group != "watch"]:
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):  # replaced by a newer one, or reported
                pass
    await pilot.pause()
