"""The undo journal: one folder per `apply_fixes` batch under the cache dir (one folder
per project root), holding each file's bytes before the fix and a manifest whose entries
go planned -> written as the batch proceeds.

The manifest is saved before each step it describes, so a run that failed or was killed
at any point leaves a batch `undo_last` understands: a file is restored when it holds
exactly the bytes the fix wrote, left alone when the fix never reached it (or it is
already back to its old bytes), and the batch is refused when a written file changed
since (undoing would lose the person's work). A batch with nothing left to undo is
dropped, so it never stands in front of older ones.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from asyncdoc_tui.fixes.lock import held
from asyncdoc_tui.fixes.proposal import UndoReport
from asyncdoc_tui.fixes.write import (
    TMP_SUFFIX,
    FileChanged,
    atomic_write,
    content_hash,
    failure_reason,
    swap,
    temp_path,
    write_target,
)
from asyncdoc_tui.scan.cache_dir import default_cache_dir

MANIFEST = "manifest.json"
PLANNED, WRITTEN = "planned", "written"


def project_key(root: Path) -> str:
    return hashlib.blake2b(str(root.resolve()).encode(), digest_size=12).hexdigest()


def journal_dir(root: Path, cache_dir: Path | None = None) -> Path:
    return (cache_dir or default_cache_dir()) / "journal" / project_key(root)


@contextmanager
def project_lock(root: Path, cache_dir: Path | None = None) -> Iterator[None]:
    """Be the project's only writer (else `ProjectBusy`), after cleaning what a killed
    run left behind."""
    with held((cache_dir or default_cache_dir()) / "locks" / f"{project_key(root)}.lock"):
        _sweep(root, cache_dir)
        yield


@dataclass
class Batch:
    """One batch being written or read; entries are in the order files were planned."""

    root: Path
    folder: Path
    entries: list[dict[str, str]]

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

    def plan(self, rel: str, before: bytes, after: bytes) -> Path:
        """Journal a write before it happens (old bytes first, then the manifest); return
        the temporary file the write must use, so a later run can clean it."""
        index = len(self.entries)
        blob = f"{index}.before"
        (self.folder / blob).write_bytes(before)
        tmp = temp_path(write_target(self.root / rel), f"{self.id}-{index}")
        entry = {"path": rel, "blob": blob, "after": content_hash(after), "state": PLANNED, "tmp": str(tmp)}
        self._save([*self.entries, entry])  # raises before the write when the journal cannot be kept
        self.entries.append(entry)
        return tmp

    def written(self, rel: str) -> None:
        next(e for e in self.entries if e["path"] == rel)["state"] = WRITTEN
        self._save(self.entries)

    def forget(self, rel: str) -> None:
        """Drop a file whose write failed or was rolled back: it holds its old bytes."""
        self.entries = [e for e in self.entries if e["path"] != rel]
        self._save(self.entries)

    def temp_of(self, entry: dict[str, str]) -> Path:
        """The entry's temporary file (manifests older than the field get one by id)."""
        return Path(entry["tmp"]) if "tmp" in entry else temp_path(write_target(self.root / entry["path"]), self.id)

    def close(self) -> str | None:
        """The batch id, or None (and no folder) when nothing was written."""
        if not self.entries:
            shutil.rmtree(self.folder, ignore_errors=True)
            return None
        return self.id

    def _save(self, entries: list[dict[str, str]]) -> None:
        data = json.dumps({"root": str(self.root), "entries": entries}, indent=1).encode()
        atomic_write(self.folder / MANIFEST, data, 0o644)


def _batches(root: Path, cache_dir: Path | None) -> list[Batch]:
    """Readable batches, newest first."""
    base = journal_dir(root, cache_dir)
    if not base.is_dir():
        return []
    batches = []
    for folder in sorted((p for p in base.iterdir() if (p / MANIFEST).is_file()), reverse=True):
        try:
            manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
        except (OSError, ValueError):
            continue
        batches.append(Batch(root, folder, list(manifest.get("entries", []))))
    return batches


def _sweep(root: Path, cache_dir: Path | None) -> None:
    """Remove the temporary files of writes a killed run never finished, and batch
    folders it created without a manifest (only ever called under the project lock)."""
    base = journal_dir(root, cache_dir)
    if not base.is_dir():
        return
    for folder in base.iterdir():
        if not (folder / MANIFEST).is_file():
            shutil.rmtree(folder, ignore_errors=True)
            continue
        for leftover in folder.glob(f"*{TMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)
    for batch in _batches(root, cache_dir):
        for entry in batch.entries:
            batch.temp_of(entry).unlink(missing_ok=True)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def undo_last(root: Path, cache_dir: Path | None = None) -> UndoReport:
    """Restore every written file of the newest batch that has anything to undo, or none
    of them when one changed since; each restore is a compare-and-swap."""
    root = Path(root).absolute()
    with project_lock(root, cache_dir):
        for batch in _batches(root, cache_dir):
            restore: list[tuple[dict[str, str], bytes, bytes]] = []
            changed: list[str] = []
            for entry in batch.entries:
                current = _read(root / entry["path"])
                before = (batch.folder / entry["blob"]).read_bytes()
                if current is not None and content_hash(current) == entry["after"]:
                    restore.append((entry, current, before))
                elif entry.get("state", WRITTEN) == WRITTEN and current != before:
                    changed.append(entry["path"] if current is not None else f"{entry['path']} (missing)")
            if changed:
                return UndoReport(batch.id, refused="files changed since the fix was applied, not undoing: " + ", ".join(changed))
            if not restore:  # never written, or undone already: nothing stands here
                shutil.rmtree(batch.folder, ignore_errors=True)
                continue
            return _restore(root, batch, restore)
    return UndoReport(None, refused="nothing to undo: no applied fixes are journalled for this project")


def _restore(root: Path, batch: Batch, restore: list[tuple[dict[str, str], bytes, bytes]]) -> UndoReport:
    restored: list[str] = []
    failed: list[str] = []
    for entry, current, before in reversed(restore):
        try:
            swap(root / entry["path"], current, before, batch.temp_of(entry))
        except (FileChanged, OSError) as exc:
            failed.append(f"{entry['path']}: {failure_reason(exc)}")
            continue
        restored.append(entry["path"])
    if failed:
        return UndoReport(batch.id, restored=sorted(restored), refused="not restored: " + "; ".join(failed))
    shutil.rmtree(batch.folder, ignore_errors=True)
    return UndoReport(batch.id, restored=sorted(restored))
