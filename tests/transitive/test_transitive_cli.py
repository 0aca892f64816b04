"""`asyncdoc check --explain-unresolved` lists what the call graph could not follow."""

from __future__ import annotations

import json

from asyncdoc_tui.cli import main

FILES = {
    "app/main.py": """
        import time

        def slow():
            time.sleep(1)

        def relay(callback):
            callback()

        async def handler():
            relay(slow)
            slow()
    """,
}


def test_text_report_lists_unresolved_calls(write_files, capsys):
    root = write_files(FILES)
    code = main(["check", str(root), "--no-cache", "--explain-unresolved"])
    out = capsys.readouterr().out
    assert code == 1
    assert "app/main.py:11:5: AD201 `slow()` blocks the event loop in `handler`: it calls `time.sleep` (app/main.py:4)" in out
    assert "1 call(s) in async code and the helpers it reaches could not be followed" in out
    assert "app/main.py:7:5: `callback()` in `relay`: receiver of unknown type" in out


def test_json_stays_valid(write_files, capsys):
    root = write_files(FILES)
    main(["check", str(root), "--no-cache", "--format", "json", "--explain-unresolved"])
    captured = capsys.readouterr()
    assert [f["code"] for f in json.loads(captured.out)["findings"]] == ["AD201"]
    assert "receiver of unknown type" in captured.err
