"""Sync functions the event loop runs itself (startup handlers, loop callbacks) are loop code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core_helpers import marked

from asyncdoc_tui.config import Config
from asyncdoc_tui.scan.engine import load_project, result_for

Write = Callable[[dict[str, str | bytes]], Path]

HANDLERS = """
    import time
    from fastapi import FastAPI
    from starlette.applications import Starlette

    def load_models():
        time.sleep(2)  # !

    def close_pool():
        time.sleep(1)  # !

    app = FastAPI(on_startup=[load_models])
    app.router.add_event_handler("shutdown", close_pool)

    @app.on_event("startup")
    def warm_cache():
        time.sleep(0.5)  # !

    @app.on_event("startup")
    async def async_warm():
        await asyncio.sleep(0.5)

    def build_index():
        time.sleep(3)

    offloaded = Starlette(on_startup=[])
"""

CALLBACKS = """
    import asyncio
    import functools
    import signal
    import time
    from concurrent.futures import ThreadPoolExecutor

    def tick():
        time.sleep(0.1)  # !

    def later(n):
        time.sleep(n)  # !

    def on_done(fut):
        time.sleep(0.1)  # !

    def on_term():
        time.sleep(1)  # !

    def in_worker_thread(fut):
        time.sleep(1)

    def quick():
        return 1

    async def main():
        loop = asyncio.get_running_loop()
        loop.call_soon(tick)
        loop.call_later(1, functools.partial(later, 2))
        task = asyncio.ensure_future(asyncio.sleep(1))
        task.add_done_callback(on_done)
        loop.add_signal_handler(signal.SIGTERM, on_term)
        loop.call_soon(quick)
        pool = ThreadPoolExecutor()
        pool.submit(quick).add_done_callback(in_worker_thread)
"""


def _hits(write: Write, files: dict[str, str]) -> list[tuple[str, int, str, str]]:
    project = load_project([write(files)], config=Config(), use_cache=False)
    return sorted((f.path, f.line, f.code, f.message) for f in result_for(project).findings)


def test_sync_startup_and_shutdown_handlers_run_on_the_loop(write: Write) -> None:
    hits = _hits(write, {"app.py": HANDLERS})
    assert [(line, code) for _, line, code, _ in hits] == [(line, "AD101") for line in marked(HANDLERS)]
    messages = {line: message for _, line, _, message in hits}
    assert "`warm_cache`, a startup handler (sync handlers run on the event loop)" in messages[marked(HANDLERS)[2]]
    assert "[ASYNC251]" not in messages[marked(HANDLERS)[2]]  # flake8-async does not see these


def test_loop_callbacks_run_on_the_loop_but_thread_callbacks_do_not(write: Write) -> None:
    hits = _hits(write, {"app.py": CALLBACKS})
    assert [(line, code) for _, line, code, _ in hits] == [(line, "AD101") for line in marked(CALLBACKS)]
    tick = next(message for _, line, _, message in hits if line == marked(CALLBACKS)[0])
    assert "a callback of `loop.call_soon` (app.py:" in tick


def test_a_startup_handler_reaches_blocking_code_through_a_helper(write: Write) -> None:
    files = {
        "app/__init__.py": "",
        "app/models.py": "import requests\n\ndef fetch_weights():\n    return requests.get('https://models.example/w').content\n",
        "app/main.py": (
            "from fastapi import FastAPI\n\nfrom app.models import fetch_weights\n\napp = FastAPI()\n\n"
            "@app.on_event('startup')\ndef load():\n    app.state.weights = fetch_weights()\n"
        ),
    }
    hits = _hits(write, files)
    assert [(path, line, code) for path, line, code, _ in hits] == [("app/main.py", 9, "AD201")]
