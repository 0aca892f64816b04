"""Sync functions the event loop runs itself: their blocking calls block the loop too.

A `def` is not always off the loop. Starlette calls sync startup and shutdown handlers
directly on the loop (`@app.on_event("startup")`, `FastAPI(on_startup=[f])`,
`add_event_handler`), and asyncio runs the callbacks given to `loop.call_soon`,
`call_later`, `call_at`, `call_soon_threadsafe`, `add_signal_handler`, `add_reader`,
`add_writer` and `Future.add_done_callback` on the loop's thread, `functools.partial`
included. Such a function is loop code for AD1xx (its own calls) and AD201 (the helpers
it calls), and its findings say why it counts.
"""

from __future__ import annotations

import re
from weakref import WeakKeyDictionary

from asyncdoc_tui.rules.entrypoints import SHUTDOWN, STARTUP, entry_points
from asyncdoc_tui.scan.project import Project
from asyncdoc_tui.scan.resolve import FUNCTION, ProjectIndex

# Loop methods that take a callback, and the callback's position among the arguments.
_CALLBACK_METHODS = {
    "call_soon": 0,
    "call_soon_threadsafe": 0,
    "add_done_callback": 0,
    "call_later": 1,
    "call_at": 1,
    "add_signal_handler": 1,
    "add_reader": 1,
    "add_writer": 1,
}
_PARTIAL = re.compile(r"^functools\.partial\(([\w.]+)")

_CACHE: WeakKeyDictionary[ProjectIndex, dict[str, str]] = WeakKeyDictionary()


def loop_functions(project: Project) -> dict[str, str]:
    """Sync project functions the loop runs, by dotted name, with why ("startup handler",
    "callback of `loop.call_soon` (app.py:21)"). Computed once per project index."""
    index = project.index
    found = _CACHE.get(index)
    if found is None:
        found = _CACHE[index] = _find(project)
    return found


def _find(project: Project) -> dict[str, str]:
    index = project.index
    found: dict[str, str] = {}
    for name, entry in entry_points(project).items():
        if entry.kind in (STARTUP, SHUTDOWN) and index.is_sync(name):
            found[name] = f"{entry.label} handler (sync handlers run on the event loop)"
    for facts in index.files:
        for call in facts.calls:
            method = call.text.rpartition(".")[2]
            position = _CALLBACK_METHODS.get(method)
            # A concurrent.futures future runs its callbacks in the worker thread.
            if position is None or len(call.args) <= position or ".submit()" in call.callee:
                continue
            argument = call.args[position]
            partial = _PARTIAL.match(argument)
            resolved = index.resolve(partial.group(1) if partial else argument)
            if resolved.kind == FUNCTION and index.is_sync(resolved.name):
                found.setdefault(resolved.name, f"callback of `{call.text}` ({facts.path}:{call.line}), run on the event loop")
    return found
