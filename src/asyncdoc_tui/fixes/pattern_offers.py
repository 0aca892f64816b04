"""When the AD401-AD403 fixes apply; cheap tests on the finding (no libcst here).

AD404 has no automatic fix: making the caller async changes every call site.
"""

from __future__ import annotations

from asyncdoc_tui.model import Finding
from asyncdoc_tui.rules.entrypoints import DEPENDENCY, MIDDLEWARE, ROUTE
from asyncdoc_tui.scan.facts_model import CallFact
from asyncdoc_tui.scan.project import Project

# Entry points whose handler receives the HTTP request (and so `request.app.state`).
HTTP_KINDS = frozenset({ROUTE, DEPENDENCY, MIDDLEWARE})


def offer_running_loop(project: Project, finding: Finding, call: CallFact | None) -> bool | None:
    """`get_running_loop()` returns the very loop the coroutine runs on: safe."""
    return True if finding.code == "AD402" and call is not None and call.in_async else None


def offer_gather(project: Project, finding: Finding, call: CallFact | None) -> bool | None:
    """Running awaits concurrently changes interleaving and failure handling: review."""
    return False if finding.code == "AD403" and finding.extras.get("awaits") else None


def offer_shared_client(project: Project, finding: Finding, call: CallFact | None) -> bool | None:
    """Moving a client to the lifespan changes its lifetime and settings: review.

    Offered for an `httpx.AsyncClient` built in an entry point; when its app is in another
    file the fix answers with the pattern as advice instead of a diff."""
    extras = finding.extras
    movable = extras.get("client_type") == "httpx.AsyncClient" and extras.get("entry", {}).get("kind") in HTTP_KINDS
    return False if finding.code == "AD401" and call is not None and movable else None
