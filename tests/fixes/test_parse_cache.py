"""The fixers' parse cache stays small: one text per file, a few files at most."""

from __future__ import annotations

import gc

from libcst.metadata import CodeRange

from asyncdoc_tui.fixes.cst import PARSE_CACHE_FILES, parsed


def live_ranges() -> int:
    gc.collect()
    return sum(isinstance(o, CodeRange) for o in gc.get_objects())


def test_an_edited_file_replaces_its_old_parse() -> None:
    parsed("edited.py", "x = f(1)\n")
    one_version = live_ranges()
    for n in range(20):
        parsed("edited.py", f"x = f({n})\n")
    assert live_ranges() == one_version


def test_only_a_few_files_are_kept() -> None:
    text = "import time\n\n\nasync def main():\n    time.sleep(1)\n"
    for n in range(PARSE_CACHE_FILES):
        parsed(f"file{n}.py", text)
    full = live_ranges()
    for n in range(PARSE_CACHE_FILES, 5 * PARSE_CACHE_FILES):
        parsed(f"file{n}.py", text)
    assert live_ranges() == full


def test_the_same_text_reuses_its_parse() -> None:
    assert parsed("same.py", "y = g()\n") is parsed("same.py", "y = g()\n")
