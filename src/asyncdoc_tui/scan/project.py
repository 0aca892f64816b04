"""The scanned project as the rules see it: facts, index, catalog and configuration."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from asyncdoc_tui.config import Config
from asyncdoc_tui.model import SkippedFile
from asyncdoc_tui.rules.catalog import Catalog, load_catalog
from asyncdoc_tui.scan.facts_model import FileFacts
from asyncdoc_tui.scan.roots import ImportRoot
from asyncdoc_tui.scan.resolve import ProjectIndex


@dataclass
class Project:
    root: Path
    files: list[FileFacts]
    config: Config = field(default_factory=Config)
    skipped: list[SkippedFile] = field(default_factory=list)
    catalog: Catalog = field(default_factory=load_catalog)
    parsed: int = 0  # files parsed when loaded (the rest came from the facts cache)
    roots: list[ImportRoot] = field(default_factory=list)  # deepest first, as discovery chose them
    notes: list[str] = field(default_factory=list)  # hints about the scan itself (an import root missed)

    @cached_property
    def index(self) -> ProjectIndex:
        return ProjectIndex(self.files, self.catalog, self.skipped)

    def replace_files(
        self, updated: list[FileFacts], removed: set[str] = frozenset(), skipped: list[SkippedFile] | None = None
    ) -> Project:
        """A new project with some files' facts replaced (incremental rescan), and the new
        list of skipped files when it changed."""
        by_path = {f.path: f for f in self.files if f.path not in removed}
        by_path.update((f.path, f) for f in updated)
        skipped = self.skipped if skipped is None else skipped
        project = Project(
            self.root, sorted(by_path.values(), key=lambda f: f.path), self.config, skipped, self.catalog, roots=self.roots, notes=self.notes
        )
        if "index" in self.__dict__:  # reuse resolutions and per-file analyses where valid
            project.index = self.index.updated(project.files, skipped)
        return project
