"""Polling with time.sleep in coroutines (two fixes in one file)."""

import time


async def poll(check):
    while not check():
        time.sleep(0.5)


async def backoff(attempt: int) -> None:
    delay = min(2**attempt, 30)
    time.sleep(delay)  # wait before retrying
