"""The command model (``kdocs inspect cli``): one shape for click, typer and argparse CLIs.

Field names are the public JSON keys of design.md's COMMAND / OPTION / ARGUMENT contract.
Help texts are stored as the framework would show them; help-less items have ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SourceLocation:
    """Where something is defined: a project-relative POSIX path and 1-based line/column."""

    file: str
    line: int
    column: int = 1


@dataclass(frozen=True)
class Unresolved:
    """Something static analysis saw but could not resolve (a loop, a factory, dynamic help)."""

    message: str
    file: str
    line: int


@dataclass(frozen=True)
class Option:
    names: tuple[str, ...]
    secondary_names: tuple[str, ...] = ()
    help: str | None = None
    required: bool = False
    multiple: bool = False
    is_flag: bool = False
    hidden: bool = False
    default: Any = None
    choices: tuple[str, ...] | None = None
    envvar: tuple[str, ...] | None = None
    type: str | None = None
    metavar: str | None = None
    source: SourceLocation | None = None
    # Extra keys (allowed by the contract): details rules need.
    count: bool = False
    deprecated: bool | str = False
    show_default: bool | str | None = None
    flag_value: Any = None
    nargs: int | str | None = None
    dest: str | None = None


@dataclass(frozen=True)
class Argument:
    name: str
    required: bool = True
    nargs: int | str | None = None
    help: str | None = None
    # Extra keys.
    metavar: str | None = None
    choices: tuple[str, ...] | None = None
    hidden: bool = False
    type: str | None = None
    default: Any = None
    source: SourceLocation | None = None


@dataclass(frozen=True)
class Command:
    name: str
    path: tuple[str, ...]
    help: str | None = None
    short_help: str | None = None
    hidden: bool = False
    deprecated: bool | str = False
    options: tuple[Option, ...] = ()
    arguments: tuple[Argument, ...] = ()
    subcommands: tuple[Command, ...] = ()
    aliases: tuple[str, ...] = ()
    usage: str | None = None
    epilog: str | None = None
    examples: str | None = None
    framework: str = "click"
    source: SourceLocation | None = None
    unresolved: tuple[Unresolved, ...] = ()
    # Extra keys: the Python object that defines the command (``module:qualname``), and
    # whether it is a group (may hold subcommands).
    object: str | None = None
    is_group: bool = False

    def walk(self) -> list[Command]:
        """This command and every descendant, depth first, in declaration order."""
        out = [self]
        for sub in self.subcommands:
            out.extend(sub.walk())
        return out


@dataclass(frozen=True)
class CliModel:
    clis: tuple[Command, ...] = field(default=())
