"""Playground benchmark: pattern wall times on the demo server and the server's own req/s.

Prints one table row per figure with the command that reproduces it:
  - 20 × /delay/0.2 for every pattern (expect sequential ≈ 4.0 s, gather ≈ 0.2 s);
  - 200 × /delay/0.1 with gather, best and median of 9 (target ≤ 0.3 s; ideal 0.1 s);
  - the same batch through a bare `httpx.AsyncClient`, on httpx's own transport (httpcore) and
    on the playground's `PoolTransport`, without any instrumentation: the client's own cost;
  - demo server requests/s under `wrk` load from a second process (apt-get install wrk).

Run: python bench/playground.py
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import statistics
import subprocess
import time

import httpx

from asyncdoc_tui.playground.patterns import PATTERNS
from asyncdoc_tui.playground.records import RunConfig
from asyncdoc_tui.playground.runner import RunHandle
from asyncdoc_tui.playground.client import client_limits
from asyncdoc_tui.playground.server_process import DemoServerProcess
from asyncdoc_tui.playground.transport import PoolTransport

WRK_ARGS = ("-t2", "-c64", "-d5s")
CLI = "asyncdoc playground --headless"
BIG_TRIES = 9


def main() -> None:
    rows: list[tuple[str, str, str]] = []
    with DemoServerProcess() as base:
        config = RunConfig(urls=(f"{base}/delay/0.2",), requests=20)
        for r in RunHandle(config, list(PATTERNS)).start().wait():
            speed = f", {r.speedup:.1f}× vs sequential" if r.speedup else ""
            rows.append((
                f"20 × /delay/0.2 {r.pattern}",
                f"{r.wall_s:.2f} s wall{speed}, max loop lag {r.lag.max_s:.2f} s",
                f"{CLI} --url $DEMO/delay/0.2 --repeat 20 --pattern {r.pattern}",
            ))
        big = RunConfig(urls=(f"{base}/delay/0.1",), requests=200)
        walls = sorted(r.wall_s for r in RunHandle(big, ["gather"] * BIG_TRIES).start().wait())
        rows.append((
            f"200 × /delay/0.1 gather (best/median of {BIG_TRIES})",
            f"{walls[0]:.3f} / {walls[len(walls) // 2]:.3f} s wall (target ≤ 0.3 s)",
            f"{CLI} --url $DEMO/delay/0.1 --repeat 200 --pattern gather",
        ))
        rows.extend(asyncio.run(_bare_clients(f"{base}/delay/0.1")))
        rows.append(_wrk(base))
    width = [max(len(row[i]) for row in rows) for i in range(3)]
    print(f"{'figure':<{width[0]}}  {'result':<{width[1]}}  command")
    for figure, result, command in rows:
        print(f"{figure:<{width[0]}}  {result:<{width[1]}}  {command}")
    print("$DEMO = a running demo server (asyncdoc demo-server prints its URL)")
    print(f"load average while measuring: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


async def _bare_clients(url: str) -> list[tuple[str, str, str]]:
    """200 × GET with a bare client per transport (one client each, kept across its batches)."""
    rows = []
    for name, transport in (
        ("httpx default transport (httpcore)", None),
        ("PoolTransport", PoolTransport(client_limits(), httpx.create_ssl_context())),
    ):
        walls = []
        async with httpx.AsyncClient(transport=transport, limits=client_limits()) as client:
            for _ in range(BIG_TRIES):
                start = time.perf_counter()
                await asyncio.gather(*(client.get(url) for _ in range(200)))
                walls.append(time.perf_counter() - start)
        rows.append((
            f"200 × /delay/0.1 bare AsyncClient, {name}",
            f"median {statistics.median(walls):.3f} s wall of {BIG_TRIES}",
            "asyncio.gather(*(client.get(url) for _ in range(200)))",
        ))
    return rows


def _wrk(base: str) -> tuple[str, str, str]:
    command = ["wrk", *WRK_ARGS, f"{base}/json"]
    shown = f"wrk {' '.join(WRK_ARGS)} $DEMO/json"
    if shutil.which("wrk") is None:
        return ("demo server req/s", "wrk not installed (apt-get install wrk)", shown)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    latency = re.search(r"Latency\s+(\S+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", out)
    result = f"{float(rps.group(1)):,.0f} req/s, mean latency {latency.group(1)}" if rps and latency else out.strip()
    if errors:
        result += f" ({errors.group(0)})"
    return ("demo server req/s (wrk, 64 connections)", result, shown)


if __name__ == "__main__":
    main()
