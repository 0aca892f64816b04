"""The undo journal: every `apply_fixes` batch records each file's bytes before and a
hash of the bytes after, under the cache dir, one folder per project root.

`undo_last` restores the newest batch byte for byte, and refuses when any of its files
changed since the fix was written (the person edited it: undoing would lose work).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from asyncdoc_tui.fixes.proposal import UndoReport
from asyncdoc_tui.fixes.write import atomic_write, content_hash
from asyncdoc_tui.scan.cache_dir import default_cache_dir

MANIFEST = "manifest.json"


def journal_dir(root: Path, cache_dir: Path | None = None) -> Path:
    key = hashlib.blake2b(str(root.resolve()).encode(), digest_size=12).hexdigest()
    return (cache_dir or default_cache_dir()) / "journal" / key


@dataclass
class Batch:
    """One batch being written or read; entries are in the order files were written."""

    root: Path
    folder: Path
    entries: list[dict[str, object]]

    @property
    def id(self) -> str:
        return self.folder.name

    @classmethod
    def start(cls, root: Path, cache_dir: Path | None = None) -> Batch:
        base = journal_dir(root, cache_dir)
        base.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        serial = 0
        while True:
            folder = base / f"{stamp}-{time.time_ns() % 10**9:09d}-{serial}"
            try:
                folder.mkdir()
                break
            except FileExistsError:
                serial += 1
        return cls(root, folder, [])

    def record(self, rel: str, before: bytes, after: bytes, mode: int) -> None:
        """Keep the old bytes before the new ones are written (crash-safe order)."""
        blob = f"{len(self.entries)}.before"
        (self.folder / blob).write_bytes(before)
        self.entries.append({"path": rel, "blob": blob, "after": content_hash(after), "mode": mode})
        self._save()

    def forget(self, rel: str) -> None:
        """Drop a file rolled back during verification."""
        self.entries = [e for e in self.entries if e["path"] != rel]
        self._save()

    def close(self) -> str | None:
        """The batch id, or None (and no folder) when nothing was written."""
        if not self.entries:
            shutil.rmtree(self.folder, ignore_errors=True)
            return None
        return self.id

    def _save(self) -> None:
        data = json.dumps({"root": str(self.root), "entries": self.entries}, indent=1).encode()
        atomic_write(self.folder / MANIFEST, data, 0o644)


def last_batch(root: Path, cache_dir: Path | None = None) -> Batch | None:
    base = journal_dir(root, cache_dir)
    if not base.is_dir():
        return None
    for folder in sorted((p for p in base.iterdir() if (p / MANIFEST).is_file()), reverse=True):
        try:
            manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if manifest.get("entries"):
            return Batch(root, folder, list(manifest["entries"]))
    return None


def undo_last(root: Path, cache_dir: Path | None = None) -> UndoReport:
    """Restore every file of the newest batch, or none of them."""
    root = Path(root).absolute()
    batch = last_batch(root, cache_dir)
    if batch is None:
        return UndoReport(None, refused="nothing to undo: no applied fixes are journalled for this project")
    changed: list[str] = []
    for entry in batch.entries:
        path = root / str(entry["path"])
        try:
            current = path.read_bytes()
        except OSError:
            changed.append(f"{entry['path']} (missing)")
            continue
        if content_hash(current) != entry["after"]:
            changed.append(str(entry["path"]))
    if changed:
        return UndoReport(batch.id, refused="files changed since the fix was applied, not undoing: " + ", ".join(changed))
    restored: list[str] = []
    for entry in reversed(batch.entries):
        path = root / str(entry["path"])
        atomic_write(path, (batch.folder / str(entry["blob"])).read_bytes(), int(entry["mode"]))  # type: ignore[arg-type]
        restored.append(str(entry["path"]))
    shutil.rmtree(batch.folder, ignore_errors=True)
    return UndoReport(batch.id, restored=sorted(set(restored)))
