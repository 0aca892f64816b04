"""Which remedy of the guide fits each import statement of a cycle's cut.

The four remedies: `if TYPE_CHECKING:` plus `from __future__ import annotations`
(names used only in annotations); string references for SQLAlchemy models and
`model_rebuild()` for Pydantic models (their class-body annotations are evaluated at
run time, so TYPE_CHECKING alone would break them); moving the import into the
functions that use it; centralising shared models. Fixers read the structured fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from asyncdoc_tui.cycles.graph import ImportEdge
from asyncdoc_tui.cycles.usage import (
    ANNOTATION,
    FUNCTION,
    IMPORT_TIME,
    MODEL_ANNOTATION,
    PYDANTIC,
    Usage,
)
from asyncdoc_tui.scan.facts_model import GUARD_MAIN, GUARD_TYPE_CHECKING, FileFacts

TYPE_CHECKING_REMEDY = "type-checking"
STRING_REFERENCE = "string-reference"
MODEL_REBUILD = "model-rebuild"
MOVE_INTO_FUNCTION = "move-into-function"
CENTRALISE = "centralise"
ALREADY_DEFERRED = "already-deferred"


@dataclass(frozen=True, slots=True)
class Advice:
    """What to do with one import statement, with everything a fixer needs to do it."""

    edge: ImportEdge
    usage: Usage
    future_annotations: bool
    remedy: str
    reason: str  # why this remedy fits ("`User` is used only in annotations")
    action: str  # what to do, imperative

    @property
    def message(self) -> str:
        return f"{self.reason}: {self.action}"

    def to_json(self) -> dict[str, object]:
        e = self.edge
        return {
            "remedy": self.remedy,
            "message": self.message,
            "action": self.action,
            "path": e.path,
            "line": e.line,
            "col": e.col,
            "module": e.source,
            "target": e.target,
            "text": e.text,
            "binding": e.binding,
            "names": list(e.names),
            "local_names": list(e.local_names),
            "scope": e.scope,
            "guard": e.guard,
            "usage": self.usage.to_json(),
            "future_annotations": self.future_annotations,
        }


def _quoted(names: tuple[str, ...]) -> str:
    """"`A` is" / "`A`, `B` are", so messages read naturally."""
    return ", ".join(f"`{n}`" for n in names) + (" is" if len(names) == 1 else " are")


def advise(edge: ImportEdge, usage: Usage, facts: FileFacts) -> Advice:
    """The remedy for one statement, given how its names are used in the importing module."""
    future = facts.future_annotations
    statement = f"`{edge.text}` ({edge.path}:{edge.line})"
    names = _quoted(edge.local_names)

    def made(remedy: str, reason: str, action: str) -> Advice:
        return Advice(edge, usage, future, remedy, reason, action)

    if not edge.eager:
        how = {GUARD_TYPE_CHECKING: "under `if TYPE_CHECKING:`", GUARD_MAIN: 'under `if __name__ == "__main__":`'}.get(
            edge.guard, "inside a function"
        )
        return made(ALREADY_DEFERRED, f"{statement} is already {how}", "nothing breaks at import time; no change needed")
    future_step = "" if future else " and add `from __future__ import annotations` at the top"
    if usage.kind == ANNOTATION:
        return made(
            TYPE_CHECKING_REMEDY,
            f"{names} used only in annotations",
            f"move {statement} under `if TYPE_CHECKING:`{future_step}",
        )
    if usage.kind == MODEL_ANNOTATION:
        classes = ", ".join(f"`{c}`" for c, _ in usage.models)
        if any(kind == PYDANTIC for _, kind in usage.models):
            first = usage.models[0][0]
            return made(
                MODEL_REBUILD,
                f"{names} used in annotations of the Pydantic model(s) {classes}, which Pydantic evaluates at run time",
                f"move {statement} under `if TYPE_CHECKING:`{future_step}, then call `{first}.model_rebuild()` "
                f"once both modules are imported (e.g. at the end of the package `__init__`)",
            )
        return made(
            STRING_REFERENCE,
            f"{names} used in annotations of the SQLAlchemy model(s) {classes}, which SQLAlchemy resolves at run time",
            f"write them as strings (`Mapped[\"Post\"]`, `relationship(\"Post\")`), then move {statement} "
            f"under `if TYPE_CHECKING:`{future_step}",
        )
    if usage.kind == FUNCTION:
        functions = ", ".join(f"`{f}`" for f in usage.functions)
        extra = " (keep an `if TYPE_CHECKING:` import for the annotations)" if usage.in_annotations else ""
        return made(MOVE_INTO_FUNCTION, f"{names} used only inside {functions}", f"move {statement} into the function(s){extra}")
    if usage.kind == IMPORT_TIME:
        return made(
            CENTRALISE,
            f"{names} used at import time (bases, decorators or module-level code) in `{edge.source}`",
            f"move the shared definitions into one module both can import without {statement}, or merge the modules",
        )
    return made(
        CENTRALISE,
        f"{names} not used in `{edge.source}` (a re-export)",
        f"import them from `{edge.target}` where they are needed and drop {statement}, or centralise the shared definitions",
    )
