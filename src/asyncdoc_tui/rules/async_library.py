"""Which async library a module runs on: asyncio, trio or anyio, from what it imports.

Advice and fixes follow it: `await trio.sleep(x)` in trio code, `anyio.to_thread.run_sync`
in anyio code. An asyncio call written into trio code fails at run time (no asyncio loop
is running), so the asyncio-only fixes are never offered there.
"""

from __future__ import annotations

from asyncdoc_tui.scan.facts_model import FileFacts

ASYNCIO = "asyncio"
TRIO = "trio"
ANYIO = "anyio"
_LIBRARIES = (ASYNCIO, TRIO, ANYIO)

# Per library: how to sleep, how to run a sync callable in a worker thread, and files.
SLEEP = {ASYNCIO: "asyncio.sleep", TRIO: "trio.sleep", ANYIO: "anyio.sleep"}
TO_THREAD = {ASYNCIO: "asyncio.to_thread", TRIO: "trio.to_thread.run_sync", ANYIO: "anyio.to_thread.run_sync"}
_FILES = {TRIO: "`await trio.open_file(...)` or `trio.Path`", ANYIO: "`await anyio.open_file(...)` or `anyio.Path`"}


def imported_libraries(facts: FileFacts) -> dict[str, str | None]:
    """Async libraries the module imports at module level: name -> the name a plain
    `import` binds it to (`import trio as t` -> "t"), None when only names are imported
    from it (`from anyio import sleep`)."""
    found: dict[str, str | None] = {}
    for imp in facts.imports:
        head = imp.module.partition(".")[0]
        if imp.scope != "module" or imp.guard or imp.level or head not in _LIBRARIES:
            continue
        if imp.is_from or (imp.asname is not None and imp.module != head):
            alias = None  # names from it, or a submodule under another name
        else:
            alias = imp.asname or head
        if found.get(head) is None:
            found[head] = alias
    return found


def library_of(facts: FileFacts) -> str:
    """trio when the module imports trio and not asyncio, anyio when it imports anyio and
    not asyncio, else asyncio (the default of FastAPI and most code)."""
    imported = imported_libraries(facts)
    if ASYNCIO in imported:
        return ASYNCIO
    if TRIO in imported:
        return TRIO
    return ANYIO if ANYIO in imported else ASYNCIO


def advice_for(code: str, library: str, alternative: str) -> str:
    """The catalog's alternative, in the words of the module's library."""
    if library == ASYNCIO:
        return alternative
    if code == "AD101":
        return f"await {SLEEP[library]}(seconds)"
    if code == "AD104":
        return f"{_FILES[library]}, or `await {TO_THREAD[library]}(f, ...)`"
    return f"{alternative} (in {library} code, offload with `await {TO_THREAD[library]}(f, ...)`)"
