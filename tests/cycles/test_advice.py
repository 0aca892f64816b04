"""Advice follows the guide's remedies and tells fixers which statement to change."""

from __future__ import annotations

from asyncdoc_tui.rules.cycles import check


def _advice(project_of, files):
    (finding,) = check(project_of(files))
    return finding, {(a["path"], a["line"]): a for a in finding.extras["advice"]}


def test_annotation_only_import_is_cut_and_moved_under_type_checking(project_of):
    finding, advice = _advice(
        project_of,
        {
            "app/__init__.py": "",
            "app/a.py": "from app.b import B\n\n\nclass A:\n    def pair(self, other: B) -> None:\n        pass\n",
            "app/b.py": "from app.a import A\n\n\nclass B(A):\n    pass\n",
        },
    )
    assert finding.code == "AD301"
    assert list(advice) == [("app/a.py", 1)]
    item = advice[("app/a.py", 1)]
    assert (item["remedy"], item["usage"]["kind"], item["future_annotations"]) == ("type-checking", "annotation", False)
    assert item["names"] == ["B"] and item["text"] == "from app.b import B"
    assert "from __future__ import annotations" in item["action"]


def test_function_only_use_moves_into_the_function(project_of):
    _, advice = _advice(
        project_of,
        {
            "app/__init__.py": "",
            "app/a.py": "from app.b import helper\n\n\ndef run():\n    return helper()\n",
            "app/b.py": "from app.a import run\n\n\ndef helper():\n    return 1\n\n\nSTART = run\n",
        },
    )
    (item,) = advice.values()
    assert (item["path"], item["remedy"], item["usage"]["functions"]) == ("app/a.py", "move-into-function", ["run"])


def test_sqlalchemy_model_annotations_need_string_references(project_of):
    base = (
        "from sqlalchemy.orm import DeclarativeBase, Mapped, relationship\n\n\n"
        "class Base(DeclarativeBase):\n    pass\n"
    )
    _, advice = _advice(
        project_of,
        {
            "app/__init__.py": "",
            "app/base.py": base,
            "app/user.py": (
                "from sqlalchemy.orm import Mapped, relationship\n\nfrom app.base import Base\nfrom app.post import Post\n\n\n"
                "class User(Base):\n    posts: Mapped[list[Post]] = relationship()\n"
            ),
            "app/post.py": (
                "from app.base import Base\nfrom app.user import User\n\n\n"
                "class Post(Base):\n    author: User\n\n\ndef make() -> User:\n    return User()\n"
            ),
        },
    )
    remedies = {a["remedy"] for a in advice.values()}
    assert remedies <= {"string-reference"} and remedies
    (item,) = advice.values()
    assert item["usage"]["models"][0]["kind"] == "sqlalchemy"
    assert "Mapped[\"Post\"]" in item["action"]


def test_pydantic_models_get_model_rebuild_never_bare_type_checking(project_of):
    from cycle_cases import CASES

    _, advice = _advice(project_of, CASES["pydantic_models"].files)
    assert [a["remedy"] for a in advice.values()] == ["model-rebuild"]
    assert "model_rebuild()" in next(iter(advice.values()))["action"]


def test_import_time_use_is_centralised(project_of):
    _, advice = _advice(
        project_of,
        {
            "app/__init__.py": "",
            "app/a.py": "from app.b import Base\n\n\nclass A(Base):\n    pass\n",
            "app/b.py": "from app.a import A\n\n\nclass Base:\n    pass\n\n\nDEFAULT = A\n",
        },
    )
    assert {a["remedy"] for a in advice.values()} == {"centralise"}
