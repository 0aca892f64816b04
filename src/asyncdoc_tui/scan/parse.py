"""Read, decode and parse one file into FileFacts, or say plainly why it cannot be.

Runs in worker processes, so it takes and returns plain picklable values and never
raises for bad input.
"""

from __future__ import annotations

import ast
import hashlib
import io
import re
import sys
import tokenize
import warnings

from asyncdoc_tui import __version__
from asyncdoc_tui.model import SkippedFile
from asyncdoc_tui.rules import await_flow  # registers the AD403 tree pass (workers too)
from asyncdoc_tui.scan import context_calls, edge_kinds, facts, facts_model, iteration_calls, operation_sites
from asyncdoc_tui.scan.discover import SourceFile, unreadable
from asyncdoc_tui.scan.facts import extract
from asyncdoc_tui.scan.facts_model import FileFacts

MAX_BYTES = 4 * 1024 * 1024
_RUNNING = f"{sys.version_info.major}.{sys.version_info.minor}"
# Constructs the running parser may not know: (pattern, Python version that added it).
_NEWER_SYNTAX = (
    (re.compile(rb"^\s*type\s+\w+(\[.*\])?\s*=", re.MULTILINE), "3.12", "`type X = ...` aliases"),
    (re.compile(rb"^\s*(async\s+)?def\s+\w+\[", re.MULTILINE), "3.12", "generic functions `def f[T]()`"),
    (re.compile(rb"^\s*class\s+\w+\[", re.MULTILINE), "3.12", "generic classes `class C[T]`"),
    (re.compile(rb"^\s*except\s+[\w.]+\s*,\s*[\w.]+\s*:", re.MULTILINE), "3.14", "`except A, B:` without parentheses"),
    (re.compile(rb"\bt[\"']", re.MULTILINE), "3.14", "template strings"),
)


def _fingerprint() -> bytes:
    """The tool version plus the source of the code that shapes facts, so cached facts
    are never reused by different extraction code, even within one version."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=8)
    for module in (facts, facts_model, edge_kinds, context_calls, iteration_calls, operation_sites, await_flow, sys.modules[__name__]):
        try:
            with open(module.__file__ or "", "rb") as handle:
                digest.update(handle.read())
        except OSError:
            digest.update(module.__name__.encode())
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


def _syntax_reason(exc: SyntaxError, data: bytes) -> str:
    where = f"line {exc.lineno}" + (f", column {exc.offset}" if exc.offset else "")
    reason = f"syntax error at {where}: {exc.msg}"
    for pattern, version, what in _NEWER_SYNTAX:
        if version > _RUNNING and pattern.search(data):
            return f"{reason} (uses {what} from Python {version}; asyncdoc runs on Python {_RUNNING} and cannot parse it)"
    return reason


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
            tree = ast.parse(text, filename=rel)
        return extract(tree, text, rel, source_file.module, source_file.is_package, digest)
    except SyntaxError as exc:
        return SkippedFile(rel, _syntax_reason(exc, data))
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
