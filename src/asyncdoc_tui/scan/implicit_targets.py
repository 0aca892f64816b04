"""The project functions an implicit call runs (see edge_kinds).

The callee names the method Python calls (`app.pages.Pages().__iter__`): the method of
the receiver's project class, found on its MRO. Two cases need more: a generator
function's body runs when its result is iterated or entered as a `@contextmanager` (the
whole body is counted on entry), and iterating an object whose `__iter__` returns an
iterator also runs that iterator's `__next__`. Nothing is guessed: an unresolved receiver gives no target and no
"unresolved" entry (there is no call expression to point at). Only callees whose method
a project class defines, or whose receiver calls a project generator function, are
resolved at all (most `for` loops run over library objects).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from asyncdoc_tui.scan.edge_kinds import ENTER, ITER
from asyncdoc_tui.scan.facts_model import CallFact
from asyncdoc_tui.scan.resolve import FUNCTION, INSTANCE, ProjectIndex

_KEY = ("implicit-names", "", "")  # in `ProjectIndex.derived`: methods and generators are part of the interface


class ProjectNames(NamedTuple):
    """Names that tell, without resolving anything, whether an implicit call can reach
    project code at all."""

    methods: frozenset[str]  # method names of project classes
    generators: frozenset[str]  # names of project generator functions
    decorators: frozenset[str]  # last component of every decorator (`field_validator`)


def project_names(index: ProjectIndex) -> ProjectNames:
    """The project's `ProjectNames`, once per index lineage."""
    found = index.derived.get(_KEY)
    if isinstance(found, ProjectNames):
        return found
    functions = [fn for _, fn in index.functions.values()]
    found = index.derived[_KEY] = ProjectNames(
        frozenset(method for _, cls in index.classes.values() for method in cls.methods),
        frozenset(fn.name for fn in functions if fn.is_generator),
        frozenset(d.expr.rpartition(".")[2] for fn in functions for d in fn.decorators),
    )
    return found


def is_generator(index: ProjectIndex, function: str) -> bool:
    """A project function with `yield`: calling it runs none of its body."""
    found = index.functions.get(function)
    return found is not None and found[1].is_generator


def method_of(index: ProjectIndex, receiver: str, method: str) -> str | None:
    """The project function `receiver.method` runs when the receiver is an instance of a
    project class that defines (or inherits) it. The receiver is resolved on its own, so
    the several dunders run on one object share that resolution."""
    owner = index.resolve(receiver)
    if owner.kind != INSTANCE:
        return None
    found = index.class_attribute(owner.name, method)
    return found[1] if found is not None and found[0] == "method" else None


def implicit_targets(index: ProjectIndex, call: CallFact, wrappers: Callable[[str], tuple[str, ...] | None]) -> tuple[str, ...]:
    """Project functions run by an implicit call (`wrappers` as `_Targets.wrappers`)."""
    receiver, _, method = call.callee.rpartition(".")
    names = project_names(index)
    if call.kind in (ITER, ENTER) and receiver.endswith("()") and receiver[:-2].rpartition(".")[2] in names.generators:
        made_by = index.resolve(receiver[:-2])
        if made_by.kind == FUNCTION and is_generator(index, made_by.name):
            return (made_by.name,)
    function = method_of(index, receiver, method) if method in names.methods else None
    if function is None:
        return ()
    found = wrappers(function)
    if found is None:
        return ()
    targets = (function, *found)
    if call.kind == ITER and not is_generator(index, function):
        iterator = index.returns_of(function)
        step = index.class_attribute(iterator.name, "__next__") if iterator.kind == INSTANCE else None
        if step is not None and step[0] == "method":
            targets += (step[1],)
    return targets
