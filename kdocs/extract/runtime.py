"""The opt-in runtime inspector: import the user's CLI object and read the command model off it.

Static extraction never runs the analysed code; this module does exactly that, on request
(``kdocs inspect cli --runtime module:object``), as the escape hatch for CLIs built too
dynamically for static analysis and as the ground truth of the accuracy benchmark. It fills
the same :mod:`kdocs.models.cli` model the static extractors fill, with the same conventions:

* ``spec`` is ``"module:attr[.attr]"``: a click ``Command``/``Group``, a ``typer.Typer``, an
  ``argparse.ArgumentParser``, or a callable taking no arguments. A callable is called with
  ``sys.argv = [name, "--help"]`` while ``ArgumentParser.parse_known_args`` and click's
  ``Command.main`` are patched to stop at the first call and hand over their parser/command:
  so both ``get_parser()`` (returns a parser) and ``main()`` (builds one and parses) work.
* Help texts: click command help as click shows it (``inspect.cleandoc`` then cut at ``\\f``;
  option help is already cleaned by click); argparse help raw (``%(default)s`` unexpanded).
  Empty help is ``None``.
* The automatic help option is left out (click's ``get_help_option`` is not in
  ``cmd.params``; argparse's help action with its default text is skipped).
* ``default`` is JSON-safe and comparable with static extraction (which keeps literal
  defaults only): ``None``/str/int/float/bool and lists of them as they are, enum members as
  their value; click's ``UNSET`` sentinel, ``argparse.SUPPRESS``, callables and any other
  object (``sys.stdin``, a ``Path``) are ``None``.
* ``type`` goes through :mod:`kdocs.extract.cli.typenames`, the vocabulary static extraction
  uses too.
"""

from __future__ import annotations

import argparse
import contextlib
import enum
import importlib
import inspect
import os
import sys
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kdocs.errors import KdocsError
from kdocs.extract.cli.examples import with_examples
from kdocs.extract.cli.typenames import runtime_type_name
from kdocs.extract.cli.usage import PREFIX_WIDTH
from kdocs.models.cli import Argument, Command, Option, SourceLocation

_HELP_DEFAULT = "show this help message and exit"
_FLAG_ACTIONS = {
    "_StoreTrueAction",
    "_StoreFalseAction",
    "_StoreConstAction",
    "_AppendConstAction",
    "BooleanOptionalAction",
    "_HelpAction",
    "_VersionAction",
}
_MAX_DEPTH = 30


class RuntimeInspectError(KdocsError):
    """The runtime spec could not be imported or does not name a CLI object."""


class _Captured(BaseException):
    """A control-flow signal carrying the captured parser/command, not an error."""

    def __init__(self, obj: Any) -> None:
        super().__init__("captured")
        self.obj = obj


def inspect_runtime(spec: str, *, name: str | None = None) -> list[Command]:
    """Import ``spec`` and return its command tree (one root) in the static model's shape."""
    module_name, _, attr = spec.partition(":")
    if not module_name:
        raise RuntimeInspectError(f"runtime spec {spec!r} must look like module:attr")
    for entry in (os.getcwd(), *_project_roots()):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    with contextlib.redirect_stdout(sys.stderr):
        try:
            obj: Any = importlib.import_module(module_name)
        except Exception as err:
            raise RuntimeInspectError(f"cannot import {module_name}: {err}") from err
        for part in [p for p in attr.split(".") if p]:
            try:
                obj = getattr(obj, part)
            except AttributeError as err:
                raise RuntimeInspectError(f"{spec}: no attribute {part!r}") from err
        root_name = name or _default_name(module_name, attr)
        obj = _materialise(obj, root_name, spec)
    return [with_examples(_convert(obj, root_name))]


def _project_roots() -> list[str]:
    cwd = Path.cwd()
    return [str(cwd / "src")] if (cwd / "src").is_dir() else []


def _default_name(module_name: str, attr: str) -> str:
    module = module_name
    for suffix in (".__main__", ".__init__"):
        module = module.removesuffix(suffix)
    return module.split(".")[0] if attr else module


def _is_clickish_module(module: str) -> bool:
    """click itself, or a vendored copy of it (typer >= 0.22 ships ``typer._click``)."""
    return module.startswith("click") or "._click" in module


def _is_click(obj: Any) -> bool:
    return any(
        cls.__name__ == "Command" and _is_clickish_module(cls.__module__ or "")
        for cls in type(obj).__mro__
    )


def _param_kind(param: Any) -> str | None:
    """``"option"`` or ``"argument"`` for click (or vendored click) parameters."""
    kind = getattr(param, "param_type_name", None)
    if kind in ("option", "argument"):
        return str(kind)
    return None


def _is_typer(obj: Any) -> bool:
    return type(obj).__name__ == "Typer" and (type(obj).__module__ or "").startswith("typer")


def _is_cli_object(obj: Any) -> bool:
    return isinstance(obj, argparse.ArgumentParser) or _is_click(obj) or _is_typer(obj)


def _materialise(obj: Any, name: str, spec: str) -> Any:
    if _is_cli_object(obj):
        return obj
    if not callable(obj):
        raise RuntimeInspectError(f"{spec} is not a click/typer/argparse CLI object or callable")
    side: list[argparse.ArgumentParser] = []
    with _capture(name, side):
        try:
            result = obj()
        except _Captured as captured:
            return captured.obj
        except SystemExit as err:
            if side:
                return side[-1]  # e.g. a parser with its own store_true --help
            raise RuntimeInspectError(
                f"{spec}() exited (code {err.code}) before building a parser"
            ) from err
        except Exception as err:
            if side:
                return side[-1]
            raise RuntimeInspectError(f"calling {spec}() failed: {err!r}") from err
    if _is_cli_object(result):
        return result
    if side:
        return side[-1]
    raise RuntimeInspectError(f"{spec}() returned {type(result).__name__}, not a CLI object")


@contextlib.contextmanager
def _capture(name: str, side: list[argparse.ArgumentParser]) -> Iterator[None]:
    """Stop at the first ``parse_known_args``/click ``main`` and raise with its object.

    Parsers without a help action or subcommands are let through (and collected in
    ``side``): they are usually parents pre-parsing a flag, but a CLI that handles
    ``--help`` itself looks the same, so the last one is the fallback.
    """
    saved_argv = sys.argv
    patches: list[tuple[Any, str, Any]] = []

    def stop(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise _Captured(self)

    original_parse = argparse.ArgumentParser.parse_known_args

    def stop_parser(self: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> Any:
        # A parser without any help action and without subcommands is a helper parsed on
        # the side (e.g. a parent pre-parsing debug flags): let it parse, keep waiting.
        if _looks_like_cli(self):
            raise _Captured(self)
        side.append(self)
        return original_parse(self, *args, **kwargs)

    patches.append((argparse.ArgumentParser, "parse_known_args", stop_parser))
    for core_name in ("click.core", "typer._click.core"):
        try:
            core = importlib.import_module(core_name)
        except ImportError:
            continue
        # Subclasses (typer's TyperGroup, custom groups) may override ``main``: patch
        # every class that defines it, they are all loaded once the user module is. Before
        # click 8.2 ``main`` lives on ``BaseCommand`` (read from __dict__: no deprecation).
        root = core.__dict__.get("BaseCommand") or core.Command
        for cls in _subclasses(root):
            for attr in ("main", "__call__"):
                if attr in cls.__dict__:
                    patches.append((cls, attr, stop))
    originals = [(owner, attr, owner.__dict__.get(attr)) for owner, attr, _ in patches]
    sys.argv = [name, "--help"]
    try:
        for owner, attr, replacement in patches:
            setattr(owner, attr, replacement)
        yield
    finally:
        sys.argv = saved_argv
        for owner, attr, original in originals:
            if original is None:
                with contextlib.suppress(AttributeError):
                    delattr(owner, attr)
            else:
                setattr(owner, attr, original)


def _looks_like_cli(parser: argparse.ArgumentParser) -> bool:
    return any(
        isinstance(a, (argparse._HelpAction, argparse._SubParsersAction)) for a in parser._actions
    )


def _subclasses(root: type) -> list[type]:
    seen: list[type] = []
    todo = [root]
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.append(cls)
        todo.extend(cls.__subclasses__())
    return seen


def _convert(obj: Any, name: str) -> Command:
    if isinstance(obj, argparse.ArgumentParser):
        return _argparse_command(obj, (name,), None, False, (), 0)
    if _is_typer(obj):
        # Reached only for a live typer app, so typer is installed wherever this runs.
        import typer.main  # kdocs: ignore[D104]

        return _click_command(typer.main.get_command(obj), (name,), None, "typer", 0)
    framework = "typer" if _typer_made(obj) else "click"
    return _click_command(obj, (name,), None, framework, 0)


def _typer_made(cmd: Any) -> bool:
    return (type(cmd).__module__ or "").startswith("typer")


# -- JSON-safe values ---------------------------------------------------------------------


def json_safe(value: Any) -> Any:
    """A JSON-safe rendering of a default value (see the module docstring)."""
    if isinstance(value, str) and value == argparse.SUPPRESS:
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if type(value).__name__ == "Sentinel" or callable(value):
        return None  # click's UNSET (an enum member since click 8.3), default factories
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return None  # an object (a stream, a Path, ...): static extraction cannot know it either


def _help(text: Any) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    return text


def _source(func: Any) -> SourceLocation | None:
    if func is None:
        return None
    func = inspect.unwrap(func)
    try:
        file = inspect.getsourcefile(func)
        line = func.__code__.co_firstlineno
    except (TypeError, AttributeError):
        return None
    if file is None:
        return None
    path = Path(file)
    try:
        rel = path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        rel = path.as_posix()
    return SourceLocation(rel, line, 1)


def _object(func: Any) -> str | None:
    if func is None:
        return None
    func = inspect.unwrap(func)
    module = getattr(func, "__module__", None)
    qual = getattr(func, "__qualname__", None)
    return f"{module}:{qual}" if module and qual else None


# -- usage lines --------------------------------------------------------------------------


def _live_usage(format_usage: Callable[[], Any]) -> str | None:
    """The live object's own usage text at 80 columns, in the model's form (no ``Usage: ``
    prefix, no trailing spaces; see :mod:`kdocs.extract.cli.usage`); null if it fails."""
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "80"  # click and argparse size their formatter from it
    try:
        text = format_usage()
    except Exception:
        return None
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved
    if not isinstance(text, str):
        return None
    text = text.rstrip("\n")
    if text[:PREFIX_WIDTH].lower() == "usage: ":
        text = text[PREFIX_WIDTH:]
    return "\n".join(line.rstrip() for line in text.split("\n"))


# -- click / typer ----------------------------------------------------------------------


def _click_command(
    cmd: Any, path: tuple[str, ...], parent: Any, framework: str, depth: int
) -> Command:
    ctx = cmd.context_class(cmd, info_name=path[-1], parent=parent)
    help_text = None
    if isinstance(cmd.help, str):
        help_text = _help(inspect.cleandoc(cmd.help).partition("\f")[0])
    options: list[Option] = []
    arguments: list[Argument] = []
    for param in cmd.params:
        kind = _param_kind(param)
        if kind == "option":
            options.append(_click_option(param))
        elif kind == "argument":
            arguments.append(_click_argument(param))
    subcommands: list[Command] = []
    is_group = hasattr(cmd, "list_commands")
    if is_group and depth < _MAX_DEPTH:
        try:
            names = list(cmd.list_commands(ctx))
        except Exception:
            names = []
        for sub_name in names:
            try:
                sub = cmd.get_command(ctx, sub_name)
            except Exception:
                sub = None
            if sub is None:
                continue
            sub_framework = "typer" if framework == "typer" or _typer_made(sub) else "click"
            subcommands.append(
                _click_command(sub, (*path, sub_name), ctx, sub_framework, depth + 1)
            )
    aliases = getattr(cmd, "aliases", None)
    deprecated = getattr(cmd, "deprecated", False)
    return Command(
        name=path[-1],
        path=path,
        help=help_text,
        short_help=_help(cmd.short_help),
        hidden=bool(getattr(cmd, "hidden", False)),
        deprecated=deprecated if isinstance(deprecated, (bool, str)) else bool(deprecated),
        options=tuple(options),
        arguments=tuple(arguments),
        subcommands=tuple(subcommands),
        aliases=tuple(a for a in aliases if isinstance(a, str))
        if isinstance(aliases, (list, tuple))
        else (),
        usage=_live_usage(lambda: cmd.get_usage(ctx)),
        epilog=_help(cmd.epilog),
        framework=framework,
        source=_source(cmd.callback),
        object=_object(cmd.callback),
        is_group=is_group,
    )


def _annotation(param: Any) -> Any:
    """typer >= 0.22 params keep the annotation instead of a click ``type``: unwrap it."""
    descriptor = getattr(param, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None)
    for _ in range(5):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if not args or (isinstance(annotation, type) and issubclass(annotation, enum.Enum)):
            break
        annotation = args[0]
    return annotation


def _param_type(param: Any) -> str | None:
    if hasattr(param, "type"):
        return runtime_type_name(param.type)
    annotation = _annotation(param)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "choice"
    if annotation is None:
        return None
    return runtime_type_name(annotation)


def _param_choices(param: Any) -> tuple[str, ...] | None:
    if hasattr(param, "type"):
        return _click_choices(param.type)
    annotation = _annotation(param)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return tuple(str(m.value) for m in annotation)
    return None


def _click_choices(param_type: Any) -> tuple[str, ...] | None:
    choices = getattr(param_type, "choices", None)
    if type(param_type).__name__ != "Choice" or choices is None:
        return None
    return tuple(str(getattr(c, "value", c)) for c in choices)


def _envvar(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    return None


def _click_option(param: Any) -> Option:
    deprecated = getattr(param, "deprecated", False)
    show_default = getattr(param, "show_default", None)
    metavar = param.metavar if isinstance(param.metavar, str) else None
    return Option(
        names=tuple(param.opts),
        secondary_names=tuple(param.secondary_opts),
        help=_help(param.help),
        required=bool(param.required),
        multiple=bool(param.multiple),
        is_flag=bool(param.is_flag),
        hidden=bool(getattr(param, "hidden", False)),
        default=json_safe(param.default),
        choices=_param_choices(param),
        envvar=_envvar(getattr(param, "envvar", None)),
        type=_param_type(param),
        metavar=metavar,
        count=bool(getattr(param, "count", False)),
        deprecated=deprecated if isinstance(deprecated, (bool, str)) else bool(deprecated),
        show_default=show_default if isinstance(show_default, (bool, str)) else None,
        flag_value=json_safe(getattr(param, "flag_value", None)) if param.is_flag else None,
        nargs=param.nargs,
        dest=param.name,
    )


def _click_argument(param: Any) -> Argument:
    metavar = param.metavar if isinstance(param.metavar, str) else None
    return Argument(
        name=param.name or "",
        required=bool(param.required),
        nargs=param.nargs,
        help=_help(getattr(param, "help", None)),
        metavar=metavar,
        choices=_param_choices(param),
        hidden=bool(getattr(param, "hidden", False)),
        type=_param_type(param),
        default=json_safe(param.default),
    )


# -- argparse -----------------------------------------------------------------------------


def _action_kind(action: argparse.Action) -> str:
    for cls in type(action).__mro__:
        if cls.__module__ == "argparse":
            return cls.__name__
    return type(action).__name__


def _argparse_command(
    parser: argparse.ArgumentParser,
    path: tuple[str, ...],
    short_help: Any,
    hidden: bool,
    aliases: tuple[str, ...],
    depth: int,
) -> Command:
    options: list[Option] = []
    arguments: list[Argument] = []
    subcommands: list[Command] = []
    is_group = False
    for action in parser._actions:
        kind = _action_kind(action)
        if isinstance(action, argparse._SubParsersAction):
            is_group = True
            if depth < _MAX_DEPTH:
                subcommands.extend(_argparse_subcommands(action, path, depth))
            continue
        if kind == "_HelpAction" and action.help == _HELP_DEFAULT:
            continue
        if action.option_strings:
            options.append(_argparse_option(action, kind))
        else:
            arguments.append(_argparse_argument(action))
    return Command(
        name=path[-1],
        path=path,
        help=_help(parser.description),
        short_help=None if hidden else _help(short_help),
        hidden=hidden,
        options=tuple(options),
        arguments=tuple(arguments),
        subcommands=tuple(subcommands),
        aliases=aliases,
        usage=_live_usage(parser.format_usage),
        epilog=_help(parser.epilog),
        framework="argparse",
        is_group=is_group,
    )


def _argparse_subcommands(
    action: argparse._SubParsersAction[Any], path: tuple[str, ...], depth: int
) -> list[Command]:
    helps = {choice.dest: choice.help for choice in action._choices_actions}
    order: list[argparse.ArgumentParser] = []
    names: dict[int, list[str]] = {}
    for name, sub in action._name_parser_map.items():
        if id(sub) not in names:
            order.append(sub)
            names[id(sub)] = []
        names[id(sub)].append(name)
    out = []
    for sub in order:
        primary, *aliases = names[id(sub)]
        help_value = helps.get(primary)
        out.append(
            _argparse_command(
                sub,
                (*path, primary),
                help_value,
                help_value == argparse.SUPPRESS,
                tuple(aliases),
                depth + 1,
            )
        )
    return out


def _metavar(value: Any) -> str | None:
    if isinstance(value, tuple):
        return " ".join(str(v) for v in value)
    return value if isinstance(value, str) else None


def _choices(value: Any) -> tuple[str, ...] | None:
    if value is None or isinstance(value, str):
        return None
    try:
        return tuple(str(getattr(c, "value", c)) for c in list(value)[:1000])
    except TypeError:
        return None


def _argparse_option(action: argparse.Action, kind: str) -> Option:
    names = list(action.option_strings)
    secondary: list[str] = []
    if kind == "BooleanOptionalAction":
        for i, opt in enumerate(action.option_strings):
            if opt.startswith("--no-") and i > 0 and action.option_strings[i - 1] == "--" + opt[5:]:
                secondary.append(opt)
        names = [o for o in names if o not in secondary]
    hidden = action.help == argparse.SUPPRESS
    deprecated = getattr(action, "deprecated", False)
    return Option(
        names=tuple(names),
        secondary_names=tuple(secondary),
        help=None if hidden else _help(action.help),
        required=bool(action.required),
        multiple=kind in ("_AppendAction", "_AppendConstAction", "_ExtendAction"),
        is_flag=kind in _FLAG_ACTIONS or (action.nargs == 0 and kind != "_CountAction"),
        hidden=hidden,
        default=json_safe(action.default),
        choices=_choices(action.choices),
        type=runtime_type_name(action.type),
        metavar=_metavar(action.metavar),
        count=kind == "_CountAction",
        deprecated=deprecated if isinstance(deprecated, (bool, str)) else False,
        flag_value=json_safe(action.const)
        if kind
        in ("_StoreConstAction", "_AppendConstAction", "_StoreTrueAction", "_StoreFalseAction")
        else None,
        nargs=action.nargs if isinstance(action.nargs, (int, str)) else None,
        dest=action.dest,
    )


def _argparse_argument(action: argparse.Action) -> Argument:
    hidden = action.help == argparse.SUPPRESS
    return Argument(
        name=action.dest,
        required=bool(action.required),
        nargs=action.nargs if isinstance(action.nargs, (int, str)) else None,
        help=None if hidden else _help(action.help),
        metavar=_metavar(action.metavar),
        choices=_choices(action.choices),
        hidden=hidden,
        type=runtime_type_name(action.type),
        default=json_safe(action.default),
    )
