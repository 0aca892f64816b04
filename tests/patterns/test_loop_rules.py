"""AD402 (get_event_loop in a coroutine) and AD404 (asyncio.run inside a running loop)."""

from __future__ import annotations

from pathlib import Path

from pattern_helpers import findings, lines

from asyncdoc_tui.fixes import compute_fix
from asyncdoc_tui.model import Severity

LOOPS = '''
import asyncio
from asyncio import get_event_loop


async def compress(data):
    loop = asyncio.get_event_loop()            # AD402
    return await loop.run_in_executor(None, len, data)


async def bare():
    return get_event_loop()                    # AD402 (imported name)


def sync_setup():
    return asyncio.get_event_loop()            # sync: negative


async def outer():
    def inner():
        return asyncio.get_event_loop()        # nested sync def: negative
    return inner


async def running():
    return asyncio.get_running_loop()          # negative
'''

RUNS = '''
import asyncio


async def fetch():
    return 1


async def handler():
    return asyncio.run(fetch())                # AD404 direct


async def handler2():
    loop = asyncio.new_event_loop()
    return loop.run_until_complete(fetch())    # AD404 direct


def total():
    return asyncio.run(fetch())                # AD404: reached from `caller` via `helper`


def helper():
    return total()


async def caller():
    return helper()


def main():
    asyncio.run(fetch())                       # negative: program entry


async def offloaded():
    return await asyncio.to_thread(main)       # a callable passed to a thread is not a call
'''


IMPORT_TIME = '''
import asyncio

loop = asyncio.get_event_loop()                # AD402 warning: no loop runs at import time

if __name__ == "__main__":
    asyncio.get_event_loop().run_until_complete(asyncio.sleep(0))   # AD402 warning
'''

LOOP_SET_FIRST = '''
import asyncio

asyncio.set_event_loop(asyncio.new_event_loop())
loop = asyncio.get_event_loop()                # negative: returns the loop just set
'''


def test_get_event_loop_in_coroutines_is_advice_not_a_deprecation(tmp_path: Path) -> None:
    _, found = findings(tmp_path, {"loops.py": LOOPS}, "AD402")
    assert lines(found) == [("loops.py", 6), ("loops.py", 11)]
    assert {f.severity for f in found} == {Severity.INFO}
    assert "returns the running loop (not deprecated here)" in found[0].message
    assert "deprecated" not in found[0].message.replace("not deprecated", "")


def test_get_event_loop_at_import_time_says_what_each_version_does(tmp_path: Path) -> None:
    _, found = findings(tmp_path, {"boot.py": IMPORT_TIME, "ready.py": LOOP_SET_FIRST}, "AD402")
    assert lines(found) == [("boot.py", 3), ("boot.py", 6)]
    assert {f.severity for f in found} == {Severity.WARNING}
    assert "Python 3.12 and 3.13 create one and emit a DeprecationWarning" in found[0].message
    assert "Python 3.14+ raises RuntimeError" in found[0].message
    assert found[0].fixes == ()


def test_running_loop_fix_is_safe_and_keeps_the_spelling(tmp_path: Path) -> None:
    project, found = findings(tmp_path, {"loops.py": LOOPS}, "AD402")
    attribute, bare = found
    assert attribute.fixes[0].id == "running-loop" and attribute.fixes[0].safe
    proposal = compute_fix(project, attribute, "running-loop")
    assert "-    loop = asyncio.get_event_loop()" in proposal.diff
    assert "+    loop = asyncio.get_running_loop()" in proposal.diff
    proposal = compute_fix(project, bare, "running-loop")
    assert "+    return asyncio.get_running_loop()" in proposal.diff


def test_nested_run_direct_and_through_sync_helpers(tmp_path: Path) -> None:
    _, found = findings(tmp_path, {"runs.py": RUNS}, "AD404")
    assert lines(found) == [("runs.py", 9), ("runs.py", 14), ("runs.py", 18)]
    reached = found[2]
    assert "reached from async function `caller`" in reached.message
    assert [e.line for e in reached.evidence] == [26, 22, 18]
