"""Kinds of call edges: what makes Python run a function at a given spot.

An explicit call expression is one kind; the others are calls Python makes for you
(`with` runs `__enter__`/`__exit__`, `for` runs `__iter__`/`__next__`). The kind is kept
on every `CallFact`, so it travels through the call graph into each finding's message
and evidence ("iterating `Pages()` runs `Pages.__iter__`").
"""

from __future__ import annotations

CALL = ""  # an explicit call expression `f(...)`
ENTER = "enter"  # `with x:` runs `x.__enter__()` (or a `@contextmanager` body)
EXIT = "exit"  # leaving `with x:` runs `x.__exit__()` (`closing(x)`: `x.close()`)
ITER = "iter"  # `for`, comprehensions, `list(x)`, unpacking … run `x.__iter__()`
NEXT = "next"  # `next(x)` runs `x.__next__()`
GET = "get"  # reading `x.attr` runs a `@property` / `cached_property` getter
SET = "set"  # `x.attr = v` runs the property's setter
DEL = "del"  # `del x.attr` runs the property's deleter
CONTAINS = "contains"  # `k in x` runs `x.__contains__(k)`
GETITEM = "getitem"  # `x[k]` runs `x.__getitem__(k)`
SETITEM = "setitem"  # `x[k] = v` runs `x.__setitem__(k, v)`
DELITEM = "delitem"  # `del x[k]` runs `x.__delitem__(k)`
LEN = "len"  # `len(x)` runs `x.__len__()`
BOOL = "bool"  # `bool(x)` runs `x.__bool__()`

# How a finding names an implicit call, from the fact's text: "entering `with FileLock(p)`".
_DOING = {
    ENTER: "entering `{text}`",
    EXIT: "leaving `{text}`",
    ITER: "iterating `{text}`",
    NEXT: "`{text}`",
    GET: "reading `{text}`",
    SET: "assigning `{text}`",
    DEL: "deleting `{text}`",
    CONTAINS: "testing `{text}`",
    GETITEM: "indexing `{text}`",
    SETITEM: "assigning `{text}`",
    DELITEM: "deleting `{text}`",
    LEN: "`{text}`",
    BOOL: "`{text}`",
}
# How a hop of a call chain says it: "`load` enters `with FileLock(p)`".
_DOES = {
    CALL: "calls `{text}()`",
    ENTER: "enters `{text}`",
    EXIT: "leaves `{text}`",
    ITER: "iterates `{text}`",
    NEXT: "calls `{text}`",
    GET: "reads `{text}`",
    SET: "assigns `{text}`",
    DEL: "deletes `{text}`",
    CONTAINS: "tests `{text}`",
    GETITEM: "indexes `{text}`",
    SETITEM: "assigns `{text}`",
    DELITEM: "deletes `{text}`",
    LEN: "calls `{text}`",
    BOOL: "calls `{text}`",
}


def doing(kind: str, text: str, runs: str) -> str:
    """"iterating `Pages()` runs `Pages.__iter__`": the implicit call and what it runs."""
    return f"{_DOING[kind].format(text=text)} runs `{runs}`"


def does(kind: str, text: str) -> str:
    """The verb phrase of one hop: "calls `load()`", "iterates `Pages()`"."""
    return _DOES[kind].format(text=text)
