"""Static argparse extraction: ``ast`` facts per file, a small symbolic interpreter at link time.

Why two steps: argparse CLIs are built imperatively (``parser = ArgumentParser(...)``,
``sub = subparsers.add_parser(...)``, ``add_common(sub)`` in another module), so a single
file rarely tells the whole story. :func:`extract` turns every function of a file (and the
module body) into an ordered list of *events* over symbolic *terms* (a local object, a
parameter, a module global, an imported name, a ``self`` attribute, a constant). Those facts
are cached per file. :func:`link` then replays the events of the functions that build parsers,
inlining calls to project functions with their arguments bound (so helpers that add arguments
to a parser they receive, across modules, land on the right parser), and turns the resulting
parser objects into :class:`~kdocs.models.cli.Command` trees.

What cannot be known without running the code (arguments added in loops over dynamic data,
parsers passed to callables kdocs cannot follow, help computed at runtime) becomes an
:class:`~kdocs.models.cli.Unresolved` note on the command, never a guess.

Choices made here (documented in the README section of the CLI model):

* Help texts are the raw strings given to argparse: argparse expands ``%(default)s`` and
  friends only when it formats help, so ``help="size (default: %(default)s)"`` is stored as is.
* A root parser gets the name of the console script whose target function reaches the
  function that creates it (or the interpretation entry that built it) through project
  calls, or whose target lives in the same module; otherwise its ``prog=`` when that is a
  constant, otherwise the dotted module name (``pkg.__main__`` -> ``pkg``).
* The automatic ``-h/--help`` (and an explicit help action with argparse's default text) is
  left out; ``version`` and explicit ``help`` actions are flags.
* ``default`` is the literal value when it is one (implied ``False``/``True`` for
  ``store_true``/``store_false``); ``argparse.SUPPRESS`` and non-literal defaults are ``None``.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kdocs.extract.cli import ARGPARSE_FACTS_VERSION, usage
from kdocs.extract.cli.typenames import normalize_type_name
from kdocs.models.cli import Argument, Command, Option, SourceLocation, Unresolved

if TYPE_CHECKING:
    from kdocs.extract import SourceFile
    from kdocs.project import Project

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
_GETTEXT = {
    "_",
    "__",
    "_l",
    "gettext",
    "gettext_lazy",
    "lazy_gettext",
    "ugettext",
    "ugettext_lazy",
    "N_",
    "gettext_noop",
}
_STR_METHODS = {
    "strip",
    "lstrip",
    "rstrip",
    "format",
    "join",
    "replace",
    "capitalize",
    "lower",
    "upper",
    "title",
    "split",
    "rsplit",
    "startswith",
    "endswith",
    "removeprefix",
    "removesuffix",
}
_BUILTINS = {"sorted", "list", "tuple", "len", "str", "reversed", "set"}
_MAX_UNROLL = 200
_MAX_DEPTH = 25
HELP_DEFAULT = "show this help message and exit"
_ZERO_NARGS = {
    "store_true",
    "store_false",
    "store_const",
    "append_const",
    "count",
    "help",
    "version",
    "boolean_optional",
}
VERSION_HELP_DEFAULT = "show program's version number and exit"

Term = dict[str, Any]


def wants(text: str) -> bool:
    """Cheap pre-filter: could this file take part in building an argparse CLI?"""
    return any(marker in text for marker in WANTS_MARKERS)


# --------------------------------------------------------------------------------------
# Per-file extraction
# --------------------------------------------------------------------------------------


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
        module_fn = _Func("<module>", [], {}, is_module=True)
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
        if not node.level:
            return node.module or ""
        base = self._package().split(".") if self._package() else []
        if node.level > 1:
            base = base[: len(base) - (node.level - 1)] if len(base) >= node.level - 1 else []
        parts = [*base, *([node.module] if node.module else [])]
        return ".".join(p for p in parts if p)

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
        doc = ast.get_docstring(tree, clean=False)
        if doc is not None:
            self.consts["__doc__"] = doc  # ``description=__doc__``
        for node in tree.body:
            self._collect_stmt(node)
        for name in _mutated_names(tree.body):
            self.consts.pop(name, None)

    def _collect_stmt(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Assign):
            value = _literal(node.value, self.consts)
            for target in node.targets:
                for name in _target_names(target):
                    self.module_names.add(name)
                if isinstance(target, ast.Name):
                    if value is not _NO:
                        self.consts[target.id] = value
                    else:
                        self.consts.pop(target.id, None)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            self.module_names.add(node.target.id)
            if node.value is not None:
                value = _literal(node.value, self.consts)
                if value is not _NO:
                    self.consts[node.target.id] = value
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.module_names.add(node.name)
            if isinstance(node, ast.ClassDef):
                _str_enum_members(node, self.consts)
        elif isinstance(node, (ast.If, ast.Try)):
            for child in [*node.body, *node.orelse]:
                self._collect_stmt(child)
            if isinstance(node, ast.Try):
                for handler in node.handlers:
                    for child in handler.body:
                        self._collect_stmt(child)

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


_NO: Any = object()


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
            return left + right
        if isinstance(left, list) and isinstance(right, list):
            return left + right
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
        if name.rsplit(".", 1)[-1] in ("dedent", "cleandoc"):
            inner = _literal(node.args[0], consts)
            if isinstance(inner, str):
                return (
                    textwrap.dedent(inner) if name.endswith("dedent") else inspect.cleandoc(inner)
                )
    return _NO


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


def _dotted(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


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


def _items(term: Term) -> list[Term] | None:
    if "c" in term and isinstance(term["c"], list):
        return [{"c": v} for v in term["c"]]
    if "list" in term:
        items: list[Term] = term["list"]
        return items
    return None


def _list(items: list[Term]) -> Term:
    if all("c" in i for i in items):
        return {"c": [i["c"] for i in items]}
    return {"list": items}


def _subscript(base: Any, index: Any, bounds: list[Any] | None, src: str) -> Any:
    try:
        if bounds is not None:
            if isinstance(base, (str, list)) and all(
                b is None or isinstance(b, int) for b in bounds
            ):
                return base[slice(*bounds)]
        elif isinstance(base, (str, list)) and isinstance(index, int):
            return base[index]
        elif isinstance(base, dict) and isinstance(index, (str, int, float, bool)):
            return base[str(index)] if str(index) in base else _Unknown(src)
    except (IndexError, TypeError, ValueError):
        pass
    return _Unknown(src)


def _builtin(name: str, values: list[Any]) -> Any:
    if len(values) != 1:
        return _NO
    value = values[0]
    if isinstance(value, _View):
        value = value.items()
    if isinstance(value, dict):
        value = list(value)
    if not isinstance(value, (str, list)) or (
        isinstance(value, list) and not all(_plain(v) for v in value)
    ):
        return _NO
    try:
        if name == "len":
            return len(value)
        if name == "str":
            return str(value) if isinstance(value, str) else _NO
        if name == "sorted":
            return sorted(value)
        if name == "reversed":
            return list(reversed(value))
        return list(value)  # list/tuple/set: order kept, good enough for iteration
    except TypeError:
        return _NO


def _fold_sub(term: Term) -> Term:
    base = term["sub"]
    if "c" not in base:
        return term
    if "slice" in term:
        if all("c" in b for b in term["slice"]):
            value = _subscript(base["c"], None, [b["c"] for b in term["slice"]], "")
            return term if isinstance(value, _Unknown) else {"c": value}
        return term
    if "c" in term["idx"]:
        value = _subscript(base["c"], term["idx"]["c"], None, "")
        return term if isinstance(value, _Unknown) else {"c": value}
    return term


def _fold_builtin(term: Term) -> Term:
    if all("c" in a for a in term["a"]):
        value = _builtin(term["bi"], [a["c"] for a in term["a"]])
        if value is not _NO:
            return {"c": value}
    return term


def _cat(parts: list[Term]) -> Term:
    if all("c" in p and isinstance(p["c"], str) for p in parts):
        return {"c": "".join(p["c"] for p in parts)}
    if all("c" in p and isinstance(p["c"], list) for p in parts):
        return {"c": [x for p in parts for x in p["c"]]}
    return {"cat": parts}


def _fold(term: Term) -> Term:
    """Apply a text function now when every input is a constant."""
    inputs = [term["a"], *term.get("args", []), *term.get("kw", {}).values()]
    if all("c" in t for t in inputs):
        value = _apply_text(
            term["fn"],
            term["a"]["c"],
            [a["c"] for a in term.get("args", [])],
            {k: v["c"] for k, v in term.get("kw", {}).items()},
        )
        if value is not _NO:
            return {"c": value}
    return term


def _apply_text(fn: str, base: Any, args: list[Any], kw: dict[str, Any]) -> Any:
    try:
        if fn == "identity":
            return base
        if fn == "dedent" and isinstance(base, str):
            return textwrap.dedent(base)
        if fn == "cleandoc" and isinstance(base, str):
            return inspect.cleandoc(base)
        if fn == "percent" and isinstance(base, str) and args:
            value = args[0]
            return base % (tuple(value) if isinstance(value, list) else value)
        if isinstance(base, str) and fn in _STR_METHODS:
            if fn == "join":
                if args and isinstance(args[0], list) and all(isinstance(a, str) for a in args[0]):
                    return base.join(args[0])
                return _NO
            result = getattr(base, fn)(*args, **kw)
            if isinstance(result, (str, bool)):
                return result
            if isinstance(result, list) and all(isinstance(r, str) for r in result):
                return result
            return _NO
    except Exception:
        return _NO
    return _NO


# --------------------------------------------------------------------------------------
# Link: replay events into parser objects
# --------------------------------------------------------------------------------------


class _Unknown:
    def __init__(self, text: str, loop: bool = False) -> None:
        self.text = text
        self.loop = loop

    def __repr__(self) -> str:
        return f"<unknown {self.text}>"


class _Suppress:
    pass


SUPPRESS = _Suppress()


@dataclass
class _FuncRef:
    target: str
    bound: Any = None  # the ``self`` of a bound method passed as a value


@dataclass
class _ModuleRef:
    module: str


@dataclass
class _Action:
    flags: list[Any]
    kw: dict[str, Any]
    file: str
    loc: list[int]
    loop: str | None = None
    group: int | None = None  # index of its mutually exclusive group in _Parser.groups


@dataclass(eq=False)
class _Parser:
    kw: dict[str, Any]
    file: str
    loc: list[int]
    obj: str
    module: str
    actions: list[_Action] = field(default_factory=list)
    subparsers: _Subparsers | None = None
    unresolved: list[Unresolved] = field(default_factory=list)
    is_child: bool = False
    used_as_parent: bool = False
    name: Any = None
    entry: str = ""
    rewriter: str | None = None  # a project parser class's own add_argument
    cls: str | None = None  # the project class of the parser (module:qualname), if any
    groups: list[bool] = field(default_factory=list)  # mutually exclusive groups: required?


@dataclass(eq=False)
class _Group:
    parser: _Parser
    exclusive: int | None = None  # a mutually exclusive group: its index in parser.groups


@dataclass(eq=False)
class _Subparsers:
    parser: _Parser
    kw: dict[str, Any]
    children: list[_Parser] = field(default_factory=list)
    at: int = 0  # how many actions the parser had when add_subparsers() ran (for usage)


@dataclass
class _Frame:
    module: str
    qualname: str
    file: str
    bindings: dict[str, Any]
    locals: dict[str, Any]
    self_state: dict[str, Any]
    class_name: str | None
    depth: int
    ret: Any = None
    returned: bool = False
    maybe: bool = False  # a return under a guard kdocs could not evaluate was seen


class _Linker:
    def __init__(self, facts: Mapping[str, Any], project: Project | None = None) -> None:
        self.project = project
        self._module_paths: dict[str, Any] | None = None
        self.by_module: dict[str, dict[str, Any]] = {}
        self.file_of: dict[str, str] = {}
        for relpath, data in facts.items():
            if not isinstance(data, dict) or data.get("version") != FACTS_VERSION:
                continue  # facts of another kdocs version (a stale cache): never misread them
            self.by_module[data["module"]] = data
            self.file_of[data["module"]] = relpath
        self.globals: dict[str, dict[str, Any]] = {}
        self.module_done: set[str] = set()
        self.parsers: list[_Parser] = []
        self.stack: list[str] = []
        self.last_parser: _Parser | None = None
        self.entry = ""
        self._creates: dict[str, bool] = {}
        self._extra_consts: dict[str, dict[str, Any] | None] = {}
        self.sites: list[tuple[str, list[int]]] = []  # call sites being replayed
        self._resolved: dict[tuple[str, bool], tuple[str, Any] | None] = {}

    # -- symbol resolution -------------------------------------------------------------

    def resolve(self, target: str, *, consts: bool = False) -> tuple[str, Any] | None:
        """Resolve ``module:attr.path``: ("function"|"class"|"module", key) or ("global", value).

        ``consts`` also reads constants of project modules without argparse facts (parsed on
        demand); call targets never need that.
        """
        key = (target, consts)
        if key in self._resolved:
            return self._resolved[key]
        result = self._resolve(target, 0, consts)
        if result is not None and result[0] != "global":  # globals change while replaying
            self._resolved[key] = result
        return result

    def _resolve(self, target: str, depth: int, consts: bool) -> tuple[str, Any] | None:
        if depth > 10 or ":" not in target:
            return None
        module, _, attr = target.partition(":")
        if module == "argparse":
            special = _argparse_special(target)
            if special is not None:
                return ("global", SUPPRESS if "sup" in special else special["c"])
            return None
        if not attr:
            return ("module", module) if module in self.by_module else None
        parts = attr.split(".")
        # "pkg:mod.func" where pkg.mod is a module.
        for i in range(len(parts) - 1, 0, -1):
            sub = f"{module}.{'.'.join(parts[:i])}"
            if sub in self.by_module and module not in self.by_module:
                return self._resolve(f"{sub}:{'.'.join(parts[i:])}", depth + 1, consts)
        data = self.by_module.get(module)
        if data is None:
            sub = f"{module}.{parts[0]}"
            if sub in self.by_module:
                rest = ".".join(parts[1:])
                return self._resolve(f"{sub}:{rest}", depth + 1, consts)
            return self.plain_constant(module, parts, depth) if consts else None
        if attr in data["functions"]:
            return ("function", f"{module}:{attr}")
        if attr in data["classes"]:
            return ("class", f"{module}:{attr}")
        head = parts[0]
        if head in data["classes"] and len(parts) == 2:
            method = self.find_method(f"{module}:{head}", parts[1])
            if method:
                return ("function", method)
        if len(parts) == 1:
            self.run_module(module)
            if head in self.globals.get(module, {}):
                return ("global", self.globals[module][head])
        if attr in data["consts"]:
            return ("global", data["consts"][attr])
        sub = f"{module}.{head}"
        if sub in self.by_module or (
            consts
            and data["imports"].get(head) == f"{module}:{head}"
            and self.module_consts(sub) is not None
        ):
            rest = ".".join(parts[1:])
            return self._resolve(f"{sub}:{rest}", depth + 1, consts) if rest else ("module", sub)
        if head in data["imports"]:
            imported = data["imports"][head]
            rest = ".".join(parts[1:])
            if ":" in imported:
                return self._resolve(f"{imported}.{rest}" if rest else imported, depth + 1, consts)
            if rest:
                return self._resolve(f"{imported}:{rest}", depth + 1, consts)
            return ("module", imported) if imported in self.by_module else None
        sub = f"{module}.{head}"
        if sub in self.by_module:
            rest = ".".join(parts[1:])
            return self._resolve(f"{sub}:{rest}", depth + 1, consts) if rest else ("module", sub)
        return None

    def plain_constant(self, module: str, parts: list[str], depth: int) -> tuple[str, Any] | None:
        """A constant of a project module without argparse facts (``constants.py``).

        Such files never pass the pre-filter, so they are parsed here, once, on demand.
        """
        if depth > 10:
            return None
        if len(parts) > 1:
            sub = f"{module}.{parts[0]}"
            if self.module_consts(sub) is not None:
                return self.plain_constant(sub, parts[1:], depth + 1)
        consts = self.module_consts(module)
        if consts is None:
            return None
        if ".".join(parts) in consts:
            return ("global", consts[".".join(parts)])
        return None

    def module_consts(self, module: str) -> dict[str, Any] | None:
        if module in self._extra_consts:
            return self._extra_consts[module]
        if self._module_paths is None:
            self._module_paths = {}
            if self.project is not None:
                for entry in self.project.files:
                    self._module_paths[entry.module] = entry.path
        path = self._module_paths.get(module)
        result: dict[str, Any] | None = None
        if path is not None:
            result = {}
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"))
            except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
                tree = None
            if tree is not None:
                doc = ast.get_docstring(tree, clean=False)
                if doc is not None:
                    result["__doc__"] = doc
                for node in tree.body:
                    if isinstance(node, ast.ClassDef):
                        _str_enum_members(node, result)
                    targets: list[ast.expr] = []
                    if isinstance(node, ast.Assign):
                        targets = list(node.targets)
                    elif isinstance(node, ast.AnnAssign) and node.value is not None:
                        targets = [node.target]
                    value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
                    for target in targets:
                        if isinstance(target, ast.Name) and value is not None:
                            literal = _literal(value, result)
                            if literal is not _NO:
                                result[target.id] = literal
                for name in _mutated_names(tree.body):
                    result.pop(name, None)
        self._extra_consts[module] = result
        return result

    def find_method(self, class_key: str, method: str, depth: int = 0) -> str | None:
        if depth > 10:
            return None
        module, _, cls = class_key.partition(":")
        data = self.by_module.get(module)
        if data is None:
            return None
        if f"{cls}.{method}" in data["functions"]:
            return f"{module}:{cls}.{method}"
        for base in data["classes"].get(cls, {}).get("bases", []):
            resolved = self.resolve(base) if ":" in base else None
            if resolved and resolved[0] == "class":
                found = self.find_method(resolved[1], method, depth + 1)
                if found:
                    return found
        return None

    def is_parser_class(self, class_key: str, depth: int = 0) -> bool:
        if depth > 10:
            return False
        module, _, cls = class_key.partition(":")
        data = self.by_module.get(module)
        if data is None:
            return False
        for base in data["classes"].get(cls, {}).get("bases", []):
            if base == "argparse:ArgumentParser":
                return True
            resolved = self.resolve(base) if ":" in base else None
            if resolved and resolved[0] == "class" and self.is_parser_class(resolved[1], depth + 1):
                return True
        return False

    def func(self, key: str) -> dict[str, Any] | None:
        module, _, qual = key.partition(":")
        data = self.by_module.get(module)
        if data is None:
            return None
        result: dict[str, Any] | None = data["functions"].get(qual)
        return result

    def callee_key(self, func_term: Term, class_name: str | None, module: str) -> str | None:
        if "t" in func_term:
            resolved = self.resolve(func_term["t"])
            if resolved is None:
                return None
            if resolved[0] == "function":
                return str(resolved[1])
            if resolved[0] == "class":
                return f"class:{resolved[1]}"
            return None
        if "self" in func_term and class_name:
            return self.find_method(f"{module}:{func_term['class']}", func_term["self"])
        if "super" in func_term and class_name:
            data = self.by_module.get(module, {})
            for base in data.get("classes", {}).get(func_term["class"], {}).get("bases", []):
                if base == "argparse:ArgumentParser" and func_term["super"] == "__init__":
                    return "argparse-init"
                resolved = self.resolve(base) if ":" in base else None
                if resolved and resolved[0] == "class":
                    found = self.find_method(resolved[1], func_term["super"])
                    if found:
                        return found
        return None

    # -- which functions start an interpretation ----------------------------------------

    def creates(self, key: str, seen: frozenset[str] = frozenset()) -> bool:
        if key in self._creates:
            return self._creates[key]
        if key in seen:
            return False
        fn = self.func(key)
        result = False
        if fn is not None:
            module = key.partition(":")[0]
            for event in _walk_events(fn["events"]):
                if event["op"] == "new":
                    result = True
                    break
                if event["op"] == "call":
                    callee = self.callee_key(event["func"], fn.get("class"), module)
                    if callee is None:
                        continue
                    if callee.startswith("class:"):
                        if self.is_parser_class(callee[6:]):
                            result = True
                            break
                        continue
                    if callee != "argparse-init" and self.creates(callee, seen | {key}):
                        result = True
                        break
        self._creates[key] = result
        return result

    def entries(self) -> list[str]:
        creating = [
            f"{module}:{qual}"
            for module, data in sorted(self.by_module.items())
            for qual in data["functions"]
            if qual != "<module>" and self.creates(f"{module}:{qual}")
        ]
        called: set[str] = set()
        for key in [
            *creating,
            *(
                f"{m}:<module>"
                for m in self.by_module
                if "<module>" in self.by_module[m]["functions"]
            ),
        ]:
            fn = self.func(key)
            if fn is None:
                continue
            module = key.partition(":")[0]
            for event in _walk_events(fn["events"]):
                if event["op"] == "call":
                    callee = self.callee_key(event["func"], fn.get("class"), module)
                    if callee and callee != key:
                        called.add(callee)
        return [k for k in creating if k not in called]

    # -- interpretation ---------------------------------------------------------------

    def run_module(self, module: str) -> None:
        if module in self.module_done:
            return
        self.module_done.add(module)
        self.globals.setdefault(module, {})
        key = f"{module}:<module>"
        if self.func(key) is None:
            return
        saved = self.entry
        self.entry = key
        self.call(key, {}, {}, 0)
        self.entry = saved

    def run_entry(self, key: str) -> None:
        self.entry = key
        self.last_parser = None
        self.call(key, {}, {}, 0)

    def call(
        self,
        key: str,
        bindings: dict[str, Any],
        self_state: dict[str, Any],
        depth: int,
        closure: dict[str, Any] | None = None,
    ) -> Any:
        fn = self.func(key)
        if fn is None:
            return _Unknown(key)
        if key in self.stack or depth > _MAX_DEPTH:
            if self.last_parser is not None:
                self.last_parser.unresolved.append(
                    Unresolved(
                        f"recursive call to {key.partition(':')[2]} is not followed",
                        self.file_of.get(key.partition(":")[0], ""),
                        fn["line"],
                    )
                )
            return _Unknown(key)
        module = key.partition(":")[0]
        frame = _Frame(
            module=module,
            qualname=key.partition(":")[2],
            file=self.file_of.get(module, ""),
            bindings=bindings,
            locals=dict(closure or {}),
            self_state=self_state,
            class_name=fn.get("class"),
            depth=depth,
        )
        self.stack.append(key)
        try:
            for event in fn["events"]:
                self.event(event, frame)
        finally:
            self.stack.pop()
        return frame.ret

    def value(self, term: Any, frame: _Frame) -> Any:
        if not isinstance(term, dict):
            return _Unknown(repr(term))
        if "c" in term:
            return term["c"]
        if "sup" in term:
            return SUPPRESS
        if "l" in term:
            return frame.locals.get(term["l"], _Unknown("a local value"))
        if "p" in term:
            if term["p"] in frame.bindings:
                return frame.bindings[term["p"]]
            return _Unknown(f"parameter {term['p']}")
        if "s" in term:
            if term["s"] in frame.self_state:
                return frame.self_state[term["s"]]
            if frame.class_name:
                method = self.find_method(f"{frame.module}:{frame.class_name}", term["s"])
                if method is not None:
                    current = self.func(f"{frame.module}:{frame.qualname}") or {}
                    bound = frame.bindings.get(current.get("self") or "self")
                    return _FuncRef(method, bound if bound is not None else _Unknown("self"))
            return _Unknown(f"self.{term['s']}")
        if "g" in term:
            name = term["g"]
            if "r" in term:
                return _Unknown(str(term.get("d", name)))
            self.run_module(frame.module)
            if name in self.globals.get(frame.module, {}):
                return self.globals[frame.module][name]
            data = self.by_module.get(frame.module, {})
            if name in data.get("consts", {}):
                return data["consts"][name]
            if name in data.get("functions", {}):
                return _FuncRef(f"{frame.module}:{name}")
            return _Unknown(str(term.get("d", name)))
        if "i" in term:
            resolved = self.resolve(term["i"], consts=True)
            if resolved is None:
                return _Unknown(str(term.get("d", term["i"])))
            if resolved[0] == "global":
                return resolved[1]
            if resolved[0] == "function":
                return _FuncRef(str(resolved[1]))
            if resolved[0] == "module":
                return _ModuleRef(str(resolved[1]))
            return _Unknown(str(term.get("d", term["i"])))
        if "fdef" in term:
            return _FuncRef(term["fdef"])
        if "list" in term:
            return [self.value(t, frame) for t in term["list"]]
        if "cat" in term:
            parts = [self.value(t, frame) for t in term["cat"]]
            if all(isinstance(p, str) for p in parts):
                return "".join(parts)
            if all(isinstance(p, list) for p in parts):
                return [x for p in parts for x in p]
            return _Unknown(" + ".join(_describe(p) for p in parts))
        if "fn" in term:
            base = self.value(term["a"], frame)
            args = [self.value(a, frame) for a in term.get("args", [])]
            kw = {k: self.value(v, frame) for k, v in term.get("kw", {}).items()}
            if isinstance(base, _Unknown) or any(
                isinstance(v, (_Unknown, _Parser)) for v in [*args, *kw.values()]
            ):
                return _Unknown(f"{term['fn']}() of a computed value")
            result = _apply_text(term["fn"], base, args, kw)
            return _Unknown(f"{term['fn']}()") if result is _NO else result
        if "tn" in term:
            return term["tn"]
        if "attr" in term:
            owner = self.value(term["of"], frame)
            if isinstance(owner, _Subparsers):
                return owner.kw.get(term["attr"])
            if isinstance(owner, _Parser) and term["attr"] in owner.kw:
                return owner.kw[term["attr"]]
            return _Unknown(str(term.get("d", term["attr"])))
        if "sub" in term:
            base = self.value(term["sub"], frame)
            if "slice" in term:
                bounds = [self.value(b, frame) for b in term["slice"]]
                return _subscript(base, None, bounds, str(term.get("src", "[]")))
            index = self.value(term["idx"], frame)
            return _subscript(base, index, None, str(term.get("src", "[]")))
        if "bi" in term:
            values = [self.value(a, frame) for a in term["a"]]
            result = _builtin(term["bi"], values)
            return _Unknown(f"{term['bi']}()") if result is _NO else result
        if "view" in term:
            base = self.value(term["a"], frame)
            return _View(term["view"], base) if isinstance(base, dict) else _Unknown("a view")
        if "ifx" in term:
            chosen = self.condition(term["ifx"], frame)
            if chosen is None:
                return _Unknown(str(term.get("src", "conditional expression")))
            return self.value(term["a"] if chosen else term["b"], frame)
        if "fs" in term:
            inner = self.value(term["fs"], frame)
            if isinstance(inner, (str, int, float, bool)):
                return str(inner)
            return _Unknown(f"{{{_describe(inner)}}}")
        if "u" in term:
            return _Unknown(term["u"], bool(term.get("loop")))
        if "d" in term:
            return _Unknown(term["d"])
        if "custom" in term:
            return term
        return _Unknown("value")

    def kwargs(self, terms: Mapping[str, Any], frame: _Frame) -> dict[str, Any]:
        """Resolve keyword terms; a ``**kwargs`` splat of a known dict is merged in."""
        out: dict[str, Any] = {}
        for key, term in terms.items():
            value = self.value(term, frame)
            if key == "**" and isinstance(value, dict):
                out.update(value)
            else:
                out[key] = value
        return out

    def parser_of(self, obj: Any) -> _Parser | None:
        if isinstance(obj, _Parser):
            return obj
        if isinstance(obj, _Group):
            return obj.parser
        return None

    def note(self, parser: _Parser | None, message: str, frame: _Frame, loc: list[int]) -> None:
        target = parser or self.last_parser
        if target is not None:
            target.unresolved.append(Unresolved(message, frame.file, loc[0]))

    def condition(self, cond: Term, frame: _Frame) -> bool | None:
        """True/False when the guard is known in this replay, None when it is not."""
        if "unknown" in cond:
            return None
        if "not" in cond:
            inner = self.condition(cond["not"], frame)
            return None if inner is None else not inner
        if "and" in cond or "or" in cond:
            parts: list[Term] = cond["and"] if "and" in cond else cond["or"]
            values = [self.condition(c, frame) for c in parts]
            if "and" in cond:
                if any(v is False for v in values):
                    return False
                return True if all(v is True for v in values) else None
            if any(v is True for v in values):
                return True
            return False if all(v is False for v in values) else None
        if "eq" in cond:
            left, right = (self.value(t, frame) for t in cond["eq"])
            if (_plain(left) or left is SUPPRESS) and (_plain(right) or right is SUPPRESS):
                return bool(left == right)
            if left is None or right is None:  # ``x is None`` on a known object
                other = right if left is None else left
                return None if isinstance(other, _Unknown) else other is None
            return None
        if "in" in cond:
            left, right = (self.value(t, frame) for t in cond["in"])
            if _plain(left) and isinstance(right, (str, list, dict)):
                try:
                    return left in right
                except TypeError:
                    return None
            return None
        if "truth" in cond:
            value = self.value(cond["truth"], frame)
            if isinstance(value, (_Parser, _Group, _Subparsers, _FuncRef, _ModuleRef)):
                return True
            return bool(value) if _plain(value) else None
        return None

    def event(self, event: dict[str, Any], frame: _Frame) -> None:
        if frame.returned:
            return
        certain = True
        for cond in event.get("when", ()):
            known = self.condition(cond, frame)
            if known is False:
                return
            certain = certain and known is True
        op = event["op"]
        loc = event.get("loc", [1, 1])
        if op == "new":
            kw = self.kwargs(event["kw"], frame)
            self.new_parser(kw, frame, loc, event["ref"])
        elif op == "arg":
            target = self.value(event["on"], frame)
            parser = self.parser_of(target)
            if parser is None:
                if isinstance(target, _Unknown) and self.last_parser is not None:
                    self.note(
                        None,
                        f"add_argument() on {target.text}, which kdocs cannot follow",
                        frame,
                        loc,
                    )
                return
            self.last_parser = parser
            flags = [self.value(a, frame) for a in event["args"]]
            kw = self.kwargs(event["kw"], frame)
            if not flags and isinstance(kw.get("dest"), str):
                flags = [kw.pop("dest")]  # add_argument(dest="rest", nargs=...): a positional
            if "**" in kw or any(not isinstance(f, str) for f in flags) or not flags:
                shown = ", ".join(_describe(f) for f in flags) or "no names"
                self.note(
                    parser,
                    f"add_argument({shown}) has names or options computed at runtime",
                    frame,
                    loc,
                )
                return
            group = target.exclusive if isinstance(target, _Group) else None
            parser.actions.append(_Action(flags, kw, frame.file, loc, event.get("loop"), group))
        elif op == "group":
            parser = self.parser_of(self.value(event["on"], frame))
            if parser is None:
                frame.locals[event["ref"]] = _Unknown("group")
                return
            exclusive = None
            if event.get("mx"):
                required = self.kwargs(event.get("kw", {}), frame).get("required")
                parser.groups.append(required is True)
                exclusive = len(parser.groups) - 1
            frame.locals[event["ref"]] = _Group(parser, exclusive)
        elif op == "subparsers":
            parser = self.parser_of(self.value(event["on"], frame))
            if parser is None:
                frame.locals[event["ref"]] = _Unknown("subparsers")
                return
            kw = self.kwargs(event["kw"], frame)
            subs = _Subparsers(parser, kw, at=len(parser.actions))
            parser.subparsers = subs
            self.last_parser = parser
            frame.locals[event["ref"]] = subs
        elif op == "parser":
            subs = self.value(event["on"], frame)
            kw = self.kwargs(event["kw"], frame)
            if isinstance(subs, _ModuleRef):
                # ``module.add_parser(subparsers, ...)``: a project function, not argparse's.
                target = self.resolve(f"{subs.module}:add_parser")
                pos = [self.value(a, frame) for a in event.get("pos", [])]
                if target is not None and target[0] == "function":
                    args = [kw.pop("name", None), *pos]
                    frame.locals[event["ref"]] = self.invoke(
                        str(target[1]), args, kw, {}, frame, bound=False
                    )
                    return
            if not isinstance(subs, _Subparsers):
                frame.locals[event["ref"]] = _Unknown("parser")
                if isinstance(subs, _Unknown):
                    self.note(
                        None, f"add_parser() on {subs.text}, which kdocs cannot follow", frame, loc
                    )
                return
            name = kw.pop("name", None)
            child = self.new_parser(kw, frame, loc, event["ref"])
            name_term = event["kw"].get("name", {})
            if "p" in name_term and self.sites:
                # A helper called with the name (``add_cmd("init", ...)``): point at the call.
                child.file, child.loc = self.sites[-1]
            child.is_child = True
            if "parser_class" not in kw:
                # Subparsers are instances of the parent parser's class by default.
                child.rewriter, child.cls = subs.parser.rewriter, subs.parser.cls
            child.name = name
            if not isinstance(name, str):
                self.note(
                    subs.parser,
                    f"add_parser({_describe(name)}): subcommand name computed at runtime",
                    frame,
                    loc,
                )
                child.used_as_parent = True  # keep it out of the roots, too
                return
            subs.children.append(child)
        elif op == "call":
            self.run_call(event, frame)
        elif op == "return":
            # A return under a guard known true ends the function; under an unknown guard it
            # is a candidate result and execution goes on (the first candidate wins).
            value = self.value(event["value"], frame)
            if frame.maybe and frame.ret is not None and frame.ret != value:
                if _plain(frame.ret) or _plain(value):
                    name = frame.qualname.rsplit(".", 1)[-1]
                    frame.ret = _Unknown(f"{name}(), whose result depends on a condition")
            elif certain or frame.ret is None:
                frame.ret = value
            if certain:
                frame.returned = True
            else:
                frame.maybe = True
        elif op == "setglobal":
            value = self.value(event["value"], frame)
            self.globals.setdefault(frame.module, {})[event["name"]] = value
        elif op == "setself":
            frame.self_state[event["attr"]] = self.value(event["value"], frame)
        elif op == "setattr":
            parser = self.parser_of(self.value(event["on"], frame))
            if parser is not None:
                parser.kw[event["attr"]] = self.value(event["value"], frame)
        elif op == "loop":
            self.run_loop(event, frame)
        elif op == "unresolved":
            target = self.parser_of(self.value(event["on"], frame)) if event["on"] else None
            self.note(target, event["msg"], frame, loc)

    def run_loop(self, event: dict[str, Any], frame: _Frame) -> None:
        items = _iteration(self.value(event["iter"], frame))
        if items is None:
            names = ", ".join(event.get("names", []))
            text = f"loop variable {names} over {event['text']}"
            self.bind_pattern(event["vars"], _Unknown(text, loop=True), frame)
            for inner in event["body"]:
                self.event(inner, frame)
            return
        for item in items[:_MAX_UNROLL]:
            self.bind_pattern(event["vars"], item, frame)
            for inner in event["body"]:
                self.event(inner, frame)

    def bind_pattern(self, pattern: Any, value: Any, frame: _Frame) -> None:
        if isinstance(pattern, str):
            frame.locals[pattern] = value
            return
        parts = value if isinstance(value, (list, tuple)) and len(value) == len(pattern) else None
        for i, sub in enumerate(pattern):
            self.bind_pattern(sub, parts[i] if parts is not None else _Unknown("loop item"), frame)

    def new_parser(
        self, kw: dict[str, Any], frame: _Frame, loc: list[int], ref: str | None
    ) -> _Parser:
        obj = f"{frame.module}:{frame.qualname}"
        if frame.qualname == "<module>":
            obj = f"{frame.module}:{ref}"
        parser = _Parser(kw=kw, file=frame.file, loc=loc, obj=obj, module=frame.module)
        parser.entry = self.entry
        if "**" in kw:
            splat = kw.pop("**")
            parser.unresolved.append(
                Unresolved(
                    f"parser keyword arguments computed at runtime ({_describe(splat)})",
                    frame.file,
                    loc[0],
                )
            )
        parents = kw.pop("parents", None)
        if isinstance(parents, list):
            for parent in parents:
                if isinstance(parent, _Parser):
                    parent.used_as_parent = True
                    shift = len(parser.groups)  # argparse copies the exclusive groups too
                    parser.groups.extend(parent.groups)
                    parser.actions.extend(
                        a if a.group is None else _Action(**{**vars(a), "group": a.group + shift})
                        for a in parent.actions
                    )
                else:
                    parser.unresolved.append(
                        Unresolved(
                            f"parent parser {_describe(parent)} is not known statically",
                            frame.file,
                            loc[0],
                        )
                    )
        elif parents is not None:
            parser.unresolved.append(
                Unresolved(
                    f"parents={_describe(parents)} is not known statically", frame.file, loc[0]
                )
            )
        if ref is not None:
            frame.locals[ref] = parser
        self.parsers.append(parser)
        self.last_parser = parser
        return parser

    def run_call(self, event: dict[str, Any], frame: _Frame) -> None:
        ref = event["ref"]
        callee = self.callee_key(event["func"], frame.class_name, frame.module)
        args = [self.value(a, frame) for a in event["args"]]
        kw = self.kwargs(event["kw"], frame)
        objects = [a for a in [*args, *kw.values()] if self.parser_of(a) or _is_subs(a)]
        if callee is None:
            funcref = None
            if "dyn" in event["func"]:
                head = event["func"]["dyn"]
                value = frame.bindings.get(head)
                if isinstance(value, _FuncRef):
                    funcref = value.target
                    if value.bound is not None:
                        args = [value.bound, *args]
                elif "recv" in event["func"]:
                    receiver = self.parser_of(self.value(event["func"]["recv"], frame))
                    if receiver is not None and receiver.cls is not None:
                        funcref = self.find_method(receiver.cls, event["func"]["method"])
                        if funcref is not None:
                            args = [receiver, *args]
            if funcref is not None:
                callee = funcref
        if callee == "argparse-init":
            parser = self.parser_of(frame.bindings.get("self"))
            if parser is not None:
                for name, value in zip(_PARSER_PARAMS, args, strict=False):
                    parser.kw[name] = value
                parser.kw.update({k: v for k, v in kw.items() if k != "parents"})
            frame.locals[ref] = None
            return
        if callee is None:
            frame.locals[ref] = _Unknown(event.get("text", "call"))
            for obj in objects:
                target = self.parser_of(obj) or (
                    obj.parser if isinstance(obj, _Subparsers) else None
                )
                self.note(
                    target,
                    f"parser passed to {event.get('text', 'a call')}(), which kdocs cannot follow",
                    frame,
                    event["loc"],
                )
            return
        if callee.startswith("class:"):
            class_key = callee[6:]
            if self.is_parser_class(class_key):
                new_kw = dict(zip(_PARSER_PARAMS, args, strict=False))
                new_kw.update(kw)
                parser = self.new_parser(new_kw, frame, event["loc"], ref)
                parser.rewriter = self.find_method(class_key, "add_argument")
                parser.cls = class_key
                init = self.find_method(class_key, "__init__")
                if init is not None:
                    self.invoke(init, [parser, *args], kw, {}, frame, bound=False)
                frame.locals[ref] = parser
                return
            init = self.find_method(class_key, "__init__")
            state: dict[str, Any] = {}
            if init is not None and objects:
                self.invoke(init, [_Unknown("instance"), *args], kw, state, frame, bound=False)
            frame.locals[ref] = _Unknown(event.get("text", "instance"))
            return
        bound = "self" in event["func"] or "super" in event["func"]
        state = frame.self_state if bound else {}
        if bound:
            current = self.func(f"{frame.module}:{frame.qualname}") or {}
            self_name = current.get("self") or "self"
            args = [frame.bindings.get(self_name, _Unknown("self")), *args]
        self.sites.append((frame.file, event["loc"]))
        try:
            frame.locals[ref] = self.invoke(callee, args, kw, state, frame, bound=bound)
        finally:
            self.sites.pop()

    def invoke(
        self,
        key: str,
        args: list[Any],
        kw: dict[str, Any],
        self_state: dict[str, Any],
        frame: _Frame,
        *,
        bound: bool,
    ) -> Any:
        fn = self.func(key)
        if fn is None:
            return _Unknown(key)
        params: list[str] = fn["params"]
        callee_module = key.partition(":")[0]
        bindings: dict[str, Any] = {}
        for name, value in zip(params, args, strict=False):
            bindings[name] = value
        extra: dict[str, Any] = {}
        for name, value in kw.items():
            if name in params:
                bindings[name] = value
            elif name != "**":
                extra[name] = value
        if fn.get("varkw"):
            bindings[fn["varkw"]] = extra
        callee_frame = _Frame(
            callee_module,
            key.partition(":")[2],
            self.file_of.get(callee_module, ""),
            {},
            {},
            self_state,
            fn.get("class"),
            frame.depth + 1,
        )
        for name, default in fn["defaults"].items():
            if name not in bindings:
                bindings[name] = self.value(default, callee_frame)
        closure = None
        outer = callee_frame.qualname.rpartition(".")[0]
        if (
            callee_module == frame.module
            and outer
            and (frame.qualname == outer or frame.qualname.startswith(outer + "."))
            and outer not in self.by_module[callee_module]["classes"]
        ):
            # A nested function: it sees the enclosing function's locals and parameters.
            closure = frame.locals
            for name, value in frame.bindings.items():
                bindings.setdefault(name, value)
        return self.call(key, bindings, self_state, frame.depth + 1, closure)


def _iteration(value: Any) -> list[Any] | None:
    """The items a ``for`` loop over a known value sees, or None when it is not known."""
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return list(value)
    if isinstance(value, _View):
        return value.items()
    return None


@dataclass
class _View:
    kind: str
    mapping: dict[str, Any]

    def items(self) -> list[Any]:
        if self.kind == "items":
            return [[k, v] for k, v in self.mapping.items()]
        if self.kind == "keys":
            return list(self.mapping)
        return list(self.mapping.values())


def _walk_events(events: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for event in events:
        yield event
        if event["op"] == "loop":
            yield from _walk_events(event["body"])


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, list))


def _is_subs(value: Any) -> bool:
    return isinstance(value, _Subparsers)


def _describe(value: Any) -> str:
    if isinstance(value, _Unknown):
        return value.text
    if isinstance(value, _Parser):
        return "a parser"
    return repr(value)


# --------------------------------------------------------------------------------------
# Parser objects -> Command models
# --------------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, list) and all(
        v is None or isinstance(v, (str, int, float, bool)) for v in value
    ):
        return list(value)
    return None


def _action_name(value: Any) -> str:
    """argparse's action name for an ``action=`` value; ``custom`` for an Action class."""
    if value is None:
        return "store"
    if isinstance(value, str):
        return value
    return "custom"


def _dest(flags: list[str], prefix_chars: str) -> str:
    first = flags[0]
    if first and first[0] not in prefix_chars:
        return first
    long = [f for f in flags if len(f) > 1 and f[1] in prefix_chars]
    chosen = long[0] if long else first
    return chosen.lstrip(prefix_chars).replace("-", "_")


def _build_params(
    parser: _Parser,
) -> tuple[list[Option], list[Argument], list[Unresolved]]:
    options: list[Option] = []
    arguments: list[Argument] = []
    notes: list[Unresolved] = []
    prefix = parser.kw.get("prefix_chars")
    prefix_chars = prefix if isinstance(prefix, str) and prefix else "-"
    for action in parser.actions:
        kw = action.kw
        kind = _action_name(kw.get("action"))
        flags: list[str] = action.flags
        help_value = kw.get("help")
        if kind == "version" and "help" not in kw:
            help_value = VERSION_HELP_DEFAULT
        if kind == "help" and kw.get("help", HELP_DEFAULT) == HELP_DEFAULT:
            continue  # the automatic help, or one exactly like it
        hidden = help_value is SUPPRESS
        help_text = None if hidden else _text(help_value)
        source = SourceLocation(action.file, action.loc[0], action.loc[1])
        shown = "/".join(flags)
        if isinstance(help_value, _Unknown):
            notes.append(
                Unresolved(
                    f"help of {shown} is computed at runtime ({help_value.text})",
                    action.file,
                    action.loc[0],
                )
            )
        nargs = kw.get("nargs")
        nargs = nargs if isinstance(nargs, (int, str)) else None
        if nargs is None and kind in _ZERO_NARGS:
            nargs = 0  # these action classes fix nargs=0 themselves
        metavar = kw.get("metavar")
        if isinstance(metavar, list):
            metavar = " ".join(str(m) for m in metavar)
        metavar = metavar if isinstance(metavar, str) else None
        choices_value = kw.get("choices")
        choices = tuple(str(c) for c in choices_value) if isinstance(choices_value, list) else None
        type_name = kw.get("type") if isinstance(kw.get("type"), str) else None
        default = kw.get("default")
        if default is SUPPRESS:
            default = None
        elif "default" not in kw:
            if kind == "store_true":
                default = False
            elif kind == "store_false":
                default = True
            else:
                default = _json_safe(parser.kw.get("argument_default"))
        default = _json_safe(default)
        positional = flags[0][:1] not in prefix_chars
        if positional:
            required = nargs not in ("?", "*") or (nargs == "*" and "default" not in kw)
            arguments.append(
                Argument(
                    name=flags[0],
                    required=required,
                    nargs=nargs,
                    help=help_text,
                    metavar=metavar,
                    choices=choices,
                    hidden=hidden,
                    type=type_name,
                    default=default,
                    source=source,
                )
            )
            continue
        names = tuple(flags)
        secondary: tuple[str, ...] = ()
        if kind == "boolean_optional":
            secondary = tuple(
                "--no-" + f[2:] for f in flags if f.startswith("--") and not f.startswith("--no-")
            )
        is_flag = kind in (
            "store_true",
            "store_false",
            "store_const",
            "append_const",
            "boolean_optional",
            "help",
            "version",
        ) or (nargs == 0 and kind != "count")
        dest = kw.get("dest")
        deprecated = kw.get("deprecated")
        options.append(
            Option(
                names=names,
                secondary_names=secondary,
                help=help_text,
                required=kw.get("required") is True,
                multiple=kind in ("append", "append_const", "extend"),
                is_flag=is_flag,
                hidden=hidden,
                default=default,
                choices=choices,
                type=type_name,
                metavar=metavar,
                source=source,
                count=kind == "count",
                deprecated=deprecated if isinstance(deprecated, (bool, str)) else False,
                flag_value=_flag_value(kind, kw),
                nargs=nargs,
                dest=dest if isinstance(dest, str) else _dest(flags, prefix_chars),
            )
        )
    return options, arguments, notes


def _flag_value(kind: str, kw: Mapping[str, Any]) -> Any:
    """The value a flag stores when given, as argparse's action ``const`` holds it."""
    if kind == "store_true":
        return True
    if kind == "store_false":
        return False
    if kind in ("store_const", "append_const"):
        return _json_safe(kw.get("const"))
    return None


def _command(parser: _Parser, path: tuple[str, ...], seen: set[int]) -> Command:
    seen = seen | {id(parser)}
    options, arguments, notes = _build_params(parser)
    subcommands: list[Command] = []
    if parser.subparsers is not None:
        for child in parser.subparsers.children:
            if id(child) in seen:
                continue
            subcommands.append(_command(child, (*path, str(child.name)), seen))
    kw = parser.kw
    short = kw.get("help") if parser.is_child else None
    hidden = short is SUPPRESS
    aliases_value = kw.get("aliases")
    aliases = (
        tuple(str(a) for a in aliases_value if isinstance(a, str))
        if isinstance(aliases_value, list)
        else ()
    )
    unresolved = list(parser.unresolved) + notes
    if parser.rewriter and parser.actions:
        unresolved.append(
            Unresolved(
                f"{parser.rewriter.partition(':')[2]} may rewrite arguments and help at runtime",
                parser.file,
                parser.loc[0],
            )
        )
    for key in ("description", "epilog", "usage"):
        if isinstance(kw.get(key), _Unknown):
            unresolved.append(
                Unresolved(
                    f"{key} is computed at runtime ({kw[key].text})", parser.file, parser.loc[0]
                )
            )
    if parser.is_child and isinstance(short, _Unknown):
        unresolved.append(
            Unresolved(
                f"help of subcommand {path[-1]} is computed at runtime ({short.text})",
                parser.file,
                parser.loc[0],
            )
        )
    return Command(
        name=path[-1],
        path=path,
        help=_text(kw.get("description")),
        short_help=None if hidden else _text(short),
        hidden=hidden,
        options=tuple(options),
        arguments=tuple(arguments),
        subcommands=tuple(subcommands),
        aliases=aliases,
        usage=_text(kw.get("usage")),
        epilog=_text(kw.get("epilog")),
        framework="argparse",
        source=SourceLocation(parser.file, parser.loc[0], parser.loc[1]),
        unresolved=tuple(_dedupe(unresolved)),
        object=parser.obj,
        is_group=parser.subparsers is not None,
    )


def _dedupe(notes: list[Unresolved]) -> list[Unresolved]:
    seen: set[tuple[str, str, int]] = set()
    out = []
    for note in notes:
        key = (note.message, note.file, note.line)
        if key not in seen:
            seen.add(key)
            out.append(note)
    return out


def _size(parser: _Parser, depth: int = 0) -> int:
    if depth > 50:
        return 0
    total = 1 + len(parser.actions)
    if parser.subparsers is not None:
        total += sum(_size(c, depth + 1) for c in parser.subparsers.children)
    return total


def _reachable(linker: _Linker, facts: Mapping[str, Any], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        fn = linker.func(key)
        if fn is None:
            continue
        module = key.partition(":")[0]
        for call in fn["calls"]:
            if call.startswith("self:"):
                cls, _, method = call[5:].rpartition(".")
                found = linker.find_method(f"{module}:{cls}", method)
                if found:
                    todo.append(found)
                continue
            resolved = linker.resolve(call)
            if resolved and resolved[0] == "function":
                todo.append(str(resolved[1]))
            elif resolved and resolved[0] == "class":
                for method in ("__init__", "__call__", "run", "main"):
                    found = linker.find_method(str(resolved[1]), method)
                    if found:
                        todo.append(found)
    return seen


def _root_name(parser: _Parser, linker: _Linker, scripts: list[tuple[str, str, set[str]]]) -> str:
    for script, _module, reach in scripts:
        if parser.obj in reach or parser.entry in reach:
            return script
    for script, target_module, _reach in scripts:
        if target_module in (parser.module, parser.entry.partition(":")[0]):
            return script
    prog = parser.kw.get("prog")
    if isinstance(prog, str) and prog:
        return prog
    module = parser.module
    for suffix in (".__main__", ".__init__"):
        if module.endswith(suffix):
            module = module[: -len(suffix)]
    return module or "cli"


def _is_helper_parser(parser: _Parser) -> bool:
    """A parser built with ``add_help=False`` that has no subcommands and no help action of
    its own is a pre-parser (``parse_known_args`` for ``--settings`` before the real parser,
    as django does) or a parent kept for later: users never see its ``--help``, so it is not
    a command-line interface of its own."""
    if parser.kw.get("add_help") is not False or parser.subparsers is not None:
        return False
    return all(_action_name(action.kw.get("action")) != "help" for action in parser.actions)


def link(
    project: Project,
    facts: Mapping[str, Any],
    entry_points: Mapping[str, str],
    *,
    mains: Sequence[str] = (),
    extra: Sequence[str] = (),
    declared: set[int] | None = None,
) -> list[Command]:
    """Build the argparse command trees of the project from every file's facts.

    ``declared`` (when given) receives the indices of the roots the project declares: reached
    from a console script, from an ``extra`` ``module:attr`` target, or from a ``mains``
    module (``pkg.__main__``) run with ``python -m``.
    """
    linker = _Linker(facts, project)
    for module in sorted(linker.by_module):
        linker.run_module(module)
    for key in linker.entries():
        linker.run_entry(key)
    roots: dict[tuple[str, int, int], _Parser] = {}
    for parser in linker.parsers:
        if parser.is_child or parser.used_as_parent or _is_helper_parser(parser):
            continue
        where = (parser.file, parser.loc[0], parser.loc[1])
        if where not in roots or _size(parser) > _size(roots[where]):
            roots[where] = parser
    scripts: list[tuple[str, str, set[str]]] = []
    for script, target in entry_points.items():
        target = target.split("[")[0].strip()
        module, _, attr = target.partition(":")
        scripts.append(
            (script, module, _reachable(linker, facts, _entry_key(linker, module, attr)))
        )
    reach: set[str] = set()
    for target in extra:
        module, _, attr = target.partition(":")
        reach |= _reachable(linker, facts, _entry_key(linker, module, attr))
    for module in mains:
        reach |= _reachable(linker, facts, f"{module}:<module>")
    out: list[Command] = []
    for parser in sorted(roots.values(), key=lambda p: (p.file, p.loc[0], p.loc[1])):
        name = _root_name(parser, linker, scripts)
        if declared is not None and (
            any(
                parser.obj in script_reach
                or parser.entry in script_reach
                or module in (parser.module, parser.entry.partition(":")[0])
                for _script, module, script_reach in scripts
            )
            or parser.obj in reach
            or parser.entry in reach
            or parser.module in mains
        ):
            declared.add(len(out))
        out.append(usage.with_argparse_usage(_command(parser, (name,), set()), parser))
    return out


def _entry_key(linker: _Linker, module: str, attr: str) -> str:
    key = f"{module}:{attr}"
    resolved = linker.resolve(key) if attr else None
    if resolved and resolved[0] == "function":
        key = str(resolved[1])
    return key
