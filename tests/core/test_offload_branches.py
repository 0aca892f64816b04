"""A sync call whose sibling branch offloads the same callable is the code's own decision."""

from __future__ import annotations

from collections.abc import Callable

from core_helpers import Hit, marked

Hits = Callable[..., list[Hit]]

UPLOAD = """
    import asyncio
    from starlette.concurrency import run_in_threadpool

    class Upload:
        def __init__(self, path, in_memory):
            self.file = open(path, "rb")
            self.in_memory = in_memory

        async def read(self, size=-1):
            if self.in_memory:
                return self.file.read(size)
            return await run_in_threadpool(self.file.read, size)

        async def seek(self, offset):
            if self.in_memory:
                self.file.seek(offset)
            else:
                await asyncio.to_thread(self.file.seek, offset)

        async def write(self, data, rolls):
            if rolls:
                await asyncio.get_running_loop().run_in_executor(None, self.file.write, data)
            else:
                self.file.write(data)
    """

NOT_DECIDED = """
    import asyncio

    class Upload:
        def __init__(self, path):
            self.file = open(path, "rb")

        async def read_twice(self):
            first = self.file.read()  # !
            second = await asyncio.to_thread(self.file.read)
            return first + second

        async def other_callable(self, small):
            if small:
                return self.file.readline()  # !
            return await asyncio.to_thread(self.file.read)

        async def both_direct(self, small):
            if small:
                return self.file.read(10)  # !
            return self.file.read()  # !
    """


def test_a_call_offloaded_in_its_sibling_branch_is_not_reported(blocking_hits: Hits) -> None:
    assert blocking_hits({"app.py": UPLOAD}) == []


def test_the_same_call_outside_a_sibling_branch_is_still_reported(blocking_hits: Hits) -> None:
    hits = blocking_hits({"app.py": NOT_DECIDED})
    assert [line for _, line, _ in hits] == marked(NOT_DECIDED)
    assert {code for _, _, code in hits} == {"AD104"}
