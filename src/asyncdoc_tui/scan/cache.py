"""On-disk cache of FileFacts, one pickle per project, keyed by file stat and content hash.

An unchanged file is recognised by (size, mtime) without being read; a touched but
identical file by its content hash. The tool version and a fingerprint of the extraction
code (`parse.FINGERPRINT`) are part of every key.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

from asyncdoc_tui.scan.facts import TREE_PASSES
from asyncdoc_tui.scan.facts_model import FileFacts
from asyncdoc_tui.scan.parse import FINGERPRINT


@dataclass(frozen=True, slots=True)
class CacheEntry:
    size: int
    mtime_ns: int
    module: str
    facts: FileFacts


def _complete(facts: FileFacts) -> FileFacts | None:
    """Cached facts only if every registered tree pass ran on them."""
    return facts if TREE_PASSES.keys() <= facts.extra.keys() else None


class FactsCache:
    """Cached facts of one project root."""

    def __init__(self, cache_dir: Path, root: Path):
        key = hashlib.blake2b(f"{root.resolve()}".encode(), digest_size=12).hexdigest()
        self.path = cache_dir / "facts" / f"{key}.pickle"
        self.entries: dict[str, CacheEntry] = {}
        self.by_digest: dict[str, CacheEntry] = {}
        self.dirty = False

    def load(self) -> None:
        try:
            with self.path.open("rb") as handle:
                version, entries = pickle.load(handle)
        except (OSError, pickle.PickleError, EOFError, ValueError, AttributeError, ImportError, TypeError):
            return
        if version == FINGERPRINT and isinstance(entries, dict):
            self.entries = entries
            self.by_digest = {e.facts.digest: e for e in entries.values()}

    def lookup_stat(self, rel: str, module: str, stat: os.stat_result) -> FileFacts | None:
        entry = self.entries.get(rel)
        if entry and entry.size == stat.st_size and entry.mtime_ns == stat.st_mtime_ns and entry.module == module:
            return _complete(entry.facts)
        return None

    def lookup_digest(self, rel: str, module: str, digest: str) -> FileFacts | None:
        entry = self.by_digest.get(digest)
        if entry and entry.module == module and entry.facts.path == rel:
            return _complete(entry.facts)
        return None

    def store(self, rel: str, module: str, stat: os.stat_result, facts: FileFacts) -> None:
        self.entries[rel] = CacheEntry(stat.st_size, stat.st_mtime_ns, module, facts)
        self.dirty = True

    def prune(self, keep: set[str]) -> None:
        for rel in [r for r in self.entries if r not in keep]:
            del self.entries[rel]
            self.dirty = True

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is not an error."""
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((FINGERPRINT, self.entries), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            return
