"""Drive the app headless on a generated project with 10,000 findings.

Times first paint (app start → first frame with rows in the table) and key → frame (key
delivered → first rendered frame showing its effect) for keys tapped with rests, keys at
reading pace while fixes are computed, and a held key. Frames are timestamped by a hook
on the app's frame output, not by Pilot (whose `press`/`pause` wait for CPU idle).
Targets: first paint ≤ 1.0 s, median key ≤ 30 ms, max key ≤ 100 ms.

    python bench/tui.py [--files 200] [--per-file 50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from textual import events
from textual.app import App

# Terminal key auto-repeat is about 30 keys a second.
HELD_INTERVAL_S = 1 / 30
# Reading pace: long enough for the finding's fix to start computing (debounce 0.3 s).
READING_INTERVAL_S = 0.32
TAPPED_KEYS = ["j"] * 60 + ["k"] * 20 + ["pagedown"] * 10 + ["ctrl+end", "ctrl+home"] + ["down"] * 8
SCENARIOS = {
    "tapped": "tapped keys (idle between)",
    "reading": "keys every 0.32 s (fix computing)",
    "held": "held key (30 keys/s)",
}

CALLS = ("time.sleep(1)", "open('x')", "subprocess.run(['true'])", "requests.get('http://x')")


def generate(root: Path, files: int, per_file: int) -> None:
    """`files` modules, each with `per_file` async functions making one blocking call."""
    shutil.rmtree(root, ignore_errors=True)
    package = root / "app"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for i in range(files):
        body = ["import subprocess", "import time", "", "import requests", ""]
        for j in range(per_file):
            body += ["", f"async def handler_{j}():", f"    {CALLS[(i + j) % len(CALLS)]}", ""]
        (package / f"module_{i:04d}.py").write_text("\n".join(body))


class Frame(NamedTuple):
    """What one rendered frame showed."""

    time: float
    rows: int
    cursor: int
    detail: object  # the finding in the detail pane


class Frames:
    """Timestamps every frame the app renders.

    Headless apps compute every frame (the compositor renders the changed lines) but skip
    the terminal write; the hook does that write too, to a string, so a frame costs what
    it would in a terminal.
    """

    def __init__(self, app: App[None]) -> None:
        self.changed = asyncio.Event()
        self.last = Frame(0.0, 0, -1, None)
        display = app._display

        def hooked(screen: object, renderable: object) -> None:
            display(screen, renderable)  # type: ignore[arg-type]
            if renderable is None or screen is not app.screen:
                return
            if hasattr(renderable, "render_segments"):
                renderable.render_segments(app.console)
            table = app.screen.table  # type: ignore[attr-defined]
            detail = app.screen.query_one("#detail").finding  # type: ignore[attr-defined]
            self.last = Frame(time.perf_counter(), table.row_count, table.cursor_row, detail)
            self.changed.set()

        app._display = hooked  # type: ignore[method-assign]

    async def until(self, done: Callable[[Frame], bool], timeout: float = 5.0) -> float:
        """Time of the first frame (the last one, or one to come) for which `done` holds."""
        deadline = time.perf_counter() + timeout
        while not done(self.last):
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), max(deadline - time.perf_counter(), 0.001))
        return self.last.time


def send_key(app: App[None], key: str, char: str | None = None) -> None:
    """Deliver `key` as the terminal driver does (Pilot.press also waits for idle twice)."""
    event = events.Key(key, char or (key if len(key) == 1 else None))
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


@dataclass
class Run:
    """Figures of one app run, in seconds; key timings as (key, seconds)."""

    scan: float = 0.0
    first_paint: float = 0.0
    all_rows: float = 0.0
    rows: int = 0
    keys: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    detail_follows: float = 0.0
    filter: float = 0.0

    def ms(self, scenario: str) -> list[float]:
        return [d * 1000 for _, d in self.keys[scenario]]


async def drive(root: Path, cache: Path, keys: list[str], held_keys: list[str]) -> Run:
    """Start the app on `root` and time first paint, the three ways of pressing keys and
    the filter."""
    from asyncdoc_tui.config import load_config
    from asyncdoc_tui.scan.engine import scan
    from asyncdoc_tui.tui.app import AsyncdocApp

    config = load_config(root)
    run = Run()
    started = time.perf_counter()
    project, result = scan([root], config=config, cache_dir=cache)
    run.scan = time.perf_counter() - started

    started = time.perf_counter()
    app = AsyncdocApp(root, config=config, cache_dir=cache, preloaded=(project, result))
    async with app.run_test(size=(120, 40)) as pilot:
        frames = Frames(app)
        table = app.screen.table  # type: ignore[attr-defined]
        run.first_paint = await frames.until(lambda f: f.rows > 0, timeout=30) - started
        while table.row_count < len(result.findings):
            await pilot.pause(0.01)
        run.all_rows = time.perf_counter() - started
        run.rows = table.row_count
        await pilot.pause(0.5)  # the first fix computation

        async def press(key: str) -> tuple[str, float]:
            """`key` and the time to the first frame with the cursor moved."""
            before = table.cursor_row
            sent = time.perf_counter()
            send_key(app, key)
            return key, await frames.until(lambda f: f.time > sent and f.cursor != before) - sent

        async def paced(keys: list[str], interval: float) -> list[tuple[str, float]]:
            timings = []
            for key in keys:
                tick = time.perf_counter() + interval
                timings.append(await press(key))
                await asyncio.sleep(max(tick - time.perf_counter(), 0))
            return timings

        # Tapped: a key, its frame, then a rest until idle (the detail pane may land then).
        run.keys["tapped"] = []
        for key in keys:
            run.keys["tapped"].append(await press(key))
            await pilot.pause()
        # Reading: each key lands as the previous finding's fix is computed and shown.
        run.keys["reading"] = await paced(["j", "k"] * 10, READING_INTERVAL_S)
        # Held: auto-repeat, never resting; then the detail pane catching up.
        run.keys["held"] = await paced(held_keys, HELD_INTERVAL_S)
        released = time.perf_counter() - HELD_INTERVAL_S
        cursor = table.current
        run.detail_follows = max(await frames.until(lambda f: f.detail is cursor) - released, 0.0)

        # Filter: the characters as typed, then enter; until the frame with the 50 rows.
        send_key(app, "slash", "/")
        await pilot.pause()
        sent = time.perf_counter()
        for char in "module_0001":
            send_key(app, char if char.isalnum() else "underscore", char)
            await asyncio.sleep(HELD_INTERVAL_S)
        send_key(app, "enter")
        run.filter = await frames.until(lambda f: f.time > sent and f.rows <= 50) - sent
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--per-file", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="asyncdoc-bench-config-"))
    work = Path(tempfile.gettempdir()) / "asyncdoc-bench-tui"
    root, cache = work / "project", work / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    generate(root, args.files, args.per_file)
    big = asyncio.run(drive(root, cache, TAPPED_KEYS, ["j"] * 60))
    # The demo project (23 findings): what Textual and this machine cost with no rows to speak of.
    from asyncdoc_tui.tui.launch import demo_copy

    demo = asyncio.run(drive(demo_copy(work), cache, ["j", "k"] * 50, ["j", "k"] * 30))

    print(f"command: python bench/tui.py --files {args.files} --per-file {args.per_file}")
    print(f"{'figure':<52} {'10k':>9} {'demo':>9}  target")

    def row(label: str, value: float, base: float | None, unit: str, target: str = "") -> None:
        scale, digits = (1000, 1) if unit == "ms" else (1, 3)
        base_text = f"{base * scale:>7.{digits}f}{unit}" if base is not None else f"{'—':>9}"
        print(f"{label:<52} {value * scale:>7.{digits}f}{unit} {base_text}  {target}")

    print(f"{'findings in the table':<52} {big.rows:>9} {demo.rows:>9}")
    row("scan before start (not part of first paint)", big.scan, demo.scan, "s ")
    row("time to first paint (first frame with rows)", big.first_paint, demo.first_paint, "s ", "≤ 1.0 s")
    row("all rows in the table", big.all_rows, None, "s ")
    for name, label in SCENARIOS.items():
        nav, base = big.ms(name), demo.ms(name)
        row(f"{label}: key→frame median ({len(nav)} keys)", statistics.median(nav) / 1000, statistics.median(base) / 1000, "ms", "≤ 30 ms")
        row(f"{label}: key→frame p90", statistics.quantiles(nav, n=10)[-1] / 1000, statistics.quantiles(base, n=10)[-1] / 1000, "ms")
        row(f"{label}: key→frame max", max(nav) / 1000, max(base) / 1000, "ms", "≤ 100 ms")
    row("detail pane follows after key release", big.detail_follows, demo.detail_follows, "ms")
    row("filter: type module_0001 (30 keys/s) + enter → frame", big.filter, demo.filter, "ms")
    slow = sorted((timing for name in SCENARIOS for timing in big.keys[name]), key=lambda kd: -kd[1])[:3]
    print("slowest keys: " + ", ".join(f"{k} {d * 1000:.1f}ms" for k, d in slow))
    ok = big.first_paint <= 1.0 and all(statistics.median(big.ms(n)) <= 30 and max(big.ms(n)) <= 100 for n in SCENARIOS)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
