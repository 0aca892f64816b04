"""Find the Python files of a project and name their modules.

Inside a git work tree the file list comes from `git ls-files` (so `.gitignore` is
honoured exactly as git does); otherwise a walk that never follows directory symlinks.
Either way the usual non-project folders are skipped.
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from asyncdoc_tui.config import Config
from asyncdoc_tui.model import SkippedFile
from asyncdoc_tui.scan.roots import ImportRoot, configured_roots, find_roots, import_root, markers_in

SKIP_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", "node_modules", "build", "dist", "__pycache__", ".tox", ".nox",
        ".mypy_cache", ".pytest_cache", ".ruff_cache", ".cache", "site-packages", ".venv",
        "venv", ".eggs", ".ipynb_checkpoints",
    }
)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to scan: absolute path, path relative to the root, and its module name."""

    path: Path
    rel: str
    module: str
    is_package: bool


def skip_dir(folder: Path | str, name: str) -> bool:
    """A folder that never holds project code (venvs, caches, build output); watch mode uses it too."""
    return _skipped_name(name) or os.path.exists(os.path.join(folder, name, "pyvenv.cfg"))


def _skipped_name(name: str) -> bool:
    """A folder skipped by its name alone (a venv is known by its `pyvenv.cfg`)."""
    return name in SKIP_DIRS or name.endswith(".egg-info")


def excluded(rel: str, patterns: tuple[str, ...]) -> bool:
    """Whether a root-relative path matches `[tool.asyncdoc] exclude` (a glob or a folder)."""
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, f"{pattern}/*") or rel.startswith(f"{pattern}/"):
            return True
    return False


def _git_files(root: Path) -> list[Path] | None:
    """Python files git would track here (tracked or untracked, not ignored), or None."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "*.py", "*.pyi"],
            cwd=root,
            capture_output=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return [root / rel for rel in out.decode("utf-8", "surrogateescape").split("\0") if rel.endswith(".py")]


def _walk(root: Path) -> list[Path]:
    """`os.walk(root, followlinks=False)` pruned as discovery needs, on `os.scandir` directly
    (a third faster on Django's 2,455 folders, most of them locale data)."""
    found: list[str] = []
    top = str(root)
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue  # unreadable: os.walk skips it too
        files: list[str] = []
        folders: list[str] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:  # a symlink loop: a file name, as os.walk sees it
                is_dir = False
            if not is_dir:
                files.append(entry.name)
            elif not entry.is_symlink() and not _skipped_name(entry.name):
                folders.append(entry.path)
        if folder != top and "pyvenv.cfg" in files:  # a virtual environment
            continue
        stack.extend(folders)
        found.extend(os.path.join(folder, name) for name in files if name.endswith(".py"))
    return [Path(path) for path in found]


def _not_skipped(target: Path, listed: list[Path]) -> list[Path]:
    """Files git lists that are not inside a skipped folder (a venv git does not ignore)."""
    verdicts: dict[Path, bool] = {target: False}

    def skipped(folder: Path) -> bool:
        verdict = verdicts.get(folder)
        if verdict is None:
            verdict = verdicts[folder] = skipped(folder.parent) or skip_dir(folder.parent, folder.name)
        return verdict

    return [path for path in listed if not skipped(path.parent)]


def unreadable(rel: str, exc: OSError) -> SkippedFile:
    """The skipped-file entry for a path the OS would not let us read."""
    return SkippedFile(rel, f"cannot read: {exc.strerror or exc}")


def module_name_for(rel_parts: tuple[str, ...]) -> tuple[str, bool]:
    """Dotted module name for a path relative to its import root, and whether a package."""
    parts = list(rel_parts)
    last = parts[-1]
    is_package = last == "__init__.py"
    if is_package:
        parts.pop()
    else:
        parts[-1] = last.removesuffix(".py")
    return ".".join(parts), is_package


def module_for(path: Path, roots: list[Path]) -> tuple[str, bool]:
    """Dotted module name of a file (from the first of `roots` above it), and whether it
    is a package `__init__`."""
    text = str(path)
    for base in roots:
        prefix = os.path.join(str(base), "")
        if text.startswith(prefix):
            return module_name_for(tuple(text[len(prefix) :].split(os.sep)))
    return module_name_for((path.name,))


class Discovery(NamedTuple):
    """What a scan sees: its root, files with module names, paths it could not use, the
    import roots chosen (and why), and the marker files that decided them."""

    root: Path
    files: list[SourceFile]
    skipped: list[SkippedFile]
    roots: list[ImportRoot]
    markers: list[Path]


def discover(paths: list[Path], config: Config | None = None) -> Discovery:
    """Find the files to scan (sorted) and name their modules.

    A path named here is scanned even when it lies in a git-ignored folder, a virtual
    environment or an excluded folder (as ruff does: `asyncdoc check .venv/…/starlette`
    means it); `force-exclude` applies those rules to named paths too. `src` replaces the
    detection of import roots.
    """
    config = config or Config()
    exclude = config.exclude
    skipped: list[SkippedFile] = []
    if not paths:
        paths = [Path.cwd()]
    resolved = [p.absolute() for p in paths]
    first = resolved[0]
    root = first if first.is_dir() else first.parent
    # `exclude` globs are relative to the config file's folder, whichever folder is scanned.
    exclude_base = config.source.parent if config.source else root
    files: dict[Path, bool] = {}  # path -> exempt from `exclude` (named, or under a named excluded folder)
    for target in resolved:
        rel_display = os.path.relpath(target, root)
        if not target.exists() and not target.is_symlink():
            skipped.append(SkippedFile(rel_display, "no such file or directory"))
            continue
        try:
            target.stat()
        except OSError as exc:
            skipped.append(unreadable(rel_display, exc))
            continue
        ignored = target in git_ignored(target if target.is_dir() else target.parent, [target])
        hidden = ignored or _left_out(target, root, exclude_base, exclude)
        if hidden and config.force_exclude:
            continue
        if target.is_file():
            files[target] = True
            continue
        listed = _git_files(target) if _in_git(target) and not ignored else None
        found = _walk(target) if listed is None else _not_skipped(target, listed)
        files.update(dict.fromkeys(found, hidden))
    kept: dict[Path, str] = {}
    for path in sorted(files):
        if files[path] or not excluded(_rel(path, exclude_base), exclude):
            kept[path] = _rel(path, root)
    markers = markers_in(kept, import_root(root))
    roots = find_roots(root, list(kept), markers, configured_roots(config.src, config.src_origin))
    root_paths = [r.path for r in roots]
    result = [SourceFile(path, rel, *module_for(path, root_paths)) for path, rel in kept.items()]
    return Discovery(root, result, skipped, roots, markers)


def _left_out(target: Path, root: Path, exclude_base: Path, exclude: tuple[str, ...]) -> bool:
    """A named path that a scan of its root would leave out: excluded, or inside a venv
    or tool folder."""
    rel = _rel(target, exclude_base)
    if rel != "." and excluded(rel, exclude):
        return True
    return any(skip_dir(f.parent, f.name) for f in (target, *target.parents) if f.is_relative_to(root) and f != root)


def _rel(path: Path, root: Path) -> str:
    """Path as reported: relative to `root` ("." for itself), forward slashes; absolute
    outside it. String work: pathlib's `relative_to` is slow for every file of a tree."""
    text, prefix = str(path), os.path.join(str(root), "")
    if text == str(root):
        return "."
    rel = text[len(prefix) :] if text.startswith(prefix) else text
    return rel.replace(os.sep, "/")


def _in_git(folder: Path) -> bool:
    return any((p / ".git").exists() for p in (folder, *folder.parents))


def git_ignored(root: Path, paths: list[Path]) -> set[Path]:
    """The untracked `paths` git ignores, as discovery leaves them out (none outside a work tree).

    For callers that learn about files one by one (watch mode) rather than by listing.
    """
    if not paths or not _in_git(root):
        return set()
    try:
        out = subprocess.run(
            ["git", "check-ignore", "-z", "--stdin"],
            cwd=root,
            input=b"\0".join(os.fsencode(p) for p in paths),
            capture_output=True,
            timeout=30,
        ).stdout  # exit status 1 means "nothing ignored"
    except (OSError, subprocess.SubprocessError):
        return set()
    return {Path(os.fsdecode(name)) for name in out.split(b"\0") if name}
