"""JSON Schema from the static types model: the mapping every type generator shares.

:class:`SchemaBuilder` turns a :class:`TypeDef` into a schema the way pydantic's
``model_json_schema(by_alias=True)`` would (validation mode), for every type kind kdocs
reads (pydantic, dataclasses, attrs, TypedDict, msgspec, NamedTuple, enums), in three
dialects: JSON Schema 2020-12 (``$defs``), OpenAPI 3.1 (``components.schemas``) and
Swagger 2.0 (``definitions``, which has no ``anyOf``/``null``/``const``: ``x-`` extensions
carry what it cannot say).

Where the static model cannot say what the schema is (a name from a package that is not
installed, a generic argument, a non-literal constraint) the schema carries an
``x-kdocs-unresolved`` note and :attr:`SchemaBuilder.notes` lists it: never a silent guess.

:func:`json_schema_files` is the ``--json-schema`` generator: one file per type, each with
the ``$defs`` it reaches.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kdocs.models.types import Field, TypeDef, TypeExpr, TypesModel

DIALECTS = ("jsonschema", "openapi", "swagger2")
META_SCHEMA = "https://json-schema.org/draft/2020-12/schema"
UNRESOLVED = "x-kdocs-unresolved"

_STRING = {"type": "string"}
SCALARS: dict[str, dict[str, Any]] = {
    "str": _STRING,
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "complex": {"type": "string"},
    "bool": {"type": "boolean"},
    "bytes": {"type": "string", "format": "binary"},
    "bytearray": {"type": "string", "format": "binary"},
    "None": {"type": "null"},
    "typing.Any": {},
    "object": {},
    "typing.Hashable": {},
    "datetime.datetime": {"type": "string", "format": "date-time"},
    "datetime.date": {"type": "string", "format": "date"},
    "datetime.time": {"type": "string", "format": "time"},
    "datetime.timedelta": {"type": "string", "format": "duration"},
    "uuid.UUID": {"type": "string", "format": "uuid"},
    "decimal.Decimal": {"anyOf": [{"type": "number"}, {"type": "string"}]},
    "pathlib.Path": {"type": "string", "format": "path"},
    "pathlib.PurePath": {"type": "string", "format": "path"},
    "pathlib.PosixPath": {"type": "string", "format": "path"},
    "pathlib.PurePosixPath": {"type": "string", "format": "path"},
    "ipaddress.IPv4Address": {"type": "string", "format": "ipv4"},
    "ipaddress.IPv6Address": {"type": "string", "format": "ipv6"},
    "ipaddress.IPv4Network": {"type": "string", "format": "ipv4network"},
    "ipaddress.IPv6Network": {"type": "string", "format": "ipv6network"},
    "ipaddress.IPv4Interface": {"type": "string", "format": "ipv4interface"},
    "ipaddress.IPv6Interface": {"type": "string", "format": "ipv6interface"},
    "re.Pattern": {"type": "string", "format": "regex"},
    "typing.Pattern": {"type": "string", "format": "regex"},
    "typing.LiteralString": _STRING,
    "pydantic.EmailStr": {"type": "string", "format": "email"},
    "pydantic.NameEmail": {"type": "string", "format": "name-email"},
    "pydantic.AnyUrl": {"type": "string", "format": "uri", "minLength": 1},
    "pydantic.AnyHttpUrl": {"type": "string", "format": "uri", "minLength": 1},
    "pydantic.HttpUrl": {"type": "string", "format": "uri", "minLength": 1, "maxLength": 2083},
    "pydantic.FileUrl": {"type": "string", "format": "uri", "minLength": 1},
    "pydantic.WebsocketUrl": {"type": "string", "format": "uri", "minLength": 1},
    "pydantic.IPvAnyAddress": {"type": "string", "format": "ipvanyaddress"},
    "pydantic.IPvAnyNetwork": {"type": "string", "format": "ipvanynetwork"},
    "pydantic.IPvAnyInterface": {"type": "string", "format": "ipvanyinterface"},
    "pydantic.SecretStr": {"type": "string", "format": "password", "writeOnly": True},
    "pydantic.SecretBytes": {"type": "string", "format": "password", "writeOnly": True},
    "pydantic.UUID1": {"type": "string", "format": "uuid1"},
    "pydantic.UUID3": {"type": "string", "format": "uuid3"},
    "pydantic.UUID4": {"type": "string", "format": "uuid4"},
    "pydantic.UUID5": {"type": "string", "format": "uuid5"},
    "pydantic.FilePath": {"type": "string", "format": "file-path"},
    "pydantic.DirectoryPath": {"type": "string", "format": "directory-path"},
    "pydantic.NewPath": {"type": "string", "format": "path"},
    "pydantic.AwareDatetime": {"type": "string", "format": "date-time"},
    "pydantic.NaiveDatetime": {"type": "string", "format": "date-time"},
    "pydantic.PastDatetime": {"type": "string", "format": "date-time"},
    "pydantic.FutureDatetime": {"type": "string", "format": "date-time"},
    "pydantic.PastDate": {"type": "string", "format": "date"},
    "pydantic.FutureDate": {"type": "string", "format": "date"},
    "pydantic.StrictStr": _STRING,
    "pydantic.StrictInt": {"type": "integer"},
    "pydantic.StrictFloat": {"type": "number"},
    "pydantic.StrictBool": {"type": "boolean"},
    "pydantic.StrictBytes": {"type": "string", "format": "binary"},
    "pydantic.PositiveInt": {"type": "integer", "exclusiveMinimum": 0},
    "pydantic.NegativeInt": {"type": "integer", "exclusiveMaximum": 0},
    "pydantic.NonNegativeInt": {"type": "integer", "minimum": 0},
    "pydantic.NonPositiveInt": {"type": "integer", "maximum": 0},
    "pydantic.PositiveFloat": {"type": "number", "exclusiveMinimum": 0},
    "pydantic.NegativeFloat": {"type": "number", "exclusiveMaximum": 0},
    "pydantic.NonNegativeFloat": {"type": "number", "minimum": 0},
    "pydantic.NonPositiveFloat": {"type": "number", "maximum": 0},
    "pydantic.FiniteFloat": {"type": "number"},
    "pydantic.JsonValue": {},
    "pydantic.JsonSchemaValue": {"type": "object", "additionalProperties": True},
    "pydantic.json_schema.JsonSchemaValue": {"type": "object", "additionalProperties": True},
    "pydantic.ByteSize": {"type": "integer"},
}
"""Named types with a fixed schema (pydantic v2's validation-mode output)."""

ARRAYS = frozenset(
    {
        "list",
        "typing.Sequence",
        "typing.MutableSequence",
        "typing.Iterable",
        "typing.Collection",
        "typing.Deque",
        "collections.deque",
        "typing.Iterator",
    }
)
SETS = frozenset({"set", "frozenset", "typing.AbstractSet", "typing.MutableSet"})
MAPPINGS = frozenset(
    {
        "dict",
        "typing.Mapping",
        "typing.MutableMapping",
        "typing.OrderedDict",
        "collections.OrderedDict",
        "typing.DefaultDict",
        "collections.defaultdict",
        "typing.Counter",
        "collections.Counter",
    }
)

NUMERIC = {"ge": "minimum", "gt": "exclusiveMinimum", "le": "maximum", "lt": "exclusiveMaximum"}
LENGTHS = {
    "string": ("minLength", "maxLength"),
    "array": ("minItems", "maxItems"),
    "object": ("minProperties", "maxProperties"),
}


@dataclass(frozen=True)
class Note:
    """Something the schema could not state, with where it comes from."""

    type: str
    """type is the ``module.Name`` of the type whose schema carries the note."""
    field: str | None
    """field is the field's Python name, or null for the type itself."""
    message: str
    """message says what is unresolved, for humans."""

    def render(self) -> str:
        where = f"{self.type}.{self.field}" if self.field else self.type
        return f"{where}: {self.message}"


_MARKER = re.compile(r"^\+[A-Za-z][\w:./-]*(=.*)?$")
_TODO = re.compile(r"^TODO\b", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^([-*]|\d+[.)])\s")


def clean_description(text: str | None) -> str | None:
    """A docstring as a schema description, cleaned the way Kubernetes' swagger docs are:
    everything from a ``---`` line on is dropped, as are ``TODO`` lines and marker comments
    (``+optional``, ``+listType=map``); wrapped lines are joined, paragraph breaks and list
    items kept."""
    if not text:
        return None
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if line.startswith("---"):
            break
        if _TODO.match(line) or _MARKER.match(line):
            continue
        if not line:
            if current:
                paragraphs.append(" ".join(current).replace(" \n", "\n"))
                current = []
            continue
        if current and _LIST_ITEM.match(line):
            current.append("\n" + line)
        else:
            current.append(line)
    if current:
        paragraphs.append(" ".join(current).replace(" \n", "\n"))
    out = "\n\n".join(paragraphs).strip()
    return out or None


def type_key(t: TypeDef) -> str:
    return f"{t.module}:{t.name}"


def schema_names(types: Iterable[TypeDef]) -> dict[str, str]:
    """``module:qualname -> schema name``: the class name, module-qualified (with ``__``)
    only where two types share a name, like pydantic does."""
    by_short: dict[str, list[TypeDef]] = {}
    for t in types:
        by_short.setdefault(t.name.rsplit(".", 1)[-1], []).append(t)
    out: dict[str, str] = {}
    for short, group in by_short.items():
        for t in group:
            if len(group) == 1:
                out[type_key(t)] = short
            else:
                out[type_key(t)] = f"{t.module}.{t.name}".replace(".", "__")
    return out


def dumps(data: Any) -> str:
    """Deterministic JSON text (sorted keys, two-space indent, newline at the end); non-ASCII
    kept readable; ``</`` escaped so the text can sit in an HTML ``<script>`` block."""
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
    return text.replace("</", "<\\/") + "\n"


class SchemaBuilder:
    """Schemas for the types of one model, with ``$ref`` to each other."""

    def __init__(self, model: TypesModel, dialect: str = "jsonschema") -> None:
        if dialect not in DIALECTS:
            raise ValueError(f"unknown dialect {dialect!r}")
        self.dialect = dialect
        everything = (*model.types, *model.external)
        self.types = {type_key(t): t for t in everything}
        self.names = schema_names(everything)
        self.prefix = {
            "jsonschema": "#/$defs/",
            "openapi": "#/components/schemas/",
            "swagger2": "#/definitions/",
        }[dialect]
        self.notes: list[Note] = []
        self.referenced: set[str] = set()
        self._where: tuple[str, str | None] = ("", None)
        self._cache: dict[str, tuple[dict[str, Any], set[str]]] = {}

    # -- notes ---------------------------------------------------------------------------

    def _unresolved(self, message: str) -> dict[str, Any]:
        type_name, field = self._where
        self.notes.append(Note(type_name, field, message))
        return {UNRESOLVED: message}

    # -- types ---------------------------------------------------------------------------

    def name(self, key: str) -> str:
        return self.names[key]

    def ref(self, key: str) -> dict[str, Any]:
        self.referenced.add(key)
        return {"$ref": self.prefix + self.names[key]}

    def cached_schema(self, key: str) -> tuple[dict[str, Any], set[str]]:
        """A type's schema and the type keys it references, built once per builder (the
        schema is shared between documents: callers must not change it)."""
        found = self._cache.get(key)
        if found is None:
            self.referenced = set()
            found = (self.type_schema(self.types[key]), set(self.referenced))
            self._cache[key] = found
        return found  # shared: callers only read (and serialise) it

    def type_schema(self, t: TypeDef) -> dict[str, Any]:
        """The schema of one type (its references point at the dialect's definitions)."""
        self._where = (f"{t.module}.{t.name}", None)
        schema: dict[str, Any]
        if t.kind == "enum":
            schema = self._enum(t)
        elif (root := _root_field(t)) is not None:
            self._where = (f"{t.module}.{t.name}", "root")
            schema = dict(self._expr_or_unknown(root))
            self._where = (f"{t.module}.{t.name}", None)
        elif t.kind == "namedtuple":
            schema = self._namedtuple(t)
        else:
            schema = self._object(t)
        schema["title"] = t.name.rsplit(".", 1)[-1]
        description = clean_description(t.doc)
        if description:
            schema["description"] = description
        for note in t.unresolved:
            schema.setdefault(UNRESOLVED, note.message)
            self.notes.append(Note(f"{t.module}.{t.name}", None, note.message))
        return to_swagger2(schema) if self.dialect == "swagger2" else schema

    def _object(self, t: TypeDef) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        required: list[str] = []
        for f in t.fields:
            if _skipped(f.type_expr):
                continue  # SkipJsonSchema / WithJsonSchema(None): pydantic leaves it out
            self._where = (f"{t.module}.{t.name}", f.name)
            properties[f.serialized_name] = self.field_schema(f)
            if f.required and not f.computed:
                required.append(f.serialized_name)
        self._where = (f"{t.module}.{t.name}", None)
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        return schema

    def _namedtuple(self, t: TypeDef) -> dict[str, Any]:
        items = []
        for f in t.fields:
            self._where = (f"{t.module}.{t.name}", f.name)
            items.append(self.field_schema(f))
        self._where = (f"{t.module}.{t.name}", None)
        count = len(items)
        minimum = sum(1 for f in t.fields if f.required)
        schema: dict[str, Any] = {"type": "array", "maxItems": count, "minItems": minimum}
        if self.dialect == "swagger2":
            schema["items"] = {}
            schema["x-kdocs-prefix-items"] = items
        else:
            schema["prefixItems"] = items
        return schema

    def enum_values(self, t: TypeDef) -> list[Any]:
        """The members' values; ``auto()`` numbered (lower-cased names for ``StrEnum``)."""
        values: list[Any] = []
        str_enum = any(b.rsplit(".", 1)[-1] == "StrEnum" for b in t.bases)
        for index, member in enumerate(t.fields, 1):
            if member.default_literal:
                values.append(member.default)
            elif isinstance(member.default, str) and member.default.rsplit(".", 1)[-1] in (
                "auto()",
            ):
                values.append(member.name.lower() if str_enum else index)
            else:
                self._where = (f"{t.module}.{t.name}", member.name)
                self._unresolved(f"enum value `{member.default}` is not a literal")
                values.append(member.name)
        self._where = (f"{t.module}.{t.name}", None)
        return values

    def _enum(self, t: TypeDef) -> dict[str, Any]:
        values = self.enum_values(t)
        schema: dict[str, Any] = {"enum": values}
        kinds = {_json_type(v) for v in values}
        if len(kinds) == 1 and None not in kinds:
            schema["type"] = kinds.pop()
        docs = [clean_description(m.doc) or "" for m in t.fields]
        if any(docs):
            schema["x-enum-descriptions"] = docs
        return schema

    # -- fields --------------------------------------------------------------------------

    def field_schema(self, f: Field) -> dict[str, Any]:
        schema = dict(self._expr_or_unknown(f))
        constraints = {k: v for k, v in f.constraints.items() if not k.startswith("_")}
        for key in f.constraints.get("_dynamic", ()):
            if key == "**":
                message = "`Field(**...)` keywords are not static: not in the schema"
            else:
                message = f"`{key}=` is not a literal: not in the schema"
            schema.update(self._unresolved(message))
        discriminator = constraints.pop("discriminator", None)
        if isinstance(discriminator, str):
            schema = self._discriminated(schema, discriminator)
        schema = self._constrain(schema, constraints)
        description = clean_description(f.doc)
        if description:
            schema = self._annotate(schema, "description", description)
        if isinstance(constraints.get("title"), str):
            schema = self._annotate(schema, "title", constraints["title"])
        default = self._default(f)
        if isinstance(default, list | tuple | dict):
            default = json.loads(json.dumps(default))  # JSON form: a tuple is a list
        if default is not _MISSING:
            # A default the declared type does not admit (``x: str = None``) would make the
            # document invalid (OpenAPI validators check defaults): kept as an extension.
            key = "default" if _fits(schema, default) else "x-kdocs-default"
            schema = self._annotate(schema, key, default)
        examples = constraints.get("examples")
        if examples is None and "example" in constraints:
            examples = [constraints["example"]]
        if isinstance(examples, list) and examples:
            if self.dialect == "swagger2":
                schema = self._annotate(schema, "example", examples[0])
            else:
                schema = self._annotate(schema, "examples", examples)
        if constraints.get("deprecated"):
            key = "x-deprecated" if self.dialect == "swagger2" else "deprecated"
            schema = self._annotate(schema, key, True)
        if f.computed:
            schema = self._annotate(schema, "readOnly", True)
        return schema

    def _annotate(self, schema: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
        """Add an annotation; Swagger 2 ignores siblings of ``$ref``, so wrap it there."""
        if "$ref" in schema and self.dialect == "swagger2":
            schema = {"allOf": [{"$ref": schema.pop("$ref")}], **schema}
        schema[key] = value
        return schema

    def default_value(self, f: Field) -> tuple[bool, Any]:
        """``(True, value)`` when the field's default is known as a JSON value (a literal, an
        empty ``list()``/``set()``/``dict()``, an enum member of a type kdocs read)."""
        value = self._default(f)
        return (False, None) if value is _MISSING else (True, value)

    def _default(self, f: Field) -> Any:
        if f.required or f.computed or f.default_factory is not None:
            return _MISSING
        if f.default_literal:
            return f.default
        if isinstance(f.default, str) and f.default.replace(" ", "") in EMPTY_CALLS:
            return EMPTY_CALLS[f.default.replace(" ", "")]
        # An enum member as the default (``Color.RED``): its value, when kdocs read the enum.
        expr = f.type_expr
        for candidate in _named(expr):
            t = self.types.get(candidate.ref or "")
            if t is not None and t.kind == "enum" and isinstance(f.default, str):
                member = f.default.rsplit(".", 1)[-1]
                for m, value in zip(t.fields, self.enum_values(t), strict=True):
                    if m.name == member:
                        return value
        return _MISSING

    def _expr_or_unknown(self, f: Field) -> dict[str, Any]:
        if f.type_expr is None:
            if f.type is None:
                return {}  # no annotation (an attrs attr.ib()): any value
            return self._unresolved(f"type `{f.type}` could not be read")
        return self.expr(f.type_expr)

    # -- expressions ---------------------------------------------------------------------

    def expr(self, e: TypeExpr) -> dict[str, Any]:
        given = e.constraints.get("json_schema")
        if isinstance(given, dict):
            return dict(given)  # WithJsonSchema({...}) replaces the generated schema
        schema = self._expr(e)
        if not e.constraints:
            return schema
        discriminator = e.constraints.get("discriminator")
        if isinstance(discriminator, str):
            schema = self._discriminated(schema, discriminator)
        return self._constrain(schema, e.constraints)

    def _expr(self, e: TypeExpr) -> dict[str, Any]:
        if e.kind == "union":
            return self._union(e)
        if e.kind == "literal":
            return self._literal(list(e.values))
        if e.kind == "unknown":
            return self._unresolved(f"`{e.text}` is not a type kdocs can read statically")
        name = e.name or ""
        if not e.resolved:
            return self._unresolved(
                f"`{e.text or name}` could not be resolved (not defined in the project or an "
                "installed package)"
            )
        if e.ref is not None:
            if e.ref not in self.types:
                return self._unresolved(
                    f"`{name}` is not an API type of this project (outside the types model)"
                )
            ref = self.ref(e.ref)
            if e.args:
                ref.update(self._unresolved(f"generic arguments of `{name}` are not applied"))
            return ref
        if name.startswith("pydantic.") and name not in SCALARS:
            name = "pydantic." + name.rsplit(".", 1)[-1]
        if name in SCALARS:
            copied: dict[str, Any] = json.loads(json.dumps(SCALARS[name]))
            return copied
        args = list(e.args)
        if name in ARRAYS or name in SETS:
            schema: dict[str, Any] = {"type": "array", "items": self.expr(args[0]) if args else {}}
            if name in SETS:
                schema["uniqueItems"] = True
            return schema
        if name == "tuple":
            return self._tuple(args)
        if name in MAPPINGS:
            value: Any = self.expr(args[1]) if len(args) == 2 else True
            if value == {}:
                value = True
            schema = {"type": "object", "additionalProperties": value}
            keys = self.expr(args[0]) if len(args) == 2 else {"type": "string"}
            names = {k: v for k, v in keys.items() if k in ("enum", "const", "pattern", "$ref")}
            if names and self.dialect != "swagger2":
                schema["propertyNames"] = names
            return schema
        if name in ("type", "typing.Type", "typing.Callable"):
            return self._unresolved(f"`{name}` has no JSON representation")
        return self._unresolved(f"no schema mapping for `{name}`")

    def _tuple(self, args: list[TypeExpr]) -> dict[str, Any]:
        if not args:
            return {"type": "array", "items": {}}
        if len(args) == 2 and args[1].kind == "name" and args[1].name == "...":
            return {"type": "array", "items": self.expr(args[0])}
        items = [self.expr(a) for a in args]
        schema: dict[str, Any] = {"type": "array", "minItems": len(items), "maxItems": len(items)}
        if self.dialect == "swagger2":
            schema["items"] = {}
            schema["x-kdocs-prefix-items"] = items
        else:
            schema["prefixItems"] = items
        return schema

    def _literal(self, values: list[Any]) -> dict[str, Any]:
        kinds = {_json_type(v) for v in values}
        schema: dict[str, Any]
        if len(values) == 1 and self.dialect != "swagger2":
            schema = {"const": values[0]}
        else:
            schema = {"enum": values}
        if len(kinds) == 1 and None not in kinds:
            schema["type"] = kinds.pop()
        return schema

    def _union(self, e: TypeExpr) -> dict[str, Any]:
        members = list(e.args)
        nullable = any(m.kind == "name" and m.name == "None" for m in members)
        others = [
            m for m in members if not (m.kind == "name" and m.name == "None") and not _skipped(m)
        ]
        nullable = nullable and not any(
            _skipped(m) for m in members if m.kind == "name" and m.name == "None"
        )
        schemas = _unique([self.expr(m) for m in others])
        if self.dialect == "swagger2":
            schema = schemas[0] if len(schemas) == 1 else {"x-kdocs-any-of": schemas}
            if nullable:
                schema = self._annotate(schema, "x-nullable", True)
            return schema
        if nullable:
            schemas.append({"type": "null"})
        if len(schemas) == 1:
            return schemas[0]
        return {"anyOf": schemas}

    def _discriminated(self, schema: dict[str, Any], prop: str) -> dict[str, Any]:
        """``Field(discriminator="kind")`` on a union: ``oneOf`` plus a ``discriminator``
        mapping each tag value to its type, as pydantic writes it."""
        if "$ref" in schema and len(schema) == 1:
            schema = {"anyOf": [schema]}  # a one-member discriminated union
        if self.dialect == "swagger2" or "anyOf" not in schema:
            return schema
        options = [s for s in schema["anyOf"] if s != {"type": "null"}]
        nullable = len(options) != len(schema["anyOf"])
        mapping: dict[str, str] = {}
        property_name = prop
        for option in options:
            ref = option.get("$ref", "")
            key = next((k for k, n in self.names.items() if self.prefix + n == ref), None)
            t = self.types.get(key or "")
            if t is None:
                continue
            for f in t.fields:
                if f.name == prop or f.serialized_name == prop:
                    property_name = f.serialized_name
                    if f.type_expr is not None and f.type_expr.kind == "literal":
                        for value in f.type_expr.values:
                            mapping[str(value)] = ref
        inner: dict[str, Any] = {
            "oneOf": options,
            "discriminator": {"propertyName": property_name, "mapping": mapping},
        }
        if nullable:
            return {"anyOf": [inner, {"type": "null"}]}
        return inner

    def _constrain(self, schema: dict[str, Any], constraints: dict[str, Any]) -> dict[str, Any]:
        """Apply pydantic's constraint keywords; on ``X | None`` they apply to ``X``."""
        keys = {
            k: v
            for k, v in constraints.items()
            if k in NUMERIC
            or k
            in (
                "multiple_of",
                "min_length",
                "max_length",
                "min_items",
                "max_items",
                "pattern",
                "regex",
                "unique_items",
            )
        }
        if not keys:
            return schema
        if "anyOf" in schema and not schema.get("type"):
            schema = dict(schema)
            schema["anyOf"] = [
                s if s == {"type": "null"} else self._constrain(dict(s), keys)
                for s in schema["anyOf"]
            ]
            return schema
        out = dict(schema)
        kind = out.get("type")
        for key, value in keys.items():
            numeric = key in NUMERIC or key == "multiple_of"
            if kind is not None and numeric != (kind in ("integer", "number")):
                continue  # pydantic applies a constraint only where it means something
            if key in NUMERIC:
                if self.dialect == "swagger2" and key in ("gt", "lt"):
                    out["minimum" if key == "gt" else "maximum"] = value
                    out["exclusiveMinimum" if key == "gt" else "exclusiveMaximum"] = True
                else:
                    out[NUMERIC[key]] = value
            elif key == "multiple_of":
                out["multipleOf"] = value
            elif key in ("min_length", "max_length", "min_items", "max_items"):
                pair = LENGTHS.get(str(kind), LENGTHS["string"])
                if key in ("min_items", "max_items"):
                    pair = LENGTHS["array"]
                out[pair[0] if key.startswith("min") else pair[1]] = value
            elif key in ("pattern", "regex"):
                out["pattern"] = value
            elif key == "unique_items" and value:
                out["uniqueItems"] = True
        return out


_MISSING: Any = object()


_PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list, tuple),
    "object": (dict,),
    "null": (type(None),),
}


def _fits(schema: dict[str, Any], value: Any) -> bool:
    """Whether a default has the schema's JSON type (only plain ``type`` is checked)."""
    kind = schema.get("type")
    if not isinstance(kind, str) or kind not in _PY_TYPES:
        return True
    if isinstance(value, bool) and kind in ("integer", "number"):
        return False
    return isinstance(value, _PY_TYPES[kind])


def _skipped(expr: TypeExpr | None) -> bool:
    """``SkipJsonSchema[...]`` or ``WithJsonSchema(None)``: not in pydantic's schema."""
    if expr is None:
        return False
    return bool(expr.constraints.get("skip_json_schema")) or (
        "json_schema" in expr.constraints and expr.constraints["json_schema"] is None
    )


def _root_field(t: TypeDef) -> Field | None:
    """A ``RootModel``'s ``root`` field (inherited, or redeclared by the subclass)."""
    if t.kind != "pydantic":
        return None
    root_model = any(b.rsplit(".", 1)[-1] == "RootModel" for b in t.bases)
    for f in t.fields:
        if f.name == "root" and (root_model or f.origin == "pydantic.RootModel"):
            return f
    return None


EMPTY_CALLS: dict[str, Any] = {
    "set()": [],
    "frozenset()": [],
    "list()": [],
    "tuple()": [],
    "dict()": {},
}

_NESTED_ONE = ("items", "additionalProperties", "not")
_NESTED_MANY = ("allOf",)


def to_swagger2(schema: Any) -> Any:
    """Lower a 2020-12 schema to Swagger 2.0's dialect: ``anyOf``/``oneOf`` become
    ``x-kdocs-any-of`` (``null`` members ``x-nullable``), ``const`` a one-value ``enum``,
    ``prefixItems`` ``x-kdocs-prefix-items``, numeric exclusive bounds the boolean form,
    ``examples``/``deprecated``/``writeOnly`` their ``x-``/singular forms, and a ``$ref``
    with siblings an ``allOf``."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "properties" and isinstance(value, dict):
            out[key] = {k: to_swagger2(v) for k, v in value.items()}
        elif key in _NESTED_ONE and isinstance(value, dict):
            out[key] = to_swagger2(value)
        elif key in _NESTED_MANY and isinstance(value, list):
            out[key] = [to_swagger2(v) for v in value]
        else:
            out[key] = value
    for key in ("anyOf", "oneOf"):
        options = out.pop(key, None)
        if not isinstance(options, list):
            continue
        others = [to_swagger2(o) for o in options if o != {"type": "null"}]
        if len(others) != len(options):
            out["x-nullable"] = True
        if len(others) == 1:
            for k, v in others[0].items():
                out.setdefault(k, v)
        elif others:
            out["x-kdocs-any-of"] = others
    if isinstance(out.get("discriminator"), dict):
        out["x-kdocs-discriminator"] = out.pop("discriminator")
    if "const" in out:
        out["enum"] = [out.pop("const")]
    if out.get("type") == "null":
        del out["type"]
        out["x-nullable"] = True
    if "prefixItems" in out:
        out["x-kdocs-prefix-items"] = out.pop("prefixItems")
        out.setdefault("items", {})
    for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        value = out.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[bound] = value
            out[key] = True
    if "examples" in out:
        examples = out.pop("examples")
        if isinstance(examples, list) and examples:
            out["example"] = examples[0]
    for key in ("deprecated", "writeOnly"):
        if key in out:
            out[f"x-{key}"] = out.pop(key)
    if "$ref" in out and len(out) > 1:
        out["allOf"] = [{"$ref": out.pop("$ref")}, *out.get("allOf", [])]
    return out


def _named(expr: TypeExpr | None) -> list[TypeExpr]:
    if expr is None:
        return []
    if expr.kind == "union":
        return [m for m in expr.args if m.kind == "name"]
    return [expr] if expr.kind == "name" else []


def _unique(schemas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for s in schemas:
        if s not in out:
            out.append(s)
    return out


def _json_type(value: Any) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


def closure(builder: SchemaBuilder, start: TypeDef) -> tuple[dict[str, dict[str, Any]], bool]:
    """``{schema name: schema}`` for ``start`` and every type it reaches through ``$ref``,
    and whether ``start`` is among the types referenced (a recursive type)."""
    out: dict[str, dict[str, Any]] = {}
    first = type_key(start)
    pending = [first]
    done: set[str] = set()
    recursive = False
    while pending:
        key = pending.pop()
        if key in done:
            continue
        done.add(key)
        schema, refs = builder.cached_schema(key)
        recursive = recursive or first in refs
        out[builder.name(key)] = schema
        pending.extend(sorted(refs - done))
    return out, recursive


def json_schema_documents(model: TypesModel) -> tuple[dict[str, dict[str, Any]], list[Note]]:
    """One JSON Schema (2020-12) per type, by type key (``module:qualname``)."""
    builder = SchemaBuilder(model, "jsonschema")
    documents: dict[str, dict[str, Any]] = {}
    for t in model.types:
        defs, recursive = closure(builder, t)
        own = builder.name(type_key(t))
        top = defs[own]
        if not recursive:
            defs = {k: v for k, v in defs.items() if k != own}
        document = {"$schema": META_SCHEMA, **top}
        if defs:
            document["$defs"] = defs
        documents[type_key(t)] = document
    return documents, _dedupe(builder.notes)


def _dedupe(notes: list[Note]) -> list[Note]:
    return sorted(set(notes), key=lambda n: (n.type, n.field or "", n.message))


def json_schema_path(t: TypeDef) -> str:
    """The file a type's schema is written to: ``module.Qualname.json``."""
    return f"{t.module}.{t.name}.json"


def json_schema_files(model: TypesModel) -> tuple[dict[str, str], list[Note]]:
    """``{relative path: JSON text}``, one JSON Schema per type, and the unresolved notes."""
    documents, notes = json_schema_documents(model)
    by_key = {type_key(t): t for t in model.types}
    files = {json_schema_path(by_key[k]): dumps(doc) for k, doc in documents.items()}
    return files, notes
