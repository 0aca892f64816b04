"""Import roots: module names as the project runs, whatever folder its packages live in."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from asyncdoc_tui.config import Config, load_config
from asyncdoc_tui.scan.discover import discover
from asyncdoc_tui.scan.engine import load_project, result_for
from asyncdoc_tui.scan.roots import absolute_imports

Write = Callable[[dict[str, str | bytes]], Path]

# A service whose package sits in a plain subfolder, as in many real FastAPI repositories:
# `server/acme/...`, imported everywhere as `acme....`.
SERVICE = {
    "README.md": "run with: cd server && uvicorn acme.main:app\n",
    "server/acme/__init__.py": "",
    "server/acme/db.py": """
        import requests

        def load_rates():
            return requests.get("https://rates.example/api").json()
        """,
    "server/acme/orders.py": """
        from acme.db import load_rates

        def price(order):
            return order.total * load_rates()["EUR"]
        """,
    "server/acme/main.py": """
        from fastapi import FastAPI

        from acme.orders import price

        app = FastAPI()

        @app.get("/orders/{order_id}")
        async def get_order(order_id: int):
            return price(order_id)
        """,
    "server/tests/test_orders.py": """
        from acme.orders import price

        def test_price():
            assert price
        """,
}


def _modules(root: Path, config: Config | None = None) -> dict[str, str]:
    return {f.rel: f.module for f in discover([root], config).files}


def _findings(root: Path, config: Config | None = None) -> list[tuple[str, str, int, str]]:
    project = load_project([root], config=config or Config(), use_cache=False)
    return sorted((f.code, f.path, f.line, f.message) for f in result_for(project).findings)


def test_a_package_in_a_plain_subfolder_is_named_as_the_project_imports_it(write: Write) -> None:
    root = write(SERVICE)
    modules = _modules(root)
    assert modules["server/acme/main.py"] == "acme.main"
    assert modules["server/acme/__init__.py"] == "acme"
    assert modules["server/tests/test_orders.py"] == "tests.test_orders"  # relative to server/ too
    roots = discover([root]).roots
    assert [(r.path, r.reason.split(",")[0]) for r in roots] == [(root / "server", "holds `acme`"), (root, "the scanned folder")]


def test_scanning_the_repository_or_the_packages_parent_gives_the_same_names_and_findings(write: Write) -> None:
    root = write(SERVICE)
    from_repo = _findings(root)
    from_server = _findings(root / "server")
    assert [code for code, *_ in from_repo] == ["AD201"]
    # Paths are relative to the scanned folder; everything else is the same.
    assert [(c, p.removeprefix("server/"), line, m.replace("server/", "")) for c, p, line, m in from_repo] == from_server
    assert _modules(root / "server") == {rel.removeprefix("server/"): m for rel, m in _modules(root).items()}


def test_an_importerror_cycle_in_a_subfolder_package_is_found(write: Write) -> None:
    """Misnamed modules once turned this into a 'TYPE_CHECKING only' cycle."""
    root = write(
        {
            "backend/app/__init__.py": "",
            "backend/app/models.py": "from app.schemas import UserOut\n\nclass User:\n    pass\n",
            "backend/app/schemas.py": "from app.models import User\n\nclass UserOut:\n    pass\n",
        }
    )
    project = load_project([root], config=Config(), use_cache=False)
    codes = [f.code for f in result_for(project).findings]
    assert codes == ["AD301"]
    (cycle,) = result_for(project).findings
    assert "app.models" in cycle.message and "backend." not in cycle.message


def test_two_roots_in_one_repository(write: Write) -> None:
    root = write(
        {
            "services/billing/billing/__init__.py": "",
            "services/billing/billing/api.py": "from billing.invoices import total\nfrom shared.money import Money\n",
            "services/billing/billing/invoices.py": "def total():\n    return 1\n",
            "libs/shared/shared/__init__.py": "",
            "libs/shared/shared/money.py": "class Money:\n    pass\n",
        }
    )
    modules = _modules(root)
    assert modules["services/billing/billing/api.py"] == "billing.api"
    assert modules["libs/shared/shared/money.py"] == "shared.money"
    labels = {r.path.relative_to(root).as_posix() for r in discover([root]).roots}
    assert {"services/billing", "libs/shared", "."} <= labels


def test_a_nested_project_with_its_own_pyproject_and_src_layout(write: Write) -> None:
    root = write(
        {
            "pyproject.toml": "[project]\nname = 'mono'\n",
            "tools/release.py": "",
            "packages/worker/pyproject.toml": "[project]\nname = 'worker'\n",
            "packages/worker/src/worker/__init__.py": "",
            "packages/worker/src/worker/jobs.py": "",
            "packages/worker/scripts/run.py": "",
        }
    )
    found = discover([root])
    modules = {f.rel: f.module for f in found.files}
    assert modules["packages/worker/src/worker/jobs.py"] == "worker.jobs"
    assert modules["packages/worker/scripts/run.py"] == "scripts.run"  # the nested project is a root
    assert modules["tools/release.py"] == "tools.release"
    reasons = {r.path.relative_to(root).as_posix(): r.reason for r in found.roots}
    assert reasons["packages/worker"] == "has its own pyproject.toml"
    assert reasons["packages/worker/src"].startswith("src/ layout")
    assert root / "packages/worker/pyproject.toml" in found.markers


def test_namespace_packages_keep_their_dotted_names(write: Write) -> None:
    """`server/acme` imported as `server.acme` is a namespace package, not a root."""
    root = write(
        {
            "server/acme/__init__.py": "",
            "server/acme/models.py": "",
            "server/run.py": "from server.acme.models import *\nfrom server.acme import models\n",
            "plugins/payments/stripe.py": "",  # no __init__ anywhere: namespace packages
            "app.py": "from plugins.payments import stripe\n",
        }
    )
    modules = _modules(root)
    assert modules["server/acme/models.py"] == "server.acme.models"
    assert modules["plugins/payments/stripe.py"] == "plugins.payments.stripe"
    assert [r.path for r in discover([root]).roots] == [root]


def test_a_script_folder_module_never_shadows_a_library(write: Write) -> None:
    """`scripts/requests.py` imported as `requests` elsewhere is the library, not the script."""
    root = write(
        {
            "scripts/requests.py": "",
            "app/__init__.py": "",
            "app/main.py": "import requests\n\nasync def f():\n    requests.get('u')\n",
        }
    )
    assert _modules(root)["scripts/requests.py"] == "scripts.requests"
    assert [f[0] for f in _findings(root)] == ["AD102"]


def test_configured_src_globs_replace_detection(write: Write) -> None:
    root = write(
        {
            "pyproject.toml": '[tool.asyncdoc]\nsrc = ["libs/*"]\n',
            "libs/one/one/__init__.py": "",
            "libs/two/two/core.py": "",
            "server/acme/__init__.py": "",
            "server/acme/x.py": "from acme import y\n",
        }
    )
    config = load_config(root)
    modules = _modules(root, config)
    assert modules["libs/one/one/__init__.py"] == "one"
    assert modules["libs/two/two/core.py"] == "two.core"
    assert modules["server/acme/x.py"] == "server.acme.x"  # not detected: configuration wins
    cli = config.with_overrides(src=[root / "server"])
    assert _modules(root, cli)["server/acme/x.py"] == "acme.x"


def check(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd / ".xdg")}
    command = [sys.executable, "-m", "asyncdoc_tui", "check", "--no-cache", *map(str, args)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=False)


def test_show_roots_and_the_json_roots_key(write: Write, tmp_path: Path) -> None:
    root = write(SERVICE)
    shown = check("--show-roots", root, cwd=tmp_path)
    assert shown.returncode == 1, shown.stderr
    assert "server/  holds `acme`, named by 3 absolute imports" in shown.stdout
    assert "./  the scanned folder" in shown.stdout
    data = json.loads(check("--format", "json", "--show-roots", root, cwd=tmp_path).stdout)
    assert data["roots"] == [
        {"path": "server", "reason": "holds `acme`, named by 3 absolute imports"},
        {"path": ".", "reason": "the scanned folder"},
    ]
    assert data["notes"] == []


def test_a_missed_root_is_named_once_with_a_hint(write: Write, tmp_path: Path) -> None:
    more = {f"server/acme/jobs{i}.py": "from acme.db import load_rates\n" for i in range(3)}
    root = write({**SERVICE, **more})
    done = check("--src", root, root, cwd=tmp_path)  # a wrong configuration: only the top
    assert done.returncode == 0
    notes = [line for line in done.stderr.splitlines() if line.startswith("asyncdoc: note:")]
    assert notes == [
        "asyncdoc: note: 100% of absolute imports of project names under server/ (6 of 6) do not resolve; "
        'is server/ an import root? Set [tool.asyncdoc] src = ["server"] or pass --src server'
    ]


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_a_named_path_is_scanned_even_when_ignored_unless_force_exclude(write: Write, tmp_path: Path) -> None:
    root = write(
        {
            ".gitignore": ".venv/\nvendor/\n",
            "app.py": "",
            ".venv/pyvenv.cfg": "home = /usr/bin\n",
            ".venv/lib/python3.11/site-packages/starlette/__init__.py": "",
            ".venv/lib/python3.11/site-packages/starlette/concurrency.py": "import time\n\nasync def f():\n    time.sleep(1)\n",
            "vendor/lib.py": "import time\n\nasync def g():\n    time.sleep(1)\n",
            "pyproject.toml": '[tool.asyncdoc]\nexclude = ["migrations"]\n',
            "migrations/m1.py": "import time\n\nasync def h():\n    time.sleep(1)\n",
        }
    )
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    starlette = root / ".venv/lib/python3.11/site-packages/starlette"
    found = discover([starlette])
    assert [(f.rel, f.module) for f in found.files] == [
        ("__init__.py", "starlette"),
        ("concurrency.py", "starlette.concurrency"),
    ]
    config = load_config(root)
    assert [f.rel for f in discover([root / "vendor"], config).files] == ["lib.py"]
    assert [f.rel for f in discover([root / "migrations"], config).files] == ["m1.py"]
    assert [f.rel for f in discover([root], config).files] == ["app.py"]  # a folder scan leaves them out
    forced = config.with_overrides(force_exclude=True)
    assert discover([starlette], forced).files == []
    assert discover([root / "migrations"], forced).files == []
    done = check(starlette, cwd=tmp_path)
    assert done.returncode == 1 and "concurrency.py:4:5: AD101" in done.stdout


def test_import_lines_are_read_without_parsing() -> None:
    source = b"import os, acme.db as db\nfrom acme.models import (\n  User)\nfrom . import x\n    import lazy.mod\n"
    assert absolute_imports(source) == ["os", "acme.db", "acme.models", "lazy.mod"]
