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


class _Section:
    """Typed reads of `[tool.asyncdoc]`: a value of the wrong type is an error that names
    the key and the expected shape (a usage error for the commands), never a guess."""

    def __init__(self, table: dict[str, object], path: Path):
        self.table, self.path = table, path
        self.errors: list[str] = []

    def _wrong(self, key: str, shape: str) -> None:
        self.errors.append(f"{self.path}: [tool.asyncdoc] {key} must be {shape}")

    def strings(self, key: str, example: str) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        self._wrong(key, f"a list of strings, e.g. {key} = {example}")
        return ()

    def table_of(self, key: str, kind: type, shape: str) -> dict[str, object]:
        value = self.table.get(key, {})
        if isinstance(value, dict) and all(isinstance(v, kind) for v in value.values()):
            return value
        self._wrong(key, shape)
        return {}

    def flag(self, key: str) -> bool:
        value = self.table.get(key, False)
        if isinstance(value, bool):
            return value
        self._wrong(key, "true or false")
        return False


def _codes(values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(v.strip().upper() for v in values)


def load_config(root: Path) -> Config:
    """Read `[tool.asyncdoc]`; a malformed file yields defaults plus error messages."""
    path = find_pyproject(root)
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Config(source=path, errors=(f"{path}: cannot read [tool.asyncdoc]: {exc}",))
    tool = data.get("tool", {})
    section = tool.get("asyncdoc", {}) if isinstance(tool, dict) else None
    if not isinstance(section, dict):
        where = "[tool]" if not isinstance(tool, dict) else "[tool.asyncdoc]"
        return Config(source=path, errors=(f"{path}: {where} must be a table",))
    read = _Section(section, path)
    per_file = read.table_of("per-file-ignores", list, 'a table of code lists, e.g. per-file-ignores = { "tests/*" = ["AD101"] }')
    src = read.strings("src", '["server", "libs/*"]')
    config = Config(
        select=_codes(read.strings("select", '["AD1", "AD201"]')),
        ignore=_codes(read.strings("ignore", '["AD104"]')),
        exclude=read.strings("exclude", '["migrations"]'),
        per_file_ignores=tuple(sorted((str(k), _codes([str(c) for c in v])) for k, v in per_file.items())),  # type: ignore[attr-defined]
        blocking=tuple(sorted((k, str(v)) for k, v in read.table_of("blocking", str, 'a table of advice strings, e.g. blocking = { "mylib.fetch" = "use mylib.afetch" }').items())),
        keys=tuple(sorted((k, str(v)) for k, v in read.table_of("keys", str, 'a table of key names, e.g. keys = { apply = "ctrl+a" }').items())),
        src=tuple(os.path.join(path.parent, p) for p in src),  # globs relative to this file
        src_origin=f"[tool.asyncdoc] src in {path}" if src else "",
        force_exclude=read.flag("force-exclude"),
        source=path,
    )
    return replace(config, errors=tuple(read.errors)) if read.errors else config
