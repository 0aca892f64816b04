"""The project functions an implicit call runs (see edge_kinds).

The callee names the method Python calls (`app.pages.Pages().__iter__`); it is resolved
like any method. Two cases need more: a generator function's body runs when its result
is iterated or entered as a `@contextmanager` (the whole body is counted on entry), and
iterating an object whose `__iter__` returns an iterator also runs that iterator's
`__next__`. Nothing is guessed: an unresolved receiver gives no target and no
"unresolved" entry (there is no call expression to point at).
"""

from __future__ import annotations

from collections.abc import Callable

from asyncdoc_tui.scan.edge_kinds import ENTER, ITER
from asyncdoc_tui.scan.facts_model import CallFact
from asyncdoc_tui.scan.resolve import FUNCTION, INSTANCE, ProjectIndex


def is_generator(index: ProjectIndex, function: str) -> bool:
    found = index.functions.get(function)
    return found is not None and found[1].is_generator


def implicit_targets(index: ProjectIndex, call: CallFact, wrappers: Callable[[str], tuple[str, ...] | None]) -> tuple[str, ...]:
    """Project functions run by an implicit call (`wrappers` as `_Targets.wrappers`)."""
    receiver = call.callee.rpartition(".")[0]
    if call.kind in (ITER, ENTER) and receiver.endswith("()"):
        made_by = index.resolve(receiver[:-2])
        if made_by.kind == FUNCTION and is_generator(index, made_by.name):
            return (made_by.name,)
    resolved = index.resolve(call.callee)
    if resolved.kind != FUNCTION:
        return ()
    found = wrappers(resolved.name)
    if found is None:
        return ()
    targets = (resolved.name, *found)
    if call.kind == ITER and not is_generator(index, resolved.name):
        iterator = index.returns_of(resolved.name)
        step = index.class_attribute(iterator.name, "__next__") if iterator.kind == INSTANCE else None
        if step is not None and step[0] == "method":
            targets += (step[1],)
    return targets
