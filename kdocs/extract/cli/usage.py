"""Usage lines for the CLI model, exactly as click, typer and argparse print them in ``--help``.

Why here and not in the extractors: a usage line depends on the whole path to a command
(click puts the parent groups' arguments into it, argparse puts the positionals declared
before ``add_subparsers`` into a subparser's ``prog``), so it is computed once the command
tree is finished, one function per framework.

The stored form (``Command.usage``): the text the framework prints after its ``Usage: ``
(click, typer) or ``usage: `` (argparse) prefix, at a terminal width of 80 columns (as with
``COLUMNS=80``), so ``"Usage: " + usage`` (``"usage: " + usage``) is the usage block of
``--help`` byte for byte, continuation lines keep the indentation the framework gives them,
and no line has trailing spaces. ``" ".join(usage.split())`` is the one-line form.

* click: :func:`click_pieces` is ``Command.collect_usage_pieces`` (``options_metavar``,
  every argument's ``make_metavar``: ``SRC``, ``[SRC]``, ``SRC...``, ``{a|b}``, and a group's
  ``subcommand_metavar``: ``COMMAND [ARGS]...``, ``[COMMAND] [ARGS]...`` with
  ``invoke_without_command``, the ``COMMAND1`` forms with ``chain``), as click 8.5 does it;
  :func:`finish_click_tree` adds the command path (the parents' names and their arguments'
  metavars, as ``Context.command_path``) and wraps like ``HelpFormatter.write_usage`` at
  click's width for 80 columns (78).
* typer: the same, with typer's own argument pieces (``{name}``, ``[name]``, ``[name]...``
  from the parameter name or ``metavar=``, as typer 0.29 prints them). typer's rich output
  indents the usage block by one space and pads it; the stored text is without that padding.
* argparse: :func:`argparse_usages` rebuilds the parser tree with the real ``argparse`` of
  the running Python (the same options, positionals, mutually exclusive groups, subparsers,
  ``prog``, ``usage=``, ``prefix_chars``, ``add_help``) and asks it for ``format_usage()`` at
  width 78 (argparse's width for 80 columns): argparse's own wrapping and ``%(prog)s``
  expansion, never a reimplementation. A tree argparse itself refuses to build (conflicting
  option strings, bad ``nargs``) gets no usage (null).
"""

from __future__ import annotations

import argparse
import dataclasses
import textwrap
from collections.abc import Mapping
from typing import Any

from kdocs.models.cli import Argument, Command, Unresolved

CLICK_WIDTH = 78
"""click's ``HelpFormatter`` width for an 80-column terminal: ``min(columns, 80) - 2``."""
ARGPARSE_WIDTH = 78
"""argparse's ``HelpFormatter`` width for an 80-column terminal: ``columns - 2``."""
PREFIX_WIDTH = len("Usage: ")
"""Both ``Usage: `` (click) and ``usage: `` (argparse) are seven columns wide."""

_DATETIME_FORMATS = ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")


# -- click / typer ------------------------------------------------------------------------


def click_argument_metavar(arg: Argument) -> str:
    """click's ``Argument.make_metavar``: ``SRC``, ``[SRC]``, ``SRC...``, ``{a|b}``."""
    if arg.metavar is not None:
        return arg.metavar
    var: str | None = None
    if arg.choices is not None:
        joined = "|".join(arg.choices)
        var = f"{{{joined}}}" if arg.required else f"[{joined}]"
    elif arg.type == "datetime":
        var = f"[{'|'.join(_DATETIME_FORMATS)}]"
    if not var:
        var = arg.name.upper()
    bracketed = var.startswith("[") and var.endswith("]")
    if not arg.required and not bracketed:
        var = f"[{var}]"
    if arg.nargs not in (1, None):
        var += "..."
    return var


def typer_argument_metavar(arg: Argument) -> str:
    """typer's ``TyperArgument._usage_display_name``: ``{name}``, ``[name]``, ``[name]...``."""
    name = arg.metavar if arg.metavar is not None else arg.name
    name = f"{{{name}}}" if arg.required else f"[{name}]"
    if arg.nargs not in (1, None):
        name += "..."
    return name


def _argument_piece(cmd: Command, arg: Argument) -> str:
    if cmd.framework == "typer":
        return typer_argument_metavar(arg)
    return click_argument_metavar(arg)


def click_pieces(
    cmd: Command,
    *,
    options_metavar: str | None = "[OPTIONS]",
    subcommand_metavar: str | None = None,
    chain: bool = False,
    invoke_without_command: bool = False,
) -> str:
    """click's ``collect_usage_pieces`` joined with spaces (typer's for a typer command).

    The keyword arguments are the command's own settings, as given to click (the static
    extractor reads them from the decorator or class call; a typer group always uses
    ``COMMAND [ARGS]...``).
    """
    pieces = [options_metavar] if options_metavar else []
    pieces.extend(_argument_piece(cmd, arg) for arg in cmd.arguments)
    if cmd.is_group:
        if subcommand_metavar is None:
            if cmd.framework == "typer":
                subcommand_metavar = "COMMAND [ARGS]..."
            elif chain:
                first = "[COMMAND1]" if invoke_without_command else "COMMAND1"
                subcommand_metavar = f"{first} [ARGS]... [COMMAND2 [ARGS]...]..."
            elif invoke_without_command:
                subcommand_metavar = "[COMMAND] [ARGS]..."
            else:
                subcommand_metavar = "COMMAND [ARGS]..."
        pieces.append(subcommand_metavar)
    return " ".join(pieces)


def click_usage_text(prog: str, args: str, width: int = CLICK_WIDTH) -> str:
    """click's ``HelpFormatter.write_usage(prog, args)``, without the ``Usage: `` prefix."""
    prefix = "Usage: "
    if not args:
        return prog
    usage_prefix = f"{prefix}{prog} "
    if width >= len(usage_prefix) + 20:
        indent = " " * len(usage_prefix)
        text = _wrap(args, width, usage_prefix, indent)
    else:
        indent = " " * (len(prefix) + 4)
        text = f"{usage_prefix}\n{_wrap(args, width, indent, indent)}"
    return _tidy(text[len(prefix) :])


def _wrap(text: str, width: int, initial: str, subsequent: str) -> str:
    """click's ``wrap_text`` for one paragraph (``textwrap`` with whitespace kept)."""
    wrapper = textwrap.TextWrapper(
        width, initial_indent=initial, subsequent_indent=subsequent, replace_whitespace=False
    )
    return wrapper.fill(text.expandtabs())


def _tidy(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.split("\n"))


def finish_click_tree(root: Command) -> Command:
    """``root`` with ``usage`` filled on every click/typer command of its tree.

    A click command's ``usage`` may already hold its usage pieces (set by the static
    extractor from the command's own ``options_metavar``/``subcommand_metavar``/``chain``);
    otherwise the pieces are computed from the model with click's defaults.
    """
    return _finish(root, "")


def _finish(cmd: Command, parent_path: str) -> Command:
    if cmd.framework not in ("click", "typer"):
        return cmd
    prog = f"{parent_path} {cmd.name}".strip() if parent_path else cmd.name
    pieces = cmd.usage if cmd.usage is not None else click_pieces(cmd)
    # Context.command_path: the parent's path plus the parent's arguments' usage pieces.
    child_path = " ".join([prog, *(_argument_piece(cmd, a) for a in cmd.arguments)])
    subcommands = tuple(_finish(sub, child_path) for sub in cmd.subcommands)
    return dataclasses.replace(cmd, usage=click_usage_text(prog, pieces), subcommands=subcommands)


# -- argparse -----------------------------------------------------------------------------


@dataclasses.dataclass
class ArgparseAction:
    """One ``add_argument`` call as static extraction read it (literal values only)."""

    flags: list[str]
    action: str = "store"
    """action is argparse's action name (``store_true``...); ``store`` for a custom class."""
    nargs: int | str | None = None
    metavar: str | tuple[str, ...] | None = None
    dest: str | None = None
    required: bool | None = None
    hidden: bool = False
    choices: list[str] | None = None
    group: int | None = None
    """group is the index of the mutually exclusive group the action belongs to, if any."""


@dataclasses.dataclass
class ArgparseParser:
    """One parser as static extraction read it: what argparse needs to format its usage."""

    name: str
    """name is the command name (a subparser's ``add_parser`` name; the root's script name)."""
    prog: str | None = None
    usage: str | None = None
    add_help: bool = True
    prefix_chars: str = "-"
    conflict_handler: str = "error"
    actions: list[ArgparseAction] = dataclasses.field(default_factory=list)
    groups: list[bool] = dataclasses.field(default_factory=list)
    """groups lists the mutually exclusive groups in creation order: whether each is required."""
    subparsers_at: int | None = None
    """subparsers_at is how many actions were added before ``add_subparsers()``; None: none."""
    subparsers_kw: dict[str, Any] = dataclasses.field(default_factory=dict)
    children: list[ArgparseChild] = dataclasses.field(default_factory=list)
    known: bool = True
    """known is false when the parser's ``usage=`` is computed at run time: no usage then."""
    notes: list[Unresolved] = dataclasses.field(default_factory=list)
    """notes say where the usage is approximate (choices or an action class kdocs cannot
    read statically); they go on the command's ``unresolved`` list."""


@dataclasses.dataclass
class ArgparseChild:
    """One ``add_parser`` call: the subcommand's parser and how it was registered."""

    parser: ArgparseParser
    aliases: list[str] = dataclasses.field(default_factory=list)
    hidden: bool = False


class _UsageError(Exception):
    """The parser tree is too deep to rebuild."""


def argparse_usages(root: ArgparseParser) -> dict[tuple[str, ...], str]:
    """``{command path: usage}`` for ``root`` and its subparsers, formatted by argparse.

    Empty when argparse itself refuses to build the tree, and a command is left out when
    argparse fails to format its usage (a ``usage=`` with a bad ``%`` key, a metavar that
    trips argparse's wrapping): the real program would fail the same way.
    """
    built: list[tuple[tuple[str, ...], argparse.ArgumentParser]] = []
    try:
        parser = argparse.ArgumentParser(
            prog=root.prog if root.prog is not None else root.name,
            usage=root.usage,
            add_help=root.add_help,
            prefix_chars=root.prefix_chars or "-",
            conflict_handler=root.conflict_handler,
            formatter_class=_formatter,
        )
        _fill(parser, root, (root.name,), built, 0)
    except Exception:  # argparse rejects the parser: hostile or broken input, no usage
        return {}
    known = {path for path, _ in _specs(root, (root.name,))}
    out: dict[tuple[str, ...], str] = {}
    for path, built_parser in built:
        if path not in known:
            continue
        try:
            out[path] = format_argparse_usage(built_parser)
        except Exception:  # argparse's own formatting fails on this parser
            continue
    return out


def _formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's formatter at 80 columns (and no terminal-size query per ``add_argument``)."""
    return argparse.HelpFormatter(prog, width=ARGPARSE_WIDTH)


def format_argparse_usage(parser: argparse.ArgumentParser) -> str:
    """``parser.format_usage()`` at 80 columns, without the ``usage: `` prefix."""
    formatter = _formatter(parser.prog)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups)
    text = formatter.format_help()
    text = text.removeprefix("usage: ").rstrip("\n")
    return _tidy(text)


_MAX_DEPTH = 30


def _specs(
    spec: ArgparseParser, path: tuple[str, ...], *, every: bool = False
) -> list[tuple[tuple[str, ...], ArgparseParser]]:
    """Every parser of the tree whose usage is known (``every``: every parser), with its
    command path."""
    # Subparsers with no subcommand kdocs could follow would print ``{}``: the real usage
    # lists commands registered in ways static analysis did not see. Unknown, then.
    empty = spec.subparsers_at is not None and not spec.children
    known = spec.known and not (empty and "metavar" not in spec.subparsers_kw)
    out = [(path, spec)] if known or every else []
    for child in spec.children:
        out.extend(_specs(child.parser, (*path, child.parser.name), every=every))
    return out


def _fill(
    parser: argparse.ArgumentParser,
    spec: ArgparseParser,
    path: tuple[str, ...],
    built: list[tuple[tuple[str, ...], argparse.ArgumentParser]],
    depth: int,
) -> None:
    if depth > _MAX_DEPTH:
        raise _UsageError("too deep")
    built.append((path, parser))
    groups = [parser.add_mutually_exclusive_group(required=req) for req in spec.groups]
    at = spec.subparsers_at
    for i, action in enumerate(spec.actions):
        if at is not None and i == at:
            _add_subparsers(parser, spec, path, built, depth)
        holder: Any = parser
        if action.group is not None and 0 <= action.group < len(groups):
            holder = groups[action.group]
        holder.add_argument(*action.flags, **_argument_kwargs(action))
    if at is not None and at >= len(spec.actions):
        _add_subparsers(parser, spec, path, built, depth)


def _add_subparsers(
    parser: argparse.ArgumentParser,
    spec: ArgparseParser,
    path: tuple[str, ...],
    built: list[tuple[tuple[str, ...], argparse.ArgumentParser]],
    depth: int,
) -> None:
    kw = {k: v for k, v in spec.subparsers_kw.items() if k in _SUBPARSERS_KW}
    subs = parser.add_subparsers(**kw)
    for child in spec.children:
        sub_kw: dict[str, Any] = {
            "aliases": child.aliases,
            "add_help": child.parser.add_help,
            "prefix_chars": child.parser.prefix_chars or "-",
            "conflict_handler": child.parser.conflict_handler,
            "formatter_class": _formatter,
        }
        if child.hidden:
            sub_kw["help"] = argparse.SUPPRESS
        if child.parser.prog is not None:
            sub_kw["prog"] = child.parser.prog
        if child.parser.usage is not None:
            sub_kw["usage"] = child.parser.usage
        sub = subs.add_parser(child.parser.name, **sub_kw)
        _fill(sub, child.parser, (*path, child.parser.name), built, depth + 1)


_SUBPARSERS_KW = {"title", "description", "prog", "dest", "required", "metavar", "help"}

_CONST_ACTIONS = {"store_const", "append_const"}
_ACTIONS = {
    "store": "store",
    "store_const": "store_const",
    "store_true": "store_true",
    "store_false": "store_false",
    "append": "append",
    "append_const": "append_const",
    "count": "count",
    "help": "help",
    "version": "version",
    "extend": "extend",
    "boolean_optional": argparse.BooleanOptionalAction,
    "BooleanOptionalAction": argparse.BooleanOptionalAction,
}


def _argument_kwargs(action: ArgparseAction) -> dict[str, Any]:
    kind = _ACTIONS.get(action.action, "store")
    kw: dict[str, Any] = {"action": kind}
    if kind in _CONST_ACTIONS:
        kw["const"] = None
    if kind in ("store", "append", "extend") and action.nargs is not None:
        kw["nargs"] = action.nargs
    if action.action not in _ACTIONS and action.nargs is not None:
        kw["nargs"] = action.nargs  # a custom Action class keeps its nargs
    if action.metavar is not None and kind not in ("store_true", "store_false", "count"):
        kw["metavar"] = action.metavar
    if action.dest is not None and action.flags and action.flags[0][:1] in "-+/":
        kw["dest"] = action.dest
    if action.required is not None and action.flags and action.flags[0][:1] in "-+/":
        kw["required"] = action.required
    if action.hidden:
        kw["help"] = argparse.SUPPRESS
    if action.choices is not None and kind in ("store", "append", "extend"):
        kw["choices"] = action.choices
    return kw


def with_argparse_usage(cmd: Command, parser: Any) -> Command:
    """``cmd`` (built from the static extractor's ``parser``) with every ``usage`` filled,
    and a note on each command whose usage is approximate."""
    spec = argparse_spec(parser, cmd.name)
    notes = {path: s.notes for path, s in _specs(spec, (spec.name,), every=True) if s.notes}
    return _with_notes(with_usages(cmd, argparse_usages(spec)), notes)


def _with_notes(cmd: Command, notes: Mapping[tuple[str, ...], list[Unresolved]]) -> Command:
    subcommands = tuple(_with_notes(sub, notes) for sub in cmd.subcommands)
    more = [n for n in notes.get(cmd.path, []) if n not in cmd.unresolved]
    if not more and subcommands == cmd.subcommands:
        return cmd
    return dataclasses.replace(cmd, subcommands=subcommands, unresolved=(*cmd.unresolved, *more))


def with_usages(cmd: Command, usages: Mapping[tuple[str, ...], str]) -> Command:
    """``cmd`` (an argparse tree) with ``usage`` set from ``usages`` by command path."""
    subcommands = tuple(with_usages(sub, usages) for sub in cmd.subcommands)
    return dataclasses.replace(cmd, usage=usages.get(cmd.path), subcommands=subcommands)


def usage_block(cmd: Command) -> str | None:
    """The usage block as ``--help`` prints it: ``Usage: `` (click, typer) or ``usage: ``
    (argparse) followed by ``cmd.usage``; null when the usage is unknown. For generators."""
    if cmd.usage is None:
        return None
    prefix = "usage: " if cmd.framework == "argparse" else "Usage: "
    return prefix + cmd.usage


def usage_lines(help_text: str) -> str | None:
    """The usage block of a real ``--help`` output, in the stored form (prefix removed).

    Reads the first line starting with ``usage:``/``Usage:`` (after any indentation rich
    adds) and the lines after it up to the first blank one; removes the common indentation
    typer's rich padding adds and trailing spaces.
    """
    lines = help_text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.lower().startswith("usage:"):
            pad = len(line) - len(stripped)
            block = [stripped[PREFIX_WIDTH:].rstrip() if len(stripped) > 6 else ""]
            for more in lines[i + 1 :]:
                if not more.strip():
                    break
                block.append(more[pad:].rstrip())
            return "\n".join(block)
    return None


def pieces_from_settings(cmd: Command, settings: Mapping[str, Any]) -> str:
    """:func:`click_pieces` with the settings a click decorator or class call gave literally
    (``options_metavar``, ``subcommand_metavar``, ``chain``, ``invoke_without_command``);
    a missing or non-literal setting keeps click's default."""
    raw = settings.get("options_metavar", "[OPTIONS]")
    options_metavar = raw if raw is None or isinstance(raw, str) else "[OPTIONS]"
    subcommand_metavar = settings.get("subcommand_metavar")
    return click_pieces(
        cmd,
        options_metavar=options_metavar,
        subcommand_metavar=subcommand_metavar if isinstance(subcommand_metavar, str) else None,
        chain=settings.get("chain") is True,
        invoke_without_command=settings.get("invoke_without_command") is True,
    )


_NEUTRAL_FORMATTERS = {
    "HelpFormatter",
    "RawDescriptionHelpFormatter",
    "RawTextHelpFormatter",
    "ArgumentDefaultsHelpFormatter",
}
"""argparse's formatter classes that print the usage line exactly as ``HelpFormatter``."""


def _formatter_name(value: Any) -> str:
    """The argparse class a ``formatter_class=`` value spells (``argparse.X`` or a bare
    ``X``: ``X``); empty for anything else (``myformatter.X`` may be the project's own)."""
    text = getattr(value, "text", None)
    if not isinstance(text, str):
        return ""
    return text.removeprefix("argparse.") if text.count(".") <= 1 else ""


def argparse_spec(parser: Any, name: str, depth: int = 0) -> ArgparseParser:
    """The :class:`ArgparseParser` of a parser the static argparse extractor replayed.

    ``parser`` is :mod:`.argparse_static`'s ``_Parser``; only literal values are taken (a
    computed ``usage=`` leaves the command without a usage: its real text is unknown).
    """
    from kdocs.extract.cli.argparse_static import SUPPRESS

    kw: Mapping[str, Any] = parser.kw
    prefix = kw.get("prefix_chars")
    handler = kw.get("conflict_handler")
    given_usage = kw.get("usage")
    spec = ArgparseParser(
        name=name,
        prog=kw["prog"] if isinstance(kw.get("prog"), str) else None,
        usage=given_usage if isinstance(given_usage, str) else None,
        add_help=kw.get("add_help") is not False,
        prefix_chars=prefix if isinstance(prefix, str) and prefix else "-",
        conflict_handler=handler if handler in ("error", "resolve") else "error",
        groups=list(parser.groups),
        known="usage" not in kw or given_usage is None or isinstance(given_usage, str),
    )
    formatter = kw.get("formatter_class")
    if formatter is not None and _formatter_name(formatter) not in _NEUTRAL_FORMATTERS:
        shown_formatter = getattr(formatter, "text", None) or "(computed)"
        spec.notes.append(
            Unresolved(
                f"usage line is argparse's default format: formatter_class={shown_formatter} "
                "may print it differently",
                parser.file,
                parser.loc[0],
            )
        )
    for action in parser.actions:
        akw: Mapping[str, Any] = action.kw
        kind = akw.get("action")
        nargs = akw.get("nargs")
        metavar = akw.get("metavar")
        choices = akw.get("choices")
        dest = akw.get("dest")
        required = akw.get("required")
        hidden = akw.get("help") is SUPPRESS
        help_text = getattr(akw.get("help"), "text", None)
        if isinstance(help_text, str) and "(" in help_text and not hidden:
            spec.notes.append(
                Unresolved(
                    f"usage line shows {'/'.join(map(str, action.flags))}, whose help is the "
                    f"result of {help_text[:60]}: if that is argparse.SUPPRESS, it is not shown",
                    action.file,
                    action.loc[0],
                )
            )
        literal_choices = isinstance(choices, list) and all(
            isinstance(c, (str, int, float, bool)) for c in choices
        )
        shown = "/".join(str(f) for f in action.flags)
        if "choices" in akw and not literal_choices and metavar is None and not hidden:
            spec.notes.append(
                Unresolved(
                    f"usage line shows {shown} with a placeholder: its choices are computed "
                    "at runtime",
                    action.file,
                    action.loc[0],
                )
            )
        if "action" in akw and not isinstance(kind, str) and not hidden:
            # A project Action class may set nargs or metavar in its own __init__.
            takes = "one value" if nargs is None else f"nargs={nargs!r}"
            spec.notes.append(
                Unresolved(
                    f"usage line shows {shown} as an option that takes {takes}: its action "
                    "class is the project's own",
                    action.file,
                    action.loc[0],
                )
            )
        spec.actions.append(
            ArgparseAction(
                flags=[str(f) for f in action.flags],
                action=kind if isinstance(kind, str) else "store",
                nargs=None
                if isinstance(nargs, bool) or not isinstance(nargs, (int, str))
                else nargs,
                metavar=tuple(str(m) for m in metavar)
                if isinstance(metavar, list)
                else metavar
                if isinstance(metavar, str)
                else None,
                dest=dest if isinstance(dest, str) else None,
                required=required if isinstance(required, bool) else None,
                hidden=hidden,
                choices=[str(c) for c in choices]
                if isinstance(choices, list) and literal_choices
                else None,
                group=action.group,
            )
        )
    subs = parser.subparsers
    if subs is not None and depth < _MAX_DEPTH:
        spec.subparsers_at = subs.at
        spec.subparsers_kw = {
            k: v
            for k, v in subs.kw.items()
            if isinstance(v, (str, bool)) or (k == "help" and v is SUPPRESS)
        }
        if spec.subparsers_kw.get("help") is SUPPRESS:
            spec.subparsers_kw["help"] = argparse.SUPPRESS
        seen = {id(parser)}
        for child in subs.children:
            if id(child) in seen or not isinstance(child.name, str):
                continue
            seen.add(id(child))
            aliases = child.kw.get("aliases")
            spec.children.append(
                ArgparseChild(
                    parser=argparse_spec(child, child.name, depth + 1),
                    aliases=[a for a in aliases if isinstance(a, str)]
                    if isinstance(aliases, list)
                    else [],
                    hidden=child.kw.get("help") is SUPPRESS,
                )
            )
    return spec
