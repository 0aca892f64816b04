"""Files in any grammar from Python 3.8 to 3.14 are analysed, with the positions a 3.14
parser gives: PEP 695 aliases and generics (with PEP 696 defaults), PEP 701 f-strings,
PEP 758 `except A, B:`, PEP 750 t-strings, and `match`.

Expected columns are computed from the fixture text: 1-based UTF-8 byte columns, so each
fixture puts a non-ASCII literal before its blocking call on the same line.
"""

from __future__ import annotations

import ast
import textwrap
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from asyncdoc_tui.config import Config
from asyncdoc_tui.fixes import compute_fix
from asyncdoc_tui.scan.downlevel import downlevel
from asyncdoc_tui.scan.engine import scan
from asyncdoc_tui.scan.facts import extract
from asyncdoc_tui.scan.facts_model import GUARD_TRY_IMPORT_ERROR, FileFacts
from asyncdoc_tui.scan.grammar import check_compiles, parse, parse_downlevelled

Write = Callable[[dict[str, str | bytes]], Path]

# name -> (source, [(code, text of the blocking call), ...] in order)
CASES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "alias_then_route.py": (
        """
        import requests
        from fastapi import FastAPI

        app = FastAPI()
        type UserId = int
        type Pair[K, V = str] = dict[K, V]


        @app.get("/users/{uid}")
        async def read_user(uid: UserId) -> Pair[str, int]:
            return {"naïve": requests.get(f"https://api.example.com/users/{uid}").json()}
        """,
        [("AD102", 'requests.get(f"https://api.example.com/users/{uid}")')],
    ),
    "generic_function.py": (
        """
        import requests


        async def fetch[T: (str, bytes)](url: T) -> tuple[str, T]:
            return "café", requests.get(url).text
        """,
        [("AD102", "requests.get(url)")],
    ),
    "generic_multiline.py": (
        """
        import time


        class Repository[
            Model,  # the row type

            Key: (int, str) = int,
        ]:
            async def refresh[
                T
            ](self, key: Key) -> None:
                label = "clé"; time.sleep(0.5)
        """,
        [("AD101", "time.sleep(0.5)")],
    ),
    "fstring_nested_quotes.py": (
        """
        import time


        async def report(row: dict[str, str]) -> str:
            return f"{row["naïve"]} — {time.sleep(1)}"
        """,
        [("AD101", "time.sleep(1)")],
    ),
    "fstring_multiline_field.py": (
        """
        import subprocess


        async def build(args: list[str]) -> str:
            return f"{"\\n".join(args)} → {
                subprocess.run(args, check=True)  # the build, in a comment: }"
            }"
        """,
        [("AD103", "subprocess.run(args, check=True)")],
    ),
    "except_comma.py": (
        """
        import time


        async def retry() -> None:
            try:
                pass
            except ValueError, TypeError:
                print("réessai"); time.sleep(1)
            try:
                pass
            except* OSError, RuntimeError:
                print("réessai"); time.sleep(2)
        """,
        [("AD101", "time.sleep(1)"), ("AD101", "time.sleep(2)")],
    ),
    "tstring.py": (
        """
        import requests


        async def page(user: str):
            return t"<p>héllo {user}</p>{requests.get(f"https://x/{user}").text!r:>{len(user)}}"
        """,
        [("AD102", 'requests.get(f"https://x/{user}")')],
    ),
    "match_statement.py": (
        """
        import time


        async def handle(command: tuple[str, ...]) -> None:
            match command:
                case ("sleep", seconds):
                    print("zzz…"); time.sleep(float(seconds))
                case _:
                    pass
        """,
        [("AD101", "time.sleep(float(seconds))")],
    ),
}


def _position(text: str, needle: str) -> tuple[int, int, int, int]:
    """(line, col, end_line, end_col) of needle: 1-based, columns in UTF-8 bytes."""
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            col = len(line[: line.index(needle)].encode()) + 1
            return number, col, number, col + len(needle.encode())
    raise AssertionError(f"{needle!r} not in the fixture")


def _facts(text: str, path: str = "app.py") -> FileFacts:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return extract(parse(text, path), text, path, "app", False, "digest")


@pytest.mark.parametrize("name", CASES)
def test_blocking_call_is_found_at_its_exact_position(name: str, write: Write) -> None:
    source, calls = CASES[name]
    root = write({name: source})
    text = (root / name).read_text(encoding="utf-8")
    _, result = scan([root], config=Config(), use_cache=False)
    assert not result.skipped
    found = [(f.code, f.line, f.col, f.end_line, f.end_col) for f in result.findings if f.code.startswith("AD1")]
    assert found == [(code, *_position(text, call)) for code, call in calls]


@pytest.mark.parametrize("name", CASES)
def test_down_levelling_moves_no_byte(name: str) -> None:
    text = textwrap.dedent(CASES[name][0])
    result = downlevel(text)
    assert result is not None
    lowered = result[0]
    assert [len(line.encode()) for line in lowered.split("\n")] == [len(line.encode()) for line in text.split("\n")]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_other_line_endings_give_the_same_positions(newline: str, write: Write) -> None:
    names = ["generic_multiline.py", "fstring_multiline_field.py", "except_comma.py"]
    texts = {name: textwrap.dedent(CASES[name][0]).lstrip("\n") for name in names}
    root = write({name: text.replace("\n", newline).encode() for name, text in texts.items()})
    _, result = scan([root], config=Config(), use_cache=False)
    found = [(f.path, f.line, f.col) for f in result.findings]
    expected = [(name, *_position(texts[name], call)[:2]) for name in sorted(names) for _, call in CASES[name][1]]
    assert sorted(found) == sorted(expected)


def test_noqa_on_a_down_levelled_line_still_suppresses(write: Write) -> None:
    root = write(
        {
            "app.py": """
            import time


            async def f[T](x: T) -> T:
                print(f"{"é"}{time.sleep(1)}")  # noqa: AD101
                time.sleep(2)
                return x
            """
        }
    )
    _, result = scan([root], config=Config(), use_cache=False)
    assert [(f.line, f.suppressed) for f in result.suppressed] == [(5, True)]
    assert [f.line for f in result.findings] == [6]


def test_pep_701_string_gives_the_facts_of_its_3_11_spelling() -> None:
    """Swapping the inner quotes keeps every byte in place: calls, positions and the
    rendered arguments must be the same."""
    modern = 'import requests\n\nasync def f(d, u):\n    requests.get(f"{d["host"]}/{u}", timeout=f"{d["t"]}")\n'
    old = modern.replace('["host"]', "['host']").replace('["t"]', "['t']")
    assert _facts(modern).calls == _facts(old).calls


def test_t_string_gives_the_facts_of_the_same_f_string() -> None:
    modern = 'import requests\n\nasync def f(u):\n    return t"<a>{requests.get(u).text!r:>{len(u)}}</a>" t"é"\n'
    assert _facts(modern).calls == _facts(modern.replace('t"', 'f"')).calls


def test_generic_def_gives_the_facts_of_a_plain_def() -> None:
    modern = "import time\n\nasync def f[T: int = int](x: T) -> T:\n    time.sleep(x)\n    return x\n"
    assert _facts(modern).calls == _facts(modern.replace("[T: int = int]", " " * 14)).calls


def test_unparenthesised_except_types_guard_imports_as_a_tuple_does() -> None:
    facts = _facts("try:\n    import ujson as json\nexcept ImportError, AttributeError:\n    import json\n")
    assert [(i.line, i.guard) for i in facts.imports][:1] == [(2, GUARD_TRY_IMPORT_ERROR)]


def test_type_alias_binds_nothing_and_its_value_is_walked() -> None:
    """As 3.12+ ast gives it to the facts: a statement whose value is walked, no binding."""
    facts = _facts("from app.models import User\ntype Users = list[User]\n")
    assert "Users" not in dict(facts.bindings)
    assert [use.name for use in facts.name_uses] == ["User"]


def test_type_stays_a_name_where_it_is_one() -> None:
    tree = parse("type Alias = int\ntype = 3\nprint(type(x))\nx: type = int\nclass K: type = 'k'\n", "app.py")
    assert [type(s).__name__ for s in tree.body] == ["Expr", "Assign", "Expr", "AnnAssign", "ClassDef"]
    assert isinstance(tree.body[0], ast.Expr) and ast.unparse(tree.body[0].value) == "int"


def test_a_file_invalid_in_every_grammar_is_skipped_with_a_clear_reason(write: Write) -> None:
    root = write(
        {
            "broken_after_alias.py": "type UserId = int\n\ndef broken(:\n    pass\n",
            "unterminated.py": 'x = f"{name\n',
            "good.py": "import time\n\nasync def f[T]():\n    time.sleep(1)\n",
        }
    )
    _, result = scan([root], config=Config(), use_cache=False)
    reasons = {s.path: s.reason for s in result.skipped}
    assert set(reasons) == {"broken_after_alias.py", "unterminated.py"}
    # The alias is read; the error reported is the real one, two lines down.
    assert reasons["broken_after_alias.py"].startswith("syntax error at line 3, column 12:")
    assert reasons["broken_after_alias.py"].endswith("(with the newer syntax it uses read: `type` aliases (3.12))")
    assert reasons["unterminated.py"].startswith("syntax error at line 1")
    assert [(f.path, f.line) for f in result.findings] == [("good.py", 4)]


def test_error_column_after_a_blanked_non_ascii_character_counts_characters() -> None:
    line = 'y = f"é{a}" + )\n'
    with pytest.raises(SyntaxError) as plain:
        ast.parse(line)
    with pytest.raises(SyntaxError) as read:
        parse("type X = int\n" + line, "app.py")
    assert (read.value.lineno, read.value.offset) == (2, plain.value.offset)


def test_fixes_are_offered_and_checked_in_the_file_s_grammar(write: Write) -> None:
    root = write(
        {
            "app.py": """
            import time


            async def report[T](row: dict[str, T]) -> str:
                return f"{row["naïve"]} — {time.sleep(1)}"
            """
        }
    )
    project, result = scan([root], config=Config(), use_cache=False)
    (finding,) = result.findings
    proposal = compute_fix(project, finding, "asyncio-sleep")
    assert '    return f"{row["naïve"]} — {await asyncio.sleep(1)}"' in proposal.new_text.splitlines()
    check_compiles(proposal.new_text, "app.py")
    with pytest.raises(SyntaxError, match="'await' outside async function") as refused:
        check_compiles(proposal.new_text.replace("async def report", "def report"), "app.py")
    assert refused.value.lineno == 5


def _sample() -> list[Path]:
    """The project's own source, and every 8th file of Django when it is on disk."""
    src = Path(__file__).resolve().parents[2] / "src"
    files = sorted(src.rglob("*.py"))
    django = Path("/work/bench-data/django-5.2.8/django")
    if django.is_dir():
        files += sorted(django.rglob("*.py"))[::8]
    return files


class _Fields(ast.NodeTransformer):
    """A JoinedStr as the slow path builds it: its fields' expressions in order, nested
    format-spec fields flattened after their field."""

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.JoinedStr:
        values: list[ast.expr] = []

        def flatten(joined: ast.JoinedStr) -> None:
            for value in joined.values:
                if isinstance(value, ast.FormattedValue):
                    inner = ast.FormattedValue(value=self.visit(value.value), conversion=-1, format_spec=None)
                    values.append(ast.copy_location(inner, value.value))
                    if isinstance(value.format_spec, ast.JoinedStr):
                        flatten(value.format_spec)

        flatten(node)
        return ast.copy_location(ast.JoinedStr(values=values), node)


def test_down_levelling_a_file_that_parses_changes_nothing_the_facts_see() -> None:
    """Property over real code: the slow path's tree equals ast's (attributes included)
    up to the literal parts of f-strings, and the facts are identical."""
    checked = 0
    for path in _sample():
        text = path.read_text(encoding="utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            native = ast.parse(text)
            slow = parse_downlevelled(text, str(path))
        assert extract(slow, text, "m.py", "m", False, "d") == extract(native, text, "m.py", "m", False, "d"), path
        assert ast.dump(_Fields().visit(slow), include_attributes=True) == ast.dump(_Fields().visit(native), include_attributes=True), path
        checked += 1
    assert checked > 100
