"""argparse replay: the events of every file's facts, interpreted across modules.

The :class:`_Linker` replays the events of the functions that build parsers, inlining calls
to project functions with their arguments bound (so helpers that add arguments to a parser
they receive, across modules, land on the right parser), and leaves parser objects
(:class:`_Parser`) with their actions, subparsers and ``unresolved`` notes for
:mod:`.argparse_model`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kdocs.extract.cli.argparse_facts import (
    _MAX_UNROLL,
    _PARSER_PARAMS,
    FACTS_VERSION,
    _argparse_special,
    module_constants,
)
from kdocs.extract.cli.argparse_values import (
    _NO,
    SUPPRESS,
    Term,
    _apply_text,
    _builtin,
    _FuncRef,
    _ModuleRef,
    _plain,
    _subscript,
    _Unknown,
    _View,
    concat,
)
from kdocs.extract.cli.lines import MODULE_QUALNAME
from kdocs.fsread import DEFAULT_MAX_FILE_SIZE, read_regular_text
from kdocs.models.cli import Unresolved

if TYPE_CHECKING:
    from kdocs.project import Project

_MAX_DEPTH = 25


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
        self.max_file_size = (
            project.config.max_file_size if project is not None else DEFAULT_MAX_FILE_SIZE
        )
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
                # Never a FIFO or /dev/zero, never past the size cap: project files are
                # hostile input.
                tree = ast.parse(read_regular_text(path, self.max_file_size))
            except (OSError, SyntaxError, UnicodeDecodeError, ValueError, RecursionError):
                tree = None
            if tree is not None:
                result = module_constants(tree)
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
            if qual != MODULE_QUALNAME and self.creates(f"{module}:{qual}")
        ]
        called: set[str] = set()
        for key in [
            *creating,
            *(
                f"{m}:<module>"
                for m in self.by_module
                if MODULE_QUALNAME in self.by_module[m]["functions"]
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
            if all(isinstance(p, str) for p in parts) or all(isinstance(p, list) for p in parts):
                joined = concat(parts)
                if joined is not _NO:
                    return joined
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
        if frame.qualname == MODULE_QUALNAME:
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


def _walk_events(events: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for event in events:
        yield event
        if event["op"] == "loop":
            yield from _walk_events(event["body"])


def _is_subs(value: Any) -> bool:
    return isinstance(value, _Subparsers)


def _describe(value: Any) -> str:
    if isinstance(value, _Unknown):
        return value.text
    if isinstance(value, _Parser):
        return "a parser"
    return repr(value)
