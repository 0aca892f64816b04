import asyncio
import time as t


async def tick():
    started = t.monotonic()
    await asyncio.sleep(1)
    return t.monotonic() - started


async def doze(seconds):
    result = await asyncio.sleep(seconds) or "done"
    return result
