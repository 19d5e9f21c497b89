"""Shared helpers of the C family: walking the command tree, subjects, locations, help text.

Rules see the command model only (``ctx.model("cli")``); these helpers turn a command or an
option into the diagnostic position (the decorator, call or parameter that defines it) and the
position-independent ``subject`` used by baselines (``"mycli deploy --dry-run"``).
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from kdocs.models.cli import Argument, CliModel, Command, Option, SourceLocation
from kdocs.models.diagnostics import Diagnostic, Fix
from kdocs.rules.registry import RuleContext

NEEDS = ("cli",)


@dataclass(frozen=True)
class Node:
    """A command with the chain of its ancestors (root first), so rules can look upwards."""

    command: Command
    parents: tuple[Command, ...]

    @property
    def root(self) -> Command:
        return self.parents[0] if self.parents else self.command

    @property
    def parent(self) -> Command | None:
        return self.parents[-1] if self.parents else None

    @property
    def display(self) -> str:
        return " ".join(self.command.path) or self.command.name


def model(ctx: RuleContext) -> CliModel:
    found = ctx.model("cli")
    return found if isinstance(found, CliModel) else CliModel()


def walk(cli: Command, *, include_hidden: bool = False) -> Iterator[Node]:
    """Every command of one CLI tree, depth first; hidden subtrees are skipped by default."""

    def rec(cmd: Command, parents: tuple[Command, ...]) -> Iterator[Node]:
        if cmd.hidden and not include_hidden:
            return
        yield Node(cmd, parents)
        for sub in cmd.subcommands:
            yield from rec(sub, (*parents, cmd))

    yield from rec(cli, ())


def cli_nodes(ctx: RuleContext, *, include_hidden: bool = False) -> Iterator[list[Node]]:
    """The commands of each CLI, each command once across the model.

    The same command object can be reached twice: a click command added to two groups, or an
    argparse helper ``add_parsers(parser)`` reported both under the entry point's tree and as
    a CLI of its own. It is checked where it is first reached (entry-point CLIs come first in
    the model), so one defect is reported once.
    """
    seen: set[tuple[str, int, int, str]] = set()
    for cli in model(ctx).clis:
        out: list[Node] = []
        skip_under: list[tuple[str, ...]] = []
        for node in walk(cli, include_hidden=include_hidden):
            path = node.command.path
            if any(path[: len(p)] == p for p in skip_under):
                continue
            src = node.command.source
            if src is not None:
                key = (src.file, src.line, src.column, node.command.name)
                if key in seen:
                    skip_under.append(path)
                    continue
                seen.add(key)
            out.append(node)
        yield out


def nodes(ctx: RuleContext, *, include_hidden: bool = False) -> Iterator[Node]:
    for tree in cli_nodes(ctx, include_hidden=include_hidden):
        yield from tree


def node_options(
    ctx: RuleContext, *, include_hidden: bool = False
) -> Iterator[tuple[Node, Option]]:
    """Every (command, option) pair, each option definition once.

    An option defined once and attached to many commands (an argparse ``parents=[shared]``
    parser, a helper that adds arguments to every subparser, a reused click decorator) is
    one line of source: it is reported once, at that line, for the first command that has it
    (on pipx, one `--output` would otherwise be reported 25 times).
    """
    seen: set[tuple[str, int, int, tuple[str, ...]]] = set()
    for node in nodes(ctx, include_hidden=include_hidden):
        for opt in node.command.options:
            src = opt.source
            if src is not None:
                key = (src.file, src.line, src.column, opt.names)
                if key in seen:
                    continue
                seen.add(key)
            yield node, opt


def all_names(opt: Option) -> tuple[str, ...]:
    return (*opt.names, *opt.secondary_names)


def long_names(opt: Option) -> list[str]:
    return [n for n in all_names(opt) if n.startswith("--")]


def short_names(opt: Option) -> list[str]:
    return [n for n in all_names(opt) if n.startswith("-") and not n.startswith("--")]


def option_label(opt: Option) -> str:
    """The name a user recognises: the first long name, else the first name."""
    longs = [n for n in opt.names if n.startswith("--")]
    if longs:
        return longs[0]
    return opt.names[0] if opt.names else (opt.dest or "?")


def subject(node: Node, *parts: str) -> str:
    return " ".join([node.display, *parts]).strip()


@dataclass(frozen=True)
class _WithRelated(SourceLocation):
    """A finding position that also names the helper lines defining the item."""

    related: tuple[SourceLocation, ...] = ()


def location(
    item: Option | Argument | Command | None, fallback: Command | None = None
) -> SourceLocation | None:
    src = getattr(item, "source", None) if item is not None else None
    if src is None and fallback is not None:
        src = fallback.source
    related = getattr(item, "related", ()) if item is not None else ()
    if src is not None and related:
        return _WithRelated(src.file, src.line, src.column, tuple(related))
    return src


def diag(
    code: str,
    message: str,
    where: SourceLocation | None,
    subj: str,
    *,
    fix: Fix | None = None,
    notes: tuple[str, ...] = (),
) -> Diagnostic | None:
    """A diagnostic at ``where``; ``None`` when the model has no position for the item."""
    if where is None:
        return None
    return Diagnostic(
        code=code,
        message=message,
        file=where.file,
        line=where.line,
        column=max(where.column, 1),
        fix=fix,
        subject=subj,
        notes=notes,
        related=tuple((r.file, r.line) for r in getattr(where, "related", ())),
    )


# --- help text -----------------------------------------------------------------------------


def _help_note(message: str) -> bool:
    low = message.lower()
    return "help" in low or "description" in low


def help_is_dynamic(cmd: Command, item: Option | Argument | None = None) -> bool:
    """Whether the help of ``item`` (or of ``cmd`` itself) is computed at runtime: the
    extractor left an ``unresolved`` note about help at the line that defines it
    (``help=get_help("x")``, ``"...".format()``, an f-string or ``+`` of unknowns). Such help
    is unknown, not missing: the help rules must not report it as absent."""
    where = item.source if item is not None else cmd.source
    if where is None:
        return False
    for note in cmd.unresolved:
        if note.file == where.file and note.line == where.line and _help_note(note.message):
            return True
    if item is None:
        # argparse: `description=` computed at runtime, noted where the parser is built.
        return any("description" in n.message.lower() for n in cmd.unresolved)
    return False


def first_paragraph(text: str) -> str:
    """The first paragraph (up to a blank line), with click's ``\\b`` marker removed."""
    para = text.strip().partition("\n\n")[0]
    lines = [ln for ln in para.splitlines() if ln.strip() != "\b"]
    return "\n".join(lines).strip()


def click_first_sentence(help_text: str) -> str:
    """Click's default short help without truncation (``_make_default_short_help``).

    Click 8.2+ keeps the first paragraph's words up to the first word that ends with a period
    and is followed by a word not starting in lowercase (so ``vs.`` does not end a sentence).
    """
    words = help_text.partition("\n\n")[0].split()
    if words and words[0] == "\b":
        words = words[1:]
    last = len(words) - 1
    for i, word in enumerate(words):
        if word.endswith(".") and (i == last or not words[i + 1][0].islower()):
            words = words[: i + 1]
            break
    return " ".join(words)


def click_short_help(help_text: str, limit: int) -> str:
    """Click's ``_make_default_short_help(help, limit)``: the first sentence, shortened with
    ``...`` (``textwrap.shorten``, hyphenated words kept whole) when longer than ``limit``."""
    text = click_first_sentence(help_text)
    if len(text) <= limit:
        return text
    if limit < 3:
        return "..."
    return textwrap.shorten(text, limit, placeholder="...", break_on_hyphens=False)


@dataclass(frozen=True)
class Summary:
    """A command's one-line summary and where it comes from.

    ``origin`` is ``"short_help"`` (an explicit short help: click ``short_help=``, argparse
    ``add_parser(help=)``) or ``"help"`` (derived from the first sentence of the help).
    """

    text: str
    origin: str


def summary(cmd: Command) -> Summary | None:
    if cmd.short_help is not None and cmd.short_help.strip():
        derived = click_first_sentence(cmd.help) if cmd.help else None
        if (
            cmd.framework != "argparse"
            and derived is not None
            and _is_derived(cmd.short_help, derived)
        ):
            return Summary(derived, "help")
        return Summary(" ".join(cmd.short_help.split()), "short_help")
    if cmd.framework in ("click", "typer") and cmd.help and cmd.help.strip():
        text = click_first_sentence(cmd.help)
        return Summary(text, "help") if text else None
    return None


def _is_derived(short: str, derived: str) -> bool:
    """True when an extractor filled ``short_help`` from the help (maybe click-truncated)."""
    short = " ".join(short.split())
    if short == derived:
        return True
    return short.endswith("...") and derived.startswith(short[:-3].rstrip())


_SENTENCE_END = re.compile(r"[.!?:][\"')\]]*$")


def ends_sentence(text: str) -> bool:
    """Ends with sentence punctuation, ignoring trailing symbols (emoji) and markup tags."""
    text = re.sub(r"\[/?[a-z ]*\]\s*$", "", text.rstrip())  # rich markup: [/bold]
    text = re.sub(r"\s*(<[a-z]+://[^>\s]*>|\(?[a-z]+://\S+?\)?)$", "", text)  # a trailing link
    while text and unicodedata.category(text[-1])[0] in "SZ":
        text = text[:-1].rstrip()
    return bool(_SENTENCE_END.search(text))


def is_prose(text: str) -> bool:
    """Mostly letters: not ASCII art, a table or a bare URL."""
    visible = [c for c in text if not c.isspace()]
    return bool(visible) and sum(c.isalpha() for c in visible) >= 0.6 * len(visible)


def normalise_words(text: str) -> str:
    return " ".join(text.split()).lower()


def formatter_class(ctx: RuleContext, cmd: Command) -> str:
    """argparse: the parser's ``formatter_class`` as written (``""`` when not given).

    Read from the model when the extractor provides it, else from the call that creates the
    parser: raw formatters print help verbatim, ``ArgumentDefaultsHelpFormatter`` shows every
    default, and both change what the C rules should expect.
    """
    if cmd.framework != "argparse":
        return ""
    given = getattr(cmd, "formatter_class", None)
    if isinstance(given, str):
        return given
    if cmd.source is None:
        return ""
    from kdocs.rules.cli.literals import keyword_source

    try:
        facts = ctx.analysis.facts("cli")
        text = keyword_source(ctx.analysis.project.root, cmd.source, "formatter_class", facts)
    except Exception:  # a read problem must not break the rule
        return ""
    return text or ""
