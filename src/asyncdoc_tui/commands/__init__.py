"""Headless subcommands; each module exposes `register(subparsers)` and stays a client of the core."""
