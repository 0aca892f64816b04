"""The playground screen: a live run against the demo server, and a snapshot of a recorded run."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static

from asyncdoc_tui.playground.export import load_runs
from asyncdoc_tui.tui.screens.playground import PlaygroundScreen

RECORDED = Path(__file__).parent / "data" / "compare_all.json"


class Host(App[None]):
    """Stands in for the main app, which pushes the screen on `p`."""

    def __init__(self, urls: list[str] | None) -> None:
        super().__init__()
        self.urls = urls

    def on_mount(self) -> None:
        self.push_screen(PlaygroundScreen(self.urls))


async def _wait_idle(pilot: Pilot[None], screen: PlaygroundScreen) -> None:
    for _ in range(200):
        await pilot.pause(0.05)
        if not screen.busy:
            return
    raise AssertionError("run did not finish")


async def test_run_a_pattern_and_export(demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = Host([f"{demo_url}/delay/0.05"])
    async with app.run_test(size=(140, 45)) as pilot:
        screen = app.screen
        assert isinstance(screen, PlaygroundScreen)
        screen.query_one("#pg-requests", Input).value = "6"
        patterns = screen.query_one("#pg-patterns", OptionList)
        patterns.highlighted = 3  # taskgroup
        patterns.focus()
        await pilot.pause()
        assert "asyncio.TaskGroup()" in screen.query_one("#pg-code", Static).content.code  # type: ignore[union-attr]
        await pilot.press("r")
        await _wait_idle(pilot, screen)
        table = screen.query_one("#pg-results", DataTable)
        assert table.row_count == 1
        row = table.get_row("taskgroup")
        assert row[0] == "taskgroup" and row[6] == "6" and row[7] == "0"
        await pilot.click("#pg-export")
        await pilot.pause()
        exported = list(tmp_path.glob("asyncdoc-playground-*.json"))
        assert len(exported) == 1
        assert json.loads(exported[0].read_text())["runs"][0]["pattern"] == "taskgroup"


async def test_bad_input_is_explained(demo_url: str) -> None:
    app = Host(["not a url"])
    async with app.run_test(size=(140, 45)) as pilot:
        screen = app.screen
        await pilot.click("#pg-run")
        await pilot.pause()
        status = screen.query_one("#pg-status", Static)
        assert "not an http(s) URL" in str(status.content)
        assert status.has_class("-error")
        assert screen._handle is None


async def test_escape_closes_when_idle() -> None:
    app = Host(["http://127.0.0.1:9/"])
    async with app.run_test(size=(140, 45)) as pilot:
        app.screen.query_one("#pg-results", DataTable).focus()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PlaygroundScreen)


async def test_starts_demo_server_without_urls() -> None:
    app = Host(None)
    async with app.run_test(size=(140, 45)) as pilot:
        area = app.screen.query_one("#pg-urls")
        for _ in range(100):
            if area.text:  # type: ignore[attr-defined]
                break
            await pilot.pause(0.05)
        assert area.text.startswith("http://127.0.0.1:") and area.text.endswith("/delay/0.2")  # type: ignore[attr-defined]


def test_snapshot_after_compare_all(snap_compare) -> None:  # type: ignore[no-untyped-def]
    runs = load_runs(RECORDED)

    async def replay(pilot: Pilot[None]) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, PlaygroundScreen)
        screen.show_results(runs)
        screen.query_one("#pg-results", DataTable).focus()
        await pilot.pause()

    assert snap_compare(Host([runs[0].config.urls[0]]), terminal_size=(150, 48), run_before=replay)
