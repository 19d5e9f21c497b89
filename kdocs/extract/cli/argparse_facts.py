"""argparse facts: one file's imports, constants, classes and each function's *events*.

:func:`extract` turns every function of a file (and the module body) into an ordered list of
events over symbolic terms (a local object, a parameter, a module global, an imported name, a
``self`` attribute, a constant); the result is plain JSON, cached per file, and replayed
across files by :mod:`.argparse_replay`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kdocs.extract import constfold
from kdocs.extract.astnames import dotted_name as _dotted
from kdocs.extract.cli import ARGPARSE_FACTS_VERSION
from kdocs.extract.cli.argparse_values import (
    _NO,
    _STR_METHODS,
    Term,
    _cat,
    _fold,
    _fold_builtin,
    _fold_sub,
    _items,
    _list,
)
from kdocs.extract.cli.lines import MODULE_QUALNAME
from kdocs.extract.cli.typenames import normalize_type_name
from kdocs.extract.relimport import resolve_relative, unresolvable

if TYPE_CHECKING:
    from kdocs.extract import SourceFile

WANTS_MARKERS = (
    "argparse",
    "ArgumentParser",
    "add_argument",
    "add_parser",
    "add_subparsers",
    "parse_args",
)
"""Substrings that make a file worth extracting (helpers often never mention ``argparse``)."""
FACTS_VERSION = ARGPARSE_FACTS_VERSION
"""Bumped whenever the facts change shape; the cli provider's cache version includes it."""
_ARGPARSE_CONSTANTS: dict[str, Any] = {
    "OPTIONAL": "?",
    "ZERO_OR_MORE": "*",
    "ONE_OR_MORE": "+",
    "REMAINDER": "...",
    "PARSER": "A...",
}
_ACTION_CLASSES: dict[str, str] = {
    "BooleanOptionalAction": "boolean_optional",
    "_StoreAction": "store",
    "_StoreConstAction": "store_const",
    "_StoreTrueAction": "store_true",
    "_StoreFalseAction": "store_false",
    "_AppendAction": "append",
    "_AppendConstAction": "append_const",
    "_CountAction": "count",
    "_HelpAction": "help",
    "_VersionAction": "version",
    "_ExtendAction": "extend",
}
_PARSER_PARAMS = (
    "prog",
    "usage",
    "description",
    "epilog",
    "parents",
    "formatter_class",
    "prefix_chars",
    "fromfile_prefix_chars",
    "argument_default",
    "conflict_handler",
    "add_help",
    "allow_abbrev",
    "exit_on_error",
)
_ADD_ARGUMENT_KW = ("action", "nargs", "const", "default", "type", "choices", "required", "help")
_TEXT_FUNCS = {"dedent": "dedent", "cleandoc": "cleandoc"}
_GETTEXT = constfold.GETTEXT
_BUILTINS = constfold.BUILTINS
_MAX_UNROLL = 200


def wants(text: str) -> bool:
    """Cheap pre-filter: could this file take part in building an argparse CLI?"""
    return any(marker in text for marker in WANTS_MARKERS)


def extract(src: SourceFile) -> Any | None:
    """Per-file facts: imports, constants, classes and each function's argparse events.

    ``None`` when the file neither builds nor touches a parser.
    """
    if not wants(src.text):
        return None
    facts = _FileExtractor(src).run()
    if not any(fn["events"] for fn in facts["functions"].values()):
        return None
    return facts


def bridge_facts(src: SourceFile) -> Any | None:
    """Facts of a file that builds no parser but may call one that does (a console script's
    ``main`` in ``__main__.py`` calling ``pkg._cli.run``): read at link time for entry-point
    modules only, so the call chain from the script to its parser can be followed."""
    try:
        return _FileExtractor(src).run()
    except Exception:  # odd code in a bridge must not stop the run: no bridge then
        return None


@dataclass
class _Func:
    qualname: str
    params: list[str]
    defaults: dict[str, Term]
    varkw: str | None = None
    class_name: str | None = None
    self_name: str | None = None
    env: dict[str, Term] = field(default_factory=dict)
    outer: dict[str, Term] = field(default_factory=dict)
    globals_declared: set[str] = field(default_factory=set)
    events: list[dict[str, Any]] = field(default_factory=list)
    calls: set[str] = field(default_factory=set)
    loops: list[str] = field(default_factory=list)
    line: int = 1
    is_module: bool = False


class _FileExtractor:
    def __init__(self, src: SourceFile) -> None:
        self.src = src
        self.module = src.module
        self.imports: dict[str, str] = {}
        self.consts: dict[str, Any] = {}
        self.module_names: set[str] = set()
        self.classes: dict[str, dict[str, Any]] = {}
        self.functions: dict[str, dict[str, Any]] = {}
        self.counter = 0
        self.module_env: dict[str, Term] = {}

    # -- driver ----------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        tree = self.src.tree
        self._collect_imports(tree)
        self._collect_module_level(tree)
        module_fn = _Func(MODULE_QUALNAME, [], {}, is_module=True)
        self.module_env = module_fn.env
        self._block(tree.body, module_fn)
        self._finish(module_fn)
        return {
            "version": FACTS_VERSION,
            "module": self.module,
            "imports": self.imports,
            "consts": self.consts,
            "classes": self.classes,
            "functions": self.functions,
        }

    def _finish(self, fn: _Func) -> None:
        used: set[str] = set()
        for event in fn.events:
            if event["op"] != "call":
                _collect_locals(event, used)
        for event in fn.events:
            if event["op"] == "call":
                _collect_locals({k: v for k, v in event.items() if k != "ref"}, used)
        kept = []
        for event in fn.events:
            if (
                event["op"] == "call"
                and "dyn" in event["func"]
                and "recv" not in event["func"]
                and event["ref"] not in used
                and not _has_object(event)
            ):
                continue
            kept.append(event)
        self.functions[fn.qualname] = {
            "params": fn.params,
            "varkw": fn.varkw,
            "defaults": fn.defaults,
            "class": fn.class_name,
            "self": fn.self_name,
            "events": kept,
            "calls": sorted(fn.calls),
            "line": fn.line,
        }

    # -- imports, constants, classes -------------------------------------------------

    def _package(self) -> str:
        if self.src.is_package:
            return self.module
        return self.module.rpartition(".")[0]

    def _absolute(self, node: ast.ImportFrom) -> str:
        base = resolve_relative(self.module, self.src.is_package, node.level, node.module)
        return base if base is not None else unresolvable(node.level, node.module)

    def _collect_imports(self, tree: ast.Module) -> None:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.imports[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.imports.setdefault(top, top)
            elif isinstance(node, ast.ImportFrom):
                base = self._absolute(node)
                for alias in node.names:
                    if alias.name == "*":
                        continue
                    self.imports[alias.asname or alias.name] = f"{base}:{alias.name}"

    def _collect_module_level(self, tree: ast.Module) -> None:
        self.consts.update(module_constants(tree, self.module_names))

    # -- statements ------------------------------------------------------------------

    def _block(self, body: Iterable[ast.stmt], fn: _Func, class_name: str | None = None) -> None:
        for stmt in body:
            try:
                self._stmt(stmt, fn, class_name)
            except RecursionError:
                raise
            except Exception as err:  # odd-but-valid code must never stop extraction
                fn.events.append(
                    {
                        "op": "unresolved",
                        "on": None,
                        "msg": f"kdocs could not read this statement ({type(err).__name__})",
                        "loc": _loc(stmt),
                    }
                )

    def _stmt(self, stmt: ast.stmt, fn: _Func, class_name: str | None) -> None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self._function(stmt, fn, class_name)
        elif isinstance(stmt, ast.ClassDef):
            if fn.is_module or class_name is None:
                qual = stmt.name if fn.is_module else f"{fn.qualname}.{stmt.name}"
                self.classes[qual] = {
                    "bases": [self._name_target(b) for b in stmt.bases],
                    "line": stmt.lineno,
                }
                inner = _Func(f"<class {qual}>", [], {}, outer=dict(fn.env))
                for child in stmt.body:
                    if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        self._function(child, inner, qual)
        elif isinstance(stmt, ast.Global):
            fn.globals_declared.update(stmt.names)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            if stmt.value is None:
                return
            value = self._term(stmt.value, fn)
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                self._bind(target, value, fn, stmt.value)
        elif isinstance(stmt, ast.AugAssign):
            rhs = self._term(stmt.value, fn)
            if isinstance(stmt.target, ast.Name) and isinstance(stmt.op, ast.Add):
                current = self._name(stmt.target, fn)  # ``help += " (more)"``
                fn.env[stmt.target.id] = _cat([current, rhs]) if "u" not in current else current
            else:
                for name in _target_names(stmt.target):
                    fn.env[name] = {"u": f"{name} (augmented)"}
        elif isinstance(stmt, ast.Expr):
            self._term(stmt.value, fn)
        elif isinstance(stmt, ast.Return):
            if stmt.value is not None:
                value = self._term(stmt.value, fn)
                fn.events.append({"op": "return", "value": value})
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            self._for(stmt, fn, class_name)
        elif isinstance(stmt, ast.While):
            self._term(stmt.test, fn)
            fn.loops.append(_src(stmt.test))
            self._block(stmt.body, fn, class_name)
            fn.loops.pop()
            self._block(stmt.orelse, fn, class_name)
        elif isinstance(stmt, ast.If):
            self._term(stmt.test, fn)
            mark = len(fn.events)
            cond = self._cond(stmt.test, fn)
            del fn.events[mark:]  # the test's own calls were recorded once, just above
            start = len(fn.events)
            before = dict(fn.env)
            self._block(stmt.body, fn, class_name)
            middle = len(fn.events)
            after_body = dict(fn.env)
            fn.env = dict(before)
            self._block(stmt.orelse, fn, class_name)
            guard = cond if cond is not None else {"unknown": _src(stmt.test)}
            # A name bound differently by the branches depends on the test. When the test
            # cannot be evaluated, a plain value becomes unknown; a parser object keeps the
            # branch that bound it (losing the parser would lose everything added to it).
            after_else = fn.env
            fn.env = before
            for name in sorted(set(after_body) | set(after_else)):
                outside = self._name(ast.Name(id=name, ctx=ast.Load()), fn)
                then_value = after_body.get(name, outside)
                else_value = after_else.get(name, outside)
                if then_value == else_value:
                    fn.env[name] = then_value
                elif cond is None and (
                    _contains_object(then_value) or _contains_object(else_value)
                ):
                    fn.env[name] = else_value if else_value != outside else then_value
                else:
                    fn.env[name] = {"ifx": guard, "a": then_value, "b": else_value, "src": name}
            # Guard the branch's events: replayed unless the test is known false (an unknown
            # test still replays both branches, but a `return` there is not certain).
            for event in fn.events[start:middle]:
                event.setdefault("when", []).insert(0, guard)
            for event in fn.events[middle:]:
                event.setdefault("when", []).insert(0, {"not": guard})
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                value = self._term(item.context_expr, fn)
                if item.optional_vars is not None:
                    self._bind(item.optional_vars, value, fn, item.context_expr)
            self._block(stmt.body, fn, class_name)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            self._block(stmt.body, fn, class_name)  # type: ignore[attr-defined]
            for handler in stmt.handlers:  # type: ignore[attr-defined]
                self._block(handler.body, fn, class_name)
            self._block(stmt.orelse, fn, class_name)  # type: ignore[attr-defined]
            self._block(stmt.finalbody, fn, class_name)  # type: ignore[attr-defined]
        elif isinstance(stmt, ast.Match):
            self._term(stmt.subject, fn)
            for case in stmt.cases:
                self._block(case.body, fn, class_name)

    def _cond(self, node: ast.expr, fn: _Func) -> Term | None:
        """A condition kdocs can evaluate at link time (on parameters/constants), or None."""
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self._cond(node.operand, fn)
            return {"not": inner} if inner is not None else None
        if isinstance(node, ast.BoolOp):
            parts = [self._cond(v, fn) for v in node.values]
            if any(p is None for p in parts):
                return None
            return {"and" if isinstance(node.op, ast.And) else "or": parts}
        if (
            isinstance(node, ast.Compare)
            and len(node.ops) == 1
            and isinstance(node.ops[0], (ast.In, ast.NotIn))
        ):
            left = self._term(node.left, fn)
            right = self._term(node.comparators[0], fn)
            if not _cond_operand(left) or not _cond_operand(right):
                return None
            test_in: Term = {"in": [left, right]}
            return {"not": test_in} if isinstance(node.ops[0], ast.NotIn) else test_in
        if (
            isinstance(node, ast.Compare)
            and len(node.ops) == 1
            and isinstance(node.ops[0], (ast.Is, ast.IsNot, ast.Eq, ast.NotEq))
        ):
            left = self._term(node.left, fn)
            right = self._term(node.comparators[0], fn)
            if not _cond_operand(left) or not _cond_operand(right):
                return None
            test: Term = {"eq": [left, right]}
            return {"not": test} if isinstance(node.ops[0], (ast.IsNot, ast.NotEq)) else test
        term = self._term(node, fn)
        return {"truth": term} if _cond_operand(term) else None

    def _function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, parent: _Func, class_name: str | None
    ) -> None:
        if parent.is_module:
            qual = node.name
        elif class_name is not None and parent.qualname.startswith("<class "):
            qual = f"{class_name}.{node.name}"
        else:
            qual = f"{parent.qualname}.{node.name}"
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        params = [a.arg for a in positional] + [a.arg for a in args.kwonlyargs]
        defaults: dict[str, Term] = {}
        for arg, default in zip(
            positional[len(positional) - len(args.defaults) :], args.defaults, strict=False
        ):
            defaults[arg.arg] = self._term(default, parent)
        for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=False):
            if kw_default is not None:
                defaults[arg.arg] = self._term(kw_default, parent)
        decorators = {_dotted(d) for d in node.decorator_list}
        self_name = None
        if class_name is not None and positional and "staticmethod" not in decorators:
            self_name = positional[0].arg
        outer = dict(parent.outer)
        outer.update(parent.env)
        fn = _Func(
            qual,
            params,
            defaults,
            varkw=args.kwarg.arg if args.kwarg else None,
            class_name=class_name,
            self_name=self_name,
            outer={} if parent.is_module else outer,
            line=node.lineno,
        )
        if not parent.is_module and not parent.qualname.startswith("<class "):
            parent.env[node.name] = {"fdef": f"{self.module}:{qual}"}
        self._block(node.body, fn, class_name)
        self._finish(fn)

    def _bind(self, target: ast.expr, value: Term, fn: _Func, value_node: ast.expr) -> None:
        if isinstance(target, ast.Name):
            fn.env[target.id] = value
            if (fn.is_module or target.id in fn.globals_declared) and _is_object(value):
                fn.events.append({"op": "setglobal", "name": target.id, "value": value})
        elif isinstance(target, ast.Attribute):
            base = target.value
            if isinstance(base, ast.Name) and fn.self_name and base.id == fn.self_name:
                fn.env[f"self.{target.attr}"] = value
                fn.events.append({"op": "setself", "attr": target.attr, "value": value})
            else:
                on = self._term(base, fn)
                if _is_object(on) and target.attr in ("description", "epilog", "usage", "prog"):
                    fn.events.append(
                        {"op": "setattr", "on": on, "attr": target.attr, "value": value}
                    )
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = _items(value)
            if isinstance(value_node, (ast.Tuple, ast.List)) and len(value_node.elts) == len(
                target.elts
            ):
                items = [self._term(e, fn) for e in value_node.elts]
            for i, elt in enumerate(target.elts):
                if items is not None and i < len(items) and len(items) == len(target.elts):
                    self._bind(elt, items[i], fn, elt)
                elif "u" not in value and isinstance(elt, ast.Name):
                    fn.env[elt.id] = {"sub": value, "idx": {"c": i}, "src": _src(value_node)}
                else:
                    for name in _target_names(elt):
                        fn.env[name] = {"u": _src(value_node)}

    def _for(self, stmt: ast.For | ast.AsyncFor, fn: _Func, class_name: str | None) -> None:
        iterable = self._iter_term(stmt.iter, fn)
        items = _items(iterable)
        if items is not None and len(items) <= _MAX_UNROLL:
            for item in items:
                self._bind_loop(stmt.target, item, fn)
                self._block(stmt.body, fn, class_name)
        else:
            # Unrolled at link time when the iterable turns out to be known there (an
            # imported constant, a helper's return value); otherwise replayed once with
            # the loop variables unknown.
            text = _src(stmt.iter)
            pattern = self._loop_pattern(stmt.target, fn, text)
            outer_events = fn.events
            fn.events = []
            fn.loops.append(text)
            self._block(stmt.body, fn, class_name)
            fn.loops.pop()
            body, fn.events = fn.events, outer_events
            fn.events.append(
                {
                    "op": "loop",
                    "iter": iterable,
                    "vars": pattern,
                    "names": _target_names(stmt.target),
                    "body": body,
                    "text": text,
                }
            )
        self._block(stmt.orelse, fn, class_name)

    def _loop_pattern(self, target: ast.expr, fn: _Func, text: str) -> Any:
        """Bind loop target names to fresh local ids; returns the id pattern (str or list)."""
        if isinstance(target, (ast.Tuple, ast.List)):
            return [self._loop_pattern(e, fn, text) for e in target.elts]
        ref = self._new_ref()
        for name in _target_names(target):
            fn.env[name] = {"l": ref}
        return ref

    def _bind_loop(self, target: ast.expr, item: Term, fn: _Func) -> None:
        if isinstance(target, ast.Name):
            fn.env[target.id] = item
        elif isinstance(target, (ast.Tuple, ast.List)):
            parts = _items(item)
            for i, elt in enumerate(target.elts):
                if parts is not None and len(parts) == len(target.elts):
                    self._bind_loop(elt, parts[i], fn)
                else:
                    for name in _target_names(elt):
                        fn.env[name] = {"u": f"loop variable {name}", "loop": True}

    def _iter_term(self, node: ast.expr, fn: _Func) -> Term:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("items", "keys", "values")
            and not node.args
        ):
            base = self._term(node.func.value, fn)
            if "c" in base and isinstance(base["c"], dict):
                mapping: dict[str, Any] = base["c"]
                if node.func.attr == "items":
                    return {"c": [[k, v] for k, v in mapping.items()]}
                if node.func.attr == "keys":
                    return {"c": list(mapping)}
                return {"c": list(mapping.values())}
            return {"view": node.func.attr, "a": base}
        if isinstance(node, ast.Call) and _dotted(node.func) in ("enumerate", "zip", "sorted"):
            return self._term(node, fn)
        return self._term(node, fn)

    # -- expressions -----------------------------------------------------------------

    def _term(self, node: ast.expr, fn: _Func) -> Term:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, (str, int, float, bool)) or node.value is None:
                return {"c": node.value}
            return {"u": _src(node)}
        if isinstance(node, ast.JoinedStr):
            parts: list[Term] = []
            for value in node.values:
                if isinstance(value, ast.Constant):
                    parts.append({"c": str(value.value)})
                elif (
                    isinstance(value, ast.FormattedValue)
                    and value.format_spec is None
                    and value.conversion in (-1, 115)
                ):
                    inner = self._term(value.value, fn)
                    if "c" in inner and isinstance(inner["c"], (str, int, float, bool)):
                        parts.append({"c": str(inner["c"])})
                    else:
                        parts.append({"fs": inner})
                else:
                    return {"u": _src(node)}
            return _cat(parts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return _cat([self._term(node.left, fn), self._term(node.right, fn)])
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            left = self._term(node.left, fn)
            right = self._term(node.right, fn)
            return _fold({"fn": "percent", "a": left, "args": [right]})
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                return {"u": _src(node)}
            return _list([self._term(e, fn) for e in node.elts])
        if isinstance(node, ast.Dict):
            value = _literal(node, self.consts)
            return {"c": value} if value is not _NO else {"u": _src(node)}
        if isinstance(node, (ast.Name, ast.Attribute)):
            return self._name(node, fn)
        if isinstance(node, ast.Call):
            return self._call(node, fn)
        if isinstance(node, ast.NamedExpr):
            named = self._term(node.value, fn)
            fn.env[node.target.id] = named
            return named
        if isinstance(node, ast.Lambda):
            return self._lambda(node, fn)
        if isinstance(node, ast.IfExp):
            body = self._term(node.body, fn)
            orelse = self._term(node.orelse, fn)
            cond = self._cond(node.test, fn)
            if cond is None:
                return {"u": _src(node)}
            return {"ifx": cond, "a": body, "b": orelse, "src": _src(node)}
        if isinstance(node, ast.Subscript):
            base = self._term(node.value, fn)
            if "u" in base:
                return {"u": _src(node)}
            if isinstance(node.slice, ast.Slice):
                bounds = [
                    self._term(b, fn) if b is not None else {"c": None}
                    for b in (node.slice.lower, node.slice.upper, node.slice.step)
                ]
                return _fold_sub({"sub": base, "slice": bounds, "src": _src(node)})
            return _fold_sub({"sub": base, "idx": self._term(node.slice, fn), "src": _src(node)})
        if isinstance(node, ast.Await):
            return self._term(node.value, fn)
        return {"u": _src(node)}

    def _lambda(self, node: ast.Lambda, parent: _Func) -> Term:
        """A lambda is a nested function returning its expression (``lambda p: add(p, x)``)."""
        base = "" if parent.is_module else f"{parent.qualname}."
        qual = f"{base}<lambda:{node.lineno}:{node.col_offset}>"
        positional = [*node.args.posonlyargs, *node.args.args]
        outer = {} if parent.is_module else {**parent.outer, **parent.env}
        fn = _Func(
            qual,
            [a.arg for a in positional] + [a.arg for a in node.args.kwonlyargs],
            {},
            varkw=node.args.kwarg.arg if node.args.kwarg else None,
            class_name=parent.class_name,
            self_name=parent.self_name,
            outer=outer,
            line=node.lineno,
        )
        if parent.self_name and parent.self_name not in fn.params:
            fn.params.append(parent.self_name)  # closes over ``self``: bound on the call
        value = self._term(node.body, fn)
        fn.events.append({"op": "return", "value": value})
        self._finish(fn)
        return {"fdef": f"{self.module}:{qual}"}

    def _name(self, node: ast.Name | ast.Attribute, fn: _Func) -> Term:
        dotted = _dotted(node)
        if dotted is None:
            assert isinstance(node, ast.Attribute)
            self._term(node.value, fn)
            return {"u": _src(node)}
        head, _, rest = dotted.partition(".")
        if fn.self_name and head == fn.self_name and rest:
            attr = rest.split(".")[0]
            if f"self.{attr}" in fn.env:
                base = fn.env[f"self.{attr}"]
                return base if "." not in rest else {"u": dotted, "d": dotted}
            return {"s": attr} if "." not in rest else {"u": dotted, "d": dotted}
        if head in fn.env:
            base = fn.env[head]
            if not rest:
                return base
            if "i" in base:
                sep = "." if not base["i"].endswith(":") else ""
                return {"i": f"{base['i']}{sep}{rest}", "d": dotted}
            if _is_object(base) and "." not in rest:
                return {"attr": rest, "of": base, "d": dotted}
            return {"u": dotted, "d": dotted}
        if head in fn.params or (head == fn.varkw and head):
            if rest and "." not in rest:
                return {"attr": rest, "of": {"p": head}, "d": dotted}
            return {"p": head} if not rest else {"u": dotted, "d": dotted}
        if head in fn.outer:
            return fn.outer[head] if not rest else {"u": dotted, "d": dotted}
        if head in self.consts and not rest:
            return {"c": self.consts[head]}
        if rest and dotted in self.consts:
            return {"c": self.consts[dotted]}
        if not fn.is_module and not rest and "list" in self.module_env.get(head, {}):
            return self.module_env[head]
        if head in self.imports:
            target = self.imports[head]
            if ":" in target:
                full = f"{target}.{rest}" if rest else target
            else:
                mod_rest = rest.rsplit(".", 1)
                if not rest:
                    full = f"{target}:"
                elif len(mod_rest) == 2:
                    full = f"{target}.{mod_rest[0]}:{mod_rest[1]}"
                else:
                    full = f"{target}:{rest}"
            special = _argparse_special(full)
            if special is not None:
                return special
            return {"i": full, "d": dotted}
        if head in self.module_names:
            return {"g": dotted, "d": dotted} if not rest else {"g": head, "d": dotted, "r": rest}
        return {"d": dotted}

    def _name_target(self, node: ast.expr) -> str:
        dotted = _dotted(node) or _src(node)
        head, _, rest = dotted.partition(".")
        if head in self.imports:
            target = self.imports[head]
            if ":" in target:
                return f"{target}.{rest}" if rest else target
            if rest:
                mod, _, attr = rest.rpartition(".")
                return f"{target}.{mod}:{attr}" if mod else f"{target}:{attr}"
            return target
        if head in self.module_names:
            return f"{self.module}:{dotted}"
        return dotted

    def _kwargs(self, node: ast.Call, fn: _Func, names: tuple[str, ...] = ()) -> dict[str, Term]:
        kw: dict[str, Term] = {}
        for i, arg in enumerate(node.args):
            if i < len(names) and not isinstance(arg, ast.Starred):
                kw[names[i]] = self._term(arg, fn)
        for keyword in node.keywords:
            if keyword.arg is None:
                splat = self._term(keyword.value, fn)
                if "c" in splat and isinstance(splat["c"], dict):
                    for key, value in splat["c"].items():
                        kw[str(key)] = {"c": value}
                elif "p" in splat:
                    kw["**"] = splat
                else:
                    kw["**"] = {"u": _src(keyword.value)}
                continue
            if keyword.arg == "type":
                kw["type"] = self._type_term(keyword.value, fn)
            elif keyword.arg == "action":
                kw["action"] = self._action_term(keyword.value, fn)
            else:
                kw[keyword.arg] = self._term(keyword.value, fn)
        return kw

    def _type_term(self, node: ast.expr, fn: _Func) -> Term:
        target = node.func if isinstance(node, ast.Call) else node
        if isinstance(node, ast.Call):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                self._term(arg, fn)
        if isinstance(target, ast.Lambda):
            return {"tn": "<lambda>"}
        dotted = _dotted(target)
        if dotted is None:
            return {"u": _src(node)}
        return {"tn": normalize_type_name(dotted)}

    def _action_term(self, node: ast.expr, fn: _Func) -> Term:
        term = self._term(node, fn)
        if "c" in term:
            return term
        dotted = _dotted(node) or _src(node)
        target = self._name_target(node)
        name = target.rpartition(":")[2] if ":" in target else dotted.rsplit(".", 1)[-1]
        if target.startswith("argparse:") and name in _ACTION_CLASSES:
            return {"c": _ACTION_CLASSES[name]}
        return {"custom": dotted, "target": target, "term": term}

    def _call(self, node: ast.Call, fn: _Func) -> Term:
        func = node.func
        loc = _loc(node)
        if isinstance(func, ast.Attribute) and func.attr in (
            "add_argument",
            "add_argument_group",
            "add_mutually_exclusive_group",
            "add_subparsers",
            "add_parser",
        ):
            on = self._term(func.value, fn)
            return self._parser_method(func.attr, on, node, fn, loc)
        dotted = _dotted(func)
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("items", "keys", "values")
            and not node.args
            and not node.keywords
        ):
            return self._iter_term(node, fn)
        if isinstance(func, ast.Attribute) and dotted is None:
            base = self._term(func.value, fn)
            if func.attr in _STR_METHODS and _is_texty(base):
                return self._str_method(func.attr, base, node, fn)
            if (
                isinstance(func.value, ast.Call)
                and _dotted(func.value.func) == "super"
                and fn.class_name
            ):
                args = [self._term(a, fn) for a in node.args if not isinstance(a, ast.Starred)]
                kw = self._kwargs(node, fn)
                return self._call_event(
                    {"super": func.attr, "class": fn.class_name}, args, kw, fn, loc, node
                )
            for arg in node.args:
                self._term(arg, fn)
            for keyword in node.keywords:
                self._term(keyword.value, fn)
            return {"u": _src(node)}
        if dotted is None:
            self._term(func, fn)
            return {"u": _src(node)}
        callee = self._name(func, fn)  # type: ignore[arg-type]
        target = callee.get("i") or (f"{self.module}:{callee['g']}" if "g" in callee else None)
        last = dotted.rsplit(".", 1)[-1]
        if target == "argparse:ArgumentParser":
            kw = self._kwargs(node, fn, _PARSER_PARAMS)
            ref = self._new_ref()
            fn.events.append({"op": "new", "ref": ref, "kw": kw, "loc": loc})
            return {"l": ref}
        text_func = last in _TEXT_FUNCS and (target or "").startswith(("textwrap:", "inspect:"))
        if (text_func or last in _GETTEXT) and len(node.args) == 1:
            inner = self._term(node.args[0], fn)
            return _fold({"fn": _TEXT_FUNCS.get(last, "identity"), "a": inner})
        if isinstance(func, ast.Attribute) and func.attr in _STR_METHODS:
            base = self._term(func.value, fn)
            if _is_texty(base):
                return self._str_method(func.attr, base, node, fn)
        if (
            isinstance(func, ast.Name)
            and func.id in _BUILTINS
            and set(callee) == {"d"}  # not shadowed by a project name
            and not node.keywords
            and all(not isinstance(a, ast.Starred) for a in node.args)
        ):
            return _fold_builtin({"bi": func.id, "a": [self._term(a, fn) for a in node.args]})
        args = [self._term(a, fn) for a in node.args if not isinstance(a, ast.Starred)]
        kw = self._kwargs(node, fn)
        if "s" in callee and fn.class_name:
            func_term: Term = {"self": callee["s"], "class": fn.class_name}
        elif "fdef" in callee:
            func_term = {"t": callee["fdef"]}
        elif target is not None:
            func_term = {"t": target}
        elif "attr" in callee:
            # ``obj.method(...)``: followed at link time when obj is a project parser class.
            func_term = {"dyn": dotted, "recv": callee["of"], "method": callee["attr"]}
        else:
            func_term = {"dyn": dotted}
        if "t" in func_term:
            fn.calls.add(func_term["t"])
        elif "self" in func_term:
            fn.calls.add(f"self:{fn.class_name}.{func_term['self']}")
        return self._call_event(func_term, args, kw, fn, loc, node)

    def _call_event(
        self,
        func_term: Term,
        args: list[Term],
        kw: dict[str, Term],
        fn: _Func,
        loc: list[int],
        node: ast.Call,
    ) -> Term:
        ref = self._new_ref()
        event: dict[str, Any] = {
            "op": "call",
            "func": func_term,
            "args": args,
            "kw": kw,
            "ref": ref,
            "loc": loc,
            "text": _src(node.func),
        }
        if any(isinstance(a, ast.Starred) for a in node.args):
            event["star"] = True
        if fn.loops:
            event["loop"] = fn.loops[-1]
        fn.events.append(event)
        return {"l": ref}

    def _str_method(self, method: str, base: Term, node: ast.Call, fn: _Func) -> Term:
        args = [self._term(a, fn) for a in node.args]
        kw = {k.arg: self._term(k.value, fn) for k in node.keywords if k.arg}
        if any(k.arg is None for k in node.keywords):
            return {"u": _src(node)}
        return _fold({"fn": method, "a": base, "args": args, "kw": kw})

    def _parser_method(
        self, method: str, on: Term, node: ast.Call, fn: _Func, loc: list[int]
    ) -> Term:
        if not _contains_object(on):
            if method in ("add_argument", "add_parser"):
                fn.events.append(
                    {
                        "op": "unresolved",
                        "on": None,
                        "msg": f"{method}() on {_src(node.func)[: -len(method) - 1]}, "
                        "which kdocs cannot follow",
                        "loc": loc,
                    }
                )
            for arg in node.args:
                self._term(arg, fn)
            return {"u": _src(node)}
        event: dict[str, Any] = {"op": "", "on": on, "loc": loc}
        if method == "add_parser" and len(node.args) > 1:
            event["pos"] = [self._term(a, fn) for a in node.args[1:]]
        if fn.loops:
            event["loop"] = fn.loops[-1]
        if method == "add_argument":
            event["op"] = "arg"
            event["args"] = [
                self._term(a, fn) if not isinstance(a, ast.Starred) else {"u": _src(a)}
                for a in node.args
            ]
            event["kw"] = self._kwargs(node, fn)
            fn.events.append(event)
            return {"u": _src(node)}
        ref = self._new_ref()
        event["ref"] = ref
        if method in ("add_argument_group", "add_mutually_exclusive_group"):
            event["op"] = "group"
            if method == "add_mutually_exclusive_group":  # usage shows it as [-a | -b]
                event["mx"] = True
                event["kw"] = self._kwargs(node, fn, ("required",))
            else:
                for arg in node.args:
                    self._term(arg, fn)
                for keyword in node.keywords:
                    self._term(keyword.value, fn)
        elif method == "add_subparsers":
            event["op"] = "subparsers"
            event["kw"] = self._kwargs(node, fn)
        else:
            event["op"] = "parser"
            event["kw"] = self._kwargs(node, fn, ("name",))
        fn.events.append(event)
        return {"l": ref}

    def _new_ref(self) -> str:
        self.counter += 1
        return f"v{self.counter}"


def _literal(node: ast.expr, consts: Mapping[str, Any]) -> Any:
    """A JSON-able literal value of a module-level expression, or ``_NO``."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, (str, int, float, bool)) or node.value is None:
            return node.value
        return _NO
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items = [_literal(e, consts) for e in node.elts]
        return _NO if any(i is _NO for i in items) else items
    if isinstance(node, ast.Dict):
        out: dict[str, Any] = {}
        for key, value in zip(node.keys, node.values, strict=False):
            if key is None:
                return _NO
            k = _literal(key, consts)
            v = _literal(value, consts)
            if k is _NO or v is _NO or not isinstance(k, (str, int, float, bool)):
                return _NO
            out[str(k)] = v
        return out
    if isinstance(node, ast.Name) and node.id in consts:
        return consts[node.id]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _literal(node.left, consts)
        right = _literal(node.right, consts)
        if isinstance(left, str) and isinstance(right, str):
            return constfold.binop("+", left, right)
        if isinstance(left, list) and isinstance(right, list):
            return constfold.binop("+", left, right)
        return _NO
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            elif isinstance(value, ast.FormattedValue) and value.format_spec is None:
                inner = _literal(value.value, consts)
                if not isinstance(inner, (str, int, float)):
                    return _NO
                parts.append(str(inner))
            else:
                return _NO
        return "".join(parts)
    if isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords:
        name = _dotted(node.func) or ""
        if name.rsplit(".", 1)[-1] in _GETTEXT:
            return _literal(node.args[0], consts)
        last = name.rsplit(".", 1)[-1]
        if last in ("dedent", "cleandoc"):
            return constfold.text_function(last, _literal(node.args[0], consts))
    return _NO


def module_constants(tree: ast.Module, names: set[str] | None = None) -> dict[str, Any]:
    """The literal module-level constants of a file (``__doc__`` included), for the facts of
    a file with argparse code and, at link time, for a project module without any (a
    ``constants.py``). ``names`` receives every module-level name bound."""
    consts: dict[str, Any] = {}
    doc = ast.get_docstring(tree, clean=False)
    if doc is not None:
        consts["__doc__"] = doc  # ``description=__doc__``
    for node in tree.body:
        _collect_stmt(node, consts, names if names is not None else set())
    for name in _mutated_names(tree.body):
        consts.pop(name, None)
    return consts


def _collect_stmt(node: ast.stmt, consts: dict[str, Any], names: set[str]) -> None:
    if isinstance(node, ast.Assign):
        value = _literal(node.value, consts)
        for target in node.targets:
            names.update(_target_names(target))
            if isinstance(target, ast.Name):
                if value is not _NO:
                    consts[target.id] = value
                else:
                    consts.pop(target.id, None)
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        names.add(node.target.id)
        if node.value is not None:
            value = _literal(node.value, consts)
            if value is not _NO:
                consts[node.target.id] = value
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        names.add(node.name)
        if isinstance(node, ast.ClassDef):
            _str_enum_members(node, consts)
    elif isinstance(node, (ast.If, ast.Try)):
        for child in [*node.body, *node.orelse]:
            _collect_stmt(child, consts, names)
        if isinstance(node, ast.Try):
            for handler in node.handlers:
                for child in handler.body:
                    _collect_stmt(child, consts, names)


def _str_enum_members(node: ast.ClassDef, consts: dict[str, Any]) -> None:
    """``class Mode(StrEnum): FAST = "fast"``: members format as their value in help text."""
    bases = {(_dotted(b) or "").rsplit(".", 1)[-1] for b in node.bases}
    if not ("StrEnum" in bases or ("str" in bases and bases & {"Enum", "enum"})):
        return
    for stmt in node.body:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str)
        ):
            consts[f"{node.name}.{stmt.targets[0].id}"] = stmt.value.value


_MUTATORS = {"append", "extend", "update", "insert", "add", "pop", "setdefault", "clear", "remove"}


def _mutated_names(body: list[ast.stmt]) -> set[str]:
    """Module-level names changed after their literal assignment (``m[k] = v``, ``m.update()``).

    Their literal value is stale, so they are not constants.
    """
    out: set[str] = set()
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for node in ast.walk(stmt):
            if isinstance(node, (ast.Assign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                        out.add(target.value.id)
                    if isinstance(node, ast.AugAssign) and isinstance(target, ast.Name):
                        out.add(target.id)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _MUTATORS
                and isinstance(node.func.value, ast.Name)
            ):
                out.add(node.func.value.id)
    return out


def _target_names(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, (ast.Tuple, ast.List)):
        return [n for e in node.elts for n in _target_names(e)]
    if isinstance(node, ast.Starred):
        return _target_names(node.value)
    return []


def _src(node: ast.AST) -> str:
    try:
        text = ast.unparse(node)
    except Exception:  # pragma: no cover - unparse of valid trees does not fail
        text = type(node).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _loc(node: ast.AST) -> list[int]:
    return [getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1]


def _argparse_special(full: str) -> Term | None:
    if not full.startswith("argparse:"):
        return None
    name = full.partition(":")[2]
    if name == "SUPPRESS":
        return {"sup": True}
    if name in _ARGPARSE_CONSTANTS:
        return {"c": _ARGPARSE_CONSTANTS[name]}
    return None


def _cond_operand(term: Term) -> bool:
    return "u" not in term and set(term) != {"d"}


def _is_object(term: Term) -> bool:
    """Could this term be a parser-like object (not a constant or an unknown value)?"""
    return any(k in term for k in ("l", "p", "g", "i", "s"))


def _is_texty(term: Term) -> bool:
    return ("c" in term and isinstance(term["c"], str)) or any(
        k in term for k in ("cat", "fn", "p", "i", "g", "l", "s", "sub", "attr", "ifx", "bi")
    )


def _has_object(event: Mapping[str, Any]) -> bool:
    terms = [*event.get("args", []), *event.get("kw", {}).values()]
    return any(_contains_object(t) for t in terms)


def _contains_object(term: Any) -> bool:
    if isinstance(term, list):
        return any(_contains_object(t) for t in term)
    if not isinstance(term, dict):
        return False
    if _is_object(term):
        return True
    return any(_contains_object(t) for t in term.values())


def _collect_locals(value: Any, out: set[str]) -> None:
    if isinstance(value, dict):
        if "l" in value and isinstance(value["l"], str):
            out.add(value["l"])
        for key, item in value.items():
            if key != "l":
                _collect_locals(item, out)
    elif isinstance(value, list):
        for item in value:
            _collect_locals(item, out)
