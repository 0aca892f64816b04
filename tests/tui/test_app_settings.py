"""Key remapping from pyproject.toml, the remembered theme, and the command palette."""

from __future__ import annotations

from pathlib import Path

from pilot_helpers import make_app, settle

from asyncdoc_tui.tui.screens.help import HelpScreen
from asyncdoc_tui.tui.settings import UserSettings, config_dir


async def test_keys_remapped_from_pyproject(shop: Path, tmp_path: Path) -> None:
    (shop / "pyproject.toml").write_text('[tool.asyncdoc.keys]\nhelp = "h"\nnot_an_action = "x"\n')
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        assert isinstance(app.screen, HelpScreen)
        assert any("not_an_action" in str(n.message) for n in app._notifications)


async def test_theme_is_remembered(shop: Path, tmp_path: Path) -> None:
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    assert UserSettings.load(config_dir()).theme == "nord"
    again = make_app(shop, tmp_path)
    async with again.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert again.theme == "nord"


async def test_palette_lists_every_action(shop: Path, tmp_path: Path) -> None:
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Apply fix", "Apply safe in file", "Undo", "Edit", "Filter", "Severity", "Suppressed",
                "Rescan", "Watch", "Playground", "Keys", "Theme", "Sort by code"} <= titles
