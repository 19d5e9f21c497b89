"""The API type model (``kdocs inspect types``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kdocs.models.cli import SourceLocation, Unresolved

TYPE_KINDS = ("pydantic", "dataclass", "attrs", "typeddict", "msgspec", "namedtuple", "enum")


@dataclass(frozen=True)
class Field:
    name: str
    serialized_name: str
    type: str | None = None
    required: bool = True
    default: Any = None
    doc: str | None = None
    # Extra keys.
    doc_source: str | None = None  # attribute-docstring | comment | description | class-docstring
    source: SourceLocation | None = None
    computed: bool = False
    description: str | None = None  # the JSON-schema description (Field(description=...))
    default_factory: str | None = None  # source text of default_factory=/factory=
    nullable: bool = False  # the type admits None
    container: str | None = None  # list | dict | set | tuple (looking through Optional)
    origin: str | None = None  # "module.Class" that declares the field (inherited fields)


@dataclass(frozen=True)
class TypeDef:
    module: str
    name: str
    kind: str
    doc: str | None = None
    source: SourceLocation | None = None
    fields: tuple[Field, ...] = ()
    # Extra keys.
    bases: tuple[str, ...] = ()
    public: bool = True  # neither the class nor a module on its path starts with "_"
    unresolved: tuple[Unresolved, ...] = ()


@dataclass(frozen=True)
class TypesModel:
    types: tuple[TypeDef, ...] = ()
    # Extra keys: things seen but not extracted (``create_model(...)`` and the like).
    unresolved: tuple[Unresolved, ...] = ()
