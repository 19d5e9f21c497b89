"""A command's examples section, as users read it in ``--help``.

Neither click nor argparse has an examples field: projects write an ``Examples:`` heading in
the docstring or epilog. Static and runtime extraction both fill ``Command.examples`` from
that section, so the model (and the rules and documents built on it) see one text.
"""

from __future__ import annotations

import dataclasses
import re

from kdocs.models.cli import Command

_HEADING = re.compile(r"^[ \t]*(?:examples?|usage examples?)[ \t]*:?[ \t]*$", re.I | re.M)


def find_examples(cmd: Command) -> str | None:
    """The lines after an ``Examples:`` heading of the epilog or help, up to the first prose
    line (a line not indented deeper than the heading that is neither a command, a comment,
    nor a continuation); ``None`` when there is no such section."""
    for text in (cmd.epilog, cmd.help):
        if not text:
            continue
        match = _HEADING.search(text)
        if match is None:
            continue
        heading = match.group(0)
        base = len(heading) - len(heading.lstrip())
        program = cmd.path[0] if cmd.path else cmd.name
        out: list[str] = []
        previous = ""
        for line in text[match.end() :].split("\n"):
            if line.strip() == "\b":
                continue
            stripped = line.strip()
            indent = len(line) - len(stripped) if stripped else 0
            if (
                stripped
                and indent <= base
                and not previous.endswith("\\")
                and not _example_like(stripped, program)
            ):
                break
            out.append(line)
            if stripped:
                previous = stripped
        block = "\n".join(out)
        if block.strip():
            return block
    return None


def _example_like(line: str, program: str) -> bool:
    return line.startswith(("$", "#", "//", ">>>")) or line.split()[0] in (
        program,
        "python",
        "python3",
    )


def with_examples(cmd: Command) -> Command:
    """``cmd`` and its subcommands with ``examples`` filled where the help has a section."""
    subcommands = tuple(with_examples(sub) for sub in cmd.subcommands)
    examples = cmd.examples if cmd.examples else find_examples(cmd)
    if examples == cmd.examples and subcommands == cmd.subcommands:
        return cmd
    return dataclasses.replace(cmd, examples=examples, subcommands=subcommands)
