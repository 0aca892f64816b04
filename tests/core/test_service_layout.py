"""A service laid out as real ones are, scanned end to end: a package under `backend/`,
newer grammar, a helper chain, a crash-risk cycle, a file that no grammar accepts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from asyncdoc_tui.config import load_config
from asyncdoc_tui.model import ScanResult
from asyncdoc_tui.scan.engine import load_project, result_for

Write = Callable[[dict[str, str | bytes]], Path]

SERVICE = {
    "README.md": "cd backend && uvicorn app.main:app\n",
    "backend/pyproject.toml": "[project]\nname = 'shop-backend'\nrequires-python = '>=3.12'\n",
    "backend/app/__init__.py": "",
    "backend/app/main.py": (
        "import time\n"
        "from fastapi import FastAPI\n"
        "from app.services.rates import convert\n"
        "from app.ids import newest\n"
        "\n"
        "app = FastAPI()\n"
        "\n"
        "@app.on_event('startup')\n"
        "def warm_up():\n"
        "    time.sleep(2)\n"
        "\n"
        "@app.get('/price/{amount}')\n"
        "async def price(amount: float):\n"
        "    return {'eur': convert(amount), 'latest': newest([1, 2])}\n"
    ),
    "backend/app/services/__init__.py": "",
    "backend/app/services/rates.py": (
        "import requests\n"
        "from app.legacy import audit\n"
        "\n"
        "def convert(amount):\n"
        "    audit(amount)\n"
        "    return amount * requests.get('https://rates.example/eur').json()['rate']\n"
    ),
    "backend/app/ids.py": (
        "import time\n"
        "\n"
        "type Ids = list[int]\n"
        "\n"
        "def newest[T](items: list[T]) -> T:\n"
        "    time.sleep(0.1)\n"
        "    return items[-1]\n"
    ),
    "backend/app/legacy.py": "def audit(amount:\n    print amount\n",  # no grammar accepts it
    "backend/app/models/__init__.py": "from app.models.user import User\n",
    "backend/app/models/user.py": "from app.models.order import Order\n\nclass User:\n    orders: list[Order] = []\n",
    "backend/app/models/order.py": "from app.models.user import User\n\nclass Order:\n    owner: User | None = None\n",
    "backend/tests/test_price.py": "from app.main import app\n\ndef test_app():\n    assert app\n",
}


def _scan(target: Path) -> ScanResult:
    return result_for(load_project([target], config=load_config(target), use_cache=False))


def _hits(result: ScanResult, prefix: str = "") -> list[tuple[str, str, int, int]]:
    return sorted((f.code, f.path.removeprefix(prefix), f.line, f.col) for f in result.findings)


def test_the_service_is_read_as_it_runs(write: Write) -> None:
    root = write(SERVICE)
    result = _scan(root)
    assert ("backend", "has its own pyproject.toml") in result.roots
    assert [(s.path, s.module) for s in result.skipped] == [("backend/app/legacy.py", "app.legacy")]
    assert _hits(result) == [
        ("AD101", "backend/app/main.py", 10, 5),  # a sync startup handler runs on the loop
        ("AD201", "backend/app/main.py", 14, 20),  # convert() -> requests.get
        ("AD201", "backend/app/main.py", 14, 47),  # newest() in 3.12 syntax -> time.sleep
        ("AD301", "backend/app/models/user.py", 1, 1),
    ]
    chains = [f for f in result.findings if f.code == "AD201"]
    assert {f.extras.get("incomplete_files", ()) and tuple(f.extras["incomplete_files"]) for f in chains} == {
        ("backend/app/legacy.py",),  # convert() also calls into the file that did not parse
        (),
    }
    cycle = next(f for f in result.findings if f.code == "AD301")
    assert "app.models.user" in cycle.message and "backend." not in cycle.message


def test_scanning_the_repository_or_the_backend_gives_the_same_findings(write: Write) -> None:
    root = write(SERVICE)
    assert _hits(_scan(root), prefix="backend/") == _hits(_scan(root / "backend"))
