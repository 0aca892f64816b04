"""Cycle remedies written from the cycle rule's advice: TYPE_CHECKING imports, string
model references, imports moved into functions; each must end the cycle finding."""

from __future__ import annotations

from pathlib import Path

from fix_helpers import only, scan_tree, with_fix
from project_files import write_tree

from asyncdoc_tui.fixes import apply_fixes, compute_fix
from asyncdoc_tui.scan.engine import result_for
from asyncdoc_tui.scan.project import Project

ANNOTATION_ONLY = {
    "app/__init__.py": "",
    "app/user.py": '"""Users."""\n\nfrom app.order import Order\n\n\nclass User:\n'
    "    def first_order(self) -> Order | None:\n        return None\n",
    "app/order.py": "from app.user import User\n\n\nclass Order:\n    def buyer(self) -> User:\n        return User()\n",
}

MODELS = {
    "models/__init__.py": "",
    "models/base.py": "from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    pass\n",
    "models/user.py": "from sqlalchemy.orm import Mapped, mapped_column, relationship\n\nfrom models.base import Base\n"
    "from models.post import Post\n\n\nclass User(Base):\n    __tablename__ = 'users'\n"
    "    id: Mapped[int] = mapped_column(primary_key=True)\n"
    "    posts: Mapped[list[Post]] = relationship(back_populates='author')\n",
    "models/post.py": "from sqlalchemy import ForeignKey\nfrom sqlalchemy.orm import Mapped, mapped_column, relationship\n\n"
    "from models.base import Base\nfrom models.user import User\n\n\nclass Post(Base):\n    __tablename__ = 'posts'\n"
    "    author_id: Mapped[int] = mapped_column(ForeignKey('users.id'))\n"
    "    author: Mapped[User] = relationship(back_populates='posts')\n",
}

FUNCTION_USE = {
    "shop/__init__.py": "",
    "shop/search.py": '"""Search."""\n\nimport shop.index\n\n\ndef normalise(term: str) -> str:\n'
    "    return term.lower()\n\n\ndef find(term: str) -> list[str]:\n    return shop.index.lookup(term)\n",
    "shop/index.py": '"""Index."""\n\nimport shop.search\n\nTERMS: dict[str, list[str]] = {}\n\n\n'
    'def lookup(term: str) -> list[str]:\n    """Terms for a word."""\n'
    "    return TERMS.get(shop.search.normalise(term), [])\n",
}


def _fix(root: Path, files: dict[str, str], fix_id: str, journal: Path) -> str:
    write_tree(root, files)
    project, result = scan_tree(root)
    finding = only(with_fix(result, fix_id))
    proposal = compute_fix(project, finding, fix_id)
    report = apply_fixes(project, [proposal], cache_dir=journal)
    assert [p.fix_id for p in report.applied] == [fix_id], report.refused
    assert report.project is not None
    assert not _import_time_cycles(report.project)
    return (root / proposal.path).read_text(encoding="utf-8")


def _import_time_cycles(project: Project) -> list[str]:
    return [f.code for f in result_for(project).findings if f.code in ("AD301", "AD302")]


def test_type_checking_import(project_dir: Path, journal: Path) -> None:
    text = _fix(project_dir, ANNOTATION_ONLY, "type-checking-import", journal)
    assert text == (
        '"""Users."""\n\nfrom __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n'
        "if TYPE_CHECKING:\n    from app.order import Order\n\n\nclass User:\n"
        "    def first_order(self) -> Order | None:\n        return None\n"
    )


def test_string_references_in_sqlalchemy_models(project_dir: Path, journal: Path) -> None:
    text = _fix(project_dir, MODELS, "string-annotations", journal)
    assert "posts: Mapped[list[\"Post\"]] = relationship(back_populates='author')" in text or (
        "author: Mapped[\"User\"] = relationship(back_populates='posts')" in text
    )
    assert "if TYPE_CHECKING:\n    from models." in text and text.startswith("from __future__ import annotations\n")


def test_import_moved_into_the_function(project_dir: Path, journal: Path) -> None:
    text = _fix(project_dir, FUNCTION_USE, "local-import", journal)
    assert "import shop." not in text.split("def ")[0]
    assert '    """Terms for a word."""\n    import shop.search\n' in text or "    import shop.index\n    return" in text
