"""`with open(p) as fh: data = fh.read()` in async code: the safe fix moves the whole block."""

from __future__ import annotations

import asyncio
import runpy
import textwrap
from pathlib import Path

from fix_helpers import scan_tree

from asyncdoc_tui.fixes import apply_fixes, compute_fix

SOURCE = """
    import json


    async def load_template(path):
        with open(path, encoding="utf-8") as fh:
            return fh.read()


    async def load_blob(path):
        with open(path, "rb") as fh:
            blob = fh.read()
        return blob


    async def save(path, data):
        with open(path, "w", encoding="utf-8") as out:
            out.write(json.dumps(data))


    async def two_steps(path):
        with open(path) as fh:
            header = fh.readline()
            return header, fh.read()
    """


async def _exercise(module: dict, folder: Path) -> tuple:
    target = folder / "data.json"
    await module["save"](str(target), {"café": [1, 2]})
    return (
        await module["load_template"](str(target)),
        await module["load_blob"](str(target)),
        await module["two_steps"](str(target)),
    )


def test_the_block_fix_is_first_safe_and_behaves_the_same(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_text(textwrap.dedent(SOURCE).lstrip(), encoding="utf-8")
    before = asyncio.run(_exercise(runpy.run_path(str(app)), tmp_path))
    project, result = scan_tree(tmp_path)
    heads = [f for f in result.findings if f.code == "AD104" and f.line in (5, 10, 16)]
    assert [f.fixes[0].id for f in heads] == ["whole-file"] * 3 and all(f.fixes[0].safe for f in heads)
    two_steps = next(f for f in result.findings if f.line == 21)
    assert "whole-file" not in [ref.id for ref in two_steps.fixes]  # two statements: not one whole-file call
    report = apply_fixes(project, [compute_fix(project, f, "whole-file") for f in heads], cache_dir=tmp_path / "cache")
    assert len(report.applied) == 3 and not report.refused
    fixed = app.read_text(encoding="utf-8")
    assert "return await asyncio.to_thread(pathlib.Path(path).read_text, encoding=\"utf-8\")" in fixed
    assert "blob = await asyncio.to_thread(pathlib.Path(path).read_bytes)" in fixed
    assert "await asyncio.to_thread(pathlib.Path(path).write_text, json.dumps(data), encoding=\"utf-8\")" in fixed
    assert asyncio.run(_exercise(runpy.run_path(str(app)), tmp_path)) == before
    _, after = scan_tree(tmp_path)
    start = fixed.splitlines().index("async def two_steps(path):") + 1
    assert [f.line - start for f in after.findings if f.code == "AD104"] == [1, 2, 3]  # only two_steps is left
