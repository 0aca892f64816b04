"""Import roots: the folders a project's module names are relative to.

A real repository rarely keeps its package at the top: `server/acme/…`, `backend/app/…`,
`services/billing/billing/…`. Naming `server/acme/models.py` `server.acme.models` makes
every `from acme.models import …` in the project resolve to nothing, so roots are found
the way the project itself runs: the scanned folder (above any package it sits in), `src/`,
folders with their own `pyproject.toml` / `setup.cfg` / `setup.py`, and any folder holding
a top-level package that the project's own absolute imports name. `[tool.asyncdoc] src`
or `--src` replace the detection, as ruff's `src`, pyright's `executionEnvironments` and
mypy's `mypy_path` do.

Detection reads no syntax trees: module names are part of every file's facts, so they must
be known before parsing. A cheap scan of `import` lines decides the folders whose role
the layout alone leaves open, and only those.
"""

from __future__ import annotations

import functools
import glob
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # discovery is on the warm path of `check`: no facts machinery there
    from asyncdoc_tui.scan.facts_model import FileFacts

MARKERS = ("pyproject.toml", "setup.cfg", "setup.py")
# Files bigger than this are skipped by the parser too (generated code): not worth reading.
_MAX_SCAN_BYTES = 4 * 1024 * 1024


@functools.cache
def _import_patterns() -> tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]:
    """Import lines are found from the literal `import` (which the regex engine searches
    for fast; a pattern anchored at every line start made this pass 4-5x slower), then the
    text before it on its line says whether it is `import x` or `from x import`. Compiled
    on first use: most scans decide their roots without reading a file, and discovery is
    on the warm path of `check`."""
    return (
        re.compile(rb"import[ \t(\\]"),
        re.compile(rb"import[ \t]+([A-Za-z_][\w.]*(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*(?:[ \t]+as[ \t]+\w+)?)*)"),
        re.compile(rb"[ \t]*from[ \t]+([A-Za-z_][\w.]*)[ \t]+$"),
    )


@dataclass(frozen=True, slots=True)
class ImportRoot:
    """A folder module names are relative to, and why it was chosen (shown by --show-roots)."""

    path: Path
    reason: str


def root_label(scan_root: Path, folder: Path) -> str:
    """A root as users read it: relative to the scanned folder ("." for itself, "../x" above)."""
    return Path(os.path.relpath(folder, scan_root)).as_posix()


def absolute_imports(data: bytes) -> list[str]:
    """Dotted targets of the absolute `import x` / `from x import` lines of a source.

    A line-based approximation (an import line inside a string counts too): it only has
    to tell which top-level names the project imports, before anything is parsed.
    """
    word, imported, source_line = _import_patterns()
    found: list[str] = []
    for match in word.finditer(data):
        at = match.start()
        head = data[data.rfind(b"\n", 0, at) + 1 : at]
        if not head.strip():
            if names := imported.match(data, at):
                found.extend(item.split()[0].decode() for item in names.group(1).split(b","))
        elif source := source_line.match(head):
            found.append(source.group(1).decode())
    return found


class _Packages:
    """Which folders are regular packages (hold `__init__.py`), memoised: one stat each.

    On strings, not `Path`s: discovery runs this for every file of every scan, and
    pathlib's parsing made it cost as much as the whole walk."""

    def __init__(self) -> None:
        self._known: dict[str, bool] = {}

    def __call__(self, folder: str) -> bool:
        known = self._known.get(folder)
        if known is None:
            known = self._known[folder] = os.path.isfile(os.path.join(folder, "__init__.py"))
        return known

    def top(self, path: str) -> tuple[str, str, bool]:
        """(folder holding the file's top-level package or module, its name, is a package)."""
        folder, name = os.path.split(path)
        if not self(folder):
            return folder, name.removesuffix(".py"), False
        parent, name = os.path.split(folder)
        while parent != folder and self(parent):
            folder = parent
            parent, name = os.path.split(folder)
        return parent, name, True


def import_root(root: Path) -> Path:
    """Folder that module names are relative to: above any package the root sits in."""
    base = root
    while (base / "__init__.py").is_file() and base.parent != base:
        base = base.parent
    return base


def _with_src(folder: Path, reason: str) -> list[ImportRoot]:
    found = [ImportRoot(folder, reason)]
    if (folder / "src").is_dir():
        found.append(ImportRoot(folder / "src", f"src/ layout of {reason.split(' (')[0]}"))
    return found


def configured_roots(patterns: Iterable[str], origin: str) -> list[ImportRoot]:
    """Folders named by `src` globs (absolute: the config made them so)."""
    return [
        ImportRoot(Path(match), f"{origin}: {pattern}")
        for pattern in patterns
        for match in sorted(glob.glob(pattern))
        if os.path.isdir(match)
    ]


def markers_in(files: Iterable[Path], top: Path) -> list[Path]:
    """Marker files (pyproject.toml, setup.cfg, setup.py) in the folders between `top` and
    the scanned files: each can make its folder a root, so they are inputs of a scan."""
    folders: set[str] = set()
    stop = str(top)
    for path in files:
        folder = os.path.dirname(path)
        while folder not in folders and (folder + os.sep).startswith(stop + os.sep):
            folders.add(folder)
            if folder == stop:
                break
            folder = os.path.dirname(folder)
    return sorted(Path(folder, name) for folder in folders for name in MARKERS if os.path.isfile(os.path.join(folder, name)))


def find_roots(scan_root: Path, files: list[Path], markers: list[Path], configured: list[ImportRoot]) -> list[ImportRoot]:
    """The import roots of a scan, deepest first (a file takes the deepest root above it)."""
    base = import_root(scan_root)
    fallback = "the scanned folder" if base == scan_root else "above the package scanned"
    if configured:
        roots = [*configured, ImportRoot(base, f"{fallback} (for files outside the configured roots)")]
        return _ordered(roots)
    roots = _with_src(base, fallback)
    for marker in markers:
        if marker.parent != base:
            roots.extend(_with_src(marker.parent, f"has its own {marker.name}"))
    roots.extend(_imported_package_roots(files, {r.path for r in roots}))
    return _ordered(roots)


def _ordered(roots: list[ImportRoot]) -> list[ImportRoot]:
    unique: dict[Path, ImportRoot] = {}
    for root in roots:
        unique.setdefault(root.path, root)
    return sorted(unique.values(), key=lambda r: (-len(r.path.parts), r.path))


def _imported_package_roots(files: list[Path], known: set[Path]) -> list[ImportRoot]:
    """Folders below a root that hold top-level packages the project imports by name.

    `server/acme/__init__.py` with `from acme.models import X` somewhere makes `server/` a
    root; with `from server.acme.models import X` instead, `server` is a namespace package
    and stays one. Plain modules count only when imported by their sibling scripts (a
    script's folder is on `sys.path`): a stray `scripts/requests.py` must not shadow
    the real `requests` for the whole project. A name a known root already provides
    counts only for imports from inside the folder.
    """
    packages = _Packages()
    tops: dict[Path, dict[str, bool]] = {}
    for path in files:
        folder, name, is_package = packages.top(str(path))
        if name.isidentifier():
            names = tops.setdefault(Path(folder), {})
            names[name] = names.get(name, False) or is_package
    candidates = sorted((f for f in tops if f not in known), key=lambda p: (len(p.parts), p))
    if not candidates:
        return []
    by_head: dict[str, list[tuple[Path, str]]] = {}
    for importer, dotted in _project_imports(files):
        by_head.setdefault(dotted.split(".", 1)[0], []).append((importer, dotted))
    provided = {name for folder in known for name in tops.get(folder, ())}
    accepted: list[ImportRoot] = []
    roots = sorted(known, key=lambda p: -len(p.parts))
    for folder in candidates:
        direct: Counter[str] = Counter()
        for name, is_package in tops[folder].items():
            shared = not is_package or name in provided
            direct[name] = sum(1 for importer, _ in by_head.get(name, ()) if not shared or importer.is_relative_to(folder))
        total = sum(direct.values())
        if not total:
            continue
        enclosing = next((r for r in roots if folder.is_relative_to(r)), None)
        prefix = ".".join(folder.relative_to(enclosing).parts) if enclosing else ""
        through_prefix = sum(
            1 for _, dotted in by_head.get(prefix.split(".", 1)[0], ()) if dotted == prefix or dotted.startswith(prefix + ".")
        ) if prefix else 0
        if total >= through_prefix:
            names = ", ".join(f"`{n}`" for n, count in direct.most_common(3) if count)
            accepted.append(ImportRoot(folder, f"holds {names}, named by {total} absolute import{'s' * (total != 1)}"))
            roots = sorted([*roots, folder], key=lambda p: -len(p.parts))
    return accepted


def _project_imports(files: list[Path]) -> list[tuple[Path, str]]:
    """(importing file, dotted module) for every absolute import line of the project."""
    found: list[tuple[Path, str]] = []
    for path in files:
        try:
            if path.stat().st_size > _MAX_SCAN_BYTES:
                continue
            data = path.read_bytes()
        except OSError:
            continue  # reported by the parser, which reads it again
        found.extend((path, dotted) for dotted in absolute_imports(data))
    return found


# A folder whose project imports fail this often (and at least this many) gets a hint.
_HINT_SHARE = 0.2
_HINT_MIN = 5


def unresolved_roots_note(root: Path, facts: list[FileFacts], modules: set[str], roots: list[ImportRoot]) -> str | None:
    """One hint when many absolute imports of project-looking names resolve to no module
    (`modules`: every module discovered, parsed or not): the usual cause is an import root
    asyncdoc did not find (say which folder, if any folder holds the missing name)."""
    holders: dict[str, Counter[str]] = {}  # name -> folders (relative) holding a package or module of that name
    for f in facts:
        parts = f.path.split("/")
        for depth, part in enumerate(parts):
            name = part.removesuffix(".py")
            if name.isidentifier() and name not in sys.stdlib_module_names:
                holders.setdefault(name, Counter())["/".join(parts[:depth])] += 1
    seen: Counter[str] = Counter()
    missing: Counter[str] = Counter()
    missing_heads: dict[str, Counter[str]] = {}
    for f in facts:
        group = f.path.split("/", 1)[0] if "/" in f.path else "."
        for imp in f.imports:
            head = imp.module.split(".", 1)[0]
            if imp.level or not imp.module or head not in holders:
                continue
            seen[group] += 1
            if imp.module not in modules:
                missing[group] += 1
                missing_heads.setdefault(group, Counter())[head] += 1
    worst = max(missing, key=lambda g: (missing[g] / seen[g], missing[g], g), default=None)
    if worst is None or missing[worst] < _HINT_MIN or missing[worst] / seen[worst] < _HINT_SHARE:
        return None
    where = "the top folder" if worst == "." else f"{worst}/"
    share = f"{missing[worst] / seen[worst]:.0%} of absolute imports of project names under {where} ({missing[worst]} of {seen[worst]}) do not resolve"
    known = {r.path for r in roots}
    suggestions: Counter[str] = Counter()
    for head, count in missing_heads[worst].items():
        for folder in holders[head]:
            if folder and (root / folder) not in known:
                suggestions[folder] += count
    if not suggestions:
        return f"{share}; set [tool.asyncdoc] src to the folders holding your top-level packages (asyncdoc check --show-roots lists the roots in use)"
    folder = suggestions.most_common(1)[0][0]
    return f'{share}; is {folder}/ an import root? Set [tool.asyncdoc] src = ["{folder}"] or pass --src {folder}'
