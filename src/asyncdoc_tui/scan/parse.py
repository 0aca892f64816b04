"""Read, decode and parse one file into FileFacts, or say plainly why it cannot be.

Runs in worker processes, so it takes and returns plain picklable values and never
raises for bad input.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import tokenize
import warnings

from asyncdoc_tui import __version__
from asyncdoc_tui.model import SkippedFile
from asyncdoc_tui.rules import await_flow, await_sharing  # registers the AD403 tree pass (workers too)
from asyncdoc_tui.rules import file_blocks, offload_branches  # register their tree passes
from asyncdoc_tui.scan import context_calls, edge_kinds, facts, facts_model, grammar, iteration_calls, operation_sites
from asyncdoc_tui.scan.discover import SourceFile, unreadable
from asyncdoc_tui.scan.facts import extract
from asyncdoc_tui.scan.facts_model import FileFacts

MAX_BYTES = 4 * 1024 * 1024


def _fingerprint() -> bytes:
    """The tool version plus the source of the code that shapes facts, so cached facts
    are never reused by different extraction code, even within one version. Files are
    found without importing them: the down-levelling loads only when a file needs it."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=8)
    modules = (facts, facts_model, edge_kinds, context_calls, iteration_calls, operation_sites, await_flow, await_sharing, offload_branches, file_blocks, grammar)
    for name in (*(m.__name__ for m in modules), grammar.DOWNLEVEL, __name__):
        spec = importlib.util.find_spec(name)
        try:
            with open(spec.origin if spec and spec.origin else "", "rb") as handle:
                digest.update(handle.read())
        except OSError:
            digest.update(name.encode())
    return digest.digest()


FINGERPRINT = _fingerprint()


def digest_of(data: bytes) -> str:
    """Cache key for content: the extraction code's fingerprint is part of it."""
    return hashlib.blake2b(data + FINGERPRINT, digest_size=16).hexdigest()


def decode(data: bytes) -> str:
    """Source text honouring a BOM and PEP 263 coding cookies."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        # Undecodable bytes in the first two lines and no cookie: name the byte instead.
        data.decode("utf-8")
        raise
    text = data.decode(encoding)
    return text.removeprefix("\ufeff")


def _syntax_reason(exc: SyntaxError) -> str:
    where = f"line {exc.lineno}" + (f", column {exc.offset}" if exc.offset else "")
    read = "; ".join(getattr(exc, "__notes__", ()))
    return f"syntax error at {where}: {exc.msg}" + (f" (with the newer syntax it uses read: {read})" if read else "")


def parse_source(data: bytes, source_file: SourceFile, digest: str) -> FileFacts | SkippedFile:
    """FileFacts for the bytes of one file, or a SkippedFile with a reason."""
    rel = source_file.rel
    if len(data) > MAX_BYTES:
        return SkippedFile(rel, f"file is {len(data) / 1e6:.1f} MB, over the {MAX_BYTES // (1024 * 1024)} MB limit (generated code?)")
    if b"\0" in data:
        return SkippedFile(rel, "contains null bytes (binary file or corrupted source)")
    try:
        text = decode(data)
    except (SyntaxError, LookupError) as exc:
        return SkippedFile(rel, f"unknown source encoding: {exc}")
    except UnicodeDecodeError as exc:
        return SkippedFile(rel, f"cannot decode as {exc.encoding} at byte {exc.start} (add a PEP 263 coding comment?)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = grammar.parse(text, rel)
        return extract(tree, text, rel, source_file.module, source_file.is_package, digest)
    except SyntaxError as exc:
        return SkippedFile(rel, _syntax_reason(exc))
    except (RecursionError, MemoryError):
        return SkippedFile(rel, "too deeply nested to analyse (expression nesting exceeds the parser's limit)")
    except ValueError as exc:
        return SkippedFile(rel, f"cannot parse: {exc}")


def parse_file(source_file: SourceFile) -> FileFacts | SkippedFile:
    """Read and parse one file from disk."""
    try:
        data = source_file.path.read_bytes()
    except OSError as exc:
        return unreadable(source_file.rel, exc)
    return parse_source(data, source_file, digest_of(data))
