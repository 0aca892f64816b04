"""Which changed paths watch mode rescans: exactly the files discovery would have scanned."""

from __future__ import annotations

from pathlib import Path

from asyncdoc_tui.scan.discover import excluded, git_ignored, skip_dir


class DiscoveryFilter:
    """A watchfiles filter applying discovery's rules: `.py` only, no skipped folders
    (venvs, build/, .git, ...) and none of the project's `exclude` globs."""

    def __init__(self, root: Path, exclude: tuple[str, ...]) -> None:
        self.root = root.absolute()
        self.exclude = exclude

    def __call__(self, change: object, path: str) -> bool:
        """True when a change to `path` should trigger a rescan."""
        target = Path(path)
        if target.suffix != ".py" or not target.is_relative_to(self.root):
            return False
        rel = target.relative_to(self.root)
        folder = self.root
        for name in rel.parts[:-1]:
            if skip_dir(folder, name):
                return False
            folder = folder / name
        return not excluded(rel.as_posix(), self.exclude)

    def without_git_ignored(self, paths: list[Path]) -> list[Path]:
        """`paths` minus those `.gitignore` hides: one `git` call per batch, not per event."""
        ignored = git_ignored(self.root, paths)
        return [p for p in paths if p not in ignored]
