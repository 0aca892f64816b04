"""Loop probe: copied as `sitecustomize.py` into a temp folder put first on the PYTHONPATH
of a server the playground starts (`asyncdoc playground --serve`), so it runs at that
interpreter's start without touching the app's code.

It runs inside the user's own Python (3.9 or later, any packages), so it imports only the
standard library, uses no newer syntax and never imports asyncdoc. It does nothing unless
`ASYNCDOC_LOOP_PROBE` (`host:port:token`) names the playground's listener; then it:

- connects to the listener and says hello; a thread waits on that socket, and when the
  playground goes away (closed, crashed, killed) it terminates this process (SIGTERM, then
  exit after a grace period), so a server never outlives the playground;
- hooks `asyncio.events._set_running_loop`, which every asyncio loop (and uvloop, which
  binds `asyncio._set_running_loop` when imported) calls as it starts and stops running.
  asyncio itself is not imported here: a meta-path hook patches `asyncio.events` right
  after the app imports it, so a process that never uses asyncio pays nothing;
- while a loop runs, a heartbeat (`loop.call_later`, not a task: `asyncio.run` and
  servers that cancel leftover tasks never see it) records how late each tick wakes up;
- a watchdog thread, when the heartbeat is late by more than STALL_S, samples the loop
  thread's stack (`sys._current_frames`) until the loop comes back, then reports the
  stall with its distinct stacks and how often each was seen. Every FLUSH_S it sends the
  lag samples so far, a stall still going on as it stands, and the time it has checked up
  to (`now`): once the playground holds a `now` past the end of a run, it holds everything
  about that run. Messages are JSON lines over the socket.

Times are `time.perf_counter()` values: CLOCK_MONOTONIC on Linux, shared by every process
on the machine, so the playground lines them up with its own client timeline.
"""

import json
import os
import signal
import sys
import threading
import time

ENV = "ASYNCDOC_LOOP_PROBE"
HEARTBEAT_S = 0.05
STALL_S = 0.05
WATCH_S = 0.02  # how often the stack is sampled while a stall goes on
FLUSH_S = 0.25
MAX_FRAMES = 64
EXIT_GRACE_S = 5.0


class _Beat(object):
    """The heartbeat on one running loop; `last` is when the latest tick ran."""

    def __init__(self, probe, loop):
        self.probe = probe
        self.loop = loop
        self.thread = threading.get_ident()
        self.last = time.perf_counter()
        self.stall = None
        self.handle = loop.call_later(HEARTBEAT_S, self.tick)

    def tick(self):
        now = time.perf_counter()
        self.probe.samples.append((self.last, max(0.0, now - self.last - HEARTBEAT_S)))
        self.last = now
        self.handle = self.loop.call_later(HEARTBEAT_S, self.tick)

    def stop(self):
        self.handle.cancel()


class _Stall(object):
    """Stacks seen while one stall goes on, counted."""

    def __init__(self, number, start):
        self.number = number
        self.start = start
        self.stacks = {}

    def add(self, frame):
        stack = []
        while frame is not None and len(stack) < MAX_FRAMES:
            code = frame.f_code
            stack.append((code.co_filename, frame.f_lineno, code.co_name))
            frame = frame.f_back
        key = tuple(stack)
        self.stacks[key] = self.stacks.get(key, 0) + 1

    def message(self, pid, duration, ongoing):
        import linecache

        stacks = []
        for stack, count in sorted(self.stacks.items(), key=lambda item: -item[1]):
            frames = [[path, line, name, linecache.getline(path, line).strip()] for path, line, name in stack]
            stacks.append({"samples": count, "frames": frames})
        return {"t": "stall", "pid": pid, "id": self.number, "start": self.start,
                "duration": duration, "ongoing": ongoing, "stacks": stacks}


class _Probe(object):
    """One per process: the connection, the heartbeats of running loops and the watchdog."""

    def __init__(self, host, port, token):
        import socket

        self.sock = socket.create_connection((host, port), timeout=5)
        self.sock.settimeout(None)
        self.lock = threading.Lock()
        self.samples = []
        self.beats = {}
        self.watchdog = None
        self.stalls = 0
        self.sock.sendall((json.dumps({"t": "hello", "token": token, "pid": os.getpid()}) + "\n").encode())
        threading.Thread(target=self.wait_for_playground, name="asyncdoc-probe-link", daemon=True).start()

    def send(self, message):
        """Never raises: a broken link is the link thread's business (it ends the process)."""
        data = (json.dumps(message) + "\n").encode()
        with self.lock:
            try:
                self.sock.sendall(data)
            except OSError:
                pass

    def wait_for_playground(self):
        """The playground never writes: an end of file or an error means it is gone."""
        try:
            while self.sock.recv(4096):
                pass
        except OSError:
            pass
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(EXIT_GRACE_S)
        os._exit(1)

    def loop_running(self, loop):
        thread = threading.get_ident()
        if loop is None:
            beat = self.beats.pop(thread, None)
            if beat is not None:
                beat.stop()
            return
        if thread not in self.beats:
            self.beats[thread] = _Beat(self, loop)
        if self.watchdog is None:
            self.watchdog = threading.Thread(target=self.watch, name="asyncdoc-probe-watchdog", daemon=True)
            self.watchdog.start()

    def watch(self):
        """Wakes when a beat would be late enough to be a stall (or to flush), not on a fixed
        short period: an idle app pays a few wake-ups a second."""
        pid = os.getpid()
        flushed = time.perf_counter()
        while True:
            now = time.perf_counter()
            wake = flushed + FLUSH_S
            for beat in list(self.beats.values()):
                self.check(beat, now, pid)
                due = now + WATCH_S if beat.stall is not None else beat.last + HEARTBEAT_S + STALL_S
                wake = min(wake, due)
            time.sleep(max(WATCH_S, wake - now))
            now = time.perf_counter()
            if now - flushed >= FLUSH_S:
                self.flush(now, pid)
                flushed = now

    def check(self, beat, now, pid):
        stall = beat.stall
        if stall is not None and beat.last > stall.start:
            beat.stall = None
            self.send(stall.message(pid, beat.last - stall.start - HEARTBEAT_S, False))
            return
        if now - beat.last - HEARTBEAT_S <= STALL_S:
            return
        if stall is None:
            self.stalls += 1
            stall = beat.stall = _Stall(self.stalls, beat.last)
        frame = sys._current_frames().get(beat.thread)
        if frame is not None:
            stall.add(frame)

    def flush(self, now, pid):
        for beat in list(self.beats.values()):
            if beat.stall is not None:
                self.send(beat.stall.message(pid, now - beat.stall.start - HEARTBEAT_S, True))
        samples, self.samples = self.samples, []
        self.send({"t": "lag", "pid": pid, "now": now, "interval": HEARTBEAT_S,
                   "samples": [[round(t, 6), round(lag, 6)] for t, lag in samples]})


class _EventsHook(object):
    """Meta-path finder that patches `asyncio.events` as soon as it has been executed."""

    def find_spec(self, name, path=None, target=None):
        if name != "asyncio.events":
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        run_module = spec.loader.exec_module

        def exec_module(module):
            run_module(module)
            _patch(module)

        spec.loader.exec_module = exec_module
        return spec


_probe = None  # this process's probe; replaced in a forked child, which needs its own link


def _patch(events):
    set_running = events._set_running_loop

    def _set_running_loop(loop):
        set_running(loop)
        try:
            _probe.loop_running(loop)
        except Exception:  # the app must never fail because of the probe
            pass

    events._set_running_loop = _set_running_loop
    package = sys.modules.get("asyncio")
    if package is not None and getattr(package, "_set_running_loop", None) is set_running:
        package._set_running_loop = _set_running_loop


def _connect():
    host, port, token = os.environ[ENV].split(":")
    try:
        return _Probe(host, int(port), token)
    except (OSError, ValueError):
        return None  # no playground listening: run the app unobserved


def _start():
    global _probe
    if os.environ.get(ENV, "").count(":") != 2:
        return
    _probe = _connect()
    if _probe is None:
        return
    if "asyncio.events" in sys.modules:
        _patch(sys.modules["asyncio.events"])
    else:
        sys.meta_path.insert(0, _EventsHook())
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_fork)


def _after_fork():
    """A forked child (a pre-fork server's worker) gets a link and a watchdog of its own;
    the inherited socket is the parent's."""
    global _probe
    if _probe is not None:
        _probe.sock.close()
    _probe = _connect()


def _chain():
    """Run the `sitecustomize` this file shadows, if the environment has one."""
    import importlib.machinery
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    path = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules["sitecustomize"] = module
    spec.loader.exec_module(module)


if __name__ == "sitecustomize":  # imported by asyncdoc itself (tests), it does nothing
    _start()
    _chain()
