"""typer semantics for the symbolic evaluator: ``Typer()`` apps, commands, callbacks, params.

A :class:`TyperApp` records what ``@app.command()``, ``@app.callback()`` and
``app.add_typer()`` register; :func:`build_app` turns it into the command model following
``typer.main.get_command``: a Typer with one command and no callback or sub-apps *is* that
command, sub-apps without a name merge their commands into the parent, group help comes from
``add_typer(help=)`` > ``callback(help=)`` > ``Typer(help=)`` > callback docstrings. Params come
from the function signatures (defaults and ``Annotated[..., typer.Option(...)]``) with typer's
naming: ``--snake-case``, ``--flag/--no-flag`` for bools, root apps get the two completion
options.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
from dataclasses import dataclass, field
from typing import Any

from kdocs.extract.cli import helptext
from kdocs.extract.cli.click_static import (
    UNSET,
    _const,
    _jsonable,
    _str_or_none,
    parse_option_decls,
)
from kdocs.extract.cli.interp import (
    EXT_CALLS,
    Args,
    ClassV,
    Const,
    Ext,
    Func,
    Generic,
    Interpreter,
    Obj,
    Target,
    Unknown,
    Value,
    literal,
)
from kdocs.extract.cli.pyir import module_ir
from kdocs.models.cli import Argument, Command, Option, SourceLocation, Unresolved

COMPLETION_OPTIONS = (
    ("--install-completion", "Install completion for the current shell."),
    (
        "--show-completion",
        "Show completion for the current shell, to copy it or customize the installation.",
    ),
)


@dataclass(eq=False)
class TyperParamInfo(Value):
    kind: str  # "option" | "argument"
    args: list[Value]
    kw: Args
    loc: SourceLocation


@dataclass(eq=False)
class Registered:
    func: Func
    kw: Args
    loc: SourceLocation
    notes: list[Unresolved] = field(default_factory=list)


@dataclass(eq=False)
class TyperApp(Obj):
    kw: Args
    loc: SourceLocation
    commands: list[Registered] = field(default_factory=list)
    callback: Registered | None = None
    groups: list[tuple[Value, Args, SourceLocation]] = field(default_factory=list)
    notes: list[Unresolved] = field(default_factory=list)
    attached: bool = False
    is_run: bool = False
    var_name: str | None = None  # the module variable it is first bound to (a root's fallback)

    def mark_attached(self) -> None:
        self.attached = True

    def command_name(self) -> str | None:
        return _explicit_name(self)

    def passed_to_unknown(self, what: str, loc: SourceLocation) -> None:
        message = f"passed to {what}: commands or options it adds at run time are not seen"
        self.notes.append(Unresolved(message, loc.file, loc.line))

    def call(
        self, interp: Interpreter, args: list[Value], kwargs: Args, loc: SourceLocation
    ) -> Value:
        interp.invoked.append((self, loc))
        return Unknown("result of running the app", loc.file, loc.line)

    def call_method(
        self, interp: Interpreter, name: str, args: list[Value], kwargs: Args, loc: SourceLocation
    ) -> Value:
        if name in ("command", "callback"):
            notes: list[Unresolved] = [u.note() for u in kwargs.dynamic]
            if args and name == "command":
                kwargs = Args({**kwargs.items, "name": args[0]}, kwargs.dynamic)
            return _TyperDecorator(self, name, kwargs, loc, notes)
        if name == "add_typer":
            if not args:
                self.notes.append(Unresolved("add_typer() without an app", loc.file, loc.line))
                return Const(None)
            sub = args[0]
            if isinstance(sub, TyperApp) and sub is not self:
                sub.attached = True
            self.groups.append((sub, kwargs, loc))
            return Const(None)
        return Unknown(f"{name}() of a Typer app", loc.file, loc.line)


@dataclass(eq=False)
class _TyperDecorator(Obj):
    app: TyperApp
    kind: str
    kw: Args
    loc: SourceLocation
    notes: list[Unresolved]

    def decorate(self, interp: Interpreter, target: Value, loc: SourceLocation) -> Value:
        func = (
            target.func
            if isinstance(target, Target)
            else target
            if isinstance(target, Func)
            else None
        )
        if func is None:
            self.app.notes.append(
                Unresolved("typer decorator on something kdocs cannot resolve", loc.file, loc.line)
            )
            return target
        notes = [*self.notes, *(target.notes if isinstance(target, Target) else [])]
        entry = Registered(func, self.kw, self.loc, notes)
        if self.kind == "callback":
            self.app.callback = entry
        else:
            self.app.commands.append(entry)
        return target


@dataclass(eq=False)
class TyperAsClick(Obj):
    """``typer.main.get_command(app)``: the click command of an app (added to click groups)."""

    app: Value

    def mark_attached(self) -> None:
        if isinstance(self.app, TyperApp):
            self.app.attached = True

    def command_name(self) -> str | None:
        if isinstance(self.app, TyperApp):
            return _explicit_name(self.app)
        return None


def _h_typer(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    app = TyperApp(kwargs, loc, notes=[u.note() for u in kwargs.dynamic])
    interp.created.append(app)
    return app


def _h_param(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    kind = "argument" if path.endswith("Argument") else "option"
    return TyperParamInfo(kind, list(args), kwargs, loc)


def _h_run(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    target = args[0] if args else None
    func = (
        target.func if isinstance(target, Target) else target if isinstance(target, Func) else None
    )
    app = TyperApp(Args(), loc, is_run=True)
    if func is None:
        app.notes.append(
            Unresolved("typer.run() of a function kdocs cannot resolve", loc.file, loc.line)
        )
    else:
        app.commands.append(Registered(func, Args(), loc))
    interp.created.append(app)
    interp.invoked.append((app, loc))
    return Const(None)


def _h_get_command(
    interp: Interpreter, path: str, args: list[Value], kwargs: Args, loc: SourceLocation
) -> Value:
    return TyperAsClick(args[0] if args else Unknown("get_command()", loc.file, loc.line))


def _register() -> None:
    EXT_CALLS["typer.Typer"] = _h_typer
    EXT_CALLS["typer.main.Typer"] = _h_typer
    for name in ("Option", "Argument"):
        EXT_CALLS[f"typer.{name}"] = _h_param
        EXT_CALLS[f"typer.params.{name}"] = _h_param
    EXT_CALLS["typer.run"] = _h_run
    EXT_CALLS["typer.main.run"] = _h_run
    EXT_CALLS["typer.main.get_command"] = _h_get_command
    EXT_CALLS["typer.main.get_group"] = _h_get_command


_register()


# -- model ----------------------------------------------------------------------------------


def _explicit_name(app: TyperApp, add_kw: Args | None = None) -> str | None:
    for kw in (add_kw, app.callback.kw if app.callback else None, app.kw):
        if kw is None:
            continue
        value = kw.get("name")
        if isinstance(value, Const) and isinstance(value.value, str):
            return value.value
    return None


def _doc(func: Func | None) -> str | None:
    if func is None:
        return None
    doc = func.record.get("doc")
    return inspect.cleandoc(doc) if isinstance(doc, str) else None


def _group_help(app: TyperApp, add_kw: Args | None, notes: list[Unresolved]) -> str | None:
    explicit = [add_kw, app.callback.kw if app.callback else None, app.kw]
    for kw in explicit:
        if kw is not None and "help" in kw.items:
            return _str_or_none(kw.items["help"], "help", notes, app.loc)
    funcs: list[Value | None] = [
        add_kw.get("callback") if add_kw else None,
        app.callback.func if app.callback else None,
        app.kw.get("callback"),
    ]
    for func in funcs:
        if isinstance(func, Target):
            func = func.func
        if isinstance(func, Func):
            doc = _doc(func)
            if doc:
                return doc
    return None


def _setting(app: TyperApp, add_kw: Args | None, name: str, default: Any) -> Any:
    for kw in (add_kw, app.callback.kw if app.callback else None, app.kw):
        if kw is not None and name in kw.items:
            return _const(kw.items[name], default)
    return default


def build_app(
    interp: Interpreter,
    builder: Any,
    app: TyperApp,
    name: str | None,
    path: tuple[str, ...],
    stack: tuple[int, ...],
    *,
    root: bool,
    add_kw: Args | None = None,
) -> Command:
    completion = root and _const(app.kw.get("add_completion"), True) is not False and not app.is_run
    callback_func = app.callback.func if app.callback else None
    if callback_func is None:
        cb = app.kw.get("callback")
        callback_func = cb.func if isinstance(cb, Target) else cb if isinstance(cb, Func) else None
    if callback_func is None and not app.groups and len(app.commands) == 1 and add_kw is None:
        reg = app.commands[0]
        cmd_name = name or _command_name(reg)
        command = build_command(interp, reg, cmd_name, path if name else (*path[:-1], cmd_name))
        if completion:
            command = _with_completion(command, app.loc)
        return command
    notes = list(app.notes)
    group_name = name or _explicit_name(app, add_kw) or ""
    params: tuple[list[Option], list[Argument]] = ([], [])
    if callback_func is not None:
        params = signature_params(interp, callback_func, notes)
    subs: list[Command] = []
    for reg, sub_path_name in _flatten_commands(app, notes):
        sub = build_command(interp, reg, sub_path_name, (*path, sub_path_name))
        subs.append(sub)
    for value, kw, loc, sub_name in _flatten_groups(app, notes):
        if isinstance(value, _SingleReg):
            subs.append(build_command(interp, value.reg, sub_name, (*path, sub_name)))
        elif isinstance(value, TyperApp):
            if id(value) in stack:
                notes.append(
                    Unresolved("add_typer() cycle: an app contains itself", loc.file, loc.line)
                )
                continue
            subs.append(
                build_app(
                    interp,
                    builder,
                    value,
                    sub_name,
                    (*path, sub_name),
                    (*stack, id(value)),
                    root=False,
                    add_kw=kw,
                )
            )
        else:
            built = builder(value, sub_name, (*path, sub_name), stack, loc, notes)
            if built is not None:
                subs.append(built)
    seen: dict[str, int] = {}
    unique: list[Command] = []
    for sub in subs:
        if sub.name in seen:
            notes.append(
                Unresolved(
                    f"command name {sub.name!r} is registered twice; the last one wins",
                    sub.source.file if sub.source else "",
                    sub.source.line if sub.source else 0,
                )
            )
            unique[seen[sub.name]] = sub
            continue
        seen[sub.name] = len(unique)
        unique.append(sub)
    options, arguments = params
    command = Command(
        name=group_name,
        path=path,
        help=helptext.command_help(_group_help(app, add_kw, notes)),
        short_help=helptext.raw_text(_opt_str(_setting(app, add_kw, "short_help", None))),
        hidden=_setting(app, add_kw, "hidden", False) is True,
        deprecated=_bool_or_str(_setting(app, add_kw, "deprecated", False)),
        options=tuple(options),
        arguments=tuple(arguments),
        subcommands=tuple(unique),
        epilog=helptext.raw_text(_opt_str(_setting(app, add_kw, "epilog", None))),
        framework="typer",
        source=app.loc,
        unresolved=tuple(dict.fromkeys(notes)),
        object=callback_func.qualname if callback_func is not None else None,
        is_group=True,
    )
    if completion:
        command = _with_completion(command, app.loc)
    return command


def _flatten_commands(app: TyperApp, notes: list[Unresolved]) -> list[tuple[Registered, str]]:
    return [(reg, _command_name(reg)) for reg in app.commands]


def _flatten_groups(
    app: TyperApp, notes: list[Unresolved]
) -> list[tuple[Value, Args, SourceLocation, str]]:
    out: list[tuple[Value, Args, SourceLocation, str]] = []
    for value, kw, loc in app.groups:
        if isinstance(value, TyperApp):
            name = _explicit_name(value, kw)
            if name is None:
                # A sub-app without a name: its commands join this group.
                merged = TyperApp(
                    value.kw, value.loc, list(value.commands), None, list(value.groups)
                )
                for reg, sub_name in _flatten_commands(merged, notes):
                    out.append((_SingleReg(reg), Args(), reg.loc, sub_name))
                out.extend(_flatten_groups(merged, notes))
                continue
            out.append((value, kw, loc, name))
        else:
            reason = value.reason if isinstance(value, Unknown) else "not a Typer app"
            notes.append(
                Unresolved(
                    f"add_typer() of a value kdocs cannot resolve: {reason}", loc.file, loc.line
                )
            )
    return out


@dataclass(eq=False)
class _SingleReg(Value):
    reg: Registered


def _command_name(reg: Registered) -> str:
    value = reg.kw.get("name")
    if isinstance(value, Const) and isinstance(value.value, str):
        return value.value
    return reg.func.name.lower().replace("_", "-")


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _bool_or_str(value: Any) -> bool | str:
    return value if isinstance(value, (bool, str)) else False


def _with_completion(command: Command, loc: SourceLocation) -> Command:
    extra = tuple(
        Option(
            names=(name,),
            help=help_text,
            is_flag=True,
            type="boolean",
            source=loc,
            nargs=1,
            dest=name.lstrip("-").replace("-", "_"),
        )
        for name, help_text in COMPLETION_OPTIONS
    )

    return dataclasses.replace(command, options=(*command.options, *extra))


def build_command(
    interp: Interpreter, reg: Registered, name: str, path: tuple[str, ...]
) -> Command:
    notes = list(reg.notes)
    help_v = reg.kw.get("help")
    if help_v is not None and not (isinstance(help_v, Const) and help_v.value is None):
        raw = _str_or_none(help_v, "help", notes, reg.loc)
    else:
        raw = _doc(reg.func)
    options, arguments = signature_params(interp, reg.func, notes)
    record = reg.func.record
    return Command(
        name=name,
        path=path,
        help=helptext.command_help(raw),
        short_help=helptext.raw_text(_opt_str(_const(reg.kw.get("short_help"), None))),
        hidden=_const(reg.kw.get("hidden"), False) is True,
        deprecated=_bool_or_str(_const(reg.kw.get("deprecated"), False)),
        options=tuple(options),
        arguments=tuple(arguments),
        epilog=helptext.raw_text(_opt_str(_const(reg.kw.get("epilog"), None))),
        framework="typer",
        source=SourceLocation(
            reg.func.module.relpath, int(record.get("line", 0)), int(record.get("col", 1))
        ),
        unresolved=tuple(dict.fromkeys(notes)),
        object=reg.func.qualname,
    )


# -- parameters -----------------------------------------------------------------------------


def _eval_annotation(interp: Interpreter, func: Func, ir: Any) -> Value | None:
    if ir is None:
        return None
    scope = func.closure or func.module.scope
    value = interp.eval(ir, scope)
    if isinstance(value, Const) and isinstance(value.value, str):
        try:
            tree = ast.parse(value.value, mode="eval")
        except SyntaxError:
            return value
        expr = module_ir(ast.Module(body=[ast.Expr(tree.body)], type_ignores=[]), "", False)
        body = expr["body"]
        if body and body[0][0] == "expr":
            return interp.eval(body[0][1], scope)
    return value


def _last(value: Value | None) -> str:
    if isinstance(value, Ext):
        return value.path.rsplit(".", 1)[-1]
    if isinstance(value, ClassV):
        return str(value.record["name"])
    if isinstance(value, Generic):
        return value.origin
    return ""


def _strip_optional(value: Value | None) -> Value | None:
    if isinstance(value, Generic) and value.origin in ("Optional",):
        return value.arg_list()[0]
    if isinstance(value, Generic) and value.origin == "Union":
        args = [a for a in value.arg_list() if not (isinstance(a, Const) and a.value is None)]
        if len(args) == 1:
            return args[0]
    return value


def _enum_choices(value: Value | None, interp: Interpreter) -> tuple[str, ...] | None:
    if not isinstance(value, ClassV):
        return None
    chain: list[Value] = []
    todo: list[Value] = [value]
    while todo and len(chain) < 20:
        item = todo.pop()
        chain.append(item)
        if isinstance(item, ClassV):
            todo.extend(item.bases)
    if not any(isinstance(c, Ext) and "Enum" in c.path for c in chain):
        return None
    choices = []
    for name, ir in value.record.get("fields", []):
        if name.startswith("_") or ir is None:
            continue
        member = interp.eval(ir, value.module.scope)
        if isinstance(member, Const):
            choices.append(str(member.value))
    return tuple(choices)


def _type_info(
    interp: Interpreter, annotation: Value | None
) -> tuple[str, bool, str | None, tuple[str, ...] | None, int | None]:
    """(kind: bool|list|other, is_list, click type name, choices, tuple arity)."""
    base = _strip_optional(annotation)
    is_list = False
    if isinstance(base, Generic) and base.origin in ("List", "list", "Sequence", "Set", "set"):
        is_list = base.origin in ("List", "list")
        base = base.arg_list()[0]
        base = _strip_optional(base)
    arity = None
    if isinstance(base, Generic) and base.origin in ("Tuple", "tuple"):
        arity = len(base.arg_list())
        return "other", is_list, "tuple", None, arity
    if isinstance(base, Generic) and base.origin == "Literal":
        choices = tuple(str(a.value) for a in base.arg_list() if isinstance(a, Const))
        return "other", is_list, "choice", choices, None
    last = _last(base)
    enum_choices = _enum_choices(base, interp)
    if enum_choices is not None:
        return "other", is_list, "choice", enum_choices, None
    names = {
        "bool": "boolean",
        "int": "integer",
        "float": "float",
        "str": "text",
        "Path": "path",
        "datetime": "datetime",
        "UUID": "uuid",
        "FileText": "filename",
        "FileTextWrite": "filename",
        "FileBinaryRead": "filename",
        "FileBinaryWrite": "filename",
    }
    type_name = names.get(last, last or "text")
    return ("bool" if last == "bool" else "other"), is_list, type_name, None, None


def _is_context(annotation: Value | None) -> bool:
    return (
        isinstance(annotation, Ext)
        and annotation.path.rsplit(".", 1)[-1] == "Context"
        and (annotation.path.startswith(("typer", "click")))
    )


def signature_params(
    interp: Interpreter, func: Func, notes: list[Unresolved]
) -> tuple[list[Option], list[Argument]]:
    options: list[Option] = []
    arguments: list[Argument] = []
    scope = func.closure or func.module.scope
    file = func.module.relpath
    for pname, ann_ir, default_ir, kind, line, col in func.record.get("params", []):
        if kind in ("vararg", "kwarg"):
            continue
        loc = SourceLocation(file, line, col)
        annotation = _eval_annotation(interp, func, ann_ir)
        if _is_context(annotation):
            continue
        default = interp.eval(default_ir, scope) if default_ir is not None else None
        info: TyperParamInfo | None = None
        decls: list[Value] = []
        required = False
        default_value: Value | None = None
        if isinstance(annotation, Generic) and annotation.origin == "Annotated":
            ann_args = annotation.arg_list()
            infos = [a for a in ann_args[1:] if isinstance(a, TyperParamInfo)]
            if infos:
                info = infos[0]
                annotation = ann_args[0]
                decls = list(info.args)
                if info.kind == "argument" and decls:
                    decls = []
                if default is None:
                    required = True
                else:
                    default_value = default
            else:
                annotation = ann_args[0] if ann_args else None
        if info is None and isinstance(default, TyperParamInfo):
            info = default
            first = info.args[0] if info.args else info.kw.get("default")
            decls = list(info.args[1:])
            if first is None or (isinstance(first, Const) and first.value is Ellipsis):
                required = True  # typer's Option()/Argument() default is ``...``: required
            else:
                default_value = first
            factory = info.kw.get("default_factory")
            if factory is not None:
                required = False
        elif info is None:
            if default is None:
                arguments.append(_argument(interp, pname, annotation, None, True, None, loc, notes))
                continue
            options.append(
                _option(interp, pname, annotation, [], Args(), default, False, loc, notes)
            )
            continue
        if info.kind == "argument":
            arguments.append(
                _argument(interp, pname, annotation, info, required, default_value, info.loc, notes)
            )
        else:
            options.append(
                _option(
                    interp,
                    pname,
                    annotation,
                    decls,
                    info.kw,
                    default_value,
                    required,
                    info.loc,
                    notes,
                )
            )
    return options, arguments


def _option(
    interp: Interpreter,
    pname: str,
    annotation: Value | None,
    decls: list[Value],
    kw: Args,
    default: Value | None,
    required: bool,
    loc: SourceLocation,
    notes: list[Unresolved],
) -> Option:
    notes.extend(u.note() for u in kw.dynamic)
    kind, is_list, type_name, choices, arity = _type_info(interp, annotation)
    names: list[str] = []
    for decl in decls:
        if isinstance(decl, Const) and isinstance(decl.value, str):
            names.append(decl.value)
        else:
            notes.append(
                Unresolved(f"option name of {pname!r} kdocs cannot resolve", loc.file, loc.line)
            )
    is_flag = kind == "bool"
    flag_name = pname.replace("_", "-")
    if names:
        decl_list = [pname, *names]
    elif is_flag:
        decl_list = [pname, f"--{flag_name}/--no-{flag_name}"]
    else:
        decl_list = [pname, f"--{flag_name}"]
    if not is_flag and is_list and names and any("/" in n for n in names):
        is_flag = True
    _, opts, secondary, error = parse_option_decls(decl_list)
    if error is not None:
        notes.append(Unresolved(f"option {pname!r}: {error}", loc.file, loc.line))
    default_lit = _const(default, None) if default is not None else None
    if default_lit is UNSET or not _jsonable(default_lit):
        default_lit = None
    envvar_v = _const(kw.get("envvar"), None)
    envvar = (
        (envvar_v,)
        if isinstance(envvar_v, str)
        else tuple(envvar_v)
        if isinstance(envvar_v, list)
        else None
    )
    help_raw = _str_or_none(kw.get("help"), "help", notes, loc)
    show_default = _const(kw.get("show_default"), None)
    return Option(
        names=tuple(opts),
        secondary_names=tuple(secondary),
        help=helptext.param_help(help_raw),
        required=required,
        multiple=is_list,
        is_flag=is_flag,
        hidden=_const(kw.get("hidden"), False) is True,
        default=default_lit,
        choices=choices,
        envvar=envvar,
        type="integer range" if _const(kw.get("count"), False) is True else type_name,
        metavar=_str_or_none(kw.get("metavar"), "metavar", notes, loc),
        source=loc,
        count=_const(kw.get("count"), False) is True,
        show_default=show_default if isinstance(show_default, (bool, str)) else None,
        nargs=arity if arity is not None else 1,
        dest=pname,
    )


def _argument(
    interp: Interpreter,
    pname: str,
    annotation: Value | None,
    info: TyperParamInfo | None,
    required: bool,
    default: Value | None,
    loc: SourceLocation,
    notes: list[Unresolved],
) -> Argument:
    kw = info.kw if info is not None else Args()
    notes.extend(u.note() for u in kw.dynamic)
    _, is_list, type_name, choices, arity = _type_info(interp, annotation)
    default_lit = None
    if default is not None:
        try:
            default_lit = literal(default)
        except ValueError:
            default_lit = None
    if not _jsonable(default_lit):
        default_lit = None
    nargs: int = -1 if is_list else arity if arity is not None else 1
    return Argument(
        name=pname,
        required=required,
        nargs=nargs,
        help=helptext.param_help(_str_or_none(kw.get("help"), "help", notes, loc)),
        metavar=_str_or_none(kw.get("metavar"), "metavar", notes, loc),
        choices=choices,
        hidden=_const(kw.get("hidden"), False) is True,
        type=type_name,
        default=default_lit,
        source=loc,
    )
