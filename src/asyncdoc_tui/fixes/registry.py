"""Which fixes apply to a finding, decided cheaply from FileFacts (no libcst here).

Each FixSpec names the module that computes it (imported only when a fix is computed)
and an `offer` test returning None (not applicable) or whether the fix is safe for this
finding. `fixes_for` keeps the order of FIX_SPECS: the first safe fix is the one
`asyncdoc fix --apply` uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from asyncdoc_tui.fixes.pattern_offers import offer_gather, offer_running_loop, offer_shared_client
from asyncdoc_tui.model import Finding, FixRef
from asyncdoc_tui.rules.async_library import ASYNCIO, SLEEP, TO_THREAD, library_of
from asyncdoc_tui.rules.file_blocks import PASS_NAME as FILE_BLOCKS
from asyncdoc_tui.scan.edge_kinds import CALL
from asyncdoc_tui.scan.facts_model import CallFact, FileFacts, FunctionFact
from asyncdoc_tui.scan.project import Project
from asyncdoc_tui.scan.resolve import FUNCTION, ProjectIndex

# Blocking-call findings whose call can move to a worker thread unchanged: the callee
# keeps no per-thread state. Database/network clients, thread primitives, configured
# calls and project helpers (AD201) may be bound to the loop's thread: review first.
THREAD_SAFE_CODES = frozenset({"AD101", "AD102", "AD103", "AD104", "AD105"})
REQUESTS_FUNCTIONS = frozenset(
    f"requests.{api}{verb}"
    for api in ("", "api.")
    for verb in ("get", "post", "put", "patch", "delete", "head", "options", "request")
)


@dataclass(frozen=True, slots=True)
class FixSpec:
    id: str
    title: str
    module: str  # asyncdoc_tui.fixes.<module> exposes `rewrite(ctx) -> (new_text, notes)`
    offer: Callable[[Project, Finding, CallFact | None], bool | None]
    target: Callable[[Finding], str] | None = None  # the file it edits, when not the finding's
    allows: frozenset[str] = frozenset()  # codes the fix may add by design (checked on apply)
    asyncio_only: bool = False  # writes asyncio's loop API: never offered in trio or anyio code

    def path_for(self, finding: Finding) -> str:
        return self.target(finding) if self.target else finding.path

    def offered(self, project: Project, finding: Finding, call: CallFact | None) -> bool | None:
        """Whether the fix applies (True: safe, False: needs review, None: not offered)."""
        facts = project.index.by_path.get(finding.path)
        if self.asyncio_only and facts is not None and library_of(facts) != ASYNCIO:
            return None
        return self.offer(project, finding, call)

    def title_in(self, project: Project, finding: Finding) -> str:
        """The title in the words of the finding's async library (`trio.sleep`)."""
        facts = project.index.by_path.get(finding.path)
        library = library_of(facts) if facts is not None else ASYNCIO
        return self.title.format(sleep=SLEEP[library], to_thread=TO_THREAD[library])


def call_at(facts: FileFacts | None, finding: Finding) -> CallFact | None:
    """The call a finding points at (same start and kind of call; the same end when
    several start there)."""
    if facts is None:
        return None
    kind = finding.extras.get("implicit", CALL)
    starting = [c for c in facts.calls if c.line == finding.line and c.col == finding.col and c.kind == kind]
    for call in starting:
        if (call.end_line, call.end_col) == (finding.end_line, finding.end_col):
            return call
    return starting[0] if starting else None


def function_of(facts: FileFacts, call: CallFact) -> FunctionFact | None:
    return next((fn for fn in facts.functions if fn.qualname == call.function), None)


def _is_blocking_call(finding: Finding, call: CallFact | None) -> bool:
    return call is not None and call.kind == CALL and call.in_async and not call.awaited and finding.code[:3] in ("AD1", "AD2")


def _resolved(project: Project, call: CallFact) -> str:
    return project.index.resolve(call.callee).name


def _offer_sleep(project: Project, finding: Finding, call: CallFact | None) -> bool | None:
    if finding.code == "AD101" and _is_blocking_call(finding, call) and _resolved(project, call) == "time.sleep":
        return True
    return None


def _offer_file_block(project: Project, finding: Finding, call: CallFact | None) -> bool | None:
    """`with open(p) as fh:` reading or writing the whole file in one statement (see
    rules/file_blocks.py): the one safe fix that moves all of the block's I/O."""
    if finding.code != "AD104" or call is None or not _is_blocking_call(finding, call):
        return None
    blocks = project.index.by_path[finding.path].extra.get(FILE_BLOCKS, ())
    return True if any((line, col) == (call.line, call.col) for line, col, _ in blocks) else None


def _offer_thread(project: Project, finding: Finding, call: CallFact | None) -> bool | None:
    return finding.code in THREAD_SAFE_CODES if _is_blocking_call(finding, call) else None


def _offer_httpx(project: Project, finding: Finding, call: CallFact | None) -> bool | None:
    if finding.code == "AD102" and _is_blocking_call(finding, call) and _resolved(project, call) in REQUESTS_FUNCTIONS:
        return False
    return None


def _offer_sync_def(project: Project, finding: Finding, call: CallFact | None) -> bool | None:
    """An async route/dependency with no await of its own, which nothing in the project calls."""
    if not _is_blocking_call(finding, call):
        return None
    from asyncdoc_tui.rules.entrypoints import entry_for

    facts = project.index.by_path[finding.path]
    fn = function_of(facts, call)
    if fn is None or not fn.is_async or fn.awaits or "<locals>" in fn.qualname:
        return None
    entry = entry_for(project, facts, fn.qualname)
    if entry is None or not entry.runs_in_threadpool_when_sync:
        return None
    return True if not project_calls(project, facts.qualified(fn.qualname)) else None


_CALLED: WeakKeyDictionary[ProjectIndex, frozenset[str]] = WeakKeyDictionary()


def project_calls(project: Project, function: str) -> bool:
    """Whether any call in the project resolves to `function` (a coroutine someone uses).

    The set of called project functions is built once per project index."""
    index = project.index
    called = _CALLED.get(index)
    if called is None:
        names = set()
        for facts in index.files:
            for call in facts.calls:
                resolved = index.resolve(call.callee)
                if resolved.kind == FUNCTION:
                    names.add(resolved.name)
        called = _CALLED[index] = frozenset(names)
    return function in called


# Remedy named by the cycle advice (rules/cycles.py extras) -> fix id.
CYCLE_FIXES = {
    "type-checking": "type-checking-import",
    "string-reference": "string-annotations",
    "move-into-function": "local-import",
}


def cycle_advice(finding: Finding) -> dict[str, Any] | None:
    """The one module-level import statement to change for a cycle finding, when the
    cut is a single statement with a remedy we can write (else None)."""
    if finding.code not in ("AD301", "AD302"):  # AD303 is already the deferred-import remedy
        return None
    if any(isinstance(c, dict) and c.get("fixes") is False for c in finding.extras.get("cut", ())):
        return None  # the import-order replay still fails after this cut: not the fix
    advice = [a for a in finding.extras.get("advice", ()) if isinstance(a, dict) and a.get("remedy") in CYCLE_FIXES]
    if len(advice) != 1 or advice[0].get("scope") != "module" or advice[0].get("guard"):
        return None
    return advice[0]


def _cycle_offer(fix_id: str) -> Callable[[Project, Finding, CallFact | None], bool | None]:
    """Cycle fixes change when and how names are bound at run time: always review."""

    def offer(project: Project, finding: Finding, call: CallFact | None) -> bool | None:
        advice = cycle_advice(finding)
        if advice is None or CYCLE_FIXES[advice["remedy"]] != fix_id or advice["path"] not in project.index.by_path:
            return None
        return False

    return offer


# The cycle is reported again as deferred (AD303) or type-only (AD304): the intended outcome.
DEFERRED_CYCLE = frozenset({"AD303", "AD304"})


def _cycle_path(finding: Finding) -> str:
    advice = cycle_advice(finding)
    return str(advice["path"]) if advice else finding.path


def _cycle_spec(fix_id: str, title: str) -> FixSpec:
    """A cycle fix: edits the file of the import to change, may leave an AD303/AD304."""
    return FixSpec(fix_id, title, "cycle_imports", _cycle_offer(fix_id), _cycle_path, DEFERRED_CYCLE)


FIX_SPECS: tuple[FixSpec, ...] = (
    FixSpec("asyncio-sleep", "Replace with `await {sleep}(...)`", "sleep", _offer_sleep),
    FixSpec(
        "requests-to-httpx",
        "Use `httpx.AsyncClient` (`await client.<verb>(...)`)",
        "httpx_client",
        _offer_httpx,
        allows=frozenset({"AD401"}),  # the client per call it writes; AD401's own fix shares it
    ),
    FixSpec("async-to-def", "Make the endpoint a plain `def` (FastAPI runs it in its thread pool)", "sync_def", _offer_sync_def),
    FixSpec(
        "whole-file",
        "Move the whole `with open()` block to a thread: `await {to_thread}(pathlib.Path(p).read_text)` (or `write_text`)",
        "file_block",
        _offer_file_block,
    ),
    FixSpec("to-thread", "Run it in a thread: `await {to_thread}(f, ...)`", "thread", _offer_thread),
    FixSpec(
        "run-in-executor",
        "Run it in the default executor: `await loop.run_in_executor(None, functools.partial(f, ...))`",
        "thread",
        _offer_thread,
        asyncio_only=True,
    ),
    _cycle_spec("type-checking-import", "Move the import under `if TYPE_CHECKING:` (with `from __future__ import annotations`)"),
    _cycle_spec("string-annotations", "Write the model references as strings, then move the import under `if TYPE_CHECKING:`"),
    _cycle_spec("local-import", "Move the import into the function(s) that use it"),
    FixSpec("running-loop", "Use `asyncio.get_running_loop()`", "running_loop", offer_running_loop, asyncio_only=True),
    FixSpec(
        "gather", "Run them concurrently: `a, b = await asyncio.gather(f(), g())`", "gather", offer_gather, asyncio_only=True
    ),
    FixSpec(
        "gather-return-exceptions",
        "`asyncio.gather(..., return_exceptions=True)`: one failure does not cancel the rest",
        "gather",
        offer_gather,
        asyncio_only=True,
    ),
    FixSpec(
        "task-group",
        "`async with asyncio.TaskGroup()` (Python 3.11+): cancel the rest on failure",
        "gather",
        offer_gather,
        asyncio_only=True,
    ),
    FixSpec("shared-client", "One client from the lifespan, taken from `request.app.state`", "shared_client", offer_shared_client),
)
SPECS_BY_ID = {spec.id: spec for spec in FIX_SPECS}


def fixes_for(project: Project, finding: Finding) -> tuple[FixRef, ...]:
    """The fixes that can be computed for a finding, best first."""
    call = call_at(project.index.by_path.get(finding.path), finding)
    refs: list[FixRef] = []
    for spec in FIX_SPECS:
        safe = spec.offered(project, finding, call)
        if safe is not None:
            refs.append(FixRef(spec.id, spec.title_in(project, finding), safe))
    return tuple(refs)
