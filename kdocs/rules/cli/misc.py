"""C9xx: deprecated items, shown defaults, and choices."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kdocs.config import expect_str_list
from kdocs.models.cli import Command, Option
from kdocs.models.diagnostics import Diagnostic
from kdocs.rules.cli.common import (
    NEEDS,
    all_names,
    diag,
    formatter_class,
    location,
    node_options,
    nodes,
    option_label,
    subject,
)
from kdocs.rules.registry import RuleContext, RuleOption, rule

_DEPRECATED_WORD = re.compile(r"(?<![\w-])deprecated(?![\w-])", re.I)  # not "6-deprecated-alias"
_REPLACEMENT = re.compile(
    r"\b(use|using|instead|replaced|superseded|in favou?r of|migrate|switch to|see|prefer|"
    r"renamed|moved|(?:now|is) the default|no effect|ignored|no longer)\b|`[^`]+`|--[a-z]",
    re.I,
)


def _deprecated_text(deprecated: bool | str, *texts: str | None) -> tuple[bool, str]:
    text = " ".join(t for t in texts if t)
    if isinstance(deprecated, str) and deprecated:
        return True, f"{deprecated} {text}"
    if deprecated:
        return True, text
    return bool(_DEPRECATED_WORD.search(text)), text


def _own_words(names: tuple[str, ...], text: str) -> str:
    for name in names:
        text = text.replace(name, " ")
    return text


@rule(
    code="C901",
    name="deprecated-without-replacement",
    summary="A deprecated command or option says what to use instead.",
    rationale="""
A deprecation notice is only actionable with a way out: kubectl's deprecated flags carry a
message naming the replacement (`MarkDeprecated(name, "use --output instead")`), and clig.dev
asks to tell users how to migrate. kdocs checks commands and options marked deprecated
(`deprecated=` in click 8.2+/argparse 3.13+) or whose help says "deprecated": the notice or the
help must name a replacement (a flag, a backquoted name, or words like "use", "instead",
"replaced by") or say why nothing is needed ("it is now the default", "has no effect").
""",
    bad="""
@click.option("--json", is_flag=True, deprecated=True, help="Print JSON.")
""",
    good="""
@click.option(
    "--json", is_flag=True, deprecated="use --output json instead", help="Print JSON."
)
""",
    needs=NEEDS,
)
def check_deprecated(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node in nodes(ctx, include_hidden=True):
        cmd = node.command
        is_dep, text = _deprecated_text(cmd.deprecated, cmd.short_help, cmd.help)
        if is_dep and not _REPLACEMENT.search(_own_words((cmd.name,), text)):
            d = diag(
                "C901",
                f"command `{node.display}` is deprecated but does not say what to use instead",
                location(cmd),
                subject(node, "deprecated"),
            )
            if d:
                yield d
        for opt in cmd.options:
            is_dep, text = _deprecated_text(opt.deprecated, opt.help)
            if not is_dep or _REPLACEMENT.search(_own_words(all_names(opt), text)):
                continue
            label = option_label(opt)
            d = diag(
                "C901",
                f"option `{label}` of `{node.display}` is deprecated but does not say what to "
                "use instead",
                location(opt, cmd),
                subject(node, label, "deprecated"),
            )
            if d:
                yield d


def _default_text(value: Any) -> str | None:
    """The default as users would read it; ``None`` when it is not a plain literal."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, (list, tuple)) and all(isinstance(v, (int, float, str)) for v in value):
        return " ".join(str(v) for v in value)
    return None


def _default_shown(cmd: Command, opt: Option, formatter: str) -> bool:
    if opt.show_default not in (None, False):
        return True
    if cmd.framework == "typer" and opt.show_default is None:
        return True  # typer shows defaults unless told not to
    help_text = opt.help or ""
    if "%(default)" in help_text:
        return True
    return "ArgumentDefaults" in formatter


@rule(
    code="C902",
    severity="warning",
    name="default-not-shown",
    summary="An option with a non-obvious default shows it (`show_default` or the help).",
    rationale="""
`--retries INTEGER  How often to retry.` leaves the user guessing what happens without the
flag. GNU and clig.dev both ask help to state defaults; click shows them with
`show_default=True`, argparse with `%(default)s` or `ArgumentDefaultsHelpFormatter`, typer by
default. kdocs flags an option whose default is a literal other than None, a boolean or one of
`obvious-defaults` when the default is not shown and the help mentions neither the word
"default" nor the value. Flags, counters, required and hidden options are not checked.
""",
    bad="""
@click.option("--retries", type=int, default=3, help="How often to retry.")
""",
    good="""
@click.option("--retries", type=int, default=3, show_default=True, help="How often to retry.")
""",
    options=[
        RuleOption(
            "obvious-defaults",
            expect_str_list,
            ("", "0", "{}", "[]"),
            "Default values (as text) that need not be shown.",
            "list",
        )
    ],
    needs=NEEDS,
)
def check_default_shown(ctx: RuleContext) -> Iterator[Diagnostic]:
    obvious = set(ctx.options["obvious-defaults"])
    for node, opt in node_options(ctx):
        cmd = node.command
        if opt.hidden or opt.required or opt.is_flag or opt.count:
            continue
        text = _default_text(opt.default)
        if text is None or text in obvious:
            continue
        if _default_shown(cmd, opt, formatter_class(ctx, cmd)):
            continue
        help_text = opt.help or ""
        if re.search(r"\bdefault", help_text, re.I) or (text and text in help_text):
            continue
        label = option_label(opt)
        d = diag(
            "C902",
            f"option `{label}` of `{node.display}` defaults to {text!r} but neither shows "
            "the default nor mentions it in its help",
            location(opt, cmd),
            subject(node, label, "default"),
        )
        if d:
            yield d


_ITEM = r"[`'\"]?[A-Za-z0-9][\w.+-]*[`'\"]?"
# A list item after a comma is not the conjunction itself, so "a, b, or c" (Oxford comma)
# reaches its last item like "a, b or c" does.
_NEXT = rf"(?!(?:or|and)\s){_ITEM}"
_ENUM = re.compile(
    rf"[{{\[(]\s*{_ITEM}(?:\s*[,|]\s*{_ITEM})+\s*[}}\])]"
    rf"|{_ITEM}(?:\s*(?:,|\|)\s*{_NEXT})+(?:\s*,?\s*(?:or|and)\s+{_ITEM})?"
    rf"|{_ITEM}\s+or\s+{_ITEM}"
)
_WORD = re.compile(r"[A-Za-z0-9][\w.+-]*")


def enumerations(text: str) -> list[list[str]]:
    """Value lists written by hand in help text: ``{a,b}``, ``a|b``, ``a, b or c``."""
    out = []
    for match in _ENUM.finditer(text):
        items = [w.strip(".") for w in _WORD.findall(match.group(0)) if w not in ("or", "and")]
        if len(items) >= 2:
            out.append(items)
    return out


def drift(choices: tuple[str, ...], help_text: str) -> tuple[set[str], set[str]] | None:
    """(listed but not a choice, choice not listed) of the enumeration that matches the
    choices best, when it names at least two choices and differs; else ``None``."""
    real = {c.lower() for c in choices}
    best: tuple[int, set[str], set[str]] | None = None
    for items in enumerations(help_text):
        listed = {i.lower() for i in items}
        overlap = len(listed & real)
        if overlap < 2:
            continue
        extra, missing = listed - real, real - listed
        if best is None or overlap > best[0]:
            best = (overlap, extra, missing)
    if best is None or (not best[1] and not best[2]):
        return None
    return best[1], best[2]


@rule(
    code="C903",
    name="choices-drift",
    summary="Help that lists an option's values by hand matches its real choices.",
    rationale="""
`help="Output format: json, yaml or text."` next to `choices=["json", "yaml"]` is a promise the
code does not keep: one of the two was edited without the other. The framework already shows
the real choices (click `Choice` `[json|yaml]`, argparse `{json,yaml}`, `%(choices)s`); kdocs
finds value lists written in the help (`a, b or c`, `a|b`, `{a,b}`) that name at least two of
the real choices and reports the values that differ.
""",
    bad="""
@click.option("--format", type=click.Choice(["json", "yaml"]), help="One of json, yaml, text.")
""",
    good="""
@click.option("--format", type=click.Choice(["json", "yaml", "text"]), help="Output format.")
""",
    needs=NEEDS,
)
def check_choices_drift(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node, opt in node_options(ctx):
        cmd = node.command
        if opt.hidden or not opt.choices or not opt.help:
            continue
        found = drift(opt.choices, opt.help)
        if found is None:
            continue
        extra, missing = found
        parts = []
        if extra:
            parts.append("lists " + ", ".join(sorted(extra)) + " (not a choice)")
        if missing:
            parts.append("omits " + ", ".join(sorted(missing)))
        label = option_label(opt)
        d = diag(
            "C903",
            f"help of `{label}` of `{node.display}` {' and '.join(parts)}; the choices are "
            + ", ".join(opt.choices),
            location(opt, cmd),
            subject(node, label, "choices"),
        )
        if d:
            yield d


@rule(
    code="C904",
    severity="warning",
    name="choices-hidden",
    summary="An option with choices shows them: a `metavar` must not hide them silently.",
    rationale="""
argparse shows `--format {json,yaml}` and click `--format [json|yaml]`, unless a `metavar`
replaces the list (`--format FORMAT`); then the user has to guess the values. Either drop the
metavar, or list the choices in the help (`%(choices)s` in argparse).
""",
    bad="""
parser.add_argument("--format", choices=["json", "yaml"], metavar="FORMAT", help="Format.")
""",
    good="""
parser.add_argument(
    "--format", choices=["json", "yaml"], metavar="FORMAT", help="Format: %(choices)s."
)
""",
    needs=NEEDS,
)
def check_choices_hidden(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node, opt in node_options(ctx):
        cmd = node.command
        if opt.hidden or not opt.choices or not opt.metavar:
            continue
        help_text = (opt.help or "").lower()
        if "%(choices)" in help_text:
            continue
        if all(c.lower() in help_text for c in opt.choices):
            continue
        label = option_label(opt)
        d = diag(
            "C904",
            f"metavar `{opt.metavar}` hides the choices of `{label}` of `{node.display}` "
            "and the help does not list them",
            location(opt, cmd),
            subject(node, label, "choices"),
        )
        if d:
            yield d


_ONE_OF = re.compile(r"\b(one of|must be|choices?|either|possible values|valid values)\b", re.I)
_LEAD = re.compile(r"^\s*(?:(?:are|is|either|one of)\b\s*)*[:=]?\s*", re.I)


@rule(
    code="C905",
    name="choices-by-hand",
    summary="An option whose help enumerates its allowed values uses choices instead.",
    rationale="""
`help="Log level: one of debug, info, warning."` on a plain string option documents a
restriction nobody enforces: `--log-level verbose` is accepted and fails later, far from the
typo. `click.Choice`, argparse `choices=` or a typer `Enum` validate the value, complete it in
the shell and list it in `--help`. Off by default: the detection of a hand-written value list
is heuristic (it needs "one of", "must be", "choices", ... and a list of two or more values).
""",
    bad="""
@click.option("--log-level", help="Log level: one of debug, info, warning.")
""",
    good="""
@click.option("--log-level", type=click.Choice(["debug", "info", "warning"]), help="Log level.")
""",
    default_enabled=False,
    severity="warning",
    needs=NEEDS,
)
def check_choices_by_hand(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node, opt in node_options(ctx):
        cmd = node.command
        if opt.hidden or opt.choices or opt.is_flag or opt.count or not opt.help:
            continue
        match = _ONE_OF.search(opt.help)
        if match is None:
            continue
        rest = _LEAD.sub("", opt.help[match.end() :])
        listed = _ENUM.match(rest)
        if listed is None or len(enumerations(listed.group(0))) == 0:
            continue
        label = option_label(opt)
        d = diag(
            "C905",
            f"help of `{label}` of `{node.display}` lists allowed values by hand; use "
            "choices so they are validated",
            location(opt, cmd),
            subject(node, label, "choices"),
        )
        if d:
            yield d
