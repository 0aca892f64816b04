"""The facts cache: an unchanged project re-scans without parsing (counted, not timed)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from asyncdoc_tui.config import Config
from asyncdoc_tui.scan.cache_dir import default_cache_dir
from asyncdoc_tui.scan.engine import load_project

Write = Callable[[dict[str, str | bytes]], Path]

FILES = {
    "app/__init__.py": "",
    "app/a.py": "import time\n\nasync def f():\n    time.sleep(1)\n",
    "app/b.py": "def g():\n    return 1\n",
}


def _load(root: Path, cache_dir: Path, use_cache: bool = True):
    return load_project([root], config=Config(), use_cache=use_cache, cache_dir=cache_dir)


def test_warm_scan_parses_nothing(write: Write, tmp_path: Path) -> None:
    root, cache = write(FILES), tmp_path / "cache"
    cold = _load(root, cache)
    warm = _load(root, cache)
    assert (cold.parsed, warm.parsed) == (3, 0)
    assert warm.files == cold.files


def test_touched_but_identical_file_is_matched_by_content(write: Write, tmp_path: Path) -> None:
    root, cache = write(FILES), tmp_path / "cache"
    _load(root, cache)
    stat = (root / "app/a.py").stat()
    os.utime(root / "app/a.py", ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert _load(root, cache).parsed == 0


def test_changed_file_is_parsed_again_alone(write: Write, tmp_path: Path) -> None:
    root, cache = write(FILES), tmp_path / "cache"
    _load(root, cache)
    (root / "app/b.py").write_text("import time\n\nasync def g():\n    time.sleep(2)\n", encoding="utf-8")
    again = _load(root, cache)
    assert again.parsed == 1
    assert [c.line for c in again.index.by_path["app/b.py"].calls] == [4]


def test_no_cache_neither_reads_nor_writes(write: Write, tmp_path: Path) -> None:
    root, cache = write(FILES), tmp_path / "cache"
    assert _load(root, cache, use_cache=False).parsed == 3
    assert not cache.exists()


def test_default_cache_dir_follows_xdg_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "asyncdoc"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "asyncdoc"


def _cli(root: Path, *args: str, xdg: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(xdg)}
    subprocess.run([sys.executable, "-m", "asyncdoc_tui", "check", "--select", "AD1", *args, str(root)], env=env, capture_output=True, check=False)


def test_cli_cache_flags(write: Write, tmp_path: Path) -> None:
    root, xdg = write(FILES), tmp_path / "xdg"
    _cli(root, "--no-cache", xdg=xdg)
    assert not xdg.exists()
    _cli(root, "--cache-dir", str(tmp_path / "mine"), xdg=xdg)
    assert list((tmp_path / "mine" / "facts").glob("*.pickle")) and not xdg.exists()
    _cli(root, xdg=xdg)
    assert list((xdg / "asyncdoc" / "facts").glob("*.pickle"))


def test_facts_cached_by_other_extraction_code_are_not_reused(
    write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from asyncdoc_tui.scan import cache as cache_module

    root, cache = write(FILES), tmp_path / "cache"
    _load(root, cache)
    monkeypatch.setattr(cache_module, "FINGERPRINT", b"other extraction code")
    assert _load(root, cache).parsed == 3
