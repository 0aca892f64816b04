"""The asyncdoc Textual app: opens the main screen on a project, applies the user's key
remapping and theme, and lists every action in the command palette.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from asyncdoc_tui.config import Config
from asyncdoc_tui.model import ScanResult
from asyncdoc_tui.scan.project import Project
from asyncdoc_tui.tui.screens.main import MainScreen
from asyncdoc_tui.tui.settings import UserSettings


class AsyncdocApp(App[None]):
    """`asyncdoc [PATH]`: findings in panes, fixes by key, live rescans."""

    CSS_PATH = "app.tcss"
    TITLE = "asyncdoc"

    def __init__(
        self,
        root: Path,
        *,
        config: Config | None = None,
        use_cache: bool = True,
        cache_dir: Path | None = None,
        note: str = "",
        preloaded: tuple[Project, ScanResult] | None = None,
        settings_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.root = root
        self.config = config or Config()
        self.use_cache = use_cache
        self.cache_dir = cache_dir
        self.note = note
        self._preloaded = preloaded
        self.settings_dir = settings_dir
        self.settings = UserSettings.load(settings_dir)

    def get_default_screen(self) -> Screen:
        return MainScreen(
            self.root,
            config=self.config,
            use_cache=self.use_cache,
            cache_dir=self.cache_dir,
            note=self.note,
            preloaded=self._preloaded,
        )

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._apply_keymap()
        for error in self.config.errors:
            self.notify(error, title="pyproject.toml", severity="warning", timeout=10)

    def _remember_theme(self, theme: object) -> None:
        name = getattr(theme, "name", "")
        if name and name != self.settings.theme:
            self.settings.theme = name
            try:
                self.settings.save(self.settings_dir)
            except OSError as exc:
                self.notify(f"Cannot save the theme: {exc.strerror or exc}", severity="warning", timeout=5)

    def _apply_keymap(self) -> None:
        """`[tool.asyncdoc.keys] apply = "ctrl+a"` replaces the key of the `apply` binding."""
        known = {b.id for b in MainScreen.BINDINGS if isinstance(b, Binding) and b.id}
        keymap = {action: key for action, key in self.config.keys if action in known}
        unknown = sorted(action for action, _ in self.config.keys if action not in known)
        if unknown:
            self.notify(
                f"Unknown actions in [tool.asyncdoc.keys]: {', '.join(unknown)}. Known: {', '.join(sorted(known))}.",
                severity="warning",
                timeout=10,
            )
        if keymap:
            self.set_keymap(keymap)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            for title, help_text, callback in screen.commands():
                yield SystemCommand(title, help_text, callback)
