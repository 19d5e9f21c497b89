"""Structured type expressions: an annotation as a small JSON tree, names resolved per file.

The per-file pass (:func:`build`) turns annotation syntax into compact plain data that the
extraction cache stores; the link step (:func:`link`) resolves the names left open (star
imports, names of other modules' classes) and builds :class:`kdocs.models.types.TypeExpr`.

Per-file form (short keys keep the cached facts small)::

    {"n": "typing.List", "a": [...]}     a name, with generic arguments
    {"u": [...]}                          a union (``X | Y``, ``Union``, ``Optional``)
    {"l": [values]}                       ``Literal[...]``
    {"x": "source text"}                  something that is not a type kdocs can read
    any node may carry "c": {constraint: value} from ``Annotated`` metadata or ``conint()``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from kdocs.extract.astnames import dotted_name as _dotted
from kdocs.extract.types.annotations import BUILTIN_GENERICS
from kdocs.extract.types.source import literal, source_text
from kdocs.models.types import TypeExpr

MAX_DEPTH = 30

WRAPPERS = frozenset(
    {"ClassVar", "Final", "Required", "NotRequired", "ReadOnly", "InitVar", "Annotated"}
)
TYPING_PREFIXES = ("typing.", "typing_extensions.", "collections.abc.", "?")

CONSTRAINT_KEYS = frozenset(
    {
        "ge",
        "gt",
        "le",
        "lt",
        "multiple_of",
        "min_length",
        "max_length",
        "pattern",
        "regex",
        "min_items",
        "max_items",
        "unique_items",
        "max_digits",
        "decimal_places",
        "strict",
        "allow_inf_nan",
        "title",
        "examples",
        "example",
        "deprecated",
        "discriminator",
        "description",
        "json_schema_extra",
        "alias",
        "validation_alias",
        "serialization_alias",
        "frozen",
    }
)
"""Keywords of ``Field()``/``StringConstraints()``/``conint()``... kept as constraints."""

ANNOTATED_TYPES = {
    "Gt": "gt",
    "Ge": "ge",
    "Lt": "lt",
    "Le": "le",
    "MultipleOf": "multiple_of",
    "MinLen": "min_length",
    "MaxLen": "max_length",
}

TRANSPARENT = frozenset({"SerializeAsAny", "InstanceOf"})
"""pydantic wrappers that do not change the JSON Schema of what they wrap."""

CONSTRAINED = {
    "conint": "int",
    "confloat": "float",
    "constr": "str",
    "conbytes": "bytes",
    "condecimal": "decimal.Decimal",
    "condate": "datetime.date",
    "conlist": "list",
    "conset": "set",
    "confrozenset": "frozenset",
}


class Resolver(Protocol):
    def resolve(self, name: str | None) -> str | None: ...


def _forward(node: ast.expr) -> ast.expr:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return ast.parse(node.value.strip(), mode="eval").body
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            return node
    return node


def _typing(resolved: str | None) -> str | None:
    """The bare typing name (``Optional``) of a resolved ``typing.Optional``/``?Optional``."""
    if not resolved:
        return None
    for prefix in TYPING_PREFIXES:
        if resolved.startswith(prefix):
            rest = resolved[len(prefix) :]
            if "." not in rest:
                return rest
    return None


def build(node: ast.expr | None, resolver: Resolver, depth: int = 0) -> dict[str, Any] | None:
    """The per-file tree of an annotation (``None`` for no annotation)."""
    if node is None:
        return None
    if depth > MAX_DEPTH:
        return {"x": "..."}
    node = _forward(node)
    if isinstance(node, ast.Constant):
        if node.value is None:
            return {"n": "None"}
        if node.value is Ellipsis:
            return {"n": "..."}
        return {"x": source_text(node)}
    if isinstance(node, ast.Name | ast.Attribute):
        name = resolver.resolve(_dotted(node)) or "?"
        if _typing(name) in WRAPPERS:
            return {"n": "typing.Any"}  # a bare ClassVar/Final: the type is inferred
        return {"n": name}
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        members: list[dict[str, Any]] = []
        for side in (node.left, node.right):
            built = build(side, resolver, depth + 1)
            if built is not None:
                members.extend(built["u"] if set(built) == {"u"} else [built])
        return {"u": members}
    if isinstance(node, ast.Subscript):
        return _subscript(node, resolver, depth)
    if isinstance(node, ast.Call):
        return _call(node, resolver, depth)
    if isinstance(node, ast.List):  # Callable[[int], str]'s parameter list
        return {"n": "list", "a": [build(e, resolver, depth + 1) for e in node.elts]}
    return {"x": source_text(node)}


def _items(node: ast.expr) -> list[ast.expr]:
    return list(node.elts) if isinstance(node, ast.Tuple) else [node]


def _subscript(node: ast.Subscript, resolver: Resolver, depth: int) -> dict[str, Any]:
    name = resolver.resolve(_dotted(node.value)) or "?"
    bare = _typing(name)
    items = _items(node.slice)
    if bare in WRAPPERS and items:
        inner = build(items[0], resolver, depth + 1) or {"x": "?"}
        if bare == "Annotated":
            constraints: dict[str, Any] = dict(inner.get("c", {}))
            for meta in items[1:]:
                constraints.update(_metadata(meta, resolver))
            if constraints:
                inner = {**inner, "c": constraints}
        return inner
    if bare == "Optional" and items:
        inner = build(items[0], resolver, depth + 1) or {"x": "?"}
        members = inner["u"] if set(inner) == {"u"} else [inner]
        return {"u": [*members, {"n": "None"}]}
    if bare == "Union":
        out: list[dict[str, Any]] = []
        for item in items:
            built = build(item, resolver, depth + 1) or {"x": "?"}
            out.extend(built["u"] if set(built) == {"u"} else [built])
        return {"u": out}
    if name.rsplit(".", 1)[-1] in TRANSPARENT and items:
        return build(items[0], resolver, depth + 1) or {"x": "?"}
    if name.rsplit(".", 1)[-1] == "SkipJsonSchema" and items:
        inner = build(items[0], resolver, depth + 1) or {"x": "?"}
        return {**inner, "c": {**inner.get("c", {}), "skip_json_schema": True}}
    if bare == "Literal":
        values: list[Any] = []
        enum_members: dict[str, str] = {}
        for index, item in enumerate(items):
            item = _forward(item) if not isinstance(item, ast.Constant) else item
            ok, value = literal(item)
            if not ok:
                member = _dotted(item) if isinstance(item, ast.Attribute) else None
                resolved = resolver.resolve(member) if member else None
                if not resolved:
                    return {"x": source_text(node)}
                enum_members[str(index)] = resolved  # Literal[Color.RED]: the member's value
                value = None
            values.append(value)
        return {"l": values, "m": enum_members} if enum_members else {"l": values}
    args = [build(i, resolver, depth + 1) or {"x": "?"} for i in items]
    return {"n": name, "a": args}


def _keywords(call: ast.Call) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kw in call.keywords:
        if kw.arg in CONSTRAINT_KEYS:
            ok, value = literal(kw.value)
            if ok:
                out[kw.arg] = value
            elif kw.arg in ("description", "title", "examples", "json_schema_extra"):
                continue  # dynamic text: not a constraint kdocs can state
            else:
                out.setdefault("_dynamic", []).append(kw.arg)
    return out


def _metadata(meta: ast.expr, resolver: Resolver) -> dict[str, Any]:
    """Constraints from one ``Annotated`` metadata item."""
    if not isinstance(meta, ast.Call):
        return {}
    name = resolver.resolve(_dotted(meta.func)) or ""
    last = name.rsplit(".", 1)[-1]
    if last in ANNOTATED_TYPES and meta.args:
        ok, value = literal(meta.args[0])
        return {ANNOTATED_TYPES[last]: value} if ok else {"_dynamic": [last]}
    if last == "Len":
        out: dict[str, Any] = {}
        for key, arg in zip(("min_length", "max_length"), meta.args, strict=False):
            ok, value = literal(arg)
            if ok:
                out[key] = value
        out.update(_keywords(meta))
        return out
    if last == "Interval":
        return _keywords_any(meta, ("gt", "ge", "lt", "le"))
    if last == "WithJsonSchema" and meta.args:
        ok, value = literal(meta.args[0])
        return {"json_schema": value} if ok else {"_dynamic": ["WithJsonSchema"]}
    if last in ("Field", "StringConstraints", "Strict", "Discriminator"):
        out = _keywords(meta)
        if last == "Discriminator" and meta.args:
            ok, value = literal(meta.args[0])
            if ok:
                out["discriminator"] = value
        if last == "Strict":
            out["strict"] = True
        return out
    return {}


def _keywords_any(call: ast.Call, keys: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kw in call.keywords:
        if kw.arg in keys:
            ok, value = literal(kw.value)
            if ok:
                out[kw.arg] = value
    return out


def _call(node: ast.Call, resolver: Resolver, depth: int) -> dict[str, Any]:
    """``conint(ge=1)``, ``constr(max_length=5)``, ``conlist(int, min_length=1)``."""
    name = resolver.resolve(_dotted(node.func)) or ""
    last = name.rsplit(".", 1)[-1]
    if last in CONSTRAINED:
        base = CONSTRAINED[last]
        constraints = _keywords(node)
        if base in ("list", "set", "frozenset"):
            item_node = node.args[0] if node.args else None
            if item_node is None:
                for kw in node.keywords:
                    if kw.arg == "item_type":
                        item_node = kw.value
            item = build(item_node, resolver, depth + 1) if item_node is not None else None
            out: dict[str, Any] = {"n": base, "a": [item or {"n": "typing.Any"}]}
        else:
            out = {"n": base}
        if constraints:
            out["c"] = constraints
        return out
    return {"x": source_text(node)}


# -- link ---------------------------------------------------------------------------------

BUILTINS = frozenset(
    {
        "int",
        "str",
        "float",
        "bool",
        "bytes",
        "bytearray",
        "complex",
        "list",
        "dict",
        "set",
        "frozenset",
        "tuple",
        "type",
        "object",
        "None",
        "...",
        "memoryview",
    }
)
TYPING_CANONICAL = {**BUILTIN_GENERICS, "AbstractSet": "typing.AbstractSet"}

LookupName = Callable[[str], "tuple[str, str | None, bool]"]
"""``name -> (canonical dotted name, module:qualname or None, resolved)``."""


class Scope(Protocol):
    """How names of one module's trees are looked up, and type aliases expanded."""

    def lookup(self, raw: str) -> tuple[str, str | None, bool]: ...

    def expand(self, raw: str) -> tuple[dict[str, Any], Scope] | None: ...

    def member(self, raw: str) -> tuple[bool, Any]: ...


def link(
    data: dict[str, Any] | None,
    scope: Scope,
    depth: int = 0,
    expanding: frozenset[str] = frozenset(),
    subst: Mapping[str, TypeExpr] | None = None,
) -> TypeExpr | None:
    """The model's :class:`TypeExpr` from the per-file tree: class names looked up, type
    aliases (``Paths = dict[str, PathItem]``, generic ones with their arguments substituted)
    expanded where they are used."""
    if not isinstance(data, dict) or depth > MAX_DEPTH:
        return None
    constraints = data.get("c") or {}

    def sub(d: Any) -> TypeExpr | None:
        return link(d, scope, depth + 1, expanding, subst)

    if "u" in data:
        members: list[TypeExpr] = []
        for d in data["u"]:
            member = sub(d)
            if member is None:
                continue
            if member.kind == "union" and not member.constraints:
                members.extend(member.args)  # an alias of a union, used in a union: flat
            else:
                members.append(member)
        return TypeExpr(kind="union", args=tuple(members), constraints=constraints)
    if "l" in data:
        values = list(data["l"])
        for index, raw in (data.get("m") or {}).items():
            ok, value = scope.member(str(raw))
            if not ok:
                return TypeExpr(
                    kind="unknown",
                    text=f"Literal[{str(raw).lstrip('?')}] (an enum member kdocs cannot read)",
                    constraints=constraints,
                )
            values[int(index)] = value
        return TypeExpr(kind="literal", values=tuple(values), constraints=constraints)
    if "n" in data:
        raw = str(data["n"])
        if subst and raw in subst and not data.get("a"):
            return _with_constraints(subst[raw], constraints)
        args = tuple(a for a in (sub(d) for d in data.get("a", ())) if a)
        name, ref, resolved = canonical(raw, scope.lookup)
        if not resolved and ref is None:
            found = scope.expand(raw)
            if found is not None and raw in expanding:
                return TypeExpr(kind="unknown", text=f"{raw.lstrip('?')} (recursive type alias)")
            if found is not None:
                tree, alias_scope = found
                params = [str(p) for p in tree.get("p", ())]
                if not args or len(params) == len(args):
                    inner = link(
                        tree,
                        alias_scope,
                        depth + 1,
                        expanding | {raw},
                        dict(zip(params, args, strict=True)) if args else None,
                    )
                    if inner is not None:
                        return _with_constraints(inner, constraints)
        return TypeExpr(
            kind="name",
            name=name,
            ref=ref,
            args=args,
            constraints=constraints,
            text=None if resolved else raw.lstrip("?"),
            resolved=resolved,
        )
    return TypeExpr(kind="unknown", text=str(data.get("x", "?")), constraints=constraints)


def _with_constraints(expr: TypeExpr, constraints: dict[str, Any]) -> TypeExpr:
    if not constraints:
        return expr
    return TypeExpr(
        kind=expr.kind,
        name=expr.name,
        ref=expr.ref,
        args=expr.args,
        values=expr.values,
        constraints={**expr.constraints, **constraints},
        text=expr.text,
        resolved=expr.resolved,
    )


def canonical(raw: str, lookup: LookupName) -> tuple[str, str | None, bool]:
    """Builtins and typing names folded (``typing.List`` -> ``list``), others looked up."""
    bare = raw[1:] if raw.startswith("?") else raw
    if bare in BUILTINS or raw.startswith("builtins."):
        return bare.removeprefix("builtins."), None, True
    typing_name = _typing(raw) if not raw.startswith("?") else None
    if typing_name is not None:
        return TYPING_CANONICAL.get(typing_name, f"typing.{typing_name}"), None, True
    return lookup(raw)
