"""`--serve`: the user's server under the loop monitor, and the project scanned beside it.

One object for what the CLI and the screen both need: start the listener, the server
(waiting until it answers) and the scan of the project root (in a thread, while the server
starts), then report any window of time; leaving the block stops the server and the listener.
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType

from asyncdoc_tui.playground.served_app import READY_TIMEOUT_S, ServedApp
from asyncdoc_tui.playground.server_monitor import ServerMonitor
from asyncdoc_tui.playground.server_report import ServerReport
from asyncdoc_tui.playground.stall_links import StaticLinks, server_report


class ServedSession:
    """`with ServedSession(cmd, root, url) as session:` … `session.report(since, until)`."""

    def __init__(self, command: str, root: Path, url: str, ready_timeout_s: float = READY_TIMEOUT_S) -> None:
        self.root = root.resolve()
        if not self.root.is_dir():
            raise ValueError(f"project folder not found: {root}")
        self.monitor = ServerMonitor()
        self.app = ServedApp(command, str(self.root), url, self.monitor, ready_timeout_s)
        self._links: StaticLinks | None = None
        self._scan_error: BaseException | None = None
        self._scanner = threading.Thread(target=self._scan, name="asyncdoc-serve-scan", daemon=True)

    def start(self) -> None:
        self._scanner.start()
        try:
            self.app.start()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        self.app.stop()
        self.monitor.close()

    def links(self) -> StaticLinks:
        """The scan's links, once the scan is done (re-raising what it raised)."""
        self._scanner.join()
        if self._scan_error is not None:
            raise self._scan_error
        assert self._links is not None
        return self._links

    def report(self, since: float, until: float) -> ServerReport:
        return server_report(self.monitor, self.links(), since, until)

    def _scan(self) -> None:
        try:
            self._links = StaticLinks.of_project(self.root)
        except BaseException as exc:  # handed to the caller by `links()`
            self._scan_error = exc

    def __enter__(self) -> ServedSession:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
