"""The API type model (``kdocs inspect types``)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

from kdocs.models.common import POSITION, SourceLocation, Unresolved

TYPE_KINDS = ("pydantic", "dataclass", "attrs", "typeddict", "msgspec", "namedtuple", "enum")


TYPE_EXPR_KINDS = ("name", "union", "literal", "unknown")


@dataclass(frozen=True)
class TypeExpr:
    """A field's annotation as a small tree, names resolved: what generators (OpenAPI, JSON
    Schema, examples) read instead of parsing :attr:`Field.type` again.

    ``Optional[list["Pod"]]`` is ``union(name list[name pkg.api.Pod], name None)``.
    """

    kind: str
    """kind is ``name`` (a type, possibly generic), ``union`` (``X | Y``, ``Optional``),
    ``literal`` (``Literal[...]``) or ``unknown`` (an expression kdocs cannot read as a type)."""
    name: str | None = None
    """name is the dotted name the annotation refers to, resolved through imports: a builtin
    (``int``, ``list``, ``None``), a typing name (``typing.Any``, ``typing.Sequence``:
    ``collections.abc`` and ``typing_extensions`` spellings are folded into ``typing``), a
    library type (``datetime.datetime``, ``pydantic.EmailStr``) or a class
    (``pkg.api.Pod``); a plain class deriving from ``str``/``int``/``float``/``bytes`` is
    that builtin (it is one on the wire); for ``unknown``, null."""
    ref: str | None = None
    """ref is ``module:qualname`` of the class the name resolves to when kdocs read that
    class (a type of the model, or a class in an installed package); null otherwise."""
    args: tuple[TypeExpr, ...] = ()
    """args are a generic's arguments (``dict[str, int]``: ``str``, ``int``) or a union's
    members, in source order. A variadic tuple ends with a ``name`` of ``...``."""
    values: tuple[Any, ...] = ()
    """values are the members of a ``Literal[...]`` (JSON literals)."""
    constraints: dict[str, Any] = _field(default_factory=dict)
    """constraints are the schema keywords attached to this node through ``Annotated``
    metadata or a constrained type (``conint(ge=1)``, ``annotated_types.MaxLen(5)``,
    ``Field(pattern=...)``), with pydantic's keyword names (``ge``, ``max_length``...)."""
    text: str | None = None
    """text is the source text of an ``unknown`` node, or of a name kdocs could not resolve
    (see resolved)."""
    resolved: bool = True
    """resolved is false when the name could not be traced to a definition (a star import
    that was not found, a name that is not imported)."""


@dataclass(frozen=True)
class Field:
    """One field of an API type (or one member of an enum), as it appears on the wire.

    The first six keys are design.md's contract; the rest are extra keys the F rules need.
    """

    name: str
    """name is the field's Python attribute name (an enum member's name)."""
    serialized_name: str
    """serialized_name is the key the field has in serialized data: pydantic's
    ``serialization_alias``/``alias``/alias generator, msgspec's ``rename=``/``name=``,
    attrs' ``alias=`` (a leading underscore dropped), else name; for an enum with string
    values, the member's value."""
    type: str | None = None
    """type is the annotation rendered readably, typing aliases lowered and ``Optional``
    written as ``| None`` (``Optional[List["Pod"]]`` is ``list[Pod] | None``); null for enum
    members."""
    required: bool = True
    """True when a value must be given: no default and no default factory (pydantic v1 also
    treats ``Optional`` fields as not required; TypedDict follows ``total=``,
    ``Required``/``NotRequired``); false for enum members and computed fields."""
    default: Any = None
    """default is the default value when it is a JSON literal, else the default's source text
    (e.g. ``"Environment()"``); null when there is no default; for an enum member, its
    value."""
    doc: str | None = None
    """doc is the field's documentation, cleaned like a docstring, from the first source
    that has one (see doc_source); null when the field is undocumented."""
    # Extra keys.
    doc_source: str | None = None  # attribute-docstring | comment | description | class-docstring
    """doc_source says where doc came from: ``attribute-docstring`` (a string right after the
    field), ``comment`` (``#:`` comments), ``description`` (``Field(description=...)``) or
    ``class-docstring`` (an ``Attributes:``/``Args:`` section); null when doc is null."""
    source: SourceLocation | None = _field(default=None, metadata=POSITION)
    """source is where the field's name is written in its declaring class."""
    computed: bool = False
    """computed is true for a pydantic ``@computed_field`` property: serialized, never read
    from input."""
    description: str | None = None  # the JSON-schema description (Field(description=...))
    """description is the JSON-schema description: ``Field(description=...)``, or the
    attribute docstring when the model sets ``use_attribute_docstrings``; null otherwise."""
    default_factory: str | None = None  # source text of default_factory=/factory=
    """default_factory is the source text of ``default_factory=``/``factory=`` (e.g.
    ``"list"``); null when the field has none."""
    nullable: bool = False  # the type admits None
    """nullable is true when the annotation admits None (``Optional[X]``, ``X | None``)."""
    container: str | None = None  # list | dict | set | tuple (looking through Optional)
    """container is the annotation's collection kind, looking through ``Optional``:
    ``list`` (also ``Sequence``/``Iterable``), ``set``, ``dict`` or ``tuple``; null for
    anything else."""
    origin: str | None = None  # "module.Class" that declares the field (inherited fields)
    """origin is the dotted ``module.Class`` that declares the field: the type itself for
    its own fields, a base class for inherited ones (``pydantic.RootModel`` for a root
    model's ``root``)."""
    type_expr: TypeExpr | None = None
    """type_expr is the annotation as a structured tree with names resolved (see
    :class:`TypeExpr`); null for enum members and fields without an annotation."""
    constraints: dict[str, Any] = _field(default_factory=dict)
    """constraints are the schema-relevant keywords of the field's ``Field(...)`` call that
    are JSON literals (``ge``, ``gt``, ``le``, ``lt``, ``multiple_of``, ``min_length``,
    ``max_length``, ``pattern``, ``title``, ``examples``, ``deprecated``, ``discriminator``,
    ``alias``, ``validation_alias``); empty when there are none."""
    default_literal: bool = False
    """default_literal is true when default is a JSON literal value (false when it is the
    default's source text, or there is no default)."""
    name_source: str | None = None
    """name_source says where serialized_name comes from: ``alias`` (written for this field:
    ``Field(alias=...)``, attrs ``alias=``, msgspec ``name=`` or a ``rename`` mapping entry),
    ``generator`` (an alias generator or msgspec ``rename="camel"``...), or null (the Python
    name, or an enum member's value)."""


@dataclass(frozen=True)
class TypeDef:
    """One API type (a class kdocs recognised as a wire type or an enum) and its fields.

    The first six keys are design.md's contract; the rest are extra keys.
    """

    module: str
    """module is the dotted name of the module that defines the type, e.g. ``"pkg.api"``."""
    name: str
    """name is the class's qualified name within module (``Outer.Inner`` when nested)."""
    kind: str
    """kind is the framework that makes it a wire type: ``pydantic``, ``dataclass``,
    ``attrs``, ``typeddict``, ``msgspec``, ``namedtuple`` or ``enum``."""
    doc: str | None = None
    """doc is the class docstring, cleaned with ``inspect.cleandoc``; null when there is
    none."""
    source: SourceLocation | None = _field(default=None, metadata=POSITION)
    """source is where the ``class`` statement is."""
    fields: tuple[Field, ...] = ()
    """fields lists every field, inherited ones first (bases merged like the MRO), then the
    class's own in declaration order; an enum's members."""
    # Extra keys.
    bases: tuple[str, ...] = ()
    """bases lists the class's direct bases in order, as dotted names resolved through the
    file's imports (as written when kdocs cannot resolve one)."""
    public: bool = True  # no part of the class's qualified name starts with "_"
    """public is true unless the class (or a class it is nested in) starts with ``_``
    (dunder names do not count). Types in ``_private`` modules are public: packages
    re-export them. Private classes are not API types, so listed types are public."""
    api_reason: str | None = None
    """api_reason says why kdocs treats the class as an API type: a serialised kind
    (``pydantic type``), ``used by `pkg.Model.field``` (reachable from one), or the
    configured ``base-classes``/``decorator``/``modules``."""
    settings: dict[str, Any] | None = None
    """settings is, for a pydantic-settings ``BaseSettings`` class, its environment
    configuration: ``env_prefix``, ``env_nested_delimiter``, ``case_sensitive`` (the literal
    values of ``model_config``/``class Config``, defaults filled in); null for other types."""
    unresolved: tuple[Unresolved, ...] = ()
    """unresolved lists what kdocs could not work out for this type (a base class not found,
    an alias generator it cannot evaluate), reported at the class line."""


@dataclass(frozen=True)
class TypesModel:
    """What ``kdocs inspect types`` returns: the project's API types, by module and line."""

    types: tuple[TypeDef, ...] = ()
    """types lists the selected API types, sorted by module, then line, then name."""
    external: tuple[TypeDef, ...] = ()
    """external lists the types the API types' fields refer to that are not API types
    themselves (classes of installed packages, classes left out by the selection), so a
    generator can define every ``$ref`` target; sorted like types."""
    # Extra keys: things seen but not extracted (``create_model(...)`` and the like).
    unresolved: tuple[Unresolved, ...] = ()
    """unresolved lists file-level things seen but not extracted (``create_model(...)`` and
    the like)."""
