"""`# noqa` / `# asyncdoc: ignore` comments and the `[tool.asyncdoc]` settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from asyncdoc_tui.config import Config, load_config
from asyncdoc_tui.scan.engine import scan

Write = Callable[[dict[str, str | bytes]], Path]


def _reported(root: Path, config: Config | None = None) -> list[tuple[str, int, str]]:
    _, result = scan([root], config=config if config is not None else load_config(root), use_cache=False)
    return [(f.path, f.line, f.code) for f in result.findings if f.code.startswith("AD1")]


SUPPRESSED = """
    import subprocess
    import time

    async def handler():
        time.sleep(1)  # noqa
        time.sleep(2)  # noqa: AD101
        time.sleep(3)  # noqa: ASYNC251
        time.sleep(4)  # asyncdoc: ignore
        time.sleep(5)  # asyncdoc: ignore[AD101]
        time.sleep(6)  # noqa: AD102
        subprocess.run(["ls"])  # noqa: ASYNC221
        subprocess.run(["ls"])  # noqa: ASYNC210
        time.sleep(7)
    """


def test_noqa_and_ignore_comments(write: Write) -> None:
    root = write({"app.py": SUPPRESSED})
    _, result = scan([root], config=Config(), use_cache=False)
    reported = [(f.line, f.code) for f in result.findings]
    assert reported == [(10, "AD101"), (12, "AD103"), (13, "AD101")]
    assert [f.line for f in result.suppressed] == [5, 6, 7, 8, 9, 11]
    assert all(f.suppressed for f in result.suppressed)


PROJECT = {
    "app/__init__.py": "",
    "app/main.py": """
        import subprocess
        import time

        import legacy

        async def handler():
            time.sleep(1)
            subprocess.run(["ls"])
            legacy.fetch()
        """,
    "app/generated/client.py": """
        import time

        async def generated():
            time.sleep(1)
        """,
    "tests/test_app.py": """
        import time

        async def test_handler():
            time.sleep(1)
        """,
}

PYPROJECT = """
    [tool.asyncdoc]
    exclude = ["app/generated"]
    ignore = ["AD103"]
    per-file-ignores = { "tests/*" = ["AD101"] }
    blocking = { "legacy.fetch" = "use legacy.afetch" }
    """


def test_pyproject_settings_are_read_and_applied(write: Write) -> None:
    root = write({**PROJECT, "pyproject.toml": PYPROJECT})
    config = load_config(root)
    assert config.exclude == ("app/generated",)
    assert config.ignore == ("AD103",)
    assert config.per_file_ignores == (("tests/*", ("AD101",)),)
    assert config.blocking == (("legacy.fetch", "use legacy.afetch"),)
    assert _reported(root) == [("app/main.py", 7, "AD101"), ("app/main.py", 9, "AD109")]


def test_select_keeps_only_matching_prefixes(write: Write) -> None:
    root = write({**PROJECT, "pyproject.toml": PYPROJECT})
    config = load_config(root).with_overrides(select=("AD109",), ignore=())
    assert _reported(root, config) == [("app/main.py", 9, "AD109")]


def test_command_line_ignore_replaces_the_configured_one(write: Write) -> None:
    root = write({**PROJECT, "pyproject.toml": PYPROJECT})
    config = load_config(root).with_overrides(select=None, ignore=("AD101",))
    assert _reported(root, config) == [("app/main.py", 8, "AD103"), ("app/main.py", 9, "AD109")]


def test_malformed_pyproject_gives_defaults_and_an_error(write: Write) -> None:
    root = write({"pyproject.toml": "[tool.asyncdoc\n", "app.py": "x = 1\n"})
    config = load_config(root)
    assert config.select == () and config.errors
    assert "cannot read [tool.asyncdoc]" in config.errors[0]
