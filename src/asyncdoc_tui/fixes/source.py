"""Source bytes <-> text for rewriting, keeping the encoding and BOM exactly.

Newline style needs no handling here: libcst keeps every newline token it read and
writes new lines in the module's own style, so a CRLF file stays CRLF.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceText:
    text: str  # without the BOM
    encoding: str  # "utf-8-sig" when the file starts with a BOM

    def encode(self, text: str) -> bytes:
        return text.encode(self.encoding)


def read_source(data: bytes) -> SourceText:
    """Decode as Python itself would (BOM, PEP 263 cookie)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return SourceText(data.decode(encoding), encoding)


def char_col(text: str, line: int, byte_col: int) -> int:
    """0-based character column of an `ast` 1-based UTF-8 byte column on `line`."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return byte_col - 1
    return len(lines[line - 1].encode("utf-8")[: byte_col - 1].decode("utf-8", errors="ignore"))
