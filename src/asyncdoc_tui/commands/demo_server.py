"""`asyncdoc demo-server [--port N]`: the playground's demo HTTP server in the foreground."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from asyncdoc_tui.playground.demo_server import DEFAULT_PORT

    p = sub.add_parser(
        "demo-server",
        help="run the playground's demo HTTP server on 127.0.0.1",
        description="Serve /delay/{s}, /status/{code}, /jitter, /bytes/{n}, /drip, /json and "
        "/flaky on 127.0.0.1 until interrupted. Exit codes: 0 stopped, 2 cannot listen.",
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 = any free)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from asyncdoc_tui.playground import demo_server

    for path, what in demo_server.ENDPOINTS:
        print(f"  {path:<26} {what}")
    return demo_server.main(["--port", str(args.port)])
