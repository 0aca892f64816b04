"""Frames of the app on a copy of the demo project (stored under snapshots/test_snapshots/).

The demo grows as rules are added; regenerate with `pytest tests/tui --snapshot-update`
after a demo change and review the SVGs.
"""

from __future__ import annotations

from pathlib import Path

from pilot_helpers import make_app, settle


def test_main_screen(snap_compare, shop: Path, tmp_path: Path) -> None:
    assert snap_compare(make_app(shop, tmp_path), terminal_size=(140, 40), run_before=settle)


def _show(code: str, focus_hops: bool = True):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *f"code:{code}", "enter")
        await settle(pilot)
        if focus_hops:
            await pilot.press("enter")  # focus the chain's hops in the detail pane
            await settle(pilot)

    return run_before


def test_ad201_detail(snap_compare, shop: Path, tmp_path: Path) -> None:
    assert snap_compare(make_app(shop, tmp_path), terminal_size=(140, 48), run_before=_show("AD201", True))


def test_ad301_detail(snap_compare, shop: Path, tmp_path: Path) -> None:
    assert snap_compare(make_app(shop, tmp_path), terminal_size=(140, 60), run_before=_show("AD301", True))


def test_diff_pane(snap_compare, shop: Path, tmp_path: Path) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *"code:AD102", "enter")
        await settle(pilot)

    assert snap_compare(make_app(shop, tmp_path), terminal_size=(160, 48), run_before=run_before)


def test_help_screen(snap_compare, shop: Path, tmp_path: Path) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(shop, tmp_path), terminal_size=(120, 40), run_before=run_before)


def test_narrow_terminal(snap_compare, shop: Path, tmp_path: Path) -> None:
    assert snap_compare(make_app(shop, tmp_path), terminal_size=(80, 24), run_before=settle)
