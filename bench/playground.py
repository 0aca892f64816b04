"""Playground benchmark: pattern wall times on the demo server and the server's own req/s.

Prints one table row per figure with the command that reproduces it:
  - 20 × /delay/0.2 for every pattern (expect sequential ≈ 4.0 s, gather ≈ 0.2 s);
  - 200 × /delay/0.1 with gather, best and median of 9 (target ≤ 0.3 s; ideal 0.1 s);
  - the same batch through a bare `httpx.AsyncClient`, on httpx's own transport (httpcore) and
    on the playground's `PoolTransport`, without any instrumentation: the client's own cost;
  - demo server requests/s under `wrk` load from a second process (apt-get install wrk);
  - the loop probe's cost on a user's app (`--serve`): a trivial FastAPI endpoint under
    uvicorn, req/s under `wrk` with and without the probe (alternating rounds), and the
    server's CPU time while idle.

Run: python bench/playground.py [--only probe]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from asyncdoc_tui.playground.patterns import PATTERNS
from asyncdoc_tui.playground.records import RunConfig
from asyncdoc_tui.playground.runner import RunHandle
from asyncdoc_tui.playground.client import client_limits
from asyncdoc_tui.playground.served_app import answers
from asyncdoc_tui.playground.server_monitor import ServerMonitor
from asyncdoc_tui.playground.server_process import DemoServerProcess
from asyncdoc_tui.playground.transport import PoolTransport

WRK_ARGS = ("-t2", "-c64", "-d5s")
CLI = "asyncdoc playground --headless"
BIG_TRIES = 9
PROBE_WRK_ARGS = ("-t1", "-c32", "-d5s")
PROBE_ROUNDS = 5
IDLE_S = 10.0
TRIVIAL_APP = """\
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
async def root() -> dict:
    return {"ok": True}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["probe"], help="measure only the loop probe's overhead")
    rows = _probe_overhead() if parser.parse_args().only == "probe" else _all_rows()
    width = [max(len(row[i]) for row in rows) for i in range(3)]
    print(f"{'figure':<{width[0]}}  {'result':<{width[1]}}  command")
    for figure, result, command in rows:
        print(f"{figure:<{width[0]}}  {result:<{width[1]}}  {command}")
    print("$DEMO = a running demo server (asyncdoc demo-server prints its URL)")
    print(f"load average while measuring: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


def _all_rows() -> list[tuple[str, str, str]]:
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
    return rows + _probe_overhead()


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


def _probe_overhead() -> list[tuple[str, str, str]]:
    """uvicorn on a trivial endpoint, with the probe's environment and without, alternating.

    req/s moves with whatever else the box runs; the server's CPU time per request (from
    /proc around each wrk run) moves much less, so both are shown.
    """
    shown = f"wrk {' '.join(PROBE_WRK_ARGS)} http://127.0.0.1:$PORT/ (uvicorn app:app, trivial async def)"
    if shutil.which("wrk") is None:
        return [("loop probe overhead", "wrk not installed (apt-get install wrk)", shown)]
    labels = ("without probe", "with probe")
    rps: dict[str, list[float]] = {label: [] for label in labels}
    cpu_us: dict[str, list[float]] = {label: [] for label in labels}
    idle_cpu: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder, ServerMonitor() as monitor:
        Path(folder, "app.py").write_text(TRIVIAL_APP)
        for round_ in range(PROBE_ROUNDS):
            order = list(zip(labels, (dict(os.environ), monitor.env())))
            for label, env in order if round_ % 2 == 0 else order[::-1]:  # ABBA: a trend favours neither
                with _uvicorn(folder, env) as (url, pid):
                    if label not in idle_cpu:
                        idle_cpu[label] = _idle_cpu_s(pid)
                    before = _cpu_s(pid)
                    rate, requests = _wrk_rps(url)
                    cpu_us[label].append((_cpu_s(pid) - before) / requests * 1e6)
                    rps[label].append(rate)
        assert monitor.loop_pids(), "the probe never watched the server's loop"
    rows = []
    for label in labels:
        rows.append((f"trivial FastAPI endpoint, {label} (median of {PROBE_ROUNDS})",
                     f"{statistics.median(rps[label]):,.0f} req/s, {statistics.median(cpu_us[label]):.0f} µs "
                     f"server CPU per request (req/s rounds: {', '.join(f'{v:,.0f}' for v in rps[label])})",
                     shown))
    for name, values in (("req/s", rps), ("server CPU per request", cpu_us)):
        ratios = [w / wo - 1 for w, wo in zip(values["with probe"], values["without probe"])]
        rows.append((f"loop probe effect on {name}",
                     f"{statistics.median(ratios):+.1%} median of the rounds' ratios "
                     f"({', '.join(f'{r:+.0%}' for r in ratios)})", "rounds above, paired"))
    for label, cpu in idle_cpu.items():
        rows.append((f"uvicorn CPU while idle {IDLE_S:g} s, {label}", f"{cpu * 1000:.0f} ms",
                     "utime+stime from /proc/PID/stat"))
    return rows


class _uvicorn:
    """`with _uvicorn(folder, env) as (url, pid):` a uvicorn server on a free port."""

    def __init__(self, folder: str, env: dict[str, str]) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app:app", "--port", str(self.port), "--log-level", "warning"],
            cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    def __enter__(self) -> tuple[str, int]:
        while not answers(("127.0.0.1", self.port)):
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}/", self.proc.pid

    def __exit__(self, *exc_info: object) -> None:
        self.proc.terminate()
        self.proc.wait()


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _idle_cpu_s(pid: int) -> float:
    time.sleep(1.0)  # past start-up
    before = _cpu_s(pid)
    time.sleep(IDLE_S)
    return _cpu_s(pid) - before


def _wrk_rps(url: str) -> tuple[float, int]:
    """(requests/s, requests completed) of one wrk run."""
    out = subprocess.run(["wrk", *PROBE_WRK_ARGS, url], capture_output=True, text=True, check=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    assert rate and total, out
    return float(rate.group(1)), int(total.group(1))


if __name__ == "__main__":
    main()
