"""Per-file facts: every class with its bases, decorators, fields and config, as plain data.

Only module-level statements (and ``if``/``try`` blocks at that level) and class bodies are
visited, so the work is small next to parsing. Names are resolved through the file's own
imports here; following them into other modules is the link step's job.
"""

from __future__ import annotations

import ast
import re
import textwrap
from typing import Any

from kdocs.extract.relimport import resolve_relative, unresolvable
from kdocs.extract.types.annotations import analyse
from kdocs.extract.types.docs import clean, comment_doc, section_docs
from kdocs.extract.types.source import LINES as _LINES
from kdocs.extract.types.source import compact, dotted, literal, split_lines
from kdocs.extract.types.source import source_text as _source
from kdocs.extract.types.texpr import build as _texpr

FIELD_FUNCTIONS = frozenset({"Field", "field", "ib", "attrib", "PrivateAttr", "attr"})
CONFIG_KEYS = frozenset(
    {
        "alias_generator",
        "populate_by_name",
        "validate_by_name",
        "use_attribute_docstrings",
        "extra",
        "allow_population_by_field_name",
        "env_prefix",
        "env_nested_delimiter",
        "case_sensitive",
    }
)


class _Resolver:
    """Resolves a name used in this file to a dotted path through the file's imports."""

    def __init__(self, module: str, is_package: bool) -> None:
        self.module = module
        self.is_package = is_package
        self.imports: dict[str, str] = {}
        self.stars: list[str] = []
        self.local: set[str] = set()

    def absolute(self, level: int, name: str | None) -> str:
        base = resolve_relative(self.module, self.is_package, level, name)
        return base if base is not None else unresolvable(level, name)

    def resolve(self, name: str | None) -> str | None:
        if not name:
            return None
        head, _, rest = name.partition(".")
        if head in self.imports:
            target = self.imports[head]
            return f"{target}.{rest}" if rest else target
        if head in self.local:
            return f"{self.module}.{name}"
        return f"?{name}"  # builtin, star import, or undefined


def _type_checking(test: ast.expr) -> int:
    """1 for ``if TYPE_CHECKING``, -1 for ``if not TYPE_CHECKING``, else 0."""
    negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
    node = test.operand if isinstance(test, ast.UnaryOp) else test
    if (dotted(node) or "").rsplit(".", 1)[-1] == "TYPE_CHECKING":
        return -1 if negated else 1
    return 0


def _module_statements(
    body: list[ast.stmt], conditional: bool = False
) -> list[tuple[ast.stmt, bool]]:
    out: list[tuple[ast.stmt, bool]] = []
    for stmt in body:
        if isinstance(stmt, ast.If):
            checking = _type_checking(stmt.test)
            for branch, static_only in ((stmt.body, checking == 1), (stmt.orelse, checking == -1)):
                found = _module_statements(branch, True)
                if static_only:  # classes that only type checkers see do not exist at runtime
                    found = [(s, c) for s, c in found if not isinstance(s, ast.ClassDef)]
                out.extend(found)
        elif isinstance(stmt, ast.Try | ast.TryStar):
            out.extend(_module_statements(stmt.body, True))
            for handler in stmt.handlers:
                out.extend(_module_statements(handler.body, True))
            out.extend(_module_statements(stmt.orelse, True))
            out.extend(_module_statements(stmt.finalbody, True))
        else:
            out.append((stmt, conditional))
    return out


def extract_file(
    tree: ast.Module, text: str, module: str, is_package: bool, relpath: str
) -> dict[str, Any]:
    """All type-relevant facts of one parsed file."""
    resolver = _Resolver(module, is_package)
    statements = _module_statements(tree.body)
    for stmt, conditional in statements:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                local = alias.asname or alias.name.partition(".")[0]
                target = alias.name if alias.asname else local
                _bind(resolver.imports, local, target, conditional)
        elif isinstance(stmt, ast.ImportFrom):
            base = resolver.absolute(stmt.level, stmt.module)
            for alias in stmt.names:
                if alias.name == "*":
                    resolver.stars.append(base)
                    continue
                _bind(
                    resolver.imports,
                    alias.asname or alias.name,
                    f"{base}.{alias.name}",
                    conditional,
                )
        elif isinstance(stmt, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            resolver.local.add(stmt.name)
        elif isinstance(stmt, ast.Assign | ast.AnnAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for node in targets:
                if isinstance(node, ast.Name):
                    resolver.local.add(node.id)
    lines = split_lines(text)
    _LINES.append(lines)
    try:
        return _extract(tree, resolver, statements, lines)
    finally:
        _LINES.pop()


def _extract(
    tree: ast.Module,
    resolver: _Resolver,
    statements: list[tuple[ast.stmt, bool]],
    lines: list[str],
) -> dict[str, Any]:
    aliases: dict[str, str] = {}
    type_aliases: dict[str, Any] = {}
    typevars: set[str] = set()
    classes: list[dict[str, Any]] = []
    unresolved: list[list[Any]] = []
    functions: dict[str, dict[str, Any]] = {}
    decorator_functions: dict[str, list[str]] = {}
    for stmt, _ in statements:
        if isinstance(stmt, ast.ClassDef):
            _class(stmt, stmt.name, resolver, lines, classes)
        elif isinstance(stmt, ast.FunctionDef):
            function, wrapped = _function_facts(stmt, resolver)
            if function:
                functions[stmt.name] = function
            if wrapped:
                decorator_functions[stmt.name] = wrapped
        elif _TYPE_ALIAS is not None and isinstance(stmt, _TYPE_ALIAS):
            if isinstance(stmt.name, ast.Name):  # `type Name[T] = ...` (3.12)
                alias_tree = _texpr(stmt.value, resolver)
                params = [getattr(p, "name", "") for p in getattr(stmt, "type_params", ())]
                if alias_tree is not None:
                    if params:
                        alias_tree["p"] = [f"?{p}" for p in params]
                    type_aliases[stmt.name.id] = alias_tree
        elif isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            value = stmt.value
            if names and _alias_like(stmt, value):
                alias_tree = _texpr(value, resolver)
                if alias_tree is not None:
                    type_aliases[names[0]] = alias_tree
            elif names and isinstance(value, ast.Call):
                func = (resolver.resolve(dotted(value.func)) or "").rsplit(".", 1)[-1]
                if func == "TypeVar":
                    typevars.add(f"{resolver.module}.{names[0]}")
                elif func == "TypeAliasType" and len(value.args) >= 2:
                    alias_tree = _texpr(value.args[1], resolver)
                    for kw in value.keywords:
                        if kw.arg == "type_params" and isinstance(kw.value, ast.Tuple):
                            params = [resolver.resolve(dotted(e)) for e in kw.value.elts]
                            if alias_tree is not None:
                                alias_tree["p"] = [p for p in params if p]
                    if alias_tree is not None:
                        type_aliases[names[0]] = alias_tree
            if isinstance(value, ast.Name | ast.Attribute) and names:
                target_name = resolver.resolve(dotted(value))
                if target_name:
                    for name in names:
                        aliases[name] = target_name
            elif isinstance(value, ast.Call) and names:
                _functional(stmt, names[0], value, resolver, classes, unresolved)
            elif isinstance(value, ast.Lambda) and names:
                text = _source(value)
                if len(text) <= MAX_FUNCTION_SOURCE:
                    for name in names:
                        functions[name] = {"source": text, "calls": _callees(text, resolver)}
    seen: set[str] = set()
    unique = []
    for cls in classes:  # one class per name: the first of alternative definitions
        if cls["qualname"] not in seen:
            seen.add(cls["qualname"])
            cls["fields"] = [compact(f) for f in cls["fields"]]
            cls["members"] = [compact(m) for m in cls["members"]]
            unique.append(compact(cls))
    classes = unique
    return {
        "module": resolver.module,
        "imports": resolver.imports,
        "stars": resolver.stars,
        "aliases": aliases,
        "type_aliases": _with_params(type_aliases, typevars),
        "functions": functions,
        "decorator_functions": decorator_functions,
        "classes": classes,
        "unresolved": unresolved,
    }


_TYPE_ALIAS = getattr(ast, "TypeAlias", None)


def _with_params(aliases: dict[str, Any], typevars: set[str]) -> dict[str, Any]:
    """Give a generic alias written with module-level TypeVars (``X = Union[T, None]``)
    its parameters, in order of first appearance, as ``typing`` does."""
    for tree in aliases.values():
        if "p" in tree or not typevars:
            continue
        found: list[str] = []
        stack = [tree]
        while stack:
            node = stack.pop(0)
            name = node.get("n")
            if isinstance(name, str) and name in typevars and name not in found:
                found.append(name)
            stack[:0] = [*node.get("u", ()), *node.get("a", ())]
        if found:
            tree["p"] = found
    return aliases


def _alias_like(stmt: ast.stmt, value: ast.expr) -> bool:
    """A module-level assignment that may be a type alias: ``X = list[int]``, ``X = A | B``,
    ``X: TypeAlias = "A"`` (names bound to plain names are ``aliases``)."""
    if isinstance(stmt, ast.AnnAssign):
        annotation = dotted(stmt.annotation) or ""
        if annotation.rsplit(".", 1)[-1] == "TypeAlias":
            return True
    if isinstance(value, ast.Subscript):
        return True
    return isinstance(value, ast.BinOp) and isinstance(value.op, ast.BitOr)


def _bind(table: dict[str, str], name: str, target: str, conditional: bool) -> None:
    if conditional:
        table.setdefault(name, target)
    else:
        table[name] = target


MAX_FUNCTION_SOURCE = 2000
TYPE_DECORATOR_NAMES = frozenset({"dataclass", "define", "frozen", "mutable", "s", "attrs"})


_CALLEE = re.compile(r"([A-Za-z_][\w.]*)\s*\(")


def _callees(text: str, resolver: _Resolver) -> dict[str, str]:
    """Names called in a function's text, resolved through the file's imports (a regex over
    the text: much cheaper than walking the function's tree, and only names matter here)."""
    out: dict[str, str] = {}
    for name in _CALLEE.findall(text):
        if name not in out:
            resolved = resolver.resolve(name)
            if resolved:
                out[name] = resolved
    return out


def _function_facts(
    stmt: ast.FunctionDef, resolver: _Resolver
) -> tuple[dict[str, Any] | None, list[str]]:
    """What a module-level function may be to a type: an alias generator (a small
    one-argument function, kept as source) or a decorator applying ``@dataclass``/attrs
    (``@dataclass_transform() def api_type(cls): return dataclass(cls)``)."""
    args = stmt.args
    end = stmt.end_lineno or stmt.lineno
    if not args.args or end - stmt.lineno > 40:
        return None, []  # generators and decorator wrappers are short
    lines = _LINES[-1] if _LINES else []
    text = "\n".join(lines[stmt.lineno - 1 : end])
    callees = _callees(text, resolver)
    wrapped = [
        resolved.lstrip("?")
        for name, resolved in callees.items()
        if name.rsplit(".", 1)[-1] in TYPE_DECORATOR_NAMES
    ]
    generator = None
    if (
        len(args.args) == 1
        and not args.vararg
        and not args.kwonlyargs
        and not stmt.decorator_list
        and len(text) <= MAX_FUNCTION_SOURCE
    ):
        generator = {"source": textwrap.dedent(text), "calls": callees}
    return generator, wrapped


def _functional(
    stmt: ast.stmt,
    name: str,
    call: ast.Call,
    resolver: _Resolver,
    classes: list[dict[str, Any]],
    unresolved: list[list[Any]],
) -> None:
    func = resolver.resolve(dotted(call.func)) or ""
    last = func.rsplit(".", 1)[-1]
    if last == "TypedDict" and len(call.args) >= 2 and isinstance(call.args[1], ast.Dict):
        total = True
        for kw in call.keywords:
            if kw.arg == "total" and isinstance(kw.value, ast.Constant):
                total = bool(kw.value.value)
        fields = []
        for key, value in zip(call.args[1].keys, call.args[1].values, strict=False):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                info = analyse(value)
                record = _field_record(key.value, key, key, info, None, None, None, None)
                record["texpr"] = _texpr(value, resolver)
                fields.append(record)
        classes.append(
            {
                "name": name,
                "qualname": name,
                "line": stmt.lineno,
                "col": stmt.col_offset + 1,
                "bases": ["typing.TypedDict"],
                "decorators": [],
                "keywords": {"total": total},
                "doc": None,
                "fields": fields,
                "members": [],
                "config": {},
                "computed": [],
                "root_type": None,
            }
        )
    elif (
        last == "NamedTuple"
        and len(call.args) >= 2
        and isinstance(call.args[1], ast.List | ast.Tuple)
    ):
        fields = []
        for item in call.args[1].elts:
            if (
                isinstance(item, ast.Tuple)
                and len(item.elts) == 2
                and isinstance(item.elts[0], ast.Constant)
                and isinstance(item.elts[0].value, str)
            ):
                info = analyse(item.elts[1])
                key = item.elts[0]
                record = _field_record(str(key.value), key, key, info, None, None, None, None)
                record["texpr"] = _texpr(item.elts[1], resolver)
                fields.append(record)
        classes.append(_functional_class(stmt, name, func, fields, []))
    elif last in ("Enum", "StrEnum", "IntEnum") and len(call.args) >= 2:
        members = _functional_members(call.args[1], last)
        if members is None:
            unresolved.append(
                [
                    f"`{name}` is built at runtime with {last}(...): members not extracted",
                    stmt.lineno,
                ]
            )
        else:
            classes.append(_functional_class(stmt, name, func, [], members))
    elif last in (
        "create_model",
        "make_dataclass",
        "NamedTuple",
        "namedtuple",
        "Enum",
        "StrEnum",
        "IntEnum",
    ):
        unresolved.append(
            [
                f"`{name}` is built at runtime with {last}(...): its fields are not extracted",
                stmt.lineno,
            ]
        )


def _functional_class(
    stmt: ast.stmt,
    name: str,
    func: str,
    fields: list[dict[str, Any]],
    members: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "name": name,
        "qualname": name,
        "line": stmt.lineno,
        "col": stmt.col_offset + 1,
        "bases": [func],
        "decorators": [],
        "keywords": {},
        "doc": None,
        "fields": fields,
        "members": members,
        "config": {},
        "computed": [],
        "root_type": None,
    }


def _functional_members(node: ast.expr, kind: str) -> list[dict[str, Any]] | None:
    """``Enum("Color", "RED GREEN")``, ``[...names]``, ``[(name, value)...]`` or a dict."""
    ok, spec = literal(node)
    if not ok:
        return None
    pairs: list[tuple[str, Any]] = []
    if isinstance(spec, str):
        names = spec.replace(",", " ").split()
        pairs = [(n, n.lower() if kind == "StrEnum" else i) for i, n in enumerate(names, 1)]
    elif isinstance(spec, dict):
        pairs = [(str(k), v) for k, v in spec.items()]
    elif isinstance(spec, list):
        for i, item in enumerate(spec, 1):
            if isinstance(item, str):
                pairs.append((item, item.lower() if kind == "StrEnum" else i))
            elif isinstance(item, list | tuple) and len(item) == 2:
                pairs.append((str(item[0]), item[1]))
            else:
                return None
    else:
        return None
    line, col = node.lineno, node.col_offset + 1
    return [
        {
            "name": member,
            "line": line,
            "col": col,
            "value": value,
            "literal": True,
            "is_call": False,
            "is_lambda": False,
            "call": None,
            "doc": None,
            "comment": None,
            "section_doc": None,
        }
        for member, value in pairs
    ]


def _class_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """Class-body statements, looking into ``if``/``try`` blocks (not ``if TYPE_CHECKING``)."""
    out: list[ast.stmt] = []
    for stmt in body:
        if isinstance(stmt, ast.If):
            checking = _type_checking(stmt.test)
            if checking != 1:
                out.extend(_class_statements(stmt.body))
            if checking != -1:
                out.extend(_class_statements(stmt.orelse))
        elif isinstance(stmt, ast.Try):
            out.extend(_class_statements(stmt.body))
            out.extend(_class_statements(stmt.orelse))
        else:
            out.append(stmt)
    return out


def _class(
    node: ast.ClassDef,
    qualname: str,
    resolver: _Resolver,
    lines: list[str],
    classes: list[dict[str, Any]],
) -> None:
    bases = [resolver.resolve(dotted(b)) or "?" for b in node.bases]
    root_type = None
    root_texpr = None
    for base in node.bases:
        if isinstance(base, ast.Subscript) and (dotted(base.value) or "").endswith("RootModel"):
            root_type = analyse(base.slice).text
            root_texpr = _texpr(base.slice, resolver)
    keywords: dict[str, Any] = {}
    for kw in node.keywords:
        if kw.arg is None:
            continue
        ok, value = literal(kw.value)
        keywords[kw.arg] = value if ok else {"expr": resolver.resolve(dotted(kw.value)) or value}
    decorators = []
    for dec in node.decorator_list:
        name = resolver.resolve(dotted(dec)) or "?"
        kwargs: dict[str, Any] = {}
        if isinstance(dec, ast.Call):
            for kw in dec.keywords:
                if kw.arg:
                    ok, value = literal(kw.value)
                    kwargs[kw.arg] = value if ok else {"expr": value}
        decorators.append({"name": name, "kwargs": kwargs})
    raw_doc = ast.get_docstring(node, clean=False)
    doc = clean(raw_doc)
    sections = section_docs(doc)
    body = _class_statements(node.body)
    fields: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    config: dict[str, Any] = {}
    computed: list[dict[str, Any]] = []
    for index, stmt in enumerate(body):
        following = body[index + 1] if index + 1 < len(body) else None
        attr_doc = _attribute_docstring(following)
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name = stmt.target.id
            info = analyse(stmt.annotation)
            if name == "model_config":
                config.update(_config_call(stmt.value, resolver))
                continue
            call = _field_call(stmt.value, resolver)
            meta_call = None
            for meta in info.metadata:
                meta_call = meta_call or _field_call(meta, resolver)
            record = _field_record(
                name,
                stmt.target,
                stmt,
                info,
                stmt.value,
                call,
                meta_call,
                attr_doc,
            )
            record["texpr"] = _texpr(stmt.annotation, resolver)
            record["comment"] = comment_doc(lines, stmt.lineno, stmt.end_lineno or stmt.lineno)
            record["section_doc"] = sections.get(name)
            fields.append(record)
        elif isinstance(stmt, ast.Assign):
            names = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
            if not names:
                continue
            name = names[0]
            if name == "model_config":
                config.update(_config_call(stmt.value, resolver))
                continue
            call = _field_call(stmt.value, resolver)
            ok, value = literal(stmt.value)
            members.append(
                {
                    "name": name,
                    "line": stmt.lineno,
                    "col": stmt.targets[0].col_offset + 1,
                    "value": value,
                    "literal": ok,
                    "is_call": isinstance(stmt.value, ast.Call),
                    "is_lambda": isinstance(stmt.value, ast.Lambda),
                    "call": call,
                    "doc": attr_doc,
                    "comment": comment_doc(lines, stmt.lineno, stmt.end_lineno or stmt.lineno),
                    "section_doc": sections.get(name),
                }
            )
        elif isinstance(stmt, ast.ClassDef):
            if stmt.name == "Config":
                config.update(_v1_config(stmt, resolver))
            else:
                _class(stmt, f"{qualname}.{stmt.name}", resolver, lines, classes)
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            for dec in stmt.decorator_list:
                dname = (resolver.resolve(dotted(dec)) or "").rsplit(".", 1)[-1]
                if dname == "computed_field":
                    alias = None
                    if isinstance(dec, ast.Call):
                        for kw in dec.keywords:
                            if kw.arg == "alias" and isinstance(kw.value, ast.Constant):
                                alias = kw.value.value
                    computed.append(
                        {
                            "name": stmt.name,
                            "line": stmt.lineno,
                            "col": stmt.col_offset + 1,
                            "alias": alias,
                            "type": analyse(stmt.returns).text if stmt.returns else None,
                            "texpr": _texpr(stmt.returns, resolver),
                            "doc": clean(ast.get_docstring(stmt, clean=False)),
                        }
                    )
    classes.append(
        {
            "name": node.name,
            "qualname": qualname,
            "line": node.lineno,
            "col": node.col_offset + 1,
            "bases": bases,
            "decorators": decorators,
            "keywords": keywords,
            "doc": doc,
            "fields": fields,
            "members": members,
            "config": config,
            "computed": computed,
            "root_type": root_type,
            "root_texpr": root_texpr,
        }
    )


def _attribute_docstring(stmt: ast.stmt | None) -> str | None:
    if (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    ):
        return clean(stmt.value.value)
    return None


def _field_call(value: ast.expr | None, resolver: _Resolver) -> dict[str, Any] | None:
    """The arguments of ``Field(...)``/``field(...)``/``attr.ib(...)`` as plain data."""
    if not isinstance(value, ast.Call):
        return None
    func = resolver.resolve(dotted(value.func)) or ""
    last = func.rsplit(".", 1)[-1]
    if last not in FIELD_FUNCTIONS:
        return None
    out: dict[str, Any] = {"func": func.lstrip("?")}
    if value.args:
        ok, default = literal(value.args[0])
        if isinstance(value.args[0], ast.Constant) and value.args[0].value is Ellipsis:
            out["required"] = True
        else:
            out["default"] = default
            out["default_literal"] = ok
    for kw in value.keywords:
        if kw.arg is None:
            out["dynamic"] = True
            continue
        if kw.arg in ("default_factory", "factory"):
            out["default_factory"] = _source(kw.value)
            continue
        if kw.arg == "default":
            if isinstance(kw.value, ast.Constant) and kw.value.value is Ellipsis:
                out["required"] = True
                continue
            ok, default = literal(kw.value)
            out["default"] = default
            out["default_literal"] = ok
            continue
        ok, val = literal(kw.value)
        if kw.arg in ("validation_alias",) and not ok:
            val = None
        if kw.arg == "description" and not ok:
            out["description_dynamic"] = True
            continue
        out[kw.arg] = val if ok else {"expr": resolver.resolve(dotted(kw.value)) or val}
    return out


def _field_record(
    name: str,
    target: ast.expr,
    stmt: ast.AST,
    info: Any,
    value: ast.expr | None,
    call: dict[str, Any] | None,
    meta_call: dict[str, Any] | None,
    attr_doc: str | None,
) -> dict[str, Any]:
    has_value = value is not None
    value_literal, value_repr = literal(value) if has_value else (False, None)
    return {
        "name": name,
        "line": getattr(target, "lineno", 1),
        "col": getattr(target, "col_offset", 0) + 1,
        "type": info.text,
        "flags": sorted(info.flags),
        "nullable": info.nullable,
        "container": info.container,
        "has_value": has_value,
        "value": value_repr,
        "value_literal": value_literal,
        "value_ellipsis": isinstance(value, ast.Constant) and value.value is Ellipsis,
        "call": call,
        "meta_call": meta_call,
        "doc": attr_doc,
        "comment": None,
        "section_doc": None,
    }


def _config_call(value: ast.expr | None, resolver: _Resolver) -> dict[str, Any]:
    """``ConfigDict(alias_generator=to_camel, ...)`` or a dict literal -> config data."""
    out: dict[str, Any] = {}
    if isinstance(value, ast.Call):
        items = [(kw.arg, kw.value) for kw in value.keywords if kw.arg]
    elif isinstance(value, ast.Dict):
        items = [
            (k.value, v)
            for k, v in zip(value.keys, value.values, strict=False)
            if isinstance(k, ast.Constant) and isinstance(k.value, str)
        ]
    else:
        return out
    for key, node in items:
        if key not in CONFIG_KEYS:
            continue
        out[key] = _config_value(key, node, resolver)
    return out


def _config_value(key: str, node: ast.expr, resolver: _Resolver) -> Any:
    if key == "alias_generator":
        return _generator(node, resolver)
    ok, value = literal(node)
    return value if ok else None


def _generator(node: ast.expr, resolver: _Resolver) -> dict[str, Any]:
    """An alias generator: a function reference, ``AliasGenerator(...)``, or a lambda."""
    if isinstance(node, ast.Constant) and node.value is None:
        return {"none": True}
    if isinstance(node, ast.Call):
        func = (resolver.resolve(dotted(node.func)) or "").rsplit(".", 1)[-1]
        if func == "AliasGenerator":
            out: dict[str, Any] = {"kind": "AliasGenerator"}
            args = dict(
                zip(("alias", "validation_alias", "serialization_alias"), node.args, strict=False)
            )
            args.update({kw.arg: kw.value for kw in node.keywords if kw.arg})
            for key in ("alias", "serialization_alias"):
                if key in args:
                    out[key] = resolver.resolve(dotted(args[key])) or _source(args[key])
            return out
    if isinstance(node, ast.Lambda):
        text = _source(node)
        return {"expr": text, "calls": _callees(text, resolver)}
    name = resolver.resolve(dotted(node))
    return {"ref": name} if name else {"expr": _source(node)}


def _v1_config(node: ast.ClassDef, resolver: _Resolver) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for stmt in node.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(stmt, ast.Assign):
            targets, value = list(stmt.targets), stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, value = [stmt.target], stmt.value
        for target in targets:
            if isinstance(target, ast.Name) and target.id in CONFIG_KEYS and value is not None:
                out[target.id] = _config_value(target.id, value, resolver)
    return out
