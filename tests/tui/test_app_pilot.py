"""Drive the app with Pilot on a copy of the demo project: scan, navigate, fix, undo,
refusals, the editor and watch mode."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from pilot_helpers import make_app, settle
from textual.drivers.headless_driver import HeadlessDriver

from asyncdoc_tui.config import load_config
from asyncdoc_tui.fixes.journal import project_lock
from asyncdoc_tui.scan.engine import scan
from asyncdoc_tui.tui.screens.confirm import ConfirmScreen
from asyncdoc_tui.tui.screens.help import HelpScreen
from asyncdoc_tui.tui.screens.main import MainScreen
from asyncdoc_tui.tui.view import finding_key
from asyncdoc_tui.tui.widgets.detail import DetailPane


def shown(screen: MainScreen) -> list:
    table = screen.table
    return [table.finding(row.key.value) for row in table.ordered_rows]


async def select_code(pilot, code: str) -> MainScreen:
    """Filter the table to one rule and wait for its fix to be computed."""
    await pilot.press("slash", *f"code:{code}", "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert screen.table.current is not None and screen.table.current.code == code
    return screen


async def test_scan_shows_every_rule_of_the_demo(shop: Path, tmp_path: Path) -> None:
    _, expected = scan([shop], config=load_config(shop), use_cache=False)
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.state == "scanned"
        assert {f.code for f in shown(screen)} == {f.code for f in expected.findings}
        assert screen.table.row_count == len(expected.findings)
        assert {"AD101", "AD102", "AD103", "AD104", "AD105", "AD106"} <= {f.code for f in shown(screen)}


async def test_navigate_and_filter(shop: Path, tmp_path: Path) -> None:
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        total = screen.table.row_count
        first = screen.table.current
        await pilot.press("j")
        assert screen.table.current != first
        await pilot.press("k")
        assert screen.table.current == first
        await pilot.press("slash", *"subprocess", "enter")
        await settle(pilot)
        assert [f.code for f in shown(screen)] == ["AD103"]
        assert screen.query_one(DetailPane).finding.code == "AD103"
        await pilot.press("slash", "escape")
        await settle(pilot)
        assert screen.table.row_count == total
        await pilot.press("slash", *"path:nothing-here", "enter")
        await settle(pilot)
        assert screen.table.row_count == 0
        await pilot.press("slash", "escape", "f")
        assert all(f.severity.value == "error" for f in shown(screen))
        await pilot.press("f")
        assert all(f.severity.value == "warning" for f in shown(screen))
        await pilot.press("f", "f")
        assert screen.table.row_count == total
        await pilot.press("o")
        assert screen.sort_by == "code"
        codes = [f.code for f in shown(screen)]
        assert codes == sorted(codes)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert app.screen is screen


async def test_tree_narrows_to_a_file(shop: Path, tmp_path: Path) -> None:
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        tree = screen.query_one("#nav")
        tree.focus()
        target = next(node for node in tree._tree_lines if node.node.data and node.node.data.kind == "path")
        tree.move_cursor(target.node)
        await pilot.press("enter")
        await settle(pilot)
        assert {f.path for f in shown(screen)} == {target.node.data.value}


async def apply_first_sleep_fix(pilot) -> MainScreen:
    screen = await select_code(pilot, "AD101")
    assert screen.fixes.proposal is not None and screen.fixes.proposal.fix_id == "asyncio-sleep"
    await pilot.press("a")
    if isinstance(pilot.app.screen, ConfirmScreen):
        await pilot.press("y")
    await settle(pilot)
    return screen


async def test_apply_then_undo(shop: Path, tmp_path: Path) -> None:
    main = shop / "shop" / "main.py"
    original = main.read_text()
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = await apply_first_sleep_fix(pilot)
        fixed = main.read_text()
        assert "await asyncio.sleep(0.1)" in fixed and "time.sleep(0.1)\n    return {\"ok\"" not in fixed
        assert "AD101" not in {f.code for f in screen.result.findings if f.line == 18}
        await pilot.press("u")
        await settle(pilot)
        assert main.read_text() == original
        await pilot.press("slash", "escape")
        await settle(pilot)
        assert any(f.code == "AD101" and f.line == 18 for f in screen.result.findings)


async def test_apply_while_another_asyncdoc_writes_is_refused(shop: Path, tmp_path: Path) -> None:
    """The lock is held as another process would hold it (its own `flock`): the app says
    so in a notification and writes nothing."""
    main = shop / "shop" / "main.py"
    original = main.read_bytes()
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        with project_lock(shop, app.cache_dir):
            screen = await apply_first_sleep_fix(pilot)
            await pilot.press("u")
            await settle(pilot)
        busy = [n for n in app._notifications if "another asyncdoc" in str(n.message)]
        assert len(busy) == 2 and all(n.severity == "error" for n in busy)
        assert "is applying fixes in this project" in str(busy[0].message)
        assert main.read_bytes() == original and screen.state == "scanned"
        await apply_first_sleep_fix(pilot)  # free again once the other writer is done
        assert "await asyncio.sleep(0.1)" in main.read_text()


async def test_unsafe_fix_asks_first(shop: Path, tmp_path: Path) -> None:
    main = shop / "shop" / "main.py"
    original = main.read_text()
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = await select_code(pilot, "AD102")
        for _ in screen.fixes.refs:
            if screen.fixes.proposal is not None and not screen.fixes.proposal.safe:
                break
            await pilot.press("v")
            await settle(pilot)
        assert screen.fixes.proposal is not None and not screen.fixes.proposal.safe
        await pilot.press("a")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert main.read_text() == original


async def test_fix_refused_when_file_changed(shop: Path, tmp_path: Path) -> None:
    main = shop / "shop" / "main.py"
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = await select_code(pilot, "AD101")
        assert screen.fixes.proposal is not None
        changed = main.read_text() + "\n# edited elsewhere\n"
        main.write_text(changed)
        await pilot.press("a")
        if isinstance(app.screen, ConfirmScreen) and "UNSAFE" in app.screen.title_text:
            await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "changed since the scan" in app.screen.body
        assert main.read_text() == changed
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        assert screen.project.index.by_path["shop/main.py"].digest != ""
        await pilot.press("a")
        await settle(pilot)
        assert "await asyncio.sleep(0.1)" in main.read_text()


async def test_editor_opens_at_the_line(shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    def fake_run(command: list[str], check: bool = False) -> subprocess.CompletedProcess:
        calls.append(command)
        return subprocess.CompletedProcess(command, 0)

    editor = tmp_path / "bin" / "nano"
    editor.parent.mkdir()
    editor.write_text("#!/bin/sh\n")
    editor.chmod(0o755)
    monkeypatch.setenv("PATH", f"{editor.parent}:{os.environ['PATH']}")
    monkeypatch.setenv("EDITOR", "nano")
    monkeypatch.setattr("asyncdoc_tui.tui.screens.main.subprocess.run", fake_run)
    monkeypatch.setattr(HeadlessDriver, "can_suspend", property(lambda self: True))
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = await select_code(pilot, "AD101")
        line = screen.table.current.line
        await pilot.press("e")
        await settle(pilot)
        assert calls == [["nano", f"+{line}", str(shop / "shop" / "main.py")]]


async def test_watch_mode_picks_up_an_edit(shop: Path, tmp_path: Path) -> None:
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        before = screen.table.row_count
        await pilot.press("w")
        await pilot.pause(0.5)  # let the watcher start before the edit
        (shop / "shop" / "late.py").write_text("import time\n\n\nasync def late():\n    time.sleep(1)\n")
        for _ in range(100):  # generous: a loaded CI machine is slow, the app is not waiting on us
            await pilot.pause(0.1)
            if any(f.path == "shop/late.py" for f in screen.result.findings):
                break
        await settle(pilot)
        assert any(f.path == "shop/late.py" and f.code == "AD101" for f in screen.result.findings)
        assert screen.table.row_count == before + 1
        await pilot.press("w")
        assert not screen.watching


async def test_watch_mode_ignores_files_discovery_skips(shop: Path, tmp_path: Path) -> None:
    """Edits to excluded, skipped or git-ignored paths trigger no rescan; a normal edit still does."""
    with (shop / "pyproject.toml").open("a") as settings:
        settings.write('exclude = ["shop/vendored"]\n')
    (shop / ".gitignore").write_text("shop/generated/\n")
    subprocess.run(["git", "init", "-q"], cwd=shop, check=True)
    blocking = "import time\n\n\nasync def late():\n    time.sleep(1)\n"
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("w")
        await pilot.pause(0.5)  # let the watcher start before the edits
        for ignored in ("shop/vendored/old.py", "build/lib/shop/copy.py", "shop/notes.txt", "shop/generated/api.py"):
            (shop / ignored).parent.mkdir(parents=True, exist_ok=True)
            (shop / ignored).write_text(blocking)
        (shop / "shop" / "late.py").write_text(blocking)
        for _ in range(100):
            await pilot.pause(0.1)
            if any(f.path == "shop/late.py" for f in screen.result.findings):
                break
        await settle(pilot)
        paths = {f.path for f in screen.result.findings} | {s.path for s in screen.result.skipped}
        assert "shop/late.py" in paths
        assert not paths & {"shop/vendored/old.py", "build/lib/shop/copy.py", "shop/notes.txt", "shop/generated/api.py"}
        await pilot.press("w")


async def test_unparsable_file_is_listed_as_skipped(shop: Path, tmp_path: Path) -> None:
    (shop / "shop" / "broken.py").write_text("def broken(:\n")
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one("#skipped")
        assert panel.display
        assert "shop/broken.py" in str(panel.render())


async def test_worker_failure_becomes_a_notification(shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_load(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("asyncdoc_tui.tui.screens.main.load_project", broken_load)
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.screen.state == "error"
        assert any("disk on fire" in str(n.message) and n.severity == "error" for n in app._notifications)
        assert app.is_running


async def test_missing_editor_is_reported(shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITOR", "no-such-editor-here")
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        assert any("no-such-editor-here" in str(n.message) for n in app._notifications)


async def test_apply_all_safe_fixes_in_a_file(shop: Path, tmp_path: Path) -> None:
    main = shop / "shop" / "main.py"
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = await select_code(pilot, "AD101")
        before = [f for f in screen.result.findings if f.path == "shop/main.py"]
        await pilot.press("A")
        await settle(pilot)
        after = [f for f in screen.result.findings if f.path == "shop/main.py"]
        assert "await asyncio.sleep(0.1)" in main.read_text()
        assert len(after) < len(before) - 1
        await pilot.press("u")
        await settle(pilot)
        assert len([f for f in screen.result.findings if f.path == "shop/main.py"]) == len(before)


async def test_a_pressed_right_after_j_applies_the_fix_of_the_row_under_the_cursor(shop: Path, tmp_path: Path) -> None:
    """The panes follow the cursor after a debounce; `a` must not apply the fix they
    showed for the previous row in the meantime."""
    main = shop / "shop" / "main.py"
    app = make_app(shop, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"path:shop/main.py", "enter")
        await settle(pilot)
        screen = app.screen
        first, second = shown(screen)[:2]
        assert screen.fixes.proposal is not None and finding_key(screen.fixes.proposal.finding) == finding_key(first)
        await pilot.press("j", "a")  # no pause: the debounce has not fired yet
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)  # the second row's fix is unsafe: it asks
        assert screen.fixes.proposal is not None and finding_key(screen.fixes.proposal.finding) == finding_key(second)
        await pilot.press("y")
        await settle(pilot)
        fixed = main.read_text()
        assert "time.sleep(0.1)" in fixed  # the first row's fix was never applied
        assert (second.code, second.line) not in {(f.code, f.line) for f in screen.result.findings}
