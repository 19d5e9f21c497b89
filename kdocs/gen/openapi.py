"""OpenAPI 3.1 (``components.schemas``) and Swagger 2.0 (``definitions``) documents of the
project's API types, the Python counterpart of Kubernetes' genswaggertypedocs.

Pure: the types model in, ``{relative path: text}`` out (plus the unresolved notes the run
reports). The document has no paths: it is the type reference other tools merge into their
API description, or render.
"""

from __future__ import annotations

from typing import Any

from kdocs.gen.jsonschema import Note, SchemaBuilder, dumps, type_key
from kdocs.models.types import TypesModel

OPENAPI_FILE = "openapi.json"
SWAGGER_FILE = "swagger.json"


def openapi_document(
    model: TypesModel, title: str, version: str, *, swagger2: bool = False
) -> tuple[dict[str, Any], list[Note]]:
    """The OpenAPI (or, with ``swagger2``, Swagger 2.0) document and its notes."""
    builder = SchemaBuilder(model, "swagger2" if swagger2 else "openapi")
    schemas: dict[str, Any] = {}
    for t in (*model.types, *model.external):
        schema, _ = builder.cached_schema(type_key(t))
        schemas[builder.name(type_key(t))] = schema
    info = {"title": title or "API types", "version": version or "0"}
    document: dict[str, Any]
    if swagger2:
        document = {"swagger": "2.0", "info": info, "paths": {}, "definitions": schemas}
    else:
        document = {
            "openapi": "3.1.0",
            "info": info,
            "paths": {},
            "components": {"schemas": schemas},
        }
    notes = sorted(set(builder.notes), key=lambda n: (n.type, n.field or "", n.message))
    return document, notes


def openapi_files(
    model: TypesModel, title: str, version: str, *, swagger2: bool = False
) -> tuple[dict[str, str], list[Note]]:
    """``{"openapi.json": text}`` (``{"swagger.json": text}`` with ``swagger2``) and notes."""
    document, notes = openapi_document(model, title, version, swagger2=swagger2)
    return {SWAGGER_FILE if swagger2 else OPENAPI_FILE: dumps(document)}, notes
