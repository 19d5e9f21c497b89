"""The command model (``kdocs inspect cli``): one shape for click, typer and argparse CLIs.

Field names are the public JSON keys of design.md's COMMAND / OPTION / ARGUMENT contract.
Help texts are stored as the framework would show them; help-less items have ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kdocs.models.common import POSITION
from kdocs.models.common import SourceLocation as SourceLocation
from kdocs.models.common import Unresolved as Unresolved


@dataclass(frozen=True)
class Option:
    """One option of a command (``--name``/``-n`` style), whatever framework declared it.

    The keys up to ``source`` are design.md's OPTION contract; the rest are extra keys that
    rules need.
    """

    names: tuple[str, ...]
    """names lists the option's primary flags as typed, e.g. ``["-v", "--verbose"]``: click's
    ``opts``, argparse's option strings (minus the generated ``--no-`` forms of
    ``BooleanOptionalAction``), typer's declared names or ``--<parameter-name>``."""
    secondary_names: tuple[str, ...] = ()
    """secondary_names lists the flags that turn a boolean flag off, e.g. ``["--no-verbose"]``
    from click's ``--verbose/--no-verbose``, typer's bool parameters or argparse's
    ``BooleanOptionalAction``; empty for every other option."""
    help: str | None = None
    """help is the option's help text as the framework shows it (click's ``inspect.cleandoc``
    and deprecation label applied, argparse's ``%(default)s`` left unexpanded); null when the
    option has no help or is hidden with argparse's ``help=SUPPRESS``."""
    required: bool = False
    """True when the option must be given: click/typer ``required=True`` or a typer parameter
    without a default, argparse ``required=True``."""
    multiple: bool = False
    """multiple is true when the option may be repeated and collects a list: click/typer
    ``multiple=True`` or a list-typed typer parameter, argparse ``append``, ``append_const``
    and ``extend`` actions."""
    # Public contract key of design.md (OPTION), named after click's ``Option.is_flag``:
    # renaming it would break `kdocs inspect` consumers, so F114 does not apply here.
    is_flag: bool = False  # kdocs: ignore[F114]
    """is_flag is true when the option takes no value on the command line: a click/typer
    boolean or ``flag_value`` flag, an argparse ``store_true``/``store_false``/``store_const``/
    ``append_const``/``BooleanOptionalAction``/``version`` action or any ``nargs=0`` action
    (``count`` options are not flags). The name is fixed by design.md's public contract."""
    hidden: bool = False
    """hidden is true when the option is left out of help: click/typer ``hidden=True``,
    argparse ``help=argparse.SUPPRESS``."""
    default: Any = None
    """default is the option's default as a JSON value (null, string, number, boolean or a
    list of them; an enum member as its value); null when there is none or when it is not a
    literal static analysis can read (a call, a stream, a ``Path``). A click ``count`` option
    without a default is 0 and argparse ``store_true``/``store_false`` give false/true."""
    choices: tuple[str, ...] | None = None
    """choices lists the accepted values as strings (``click.Choice``, a typer ``Enum``
    annotation's member values, argparse ``choices=``); null when any value is accepted."""
    envvar: tuple[str, ...] | None = None
    """envvar lists the environment variables click/typer read the value from (``envvar=``);
    null when there are none, and always for argparse, which has no such feature."""
    type: str | None = None
    """type names the value type in click's ``ParamType.name`` vocabulary (``text``,
    ``integer``, ``float``, ``boolean``, ``choice``, ``path``, ``filename``, ``integer range``
    ...; see ``kdocs.extract.cli.typenames``), a custom type's own name otherwise; null when
    not known (an argparse option without ``type=``)."""
    metavar: str | None = None
    """metavar is the placeholder shown for the value in usage and help, as given with
    ``metavar=`` (an argparse tuple is joined with spaces); null when the framework derives
    it."""
    source: SourceLocation | None = field(default=None, metadata=POSITION)
    """source is where the option is declared (the ``click.option`` decorator, the
    ``add_argument`` call, the typer parameter); null from the runtime inspector."""
    # Extra keys (allowed by the contract): details rules need.
    related: tuple[SourceLocation, ...] = field(default=(), metadata=POSITION)
    """related lists other lines that define the option: the ``click.option`` call inside the
    project's own wrapper when ``source`` is the wrapper's call site (``@make_option("--x")``);
    empty otherwise."""
    count: bool = False
    """count is true for a counting option (click/typer ``count=True``, argparse
    ``action="count"``): each repetition adds one, as in ``-vvv``."""
    deprecated: bool | str = False
    """deprecated is true, or the deprecation message, when the option is marked deprecated
    (click's ``deprecated=``, argparse's ``deprecated=True`` since Python 3.13); false
    otherwise."""
    show_default: bool | str | None = None
    """show_default is click/typer's ``show_default=`` as given: a boolean, or a string shown
    in place of the default; null when not set (and always for argparse)."""
    flag_value: Any = None
    """flag_value is the value a flag stores when given, as a JSON value: click's
    ``flag_value=``, argparse's ``const=`` of ``store_const``/``append_const``; null for
    options that are not flags or when it is not a literal."""
    nargs: int | str | None = None
    """nargs is how many values one occurrence takes: click/typer's integer ``nargs``
    (1 by default, more for tuple types), argparse's ``nargs=`` as written (an integer,
    ``"?"``, ``"*"``, ``"+"``, ``"..."``; 0 for zero-argument actions); null for an argparse
    option without ``nargs=``, which takes one value."""
    dest: str | None = None
    """dest is the Python name the parsed value is stored under: click's parameter name,
    argparse's ``dest``, typer's function parameter name; null when not known."""


@dataclass(frozen=True)
class Argument:
    """One positional argument of a command, whatever framework declared it.

    The first four keys are design.md's ARGUMENT contract; the rest are extra keys.
    """

    name: str
    """name is the argument's Python name: click's parameter name (dashes made underscores),
    argparse's ``dest``, typer's function parameter name."""
    required: bool = True
    """True when the argument must be given: click/typer arguments without a default (a
    variadic ``nargs=-1`` click argument is not, unless ``required=True``), argparse
    positionals except ``nargs="?"`` and ``nargs="*"`` with a default."""
    nargs: int | str | None = None
    """nargs is how many values the argument takes: click/typer's integer ``nargs`` (1 by
    default, -1 for any number, e.g. a list-typed typer parameter), argparse's ``nargs=`` as
    written (``"?"``, ``"*"``, ``"+"``, an integer...); null for an argparse positional
    without ``nargs=``, which takes one value."""
    help: str | None = None
    """help is the argument's help text as the framework shows it (typer ``help=``, argparse
    ``help=``; plain click arguments have none); null when there is none or it is hidden."""
    # Extra keys.
    metavar: str | None = None
    """metavar is the placeholder shown in usage, as given with ``metavar=``; null when the
    framework derives it from name."""
    choices: tuple[str, ...] | None = None
    """choices lists the accepted values as strings; null when any value is accepted."""
    hidden: bool = False
    """hidden is true when the argument is left out of help (``hidden=True`` in click/typer,
    ``help=argparse.SUPPRESS``)."""
    type: str | None = None
    """type names the value type in click's ``ParamType.name`` vocabulary, as for options;
    null when not known."""
    default: Any = None
    """default is the argument's default as a JSON value; null when there is none or it is
    not a literal."""
    source: SourceLocation | None = field(default=None, metadata=POSITION)
    """source is where the argument is declared; null from the runtime inspector."""
    related: tuple[SourceLocation, ...] = field(default=(), metadata=POSITION)
    """related lists other lines that define the argument (the framework call inside the
    project's own wrapper when ``source`` is the wrapper's call site); empty otherwise."""


@dataclass(frozen=True)
class Command:
    """One command of a CLI: a root program, a group or a leaf subcommand.

    The keys up to ``unresolved`` are design.md's COMMAND contract; ``object`` and
    ``is_group`` are extra keys.
    """

    name: str
    """name is the command's name as users type it: click's ``name=`` or the function name
    (lower case, ``_`` to ``-``, ``-cmd``/``-command``/``-group`` suffixes cut), the typer
    command name, the argparse ``add_parser`` name; for a root, the console script's name."""
    path: tuple[str, ...]
    """path is the command line that reaches this command, root first and ending with
    name, e.g. ``["mycli", "remote", "add"]``."""
    help: str | None = None
    """help is the command's long help as the framework shows it: click/typer ``help=`` or
    the callback's docstring after ``inspect.cleandoc`` and the cut at ``\\f``, argparse's
    ``description=``; null when there is none."""
    short_help: str | None = None
    """short_help is the one-line help shown in the parent's command list: click/typer
    ``short_help=`` as given (click derives one from help only at display time), the
    ``help=`` of argparse's ``add_parser``; null when not given (or the argparse subcommand is
    hidden)."""
    hidden: bool = False
    """hidden is true when the command is left out of its parent's command list: click/typer
    ``hidden=True``, argparse ``add_parser(help=argparse.SUPPRESS)``."""
    deprecated: bool | str = False
    """deprecated is true, or the deprecation message, when click/typer mark the command
    deprecated with ``deprecated=``; false otherwise (argparse commands are never marked)."""
    options: tuple[Option, ...] = ()
    """options lists the command's options in declaration order, without the automatic
    ``--help`` (a typer root with completion enabled also lists ``--install-completion`` and
    ``--show-completion``)."""
    arguments: tuple[Argument, ...] = ()
    """arguments lists the command's positional arguments in declaration order."""
    subcommands: tuple[Command, ...] = ()
    """subcommands lists the commands of a group: sorted by name for click (as click's
    ``list_commands`` does), in registration order for typer and argparse."""
    aliases: tuple[str, ...] = ()
    """aliases lists other names that invoke the command (argparse ``add_parser(aliases=)``,
    an ``aliases=`` keyword of click extensions); empty when there are none."""
    usage: str | None = None
    """usage is the usage block ``--help`` prints, as the framework prints it at a terminal
    width of 80 columns (``COLUMNS=80``), without the leading ``Usage: `` (click, typer) or
    ``usage: `` (argparse): ``"Usage: " + usage`` is that block byte for byte, continuation
    lines keep the framework's indentation, no line has trailing spaces, and
    ``" ".join(usage.split())`` is the one-line form. E.g. ``"mycli remote add [OPTIONS]
    NAME URL"`` (click), ``"mycli add [OPTIONS] {name}"`` (typer 0.29), ``"mycli add [-h]
    [--force] name url"`` (argparse, an explicit ``usage=`` with ``%(prog)s`` expanded).
    Null when it cannot be known statically (a computed ``usage=``, subcommands kdocs could
    not follow). See :mod:`kdocs.extract.cli.usage`."""
    epilog: str | None = None
    """epilog is the text shown after the options in help (``epilog=``), unprocessed; null
    when there is none."""
    examples: str | None = None
    """examples is the command's examples text when an extractor finds a dedicated section;
    none does yet, so it is null and the C5xx rules read an ``Examples:`` heading in epilog
    or help instead."""
    framework: str = "click"
    """framework is the library that defines the command: ``click``, ``typer`` or
    ``argparse``."""
    source: SourceLocation | None = field(default=None, metadata=POSITION)
    """source is where the command is defined: the decorated click/typer function, the
    ``ArgumentParser``/``add_parser`` call; null when unknown (always for a runtime argparse
    parser)."""
    unresolved: tuple[Unresolved, ...] = ()
    """unresolved lists what static analysis could not resolve in this command (dynamic
    help, options built in a loop, an unresolvable subcommand); empty from the runtime
    inspector."""
    # Extra keys: the Python object that defines the command (``module:qualname``), and
    # whether it is a group (may hold subcommands).
    object: str | None = None
    """object is the Python object that defines the command as ``module:qualname``: the
    click/typer callback, or the function that builds an argparse parser
    (``module:variable`` for one built at module level); null when unknown."""
    # Mirrors click's ``Group``/``is_group`` naming that users of the model know; an extra
    # key consumers already read, so F114 does not apply here.
    is_group: bool = False  # kdocs: ignore[F114]
    """is_group is true when the command can hold subcommands even if it has none: a click
    ``Group`` (or a ``cls=`` subclass), a typer app, an argparse parser with
    ``add_subparsers()``. The name mirrors click's naming on purpose."""

    def walk(self) -> list[Command]:
        """This command and every descendant, depth first, in ``subcommands`` order."""
        out = [self]
        for sub in self.subcommands:
            out.extend(sub.walk())
        return out


@dataclass(frozen=True)
class UnresolvedEntryPoint:
    """A console script the project declares whose command-line interface kdocs cannot find.

    Without it, a declared CLI kdocs cannot read would vanish silently from checks and docs.
    """

    name: str
    """name is the console script's name, as users type it."""
    target: str
    """target is the declared ``module:attr`` object, e.g. ``"pkg.cli:main"``."""
    reason: str
    """reason says in one line why kdocs cannot resolve it (module not found, not a CLI...)."""
    source: SourceLocation | None = field(default=None, metadata=POSITION)
    """source is where the script is declared (``pyproject.toml``, ``setup.cfg`` or
    ``setup.py`` and the line; line 0 when only the file is known)."""
    missing: bool = False
    """missing is true when the target does not exist in the project (no such module, no such
    top-level name): the installed command would fail. False when it exists but kdocs cannot
    follow it to a click, typer or argparse command (another framework, a dynamic factory)."""


@dataclass(frozen=True)
class CliModel:
    """What ``kdocs inspect cli`` returns: every command-line program the project defines."""

    clis: tuple[Command, ...] = field(default=())
    """clis lists one root command per CLI found (console-script entry points, or the one
    object given with ``--runtime``), each holding its whole command tree."""
    # Extra key (allowed by the contract).
    unresolved_entry_points: tuple[UnresolvedEntryPoint, ...] = ()
    """unresolved_entry_points lists the declared console scripts whose CLI kdocs cannot
    resolve, each with the reason (rule C001 reports them)."""
