"""One field of the model from its per-file record: serialized name, required, default, doc.

The rules are pydantic's (``serialization_alias`` > ``alias`` > the alias generator > the
name; ``Field()`` defaults and factories), msgspec's (``rename=``, ``field(name=)``), attrs'
(``alias=``, private names lose their underscore), and the doc-source priority of
:mod:`.docs`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kdocs.extract.types.aliases import MSGSPEC_RENAMES
from kdocs.extract.types.texpr import CONSTRAINT_KEYS
from kdocs.models.cli import SourceLocation
from kdocs.models.types import Field, TypeExpr

SCHEMA_KEYWORDS = (CONSTRAINT_KEYS - {"allow_inf_nan", "description", "json_schema_extra"}) | {
    "exclude",
    "repr",
}
"""``Field()`` keywords a schema generator needs, kept in :attr:`Field.constraints`."""


@dataclass
class ClassInfo:
    """A resolved class: its kind, merged fields (name -> record) and merged config."""

    module: str
    relpath: str
    facts: dict[str, Any]
    kind: str | None
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    keywords: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)
    markers: set[str] = field(default_factory=set)
    v1: bool = False


def build_field(
    kind: str,
    info: ClassInfo,
    record: dict[str, Any],
    generator: Callable[[str], str] | None,
    use_docstrings: bool,
    notes: list[str],
    *,
    type_expr: TypeExpr | None = None,
) -> Field:
    name = record["name"]
    # The keywords of Field(...) over those of an Annotated metadata call; read only, so
    # the record's own dict serves when there is nothing to merge.
    meta, own = record.get("meta_call"), record.get("call")
    call = ({**meta, **own} if own else dict(meta)) if meta else own or {}
    if kind == "enum":
        value = record.get("value")
        str_valued = record.get("literal") and isinstance(value, str)
        serialized = str(value) if str_valued and not _non_str_mixin(info) else name
        doc, source = _doc(record, None)
        return Field(
            name=name,
            serialized_name=serialized,
            type=None,
            required=False,
            default=value,
            doc=doc,
            doc_source=source,
            source=SourceLocation(record["relpath"], record["line"], record["col"]),
            origin=record["origin"],
            default_literal=bool(record.get("literal")),
        )
    serialized = name
    name_source: str | None = None
    if kind == "pydantic":
        explicit = _str(call.get("serialization_alias")) or _str(call.get("alias"))
        priority = call.get("alias_priority")
        if generator and (not explicit or priority == 1):
            serialized, name_source = generator(name), "generator"
        elif explicit:
            serialized, name_source = explicit, "alias"
    elif kind == "attrs":
        alias = _str(call.get("alias"))
        serialized = alias or name.lstrip("_") or name
        name_source = "alias" if alias else None
    elif kind == "msgspec":
        rename = info.keywords.get("rename")
        explicit = _str(call.get("name"))
        if explicit:
            serialized, name_source = explicit, "alias"
        elif isinstance(rename, str) and rename in MSGSPEC_RENAMES:
            serialized, name_source = MSGSPEC_RENAMES[rename](name), "generator"
        elif isinstance(rename, dict) and "expr" not in rename:
            serialized = str(rename.get(name, name))
            name_source = "alias" if name in rename else None
        elif rename:
            notes.append("msgspec `rename=` is not a literal: serialized names unknown")
    required, default, factory = _required(kind, info, record, call)
    description = call.get("description") if isinstance(call.get("description"), str) else None
    if description is None and use_docstrings and record.get("doc"):
        description = record.get("doc")
    doc, source = _doc(record, description if isinstance(call.get("description"), str) else None)
    return Field(
        name=name,
        serialized_name=serialized,
        type=record.get("type"),
        required=required,
        default=default,
        doc=doc,
        doc_source=source,
        source=SourceLocation(record["relpath"], record["line"], record["col"]),
        computed=record.get("kind") == "computed",
        description=description,
        default_factory=factory,
        nullable=bool(record.get("nullable")),
        container=record.get("container"),
        origin=record["origin"],
        name_source=name_source,
        type_expr=type_expr,
        constraints=_constraints(call),
        default_literal=_default_literal(kind, record, call, required, factory),
    )


def _constraints(call: dict[str, Any]) -> dict[str, Any]:
    """The schema keywords of ``Field(...)`` whose values are JSON literals (a non-literal
    value is recorded by the per-file pass as ``{"expr": ...}`` and listed as dynamic)."""
    if not call:
        return {}
    out: dict[str, Any] = {}
    dynamic: list[str] = []
    for key in sorted(SCHEMA_KEYWORDS & call.keys()):
        value = call[key]
        if isinstance(value, dict) and set(value) == {"expr"}:
            dynamic.append(key)
        else:
            out[key] = value
    if call.get("dynamic"):
        dynamic.append("**")  # Field(**kwargs): keywords kdocs cannot see
    if dynamic:
        out["_dynamic"] = dynamic
    return out


def _default_literal(
    kind: str, record: dict[str, Any], call: dict[str, Any], required: bool, factory: str | None
) -> bool:
    if required or factory is not None or record.get("kind") == "computed":
        return False
    if kind == "typeddict":
        return False  # an optional key has no default: it is absent
    if "default" in call:
        return bool(call.get("default_literal"))
    if record.get("call"):
        return True  # pydantic v1's implicit None default of an Optional field
    if record.get("has_value"):
        return bool(record.get("value_literal"))
    return kind == "pydantic"  # an implicit None (pydantic v1 Optional)


def root_field(cls: dict[str, Any], info: ClassInfo) -> dict[str, Any]:
    """The ``root`` field a ``RootModel[T]`` subclass inherits."""
    return {
        "name": "root",
        "line": cls["line"],
        "col": cls["col"],
        "type": cls.get("root_type"),
        "texpr": cls.get("root_texpr"),
        "module": info.module,
        "flags": [],
        "nullable": False,
        "container": None,
        "has_value": False,
        "value": None,
        "value_literal": False,
        "value_ellipsis": False,
        "call": None,
        "meta_call": None,
        "doc": None,
        "comment": None,
        "section_doc": None,
        "kind": "field",
        "origin": "pydantic.RootModel",
        "relpath": info.relpath,
    }


NON_STR_MIXINS = frozenset(
    {"int", "float", "bytes", "tuple", "Exception", "enum.IntEnum", "enum.IntFlag", "enum.Flag"}
)


def _non_str_mixin(info: ClassInfo) -> bool:
    """An enum mixing in a non-str data type (``int``, ``Exception``...) converts its values."""
    return any(base in NON_STR_MIXINS for base in info.bases)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _doc(record: dict[str, Any], description: str | None) -> tuple[str | None, str | None]:
    """The field's doc and where it comes from, in priority order (see :mod:`.docs`)."""
    text = record.get("doc")
    if text:
        return text, "attribute-docstring"
    text = record.get("comment")
    if text:
        return text, "comment"
    if description:
        return description, "description"
    text = record.get("section_doc")
    if text:
        return text, "class-docstring"
    return None, None


def _required(
    kind: str, info: ClassInfo, record: dict[str, Any], call: dict[str, Any]
) -> tuple[bool, Any, str | None]:
    """Whether a field must be given, its default and its default factory."""
    if record.get("kind") == "computed":
        return False, None, None
    flags = record.get("flags") or ()
    if kind == "typeddict":
        total = record.get("_total", info.keywords.get("total", True))
        if "Required" in flags:
            return True, None, None
        if "NotRequired" in flags:
            return False, None, None
        return bool(total is not False), None, None
    factory = call.get("default_factory")
    if factory is not None:
        return False, None, str(factory)
    if call.get("required"):
        return True, None, None
    if "default" in call:
        return False, call["default"], None
    if record.get("call"):
        # Field()/field()/attr.ib() without a default: required (pydantic v1: Optional isn't).
        if kind == "pydantic" and info.v1 and record.get("nullable"):
            return False, None, None
        return True, None, None
    if record.get("has_value") and not record.get("value_ellipsis"):
        return False, record.get("value"), None
    if kind == "pydantic" and info.v1 and record.get("nullable"):
        return False, None, None
    return True, None, None
