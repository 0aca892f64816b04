"""Small projects written for each kind of import cycle, with what asyncdoc must say.

Each case is (files, import root, expected code, expected failing entries). The tests
also import every module of every case in a fresh interpreter to check the predictions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from project_files import write_tree


@dataclass(frozen=True)
class Case:
    files: dict[str, str]
    code: str
    failing: tuple[str, ...] = ()
    import_root: str = ""  # folder to put on sys.path ("src" for a src/ layout)
    chain: tuple[str, ...] = field(default=())  # "path:line" hops of the first failing entry

    def write(self, root: Path) -> Path:
        return write_tree(root, self.files)


CASES: dict[str, Case] = {
    "symmetric_names": Case(
        {
            "app/__init__.py": "",
            "app/a.py": "from app.b import B\n\n\nclass A:\n    pass\n",
            "app/b.py": "from app.a import A\n\n\nclass B:\n    pass\n",
        },
        "AD301",
        ("app.a", "app.b"),
        chain=("app/a.py:1", "app/b.py:1"),
    ),
    "class_body_import": Case(
        {
            "app/__init__.py": "",
            "app/a.py": "class A:\n    from app.b import B\n\n\ndef make():\n    return A()\n",
            "app/b.py": "from app.a import make\n\n\nclass B:\n    pass\n",
        },
        "AD301",
        ("app.a", "app.b"),
        chain=("app/a.py:2", "app/b.py:1"),
    ),
    "order_dependent": Case(
        {
            "app/__init__.py": "",
            "app/a.py": "from app.b import B\n\n\nclass A:\n    pass\n",
            "app/b.py": "class B:\n    pass\n\n\nfrom app.a import A  # noqa: E402\n",
        },
        "AD301",
        ("app.a",),
        chain=("app/a.py:1", "app/b.py:5"),
    ),
    "type_checking_only": Case(
        {
            "app/__init__.py": "",
            "app/a.py": (
                "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
                "if TYPE_CHECKING:\n    from app.b import B\n\n\nclass A:\n"
                "    def pair(self, other: B) -> None:\n        pass\n"
            ),
            "app/b.py": "from app.a import A\n\n\nclass B(A):\n    pass\n",
        },
        "AD304",
    ),
    "type_checking_else": Case(
        {
            "app/__init__.py": "",
            "app/a.py": (
                "from typing import TYPE_CHECKING\n\n"
                "if TYPE_CHECKING:\n    from app.b import B\nelse:\n    from app.b import B\n\n\n"
                "class A:\n    partner = B\n"
            ),
            "app/b.py": "from app.a import A\n\n\nclass B:\n    pass\n",
        },
        "AD301",
        ("app.a", "app.b"),
        chain=("app/a.py:6", "app/b.py:1"),
    ),
    "module_bindings": Case(
        {
            "app/__init__.py": "",
            "app/a.py": "import app.b\n\n\ndef fa():\n    return app.b.fb()\n",
            "app/b.py": "from app import a\n\n\ndef fb():\n    return 1\n\n\ndef call_a():\n    return a.fa()\n",
        },
        "AD302",
    ),
    "function_local": Case(
        {
            "app/__init__.py": "",
            "app/a.py": "LIMIT = 3\n\n\ndef fa():\n    from app.b import fb\n\n    return fb()\n",
            "app/b.py": "from app.a import LIMIT\n\n\ndef fb():\n    return LIMIT\n",
        },
        "AD303",
    ),
    "relative_reexport": Case(
        {
            "pkg/__init__.py": "",
            "pkg/models/__init__.py": "from .user import User\n\n__all__ = [\"User\"]\n",
            "pkg/models/user.py": "from .order import Order\n\n\nclass User:\n    orders: list[Order] = []\n",
            "pkg/models/order.py": "from .user import User\n\n\nclass Order:\n    owner: User | None = None\n",
        },
        "AD301",
        ("pkg.models.order", "pkg.models.user", "pkg.models"),
        chain=("pkg/models/__init__.py:1", "pkg/models/user.py:1", "pkg/models/order.py:1"),
    ),
    "src_layout": Case(
        {
            "pyproject.toml": "[project]\nname = \"shopx\"\n",
            "src/shopx/__init__.py": "",
            "src/shopx/cart.py": "from shopx.pricing import price_of\n\n\ndef total(items):\n    return sum(price_of(i) for i in items)\n",
            "src/shopx/pricing.py": "def price_of(item):\n    return 1\n\n\nfrom shopx.cart import total  # noqa: E402\n",
        },
        "AD301",
        ("shopx.cart",),
        import_root="src",
        chain=("src/shopx/cart.py:1", "src/shopx/pricing.py:5"),
    ),
    "guarded_by_try": Case(
        {
            "app/__init__.py": "",
            "app/a.py": "try:\n    from app.b import B\nexcept ImportError:\n    B = None\n\n\nclass A:\n    pass\n",
            "app/b.py": "from app.a import A\n\n\nclass B:\n    pass\n",
        },
        "AD302",
    ),
    "namespace_package": Case(
        {
            "ns/a.py": "from ns.b import helper\n\n\ndef run():\n    return helper()\n",
            "ns/b.py": "from ns import a\n\n\ndef helper():\n    return 1\n\n\ndef again():\n    return a.run()\n",
        },
        "AD301",
        ("ns.b",),
        chain=("ns/b.py:1", "ns/a.py:1"),
    ),
    "main_guard": Case(
        {
            "app/__init__.py": "",
            "app/a.py": "from app.b import B\n\n\nclass A:\n    pass\n",
            "app/b.py": 'class B:\n    pass\n\n\nif __name__ == "__main__":\n    from app.a import A\n\n    print(A)\n',
        },
        "AD303",
    ),
    "pydantic_models": Case(
        {
            "app/__init__.py": "",
            "app/user.py": (
                "from pydantic import BaseModel\n\nfrom app.team import Team\n\n\n"
                "class User(BaseModel):\n    team: Team | None = None\n"
            ),
            "app/team.py": (
                "from pydantic import BaseModel\n\nfrom app.user import User\n\n\n"
                "class Team(BaseModel):\n    members: list[User] = []\n"
            ),
        },
        "AD301",
        ("app.team", "app.user"),
        chain=("app/team.py:3", "app/user.py:3"),
    ),
}
