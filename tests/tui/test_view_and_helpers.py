"""Filters, sort orders, editor commands and user settings: the app's logic without a terminal."""

from __future__ import annotations

from pathlib import Path

from asyncdoc_tui.model import Finding, Severity
from asyncdoc_tui.tui.editor import editor_command, editor_from_env
from asyncdoc_tui.tui.settings import UserSettings
from asyncdoc_tui.tui.view import Scope, ViewFilter, family_of, finding_key, visible


def finding(code: str, path: str, line: int, message: str = "msg", severity: Severity = Severity.ERROR, suppressed: bool = False) -> Finding:
    return Finding(code, severity, path, line, 1, line, 5, message, suppressed=suppressed)


FINDINGS = [
    finding("AD101", "app/main.py", 3, "time.sleep blocks"),
    finding("AD301", "app/models.py", 1, "import cycle", Severity.ERROR),
    finding("AD403", "app/main.py", 9, "awaits could run concurrently", Severity.INFO),
    finding("AD102", "app/client.py", 5, "requests.get blocks", Severity.WARNING),
    finding("AD101", "app/main.py", 7, "time.sleep blocks", suppressed=True),
]


def test_text_filter_matches_code_path_and_message() -> None:
    assert [f.line for f in visible(FINDINGS, ViewFilter(text="sleep"), "location")] == [3]
    assert [f.code for f in visible(FINDINGS, ViewFilter(text="code:ad1"), "code")] == ["AD101", "AD102"]
    assert [f.path for f in visible(FINDINGS, ViewFilter(text="path:models"), "location")] == ["app/models.py"]
    assert visible(FINDINGS, ViewFilter(text="main concurrently"), "location")[0].code == "AD403"


def test_severity_cycle_and_suppressed() -> None:
    view = ViewFilter()
    seen = []
    for _ in range(4):
        seen.append(len(visible(FINDINGS, view, "severity")))
        view = view.next_severity()
    assert seen == [4, 2, 1, 1]
    assert view.severity is None
    assert len(visible(FINDINGS, ViewFilter(show_suppressed=True), "severity")) == 5


def test_scope_and_sorts() -> None:
    assert {f.code for f in visible(FINDINGS, ViewFilter(scope=Scope("family", "Import cycles")), "code")} == {"AD301"}
    assert [f.severity for f in visible(FINDINGS, ViewFilter(), "severity")][-1] is Severity.INFO
    assert visible(FINDINGS, ViewFilter(), "message")[0].message == "awaits could run concurrently"
    assert family_of("AD201") == "Blocking via project code"
    assert finding_key(FINDINGS[0]) != finding_key(FINDINGS[4])


def test_editor_commands() -> None:
    path = Path("/p/app/main.py")
    assert editor_command(["vim"], path, 12) == ["vim", "+12", "/p/app/main.py"]
    assert editor_command(["/usr/bin/nano"], path, 3) == ["/usr/bin/nano", "+3", "/p/app/main.py"]
    assert editor_command(["emacsclient", "-t"], path, 3) == ["emacsclient", "-t", "+3", "/p/app/main.py"]
    assert editor_command(["code", "--wait"], path, 7) == ["code", "--wait", "-g", "/p/app/main.py:7"]
    assert editor_command(["ed"], path, 7) == ["ed", "/p/app/main.py"]
    assert editor_from_env({"EDITOR": "code --wait"}) == ["code", "--wait"]
    assert editor_from_env({"VISUAL": "nvim", "EDITOR": "nano"}) == ["nvim"]
    assert editor_from_env({}) == ["vi"]


def test_settings_round_trip_and_damage(tmp_path: Path) -> None:
    assert UserSettings.load(tmp_path).theme == ""
    UserSettings(theme="nord").save(tmp_path)
    assert UserSettings.load(tmp_path).theme == "nord"
    (tmp_path / "settings.json").write_text("{not json")
    assert UserSettings.load(tmp_path).theme == ""
