"""`asyncdoc playground`: run async patterns against URLs (the screen, or `--headless`).

Headless prints one row per run (or JSON with `--json`). With no `--url`, the built-in demo
server is started in its own process and `/delay/0.2` is used. With `--serve CMD`, your own
server command is started in the project folder under a loop monitor, and the server's loop
lag and stalls (each pinned to a project line and joined to the static finding there) are
reported too. Exit codes: 0 every run finished without a failed request, 1 some request
failed or a run raised / hit its deadline / was cancelled, 2 bad arguments or the server
could not start.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from contextlib import ExitStack
from pathlib import Path

EXIT_OK, EXIT_RUN_ERRORS, EXIT_USAGE = 0, 1, 2
DEFAULT_PATH = "/delay/0.2"
STACK_SHOWN = 8


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from asyncdoc_tui.playground.patterns import PATTERNS
    from asyncdoc_tui.playground.records import DEFAULT_WORKERS

    p = sub.add_parser(
        "playground",
        help="run gather/TaskGroup/semaphore/executor/blocking patterns against URLs",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--headless", action="store_true", help="print results instead of opening the screen")
    p.add_argument("--url", action="append", default=[], metavar="URL", help="URL to fetch (repeatable)")
    p.add_argument("--repeat", type=int, default=20, metavar="N", help="requests = N × number of URLs (20)")
    p.add_argument("--pattern", default="all", choices=[*PATTERNS, "all"], metavar="NAME|all",
                   help=f"one of {', '.join(PATTERNS)}, or all (default)")
    p.add_argument("--concurrency", type=int, default=5, metavar="N", help="semaphore limit (5)")
    p.add_argument("--workers", type=int, default=DEFAULT_WORKERS, metavar="N",
                   help=f"thread pool size for to-thread/executor ({DEFAULT_WORKERS})")
    p.add_argument("--timeout", type=float, default=10.0, metavar="S", help="per-request timeout (10)")
    p.add_argument("--deadline", type=float, default=120.0, metavar="S", help="overall deadline per run (120)")
    p.add_argument("--json", action="store_true", help="print JSON: {\"runs\": [...]} (and \"server\" with --serve)")
    p.add_argument("--serve", metavar="CMD",
                   help="start your server with this shell command (in --project) under the loop monitor; "
                        "--url names an endpoint on it")
    p.add_argument("--project", default=".", metavar="DIR", help="project root for --serve: cwd and scan (.)")
    p.add_argument("--ready-timeout", type=float, default=30.0, metavar="S",
                   help="how long --serve waits for the URL's port to answer (30)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.serve and not args.url:
        print("asyncdoc playground: --serve needs --url, an endpoint on the server it starts", file=sys.stderr)
        return EXIT_USAGE
    if not args.headless:
        from asyncdoc_tui.tui.screens.playground import PlaygroundApp

        PlaygroundApp(args.url or None, args.serve or "", Path(args.project)).run()
        return EXIT_OK
    from asyncdoc_tui.playground.export import runs_to_json
    from asyncdoc_tui.playground.patterns import PATTERNS
    from asyncdoc_tui.playground.records import RunConfig
    from asyncdoc_tui.playground.runner import RunHandle
    from asyncdoc_tui.playground.served_app import ServedAppError
    from asyncdoc_tui.playground.served_session import ServedSession
    from asyncdoc_tui.playground.server_process import DemoServerError, DemoServerProcess
    from asyncdoc_tui.playground.server_report import UNOBSERVED

    with ExitStack() as stack:
        urls = list(args.url)
        served = None
        if args.serve:
            try:
                served = stack.enter_context(ServedSession(args.serve, Path(args.project), urls[0], args.ready_timeout))
            except (ServedAppError, ValueError) as exc:
                print(f"asyncdoc playground: {exc}", file=sys.stderr)
                return EXIT_USAGE
            print(f"asyncdoc playground: `{args.serve}` running (pid {served.app.pid}), answering on "
                  f"{urls[0]}", file=sys.stderr, flush=True)
        elif not urls:
            try:
                urls = [stack.enter_context(DemoServerProcess()) + DEFAULT_PATH]
            except DemoServerError as exc:
                print(f"asyncdoc playground: {exc}", file=sys.stderr)
                return EXIT_USAGE
        patterns = list(PATTERNS) if args.pattern == "all" else [args.pattern]
        config = RunConfig(
            urls=tuple(urls),
            requests=args.repeat * len(urls),
            concurrency=args.concurrency,
            workers=args.workers,
            timeout_s=args.timeout,
            deadline_s=args.deadline,
        )
        since = time.perf_counter()
        try:
            handle = RunHandle(config, patterns).start()
        except ValueError as exc:
            print(f"asyncdoc playground: {exc}", file=sys.stderr)
            return EXIT_USAGE
        try:
            results = handle.wait()
        except KeyboardInterrupt:
            handle.cancel()
            results = handle.wait()
        server = served.report(since, time.perf_counter()) if served is not None else None
    output = runs_to_json(results)
    if server is not None:
        output["server"] = server.to_json()
        if not server.observed:
            print(f"asyncdoc playground: {UNOBSERVED}", file=sys.stderr)
    if args.json:
        print(json.dumps(output, indent=1))
    else:
        print(format_table(results))
        if server is not None:
            print(format_server(server))
    failed = handle.cancelled or any(r.errors or r.outcome != "ok" for r in results)
    return EXIT_RUN_ERRORS if failed else EXIT_OK


def format_table(results: list) -> str:  # list[RunResult]; the import stays lazy
    """A plain-text table, one row per run, then what each non-ok run raised and where it blocked."""
    from asyncdoc_tui.playground.lag import STALL_S
    from asyncdoc_tui.playground.stats import run_stats

    def s(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    header = ("pattern", "wall s", "speed-up", "p50 s", "p90 s", "p99 s", "p99 q+s", "ok", "err",
              "cancelled", "left running", "max lag s", "stalled s")
    rows = [header]
    for r in results:
        st = run_stats(r)
        rows.append((
            r.pattern, s(r.wall_s), "-" if r.speedup is None else f"{r.speedup:.1f}×",
            s(st.p50_s), s(st.p90_s), s(st.p99_s), s(st.p99_total_s), str(r.ok), str(r.errors),
            str(r.cancelled), str(r.left_running), s(r.lag.max_s), s(r.lag.stalled_s),
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             for row in rows]
    if results:
        c = results[0].config
        lines.insert(0, f"{c.requests} requests over {len(c.urls)} URL(s): {', '.join(c.urls)}  "
                        f"(concurrency {c.concurrency}, worker threads {c.workers}, timeout {c.timeout_s:g} s)")
    for r in results:
        if r.outcome != "ok":
            lines.append(f"{r.pattern}: {r.outcome}")
        for kind, n in r.errors_by_kind.items():
            example = next(q.error for q in r.requests if q.error_kind == kind)
            lines.append(f"{r.pattern}: {n}× {kind} — {example}")
        if r.blocked_at and r.blocked_at[0].seconds >= STALL_S:
            site = r.blocked_at[0]
            lines.append(f"{r.pattern}: loop blocked {site.seconds:.2f} s in {site.where} → {site.call} → {site.leaf}")
    return "\n".join(lines)


def format_server(report) -> str:  # ServerReport; the import stays lazy
    """The server's loop: lag, then each stall with its verdict and the inner end of its
    stack (innermost last, as in a traceback)."""
    from asyncdoc_tui.playground.server_report import UNOBSERVED

    if not report.observed:
        return f"server loop: not observed: {UNOBSERVED}"
    lines = [f"server loop: max lag {report.max_lag_s:.3f} s, p99 {report.lag_p99_s:.3f} s, "
             f"{len(report.stalls)} stall(s)"]
    for stall in report.stalls:
        state = " (still going on)" if stall.ongoing else ""
        lines.append(f"  stalled {stall.duration_s:.2f} s{state} at {stall.where} — {stall.verdict}")
        shown = stall.stack[:STACK_SHOWN]
        if len(stall.stack) > len(shown):
            lines.append(f"      … {len(stall.stack) - len(shown)} outer frames (all of them in --json)")
        lines.extend(f"      {frame}" for frame in reversed(shown))
    return "\n".join(lines)
