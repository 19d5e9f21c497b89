"""argparse model: replayed parser objects -> :class:`~kdocs.models.cli.Command` trees.

Also decides which parsers are roots, their names (the console script that reaches them) and
which of them the project declares.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kdocs.extract.cli import usage
from kdocs.extract.cli.argparse_replay import _Linker, _Parser
from kdocs.extract.cli.argparse_values import SUPPRESS, _Unknown
from kdocs.models.cli import Argument, Command, Option, SourceLocation, Unresolved

if TYPE_CHECKING:
    from kdocs.project import Project

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
