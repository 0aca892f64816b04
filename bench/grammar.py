"""Cost of newer-grammar files (Python 3.12–3.14 syntax read on the running 3.11+).

Run: /work/venv/bin/python bench/grammar.py [--files 600] [--runs 5]
Generates three trees of the same FastAPI-style modules in a temporary folder: all in
3.11 syntax (every file takes the `ast.parse` fast path), 6% of the files in 3.12–3.14
syntax (the share one real service lost before), and every file in it. The newer
spelling of a module uses a `type` alias, a generic class and function (one with a
multi-line parameter list), PEP 701 f-strings, `except A, B:` and a t-string; its 3.11
twin says the same with TypeAlias/TypeVar, single quotes, `except (A, B):` and an
f-string. Each figure is its own process, taken in interleaved rounds after one untimed
warm-up (bench/scan.py's `interleaved`): parse only (`ast.parse`, or `grammar.parse`,
which falls back to the down-levelling after the SyntaxError), and the cold scan core
(`load_project(use_cache=False)` + AD101–AD109). Prints a table with each figure's ratio
to the same measurement on the 3.11 tree, and the command behind it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from scan import CORE, Row, interleaved

# Parse each file of a tree in one process, as the scanner's parse step would.
PARSE = (
    "import sys, warnings\n"
    "warnings.simplefilter('ignore')\n"
    "from pathlib import Path\n"
    "from asyncdoc_tui.scan.discover import discover\n"
    "from asyncdoc_tui.scan.grammar import parse\n"
    "import ast\n"
    "read = parse if sys.argv[2] == 'grammar' else lambda text, name: ast.parse(text, name)\n"
    "_, files, _ = discover([Path(sys.argv[1])])\n"
    "for f in files:\n"
    "    read(f.path.read_text(encoding='utf-8'), f.rel)\n"
)

MODERN = '''\
import time

import requests
from fastapi import FastAPI

app = FastAPI()
type UserId = int
type Page[T] = list[T]


class Repository[Model, Key: (int, str) = int]:
    def __init__(self, rows: dict[Key, Model]) -> None:
        self.rows = rows

    def find(self, key: Key) -> Model | None:
        return self.rows.get(key)


def first[
    T,  # the item type
](items: Page[T]) -> T | None:
    return items[0] if items else None


async def load_{n}(uid: UserId, settings: dict[str, str]) -> dict[str, str]:
    url = f"{settings["base_url"]}/users/{uid}?lang={settings.get("lang", "en")}"
    try:
        response = requests.get(url, timeout=float(settings["timeout"]))
    except ValueError, KeyError:
        time.sleep(1)
        return {}
    return {"name": f"{response.json()["name"]!r:>20}", "html": t"<b>{uid}</b>"}


@app.get("/users/{uid}")
async def read_{n}(uid: UserId) -> dict[str, str]:
    return await load_{n}(uid, {"base_url": "https://api.example.com", "timeout": "2"})
'''

CLASSIC = '''\
import time
from typing import Generic, TypeAlias, TypeVar

import requests
from fastapi import FastAPI

app = FastAPI()
UserId: TypeAlias = int
T = TypeVar("T")
Model = TypeVar("Model")
Key = TypeVar("Key", int, str)
Page: TypeAlias = list


class Repository(Generic[Model, Key]):
    def __init__(self, rows: dict[Key, Model]) -> None:
        self.rows = rows

    def find(self, key: Key) -> Model | None:
        return self.rows.get(key)


def first(items: Page) -> T | None:
    return items[0] if items else None


async def load_{n}(uid: UserId, settings: dict[str, str]) -> dict[str, str]:
    url = f"{settings['base_url']}/users/{uid}?lang={settings.get('lang', 'en')}"
    try:
        response = requests.get(url, timeout=float(settings["timeout"]))
    except (ValueError, KeyError):
        time.sleep(1)
        return {}
    return {"name": f"{response.json()['name']!r:>20}", "html": f"<b>{uid}</b>"}


@app.get("/users/{uid}")
async def read_{n}(uid: UserId) -> dict[str, str]:
    return await load_{n}(uid, {"base_url": "https://api.example.com", "timeout": "2"})
'''


def generate(root: Path, files: int, modern_every: int) -> Path:
    """`files` modules under root/app; every `modern_every`-th in 3.12–3.14 syntax (0: none)."""
    package = root / "app"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for n in range(files):
        modern = modern_every and n % modern_every == 0
        text = (MODERN if modern else CLASSIC).replace("{n}", str(n))  # not .format: the f-strings' braces
        (package / f"m{n:04d}.py").write_text(text, encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=600)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="asyncdoc-grammar-") as tmp:
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = os.path.join(tmp, "bytecode")
        trees = {
            "3.11 syntax": generate(Path(tmp) / "classic", args.files, 0),
            "6% in 3.12–3.14 syntax": generate(Path(tmp) / "mixed", args.files, 17),
            "all in 3.12–3.14 syntax": generate(Path(tmp) / "modern", args.files, 1),
        }
        specs: list[tuple[str, list[str], str | None]] = []
        for label, tree in trees.items():
            reader = "ast" if label == "3.11 syntax" else "grammar"
            shown = "ast.parse" if reader == "ast" else "grammar.parse"
            specs.append((f"{label}: parse only (1 process)", [sys.executable, "-c", PARSE, str(tree), reader], f"python -c '<discover + {shown} each file>' {tree.name}"))
        for label, tree in trees.items():
            specs.append((f"{label}: scan core, cold", [sys.executable, "-c", CORE, str(tree), ""], f"python -c '<load_project(use_cache=False) + AD101-AD109>' {tree.name}"))
        rows = interleaved(specs, args.runs, ok=(0,))
    print(f"{args.files} generated modules per tree (+ __init__.py); {os.cpu_count()} CPUs (load {' / '.join(f'{x:.1f}' for x in os.getloadavg())}); Python {sys.version.split()[0]}\n")
    print(table(rows))


def table(rows: list[Row]) -> str:
    """Each row beside the same measurement on the 3.11-syntax tree."""
    base = {row.name.split(": ", 1)[1]: row.seconds for row in rows if row.name.startswith("3.11 syntax")}
    lines = ["| measurement | median s | × 3.11 tree | CPU s | peak RSS MB | runs | command |", "|---|---:|---:|---:|---:|---|---|"]
    for row in rows:
        ratio = row.seconds / base[row.name.split(": ", 1)[1]]
        lines.append(f"| {row.name} | {row.seconds:.3f} | {ratio:.2f} | {row.cpu:.2f} | {row.rss_mb:.0f} | {row.note} | `{row.command}` |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
