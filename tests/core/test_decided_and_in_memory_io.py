"""Not disk I/O by design: a call offloaded in its sibling branch, in-memory file objects."""

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


IN_MEMORY = """
    import io
    import tempfile
    from typing import IO, BinaryIO

    async def checksum(upload: BinaryIO) -> int:
        return sum(upload.read())

    async def parse(stream: IO[bytes]) -> bytes:
        stream.seek(0)
        return stream.read()

    async def buffer() -> bytes:
        data = io.BytesIO()
        data.write(b"x")
        return data.getvalue()

    async def spooled() -> None:
        spool = tempfile.SpooledTemporaryFile(max_size=1024)
        spool.write(b"small")

    async def on_disk(path: str) -> bytes:
        with open(path, "rb") as real:
            return real.read()  # !
"""


def test_in_memory_file_objects_are_not_disk_io(blocking_hits: Hits) -> None:
    """Only the real file is a finding (its `open` too): annotations and buffers are not."""
    hits = blocking_hits({"app.py": IN_MEMORY})
    assert {line for _, line, _ in hits} == {marked(IN_MEMORY)[0] - 1, marked(IN_MEMORY)[0]}


OFFLOADED_OPEN = """
    import asyncio

    async def load(path):
        fh = await asyncio.to_thread(open, path)
        with await asyncio.get_running_loop().run_in_executor(None, open, path) as again:
            return fh.read() + again.read()  # !
"""


def test_a_file_opened_in_a_thread_is_still_a_file(blocking_hits: Hits) -> None:
    """Offloading `open` does not offload the reads: they still block (and a fix of the
    `open` alone never reports them resolved)."""
    hits = blocking_hits({"app.py": OFFLOADED_OPEN})
    assert [(line, code) for _, line, code in hits] == [(marked(OFFLOADED_OPEN)[0], "AD104")] * 2
