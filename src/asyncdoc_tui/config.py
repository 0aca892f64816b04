"""`[tool.asyncdoc]` settings from the project's pyproject.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Config:
    """Project settings; every field has a default so a project needs no configuration."""

    select: tuple[str, ...] = ()  # code prefixes; empty = all
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # glob patterns relative to the root
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    blocking: tuple[tuple[str, str], ...] = ()  # dotted name -> advice (AD109)
    keys: tuple[tuple[str, str], ...] = ()  # TUI action -> key
    source: Path | None = None  # the pyproject.toml read, if any
    errors: tuple[str, ...] = field(default=())

    def with_overrides(self, select: tuple[str, ...] | None, ignore: tuple[str, ...] | None) -> Config:
        """Command-line `--select` / `--ignore` replace the configured lists."""
        from dataclasses import replace

        return replace(
            self,
            select=select if select is not None else self.select,
            ignore=ignore if ignore is not None else self.ignore,
        )


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start`."""
    start = start if start.is_dir() else start.parent
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _codes(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value.upper(),)
    if isinstance(value, list):
        return tuple(str(v).upper() for v in value)
    return ()


def load_config(root: Path) -> Config:
    """Read `[tool.asyncdoc]`; a malformed file yields defaults plus an error message."""
    path = find_pyproject(root)
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Config(source=path, errors=(f"{path}: cannot read [tool.asyncdoc]: {exc}",))
    section = data.get("tool", {}).get("asyncdoc", {})
    if not isinstance(section, dict):
        return Config(source=path, errors=(f"{path}: [tool.asyncdoc] must be a table",))
    blocking = section.get("blocking", {})
    per_file = section.get("per-file-ignores", {})
    keys = section.get("keys", {})
    return Config(
        select=_codes(section.get("select", [])),
        ignore=_codes(section.get("ignore", [])),
        exclude=tuple(str(p) for p in section.get("exclude", []) if isinstance(p, str)),
        per_file_ignores=tuple(sorted((str(k), _codes(v)) for k, v in per_file.items()))
        if isinstance(per_file, dict)
        else (),
        blocking=tuple(sorted((str(k), str(v)) for k, v in blocking.items())) if isinstance(blocking, dict) else (),
        keys=tuple(sorted((str(k), str(v)) for k, v in keys.items())) if isinstance(keys, dict) else (),
        source=path,
    )
