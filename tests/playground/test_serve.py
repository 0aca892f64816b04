"""`asyncdoc playground --serve`: a real FastAPI app under real uvicorn, watched by the loop probe.

The app is written into tmp_path (the project root): an `async def` endpoint that calls
`time.sleep(1.5)`, one that awaits `asyncio.sleep`, and a sync `def` that sleeps (FastAPI
runs it in a thread). The blocking one must show a stall at its `time.sleep` line, joined
to the AD101 the scanner finds there; the others none; and the server must be gone after
the run, after Ctrl-C and after the playground is killed outright. More endpoints block
through a helper (AD201, reported at the helper's call), in a CPU loop no rule knows, and
forever (the stall is reported while it goes on; the server is killed).
"""

from __future__ import annotations

import ast
import json
import signal
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from asyncdoc_tui.commands.playground import format_server
from asyncdoc_tui.playground import loop_probe
from asyncdoc_tui.playground.served_app import group_running
from asyncdoc_tui.playground.server_monitor import ServerMonitor
from asyncdoc_tui.playground.server_report import ServerReport, Stall, StallFrame

APP = """\
import asyncio
import time

from fastapi import FastAPI

app = FastAPI()


@app.get("/blocking")
async def blocking() -> dict:
    time.sleep(1.5)
    return {"ok": True}


@app.get("/async-sleep")
async def async_sleep() -> dict:
    await asyncio.sleep(0.2)
    return {"ok": True}


@app.get("/sync-sleep")
def sync_sleep() -> dict:
    time.sleep(0.2)
    return {"ok": True}


def nap() -> None:
    time.sleep(1.2)


def spin(seconds: float) -> int:
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1
    return n


@app.get("/helper")
async def helper() -> dict:
    nap()
    return {"ok": True}


@app.get("/spin")
async def spinning() -> dict:
    return {"n": spin(1.2)}


@app.get("/hang")
async def hang() -> dict:
    while True:
        time.sleep(0.01)
"""


def line_of(text: str) -> int:
    return APP.splitlines().index(text) + 1


SLEEP_LINE = line_of("    time.sleep(1.5)")
GONE_WITHIN_S = 30.0  # a generous bound on teardown, not a measurement


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "main.py").write_text(APP)
    return tmp_path


@pytest.fixture
def port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_args(project: Path, port: int, *paths: str, pattern: str = "gather", repeat: int = 1) -> list[str]:
    urls = [arg for path in paths for arg in ("--url", f"http://127.0.0.1:{port}{path}")]
    return [sys.executable, "-m", "asyncdoc_tui", "playground", "--headless", "--json", "--project", str(project),
            "--serve", f"{sys.executable} -m uvicorn app.main:app --port {port}",
            *urls, "--pattern", pattern, "--repeat", str(repeat)]


def started_pid(proc: subprocess.Popen[str]) -> int:
    """The server's pid (its process group), from the line the playground prints on stderr."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if "running (pid " in line:
            return int(line.split("running (pid ")[1].split(")")[0])
    raise AssertionError(f"the server never started; exit code {proc.wait()}")


def wait_gone(pgid: int) -> bool:
    give_up = time.monotonic() + GONE_WITHIN_S
    while group_running(pgid):
        if time.monotonic() > give_up:
            return False
        time.sleep(0.1)
    return True


def test_blocking_endpoint_stall_is_pinned_to_its_line_and_confirms_ad101(project: Path, port: int) -> None:
    proc = subprocess.Popen(serve_args(project, port, "/blocking", repeat=2), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    pid = started_pid(proc)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    server = json.loads(out)["server"]
    assert server["loop_pids"] and server["max_lag_s"] >= 1.0
    assert server["stalls"]
    for stall in server["stalls"]:
        assert stall["duration_s"] >= 1.0
        assert (stall["path"], stall["line"], stall["function"]) == ("app/main.py", SLEEP_LINE, "blocking")
        assert stall["code"] == "time.sleep(1.5)" and stall["finding"] == "AD101"
        assert stall["stack"][0]["path"] == "app/main.py" and not stall["stack"][-1]["in_project"]
    assert not group_running(pid)


def test_a_reloading_server_is_watched_in_its_worker_and_stopped_whole(project: Path, port: int) -> None:
    """`--reload` runs a supervisor and a spawned worker: the stall comes from the worker,
    and every process of the group is gone afterwards."""
    args = serve_args(project, port, "/blocking")
    args[args.index("--serve") + 1] += " --reload"
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    pid = started_pid(proc)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    (stall,) = json.loads(out)["server"]["stalls"]
    assert (stall["line"], stall["finding"]) == (SLEEP_LINE, "AD101") and stall["pid"] != pid
    assert wait_gone(pid)


def test_awaiting_and_sync_def_endpoints_show_no_stall(project: Path, port: int) -> None:
    done = subprocess.run(serve_args(project, port, "/async-sleep", "/sync-sleep", repeat=3),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    server = json.loads(done.stdout)["server"]
    assert server["loop_pids"] and server["lag"]["samples"]  # observed, and the loop kept beating
    assert [s for s in server["stalls"] if any(f["in_project"] for f in s["stack"])] == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "killed"])
def test_server_is_gone_when_the_playground_is_interrupted_or_killed(project: Path, port: int, sig: int) -> None:
    args = serve_args(project, port, "/blocking", pattern="sequential", repeat=20)
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    pid = started_pid(proc)
    assert group_running(pid)
    time.sleep(0.5)  # let the run begin: the server is then inside a blocking request
    proc.send_signal(sig)
    proc.communicate(timeout=120)
    assert wait_gone(pid), f"server process group {pid} still running after the playground got {sig!r}"


def test_a_helper_confirms_ad201_and_a_cpu_loop_is_blocking_not_found_statically(project: Path, port: int) -> None:
    done = subprocess.run(serve_args(project, port, "/helper", "/spin", pattern="sequential"),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    nap, spin = json.loads(done.stdout)["server"]["stalls"]
    assert (nap["path"], nap["line"], nap["function"]) == ("app/main.py", line_of("    time.sleep(1.2)"), "nap")
    assert (nap["finding"], nap["finding_path"], nap["finding_line"]) == ("AD201", "app/main.py", line_of("    nap()"))
    assert (spin["path"], spin["line"]) == ("app/main.py", line_of("    while time.monotonic() < end:"))
    assert spin["finding"] is None and spin["duration_s"] >= 1.0
    assert [f["function"] for f in spin["stack"][:2]] == ["spin", "spinning"]


def test_a_server_without_an_asyncio_loop_is_reported_unobserved(project: Path, port: int) -> None:
    args = [sys.executable, "-m", "asyncdoc_tui", "playground", "--headless", "--project", str(project),
            "--serve", f"{sys.executable} -m http.server {port} --bind 127.0.0.1",
            "--url", f"http://127.0.0.1:{port}/", "--pattern", "gather", "--repeat", "2"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "server loop: not observed: no running asyncio loop was seen" in done.stdout


def test_text_output_names_the_line_the_verdict_and_the_inner_stack() -> None:
    inner = StallFrame("app/main.py", 11, "blocking", "time.sleep(1.5)", True)
    outer = StallFrame("/venv/site-packages/fastapi/routing.py", 381, "run_endpoint_function", "", False)
    stall = Stall(0.1, 1.49, False, inner, (inner, outer), "AD101", "app/main.py", 11, False, 1)
    report = ServerReport((1,), 0.05, ((0.0, 1.49),), 1.49, 1.49, (stall, replace(stall, finding=None)))
    assert format_server(report).splitlines() == [
        "server loop: max lag 1.490 s, p99 1.490 s, 2 stall(s)",
        "  stalled 1.49 s at app/main.py:11 blocking: time.sleep(1.5) — confirms AD101",
        "      /venv/site-packages/fastapi/routing.py:381 run_endpoint_function",
        "      app/main.py:11 blocking: time.sleep(1.5)",
        "  stalled 1.49 s at app/main.py:11 blocking: time.sleep(1.5) — blocking seen at run time, not found statically",
        "      /venv/site-packages/fastapi/routing.py:381 run_endpoint_function",
        "      app/main.py:11 blocking: time.sleep(1.5)",
    ]


def test_a_server_that_never_comes_back_is_reported_as_still_stalled_and_killed(project: Path, port: int) -> None:
    """The loop never runs again, so uvicorn cannot act on SIGTERM: the group gets SIGKILL."""
    args = serve_args(project, port, "/hang") + ["--timeout", "2"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    pid = started_pid(proc)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err  # the request timed out
    (stall,) = json.loads(out)["server"]["stalls"]
    assert stall["ongoing"] and stall["duration_s"] >= 1.0
    assert (stall["line"], stall["finding"]) == (line_of("        time.sleep(0.01)"), "AD101")
    assert not group_running(pid)


def test_an_unanswering_command_fails_with_its_output(project: Path, port: int) -> None:
    args = [sys.executable, "-m", "asyncdoc_tui", "playground", "--headless", "--project", str(project),
            "--serve", f"{sys.executable} -c \"print('listening elsewhere'); import time; time.sleep(60)\"",
            "--url", f"http://127.0.0.1:{port}/", "--ready-timeout", "1", "--pattern", "gather"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"did not answer on 127.0.0.1:{port} within 1 s" in done.stderr and "listening elsewhere" in done.stderr


def test_probe_chains_an_existing_sitecustomize_and_reports_its_process(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text("import os\nos.environ['CHAINED'] = 'yes'\n")
    with ServerMonitor() as monitor:
        env = monitor.env({"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)})
        code = "import asyncio, os; asyncio.run(asyncio.sleep(0.1)); print(os.environ.get('CHAINED'), os.getpid())"
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
        chained, pid = done.stdout.split()
        assert chained == "yes", done.stderr
        give_up = time.monotonic() + GONE_WITHIN_S
        while int(pid) not in monitor.pids() and time.monotonic() < give_up:
            time.sleep(0.05)
        assert int(pid) in monitor.pids()


def test_probe_source_is_python_3_9_and_stdlib_only() -> None:
    source = Path(loop_probe.__file__).read_text()
    tree = ast.parse(source, feature_version=(3, 9))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= set(sys.stdlib_module_names)


async def test_screen_serves_the_app_and_shows_the_confirmed_stall(project: Path, port: int) -> None:
    from textual.app import App
    from textual.widgets import Static

    from asyncdoc_tui.tui.screens.playground import PlaygroundScreen
    from asyncdoc_tui.tui.widgets.timeline import Timeline, render_timeline

    command = f"{sys.executable} -m uvicorn app.main:app --port {port}"
    screen = PlaygroundScreen([f"http://127.0.0.1:{port}/blocking"], command, project)

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(screen)

    app = Host()
    async with app.run_test(size=(150, 50)) as pilot:
        screen.query_one("#pg-requests").value = "1"  # type: ignore[attr-defined]
        await pilot.press("r")  # the first pattern, sequential
        for _ in range(1200):
            await pilot.pause(0.05)
            if not screen.busy:
                break
        session = screen._session
        assert session is not None and session.app.pid is not None
        pane = str(screen.query_one("#pg-server", Static).content)
        assert f"app/main.py:{SLEEP_LINE} blocking: time.sleep(1.5)" in pane and "confirms AD101" in pane
        data = screen.query_one("#pg-timeline", Timeline)._data
        assert data is not None and data.server_lag
        assert "server" in render_timeline(data, 100, 4).plain
        pgid = session.app.pid
    assert wait_gone(pgid)  # closing the screen stops the server


async def test_a_confirmed_stall_marks_the_finding_in_the_main_table(project: Path, port: int, tmp_path: Path) -> None:
    from textual.widgets import Input, TextArea

    from asyncdoc_tui.config import load_config
    from asyncdoc_tui.tui.app import AsyncdocApp
    from asyncdoc_tui.tui.screens.playground import PlaygroundScreen

    app = AsyncdocApp(project, config=load_config(project), cache_dir=tmp_path / "cache")
    async with app.run_test(size=(150, 50)) as pilot:
        main = app.screen
        for _ in range(200):
            await pilot.pause(0.05)
            if main.table.row_count:  # type: ignore[attr-defined]
                break
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlaygroundScreen)
        screen.query_one("#pg-urls", TextArea).text = f"http://127.0.0.1:{port}/blocking"
        screen.query_one("#pg-serve", Input).value = f"{sys.executable} -m uvicorn app.main:app --port {port}"
        screen.query_one("#pg-requests", Input).value = "1"
        await pilot.press("r")
        for _ in range(1200):
            await pilot.pause(0.05)
            if not screen.busy:
                break
        await pilot.press("q")
        await pilot.pause()
        table = main.table  # type: ignore[attr-defined]
        rows = [[cell.plain for cell in table.get_row(row.key)] for row in table.ordered_rows]
        (row,) = [r for r in rows if r[2] == f"app/main.py:{SLEEP_LINE}"]
        assert row[1] == "AD101✓" and row[3].startswith("confirmed: stalled the server's loop")
