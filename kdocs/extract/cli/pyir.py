"""Python source -> a small JSON "IR" of the statements a CLI can be built from.

click and typer CLIs are built by ordinary Python: decorators, calls, imports, helper
functions that stack options. The per-file (cached) step turns a module into a compact JSON
form of its imports, definitions and call statements, keeping line/column positions; the
linker (:mod:`kdocs.extract.cli.interp`) evaluates that IR symbolically across modules. Keeping
the IR close to Python (rather than pre-digesting click semantics per file) lets shared option
modules, re-exports and factories in other files resolve at link time.

Expressions are lists whose first item is a tag:
``["c", value]`` constant, ``["n", id, line]`` name, ``["a", obj, attr, line]`` attribute,
``["call", func, args, kwargs, line, col]`` call (``args`` items may be ``["*", expr]``,
``kwargs`` items are ``[name or None, expr]``), ``["seq", kind, items]`` list/tuple/set,
``["dict", [[key or None, value], ...]]``, ``["sub", value, index]``, ``["bin", op, l, r]``,
``["fstr", parts, line]``, ``["lambda", params, body]``, ``["cmp", op, l, r]``,
``["not", expr]``, ``["bool", op, [exprs]]``, ``["ifx", test, body, orelse]`` and
``["dyn", what, line]`` for anything else.
"""

from __future__ import annotations

import ast
from typing import Any

from kdocs.extract.relimport import resolve_relative, unresolvable

MAX_DEPTH = 60
"""Deeper expressions become ``dyn``: CLI declarations are shallow; this bounds recursion."""

_BINOPS = {ast.Add: "+", ast.Mod: "%", ast.Mult: "*", ast.BitOr: "|", ast.Sub: "-"}
_CMPOPS = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}

Json = Any


def module_ir(tree: ast.Module, module: str, is_package: bool) -> dict[str, Json]:
    """The IR of one module: its top-level statements and every import anywhere in it."""
    conv = _Converter(module, is_package)
    body = conv.stmts(tree.body)
    return {"module": module, "package": is_package, "body": body, "lazy": conv.lazy_imports}


class _Converter:
    def __init__(self, module: str, is_package: bool) -> None:
        self.module = module
        self.is_package = is_package
        self.lazy_imports: list[Json] = []
        self.depth = 0
        self.func_depth = 0

    # -- statements -------------------------------------------------------------------
    def stmts(self, body: list[ast.stmt]) -> list[Json]:
        out: list[Json] = []
        for node in body:
            out.extend(self.stmt(node))
        return out

    def stmt(self, node: ast.stmt) -> list[Json]:
        line = node.lineno
        if isinstance(node, ast.Import):
            items = []
            for alias in node.names:
                item = ["import", alias.name, alias.asname, line]
                items.append(item)
                if self.func_depth:
                    self.lazy_imports.append(item)
            return items
        if isinstance(node, ast.ImportFrom):
            base = resolve_relative(self.module, self.is_package, node.level, node.module)
            if base is None:
                base = unresolvable(node.level, node.module)
            items = []
            for alias in node.names:
                item = ["from", base, alias.name, alias.asname, line]
                items.append(item)
                if self.func_depth:
                    self.lazy_imports.append(item)
            return items
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return [["def", self.func(node)]]
        if isinstance(node, ast.ClassDef):
            return [["class", self.klass(node)]]
        if isinstance(node, ast.Assign):
            value = self.expr(node.value)
            return [["assign", [self.target(t) for t in node.targets], value, line]]
        if isinstance(node, ast.AnnAssign):
            if node.value is None:
                return []
            return [["assign", [self.target(node.target)], self.expr(node.value), line]]
        if isinstance(node, ast.AugAssign):
            op = _BINOPS.get(type(node.op), "?")
            target = self.target(node.target)
            if target[0] == "name":
                value = ["bin", op, ["n", target[1], line], self.expr(node.value)]
                return [["assign", [target], value, line]]
            return []
        if isinstance(node, ast.Expr):
            if isinstance(node.value, ast.Constant):
                return []  # docstrings and bare literals
            return [["expr", self.expr(node.value), line]]
        if isinstance(node, ast.Return):
            return [["return", self.expr(node.value) if node.value else ["c", None], line]]
        if isinstance(node, (ast.For, ast.AsyncFor)):
            return [
                [
                    "for",
                    self.target(node.target),
                    self.expr(node.iter),
                    self.stmts(node.body),
                    line,
                ]
            ]
        if isinstance(node, ast.If):
            return [["if", self.expr(node.test), self.stmts(node.body), self.stmts(node.orelse)]]
        if isinstance(node, (ast.With, ast.AsyncWith)):
            return self.stmts(node.body)
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            try_node: Any = node
            handlers: list[Json] = []
            for handler in try_node.handlers:
                handlers.extend(self.stmts(handler.body))
            return [
                [
                    "try",
                    self.stmts(try_node.body),
                    handlers,
                    self.stmts(try_node.orelse) + self.stmts(try_node.finalbody),
                ]
            ]
        if isinstance(node, ast.While):
            return [["loop", line]]
        return []

    def target(self, node: ast.expr) -> Json:
        if isinstance(node, ast.Name):
            return ["name", node.id]
        if isinstance(node, (ast.Tuple, ast.List)):
            return ["tuple", [self.target(e) for e in node.elts]]
        if isinstance(node, ast.Attribute):
            return ["attr", self.expr(node.value), node.attr]
        if isinstance(node, ast.Subscript):
            return ["item", self.expr(node.value), self.expr(node.slice)]
        return ["other"]

    def func(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Json:
        self.func_depth += 1
        try:
            args = node.args
            params: list[Json] = []
            positional = [*args.posonlyargs, *args.args]
            defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
            defaults.extend(args.defaults)
            for arg, default in zip(positional, defaults, strict=True):
                params.append(self.param(arg, default, "pos"))
            if args.vararg is not None:
                params.append(self.param(args.vararg, None, "vararg"))
            for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
                params.append(self.param(arg, kw_default, "kwonly"))
            if args.kwarg is not None:
                params.append(self.param(args.kwarg, None, "kwarg"))
            return {
                "name": node.name,
                "line": node.lineno,
                "col": node.col_offset + 1,
                "doc": ast.get_docstring(node, clean=False),
                "params": params,
                "decorators": [self.expr(d) for d in node.decorator_list],
                "body": self.stmts(node.body),
            }
        finally:
            self.func_depth -= 1

    def param(self, arg: ast.arg, default: ast.expr | None, kind: str) -> Json:
        annotation = self.expr(arg.annotation) if arg.annotation is not None else None
        value = self.expr(default) if default is not None else None
        return [arg.arg, annotation, value, kind, arg.lineno, arg.col_offset + 1]

    def klass(self, node: ast.ClassDef) -> Json:
        fields: list[Json] = []
        methods: list[str] = []
        init: Json = None
        for item in node.body:
            if isinstance(item, ast.Assign) and len(item.targets) == 1:
                target = item.targets[0]
                if isinstance(target, ast.Name):
                    fields.append([target.id, self.expr(item.value)])
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                fields.append([item.target.id, self.expr(item.value) if item.value else None])
            elif isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                methods.append(item.name)
                if item.name == "__init__":
                    init = self.func(item)
        return {
            "name": node.name,
            "line": node.lineno,
            "bases": [self.expr(b) for b in node.bases],
            "fields": fields,
            "methods": methods,
            "init": init,
            "decorators": [self.expr(d) for d in node.decorator_list],
        }

    # -- expressions ------------------------------------------------------------------
    def expr(self, node: ast.expr) -> Json:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                return ["dyn", "deeply nested expression", getattr(node, "lineno", 0)]
            return self._expr(node)
        finally:
            self.depth -= 1

    def _expr(self, node: ast.expr) -> Json:
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Constant):
            value = node.value
            if value is Ellipsis:
                return ["ellipsis"]
            if isinstance(value, (str, int, float, bool)) or value is None:
                return ["c", value]
            return ["dyn", type(value).__name__, line]
        if isinstance(node, ast.Name):
            return ["n", node.id, line]
        if isinstance(node, ast.Attribute):
            return ["a", self.expr(node.value), node.attr, line]
        if isinstance(node, ast.Call):
            args: list[Json] = []
            for a in node.args:
                if isinstance(a, ast.Starred):
                    args.append(["*", self.expr(a.value)])
                else:
                    args.append(self.expr(a))
            kwargs = [[k.arg, self.expr(k.value)] for k in node.keywords]
            return ["call", self.expr(node.func), args, kwargs, line, node.col_offset + 1]
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            kind = {ast.List: "list", ast.Tuple: "tuple", ast.Set: "set"}[type(node)]
            items = []
            for e in node.elts:
                if isinstance(e, ast.Starred):
                    items.append(["*", self.expr(e.value)])
                else:
                    items.append(self.expr(e))
            return ["seq", kind, items]
        if isinstance(node, ast.Dict):
            return [
                "dict",
                [
                    [self.expr(k) if k is not None else None, self.expr(v)]
                    for k, v in zip(node.keys, node.values, strict=True)
                ],
            ]
        if isinstance(node, ast.Subscript):
            return ["sub", self.expr(node.value), self.expr(node.slice), line]
        if isinstance(node, ast.BinOp):
            op = _BINOPS.get(type(node.op))
            if op is None:
                return ["dyn", "operator", line]
            return ["bin", op, self.expr(node.left), self.expr(node.right)]
        if isinstance(node, ast.JoinedStr):
            parts: list[Json] = []
            for piece in node.values:
                if isinstance(piece, ast.Constant):
                    parts.append(["c", piece.value])
                elif isinstance(piece, ast.FormattedValue):
                    if piece.format_spec is not None:
                        parts.append(["dyn", "formatted value", line])
                    elif piece.conversion in (-1, ord("s")):
                        parts.append(self.expr(piece.value))
                    else:
                        parts.append(["conv", self.expr(piece.value), chr(piece.conversion)])
            return ["fstr", parts, line]
        if isinstance(node, ast.Lambda):
            names = [a.arg for a in node.args.args]
            return ["lambda", names, self.expr(node.body)]
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            op = _CMPOPS.get(type(node.ops[0]), "?")
            return ["cmp", op, self.expr(node.left), self.expr(node.comparators[0])]
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return ["not", self.expr(node.operand)]
            operand = node.operand
            if (
                isinstance(node.op, ast.USub)
                and isinstance(operand, ast.Constant)
                and isinstance(operand.value, (int, float))
            ):
                return ["c", -operand.value]
            return ["dyn", "unary operator", line]
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            return ["bool", op, [self.expr(v) for v in node.values]]
        if isinstance(node, ast.IfExp):
            return ["ifx", self.expr(node.test), self.expr(node.body), self.expr(node.orelse)]
        if isinstance(node, ast.Starred):
            return ["*", self.expr(node.value)]
        return ["dyn", type(node).__name__, line]
