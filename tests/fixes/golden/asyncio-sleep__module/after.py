"""Polling with time.sleep in coroutines (two fixes in one file)."""

import asyncio


async def poll(check):
    while not check():
        await asyncio.sleep(0.5)


async def backoff(attempt: int) -> None:
    delay = min(2**attempt, 30)
    await asyncio.sleep(delay)  # wait before retrying
