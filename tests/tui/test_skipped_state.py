"""Skipped files in the app: the header counts them at every width, a folder where nothing
parsed says so instead of "0 errors", and an incomplete finding says so in the detail."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_helpers import make_app, settle
from project_files import write_tree
from textual.widgets import Static

from asyncdoc_tui.tui.widgets.detail import DetailPane

INVALID = "def (:\n"


def header(app) -> str:
    """The header as drawn: the summary text and the skipped cell, when it is shown."""
    bar = app.screen.query_one("#summary")
    cells = [bar.query_one("#summary-text", Static), bar.query_one("#summary-skipped", Static)]
    return " ".join(str(cell.render()) for cell in cells if cell.display)


def detail_head(app) -> str:
    return str(app.screen.query_one(DetailPane).query_one("#detail-head").render())


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_the_header_counts_skipped_files_at_every_width(shop: Path, tmp_path: Path, size: tuple[int, int]) -> None:
    (shop / "shop" / "broken.py").write_text(INVALID)
    (shop / "shop" / "newer.py").write_text("x = (\n")
    app = make_app(shop, tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        cell = app.screen.query_one("#summary-skipped", Static)
        assert cell.display and str(cell.render()).strip() == "2 skipped"
        assert cell.region.right <= size[0] and cell.region.width == len(" 2 skipped")  # on screen, whole
        assert "errors" in header(app)  # files were analysed: the counts stay


async def test_the_header_has_no_skipped_cell_when_every_file_parsed(shop: Path, tmp_path: Path) -> None:
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#summary-skipped", Static).display


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_a_folder_where_nothing_parsed_says_so(tmp_path: Path, size: tuple[int, int]) -> None:
    root = write_tree(tmp_path / "broken", {"a.py": INVALID, "pkg/__init__.py": INVALID, "pkg/b.py": "class\n"})
    app = make_app(root, tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        text = header(app)
        assert "nothing analysed" in text and "3 skipped" in text
        assert "0 errors" not in text
        head = detail_head(app)
        assert head.startswith("Nothing was analysed\nNone of the 3 Python files under")
        assert "a.py\n" in head and "pkg/b.py\n" in head  # listed even where the side panel is hidden


async def test_an_empty_folder_says_no_python_files_were_found(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    app = make_app(tmp_path / "empty", tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "nothing analysed" in header(app)
        assert "No Python files found under" in detail_head(app)


async def test_an_incomplete_finding_says_so_in_the_detail(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "proj",
        {
            "app/__init__.py": "",
            "app/broken.py": INVALID,
            "app/helpers.py": "import time\nfrom app import broken\n\ndef slow():\n    broken.prepare()\n    time.sleep(1)\n",
            "app/api.py": "from app.helpers import slow\n\nasync def handler():\n    slow()\n",
        },
    )
    app = make_app(root, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"code:AD201", "enter")
        await settle(pilot)
        block = app.screen.query_one("#detail-text")
        text = " ".join(strip.text.strip() for strip in block.render_lines(block.content_region.reset_offset))
        assert "Incomplete: depends on app/broken.py, which was skipped" in text


def test_snapshot_skipped_files_on_a_narrow_terminal(snap_compare, shop: Path, tmp_path: Path) -> None:
    (shop / "shop" / "broken.py").write_text(INVALID)
    assert snap_compare(make_app(shop, tmp_path), terminal_size=(80, 24), run_before=settle)


def test_snapshot_nothing_parsed(snap_compare, tmp_path: Path) -> None:
    root = write_tree(tmp_path / "work" / "broken", {"a.py": INVALID, "pkg/__init__.py": INVALID, "pkg/b.py": "class\n"})
    assert snap_compare(make_app(root, tmp_path), terminal_size=(80, 24), run_before=settle)
