"""A small symbolic evaluator for the IR of :mod:`kdocs.extract.cli.pyir`, across modules.

It runs module-level statements in order, follows imports into other project modules
(lazily, tolerating circular imports), applies decorators bottom-up like Python does and
interprets project helper functions (decorator factories, ``register(cli)`` helpers) with a
depth bound. Framework semantics (click, typer) are plugged in through :data:`EXT_CALLS` and
through :class:`Obj` subclasses; anything it cannot follow becomes an :class:`Unknown` value
that carries the reason and position, so callers can record an ``unresolved`` note instead of
guessing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kdocs.extract import constfold
from kdocs.extract.cli.lines import ir_lines
from kdocs.extract.cli.pyir import module_ir
from kdocs.models.cli import SourceLocation, Unresolved

if TYPE_CHECKING:
    from pathlib import Path

    from kdocs.cache import KindCache
    from kdocs.project import SourceEntry

MAX_CALL_DEPTH = 12
MAX_LOOP = 500
MAX_STEPS = 20_000
"""Statements evaluated per project at most: a bound on pathological loops and recursion."""


class BudgetExceeded(Exception):
    """The evaluation budget (:data:`MAX_STEPS`) ran out."""


ALIASES = {"rich_click": "click", "cloup": "click", "asyncclick": "click"}
"""Packages whose public API is click's (for what kdocs models)."""


FRAMEWORKS = {"click", "typer", *ALIASES}
"""Packages whose API kdocs models; when analysing one of them, its modules are not read."""


def normalize_ext(path: str) -> str:
    head, _, rest = path.partition(".")
    if head in ALIASES:
        head = ALIASES[head]
    return f"{head}.{rest}" if rest else head


# -- values ---------------------------------------------------------------------------------


class Value:
    """Base class of everything the evaluator computes."""


@dataclass(eq=False)
class Const(Value):
    value: Any


@dataclass(eq=False)
class Seq(Value):
    items: list[Value]
    kind: str = "list"


@dataclass(eq=False)
class DictV(Value):
    items: list[tuple[Value, Value]]


@dataclass(eq=False)
class ModuleV(Value):
    name: str


@dataclass(eq=False)
class Ext(Value):
    """Something from outside the project, by dotted path (``click.option``)."""

    path: str


@dataclass(eq=False)
class Unknown(Value):
    reason: str
    file: str = ""
    line: int = 0

    def note(self) -> Unresolved:
        return Unresolved(self.reason, self.file, self.line)


@dataclass(eq=False)
class Func(Value):
    record: dict[str, Any]
    module: ModuleState
    closure: Scope | None = None

    @property
    def name(self) -> str:
        return str(self.record["name"])

    @property
    def qualname(self) -> str:
        return f"{self.module.name}:{self.name}"


@dataclass(eq=False)
class ClassV(Value):
    record: dict[str, Any]
    module: ModuleState
    bases: list[Value] = field(default_factory=list)

    def literal_attr(self, name: str) -> Any:
        """A class attribute's literal value (``name = "size"``), or None."""
        for key, ir in self.record.get("fields", []):
            if key == name and isinstance(ir, list) and ir and ir[0] == "c":
                return ir[1]
        return None


@dataclass(eq=False)
class Instance(Value):
    """An instance of a project class (a custom click ``ParamType``, an option subclass)."""

    cls: ClassV
    args: list[Value]
    kwargs: Args


@dataclass(eq=False)
class Lambda(Value):
    params: list[str]
    body: Any
    scope: Scope


@dataclass(eq=False)
class Partial(Value):
    func: Value
    args: list[Value]
    kwargs: dict[str, Value]


@dataclass(eq=False)
class Target(Value):
    """A function on its way through decorators: click's ``__click_params__`` in memo order."""

    func: Func
    params: list[Any] = field(default_factory=list)
    notes: list[Unresolved] = field(default_factory=list)


@dataclass(eq=False)
class LazyImport(Value):
    module: str
    name: str
    file: str
    line: int


class Obj(Value):
    """A framework object (a click command, a typer app, an option decorator...)."""

    def attr(self, interp: Interpreter, name: str, loc: SourceLocation) -> Value:
        return Bound(self, name)

    def call(
        self, interp: Interpreter, args: list[Value], kwargs: Args, loc: SourceLocation
    ) -> Value:
        if len(args) == 1 and not kwargs.items:
            return self.decorate(interp, args[0], loc)
        return Unknown("call of a framework object", loc.file, loc.line)

    def call_method(
        self,
        interp: Interpreter,
        name: str,
        args: list[Value],
        kwargs: Args,
        loc: SourceLocation,
    ) -> Value:
        return Unknown(f"method {name}() not modelled", loc.file, loc.line)

    def decorate(self, interp: Interpreter, target: Value, loc: SourceLocation) -> Value:
        return target

    def passed_to_unknown(self, what: str, loc: SourceLocation) -> None:
        """This object was handed to code kdocs cannot follow (a plugin hook, a helper from
        another package), which may add commands or options at run time."""
        return None


@dataclass(eq=False)
class Bound(Value):
    obj: Obj
    name: str


@dataclass
class Args:
    """Keyword arguments of a call; ``dynamic`` when a ``**mapping`` could not be expanded."""

    items: dict[str, Value] = field(default_factory=dict)
    dynamic: list[Unknown] = field(default_factory=list)

    def get(self, name: str) -> Value | None:
        return self.items.get(name)

    def __bool__(self) -> bool:
        return bool(self.items) or bool(self.dynamic)


ExtHandler = Callable[["Interpreter", str, list[Value], Args, SourceLocation], Value]
EXT_CALLS: dict[str, ExtHandler] = {}
ClassHook = Callable[["Interpreter", "ClassV", list[Value], Args, SourceLocation], "Value | None"]
CLASS_HOOKS: list[ClassHook] = []
"""Instantiation of project classes (subclasses of click's ``Group``...); first match wins."""
"""Calls of external APIs, by normalised dotted path; filled by click_static / typer_static."""

EXT_CONSTANTS: dict[str, Any] = {
    "os.sep": "/",
    "os.pathsep": ":",
    "os.linesep": "\n",
    "os.path.sep": "/",
    "os.path.pathsep": ":",
    "os.curdir": ".",
    "os.pardir": "..",
    "sys.maxsize": 9223372036854775807,
}
"""Values of external constants on the platform the runtime inspector runs on (POSIX)."""

IDENTITY_DECORATORS = {
    "click.pass_context",
    "click.pass_obj",
    "click.decorators.pass_context",
    "click.decorators.pass_obj",
    "functools.lru_cache",
    "functools.cache",
    "typing.no_type_check",
}


# -- scopes and modules ---------------------------------------------------------------------


class Scope:
    def __init__(self, module: ModuleState, parent: Scope | None = None) -> None:
        self.module = module
        self.parent = parent
        self.vars: dict[str, Value] = {}

    def lookup(self, name: str) -> Value | None:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars:
                return scope.vars[name]
            scope = scope.parent
        return None


class ModuleState:
    def __init__(self, name: str, relpath: str, ir: Mapping[str, Any]) -> None:
        self.name = name
        self.relpath = relpath
        self.ir = ir
        self.state = "new"
        self.scope = Scope(self)
        self.lazy: dict[str, list[Any]] = {}
        for item in ir.get("lazy", []):
            bound = _import_binding(item)
            if bound is not None:
                self.lazy.setdefault(bound, item)


def _import_binding(item: list[Any]) -> str | None:
    if item[0] == "import":
        return str(item[2] or str(item[1]).split(".")[0])
    if item[0] == "from" and item[2] != "*":
        return str(item[3] or item[2])
    return None


class _Return(Exception):
    def __init__(self, value: Value) -> None:
        self.value = value


# -- the interpreter ------------------------------------------------------------------------


class Interpreter:
    """Evaluates project modules (``{module name: relpath}``) from their IR."""

    def __init__(
        self,
        irs: Mapping[str, Mapping[str, Any]],
        modules: Mapping[str, str],
        loader: Callable[[str], Mapping[str, Any] | None] | None = None,
    ) -> None:
        self.irs = dict(irs)  # relpath -> IR
        self.modules = dict(modules)  # module name -> relpath
        self.loader = loader
        self.states: dict[str, ModuleState] = {}
        self.depth = 0
        self.invoked: list[tuple[Value, SourceLocation]] = []
        # Project function calls being evaluated, innermost last: (call site, args, kwargs).
        self.frames: list[tuple[SourceLocation, list[Value], Args]] = []
        self.created: list[Obj] = []
        self.notes: list[Unresolved] = []  # problems not tied to one command (import cycles)
        self.versions: dict[str, str] = {}  # distribution name (normalised) -> version
        self.steps = 0

    # modules
    def is_project_module(self, name: str) -> bool:
        """A module kdocs evaluates (the frameworks' own packages are modelled, not read)."""
        return name in self.modules and name.split(".")[0] not in FRAMEWORKS

    def load(self, name: str) -> ModuleState | None:
        if name in self.states:
            return self.states[name]
        relpath = self.modules.get(name)
        if relpath is None:
            return None
        ir = self.irs.get(relpath)
        if ir is None and self.loader is not None:
            ir = self.loader(relpath)
            if ir is not None:
                self.irs[relpath] = ir
        if ir is None:
            return None
        state = ModuleState(name, relpath, ir)
        self.states[name] = state
        state.state = "running"
        with contextlib.suppress(_Return):
            self.exec_block(ir.get("body", []), state.scope)
        state.state = "done"
        return state

    def module_attr(self, name: str, attr: str, file: str, line: int) -> Value:
        state = self.load(name)
        if state is not None and attr in state.scope.vars:
            return self.deref(state.scope.vars[attr])
        sub = f"{name}.{attr}"
        if sub in self.modules:
            return ModuleV(sub)
        if state is None:
            return Unknown(f"module {name} is not part of the analysed project", file, line)
        if state.state == "running":
            return Unknown(
                f"{name}.{attr} is used before it is defined (circular import)", file, line
            )
        return Unknown(f"{name} has no top-level name {attr!r} kdocs can see", file, line)

    def deref(self, value: Value) -> Value:
        if isinstance(value, LazyImport):
            return self.module_attr(value.module, value.name, value.file, value.line)
        return value

    # statements
    def exec_block(self, body: list[Any], scope: Scope) -> None:
        for stmt in body:
            self.exec_stmt(stmt, scope)

    def exec_stmt(self, stmt: list[Any], scope: Scope) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise BudgetExceeded
        tag = stmt[0]
        file = scope.module.relpath
        if tag in ("import", "from"):
            self._bind_import(stmt, scope)
        elif tag == "def":
            record = stmt[1]
            func = Func(record, scope.module, scope if scope.parent is not None else None)
            value: Value = func
            decorators = record.get("decorators") or []
            if decorators:
                decs = [self.eval(d, scope) for d in decorators]
                for dec, ir in zip(reversed(decs), reversed(decorators), strict=True):
                    loc = self.loc_of(ir, scope, record)
                    value = self.apply(dec, value, loc)
            scope.vars[record["name"]] = value
        elif tag == "class":
            record = stmt[1]
            bases = [self.eval(b, scope) for b in record.get("bases", [])]
            scope.vars[record["name"]] = ClassV(record, scope.module, bases)
        elif tag == "assign":
            value = self.eval(stmt[2], scope)
            for target in stmt[1]:
                self.assign(target, value, scope, stmt[3])
            if isinstance(value, Obj) and getattr(value, "var_name", "") is None:
                names = [t[1] for t in stmt[1] if t[0] == "name"]
                if names:
                    value.var_name = names[0]  # type: ignore[attr-defined]
        elif tag == "expr":
            self.eval(stmt[1], scope)
        elif tag == "return":
            raise _Return(self.eval(stmt[1], scope))
        elif tag == "for":
            iterable = self.eval(stmt[2], scope)
            items = self.iterate(iterable)
            if items is None:
                reason = "loop over values kdocs cannot resolve statically"
                self.assign(stmt[1], Unknown(reason, file, stmt[4]), scope, stmt[4])
                self.exec_block(stmt[3], scope)
            else:
                for item in items[:MAX_LOOP]:
                    self.assign(stmt[1], item, scope, stmt[4])
                    self.exec_block(stmt[3], scope)
        elif tag == "if":
            test = self.truth(self.eval(stmt[1], scope))
            if test is True:
                self.exec_block(stmt[2], scope)
            elif test is False:
                self.exec_block(stmt[3], scope)
            else:
                self.exec_block(stmt[2], scope)
                self.exec_block(stmt[3], scope)
        elif tag == "try":
            self.exec_block(stmt[1], scope)
            self.exec_block(stmt[3], scope)

    def _bind_import(self, stmt: list[Any], scope: Scope) -> None:
        file = scope.module.relpath
        if stmt[0] == "import":
            _, name, asname, line = stmt
            parts = name.split(".")
            for i in range(1, len(parts) + 1):
                self._eager(".".join(parts[:i]))
            if asname:
                scope.vars[asname] = self._module_value(name)
            else:
                head = name.split(".")[0]
                scope.vars[head] = self._module_value(head)
            return
        _, base, name, asname, line = stmt
        if name == "*":
            if self.is_project_module(base):
                state = self.load(base)
                if state is not None:
                    for key, value in state.scope.vars.items():
                        if not key.startswith("_"):
                            scope.vars[key] = value
            return
        target = asname or name
        if self.is_project_module(base) or self.is_project_module(f"{base}.{name}"):
            sub = f"{base}.{name}"
            # Like Python, import CLI modules (those with facts) right here, so registrations
            # happen in import order; other modules are read only if a name is used.
            eager = self._eager(base)
            if sub in self.modules and eager is None:
                # ``from pkg import name``: pkg's __init__ may rebind ``name`` over the
                # submodule of that name (``from .bump import bump``); read it to know.
                eager = self.load(base)
            if sub in self.modules and not self._defines(base, name):
                self._eager(sub)
                scope.vars[target] = ModuleV(sub)
            elif eager is not None and eager.state == "running" and name not in eager.scope.vars:
                reason = f"{base}.{name} is imported before it is defined (circular import)"
                scope.vars[target] = Unknown(reason, file, line)
            elif eager is not None and name in eager.scope.vars:
                scope.vars[target] = eager.scope.vars[name]
            else:
                scope.vars[target] = LazyImport(base, name, file, line)
        else:
            scope.vars[target] = Ext(normalize_ext(f"{base}.{name}"))

    def _eager(self, module: str) -> ModuleState | None:
        relpath = self.modules.get(module)
        if relpath is None or relpath not in self.irs:
            return self.states.get(module)
        return self.load(module)

    def _defines(self, module: str, name: str) -> bool:
        state = self.states.get(module)
        return state is not None and name in state.scope.vars

    def _module_value(self, name: str) -> Value:
        if self.is_project_module(name):
            return ModuleV(name)
        return Ext(normalize_ext(name))

    def assign(self, target: list[Any], value: Value, scope: Scope, line: int) -> None:
        kind = target[0]
        if kind == "name":
            scope.vars[target[1]] = value
        elif kind == "tuple":
            items = self.iterate(value)
            for i, sub in enumerate(target[1]):
                if items is not None and i < len(items):
                    self.assign(sub, items[i], scope, line)
                else:
                    reason = "unpacking of a value kdocs cannot resolve"
                    self.assign(sub, Unknown(reason, scope.module.relpath, line), scope, line)
        elif kind == "attr":
            obj = self.eval(target[1], scope)
            setter = getattr(obj, "set_attr", None)
            if setter is not None:
                setter(self, target[2], value, SourceLocation(scope.module.relpath, line))

    # expressions
    def loc_of(
        self, ir: Any, scope: Scope, record: Mapping[str, Any] | None = None
    ) -> SourceLocation:
        line = _ir_line(ir)
        col = ir[5] if isinstance(ir, list) and ir and ir[0] == "call" else 1
        if line == 0 and record is not None:
            line = int(record.get("line", 0))
        return SourceLocation(scope.module.relpath, line, col)

    def eval(self, ir: Any, scope: Scope) -> Value:
        try:
            return self._eval(ir, scope)
        except (RecursionError, _Return, BudgetExceeded):
            raise
        except Exception as err:  # odd-but-valid code must not stop the analysis
            return Unknown(
                f"cannot evaluate ({type(err).__name__})", scope.module.relpath, _ir_line(ir)
            )

    def _eval(self, ir: Any, scope: Scope) -> Value:
        tag = ir[0]
        file = scope.module.relpath
        if tag == "c":
            return Const(ir[1])
        if tag == "ellipsis":
            return Const(Ellipsis)
        if tag == "n":
            return self.lookup(ir[1], scope, ir[2])
        if tag == "a":
            obj = self.eval(ir[1], scope)
            return self.getattr(obj, ir[2], SourceLocation(file, ir[3]))
        if tag == "call":
            func = self.eval(ir[1], scope)
            args: list[Value] = []
            for a in ir[2]:
                if a and a[0] == "*":
                    star = self.eval(a[1], scope)
                    items = self.iterate(star)
                    if items is None:
                        args.append(Unknown("*args kdocs cannot resolve", file, ir[4]))
                    else:
                        args.extend(items)
                else:
                    args.append(self.eval(a, scope))
            kwargs = Args()
            for name, value_ir in ir[3]:
                value = self.eval(value_ir, scope)
                if name is not None:
                    kwargs.items[name] = value
                elif isinstance(value, DictV):
                    for k, v in value.items:
                        if isinstance(k, Const) and isinstance(k.value, str):
                            kwargs.items[k.value] = v
                        else:
                            kwargs.dynamic.append(Unknown("**kwargs key", file, ir[4]))
                else:
                    kwargs.dynamic.append(
                        Unknown("**kwargs kdocs cannot resolve statically", file, ir[4])
                    )
            return self.call(func, args, kwargs, SourceLocation(file, ir[4], ir[5]))
        if tag == "seq":
            items = []
            for item in ir[2]:
                if item and item[0] == "*":
                    expanded = self.iterate(self.eval(item[1], scope))
                    if expanded is None:
                        items.append(Unknown("starred item kdocs cannot resolve", file, 0))
                    else:
                        items.extend(expanded)
                else:
                    items.append(self.eval(item, scope))
            return Seq(items, ir[1])
        if tag == "dict":
            pairs: list[tuple[Value, Value]] = []
            for k, v in ir[1]:
                if k is None:
                    inner = self.eval(v, scope)
                    if isinstance(inner, DictV):
                        pairs.extend(inner.items)
                    continue
                pairs.append((self.eval(k, scope), self.eval(v, scope)))
            return DictV(pairs)
        if tag == "sub":
            return self.subscript(self.eval(ir[1], scope), ir[2], scope, ir[3])
        if tag == "bin":
            return self.binop(ir[1], self.eval(ir[2], scope), self.eval(ir[3], scope), file)
        if tag == "fstr":
            out = []
            for part in ir[1]:
                if part and part[0] == "conv":
                    inner = self.eval(part[1], scope)
                    if isinstance(inner, Const) and part[2] in ("r", "a"):
                        out.append(repr(inner.value))
                        continue
                    return Unknown("f-string with values kdocs cannot resolve", file, ir[2])
                value = self.eval(part, scope)
                if isinstance(value, Const) and isinstance(value.value, (str, int, float)):
                    out.append(str(value.value))
                else:
                    return Unknown("f-string with values kdocs cannot resolve", file, ir[2])
            return Const("".join(out))
        if tag == "lambda":
            return Lambda(ir[1], ir[2], scope)
        if tag == "cmp":
            return self.compare(ir[1], self.eval(ir[2], scope), self.eval(ir[3], scope))
        if tag == "not":
            truth = self.truth(self.eval(ir[1], scope))
            return Const(not truth) if truth is not None else Unknown("condition", file, 0)
        if tag == "bool":
            values = [self.eval(v, scope) for v in ir[2]]
            truths = [self.truth(v) for v in values]
            if ir[1] == "or":
                for v, t in zip(values, truths, strict=True):
                    if t is None:
                        return v if isinstance(v, Unknown) else Unknown("condition", file, 0)
                    if t:
                        return v
                return values[-1]
            for v, t in zip(values, truths, strict=True):
                if t is None:
                    return Unknown("condition", file, 0)
                if not t:
                    return v
            return values[-1]
        if tag == "ifx":
            truth = self.truth(self.eval(ir[1], scope))
            if truth is True:
                return self.eval(ir[2], scope)
            if truth is False:
                return self.eval(ir[3], scope)
            return Unknown("conditional expression kdocs cannot decide statically", file, 0)
        if tag == "*":
            return self.eval(ir[1], scope)
        return Unknown(f"dynamic value ({ir[1]})", file, ir[2] if len(ir) > 2 else 0)

    def lookup(self, name: str, scope: Scope, line: int) -> Value:
        value = scope.lookup(name)
        if value is None:
            lazy = scope.module.lazy.get(name)
            if lazy is not None:
                tmp = Scope(scope.module)
                self._bind_import(lazy, tmp)
                value = tmp.vars.get(name)
        if value is None:
            if name == "__name__":
                return Const(scope.module.name)
            if name == "__package__":
                module = scope.module
                package = (
                    module.name if module.ir.get("package") else module.name.rpartition(".")[0]
                )
                return Const(package)
            if name in BUILTINS:
                return Ext(f"builtins.{name}")
            return Unknown(f"name {name!r} kdocs cannot resolve", scope.module.relpath, line)
        return self.deref(value)

    def getattr(self, obj: Value, name: str, loc: SourceLocation) -> Value:
        if isinstance(obj, Ext):
            path = f"{obj.path}.{name}"
            if path in EXT_CONSTANTS:
                return Const(EXT_CONSTANTS[path])
            return Ext(path)
        if isinstance(obj, ModuleV):
            return self.module_attr(obj.name, name, loc.file, loc.line)
        if isinstance(obj, Obj):
            return obj.attr(self, name, loc)
        if isinstance(obj, (Func, Target)) and name == "__doc__":
            func = obj if isinstance(obj, Func) else obj.func
            doc = func.record.get("doc")
            return Const(doc)
        if isinstance(obj, Unknown):
            return obj
        if isinstance(obj, (Seq, DictV, Const)):
            return Bound(_Builtin(obj), name)
        if isinstance(obj, ClassV):
            for field_name, field_ir in obj.record.get("fields", []):
                if field_name == name and field_ir is not None:
                    return self.eval(field_ir, obj.module.scope)
        return Unknown(f"attribute {name!r} kdocs cannot resolve", loc.file, loc.line)

    def subscript(self, obj: Value, index_ir: Any, scope: Scope, line: int) -> Value:
        if isinstance(obj, Ext) and obj.path.split(".")[-1] in (
            "Annotated",
            "Optional",
            "List",
            "list",
            "Union",
            "Sequence",
            "Literal",
            "Tuple",
            "tuple",
            "Set",
            "set",
        ):
            return Generic(obj.path.split(".")[-1], self.eval(index_ir, scope))
        index = self.eval(index_ir, scope)
        if isinstance(obj, (Seq, DictV)) and isinstance(index, Const):
            if isinstance(obj, Seq) and isinstance(index.value, int):
                try:
                    return obj.items[index.value]
                except IndexError:
                    pass
            if isinstance(obj, DictV):
                for k, v in obj.items:
                    if isinstance(k, Const) and k.value == index.value:
                        return v
        return Unknown("subscript kdocs cannot resolve", scope.module.relpath, line)

    def binop(self, op: str, left: Value, right: Value, file: str) -> Value:
        if isinstance(left, Const) and isinstance(right, Const) and op in ("+", "%", "*"):
            folded = constfold.binop(op, left.value, right.value)
            if folded is constfold.NO:
                return Unknown("expression kdocs cannot evaluate", file, 0)
            return Const(folded)
        if (
            op == "%"
            and isinstance(left, Const)
            and isinstance(left.value, str)
            and isinstance(right, Seq)
            and all(isinstance(i, Const) for i in right.items)
        ):
            values = [i.value for i in right.items if isinstance(i, Const)]
            folded = constfold.percent(left.value, values)
            if folded is not constfold.NO:
                return Const(folded)
        if op == "+" and isinstance(left, Seq) and isinstance(right, Seq):
            return Seq(left.items + right.items, left.kind)
        if op == "|" and isinstance(left, (Ext, Generic, ClassV)):
            return Generic("Union", Seq([left, right], "tuple"))
        if isinstance(left, Unknown):
            return left
        if isinstance(right, Unknown):
            return right
        return Unknown("expression kdocs cannot evaluate", file, 0)

    def compare(self, op: str, left: Value, right: Value) -> Value:
        if isinstance(left, Const) and isinstance(right, Const):
            a, b = left.value, right.value
            if op == "==":
                return Const(a == b)
            if op == "!=":
                return Const(a != b)
            if op == "is":
                return Const(a is b)
            if op == "is not":
                return Const(a is not b)
        return Unknown("comparison", "", 0)

    def truth(self, value: Value) -> bool | None:
        if isinstance(value, Const):
            return bool(value.value)
        if isinstance(value, Seq):
            return bool(value.items)
        return None

    def iterate(self, value: Value) -> list[Value] | None:
        if isinstance(value, Seq):
            return list(value.items)
        if isinstance(value, DictV):
            return [k for k, _ in value.items]
        if isinstance(value, Const) and isinstance(value.value, str):
            return [Const(c) for c in value.value]
        return None

    # calls
    def call(self, func: Value, args: list[Value], kwargs: Args, loc: SourceLocation) -> Value:
        if isinstance(func, Ext):
            handler = EXT_CALLS.get(func.path)
            if handler is not None:
                return handler(self, func.path, args, kwargs, loc)
            builtin = _builtin_call(func.path, args)
            if builtin is not None:
                return builtin
            folded = _fold_call(func.path, args, kwargs)
            if folded is not None:
                return folded
            if not func.path.startswith("builtins."):
                _report_escapes(func.path, args, kwargs, loc)
            for arg in args:
                if isinstance(arg, Target) and not func.path.startswith("builtins."):
                    arg.notes.append(
                        Unresolved(
                            f"{func.path}() is called with the command function; kdocs cannot "
                            "tell what it adds",
                            loc.file,
                            loc.line,
                        )
                    )
            return Unknown(f"call of {func.path}", loc.file, loc.line)
        if isinstance(func, Bound):
            if isinstance(func.obj, _Builtin):
                return func.obj.method(func.name, args)
            return func.obj.call_method(self, func.name, args, kwargs, loc)
        if isinstance(func, Obj):
            return func.call(self, args, kwargs, loc)
        if isinstance(func, Func):
            return self.call_func(func, args, kwargs, loc)
        if isinstance(func, Target):
            return self.call_func(func.func, args, kwargs, loc)
        if isinstance(func, Partial):
            merged = Args(dict(func.kwargs), list(kwargs.dynamic))
            merged.items.update(kwargs.items)
            return self.call(func.func, [*func.args, *args], merged, loc)
        if isinstance(func, Lambda):
            inner = Scope(func.scope.module, func.scope)
            for name, value in zip(func.params, args, strict=False):
                inner.vars[name] = value
            return self.eval(func.body, inner)
        if isinstance(func, ClassV):
            for hook in CLASS_HOOKS:
                made = hook(self, func, args, kwargs, loc)
                if made is not None:
                    return made
            return Instance(func, args, kwargs)
        if isinstance(func, Unknown):
            _report_escapes(f"a function kdocs cannot resolve ({func.reason})", args, kwargs, loc)
            return func
        return Unknown("call kdocs cannot resolve", loc.file, loc.line)

    def call_func(
        self,
        func: Func,
        args: list[Value],
        kwargs: Args,
        loc: SourceLocation,
        extra_vars: Mapping[str, Value] | None = None,
    ) -> Value:
        if self.depth >= MAX_CALL_DEPTH:
            return Unknown(f"call of {func.name}() nested too deeply", loc.file, loc.line)
        scope = Scope(func.module, func.closure or func.module.scope)
        if extra_vars:
            scope.vars.update(extra_vars)
        params = func.record.get("params", [])
        positional = [p for p in params if p[3] == "pos"]
        rest = list(args)
        for p in positional:
            if rest:
                scope.vars[p[0]] = rest.pop(0)
        for p in params:
            if p[3] == "vararg":
                scope.vars[p[0]] = Seq(rest, "tuple")
                rest = []
        extra: list[tuple[Value, Value]] = []
        names = {p[0] for p in params if p[3] in ("pos", "kwonly")}
        for key, value in kwargs.items.items():
            if key in names:
                scope.vars[key] = value
            else:
                extra.append((Const(key), value))
        for p in params:
            if p[3] == "kwarg":
                scope.vars[p[0]] = DictV(extra) if not kwargs.dynamic else kwargs.dynamic[0]
            elif p[0] not in scope.vars and p[3] in ("pos", "kwonly"):
                if p[2] is not None:
                    scope.vars[p[0]] = self.eval(p[2], func.module.scope)
                else:
                    scope.vars[p[0]] = Unknown(f"missing argument {p[0]}", loc.file, loc.line)
        self.depth += 1
        self.frames.append((loc, args, kwargs))
        try:
            self.exec_block(func.record.get("body", []), scope)
        except _Return as ret:
            return ret.value
        finally:
            self.depth -= 1
            self.frames.pop()
        return Const(None)

    def call_site_of(self, values: Sequence[Value], loc: SourceLocation) -> SourceLocation:
        """Where ``values`` (an option's names) were written, when they reached ``loc`` as
        arguments of the project's own wrapper (``def make_option(*a, **k): return
        click.option(*a, **k)``): the outermost call site that passed them in, so a finding
        sits at ``@make_option("--foo")`` and not on the wrapper's ``return`` line."""
        wanted = {id(v) for v in values if isinstance(v, Const)}
        found = loc
        for site, args, kwargs in reversed(self.frames):
            passed = {id(a) for a in args} | {id(v) for v in kwargs.items.values()}
            if not wanted or not wanted & passed:
                break
            found = site
        return found

    # decorators
    def apply(self, dec: Value, target: Value, loc: SourceLocation) -> Value:
        """Apply a decorator value to a function (or a partially decorated target)."""
        if isinstance(target, Func):
            target = Target(target)
        if isinstance(dec, Obj):
            return dec.decorate(self, target, loc)
        if isinstance(dec, Bound):  # ``@group.command`` without parentheses
            return self.call(dec, [target], Args(), loc)
        if isinstance(dec, (Func, Partial, Lambda)):
            result = self.call(dec, [target], Args(), loc)
            if isinstance(result, Unknown) and isinstance(target, Target):
                target.notes.append(
                    Unresolved(
                        f"decorator could not be followed: {result.reason}", loc.file, loc.line
                    )
                )
                return target
            if (
                isinstance(result, Func)
                and isinstance(target, Target)
                and result is not target.func
                and result.closure is not None
            ):
                # A project decorator returned a function it defined (a wrapper that copies
                # __doc__/__name__ by hand, or a decorator returned when used bare): it stands
                # for the function it wraps, which keeps its docstring, name and location.
                return target
            return result
        if isinstance(dec, Ext):
            if dec.path in EXT_CALLS:
                return self.call(dec, [target], Args(), loc)
            if _option_like(dec.path) and isinstance(target, Target):
                target.notes.append(
                    Unresolved(f"decorator {dec.path} is outside the project", loc.file, loc.line)
                )
            return target
        if isinstance(dec, Unknown):
            if "circular import" in dec.reason:
                note = Unresolved(
                    f"decorator: {dec.reason}", dec.file or loc.file, dec.line or loc.line
                )
                self.notes.append(note)
            if isinstance(target, Target) and _option_like(dec.reason):
                target.notes.append(
                    Unresolved(
                        f"decorator: {dec.reason}", dec.file or loc.file, dec.line or loc.line
                    )
                )
            return target
        return target

    def iter_objects(self) -> Iterator[Obj]:
        yield from self.created


def _report_escapes(what: str, args: list[Value], kwargs: Args, loc: SourceLocation) -> None:
    for value in [*args, *kwargs.items.values()]:
        if isinstance(value, Obj):
            value.passed_to_unknown(what, loc)


def _option_like(text: str) -> bool:
    low = text.lower()
    return any(word in low for word in ("option", "argument", "param", "flag", "command", "group"))


def _ir_line(ir: Any) -> int:
    if not isinstance(ir, list) or not ir:
        return 0
    tag = ir[0]
    if tag == "call":
        return int(ir[4])
    if tag in ("n", "a"):
        return int(ir[-1])
    if tag == "sub":
        return int(ir[3])
    if tag in ("dyn", "fstr"):
        return int(ir[2]) if len(ir) > 2 and isinstance(ir[2], int) else 0
    return 0


@dataclass(eq=False)
class Generic(Value):
    """A subscripted typing construct (``Annotated[...]``, ``Optional[...]``, ``list[...]``)."""

    origin: str
    args: Value

    def arg_list(self) -> list[Value]:
        if isinstance(self.args, Seq) and self.args.kind == "tuple":
            return list(self.args.items)
        return [self.args]


class _Builtin(Obj):
    """Methods of plain values (``list.append``, ``dict.get``, ``str.format``)."""

    def __init__(self, value: Value) -> None:
        self.value = value

    def method(self, name: str, args: list[Value]) -> Value:
        value = self.value
        if isinstance(value, Seq) and name in ("append", "extend", "insert") and args:
            if name == "append":
                value.items.append(args[0])
            elif name == "extend":
                more = args[0].items if isinstance(args[0], Seq) else None
                if more is not None:
                    value.items.extend(more)
            return Const(None)
        if isinstance(value, DictV) and name == "pop" and args:
            for i, (k, v) in enumerate(value.items):
                if isinstance(k, Const) and isinstance(args[0], Const) and k.value == args[0].value:
                    del value.items[i]
                    return v
            return args[1] if len(args) > 1 else Unknown("dict.pop() of a missing key", "", 0)
        if isinstance(value, DictV) and name == "get" and args:
            for k, v in value.items:
                if isinstance(k, Const) and isinstance(args[0], Const) and k.value == args[0].value:
                    return v
            return args[1] if len(args) > 1 else Const(None)
        if isinstance(value, Const) and isinstance(value.value, str):
            plain_args: list[Any] = []
            for arg in args:
                if isinstance(arg, Const):
                    plain_args.append(arg.value)
                elif isinstance(arg, Seq) and all(isinstance(i, Const) for i in arg.items):
                    plain_args.append([i.value for i in arg.items if isinstance(i, Const)])
                else:
                    return Unknown(f"method {name}() of a value", "", 0)
            result = constfold.str_method(value.value, name, plain_args)
            if isinstance(result, list):
                return Seq([Const(r) for r in result], "list")
            if result is not constfold.NO:
                return Const(result)
        return Unknown(f"method {name}() of a value", "", 0)


BUILTINS = {
    "reversed",
    "list",
    "tuple",
    "dict",
    "sorted",
    "str",
    "int",
    "float",
    "bool",
    "bytes",
    "set",
    "frozenset",
    "len",
    "object",
    "Exception",
    "print",
    "getattr",
    "setattr",
    "hasattr",
    "isinstance",
    "type",
    "open",
    "range",
    "enumerate",
    "zip",
    "map",
    "filter",
    "any",
    "all",
    "min",
    "max",
    "super",
    "property",
    "staticmethod",
    "classmethod",
}


_SEQ_BUILTINS = {
    "builtins.list": "list",
    "builtins.tuple": "tuple",
    "builtins.set": "set",
    "builtins.frozenset": "set",
}


def _builtin_call(path: str, args: list[Value]) -> Value | None:
    if path == "builtins.reversed" and args and isinstance(args[0], Seq):
        return Seq(list(reversed(args[0].items)), args[0].kind)
    if path in _SEQ_BUILTINS and args and isinstance(args[0], Seq):
        return Seq(list(args[0].items), _SEQ_BUILTINS[path])
    if path in ("builtins.list", "builtins.tuple") and not args:
        return Seq([], "list")
    if path == "builtins.dict" and not args:
        return DictV([])
    if path == "builtins.sorted" and args and isinstance(args[0], Seq):
        items = args[0].items
        if all(isinstance(i, Const) for i in items):
            try:
                return Seq(sorted(items, key=lambda i: i.value), "list")  # type: ignore[attr-defined]
            except TypeError:
                return None
    return None


def _fold_call(path: str, args: list[Value], kwargs: Args) -> Value | None:
    """``textwrap.dedent``/``inspect.cleandoc``, a translation marker (``gettext_lazy``) or a
    builtin (``len``, ``str``...) over one constant, by the shared table of
    :mod:`kdocs.extract.constfold`; ``None`` when it does not apply."""
    if len(args) != 1 or kwargs or not isinstance(args[0], (Const, Seq)):
        return None
    last = path.rsplit(".", 1)[-1]
    if last in constfold.GETTEXT and isinstance(args[0], Const):
        return args[0] if isinstance(args[0].value, str) else None
    try:
        value = literal(args[0])
    except ValueError:
        return None
    if path in constfold.TEXT_PATHS:
        result = constfold.text_function(constfold.TEXT_PATHS[path], value)
    elif path.startswith("builtins.") and last in constfold.BUILTINS:
        result = constfold.builtin(last, value)
    else:
        return None
    if result is constfold.NO:
        return None
    if isinstance(result, list):
        return Seq([Const(r) for r in result], "list")
    return Const(result)


def literal(value: Value) -> Any:
    """The plain Python value of a constant (nested lists/dicts too); raises ValueError."""
    if isinstance(value, Const):
        return value.value
    if isinstance(value, Seq):
        return [literal(v) for v in value.items]
    if isinstance(value, DictV):
        return {literal(k): literal(v) for k, v in value.items}
    raise ValueError("not a literal")


def parse_module_ir(
    text: str, relpath: str, module: str, is_package: bool
) -> dict[str, Any] | None:
    """IR of a file read on demand by the linker (a re-export module without CLI text)."""
    from kdocs.bigliterals import parse

    try:
        tree = parse(text, relpath)
    except (SyntaxError, ValueError):
        return None
    return module_ir(tree, module, is_package)


IR_KIND = "cli-ir"
"""The per-file cache of :class:`IRCache` (``<cache dir>/<version>/cli-ir.bin``)."""


class IRCache:
    """The IR of the modules the linker reads on demand, cached per file like facts.

    Those modules (re-exports, helpers: no CLI text, so no per-file facts) were parsed and
    compiled again on every link, which was most of a one-file-changed run's CLI link. Their
    IR is keyed like facts, by the file's stat and then by its content hash (path, module and
    bytes), with the CLI extractor's version as fingerprint (its facts hold the same IR). JSON
    only, sealed by :class:`~kdocs.cache.KindCache`: the cache folder is repository content.
    Without a cache directory (``--no-cache``) every module is simply parsed."""

    def __init__(self, directory: Path | None, fingerprint: str, max_size: int) -> None:
        self.files: KindCache | None = None
        if directory is not None:
            from kdocs.cache import KindCache

            self.files = KindCache(directory, IR_KIND, fingerprint, max_size)
        self.parsed = 0
        """Modules parsed because the cache did not have them (what tests count)."""

    @classmethod
    def of(cls, analysis: Any) -> IRCache:
        """The IR cache of an :class:`~kdocs.analysis.Analysis` (off when its cache is)."""
        from kdocs.cache_config import SECTION
        from kdocs.extract.cli import VERSION

        max_size = analysis.project.config.section(SECTION)["max-size"]
        return cls(analysis.cache_dir, VERSION, max_size)

    def load(self, entry: SourceEntry, max_file_size: int) -> Mapping[str, Any] | None:
        """The IR of one project file (``None``: unreadable, not UTF-8 or not Python)."""
        from kdocs import readlog

        # The link depends on the module's IR, not its bytes (a comment changes nothing):
        # the read is paused and the IR's digest noted instead.
        with readlog.paused():
            ir, digest, lines = self._load(entry, max_file_size)
        readlog.note(entry.path, f"{IR_TOKEN}{digest}", lines)
        return ir

    def _load(
        self, entry: SourceEntry, max_file_size: int
    ) -> tuple[Mapping[str, Any] | None, str, list[int] | None]:
        from kdocs.cache import content_key, stamp
        from kdocs.fsread import read_regular

        files = self.files
        st = stamp(entry.path)  # before the read: a later edit changes what the cache saw
        if files is not None:
            hit = files.by_stat(entry.relpath, st)
            if hit is not None and _ir_or_none(hit):
                return hit["ir"], _digest_of(hit), _lines_of(hit)
        try:
            data = read_regular(entry.path, max_file_size)  # never a FIFO or /dev/zero
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None, ir_digest(None), []
        key = content_key(entry.relpath, entry.module, data)
        if files is not None:
            hit = files.by_key(key)
            if hit is not None and _ir_or_none(hit):
                files.record(entry.relpath, st, key)
                return hit["ir"], _digest_of(hit), _lines_of(hit)
        is_package = entry.path.name == "__init__.py"
        ir = parse_module_ir(text, entry.relpath, entry.module, is_package)
        self.parsed += 1
        digest = ir_digest(ir)
        lines = ir_lines(ir)
        if files is not None:
            files.put(entry.relpath, st, key, {"ir": ir, "digest": digest, "lines": lines})
        return ir, digest, lines

    def save(self, tree: Sequence[str]) -> None:
        """Store what was parsed; ``tree`` (the project's files) is never pruned."""
        if self.files is not None:
            self.files.set_tree(list(tree))
            self.files.save()


IR_TOKEN = "cli-ir:"
"""The prefix of a module's IR digest in :mod:`kdocs.readlog` (see :func:`current_ir`)."""


def ir_digest(ir: Mapping[str, Any] | None) -> str:
    """A digest of a module's IR (``None``: unreadable or not Python)."""
    text = json.dumps(ir, sort_keys=True, separators=(",", ":"), default=repr)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _digest_of(hit: Mapping[str, Any]) -> str:
    found = hit.get("digest")
    return found if isinstance(found, str) else ir_digest(hit["ir"])


def _lines_of(hit: Mapping[str, Any]) -> list[int] | None:
    found = hit.get("lines")
    return found if isinstance(found, list) else ir_lines(hit["ir"])


def current_ir(entry: SourceEntry, max_file_size: int) -> Mapping[str, Any] | None:
    """The IR :class:`IRCache` serves for ``entry`` as the file is now, parsed afresh (a
    check deciding whether an edit changed what the CLI link read)."""
    from kdocs.fsread import read_regular

    try:
        text = read_regular(entry.path, max_file_size).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    is_package = entry.path.name == "__init__.py"
    return parse_module_ir(text, entry.relpath, entry.module, is_package)


def _ir_or_none(hit: Mapping[str, Any]) -> bool:
    """A cached result of the right shape (an IR or ``None``: not Python)."""
    return "ir" in hit and (hit["ir"] is None or isinstance(hit["ir"], dict))
