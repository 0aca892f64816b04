"""A test hook that parks the writer at a named point, so tests can race it with real
processes instead of sleeps.

Inert unless `ASYNCDOC_PAUSE` is set to `<point>=<prefix>`. The n-th time (from 1) the
writer reaches `<point>` it makes the fifo `<prefix>.<n>`, opens it for reading and waits
for end of file. A test opens that fifo for writing (a non-blocking open succeeds once the
writer is parked), does what it wants to race, and closes it to let the writer go on; a
fresh fifo per stop means a release is never mistaken for the next stop. Points:
`before-write` (a file's fixes are verified, its bytes not yet re-checked),
`before-replace` (re-checked, `os.replace` is next) and `after-replace` (replaced, not yet
read back); undo passes them too.
"""

from __future__ import annotations

import itertools
import os

ENV = "ASYNCDOC_PAUSE"
_stops = itertools.count(1)


def pause_point(name: str) -> None:
    """Park here when the environment names this point; otherwise do nothing."""
    point, _, prefix = os.environ.get(ENV, "").partition("=")
    if point != name or not prefix:
        return
    fifo = f"{prefix}.{next(_stops)}"
    try:
        os.mkfifo(fifo)
    except FileExistsError:
        pass
    with open(fifo, "rb") as gate:
        gate.read()
