"""The template context: one plain dict per documented command, shared by every format.

Templates receive exactly these values (documented in ``site/reference/gen-templates.md``);
text fields are already cleaned (:func:`kdocs.gen.text.clean`) but not escaped: escaping is
the template's job, through the named filters of :mod:`kdocs.templating`.
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

from kdocs.gen import GenSettings
from kdocs.gen.text import Block, blocks, clean, first_sentence
from kdocs.gen.usage import argument_metavar, option_metavar, synopsis
from kdocs.models.cli import Argument, CliModel, Command, Option

RESERVED = frozenset({"index", "cli"})
"""Slugs kdocs uses for its own files (``index.md``, ``cli.yaml``)."""


def roots(model: CliModel, settings: GenSettings) -> list[Command]:
    """The CLIs to document, sorted by name: those named in ``clis`` (all when empty)."""
    wanted = set(settings.clis)
    chosen = [c for c in model.clis if not wanted or c.name in wanted]
    return sorted(chosen, key=lambda c: (c.name, c.path))


def visible(cmd: Command, settings: GenSettings) -> list[Command]:
    """``cmd`` and its descendants that are documented, depth first."""
    out = [cmd]
    for sub in cmd.subcommands:
        if settings.include_hidden or not sub.hidden:
            out.extend(visible(sub, settings))
    return out


def slug(path: tuple[str, ...] | list[str]) -> str:
    """A file-name-safe, stable name for a command: ``prog-sub-leaf`` (anything but letters,
    digits, ``.``, ``_`` and ``-`` becomes ``_``; never empty, never starting with ``.``)."""
    text = "-".join(re.sub(r"[^A-Za-z0-9._-]", "_", part) for part in path)
    text = re.sub(r"^[.-]+", "_", text)[:200] or "_"
    return text


def anchor(*parts: str) -> str:
    """An HTML id made of ``[a-z0-9-]`` only: safe in any attribute, stable across runs."""
    text = "-".join(parts).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or "x"


_LAST: list[tuple[CliModel, GenSettings, list[dict[str, Any]]]] = []


def command_pages(model: CliModel, settings: GenSettings) -> list[dict[str, Any]]:
    """Every documented command of every chosen CLI as a template context, in tree order;
    ``slug`` and ``anchor`` values are unique across the result. ``kdocs gen all`` asks for
    the same model's pages once per format: the last result is reused (models are
    immutable, and no generator changes the pages)."""
    if _LAST and _LAST[0][0] is model and _LAST[0][1] == settings:
        return _LAST[0][2]
    pages = _command_pages(model, settings)
    _LAST[:] = [(model, settings, pages)]
    return pages


def _command_pages(model: CliModel, settings: GenSettings) -> list[dict[str, Any]]:
    used: set[str] = set(RESERVED)
    used_anchors: set[str] = set()
    slugs: dict[tuple[str, ...], str] = {}
    anchors: dict[tuple[str, ...], str] = {}
    commands: list[tuple[Command, Command | None]] = []
    for root in roots(model, settings):
        stack: list[tuple[Command, Command | None]] = [(root, None)]
        while stack:
            cmd, parent = stack.pop(0)
            commands.append((cmd, parent))
            subs = [s for s in cmd.subcommands if settings.include_hidden or not s.hidden]
            stack[0:0] = [(s, cmd) for s in subs]
    for cmd, _ in commands:
        slugs[cmd.path] = _unique(slug(cmd.path), used)
        anchors[cmd.path] = _unique(anchor(*cmd.path), used_anchors)
    pages = []
    for cmd, parent in commands:
        pages.append(_page(cmd, parent, commands, slugs, anchors, settings))
    return pages


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 2
    while candidate.lower() in used:
        candidate = f"{name}_{n}"
        n += 1
    used.add(candidate.lower())
    return candidate


def _ancestors(cmd: Command, commands: list[tuple[Command, Command | None]]) -> list[Command]:
    by_path = {c.path: (c, p) for c, p in commands}
    out: list[Command] = []
    entry = by_path.get(cmd.path)
    while entry is not None and entry[1] is not None:
        out.append(entry[1])
        entry = by_path.get(entry[1].path)
    return out


def _page(
    cmd: Command,
    parent: Command | None,
    commands: list[tuple[Command, Command | None]],
    slugs: dict[tuple[str, ...], str],
    anchors: dict[tuple[str, ...], str],
    settings: GenSettings,
) -> dict[str, Any]:
    own = anchors[cmd.path]
    options = [
        option_context(o, cmd.framework, own, cmd.path)
        for o in cmd.options
        if settings.include_hidden or not o.hidden
    ]
    option_anchors: set[str] = set()
    for o in options:
        o["anchor"] = _unique(o["anchor"], option_anchors)
    inherited = []
    seen = {name for o in options for name in o["all_names"]}
    for ancestor in _ancestors(cmd, commands):
        for option in ancestor.options:
            if option.hidden and not settings.include_hidden:
                continue
            ctx = option_context(option, ancestor.framework, anchors[ancestor.path], ancestor.path)
            if not seen.intersection(ctx["all_names"]):
                seen.update(ctx["all_names"])
                ctx["from"] = " ".join(ancestor.path)
                inherited.append(ctx)
    arguments = [
        argument_context(a, cmd.framework)
        for a in cmd.arguments
        if settings.include_hidden or not a.hidden
    ]
    subcommands = [
        link_context(s, slugs, anchors)
        for s in cmd.subcommands
        if settings.include_hidden or not s.hidden
    ]
    parent_link = link_context(parent, slugs, anchors) if parent is not None else None
    examples = textwrap.dedent(clean(cmd.examples)).strip("\n") if cmd.examples else ""
    description = _without_examples(cmd.help, cmd.examples)
    epilog = _without_examples(cmd.epilog, cmd.examples)
    full_name = clean(" ".join(cmd.path))
    usage = clean(synopsis(cmd, include_hidden=settings.include_hidden))
    environment = [
        {"name": var, "option": o["display_names"]} for o in options for var in o["envvar"]
    ]
    return {
        "name": clean(cmd.name),
        "path": [clean(p) for p in cmd.path],
        "full_name": full_name,
        "program": clean(cmd.path[0]) if cmd.path else clean(cmd.name),
        "slug": slugs[cmd.path],
        "anchor": own,
        "framework": cmd.framework,
        "summary": clean(cmd.short_help).strip() or first_sentence(cmd.help),
        "description": [_block(b) for b in blocks(description)],
        "epilog": [_block(b) for b in blocks(epilog)],
        "synopsis": usage,
        "synopsis_args": usage[len(full_name) :].strip() if usage.startswith(full_name) else usage,
        "deprecated": _deprecation(cmd.deprecated),
        "hidden": cmd.hidden,
        "is_group": cmd.is_group or bool(cmd.subcommands),
        "aliases": [clean(a) for a in cmd.aliases],
        "options": options,
        "inherited_options": inherited,
        "arguments": arguments,
        "subcommands": subcommands,
        "parent": parent_link,
        "see_also": ([parent_link] if parent_link else []) + subcommands,
        "examples": examples,
        "environment": environment,
        "source": {"file": cmd.source.file, "line": cmd.source.line} if cmd.source else None,
    }


def _block(block: Block) -> dict[str, str]:
    return {"kind": block.kind, "text": block.text}


def _deprecation(value: bool | str) -> str | None:
    """``None`` when not deprecated, else the message (empty when there is none)."""
    if value is False or value is None:
        return None
    return clean(value) if isinstance(value, str) else ""


def _without_examples(text: str | None, examples: str | None) -> str | None:
    """``text`` without its ``Examples:`` heading and the example lines after it (the
    EXAMPLES section shows them)."""
    if not text or not examples:
        return text
    wanted = {line.strip() for line in examples.split("\n") if line.strip()}
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not _EXAMPLES_HEADING.fullmatch(line):
            continue
        j = i + 1
        while j < len(lines) and (
            not lines[j].strip() or lines[j].strip() == "\b" or lines[j].strip() in wanted
        ):
            j += 1
        if j > i + 1:
            return "\n".join(lines[:i] + lines[j:]).strip("\n") or None
    return text


_EXAMPLES_HEADING = re.compile(r"[ \t]*(?:examples?|usage examples?)[ \t]*:?[ \t]*", re.I)


def link_context(
    cmd: Command, slugs: dict[tuple[str, ...], str], anchors: dict[tuple[str, ...], str]
) -> dict[str, Any]:
    return {
        "name": clean(cmd.name),
        "full_name": clean(" ".join(cmd.path)),
        "slug": slugs.get(cmd.path, slug(cmd.path)),
        "anchor": anchors.get(cmd.path, anchor(*cmd.path)),
        "summary": clean(cmd.short_help).strip() or first_sentence(cmd.help),
        "deprecated": _deprecation(cmd.deprecated),
    }


def display_value(value: Any) -> str:
    """A default as users read it: strings as they are, other values as JSON."""
    if isinstance(value, str):
        return clean(value)
    return clean(json.dumps(value, ensure_ascii=False, sort_keys=True))


def option_context(
    option: Option, framework: str, owner_anchor: str, path: tuple[str, ...] = ()
) -> dict[str, Any]:
    names = [clean(n) for n in option.names]
    secondary = [clean(n) for n in option.secondary_names]
    metavar = clean(option_metavar(option, framework))
    display = ", ".join(names)
    if secondary:
        display += " / " + ", ".join(secondary)
    default = option.default
    show_default = default is not None and default != [] and default != ""
    if option.is_flag and default is False:
        show_default = False
    if option.show_default is False:
        show_default = False
    if isinstance(option.show_default, str) and option.show_default:
        default_text: str | None = clean(option.show_default)
    else:
        default_text = display_value(default) if show_default else None
    help_text = option.help or ""
    noted_default = default_text
    if framework == "argparse" and "%" in help_text:
        if "%(default)" in help_text:
            noted_default = None  # the help shows it already
        help_text = _argparse_help(help_text, option, path)
    notes = _notes(option, noted_default, metavar)
    longest = max(option.names, key=len) if option.names else ""
    short = [n for n in option.names if len(n) == 2 and n.startswith("-") and n != "--"]
    return {
        "names": names,
        "secondary_names": secondary,
        "all_names": names + secondary,
        "display_names": display,
        "long_name": clean(longest),
        "name": clean(longest.lstrip("-/+")),
        "shorthand": clean(short[0][1:]) if short and short[0] != longest else "",
        "metavar": metavar,
        "help": " ".join(clean(help_text).split()),
        "default": default_text,
        "choices": [clean(c) for c in option.choices] if option.choices else [],
        "envvar": [clean(e) for e in option.envvar] if option.envvar else [],
        "required": option.required,
        "multiple": option.multiple,
        "is_flag": option.is_flag,
        "hidden": option.hidden,
        "deprecated": _deprecation(option.deprecated),
        "notes": notes,
        "text": " ".join(
            [*clean(help_text).split(), *([f"[{'; '.join(notes)}]"] if notes else [])]
        ),
        "anchor": anchor(owner_anchor, "option", longest.lstrip("-/+") or "x"),
    }


def _argparse_help(text: str, option: Option, path: tuple[str, ...]) -> str:
    """argparse's ``%(default)s``-style expansion of help, as ``--help`` shows it."""
    values = {
        "default": display_value(option.default) if option.default is not None else "None",
        "prog": " ".join(path),
        "dest": option.dest or "",
        "metavar": option.metavar or "None",
        "choices": ", ".join(option.choices) if option.choices else "None",
        "type": option.type or "None",
        "required": str(option.required),
    }

    def expand(match: re.Match[str]) -> str:
        if match.group(0) == "%%":
            return "%"
        return values.get(match.group(1), match.group(0))

    return re.sub(r"%%|%\((\w+)\)[sdr]", expand, text)


def _notes(option: Option, default_text: str | None, metavar: str) -> list[str]:
    """What click's help appends in brackets: default, choices (unless the metavar already
    lists them), environment variables, required, deprecated."""
    notes = []
    if default_text is not None:
        notes.append(f"default: {default_text}")
    if option.choices and not metavar.startswith(("[", "{")):
        notes.append("choices: " + ", ".join(clean(c) for c in option.choices))
    if option.envvar:
        notes.append("env var: " + ", ".join(clean(e) for e in option.envvar))
    if option.required:
        notes.append("required")
    if option.multiple:
        notes.append("may be repeated")
    if option.deprecated and "deprecated" not in (option.help or "").lower():
        message = option.deprecated if isinstance(option.deprecated, str) else ""
        notes.append(f"deprecated: {clean(message)}" if message else "deprecated")
    return notes


def argument_context(argument: Argument, framework: str) -> dict[str, Any]:
    return {
        "name": clean(argument.name),
        "metavar": clean(argument_metavar(argument, framework)),
        "required": argument.required,
        "nargs": argument.nargs,
        "help": " ".join(clean(argument.help).split()),
        "choices": [clean(c) for c in argument.choices] if argument.choices else [],
        "default": display_value(argument.default) if argument.default is not None else None,
    }
