"""What constructing a project class runs, beyond the `__init__` found on its MRO:
`__new__`, a dataclass's `__post_init__`, attrs' `__attrs_post_init__`, and a pydantic
model's validators, which also run on `Model.model_validate(...)` / `parse_obj(...)`
(those do not call `__init__`).

A `__post_init__` is taken as run whenever the class defines one (only dataclasses call
a method of that name). Validators are methods decorated with pydantic's
`field_validator`, `model_validator`, `validator` or `root_validator` on a class whose
project MRO reaches a pydantic base.
"""

from __future__ import annotations

from asyncdoc_tui.scan.implicit_targets import project_names
from asyncdoc_tui.scan.resolve import EXTERNAL, ProjectIndex

_CONSTRUCTION = ("__new__", "__init__", "__post_init__", "__attrs_post_init__")
PYDANTIC_BASES = frozenset(
    {"pydantic.BaseModel", "pydantic.main.BaseModel", "pydantic.RootModel", "sqlmodel.SQLModel", "pydantic_settings.BaseSettings"}
)
_VALIDATORS = frozenset({"field_validator", "model_validator", "validator", "root_validator"})
VALIDATING_CLASSMETHODS = frozenset({"model_validate", "model_validate_json", "model_validate_strings", "parse_obj", "parse_raw"})


def construction_targets(index: ProjectIndex, class_name: str) -> tuple[str, ...]:
    """Project functions `ClassName(...)` runs, in the order Python runs them."""
    names = project_names(index)
    found: list[str] = []
    for method in _CONSTRUCTION:
        if method not in names.methods:
            continue  # no project class defines it
        hit = index.class_attribute(class_name, method)
        if hit is not None and hit[0] == "method":
            found.append(hit[1])
    if _VALIDATORS.isdisjoint(names.decorators):
        return tuple(found)  # no validator anywhere in the project
    return (*found, *validators(index, class_name))


def validators(index: ProjectIndex, class_name: str) -> tuple[str, ...]:
    """The pydantic validators of a project model class (none for other classes)."""
    mro = index.mro(class_name)
    if not any(_pydantic_base(index, name) for name in mro):
        return ()
    found: list[str] = []
    for name in mro:
        _, cls = index.classes[name]
        for method in cls.methods:
            function = f"{name}.{method}"
            entry = index.functions.get(function)
            if entry is not None and any(_is_validator(index, d.expr) for d in entry[1].decorators):
                found.append(function)
    return tuple(found)


def _pydantic_base(index: ProjectIndex, class_name: str) -> bool:
    _, cls = index.classes[class_name]
    return any(index.resolve(base).name in PYDANTIC_BASES for base in cls.bases)


def _is_validator(index: ProjectIndex, decorator: str) -> bool:
    resolved = index.resolve(decorator)
    return resolved.kind == EXTERNAL and resolved.name.startswith("pydantic") and resolved.name.rpartition(".")[2] in _VALIDATORS
