"""Per-user app settings (the chosen theme) kept between runs in the user's config dir.

Project settings live in pyproject.toml; what a person prefers across projects lives here.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path


def config_dir() -> Path:
    """`$XDG_CONFIG_HOME/asyncdoc` (default `~/.config/asyncdoc`)."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "asyncdoc"


@dataclass
class UserSettings:
    theme: str = ""

    @classmethod
    def load(cls, folder: Path | None = None) -> UserSettings:
        """Read settings; a missing or damaged file gives defaults (never stops the app)."""
        path = (folder or config_dir()) / "settings.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        theme = data.get("theme") if isinstance(data, dict) else None
        return cls(theme=theme if isinstance(theme, str) else "")

    def save(self, folder: Path | None = None) -> None:
        folder = folder or config_dir()
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / "settings.json.tmp"
        tmp.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, folder / "settings.json")
