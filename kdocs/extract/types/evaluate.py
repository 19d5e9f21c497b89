"""Run a project's own alias generator on field names, without executing project code.

``alias_generator=to_camel_custom`` where ``to_camel_custom`` strips a trailing underscore and
calls pydantic's ``to_camel`` is common. kdocs interprets such small functions (and lambdas)
over a whitelist: string methods, slicing, ``+``, comparisons, ``if``, comprehensions over
``split()``, and the known generators of :mod:`.aliases`. Anything else makes the
interpretation fail (``None``), and the caller falls back to a guess with an ``unresolved``
note. There are no loops other than comprehensions over finite strings, and a step budget,
so an evaluation always ends.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

from kdocs.extract import constfold
from kdocs.extract.astnames import dotted_name as _dotted
from kdocs.extract.types.aliases import KNOWN_FUNCTIONS, apply_style

STR_METHODS = constfold.STR_METHODS
"""The shared table of :mod:`kdocs.extract.constfold` (one whitelist for every extractor)."""
BUILTINS: dict[str, Callable[..., Any]] = {
    "len": len,
    "str": str,
    "enumerate": lambda x: list(enumerate(x)),
}
MAX_STEPS = 10_000


class _Fail(Exception):
    """The function uses something outside the whitelist."""


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class Interpreter:
    def __init__(self, calls: Mapping[str, str]) -> None:
        self.calls = calls
        self.steps = 0

    def _tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _Fail

    def run_body(self, body: list[ast.stmt], env: dict[str, Any]) -> None:
        for stmt in body:
            self._tick()
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                continue  # docstring
            if isinstance(stmt, ast.Return):
                raise _Return(self.expr(stmt.value, env) if stmt.value else None)
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                target = stmt.targets[0]
                if not isinstance(target, ast.Name):
                    raise _Fail
                env[target.id] = self.expr(stmt.value, env)
            elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
                env[stmt.target.id] = self._binop(
                    stmt.op, env.get(stmt.target.id), self.expr(stmt.value, env)
                )
            elif isinstance(stmt, ast.If):
                branch = stmt.body if self.expr(stmt.test, env) else stmt.orelse
                self.run_body(branch, env)
            elif isinstance(stmt, ast.Pass):
                continue
            else:
                raise _Fail

    def expr(self, node: ast.expr, env: dict[str, Any]) -> Any:
        self._tick()
        if isinstance(node, ast.Constant) and isinstance(node.value, str | int | bool | type(None)):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in env:
                return env[node.id]
            raise _Fail
        if isinstance(node, ast.Call):
            return self._call(node, env)
        if isinstance(node, ast.BinOp):
            return self._binop(node.op, self.expr(node.left, env), self.expr(node.right, env))
        if isinstance(node, ast.Subscript):
            value = self.expr(node.value, env)
            if isinstance(node.slice, ast.Slice):
                parts = [
                    self.expr(p, env) if p is not None else None
                    for p in (node.slice.lower, node.slice.upper, node.slice.step)
                ]
                return value[slice(*parts)]
            return value[self.expr(node.slice, env)]
        if isinstance(node, ast.Compare):
            left = self.expr(node.left, env)
            for op, comparator in zip(node.ops, node.comparators, strict=True):
                right = self.expr(comparator, env)
                if not _compare(op, left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.BoolOp):
            result: Any = isinstance(node.op, ast.And)
            for value in node.values:
                result = self.expr(value, env)
                if isinstance(node.op, ast.And) and not result:
                    return result
                if isinstance(node.op, ast.Or) and result:
                    return result
            return result
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not self.expr(node.operand, env)
        if isinstance(node, ast.IfExp):
            return self.expr(node.body if self.expr(node.test, env) else node.orelse, env)
        if isinstance(node, ast.GeneratorExp | ast.ListComp) and len(node.generators) == 1:
            return self._comprehension(node, env)
        if isinstance(node, ast.List | ast.Tuple):
            return [self.expr(e, env) for e in node.elts]
        if isinstance(node, ast.JoinedStr):
            out = []
            for part in node.values:
                if isinstance(part, ast.Constant):
                    out.append(str(part.value))
                elif isinstance(part, ast.FormattedValue) and part.format_spec is None:
                    out.append(str(self.expr(part.value, env)))
                else:
                    raise _Fail
            return "".join(out)
        raise _Fail

    def _comprehension(self, node: ast.GeneratorExp | ast.ListComp, env: dict[str, Any]) -> Any:
        gen = node.generators[0]
        items = self.expr(gen.iter, env)
        if not isinstance(items, list | str) or gen.is_async:
            raise _Fail
        out = []
        for item in items:
            local = dict(env)
            self._bind(gen.target, item, local)
            if all(self.expr(cond, local) for cond in gen.ifs):
                out.append(self.expr(node.elt, local))
        return out

    def _bind(self, target: ast.expr, value: Any, env: dict[str, Any]) -> None:
        if isinstance(target, ast.Name):
            env[target.id] = value
        elif isinstance(target, ast.Tuple) and isinstance(value, tuple | list):
            if len(target.elts) != len(value):
                raise _Fail
            for t, v in zip(target.elts, value, strict=True):
                self._bind(t, v, env)
        else:
            raise _Fail

    def _call(self, node: ast.Call, env: dict[str, Any]) -> Any:
        if node.keywords:
            raise _Fail
        args = [self.expr(a, env) for a in node.args]
        func = node.func
        if isinstance(func, ast.Attribute):
            owner = self.expr(func.value, env) if not _is_module_ref(func, env) else None
            if isinstance(owner, str) and func.attr in STR_METHODS:
                result = constfold.str_method(owner, func.attr, args)
                if result is constfold.NO:
                    raise _Fail
                return result
        name = _dotted(func)
        if name in BUILTINS and name not in env:
            return BUILTINS[name](*args)
        resolved = self.calls.get(name or "", name or "")
        style = KNOWN_FUNCTIONS.get(resolved.lstrip("?"))
        if style and len(args) == 1 and isinstance(args[0], str):
            return apply_style(style, args[0])
        raise _Fail

    def _binop(self, op: ast.operator, left: Any, right: Any) -> Any:
        symbol = {ast.Add: "+", ast.Mult: "*", ast.Sub: "-", ast.Mod: "%"}.get(type(op))
        if symbol is None:
            raise _Fail
        result = constfold.binop(symbol, left, right)
        if result is constfold.NO:
            raise _Fail
        return result


def _is_module_ref(func: ast.Attribute, env: dict[str, Any]) -> bool:
    return isinstance(func.value, ast.Name) and func.value.id not in env


def _compare(op: ast.cmpop, left: Any, right: Any) -> bool:
    if isinstance(op, ast.Eq):
        return bool(left == right)
    if isinstance(op, ast.NotEq):
        return bool(left != right)
    if isinstance(op, ast.In):
        return bool(left in right)
    if isinstance(op, ast.NotIn):
        return bool(left not in right)
    if isinstance(op, ast.Is):
        return left is right
    if isinstance(op, ast.IsNot):
        return left is not right
    if isinstance(op, ast.Lt | ast.Gt | ast.LtE | ast.GtE) and type(left) is type(right):
        return bool(
            {ast.Lt: left < right, ast.Gt: left > right, ast.LtE: left <= right}.get(
                type(op), left >= right
            )
        )
    raise _Fail


def compile_generator(source: str, calls: Mapping[str, str]) -> Callable[[str], str | None] | None:
    """A function (``def f(name): ...`` or ``lambda name: ...`` source) as a safe callable
    returning the generated name, or ``None`` where interpretation fails."""
    try:
        tree = ast.parse(source.strip())
    except SyntaxError:
        return None
    if len(tree.body) != 1:
        return None
    node = tree.body[0]
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Lambda):
        args, body = node.value.args, None
        expression: ast.expr | None = node.value.body
    elif isinstance(node, ast.FunctionDef):
        args, body, expression = node.args, node.body, None
    else:
        return None
    if len(args.args) != 1 or args.vararg or args.kwonlyargs or args.posonlyargs:
        return None
    param = args.args[0].arg

    def generate(name: str) -> str | None:
        interpreter = Interpreter(calls)
        env: dict[str, Any] = {param: name}
        try:
            if expression is not None:
                result = interpreter.expr(expression, env)
            else:
                assert body is not None
                interpreter.run_body(body, env)
                return None
        except _Return as ret:
            result = ret.value
        except (_Fail, TypeError, ValueError, IndexError, KeyError, AttributeError, RecursionError):
            return None
        return result if isinstance(result, str) else None

    return generate
