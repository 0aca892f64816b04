"""`[tool.asyncdoc]` settings from the project's pyproject.toml."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
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
    src: tuple[str, ...] = ()  # import roots as absolute globs; empty = detect them
    src_origin: str = ""  # where `src` came from, for --show-roots
    force_exclude: bool = False  # apply exclude / .gitignore / venv rules to named paths too
    source: Path | None = None  # the pyproject.toml read, if any
    errors: tuple[str, ...] = field(default=())

    def with_overrides(
        self,
        select: tuple[str, ...] | None = None,
        ignore: tuple[str, ...] | None = None,
        src: list[Path] | None = None,
        force_exclude: bool = False,
    ) -> Config:
        """Command-line options replace the configured values (`--src` paths are relative
        to the current folder, as every path on a command line is)."""
        return replace(
            self,
            select=select if select is not None else self.select,
            ignore=ignore if ignore is not None else self.ignore,
            src=tuple(str(p.absolute()) for p in src) if src else self.src,
            src_origin="--src" if src else self.src_origin,
            force_exclude=force_exclude or self.force_exclude,
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
    src = section.get("src", [])
    src = [src] if isinstance(src, str) else src if isinstance(src, list) else []
    return Config(
        select=_codes(section.get("select", [])),
        ignore=_codes(section.get("ignore", [])),
        exclude=tuple(str(p) for p in section.get("exclude", []) if isinstance(p, str)),
        per_file_ignores=tuple(sorted((str(k), _codes(v)) for k, v in per_file.items()))
        if isinstance(per_file, dict)
        else (),
        blocking=tuple(sorted((str(k), str(v)) for k, v in blocking.items())) if isinstance(blocking, dict) else (),
        keys=tuple(sorted((str(k), str(v)) for k, v in keys.items())) if isinstance(keys, dict) else (),
        src=tuple(os.path.join(path.parent, str(p)) for p in src),  # globs relative to this file
        src_origin=f"[tool.asyncdoc] src in {path}" if src else "",
        force_exclude=section.get("force-exclude") is True,
        source=path,
    )
