"""Whole-project result cache: an unchanged project gets its previous ScanResult back
without building the project or running a rule.

The key covers every input a result depends on: the discovered files (names, modules)
and what each looked like (size, mtime_ns; on a stat mismatch the content decides, so a
`touch` alone still hits), extra paths whose presence or content matters (discovery's
marker files), extra strings (the import roots chosen), the whole effective `Config`
(select/ignore included), the interpreter, asyncdoc's version, and a fingerprint of the
package's own analysis code and data (the catalog among them). Any difference is a miss,
and the engine recomputes, reusing the per-file facts cache.

This module is on the warm path of `asyncdoc check`, so it imports only discovery, the
config and the model; the engine (rules, the extractor, multiprocessing) only on a miss.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from contextlib import suppress
from dataclasses import fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

import asyncdoc_tui
from asyncdoc_tui import __version__
from asyncdoc_tui.config import Config
from asyncdoc_tui.model import ScanResult
from asyncdoc_tui.scan.discover import Discovery, discover

PACKAGE_DIR = Path(asyncdoc_tui.__file__).parent
# Sub-packages that only present or drive results (or are scanned as data, like the demo):
# their code cannot change a ScanResult. Everything else is fingerprinted, so a package
# added later counts until it is listed here.
PRESENTATION = frozenset({"tui", "playground", "report", "commands", "demo"})
FINGERPRINTED = (".py", ".toml")

Stamp = tuple[int, int] | None  # (size, mtime_ns), None when the path does not exist


def stamp_of(path: str) -> Stamp:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def content_digest(path: str) -> str | None:
    """Digest of a file's bytes, None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
    except OSError:
        return None


@cache
def code_fingerprint() -> str:
    """Digest of every analysis source and data file shipped in the package (once a process)."""
    digest = hashlib.blake2b(digest_size=16)
    for folder, dirs, files in os.walk(PACKAGE_DIR):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not (folder == str(PACKAGE_DIR) and d in PRESENTATION))
        for name in sorted(f for f in files if f.endswith(FINGERPRINTED)):
            path = os.path.join(folder, name)
            digest.update(os.path.relpath(path, PACKAGE_DIR).encode() + b"\0")
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()


def canonical(value: object) -> str:
    """A text form of a value that is the same in every process: dataclasses field by field
    (so a field added to Config later is keyed without a change here), mappings and sets
    sorted (string hashing differs per process). Anything else by repr; a repr that is not
    stable (an object address) only costs misses."""
    if is_dataclass(value) and not isinstance(value, type):
        inner = ", ".join(f"{f.name}={canonical(getattr(value, f.name))}" for f in fields(value))
        return f"{type(value).__qualname__}({inner})"
    if isinstance(value, dict):
        return "{" + ", ".join(sorted(f"{canonical(k)}: {canonical(v)}" for k, v in value.items())) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(canonical(v) for v in value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(canonical(v) for v in value) + "]"
    return repr(value)


class ResultKey(NamedTuple):
    """`inputs` digests what is compared whole; `stamps` (absolute path -> Stamp) are the
    files, compared by stat first and by content where the stat differs. (Named tuples,
    not dataclasses, here: a third of a millisecond each on the warm path.)"""

    inputs: str
    stamps: dict[str, Stamp]


def result_key(found: Discovery, config: Config) -> ResultKey:
    """The key of a scan of discovery's output under `config` (read from `config.source`,
    which is stamped too). The import roots are in it through every file's module name;
    the marker files that decided them (pyproject.toml, setup.cfg) are stamped, so one that
    appears, goes or changes is a miss."""
    root, files, skipped = found.root, found.files, found.skipped
    inputs = (
        __version__,
        sys.version,
        code_fingerprint(),
        canonical(config),
        str(root),
        [(f.rel, f.module, f.is_package) for f in files],
        [(s.path, s.reason) for s in skipped],
    )
    # The config file itself too: what else in it a scan may come to read (requires-python
    # for the grammar) is then keyed even before it becomes a Config field.
    watched = [*found.markers, *([config.source] if config.source else [])]
    paths = [str(f.path) for f in files] + [str(p.absolute()) for p in watched]
    return ResultKey(
        hashlib.blake2b(repr(inputs).encode(), digest_size=16).hexdigest(),
        {path: stamp_of(path) for path in paths},
    )


class Header(NamedTuple):
    """The first pickle of an entry: enough to decide hit or miss before the result is read."""

    inputs: str
    stamps: dict[str, Stamp]
    digests: dict[str, str | None]  # content when stamped; None for a path absent or unreadable

    def same_content(self, path: str, stamp: Stamp) -> bool:
        """A path whose stat moved still holds the bytes the result was computed from."""
        digest = self.digests.get(path)
        return stamp is not None and digest is not None and content_digest(path) == digest


class ResultCache:
    """The cached result of one project root (one entry: the last scan)."""

    def __init__(self, cache_dir: Path, root: Path):
        key = hashlib.blake2b(f"{root.resolve()}".encode(), digest_size=12).hexdigest()
        self.path = cache_dir / "results" / f"{key}.pickle"

    def lookup(self, key: ResultKey) -> ScanResult | None:
        """The stored result if every input is unchanged; anything unreadable is a miss."""
        try:
            with self.path.open("rb") as handle:
                header = pickle.load(handle)
                if not isinstance(header, Header) or header.inputs != key.inputs or header.stamps.keys() != key.stamps.keys():
                    return None
                moved = [path for path, stamp in key.stamps.items() if stamp != header.stamps[path]]
                if not all(header.same_content(path, key.stamps[path]) for path in moved):
                    return None
                result = pickle.load(handle)
        except Exception:  # unpickling corrupt bytes can raise almost anything: a miss
            return None
        if not isinstance(result, ScanResult):
            return None
        if moved:  # touched but identical: restamp, so the next run reads no file
            self.store(key, header.digests, result)
        return result

    def store(self, key: ResultKey, digests: dict[str, str | None], result: ScanResult) -> None:
        """Write atomically (temporary file + os.replace); a cache that cannot be written is not an error."""
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as handle:
                pickle.dump(Header(key.inputs, key.stamps, digests), handle, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except Exception:  # a full disk, a read-only folder, a value pickle refuses: no entry
            with suppress(OSError):
                tmp.unlink(missing_ok=True)


def cached_result(paths: list[Path], config: Config, cache_dir: Path) -> ScanResult:
    """The result of scanning `paths`: the stored one when nothing changed, else computed
    by the engine (facts from the per-file cache) and stored."""
    found = discover(paths, config)
    key = result_key(found, config)
    store = ResultCache(cache_dir, found.root)
    hit = store.lookup(key)
    if hit is not None:
        return hit
    # Read before the engine does: a file edited while the scan runs then misses next time.
    digests = {path: content_digest(path) if stamp is not None else None for path, stamp in key.stamps.items()}
    from asyncdoc_tui.scan import engine  # the heavy part, only when the analyses must run

    # The engine discovers again: a file that comes or goes in between only makes the next run miss.
    result = engine.result_for(engine.load_project(paths, config=config, cache_dir=cache_dir))
    store.store(key, digests, result)
    return result
