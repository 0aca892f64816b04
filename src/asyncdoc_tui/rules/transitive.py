"""AD201: an `async def` calls project code that blocks, at any depth, across modules.

A sync project function blocks when it calls a catalog blocking call (AD101-AD109) or a
sync project function that blocks. Propagation runs breadth-first from the blocking
calls backwards over the call graph, so every blocking function keeps one shortest
witness chain, and recursion ends because each function is settled once. Callables
handed to `asyncio.to_thread`, `run_in_executor`, … are not calls in the facts, so
offloaded chains never appear. Calls to `async def` functions are not followed: those
are analysed on their own. A hop whose line carries `# noqa` / `# asyncdoc: ignore`
(bare or naming AD201) is not followed, so a helper known to be fast can be vouched for.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from asyncdoc_tui.model import Evidence, Finding, Severity, incomplete_extra
from asyncdoc_tui.rules.blocking import blocking_entry
from asyncdoc_tui.rules.catalog import CatalogEntry
from asyncdoc_tui.rules.entrypoints import EntryPoint, entry_for
from asyncdoc_tui.rules.findings import call_finding
from asyncdoc_tui.rules.loop_code import loop_functions
from asyncdoc_tui.scan.callgraph import CallEdge, Unresolved, call_graph
from asyncdoc_tui.scan.edge_kinds import CALL, doing, does
from asyncdoc_tui.scan.facts_model import CallFact, FileFacts
from asyncdoc_tui.scan.project import Project
from asyncdoc_tui.scan.resolve import EXTERNAL, ProjectIndex

CODE = "AD201"
RAISE = "raise"  # CallFact.sink of a call that builds the exception being raised


@dataclass(frozen=True, slots=True)
class Sink:
    """A blocking catalog call written in a sync project function."""

    function: str  # dotted name of the function containing the call
    path: str
    call: CallFact
    entry: CatalogEntry
    name: str  # the callable as resolved (`time.sleep`), else as written


@dataclass(frozen=True, slots=True)
class Witness:
    """Why a sync function blocks: its first hop on a shortest chain to a sink."""

    length: int  # calls from this function to the sink, inclusive
    sink: Sink
    via: CallEdge | None  # the call to the next blocking function; None at the sink


_CACHE: WeakKeyDictionary[ProjectIndex, dict[str, Witness]] = WeakKeyDictionary()

# How long a sink can hold the loop, strongest first: a round-trip to another machine, a
# child process or a sleep, a wait on a thread, a disk write, then metadata lookups that
# the page cache usually answers. A helper is reported by its strongest sink.
_CATEGORY_STRENGTH = {"http": 0, "network": 0, "database": 0, "subprocess": 1, "sleep": 1, "input": 1, "sync-primitive": 2, "configured": 2, "filesystem": 3}
_METADATA = frozenset(
    {
        "os.path.exists", "os.path.isfile", "os.path.isdir", "os.path.islink", "os.path.getsize", "os.path.getmtime",
        "os.path.getatime", "os.path.getctime", "os.path.realpath", "os.path.expanduser", "os.path.samefile",
        "os.path.abspath", "os.stat", "os.lstat", "os.access", "os.path.lexists", "pathlib.Path.exists",
        "pathlib.Path.is_file", "pathlib.Path.is_dir", "pathlib.Path.stat", "pathlib.Path.resolve",
    }
)


def strength(project: Project, sink: Sink) -> int:
    """Rank of a sink, 0 for the strongest (see `_CATEGORY_STRENGTH`)."""
    if sink.name in _METADATA:
        return 4
    return _CATEGORY_STRENGTH.get(project.catalog.rules[sink.entry.code].category, 2)


def _vouched(facts: FileFacts | None, line: int) -> bool:
    if facts is None:
        return False
    return any(at == line and ("*" in codes or CODE in codes) for at, codes in facts.suppressions)


def _file_sinks(project: Project, facts: FileFacts) -> tuple[Sink, ...]:
    """Blocking calls in the file's sync functions (cached per file content)."""
    index = project.index
    key = ("sinks", facts.path, facts.digest)
    cached = index.derived.get(key)
    if isinstance(cached, tuple):
        return cached
    sinks: list[Sink] = []
    for call in facts.calls:
        if call.function is None or call.in_async or _vouched(facts, call.line):
            continue
        entry = blocking_entry(project, call)
        if entry is not None:
            resolved = index.resolve(call.callee)
            name = resolved.name if resolved.kind == EXTERNAL else call.text
            sinks.append(Sink(facts.qualified(call.function), facts.path, call, entry, name))
    found = tuple(sinks)
    index.derived[key] = found
    return found


def blocking_functions(project: Project) -> dict[str, Witness]:
    """Every sync project function that blocks, with its shortest witness (cached)."""
    index = project.index
    found = _CACHE.get(index)
    if found is not None:
        return found
    graph = call_graph(index)
    witnesses: dict[str, Witness] = {}
    by_strength: dict[int, list[Sink]] = {}
    for facts in index.files:
        for sink in _file_sinks(project, facts):
            if index.is_sync(sink.function):
                by_strength.setdefault(strength(project, sink), []).append(sink)
    # One breadth-first wave per strength, strongest first: every function keeps the
    # strongest sink it reaches, by a shortest chain among those.
    for level in sorted(by_strength):
        queue: deque[str] = deque()
        for sink in by_strength[level]:
            if sink.function not in witnesses:
                witnesses[sink.function] = Witness(1, sink, None)
                queue.append(sink.function)
        while queue:
            function = queue.popleft()
            witness = witnesses[function]
            for edge in graph.callers.get(function, ()):
                caller = edge.caller
                if caller in witnesses or not index.is_sync(caller) or _vouched(index.by_path.get(edge.path), edge.call.line):
                    continue
                witnesses[caller] = Witness(witness.length + 1, witness.sink, edge)
                queue.append(caller)
    _CACHE[index] = witnesses
    return witnesses


def chain(witnesses: dict[str, Witness], function: str) -> list[CallEdge]:
    """The calls from `function` down to the function holding the sink."""
    edges: list[CallEdge] = []
    witness = witnesses[function]
    while witness.via is not None:
        edges.append(witness.via)
        witness = witnesses[witness.via.callee]
    return edges


def _short(project: Project, function: str) -> str:
    """`Service.load` for `app.services.Service.load`."""
    return project.index.functions[function][1].qualname


_FINDINGS = ("findings", "AD201", "")  # key in `ProjectIndex.derived`: last run's findings


def check(project: Project) -> Iterator[Finding]:
    """One finding per call in an `async def` to a sync project function that blocks.

    Findings whose call site, chain and entry point are unchanged since the previous run
    on this project lineage are reused as they are (the common case after an edit)."""
    witnesses = blocking_functions(project)
    if not witnesses:
        return
    index = project.index
    graph = call_graph(index)
    previous = index.derived.get(_FINDINGS)
    reusable: dict[tuple, Finding] = previous if isinstance(previous, dict) else {}
    current: dict[tuple, Finding] = {}
    on_loop = loop_functions(project)
    for function, (facts, fn) in index.functions.items():
        if not fn.is_async and function not in on_loop:
            continue
        for edge in graph.edges.get(function, ()):
            if edge.callee in witnesses and not _vouched(facts, edge.call.line):
                hops = tuple(chain(witnesses, edge.callee))
                sink = witnesses[edge.callee].sink
                entry = entry_for(project, facts, fn.qualname)
                key = (edge, hops, sink, entry)
                finding = reusable.get(key) or make_finding(project, facts, edge, hops, sink, entry)
                current[key] = finding
                yield finding
    index.derived[_FINDINGS] = current


def _hop_note(project: Project, edge: CallEdge) -> str:
    """"`handler` calls `services.load()` (runs `load_user`)": as written, and what runs
    when the name differs (aliases, methods, `__init__`, decorator wrappers, and every
    implicit call: "`load` iterates `Pages()` (runs `Pages.__iter__`)")."""
    callee = _short(project, edge.callee)
    call = edge.call
    note = f"`{_short(project, edge.caller)}` {does(call.kind, call.text)}"
    same = call.kind == CALL and call.text.rpartition(".")[2] == callee.rpartition(".")[2]
    return note if same else f"{note} (runs `{callee}`)"


def make_finding(
    project: Project, facts: FileFacts, edge: CallEdge, hops: tuple[CallEdge, ...], sink: Sink, entry: EntryPoint | None = None
) -> Finding:
    """The AD201 finding for one call site; evidence lists every hop `path:line`."""
    call = edge.call
    info = project.catalog.rules[sink.entry.code]
    via = ", ".join(f"`{_short(project, hop.callee)}` (called at {hop.path}:{hop.call.line})" for hop in hops)
    via = f" via {via}" if via else ""
    where = f" in {entry.label}" if entry else f" in `{_short(project, edge.caller)}`"
    reached = f"`{sink.name}` ({sink.path}:{sink.call.line}){via}"
    if call.sink == RAISE:  # an error path: it blocks, but only while that error is raised
        where += " while building the exception it raises"
    if call.kind == CALL:
        message = f"`{call.text}()` blocks the event loop{where}: it calls {reached}"
    else:
        message = f"{doing(call.kind, call.text, _short(project, edge.callee))}, which calls {reached}: this blocks the event loop{where}"
    sink_call = sink.call
    sink_note = f"calls `{sink.name}()`" if sink_call.kind == CALL else f"{does(sink_call.kind, sink_call.text)} (runs `{sink.name}`)"
    evidence = [Evidence(e.path, e.call.line, _hop_note(project, e)) for e in (edge, *hops)]
    evidence.append(Evidence(sink.path, sink_call.line, f"`{_short(project, sink.function)}` {sink_note} ({sink.entry.code}, {info.category})"))
    others = _other_sinks(project, (edge.callee, *(hop.callee for hop in hops)), sink)
    evidence.extend(Evidence(o.path, o.call.line, f"also: `{_short(project, o.function)}` calls `{o.name}()` ({o.entry.code})") for o in others)
    return call_finding(
        project,
        CODE,
        facts,
        call,
        message,
        **({"severity": Severity.WARNING} if call.sink == RAISE else {}),
        alternative=sink.entry.alternative,
        evidence=tuple(evidence),
        extra=(
            ("category", info.category),
            ("sink", {"code": sink.entry.code, "call": sink.name, "path": sink.path, "line": sink.call.line}),
            ("chain", [edge.caller, edge.callee, *(hop.callee for hop in hops)]),
            *((("entry", entry.to_json()),) if entry else ()),
            # A sync function on the chain that calls into a skipped file may block sooner.
            *incomplete_extra(call_graph(project.index).skipped_behind(hop.callee for hop in (edge, *hops))),
            *((("implicit", call.kind),) if call.kind != CALL else ()),
        ),
    )


def _other_sinks(project: Project, functions: tuple[str, ...], reported: Sink) -> list[Sink]:
    """The blocking calls written in the chain's functions besides the one reported,
    strongest first: what else a fix of the helper has to deal with."""
    index = project.index
    wanted = set(functions)
    found = [
        sink
        for path in dict.fromkeys(index.functions[f][0].path for f in functions if f in index.functions)
        for sink in _file_sinks(project, index.by_path[path])
        if sink.function in wanted and sink != reported
    ]
    return sorted(found, key=lambda o: (strength(project, o), o.path, o.call.line))


def unresolved_calls(project: Project) -> list[Unresolved]:
    """Calls the index cannot follow inside async functions and the sync project
    functions they reach: where a blocking chain could hide unseen."""
    graph = call_graph(project.index)
    seen = {name for name, (_, fn) in project.index.functions.items() if fn.is_async} | graph.reached_from_async.keys()
    return [u for u in graph.unresolved if u.caller in seen]


def explain_unresolved(project: Project) -> str:
    """Text for `asyncdoc check --explain-unresolved`: counts by reason, then each call."""
    calls = sorted(unresolved_calls(project), key=lambda u: (u.path, u.call.line, u.call.col))
    lines = [f"{len(calls)} call(s) in async code and the helpers it reaches could not be followed (never assumed to block):"]
    counts: dict[str, int] = {}
    for item in calls:
        counts[item.reason] = counts.get(item.reason, 0) + 1
    lines += [f"  {count:>6}  {reason}" for reason, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    lines += [
        f"  {u.path}:{u.call.line}:{u.call.col}: `{u.call.text}()` in `{_short(project, u.caller)}`: {u.reason}" for u in calls
    ]
    return "\n".join(lines) + "\n"
