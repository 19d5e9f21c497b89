"""C2xx help present, C3xx short help (one-line summary), C4xx long help normalisation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kdocs.config import expect_choice, expect_int
from kdocs.escape import quoted
from kdocs.models.cli import Command, Option
from kdocs.models.diagnostics import Diagnostic, Fix
from kdocs.rules.cli import fixes
from kdocs.rules.cli.common import (
    NEEDS,
    Node,
    Summary,
    cli_nodes,
    click_first_sentence,
    click_short_help,
    diag,
    ends_sentence,
    first_paragraph,
    formatter_class,
    help_is_dynamic,
    is_prose,
    location,
    node_options,
    nodes,
    option_label,
    subject,
    summary,
)
from kdocs.rules.registry import RuleContext, RuleOption, rule

# --- C2xx: help present ----------------------------------------------------------------------


@rule(
    code="C201",
    name="command-help-missing",
    summary="Every visible command has help text.",
    rationale="""
`mycli --help` lists subcommands with their one-line summary, and `mycli CMD --help` starts
with the command's description: a command without help shows an empty line in both, and the
generated reference (man page, Markdown) has nothing to say about it. kubectl requires a
`Short` and `Long` description on every command; clig.dev: "Provide help text for every
command". Hidden commands are not checked, nor commands whose help the extractor could not
evaluate statically (an `unresolved` note says so; use the runtime inspector for those).
""",
    bad="""
@cli.command()
def deploy() -> None:
    ...
""",
    good="""
@cli.command()
def deploy() -> None:
    \"\"\"Deploy the current build to an environment.\"\"\"
""",
    needs=NEEDS,
)
def check_command_help(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node in nodes(ctx):
        cmd = node.command
        if (cmd.help or "").strip() or (cmd.short_help or "").strip() or _dynamic_help(cmd):
            continue
        d = diag("C201", f"command `{node.display}` has no help text", location(cmd), subject(node))
        if d:
            yield d


@rule(
    code="C202",
    name="option-help-missing",
    summary="Every visible option has help text.",
    rationale="""
An option without help appears in `--help` as a bare name (`--retries INTEGER`), which tells
the user nothing about what it changes or what the values mean. clig.dev: "Each flag should
have a description"; kubectl's flag definitions always carry a usage string. Hidden options
are not checked, nor options whose help is computed at runtime (`help=get_help("x")`,
`"...".format(...)`): that help is unknown, not missing.
""",
    bad="""
@click.option("--retries", type=int, default=3)
""",
    good="""
@click.option("--retries", type=int, default=3, help="How often to retry a failed upload.")
""",
    needs=NEEDS,
)
def check_option_help(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node, opt in node_options(ctx):
        if opt.hidden or (opt.help or "").strip() or help_is_dynamic(node.command, opt):
            continue  # help computed at runtime is unknown, not missing
        label = option_label(opt)
        d = diag(
            "C202",
            f"option `{label}` of `{node.display}` has no help text",
            location(opt, node.command),
            subject(node, label),
        )
        if d:
            yield d


def _dynamic_help(cmd: Command) -> bool:
    """The extractor saw help it could not evaluate (``description=_DESCRIPTION`` built at
    runtime): the command has help, kdocs just cannot read it."""
    return any(
        "help" in u.message.lower() or "description" in u.message.lower() for u in cmd.unresolved
    )


def _mentions(text: str, word: str) -> bool:
    if not word:
        return False
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE) is not None


_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "src": ("source",),
    "dst": ("destination", "dest"),
    "dest": ("destination",),
    "dir": ("directory", "folder"),
    "cfg": ("config", "configuration"),
    "conf": ("config", "configuration"),
    "config": ("configuration",),
    "repo": ("repository",),
    "pkg": ("package",),
    "env": ("environment",),
    "db": ("database",),
    "num": ("number",),
    "msg": ("message",),
    "tmpl": ("template",),
    "ver": ("version",),
    "arg": ("argument",),
    "addr": ("address",),
}
"""Common abbreviations in argument names and the words help uses for them (kept modest:
each must be unambiguous in a CLI's help)."""


def _phrase(name: str) -> re.Pattern[str]:
    """The argument name read as words: ``src_files`` matches "source files", "SRC_FILES",
    "src-file", "Source file" (separators ``_``/``-``/space, plural optional per word)."""
    words = [w for w in re.split(r"[_\-\s]+", name.strip("<>[]. ")) if w]
    parts = []
    for word in words:
        low = word.lower()
        stem = low[:-1] if len(low) > 3 and low.endswith("s") and not low.endswith("ss") else low
        forms = {stem, *_ABBREVIATIONS.get(stem, ()), *_ABBREVIATIONS.get(low, ())}
        alternatives = "|".join(sorted((re.escape(f) for f in forms), key=len, reverse=True))
        parts.append(f"(?:{alternatives})(?:e?s)?")
    body = r"[\s_-]+".join(parts)
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


@rule(
    code="C203",
    default_enabled=False,
    severity="warning",
    name="argument-help-missing",
    summary="Every visible positional argument is documented (its `help=` or the command's help).",
    rationale="""
Positional arguments show in the usage line only as a metavar (`SRC DEST`); what they mean
must be said somewhere. click arguments have no `help=`, so click's documentation asks to
describe them in the command's docstring; argparse and typer take a `help=`. An argument counts
as documented when it has help or when the command's help mentions its name, metavar or the
name with spaces (`column_name` as "column name", `src_files` as "source files": common
abbreviations such as src, dst, dir and cfg are read as words), or, for an argument with
choices, two or more of its values. An argument shared by several commands is reported
once; help computed at runtime is unknown, not missing. On 15 real CLIs every reviewed
finding was a real undocumented argument, but many are self-explanatory (sqlite-utils'
database `path`: 66 of 138), hence a warning.

Off by default: on 14 real projects (benchmarks/precision) two in three findings were arguments a
maintainer called self-explanatory (`NAME` of "Show a stored key"); select it to enforce.
""",
    bad="""
@cli.command()
@click.argument("src")
def copy(src: str) -> None:
    \"\"\"Copy a file.\"\"\"
""",
    good="""
@cli.command()
@click.argument("src")
def copy(src: str) -> None:
    \"\"\"Copy the file SRC to the current directory.\"\"\"
""",
    needs=NEEDS,
)
def check_argument_help(ctx: RuleContext) -> Iterator[Diagnostic]:
    seen: set[tuple[str, int, int, str]] = set()
    for node in nodes(ctx):
        cmd = node.command
        # Not cmd.usage: it is the generated usage line, which names every argument.
        docs = "\n".join(t for t in (cmd.help, cmd.short_help, cmd.epilog) if t)
        if help_is_dynamic(cmd):
            continue  # the command's help is unknown: it may describe every argument
        for arg in cmd.arguments:
            if arg.hidden or (arg.help or "").strip() or help_is_dynamic(cmd, arg):
                continue
            names = {arg.name, arg.name.replace("_", "-"), arg.name.replace("_", " ")}
            names |= {arg.metavar or "", arg.name.rstrip("s") if len(arg.name) > 3 else ""}
            names |= {n.upper() for n in names} | {n.strip("<>[].") for n in names if n}
            if any(_mentions(docs, n) for n in names if n):
                continue
            if any(_phrase(n).search(docs) for n in (arg.name, arg.metavar) if n):
                continue  # src_files as "source files", "SRC FILES", "src-file"
            src = arg.source
            if src is not None:
                # One argument definition shared by several commands (a parent parser, a
                # reused decorator) is one line of source: one finding.
                key = (src.file, src.line, src.column, arg.name)
                if key in seen:
                    continue
                seen.add(key)
            if arg.choices and sum(_mentions(docs, c) for c in arg.choices) >= 2:
                continue  # "Print the model: cli, types, imports or deps." documents KIND
            d = diag(
                "C203",
                f"argument `{arg.name}` of `{node.display}` is not documented: give it help or "
                "describe it in the command's help",
                location(arg, cmd),
                subject(node, arg.name),
            )
            if d:
                yield d


# --- C3xx: short help -----------------------------------------------------------------------


def _summary_fix(
    ctx: RuleContext, cmd: Command, summ: Summary, transform: fixes.Transform, message: str
) -> Fix | None:
    if summ.origin == "short_help":
        keys = fixes.SHORT_HELP_KEYWORDS if cmd.framework != "argparse" else ("help",)
        return fixes.literal_fix(
            ctx,
            cmd.source,
            keys,
            transform,
            message,
            check=fixes.literal_matches(summ.text),
        )
    para = first_paragraph(cmd.help or "")
    if " ".join(para.split()) != summ.text:
        return None  # the summary is only part of the first paragraph: not mechanical
    return fixes.literal_fix(
        ctx,
        cmd.source,
        fixes.COMMAND_HELP_KEYWORDS,
        transform,
        message,
        docstring=True,
        check=fixes.matches_paragraph(para),
    )


@rule(
    code="C301",
    severity="warning",
    name="short-help-capital",
    summary="A command's one-line summary starts with a capital letter.",
    rationale="""
The summary is what `mycli --help` lists next to each subcommand and what the man page and
Markdown reference use as the command's title line. kubectl's and git's summaries start with
a capital letter ("Display one or many resources"); mixing cases in one list looks careless.
The summary is click's `short_help` (or the first sentence of the help, as click derives it)
and argparse's `add_parser(help=...)`.
""",
    bad="""
@cli.command()
def deploy() -> None:
    \"\"\"deploy the current build.\"\"\"
""",
    good="""
@cli.command()
def deploy() -> None:
    \"\"\"Deploy the current build.\"\"\"
""",
    fixable=True,
    needs=NEEDS,
)
def check_short_capital(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node in nodes(ctx):
        summ = summary(node.command)
        if (
            summ is None
            or not summ.text
            or not summ.text[0].isalpha()
            or not summ.text[0].islower()
        ):
            continue
        if summ.text.split()[0] == node.root.name:
            continue  # starts with the program's name, lowercase by nature
        fix = _summary_fix(ctx, node.command, summ, fixes.capitalise, "capitalise the first word")
        d = diag(
            "C301",
            f"summary of `{node.display}` does not start with a capital letter: "
            f"{quoted(summ.text)}",
            location(node.command),
            subject(node, "short-help"),
            fix=fix,
        )
        if d:
            yield d


@rule(
    code="C302",
    severity="warning",
    name="short-help-period",
    summary="One-line summaries all end with a period, or none does (configurable).",
    rationale="""
`mycli --help` shows the subcommands' summaries as one list; a list where some entries end
with a period and others do not looks unfinished. kubectl's summaries never end with a period,
click derives its summary from the docstring's first sentence (which usually does), so kdocs
does not impose either: with `short-help-period = "consistent"` (the default) the style used by
most summaries of the CLI wins (a tie reports nothing); `always` and `never` enforce one.
Only explicit summaries are compared (click/typer `short_help=`, argparse
`add_parser(help=...)`): a summary click derives from the docstring is the help's first
sentence, which C404 wants to end with a period. Fixable: the period is added or removed in
the string literal.
""",
    bad="""
@cli.command(short_help="Deploy the current build.")
def deploy() -> None: ...

@cli.command(short_help="Roll back the last deploy")
def rollback() -> None: ...
""",
    good="""
@cli.command(short_help="Deploy the current build")
def deploy() -> None: ...

@cli.command(short_help="Roll back the last deploy")
def rollback() -> None: ...
""",
    options=[
        RuleOption(
            "short-help-period",
            expect_choice("consistent", "always", "never"),
            "consistent",
            "Whether summaries end with a period: `always`, `never`, or `consistent` "
            "(the majority style of each CLI).",
            "choice",
        )
    ],
    fixable=True,
    needs=NEEDS,
)
def check_short_period(ctx: RuleContext) -> Iterator[Diagnostic]:
    mode = ctx.options["short-help-period"]
    for tree in cli_nodes(ctx):
        items: list[tuple[Node, Summary]] = []
        for node in tree:
            summ = summary(node.command)
            if node.parents and summ is not None and summ.text and summ.origin == "short_help":
                items.append((node, summ))
        if not items:
            continue
        with_period = [summ.text.endswith(".") for _, summ in items]
        n_yes = sum(with_period)
        n_no = len(with_period) - n_yes
        if mode == "always":
            want = True
        elif mode == "never":
            want = False
        elif n_yes == n_no:
            continue  # no majority: nothing says which style is the odd one out
        else:
            want = n_yes > n_no
        why = "" if mode != "consistent" else " (most summaries of this CLI do)"
        for (node, summ), has in zip(items, with_period, strict=True):
            if has == want or (not want and summ.text.endswith("...")):
                continue
            if want and summ.text.rstrip()[-1:] in "!?:":
                continue
            if want:
                message = f"summary of `{node.display}` does not end with a period{why}"
                fix = _summary_fix(ctx, node.command, summ, fixes.add_period, "add a period")
            else:
                message = f"summary of `{node.display}` ends with a period"
                message += why.replace(" do)", " do not)")
                fix = _summary_fix(
                    ctx, node.command, summ, fixes.remove_period, "remove the period"
                )
            d = diag("C302", message, location(node.command), subject(node, "short-help"), fix=fix)
            if d:
                yield d


def _name_words(text: str) -> str:
    return " ".join(re.sub(r"[-_.:!?]+", " ", text).lower().split())


@rule(
    code="C303",
    severity="warning",
    name="short-help-is-name",
    summary="A command's summary says more than the command's name.",
    rationale="""
A summary that repeats the name (`status: Status.`) tells the reader nothing the command list
did not already say. kubectl's summaries describe the action ("Display one or many
resources"); clig.dev asks for help that explains what the command does.
""",
    bad="""
@cli.command()
def status() -> None:
    \"\"\"Status.\"\"\"
""",
    good="""
@cli.command()
def status() -> None:
    \"\"\"Show the state of every deployment.\"\"\"
""",
    needs=NEEDS,
)
def check_short_is_name(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node in nodes(ctx):
        summ = summary(node.command)
        if summ is None or not summ.text:
            continue
        if _name_words(summ.text) == _name_words(node.command.name):
            d = diag(
                "C303",
                f"summary of `{node.display}` only repeats the command's name: {quoted(summ.text)}",
                location(node.command),
                subject(node, "short-help"),
            )
            if d:
                yield d


@rule(
    code="C304",
    severity="warning",
    name="short-help-truncated",
    summary="click: the first sentence of a command's help fits the parent's command list.",
    rationale="""
click lists a group's subcommands with a summary made by `make_default_short_help`: the first
sentence of the help's first paragraph, cut with `...` when it is longer than the room left
in the list (the formatter width, 78 at an 80-column terminal, minus 6, minus the longest
visible sibling name). A cut summary ("Synchronise the local cache with the remote...") hides
exactly the words the user needed. kdocs applies click's own algorithm at `help-width`
columns; fix it by shortening the first sentence or by giving `short_help=`. Checked against
the real `--help` of sqlite-utils and mkdocs at 80 columns: the 22 findings are exactly the 22
lines click prints with `...`. Commands with an
explicit `short_help` are not checked (click shows it whole), nor typer (rich wraps instead).
""",
    bad='''
@cli.command()
def sync() -> None:
    """Synchronise the local package cache with every configured remote index and mirror."""
''',
    good='''
@cli.command()
def sync() -> None:
    """Synchronise the local package cache with the remotes.

    Every configured remote index and mirror is contacted in turn.
    """
''',
    options=[
        RuleOption(
            "help-width",
            expect_int,
            80,
            "Terminal width (columns) at which click's command list is checked (C304).",
            "integer",
        )
    ],
    needs=NEEDS,
)
def check_short_truncated(ctx: RuleContext) -> Iterator[Diagnostic]:
    columns = ctx.options["help-width"]
    width = max(min(columns, 80) - 2, 50)  # click's HelpFormatter default
    longest: dict[int, int] = {}  # per parent: computed once, not once per subcommand
    for node in nodes(ctx):
        parent = node.parent
        cmd = node.command
        if parent is None or cmd.framework != "click" or not cmd.help:
            continue
        summ = summary(cmd)
        if summ is None or summ.origin != "help":
            continue
        key = id(parent)
        if key not in longest:
            longest[key] = max(len(c.name) for c in parent.subcommands if not c.hidden)
        limit = width - 6 - longest[key]
        shown = click_short_help(cmd.help, limit)
        full = click_first_sentence(cmd.help)
        if shown == full:
            continue
        d = diag(
            "C304",
            f"click cuts the summary of `{node.display}` to {quoted(shown, limit=120)} "
            f"in `{parent.name} --help` "
            f"at {columns} columns ({len(full)} characters, room for {limit})",
            location(cmd),
            subject(node, "short-help"),
        )
        if d:
            yield d


# --- C4xx: long help ------------------------------------------------------------------------


def _help_items(
    node: Node,
) -> Iterator[tuple[str, str, Command | Option, tuple[str, ...], bool]]:
    """(label, text, item, literal keywords, may be a docstring) of the command's long texts.

    Option help is left out: click, typer and argparse all rewrap it, so its whitespace never
    reaches the user (measured on real CLIs: those findings were pure noise).
    """
    cmd = node.command
    if cmd.help:
        yield "help", cmd.help, cmd, fixes.COMMAND_HELP_KEYWORDS, True
    if cmd.epilog:
        yield "epilog", cmd.epilog, cmd, ("epilog",), False


@rule(
    code="C401",
    name="help-surrounding-whitespace",
    summary="Help text has no leading or trailing blank lines or whitespace.",
    rationale="""
kubectl's `CheckLongDesc` fails any command whose long description is not normalised
(`strings.Trim(long, " \\t\\n") != long`): stray blank lines and spaces around a description
show up as gaps in `--help`, in generated man pages and Markdown. click normalises docstrings
with `inspect.cleandoc`, but argparse `description=` strings are kept as written (and
printed verbatim by the raw formatters). Only command help is checked: option help is
rewrapped by every framework (on 11 real CLIs all 22 option-help findings were invisible to
users), and a triple-quoted epilog conventionally ends with a newline. Fixable: the literal
is stripped (only a plain literal without escapes).
""",
    bad='''
parser = argparse.ArgumentParser(description="""
Deploy the current build.
""")
''',
    good="""
parser = argparse.ArgumentParser(description="Deploy the current build.")
""",
    fixable=True,
    needs=NEEDS,
)
def check_surrounding(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node in nodes(ctx):
        for label, text, item, keys, _doc in _help_items(node):
            if label == "epilog" or text == text.strip():
                continue
            trailing = text[len(text.rstrip()) :]
            if node.command.framework in ("click", "typer") and "\n" in trailing:
                # click cuts the help at `\f` after `cleandoc`, so the blank lines before the
                # cut stay in the text, but its formatter drops them: nothing shows.
                continue
            where = location(item, node.command)
            fix = fixes.literal_fix(
                ctx,
                where,
                keys,
                fixes.strip_surrounding,
                "strip the surrounding whitespace",
                check=fixes.value_is(text),
            )
            d = diag(
                "C401",
                f"{_what(label)} of `{node.display}` starts or ends with whitespace or blank lines",
                where,
                subject(node, label, "whitespace"),
                fix=fix,
            )
            if d:
                yield d


def _what(label: str) -> str:
    return f"help of `{label}`" if label.startswith("-") else label


@rule(
    code="C402",
    name="help-trailing-whitespace",
    summary="No line of a help text ends with spaces or tabs.",
    rationale="""
Trailing whitespace is invisible in the source and in a terminal but shows in generated
Markdown (two trailing spaces are a hard line break) and in diffs of generated docs. It is
the part of kubectl's normalisation (`templates.LongDesc` trims every line) that survives
click's `cleandoc`. Command help and epilogs are checked (option help is rewrapped by every
framework). Fixable: trailing spaces are removed from each line of the literal.
""",
    bad=(
        '@cli.command()\ndef deploy() -> None:\n    """Deploy the build.'
        + "   "  # the trailing spaces
        + '\n\n    Uploads the wheel and restarts the service.\n    """\n'
    ),
    good='''
@cli.command()
def deploy() -> None:
    """Deploy the build.

    Uploads the wheel and restarts the service.
    """
''',
    fixable=True,
    needs=NEEDS,
)
def check_trailing(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node in nodes(ctx):
        for label, text, item, keys, doc in _help_items(node):
            lines = text.strip().split("\n")  # the ends are C401's
            bad = [i for i, ln in enumerate(lines) if ln != ln.rstrip() and ln.strip()]
            bad += [i for i, ln in enumerate(lines) if ln and not ln.strip()]
            if not bad:
                continue
            where = location(item, node.command)
            fix = fixes.literal_fix(
                ctx,
                where,
                keys,
                fixes.strip_trailing,
                "remove trailing whitespace",
                docstring=doc,
            )
            d = diag(
                "C402",
                f"{_what(label)} of `{node.display}` has trailing whitespace on "
                f"{len(set(bad))} line(s)",
                where,
                subject(node, label, "trailing-whitespace"),
                fix=fix,
            )
            if d:
                yield d


def _raw_blocks(cmd: Command, text: str, formatter: str) -> list[str]:
    """Lines the framework prints as written: click ``\\b`` paragraphs; argparse text with a
    raw formatter."""
    if cmd.framework == "argparse":
        return text.splitlines() if "Raw" in formatter else []
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        lines = para.split("\n")
        if lines and lines[0].strip() == "\b":
            out.extend(lines[1:])
    return out


@rule(
    code="C403",
    default_enabled=False,
    severity="warning",
    name="help-line-too-long",
    summary="Lines the framework does not rewrap fit the configured width.",
    rationale="""
click rewraps help paragraphs to the terminal, except `\\b` blocks; argparse rewraps unless the
parser uses `RawDescriptionHelpFormatter` / `RawTextHelpFormatter`. Those verbatim lines are
printed as written, so a long one wraps mid-word at 80 columns (or scrolls off in a man page).
The width is `help-max-line-length` (default 78: click indents help by two columns).

Off by default: the long lines found on real projects were deliberate (URLs, tables).
""",
    bad='''
@cli.command()
def deploy() -> None:
    """Deploy.

    \\b
    mycli deploy --environment production --strategy blue-green --wait --timeout 600 --verbose
    """
''',
    good='''
@cli.command()
def deploy() -> None:
    """Deploy.

    \\b
    mycli deploy --environment production \\\\
        --strategy blue-green --wait --timeout 600
    """
''',
    options=[
        RuleOption(
            "help-max-line-length",
            expect_int,
            78,
            "Longest verbatim help line (click `\\b` blocks, argparse raw formatters).",
            "integer",
        )
    ],
    needs=NEEDS,
)
def check_line_length(ctx: RuleContext) -> Iterator[Diagnostic]:
    limit = ctx.options["help-max-line-length"]
    for node in nodes(ctx):
        cmd = node.command
        for label, text in (("help", cmd.help), ("epilog", cmd.epilog)):
            if not text:
                continue
            formatter = formatter_class(ctx, cmd)
            long = [ln for ln in _raw_blocks(cmd, text, formatter) if len(ln.rstrip()) > limit]
            if not long:
                continue
            d = diag(
                "C403",
                f"{label} of `{node.display}` has {len(long)} verbatim line(s) longer than "
                f"{limit} columns (longest {max(len(ln.rstrip()) for ln in long)})",
                location(cmd),
                subject(node, label, "line-length"),
            )
            if d:
                yield d


@rule(
    code="C404",
    default_enabled=False,
    severity="warning",
    name="help-first-sentence-period",
    summary="The first sentence of a command's help ends with a period.",
    rationale="""
kubectl's long descriptions are written as sentences, and a description's first sentence is
reused as the summary in command lists, man page NAME sections and generated references; a
fragment without a full stop reads as truncated there. A first paragraph ending in `!`, `?`
or `:` (introducing a list) is accepted, as are a trailing link or emoji after the period;
verbatim `\b` blocks and ASCII art (a logo as the help) are not sentences and are skipped.
In click and typer this is also the period of the summary derived from the docstring.
Some projects consistently write their first lines as titles without a period (sqlite-utils:
39 of 49 commands); `first-sentence-period = "consistent"` then reports only the odd ones
out when most helps of a CLI do end with a period. Fixable: a period is appended to the
first paragraph of the literal.

Off by default: on 14 real projects (benchmarks/precision) every finding was a deliberate
style (summaries written as labels without a period) or wrong; select it (with
`first-sentence-period = "consistent"` to flag only the odd one out) to enforce a style.
""",
    bad='''
@cli.command()
def deploy() -> None:
    """Deploy the current build

    The wheel is uploaded and the service restarted.
    """
''',
    good='''
@cli.command()
def deploy() -> None:
    """Deploy the current build.

    The wheel is uploaded and the service restarted.
    """
''',
    options=[
        RuleOption(
            "first-sentence-period",
            expect_choice("always", "consistent"),
            "always",
            "`always`: every help's first sentence ends with a period (kubectl); "
            "`consistent`: only when most helps of the CLI do.",
            "choice",
        )
    ],
    fixable=True,
    needs=NEEDS,
)
def check_first_sentence(ctx: RuleContext) -> Iterator[Diagnostic]:
    mode = ctx.options["first-sentence-period"]
    for tree in cli_nodes(ctx):
        checked: list[tuple[Node, str, bool]] = []
        for node in tree:
            cmd = node.command
            if not cmd.help or not cmd.help.strip() or cmd.help.lstrip().startswith("\b"):
                continue  # a verbatim block (ASCII art, a table) is not a sentence
            para = first_paragraph(cmd.help)
            if not para or not is_prose(para):
                continue  # ASCII art (cruft's logo) is not a sentence either
            checked.append((node, para, ends_sentence(para)))
        n_yes = sum(1 for *_, ok in checked if ok)
        if mode == "consistent" and n_yes * 2 <= len(checked):
            continue  # most helps of this CLI do without the period: that is its style
        for node, para, ok in checked:
            if ok:
                continue
            cmd = node.command
            fix = fixes.literal_fix(
                ctx,
                cmd.source,
                fixes.COMMAND_HELP_KEYWORDS,
                fixes.add_period,
                "end the first sentence with a period",
                docstring=True,
                check=fixes.matches_paragraph(para),
            )
            d = diag(
                "C404",
                f"the first sentence of the help of `{node.display}` does not end with a period",
                location(cmd),
                subject(node, "help", "period"),
                fix=fix,
            )
            if d:
                yield d
