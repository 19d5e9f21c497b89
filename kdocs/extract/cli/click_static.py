"""click semantics for the symbolic evaluator: commands, groups, options, arguments.

``click.option(...)`` evaluates to a :class:`ParamDecl`, ``click.command(...)`` /
``group.command(...)`` to a :class:`CommandDecorator`; applying those to a function builds a
:class:`ClickCmd` exactly as click's decorators would (params in ``__click_params__`` memo
order, reversed when the command is made). Option fields are computed with click's own rules
(``_parse_decls``, flag inference, default name of commands) from the installed click 8.x.
rich-click, cloup and asyncclick are treated as click (see ``interp.ALIASES``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from kdocs.extract.cli import helptext, usage
from kdocs.extract.cli.interp import (
    CLASS_HOOKS,
    EXT_CALLS,
    Args,
    Bound,
    ClassV,
    Const,
    DictV,
    Ext,
    Func,
    Instance,
    Interpreter,
    Obj,
    Partial,
    Seq,
    Target,
    Unknown,
    Value,
    literal,
)
from kdocs.extract.cli.typenames import normalize_type_name
from kdocs.models.cli import Argument, Command, Option, SourceLocation, Unresolved

UNSET: Any = object()


# -- option / argument declarations ---------------------------------------------------------


@dataclass(eq=False)
class ParamDecl(Obj):
    """A ``click.option(...)`` / ``click.argument(...)`` decorator and the param it adds."""

    spec: Option | Argument | None
    notes: list[Unresolved] = field(default_factory=list)

    def decorate(self, interp: Interpreter, target: Value, loc: SourceLocation) -> Value:
        if isinstance(target, (Target, ClickCmd)):
            target.params.append(self)
        return target


@dataclass(eq=False)
class DecoratorStack(Obj):
    """Several decorators applied as one (cloup's ``option_group``), listed top to bottom."""

    items: list[Value]

    def decorate(self, interp: Interpreter, target: Value, loc: SourceLocation) -> Value:
        for item in reversed(self.items):
            target = interp.apply(item, target, loc)
        return target


@dataclass(eq=False)
class Wraps(Obj):
    """``functools.wraps(f)``: the wrapper gets ``f.__dict__`` (so its ``__click_params__``)."""

    wrapped: Value

    def decorate(self, interp: Interpreter, target: Value, loc: SourceLocation) -> Value:
        if isinstance(target, Target) and isinstance(self.wrapped, Target):
            target.params[:0] = self.wrapped.params
            target.notes.extend(self.wrapped.notes)
            # The command built from the wrapper is named and documented after the wrapped
            # function (wraps copies __name__ and __doc__).
            target.func = self.wrapped.func
        return target


@dataclass(eq=False)
class ParamType(Value):
    name: str
    choices: tuple[str, ...] | None = None


def _split_opt(opt: str) -> tuple[str, str]:
    first = opt[:1]
    if first.isalnum():
        return "", opt
    if opt[1:2] == first:
        return opt[:2], opt[2:]
    return first, opt[1:]


def parse_option_decls(decls: list[str]) -> tuple[str | None, list[str], list[str], str | None]:
    """click's ``Option._parse_decls``: (name, opts, secondary opts, error)."""
    opts: list[str] = []
    secondary: list[str] = []
    name: str | None = None
    possible: list[tuple[str, str]] = []
    for decl in decls:
        if decl.isidentifier():
            if name is not None:
                return None, opts, secondary, f"name {name!r} defined twice"
            name = decl
            continue
        split_char = ";" if decl[:1] == "/" else "/"
        if split_char in decl:
            first, second = decl.split(split_char, 1)
            first = first.rstrip()
            if first:
                possible.append(_split_opt(first))
                opts.append(first)
            second = second.lstrip()
            if second:
                secondary.append(second.lstrip())
        else:
            possible.append(_split_opt(decl))
            opts.append(decl)
    if name is None and possible:
        possible.sort(key=lambda x: -len(x[0]))
        name = possible[0][1].replace("-", "_").lower()
        if not name.isidentifier():
            name = None
    if not opts and not secondary:
        return name, opts, secondary, "option declares no names"
    return name, opts, secondary, None


def _const(value: Value | None, default: Any = UNSET) -> Any:
    if value is None:
        return default
    try:
        return literal(value)
    except ValueError:
        return UNSET


def _str_or_none(
    value: Value | None, what: str, notes: list[Unresolved], loc: SourceLocation
) -> str | None:
    if value is None:
        return None
    if isinstance(value, Const) and (value.value is None or isinstance(value.value, str)):
        return value.value
    reason = value.reason if isinstance(value, Unknown) else "a value kdocs cannot resolve"
    notes.append(Unresolved(f"{what} is dynamic ({reason})", loc.file, loc.line))
    return None


def type_of(value: Value | None) -> tuple[str | None, tuple[str, ...] | None]:
    """A click type's name (as ``ParamType.name``) and its choices."""
    if value is None:
        return None, None
    if isinstance(value, ParamType):
        return value.name, value.choices
    if isinstance(value, Ext):
        return normalize_type_name(value.path), None
    if isinstance(value, ClassV):
        return normalize_type_name(str(value.record["name"])), None
    if isinstance(value, Instance):
        name = value.cls.literal_attr("name")
        if isinstance(name, str):
            return normalize_type_name(name), None
        return normalize_type_name(str(value.cls.record["name"])), None
    if isinstance(value, Func):
        return normalize_type_name(value.name), None
    return None, None


def _value_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    return "text"


def _user_site(
    interp: Interpreter, decls: list[Value], loc: SourceLocation
) -> tuple[SourceLocation, tuple[SourceLocation, ...]]:
    """(where the param is defined for the user, the helper's line as a related location)."""
    site = interp.call_site_of(decls, loc)
    return (site, (loc,)) if site != loc else (loc, ())


def build_option(
    decls: list[Value],
    kw: Args,
    loc: SourceLocation,
    *,
    cls: Value | None = None,
    related: tuple[SourceLocation, ...] = (),
) -> ParamDecl:
    """An option from a ``click.option`` call, with click's inference of its fields."""
    notes: list[Unresolved] = [u.note() for u in kw.dynamic]
    names: list[str] = []
    for decl in decls:
        if isinstance(decl, Const) and isinstance(decl.value, str):
            names.append(decl.value)
        else:
            reason = decl.reason if isinstance(decl, Unknown) else "not a string"
            notes.append(
                Unresolved(f"option name kdocs cannot resolve ({reason})", loc.file, loc.line)
            )
            return ParamDecl(None, notes)
    dest, opts, secondary, error = parse_option_decls(names)
    if error is not None:
        notes.append(
            Unresolved(f"click.option({', '.join(map(repr, names))}): {error}", loc.file, loc.line)
        )
        return ParamDecl(None, notes)
    deprecated_v = _const(kw.get("deprecated"), False)
    deprecated = deprecated_v if isinstance(deprecated_v, (bool, str)) else False
    help_raw = _str_or_none(kw.get("help"), "help", notes, loc)
    required = _const(kw.get("required"), False) is True
    multiple = _const(kw.get("multiple"), False) is True
    count = _const(kw.get("count"), False) is True
    is_flag_arg = _const(kw.get("is_flag"), None)
    flag_value = _const(kw.get("flag_value"), UNSET) if "flag_value" in kw.items else UNSET
    prompt = _const(kw.get("prompt"), False)
    prompt_required = _const(kw.get("prompt_required"), True)
    needs_value = prompt not in (False, None, UNSET) and prompt_required is False
    if is_flag_arg is None or is_flag_arg is UNSET:
        if flag_value is not UNSET or ("flag_value" in kw.items and flag_value is UNSET):
            is_flag = True
        elif needs_value:
            is_flag = False
        else:
            is_flag = bool(secondary)
    else:
        is_flag = bool(is_flag_arg)
    default = _const(kw.get("default"), UNSET) if "default" in kw.items else UNSET
    type_name, choices = type_of(kw.get("type"))
    if type_name is None:
        if count:
            type_name = "integer range"
        elif is_flag:
            if flag_value is UNSET or isinstance(flag_value, bool):
                type_name = "boolean"
            else:
                type_name = _value_type(flag_value)
        elif default is not UNSET and default is not None and not callable(default):
            sample = default[0] if isinstance(default, list) and default else default
            type_name = _value_type(sample) if not isinstance(sample, list) else "text"
        else:
            type_name = "text"
    # The raw ``Option.default`` (what the runtime inspector reads): unset is ``None``,
    # except for ``count`` options, which click defaults to 0.
    shown_default: Any = default
    if default is UNSET:
        shown_default = 0 if count else None
    envvar_v = _const(kw.get("envvar"), None)
    envvar: tuple[str, ...] | None
    if isinstance(envvar_v, str):
        envvar = (envvar_v,)
    elif isinstance(envvar_v, list) and all(isinstance(e, str) for e in envvar_v):
        envvar = tuple(envvar_v)
    else:
        envvar = None
    metavar = _str_or_none(kw.get("metavar"), "metavar", notes, loc)
    show_default_v = _const(kw.get("show_default"), None)
    nargs_v = _const(kw.get("nargs"), _tuple_arity(kw))
    option = Option(
        names=tuple(opts),
        secondary_names=tuple(secondary),
        help=helptext.param_help(help_raw, deprecated),
        required=required,
        multiple=multiple,
        is_flag=is_flag,
        hidden=_const(kw.get("hidden"), False) is True,
        default=shown_default if _jsonable(shown_default) else None,
        choices=choices,
        envvar=envvar,
        type=type_name,
        metavar=metavar,
        source=loc,
        related=related,
        count=count,
        deprecated=deprecated,
        show_default=show_default_v if isinstance(show_default_v, (bool, str)) else None,
        flag_value=flag_value if flag_value is not UNSET and _jsonable(flag_value) else None,
        nargs=nargs_v if isinstance(nargs_v, int) else 1,
        dest=dest,
    )
    return ParamDecl(option, notes)


def _tuple_arity(kw: Args) -> int | None:
    """click's ``nargs`` for ``type=(int, float)`` without ``nargs=``: the tuple's length."""
    type_v = kw.get("type")
    return len(type_v.items) if isinstance(type_v, Seq) and type_v.kind == "tuple" else None


def _jsonable(value: Any) -> bool:
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if isinstance(value, list):
        return all(_jsonable(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _jsonable(v) for k, v in value.items())
    return False


def build_argument(
    decls: list[Value], kw: Args, loc: SourceLocation, related: tuple[SourceLocation, ...] = ()
) -> ParamDecl:
    notes: list[Unresolved] = [u.note() for u in kw.dynamic]
    names = [d.value for d in decls if isinstance(d, Const) and isinstance(d.value, str)]
    if len(names) != len(decls) or not names:
        notes.append(Unresolved("argument name kdocs cannot resolve", loc.file, loc.line))
        return ParamDecl(None, notes)
    if len(names) == 1:
        name = names[0].replace("-", "_").lower()
    else:
        name = names[0]
        notes.append(Unresolved("click.argument takes exactly one name", loc.file, loc.line))
    nargs_v = _const(kw.get("nargs"), _tuple_arity(kw) or 1)
    nargs = nargs_v if isinstance(nargs_v, int) else 1
    required_v = _const(kw.get("required"), None)
    has_default = "default" in kw.items
    # click: an argument without a default is required unless it takes any number (nargs=-1)
    required = required_v if isinstance(required_v, bool) else (not has_default and nargs > 0)
    deprecated_v = _const(kw.get("deprecated"), False)
    deprecated = deprecated_v if isinstance(deprecated_v, (bool, str)) else False
    help_raw = _str_or_none(kw.get("help"), "help", notes, loc)
    type_name, choices = type_of(kw.get("type"))
    default = _const(kw.get("default"), None) if has_default else None
    argument = Argument(
        name=name,
        required=required,
        nargs=nargs,
        help=helptext.param_help(help_raw, deprecated),
        metavar=_str_or_none(kw.get("metavar"), "metavar", notes, loc),
        choices=choices,
        hidden=_const(kw.get("hidden"), False) is True,
        type=type_name or "text",
        default=default if _jsonable(default) and default is not UNSET else None,
        source=loc,
        related=related,
    )
    return ParamDecl(argument, notes)


# -- commands -------------------------------------------------------------------------------


def default_command_name(func_name: str) -> str:
    """click >= 8.2: lower case, ``_`` -> ``-``, suffixes ``-command/-cmd/-group/-grp`` cut."""
    name = func_name.lower().replace("_", "-")
    left, sep, suffix = name.rpartition("-")
    if sep and suffix in {"command", "cmd", "group", "grp"}:
        name = left
    return name


@dataclass(eq=False)
class ClickCmd(Obj):
    """A click command or group under construction (mutable: groups gain subcommands)."""

    name: str | None
    is_group: bool
    loc: SourceLocation
    func: Func | None = None
    kw: Args = field(default_factory=Args)
    params: list[ParamDecl] = field(default_factory=list)
    children: list[tuple[str | None, Value, SourceLocation]] = field(default_factory=list)
    sources: list[Value] = field(default_factory=list)
    collection: bool = False  # a click.CommandCollection (sources merged into one group)
    notes: list[Unresolved] = field(default_factory=list)
    overrides: dict[str, Value] = field(default_factory=dict)
    attached: bool = False
    framework: str = "click"
    var_name: str | None = None  # the module variable it is first bound to (a root's fallback)

    def attr(self, interp: Interpreter, name: str, loc: SourceLocation) -> Value:
        if name == "params":
            return _ParamsProxy(self)
        if name == "name" and self.name is not None:
            return Const(self.name)
        if name in ("help", "short_help", "epilog") and name in self.overrides:
            return self.overrides[name]
        return Bound(self, name)

    def passed_to_unknown(self, what: str, loc: SourceLocation) -> None:
        message = f"passed to {what}: commands or options it adds at run time are not seen"
        self.notes.append(Unresolved(message, loc.file, loc.line))

    def set_attr(self, interp: Interpreter, name: str, value: Value, loc: SourceLocation) -> None:
        if name == "name" and isinstance(value, Const) and isinstance(value.value, str):
            self.name = value.value
        else:
            self.overrides[name] = value

    def call(
        self, interp: Interpreter, args: list[Value], kwargs: Args, loc: SourceLocation
    ) -> Value:
        interp.invoked.append((self, loc))
        return Unknown("result of running the command", loc.file, loc.line)

    def call_method(
        self, interp: Interpreter, name: str, args: list[Value], kwargs: Args, loc: SourceLocation
    ) -> Value:
        if name in ("command", "group"):
            return _command_decorator(interp, name == "group", args, kwargs, loc, parent=self)
        if name == "add_command":
            if not args:
                self.notes.append(Unresolved("add_command() without a command", loc.file, loc.line))
                return Const(None)
            name_v = args[1] if len(args) > 1 else kwargs.get("name")
            sub_name = None
            if name_v is not None:
                sub_name = _str_or_none(name_v, "command name", self.notes, loc)
                if sub_name is None:
                    return Const(None)
            self.add_child(sub_name, args[0], loc)
            return Const(None)
        if name == "add_source" and (self.sources or self.collection):
            # CommandCollection.add_source(group): one more source, merged as click does
            # (the collection's own commands first, then each source in order).
            if args:
                self.sources.append(args[0])
                _mark_attached(args[0])
            return Const(None)
        if name in ("main", "__call__"):
            interp.invoked.append((self, loc))
            return Unknown("result of running the command", loc.file, loc.line)
        if name in ("result_callback", "resultcallback"):
            return _Identity()
        if name in ("section", "add_section"):  # cloup sections
            section = (
                args[0]
                if name == "add_section" and args
                else _h_section(interp, "click.Section", args, kwargs, loc)
            )
            self.add_sections([section], loc)
            return Const(None)
        return Unknown(f"{name}() of a click command", loc.file, loc.line)

    def add_sections(self, sections: list[Value], loc: SourceLocation) -> None:
        for section in sections:
            if isinstance(section, _Section):
                for command in section.commands:
                    self.add_child(None, command, loc)
            else:
                self.notes.append(
                    Unresolved("a cloup section kdocs cannot resolve", loc.file, loc.line)
                )

    def add_child(self, name: str | None, value: Value, loc: SourceLocation) -> None:
        if value is not self:  # a group added to itself is still a root (and a cycle)
            _mark_attached(value)
        self.children.append((name, value, loc))


def _mark_attached(value: Value) -> None:
    if isinstance(value, ClickCmd):
        value.attached = True
    attach = getattr(value, "mark_attached", None)
    if attach is not None:
        attach()


@dataclass(eq=False)
class _Identity(Obj):
    pass


@dataclass(eq=False)
class _Section(Value):
    """A cloup ``Section(title, commands)``: commands listed under a heading in the help."""

    commands: list[Value]


def _h_section(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    rest = args[1:]
    listed = kwargs.get("commands")
    if listed is None and len(rest) == 1 and isinstance(rest[0], (Seq, DictV)):
        listed = rest[0]
    if isinstance(listed, Seq):
        return _Section(list(listed.items))
    if isinstance(listed, DictV):
        return _Section([v for _, v in listed.items])
    return _Section(list(rest))


@dataclass(eq=False)
class _ParamsProxy(Obj):
    cmd: ClickCmd

    def call_method(
        self, interp: Interpreter, name: str, args: list[Value], kwargs: Args, loc: SourceLocation
    ) -> Value:
        if name in ("append", "insert") and args:
            decl = args[-1]
            if isinstance(decl, ParamDecl):
                if name == "append":
                    self.cmd.params.append(decl)
                else:
                    self.cmd.params.insert(0, decl)
            else:
                self.cmd.notes.append(
                    Unresolved(
                        "params.append() of a value kdocs cannot resolve", loc.file, loc.line
                    )
                )
        elif name == "extend" and args and isinstance(args[0], Seq):
            for item in args[0].items:
                if isinstance(item, ParamDecl):
                    self.cmd.params.append(item)
        return Const(None)


@dataclass(eq=False)
class CommandDecorator(Obj):
    group: bool
    name: str | None
    kw: Args
    loc: SourceLocation
    parent: ClickCmd | None = None
    notes: list[Unresolved] = field(default_factory=list)

    def decorate(self, interp: Interpreter, target: Value, loc: SourceLocation) -> Value:
        if isinstance(target, ClickCmd):
            target.notes.append(
                Unresolved("a command was made into a command twice", loc.file, loc.line)
            )
            return target
        if not isinstance(target, Target):
            return Unknown(
                "command decorator applied to something kdocs cannot resolve", loc.file, loc.line
            )
        func = target.func
        name = self.name if self.name is not None else default_command_name(func.name)
        cmd = ClickCmd(
            name=name,
            is_group=self.group or _is_group_class(self.kw.get("cls")),
            loc=SourceLocation(
                loc.file, int(func.record.get("line", loc.line)), int(func.record.get("col", 1))
            ),
            func=func,
            kw=self.kw,
            notes=[*self.notes, *target.notes],
        )
        explicit = self.kw.get("params")
        if explicit is not None:
            items = explicit.items if isinstance(explicit, Seq) else None
            if items is None:
                cmd.notes.append(Unresolved("params= kdocs cannot resolve", loc.file, loc.line))
            else:
                for item in items:
                    if isinstance(item, ParamDecl):
                        cmd.params.append(item)
                    else:
                        cmd.notes.append(
                            Unresolved("a params= item kdocs cannot resolve", loc.file, loc.line)
                        )
        cmd.params.extend(reversed(target.params))
        sections = self.kw.get("sections")
        if isinstance(sections, Seq):
            cmd.add_sections(list(sections.items), loc)
        cls = self.kw.get("cls")
        _check_class(cmd, cls, loc)
        if isinstance(cls, ClassV):
            chain = [c for c in _class_chain(cls) if isinstance(c, ClassV)]
            if any(c.record.get("init") for c in chain):
                # cls(name=..., params=...) runs the class's __init__: extra params it adds.
                last = "Group" if cmd.is_group else "Command"
                _run_init(interp, cmd, chain, last, [], Args(), loc, apply=False)
        interp.created.append(cmd)
        if self.parent is not None:
            self.parent.add_child(None, cmd, loc)
        return cmd


def _class_chain(value: Value | None, depth: int = 0) -> list[Value]:
    if value is None or depth > 10:
        return []
    out = [value]
    if isinstance(value, ClassV):
        for base in value.bases:
            out.extend(_class_chain(base, depth + 1))
    return out


def _is_group_class(value: Value | None) -> bool:
    for item in _class_chain(value):
        name = (
            item.path
            if isinstance(item, Ext)
            else item.record["name"]
            if isinstance(item, ClassV)
            else ""
        )
        last = name.rsplit(".", 1)[-1]
        if "Group" in last or last in ("MultiCommand", "CommandCollection"):
            return True
    return False


def _check_class(cmd: ClickCmd, cls: Value | None, loc: SourceLocation) -> None:
    if cls is None:
        return
    if isinstance(cls, Unknown):
        cmd.notes.append(
            Unresolved(f"command class kdocs cannot resolve: {cls.reason}", loc.file, loc.line)
        )
        return
    for item in _class_chain(cls):
        if isinstance(item, ClassV):
            methods = set(item.record.get("methods", []))
            if methods & {"get_command", "list_commands"}:
                cmd.notes.append(
                    Unresolved(
                        f"class {item.record['name']} overrides get_command/list_commands: "
                        "its subcommands are found at run time",
                        loc.file,
                        loc.line,
                    )
                )
                return
            if methods & {"get_params", "format_options", "parse_args"}:
                cmd.notes.append(
                    Unresolved(
                        f"class {item.record['name']} customises its parameters at run time",
                        loc.file,
                        loc.line,
                    )
                )
                return


def _command_decorator(
    interp: Interpreter,
    group: bool,
    args: list[Value],
    kwargs: Args,
    loc: SourceLocation,
    parent: ClickCmd | None = None,
) -> Value:
    notes: list[Unresolved] = []
    name_v: Value | None = args[0] if args else kwargs.get("name")
    if len(args) > 1 and "cls" not in kwargs.items:
        kwargs.items["cls"] = args[1]
    if isinstance(name_v, (Target, Func)):
        # ``@click.command`` without parentheses: decorate directly.
        deco = CommandDecorator(group, None, kwargs, loc, parent)
        return deco.decorate(interp, name_v, loc)
    name = _str_or_none(name_v, "command name", notes, loc) if name_v is not None else None
    return CommandDecorator(group, name, kwargs, loc, parent, notes)


def _h_command(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    group = path.rsplit(".", 1)[-1] == "group"
    return _command_decorator(interp, group, args, kwargs, loc)


def _h_option(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    site, related = _user_site(interp, args, loc)
    return build_option(args, kwargs, site, related=related)


def _h_argument(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    site, related = _user_site(interp, args, loc)
    return build_argument(args, kwargs, site, related)


def _preset(names: tuple[str, ...], defaults: dict[str, Any]) -> Any:
    def handler(
        interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
    ) -> Value:
        decls = args or [Const(n) for n in names]
        kw = Args(dict(kwargs.items), list(kwargs.dynamic))
        for key, value in defaults.items():
            kw.items.setdefault(key, Const(value))
        site, related = _user_site(interp, args, loc)
        return build_option(decls, kw, site, related=related)

    return handler


def _h_version_option(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    # version_option(version=None, *param_decls, ...): the first positional is the version.
    handler = _preset(("--version",), {"is_flag": True, "help": "Show the version and exit."})
    return handler(interp, path, args[1:], kwargs, loc)  # type: ignore[no-any-return]


def _h_param_obj(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    decls_v = args[0] if args else kwargs.get("param_decls")
    decls = decls_v.items if isinstance(decls_v, Seq) else [decls_v] if decls_v is not None else []
    if len(args) > 1 and all(isinstance(a, Const) and isinstance(a.value, str) for a in args):
        decls = list(args)  # a subclass taking its names positionally: Opt("--x", "-x")
    site, related = _user_site(interp, decls, loc)
    if path.endswith("Argument"):
        return build_argument(decls, kwargs, site, related)
    return build_option(decls, kwargs, site, related=related)


def _h_command_obj(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    last = path.rsplit(".", 1)[-1]
    cmd = ClickCmd(name=None, is_group=last != "Command", loc=loc)
    _init_command(cmd, last, args, kwargs, loc)
    interp.created.append(cmd)
    return cmd


def _init_command(
    cmd: ClickCmd, last: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> None:
    """``Command.__init__`` / ``Group.__init__`` / ``CommandCollection.__init__`` arguments."""
    cmd.notes.extend(u.note() for u in kwargs.dynamic)
    name_v = args[0] if args else kwargs.get("name")
    if name_v is not None:
        cmd.name = _str_or_none(name_v, "command name", cmd.notes, loc)
    cmd.kw = Args({**cmd.kw.items, **kwargs.items}, [*cmd.kw.dynamic, *kwargs.dynamic])
    params = kwargs.get("params")
    if isinstance(params, Seq):
        for item in params.items:
            if isinstance(item, ParamDecl):
                cmd.params.append(item)
            else:
                cmd.notes.append(
                    Unresolved("a params= item kdocs cannot resolve", loc.file, loc.line)
                )
    elif params is not None and not (isinstance(params, Const) and params.value is None):
        cmd.notes.append(Unresolved("params= kdocs cannot resolve", loc.file, loc.line))
    commands = kwargs.get("commands")
    if isinstance(commands, Seq):
        for item in commands.items:
            cmd.add_child(None, item, loc)
    elif isinstance(commands, DictV):
        for key, value in commands.items:
            cmd.add_child(key.value if isinstance(key, Const) else None, value, loc)
    elif commands is not None and not (isinstance(commands, Const) and commands.value is None):
        cmd.notes.append(Unresolved("commands= kdocs cannot resolve", loc.file, loc.line))
    if last == "CommandCollection":
        cmd.collection = True
    sources = kwargs.get("sources") if last == "CommandCollection" else None
    if last == "CommandCollection" and sources is None and len(args) > 1:
        sources = args[1]
    if isinstance(sources, Seq):
        cmd.sources = list(sources.items)
        for src in cmd.sources:
            if isinstance(src, ClickCmd):
                src.attached = True
    elif sources is not None:
        cmd.notes.append(Unresolved("sources= kdocs cannot resolve", loc.file, loc.line))


def _click_base(cls: ClassV) -> str | None:
    """The click class a project class derives from (``Group``, ``Option``...), if any."""
    for item in _class_chain(cls):
        if isinstance(item, Ext):
            last = item.path.rsplit(".", 1)[-1]
            if item.path.startswith("click.") and last in (
                "Command",
                "Group",
                "MultiCommand",
                "CommandCollection",
                "BaseCommand",
                "Option",
                "Argument",
            ):
                return last
            if last.endswith("Group"):
                return "Group"
            if last.endswith("Command"):
                return "Command"
            if item.path.startswith("click.") and last.endswith("Option"):
                return "Option"
    return None


@dataclass(eq=False)
class _Super(Obj):
    """``super()`` inside a project subclass of a click command class, bound to the command."""

    cmd: ClickCmd
    chain: list[ClassV]
    last: str
    apply: bool = True

    def attr(self, interp: Interpreter, name: str, loc: SourceLocation) -> Value:
        return Bound(self, name)

    def call(
        self, interp: Interpreter, args: list[Value], kwargs: Args, loc: SourceLocation
    ) -> Value:
        return self

    def call_method(
        self, interp: Interpreter, name: str, args: list[Value], kwargs: Args, loc: SourceLocation
    ) -> Value:
        if name == "__init__":
            _run_init(interp, self.cmd, self.chain, self.last, args, kwargs, loc, apply=self.apply)
            return Const(None)
        return self.cmd.call_method(interp, name, args, kwargs, loc)


def _run_init(
    interp: Interpreter,
    cmd: ClickCmd,
    chain: list[ClassV],
    last: str,
    args: list[Value],
    kwargs: Args,
    loc: SourceLocation,
    *,
    apply: bool = True,
) -> None:
    """Run the project ``__init__`` chain of a click command subclass on ``cmd``; click's own
    ``__init__`` at the end applies the arguments (unless a decorator already did)."""
    for i, cls in enumerate(chain):
        init = cls.record.get("init")
        if init:
            func = Func(init, cls.module)
            sup = _Super(cmd, chain[i + 1 :], last, apply)
            interp.call_func(func, [cmd, *args], kwargs, loc, {"super": sup})
            return
    if apply:
        _init_command(cmd, last, args, kwargs, loc)


@dataclass(eq=False)
class _ParamSelf(Obj):
    """``self`` inside the ``__init__`` of a project subclass of ``click.Option``."""

    base: str
    loc: SourceLocation
    decl: ParamDecl | None = None

    def set_attr(self, interp: Interpreter, name: str, value: Value, loc: SourceLocation) -> None:
        return None


@dataclass(eq=False)
class _ParamSuper(Obj):
    holder: _ParamSelf
    chain: list[ClassV]

    def attr(self, interp: Interpreter, name: str, loc: SourceLocation) -> Value:
        return Bound(self, name)

    def call(
        self, interp: Interpreter, args: list[Value], kwargs: Args, loc: SourceLocation
    ) -> Value:
        return self

    def call_method(
        self, interp: Interpreter, name: str, args: list[Value], kwargs: Args, loc: SourceLocation
    ) -> Value:
        if name == "__init__":
            _run_param_init(interp, self.holder, self.chain, args, kwargs, loc)
        return Const(None)


def _run_param_init(
    interp: Interpreter,
    holder: _ParamSelf,
    chain: list[ClassV],
    args: list[Value],
    kwargs: Args,
    loc: SourceLocation,
) -> None:
    """Run a click option subclass's ``__init__`` chain; click's own one builds the option."""
    for i, cls in enumerate(chain):
        init = cls.record.get("init")
        if init:
            func = Func(init, cls.module)
            extra = {"super": _ParamSuper(holder, chain[i + 1 :])}
            interp.call_func(func, [holder, *args], kwargs, loc, extra)
            return
    result = _h_param_obj(interp, f"click.{holder.base}", args, kwargs, holder.loc)
    if isinstance(result, ParamDecl):
        holder.decl = result


def _class_hook(
    interp: Interpreter, cls: ClassV, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value | None:
    base = _click_base(cls)
    if base is None:
        return None
    chain = [c for c in _class_chain(cls) if isinstance(c, ClassV)]
    if base in ("Option", "Argument"):
        holder = _ParamSelf(base, loc)
        _run_param_init(interp, holder, chain, args, kwargs, loc)
        if holder.decl is None:
            name = cls.record["name"]
            return Unknown(f"{name}(...) builds no option kdocs can see", loc.file, loc.line)
        return holder.decl
    cmd = ClickCmd(name=None, is_group=base != "Command", loc=loc)
    _check_class(cmd, cls, loc)
    _run_init(interp, cmd, chain, base, args, kwargs, loc)
    interp.created.append(cmd)
    return cmd


def _h_choice(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    choices_v = args[0] if args else kwargs.get("choices")
    choices: tuple[str, ...] | None = None
    if isinstance(choices_v, Seq) and all(isinstance(i, Const) for i in choices_v.items):
        choices = tuple(str(i.value) for i in choices_v.items if isinstance(i, Const))
    return ParamType("choice", choices)


_TYPE_CALLS = {
    "Path": "path",
    "File": "filename",
    "IntRange": "integer range",
    "FloatRange": "float range",
    "DateTime": "datetime",
    "Tuple": "tuple",
}


def _h_type(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    return ParamType(_TYPE_CALLS[path.rsplit(".", 1)[-1]])


def _h_option_group(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    items = [a for a in args if not (isinstance(a, Const) and isinstance(a.value, str))]
    return DecoratorStack(items)


def _h_identity_factory(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    if len(args) == 1 and isinstance(args[0], (Target, ClickCmd)) and not kwargs:
        return args[0]
    return _Identity()


def _h_wraps(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    return Wraps(args[0] if args else Unknown("wraps()", loc.file, loc.line))


def _h_update_wrapper(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    if len(args) < 2:
        return Unknown("update_wrapper()", loc.file, loc.line)
    wrapper = Target(args[0]) if isinstance(args[0], Func) else args[0]
    return Wraps(args[1]).decorate(interp, wrapper, loc)


def _h_param_memo(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    """click's private ``_param_memo(f, param)``, used by home-made option decorators."""
    if len(args) == 2 and isinstance(args[1], ParamDecl):
        return args[1].decorate(interp, args[0], loc)
    if args and isinstance(args[0], Target):
        args[0].notes.append(
            Unresolved("_param_memo() of a parameter kdocs cannot resolve", loc.file, loc.line)
        )
    return Const(None)


def _h_translate(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    """``gettext(text)``: the untranslated text (what the runtime shows in the C locale)."""
    return args[0] if args else Unknown("gettext()", loc.file, loc.line)


def _h_dist_version(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    """``importlib.metadata.version(name)``: read from the installed dist-info / pyproject."""
    if args and isinstance(args[0], Const) and isinstance(args[0].value, str):
        version = interp.versions.get(_dist_key(args[0].value))
        if version is not None:
            return Const(version)
    return Unknown("installed version of a distribution kdocs cannot find", loc.file, loc.line)


def _dist_key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _h_partial(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    if not args:
        return Unknown("partial()", loc.file, loc.line)
    return Partial(args[0], list(args[1:]), dict(kwargs.items))


def _h_reduce(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    if len(args) < 2:
        return Unknown("reduce()", loc.file, loc.line)
    items = interp.iterate(args[1])
    if items is None:
        return Unknown("reduce() over values kdocs cannot resolve", loc.file, loc.line)
    acc = args[2] if len(args) > 2 else items.pop(0)
    for item in items:
        acc = interp.call(args[0], [acc, item], Args(), loc)
    return acc


def _register() -> None:
    for base in ("click", "click.decorators"):
        EXT_CALLS[f"{base}.command"] = _h_command
        EXT_CALLS[f"{base}.group"] = _h_command
        EXT_CALLS[f"{base}.option"] = _h_option
        EXT_CALLS[f"{base}.argument"] = _h_argument
        EXT_CALLS[f"{base}.version_option"] = _h_version_option
        EXT_CALLS[f"{base}.confirmation_option"] = _preset(
            ("--yes",), {"is_flag": True, "help": "Confirm the action without prompting."}
        )
        EXT_CALLS[f"{base}.password_option"] = _preset(("--password",), {})
        EXT_CALLS[f"{base}.help_option"] = _preset(
            ("--help",), {"is_flag": True, "help": "Show this message and exit."}
        )
        EXT_CALLS[f"{base}.pass_context"] = _h_identity_factory
        EXT_CALLS[f"{base}.pass_obj"] = _h_identity_factory
        EXT_CALLS[f"{base}.make_pass_decorator"] = _h_identity_factory
    for name in (
        "Command",
        "Group",
        "MultiCommand",
        "CommandCollection",
        "RichCommand",
        "RichGroup",
    ):
        EXT_CALLS[f"click.{name}"] = _h_command_obj
        EXT_CALLS[f"click.core.{name}"] = _h_command_obj
    for name in ("Option", "Argument"):
        EXT_CALLS[f"click.{name}"] = _h_param_obj
        EXT_CALLS[f"click.core.{name}"] = _h_param_obj
    EXT_CALLS["click.Choice"] = _h_choice
    EXT_CALLS["click.types.Choice"] = _h_choice
    for name in _TYPE_CALLS:
        EXT_CALLS[f"click.{name}"] = _h_type
        EXT_CALLS[f"click.types.{name}"] = _h_type
    EXT_CALLS["click.option_group"] = _h_option_group  # cloup
    EXT_CALLS["click.Section"] = _h_section  # cloup
    EXT_CALLS["click.constraint"] = _h_identity_factory  # cloup
    EXT_CALLS["functools.wraps"] = _h_wraps
    EXT_CALLS["functools.partial"] = _h_partial
    for mod in ("importlib.metadata", "importlib_metadata"):
        EXT_CALLS[f"{mod}.version"] = _h_dist_version
    for name in ("gettext.gettext", "gettext.ngettext", "click.core._", "click._compat._"):
        EXT_CALLS[name] = _h_translate
    EXT_CALLS["click.decorators._param_memo"] = _h_param_memo
    EXT_CALLS["functools.update_wrapper"] = _h_update_wrapper
    EXT_CALLS["functools.reduce"] = _h_reduce


_register()
CLASS_HOOKS.append(_class_hook)


# -- model ----------------------------------------------------------------------------------

_WS = re.compile(r"\s+")


def _kw_str(cmd: ClickCmd, name: str, notes: list[Unresolved]) -> str | None:
    value = cmd.overrides.get(name) or cmd.kw.get(name)
    return _str_or_none(value, name, notes, cmd.loc)


def command_fields(cmd: ClickCmd) -> dict[str, Any]:
    """Help, flags and params of a click command (not its name/path/subcommands)."""
    notes = list(cmd.notes)
    help_v = cmd.overrides.get("help") or cmd.kw.get("help")
    raw_help: str | None
    if help_v is not None and not (isinstance(help_v, Const) and help_v.value is None):
        raw_help = _str_or_none(help_v, "help", notes, cmd.loc)
    else:
        raw_help = cmd.func.record.get("doc") if cmd.func is not None else None
    deprecated_v = _const(cmd.kw.get("deprecated"), False)
    options: list[Option] = []
    arguments: list[Argument] = []
    for decl in cmd.params:
        notes.extend(decl.notes)
        if isinstance(decl.spec, Option):
            options.append(decl.spec)
        elif isinstance(decl.spec, Argument):
            arguments.append(decl.spec)
    aliases_v = _const(cmd.kw.get("aliases"), None)
    aliases = (
        tuple(a for a in aliases_v if isinstance(a, str)) if isinstance(aliases_v, list) else ()
    )
    return {
        "help": helptext.command_help(raw_help),
        "short_help": helptext.raw_text(_kw_str(cmd, "short_help", notes)),
        "epilog": helptext.raw_text(_kw_str(cmd, "epilog", notes)),
        "hidden": _const(cmd.kw.get("hidden"), False) is True,
        "deprecated": deprecated_v if isinstance(deprecated_v, (bool, str)) else False,
        "options": tuple(options),
        "arguments": tuple(arguments),
        "aliases": aliases,
        "notes": notes,
        "object": cmd.func.qualname if cmd.func is not None else None,
    }


def build_command(
    builder: Any, cmd: ClickCmd, name: str, path: tuple[str, ...], stack: tuple[int, ...]
) -> Command:
    """The model of a click command and (recursively, via ``builder``) its subcommands."""
    fields = command_fields(cmd)
    notes: list[Unresolved] = fields.pop("notes")
    subs: list[Command] = []
    if cmd.is_group or cmd.children or cmd.sources:
        entries: dict[str, tuple[Value, SourceLocation]] = {}
        for sub_name, value, loc, from_source in _children(cmd, notes):
            if from_source and sub_name in entries:
                continue  # a CommandCollection uses its own commands, then the first source's
            if sub_name in entries:
                notes.append(
                    Unresolved(
                        f"command name {sub_name!r} is registered twice; the last one wins",
                        loc.file,
                        loc.line,
                    )
                )
            entries[sub_name] = (value, loc)
        for sub_name in sorted(entries):
            value, loc = entries[sub_name]
            built = builder(value, sub_name, (*path, sub_name), stack, loc, notes)
            if built is not None:
                subs.append(built)
    command = Command(
        name=name,
        path=path,
        subcommands=tuple(subs),
        framework=cmd.framework,
        source=cmd.loc,
        unresolved=tuple(dict.fromkeys(notes)),
        is_group=cmd.is_group,
        **fields,
    )
    # The usage pieces from the command's own settings; the provider adds the command path.
    settings = {k: v for k in _USAGE_SETTINGS if (v := _const(cmd.kw.get(k))) is not UNSET}
    return replace(command, usage=usage.pieces_from_settings(command, settings))


_USAGE_SETTINGS = ("options_metavar", "subcommand_metavar", "chain", "invoke_without_command")


def _children(
    cmd: ClickCmd, notes: list[Unresolved]
) -> list[tuple[str, Value, SourceLocation, bool]]:
    """(name, command, where, from a collection source): own commands, then the sources'."""
    out: list[tuple[str, Value, SourceLocation, bool]] = []
    for given, value, loc in cmd.children:
        name = given if given is not None else child_name(value)
        if name is None:
            reason = value.reason if isinstance(value, Unknown) else "not a command"
            notes.append(
                Unresolved(f"subcommand kdocs cannot resolve: {reason}", loc.file, loc.line)
            )
            continue
        out.append((name, value, loc, False))
    for src in cmd.sources:
        if isinstance(src, ClickCmd):
            out.extend((n, v, loc, True) for n, v, loc, _ in _children(src, notes))
        else:
            reason = src.reason if isinstance(src, Unknown) else "not a click group"
            notes.append(
                Unresolved(
                    f"command collection source kdocs cannot resolve: {reason}",
                    cmd.loc.file,
                    cmd.loc.line,
                )
            )
    return out


def child_name(value: Value) -> str | None:
    if isinstance(value, ClickCmd):
        return value.name
    get_name = getattr(value, "command_name", None)
    if get_name is not None:
        name: str | None = get_name()
        return name
    return None
