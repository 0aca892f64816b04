import time as t
from time import sleep as nap


async def tick():
    started = t.monotonic()
    t.sleep(1)
    return t.monotonic() - started


async def doze(seconds):
    result = nap(seconds) or "done"
    return result
