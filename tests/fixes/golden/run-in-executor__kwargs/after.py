import asyncio
import functools
import subprocess


async def build(target: str) -> int:
    await asyncio.sleep(0)
    return await asyncio.get_running_loop().run_in_executor(None, functools.partial(subprocess.call, ["make", target], timeout=60))


async def status() -> bytes:
    return await asyncio.get_running_loop().run_in_executor(None, subprocess.check_output, ["git", "status"])
