"""How the names an import statement binds are used in the importing module.

This decides the remedy: names used only in annotations can move under
`if TYPE_CHECKING:`; annotations in class bodies of Pydantic / SQLAlchemy models are
evaluated at run time, so they need string references or `model_rebuild()` as well;
names used only inside functions can be imported there; names used at import time
(bases, decorators, module-level calls) cannot be deferred.
"""

from __future__ import annotations

from dataclasses import dataclass

from asyncdoc_tui.scan.facts_model import FileFacts
from asyncdoc_tui.scan.project import Project
from asyncdoc_tui.scan.resolve import CLASS, EXTERNAL, FUNCTION

# Use kinds, from the easiest to defer to the hardest.
ANNOTATION = "annotation"
FUNCTION = "function"
MODEL_ANNOTATION = "model_annotation"
IMPORT_TIME = "import_time"
REEXPORT = "reexport"  # bound but never used here: another module imports it from here

PYDANTIC = "pydantic"
SQLALCHEMY = "sqlalchemy"

_MODEL_BASES = {
    "pydantic.BaseModel": PYDANTIC,
    "pydantic.main.BaseModel": PYDANTIC,
    "pydantic.RootModel": PYDANTIC,
    "pydantic_settings.BaseSettings": PYDANTIC,
    "sqlmodel.SQLModel": SQLALCHEMY,
    "sqlalchemy.orm.DeclarativeBase": SQLALCHEMY,
    "sqlalchemy.orm.DeclarativeBaseNoMeta": SQLALCHEMY,
    "sqlalchemy.orm.declarative_base()": SQLALCHEMY,
    "sqlalchemy.ext.declarative.declarative_base()": SQLALCHEMY,
    "sqlalchemy.orm.registry().generate_base()": SQLALCHEMY,
}


@dataclass(frozen=True, slots=True)
class Usage:
    """The hardest use of a statement's names, plus where they are used."""

    kind: str
    functions: tuple[str, ...] = ()  # qualnames of functions using the names at run time
    models: tuple[tuple[str, str], ...] = ()  # (class qualname, PYDANTIC | SQLALCHEMY)
    in_annotations: bool = False  # also used in annotations

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "functions": list(self.functions),
            "models": [{"class": c, "kind": k} for c, k in self.models],
            "in_annotations": self.in_annotations,
        }


def _external_name(project: Project, expr: str) -> str | None:
    """`pydantic.BaseModel`, or `sqlalchemy.orm.declarative_base()` for `Base = declarative_base()`."""
    index = project.index
    resolved = index.resolve(expr)
    if resolved.kind == EXTERNAL:
        return resolved.name
    module, _, name = expr.rpartition(".")
    bound = index.bindings.get(module, {}).get(name)
    if bound and bound.endswith("()"):
        callee = index.resolve(bound[:-2])
        if callee.kind == EXTERNAL:
            return callee.name + "()"
    return None


def model_kind(project: Project, class_name: str) -> str | None:
    """PYDANTIC or SQLALCHEMY when a project class is (a subclass of) such a model."""
    index = project.index
    for name in index.mro(class_name) or [class_name]:
        entry = index.classes.get(name)
        if entry is None:
            continue
        for base in entry[1].bases:
            external = _external_name(project, base)
            if external in _MODEL_BASES:
                return _MODEL_BASES[external]
    return None


# Methods that run when a class is instantiated or called.
_CONSTRUCTION = ("__new__", "__init__", "__post_init__", "__call__")


def import_time_functions(project: Project, facts: FileFacts) -> frozenset[str]:
    """Functions of `facts` (qualnames) that run while the module is being imported:
    called at module level or in a class body (`site = AdminSite()` runs
    `AdminSite.__init__`), used as decorators, and what those call in turn. An import
    moved into one of them still runs at import time, so it is no remedy."""
    key = ("import_time", facts.path, facts.digest)
    found = project.index.derived.get(key)
    if isinstance(found, frozenset):
        return found
    index = project.index
    prefix = f"{facts.module}." if facts.module else ""
    own = {f.qualname for f in facts.functions}

    def targets(expr: str) -> set[str]:
        resolved = index.resolve(expr)
        names: list[str] = []
        if resolved.kind == FUNCTION:
            names.append(resolved.name)
        elif resolved.kind == CLASS:
            names.extend(m[1] for m in (index.class_attribute(resolved.name, n) for n in _CONSTRUCTION) if m and m[0] == "method")
        return {n.removeprefix(prefix) for n in names if n.startswith(prefix) and n.removeprefix(prefix) in own}

    running: set[str] = set()
    for call in facts.calls:
        if call.function is None:
            running |= targets(call.callee)
    for fn in facts.functions:
        for decorator in fn.decorators:
            running |= targets(decorator.expr)
    for cls in facts.classes:
        for decorator in cls.decorators:
            running |= targets(decorator.expr)
    todo = list(running)
    while todo:
        current = todo.pop()
        for call in facts.calls:
            if call.function == current:
                new = targets(call.callee) - running
                running |= new
                todo.extend(new)
    found = frozenset(running)
    project.index.derived[key] = found
    return found


def usage_of(project: Project, facts: FileFacts, local_names: tuple[str, ...]) -> Usage:
    """How `local_names` (bound at module level in `facts`) are used in that module."""
    kinds: set[str] = set()
    for use in facts.name_uses:
        if use.name in local_names:
            kinds.update(use.kinds)
    functions = sorted({k.split(":", 1)[1] for k in kinds if k.startswith("function:")})
    in_annotations = any(k == "annotation" or k.startswith("class_annotation:") for k in kinds)
    if "module" in kinds or set(functions) & import_time_functions(project, facts):
        return Usage(IMPORT_TIME, tuple(functions), (), in_annotations)
    models = sorted(
        {
            (cls, kind)
            for k in kinds
            if k.startswith("class_annotation:")
            for cls in [k.split(":", 1)[1]]
            for kind in [model_kind(project, facts.qualified(cls))]
            if kind is not None
        }
    )
    if models:
        return Usage(MODEL_ANNOTATION, tuple(functions), tuple(models), True)
    if functions:
        return Usage(FUNCTION, tuple(functions), (), in_annotations)
    if in_annotations:
        return Usage(ANNOTATION, (), (), True)
    return Usage(REEXPORT)
