"""Commented YAML examples, one per type, built from the generated JSON Schema.

Working from the schema (not the model) means each example validates against the schema
written next to it: every value is the field's default, its ``examples=``, the first enum
value or a placeholder that satisfies the schema's constraints. The field's description is a
``#`` comment above it, required fields come first and say so, enums list their values, and
nested types are expanded with bounded recursion (a recursive type stops at an empty list,
``null`` or its required fields only).

The YAML is written by hand, not by a YAML library, to place comments; every scalar is
written as JSON (valid YAML) and comment text has YAML's line breaks and non-printable
characters escaped, so hostile docstrings cannot break the document.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from kdocs.gen.jsonschema import Note, SchemaBuilder, type_key
from kdocs.models.types import TypesModel

MAX_DEPTH = 3
"""Nested types are expanded this deep; below it only what validation needs is written."""
HARD_DEPTH = 8

FORMATS = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "12:00:00",
    "duration": "P1D",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "uuid1": "00000000-0000-1000-8000-000000000000",
    "uuid3": "00000000-0000-3000-8000-000000000000",
    "uuid4": "00000000-0000-4000-8000-000000000000",
    "uuid5": "00000000-0000-5000-8000-000000000000",
    "email": "user@example.com",
    "name-email": "User <user@example.com>",
    "uri": "https://example.com/",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "ipvanyaddress": "192.0.2.1",
    "ipv4network": "192.0.2.0/24",
    "ipv6network": "2001:db8::/32",
    "ipvanynetwork": "192.0.2.0/24",
    "ipv4interface": "192.0.2.1/24",
    "ipv6interface": "2001:db8::1/32",
    "ipvanyinterface": "192.0.2.1/24",
    "path": "path/to/file",
    "file-path": "path/to/file",
    "directory-path": "path/to/dir",
    "password": "secret",
    "binary": "",
    "regex": ".*",
}
_PATTERN_TRIES = ("string", "a", "A", "0", "abc", "ABC", "a1", "example", "x-y", "1.0.0")


@dataclass
class Node:
    """A value to write: a scalar, a mapping (entries) or a sequence (items)."""

    value: Any = None
    entries: list[tuple[str, Node, list[str]]] | None = None
    items: list[Node] | None = None
    notes: list[str] = field(default_factory=list)


class _Builder:
    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs

    def resolve(self, schema: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref[len("#/$defs/") :]
            target = dict(self.defs.get(name, {}))
            # Siblings of $ref (default, description) win over the target's.
            target.update({k: v for k, v in schema.items() if k != "$ref"})
            return target, name
        if "allOf" in schema and len(schema["allOf"]) == 1:
            inner, inner_name = self.resolve(schema["allOf"][0])
            return {**inner, **{k: v for k, v in schema.items() if k != "allOf"}}, inner_name
        return schema, None

    def value(self, schema: dict[str, Any], depth: int, seen: tuple[str, ...]) -> Node:
        schema, name = self.resolve(schema)
        if name is not None:
            seen = (*seen, name)
        recursive = name is not None and seen.count(name) > 1
        deep = depth >= MAX_DEPTH or recursive
        if "default" in schema:
            return Node(schema["default"])
        examples = schema.get("examples")
        if isinstance(examples, list) and examples:
            return Node(examples[0])
        if "example" in schema:
            return Node(schema["example"])
        if "const" in schema:
            return Node(schema["const"])
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return Node(schema["enum"][0])
        for key in ("anyOf", "oneOf"):
            options = schema.get(key)
            if isinstance(options, list) and options:
                nulls = [o for o in options if o == {"type": "null"}]
                others = [o for o in options if o != {"type": "null"}]
                if nulls and (deep or not others):
                    return Node(None)
                return self.value(others[0], depth, seen)
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            return self._object(schema, depth, seen, deep)
        if kind == "array":
            return self._array(schema, depth, seen, deep)
        if kind == "string":
            return Node(_string(schema))
        if kind in ("integer", "number"):
            return Node(_number(schema, integer=kind == "integer"))
        if kind == "boolean":
            return Node(False)
        return Node(None)

    def _object(
        self, schema: dict[str, Any], depth: int, seen: tuple[str, ...], deep: bool
    ) -> Node:
        properties = schema.get("properties")
        if not isinstance(properties, dict):
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and not deep and depth < HARD_DEPTH:
                child = self.value(extra, depth + 1, seen)
                return Node(entries=[("key", child, [])])
            return Node(entries=[])
        required = [r for r in schema.get("required", ()) if r in properties]
        order = required + [p for p in properties if p not in required]
        entries: list[tuple[str, Node, list[str]]] = []
        for prop in order:
            is_required = prop in required
            if deep and not is_required:
                continue
            if depth >= HARD_DEPTH:
                entries.append((prop, Node(None), []))
                continue
            sub = properties[prop]
            child = self.value(sub, depth + 1, seen)
            entries.append((prop, child, self._comments(sub, is_required)))
        return Node(entries=entries)

    def _array(self, schema: dict[str, Any], depth: int, seen: tuple[str, ...], deep: bool) -> Node:
        prefix = schema.get("prefixItems")
        if isinstance(prefix, list):
            return Node(items=[self.value(s, depth + 1, seen) for s in prefix])
        minimum = int(schema.get("minItems", 0))
        maximum = schema.get("maxItems")
        count = minimum if deep else max(minimum, 1)
        if isinstance(maximum, int):
            count = min(count, maximum)
        items = schema.get("items")
        if not isinstance(items, dict) or depth >= HARD_DEPTH:
            return Node(items=[Node(None) for _ in range(count)])
        if count == 0:
            return Node(items=[])
        if schema.get("uniqueItems") and count > 1:
            return Node(items=[Node(v) for v in _distinct(items, count)])
        child = self.value(items, depth + 1, seen)
        return Node(items=[child for _ in range(count)])

    def _comments(self, schema: dict[str, Any], required: bool) -> list[str]:
        target, _ = self.resolve(schema)
        lines: list[str] = []
        description = schema.get("description")
        if isinstance(description, str):
            lines.extend(description.split("\n"))
        if required:
            lines = [f"Required. {lines[0]}" if lines else "Required.", *lines[1:]]
        values = target.get("enum")
        if isinstance(values, list) and len(values) > 1:
            lines.append("One of: " + ", ".join(json.dumps(v, ensure_ascii=False) for v in values))
        unresolved = schema.get("x-kdocs-unresolved") or target.get("x-kdocs-unresolved")
        if isinstance(unresolved, str):
            lines.append(f"kdocs could not resolve the type: {unresolved}")
        return lines


def _distinct(items: dict[str, Any], count: int) -> list[Any]:
    kind = items.get("type")
    if kind in ("integer", "number"):
        start = _number(items, integer=kind == "integer")
        return [start + i for i in range(count)]
    if kind == "string":
        return [f"{_string(items)}{i}" if i else _string(items) for i in range(count)]
    return [None] * count


def _string(schema: dict[str, Any]) -> str:
    text = FORMATS.get(str(schema.get("format")), "string")
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        try:
            compiled = re.compile(pattern)
        except re.error:
            compiled = None
        if compiled is not None and not compiled.search(text):
            text = next((t for t in _PATTERN_TRIES if compiled.search(t)), text)
    minimum = schema.get("minLength")
    maximum = schema.get("maxLength")
    if isinstance(minimum, int) and len(text) < minimum:
        text = (text * (minimum // max(len(text), 1) + 1))[:minimum] if text else "x" * minimum
    if isinstance(maximum, int) and len(text) > maximum:
        text = text[:maximum]
    return text


def _number(schema: dict[str, Any], *, integer: bool) -> Any:
    low = schema.get("minimum")
    xlow = schema.get("exclusiveMinimum")
    high = schema.get("maximum")
    xhigh = schema.get("exclusiveMaximum")
    value: float = 0
    if isinstance(low, int | float):
        value = low
    if isinstance(xlow, int | float) and not isinstance(xlow, bool) and value <= xlow:
        value = xlow + 1
    if isinstance(high, int | float) and value > high:
        value = high
    if isinstance(xhigh, int | float) and not isinstance(xhigh, bool) and value >= xhigh:
        value = xhigh - 1
        if isinstance(xlow, int | float) and value <= xlow:
            value = (xlow + xhigh) / 2
    step = schema.get("multipleOf")
    if isinstance(step, int | float) and step > 0:
        value = math.ceil(value / step) * step
    if integer:
        return math.ceil(value) if not float(value).is_integer() else int(value)
    return float(value)


# -- YAML text ----------------------------------------------------------------------------

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_YAML_WORDS = frozenset(
    {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf", "~"}
)
_NON_PRINTABLE = re.compile(
    "[^\x09\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


def comment_text(text: str) -> str:
    """Text safe inside a YAML ``#`` comment: YAML line breaks (``\\x85``, U+2028/9) and
    characters YAML forbids are written as ``\\uXXXX``; everything else is kept as is."""
    return _NON_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def scalar(value: Any) -> str:
    """A scalar (or a small default list/dict) as YAML: JSON, which YAML reads unchanged."""
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    return json.dumps(value, ensure_ascii=True, sort_keys=True)


def key_text(key: str) -> str:
    if _PLAIN_KEY.match(key) and key.lower() not in _YAML_WORDS:
        return key
    return json.dumps(key, ensure_ascii=True)


def _comment_lines(comments: list[str], pad: str) -> list[str]:
    out = []
    for line in comments:
        for part in re.split(r"\r\n|\r|\n", line):
            out.append(f"{pad}# {comment_text(part)}".rstrip())
    return out


def emit(node: Node, indent: int = 0) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if node.entries is not None:
        for key, child, comments in node.entries:
            lines.extend(_comment_lines(comments, pad))
            head = f"{pad}{key_text(key)}:"
            if _inline(child):
                lines.append(f"{head} {_inline_text(child)}")
            else:
                lines.append(head)
                lines.extend(emit(child, indent + 2))
        return lines
    if node.items is not None:
        for item in node.items:
            if _inline(item):
                lines.append(f"{pad}- {_inline_text(item)}")
            else:
                lines.append(f"{pad}-")
                lines.extend(emit(item, indent + 2))
        return lines
    return [f"{pad}{scalar(node.value)}"]


def _inline(node: Node) -> bool:
    return (node.entries is None and node.items is None) or not (node.entries or node.items)


def _inline_text(node: Node) -> str:
    if node.entries is not None:
        return "{}"
    if node.items is not None:
        return "[]"
    return scalar(node.value)


def example_text(document: dict[str, Any], title: str) -> str:
    """The commented YAML example of one JSON Schema document."""
    builder = _Builder(document.get("$defs", {}))
    node = builder.value(document, 0, ())
    header = [f"Example {title}"]
    description = document.get("description")
    if isinstance(description, str):
        header.extend(["", *description.split("\n")])
    lines = _comment_lines(header, "")
    if _inline(node):
        lines.append(_inline_text(node))
    else:
        lines.extend(emit(node))
    return "\n".join(lines) + "\n"


def example_path(module: str, name: str) -> str:
    return f"{module}.{name}.yaml"


def example_files(model: TypesModel) -> tuple[dict[str, str], list[Note]]:
    """``{relative path: YAML text}``: one example per type (enums excluded), and notes."""
    documents, notes = schema_documents(model)
    files: dict[str, str] = {}
    for t in model.types:
        if t.kind == "enum":
            continue
        files[example_path(t.module, t.name)] = example_text(
            documents[type_key(t)], f"{t.module}.{t.name}"
        )
    return files, notes


def schema_documents(model: TypesModel) -> tuple[dict[str, dict[str, Any]], list[Note]]:
    """Each type's schema with every type's schema as ``$defs`` (one shared table: an
    example only reads the definitions its references reach)."""
    builder = SchemaBuilder(model, "jsonschema")
    keys = [type_key(t) for t in (*model.types, *model.external)]
    defs = {builder.name(key): builder.cached_schema(key)[0] for key in keys}
    documents = {
        type_key(t): {**defs[builder.name(type_key(t))], "$defs": defs} for t in model.types
    }
    notes = sorted(set(builder.notes), key=lambda n: (n.type, n.field or "", n.message))
    return documents, notes
