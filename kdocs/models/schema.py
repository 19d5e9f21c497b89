"""The ``kdocs inspect`` JSON contract as data: which model each kind prints, its JSON Schema
(generated from the dataclasses, so it cannot drift from them), and the decoder back.

The schema is derived from the same type hints the codec decodes with, and each property's
``description`` is the field's attribute docstring, so the committed schema files under
``site/reference/inspect/`` document every key. Position fields carry ``"x-kdocs-position":
true`` so a consumer (a diff) knows which keys only say where something is.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import inspect
import itertools
import json
import textwrap
import types
import typing
from pathlib import PurePath
from typing import Any

from kdocs.models.cli import CliModel
from kdocs.models.codec import DecodeError, decode
from kdocs.models.common import SCHEMA_VERSION, is_position
from kdocs.models.deps import DepsModel
from kdocs.models.imports import ImportGraph
from kdocs.models.serialize import to_data
from kdocs.models.types import TypesModel

INSPECT_MODELS: dict[str, type[Any]] = {
    "cli": CliModel,
    "types": TypesModel,
    "imports": ImportGraph,
    "deps": DepsModel,
}
"""The model class ``kdocs inspect KIND`` prints, per kind."""

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def inspect_data(model: Any) -> dict[str, Any]:
    """The public JSON of a model, as ``kdocs inspect`` prints it: ``schema_version`` first."""
    data = to_data(model)
    if not isinstance(data, dict):
        raise TypeError(f"{type(model).__name__} is not a model dataclass")
    return {"schema_version": SCHEMA_VERSION, **data}


def decode_inspect(kind: str, data: Any) -> Any:
    """``kdocs inspect KIND`` JSON -> the model it was printed from.

    Extra keys (added by a later kdocs) are ignored; a missing ``schema_version`` reads as
    version 1 (outputs from before it existed); a newer major version is refused, since its
    keys may mean something else. Raises :class:`~kdocs.models.codec.DecodeError`.
    """
    cls = INSPECT_MODELS.get(kind)
    if cls is None:
        raise DecodeError(f"unknown inspect kind {kind!r} (one of {', '.join(INSPECT_MODELS)})")
    if not isinstance(data, dict):
        raise DecodeError(f"expected an object, got {type(data).__name__}")
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DecodeError(f"schema_version must be a positive integer, got {version!r}")
    if version > SCHEMA_VERSION:
        raise DecodeError(
            f"schema_version {version} is newer than this kdocs reads ({SCHEMA_VERSION})"
        )
    return decode(cls, data)


def inspect_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``kdocs inspect KIND --format json``."""
    cls = INSPECT_MODELS[kind]
    defs: dict[str, Any] = {}
    root = _object_schema(cls, defs)
    root["properties"] = {
        "schema_version": {
            "description": "schema_version is the version of this contract (see ARCHITECTURE.md).",
            "const": SCHEMA_VERSION,
        },
        **root["properties"],
    }
    root["required"] = ["schema_version", *root["required"]]
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"https://kdocs.dev/reference/inspect/{kind}.schema.json",
        "title": f"kdocs inspect {kind}",
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def schema_files() -> dict[str, str]:
    """``{file name: text}`` of every inspect schema, as committed under
    ``site/reference/inspect/``."""
    return {
        f"{kind}.schema.json": json.dumps(inspect_schema(kind), indent=2, ensure_ascii=False) + "\n"
        for kind in INSPECT_MODELS
    }


def _object_schema(cls: type[Any], defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    docs = _field_docs(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in dataclasses.fields(cls):
        key = field.metadata.get("json_key", field.name)
        prop = dict(_hint_schema(hints[field.name], defs))
        if field.name in docs:
            prop = {"description": docs[field.name], **prop}
        if is_position(field):
            prop["x-kdocs-position"] = True
        properties[key] = prop
        required.append(key)  # to_data writes every field, default or not
    out: dict[str, Any] = {"type": "object"}
    doc = inspect.cleandoc(cls.__doc__ or "")
    if doc:
        out["description"] = " ".join(doc.split("\n\n")[0].split())
    # Extra keys may be added by later versions: consumers must ignore what they do not know.
    out.update(properties=properties, required=required, additionalProperties=True)
    return out


def _hint_schema(hint: Any, defs: dict[str, Any]) -> dict[str, Any]:
    if hint is Any:
        return {}  # any JSON value
    if hint is None or hint is type(None):
        return {"type": "null"}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        name = hint.__name__
        if name not in defs:
            defs[name] = {}  # placeholder first: recursive models (subcommands) refer back
            defs[name] = _object_schema(hint, defs)
        return {"$ref": f"#/$defs/{name}"}
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return {"enum": [m.value for m in hint]}
    scalar = _SCALARS.get(hint)
    if scalar is not None:
        return {"type": scalar}
    if isinstance(hint, type) and issubclass(hint, PurePath):
        return {"type": "string"}
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        parts = [_hint_schema(a, defs) for a in args]
        if all(set(p) == {"type"} for p in parts):
            kinds = [p["type"] for p in parts]
            return {"type": kinds[0] if len(kinds) == 1 else kinds}
        return {"anyOf": parts}
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": _hint_schema(args[0], defs)}
        items = [_hint_schema(a, defs) for a in args]
        return {
            "type": "array",
            "prefixItems": items,
            "items": False,
            "minItems": len(items),
        }
    if origin is list:
        return {"type": "array", "items": _hint_schema(args[0], defs) if args else {}}
    if origin is dict:
        value = _hint_schema(args[1], defs) if len(args) == 2 else {}
        return {"type": "object", "additionalProperties": value}
    raise TypeError(f"no JSON Schema for type hint {hint!r}")


_SCALARS: dict[Any, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}


def _field_docs(cls: type[Any]) -> dict[str, str]:
    """``{field: attribute docstring}`` of a dataclass, read from its source (whitespace
    folded into one paragraph per blank-line-separated block)."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    tree = ast.parse(source)
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for stmt, after in itertools.pairwise(body):
        if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
            continue
        if not (isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)):
            continue
        if isinstance(after.value.value, str):
            paragraphs = inspect.cleandoc(after.value.value).split("\n\n")
            docs[stmt.target.id] = "\n\n".join(" ".join(p.split()) for p in paragraphs)
    return docs
