"""After one file changes, AD201 is recomputed from the other files' cached shares."""

from __future__ import annotations

from asyncdoc_tui.rules import transitive
from asyncdoc_tui.scan.callgraph import CallGraph, call_graph
from asyncdoc_tui.scan.engine import load_project, rescan_paths

FILES = {
    "app/__init__.py": "",
    "app/helpers.py": """
        import time

        def pause():
            time.sleep(1)

        def quick():
            return 1
    """,
    "app/main.py": """
        from app.helpers import pause, quick

        async def handler():
            quick()
            return 1
    """,
}


def lines(project) -> list[int]:
    return [f.line for f in transitive.check(project)]


def test_body_edit_reuses_other_files_and_updates_findings(write_files):
    tmp_path = write_files(FILES)
    project = load_project([tmp_path], use_cache=False)
    assert lines(project) == []
    helpers_share = call_graph(project.index)  # built, so per-file shares are cached
    before = project.index.derived[("calls", "app/helpers.py", project.index.by_path["app/helpers.py"].digest)]

    main = tmp_path / "app/main.py"
    main.write_text(main.read_text().replace("quick()", "pause()"), encoding="utf-8")
    updated = rescan_paths(project, [main])

    assert updated.index.derived is project.index.derived
    digest = updated.index.by_path["app/helpers.py"].digest
    assert updated.index.derived[("calls", "app/helpers.py", digest)] is before
    assert lines(updated) == [4]
    patched = call_graph(updated.index)
    assert patched is not helpers_share
    cold = CallGraph(load_project([tmp_path], use_cache=False).index)
    assert (patched.edges, patched.callers, patched.unresolved) == (cold.edges, cold.callers, cold.unresolved)


def test_interface_edit_starts_afresh(write_files):
    tmp_path = write_files(FILES)
    project = load_project([tmp_path], use_cache=False)
    call_graph(project.index)
    helpers = tmp_path / "app/helpers.py"
    helpers.write_text(helpers.read_text().replace("return 1", "time.sleep(2)\n    return 1"), encoding="utf-8")
    updated = rescan_paths(project, [helpers])
    assert updated.index.derived is project.index.derived  # a body edit: `quick` kept its interface
    assert lines(updated) == [4]

    helpers.write_text(helpers.read_text() + "\n\ndef added():\n    pass\n", encoding="utf-8")
    again = rescan_paths(updated, [helpers])
    assert again.index.derived is not updated.index.derived
    assert lines(again) == [4]


def test_moved_lines_show_in_reused_analyses(write_files):
    tmp_path = write_files(FILES)
    main = tmp_path / "app/main.py"
    main.write_text(main.read_text().replace("quick()", "pause()"), encoding="utf-8")
    project = load_project([tmp_path], use_cache=False)
    [before] = transitive.check(project)
    assert before.extras["sink"]["line"] == 4
    helpers = tmp_path / "app/helpers.py"
    helpers.write_text(helpers.read_text().replace("def pause():\n", "def pause():\n    '''Wait.'''\n"), encoding="utf-8")
    updated = rescan_paths(project, [helpers])
    assert updated.index.derived is project.index.derived
    assert updated.index.functions["app.helpers.pause"][1].line == 3
    assert updated.index.functions["app.helpers.quick"][0] is updated.index.by_path["app/helpers.py"]
    [after] = transitive.check(updated)
    assert after.extras["sink"]["line"] == 5
    assert [f"{e.path}:{e.line}" for e in after.evidence] == ["app/main.py:4", "app/helpers.py:5"]
