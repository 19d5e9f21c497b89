"""C7xx: options shared between parent and child commands, and the conventional flags."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from kdocs.config import expect_str_list_map
from kdocs.escape import quoted
from kdocs.models.cli import Option
from kdocs.models.diagnostics import Diagnostic
from kdocs.rules.cli.common import (
    NEEDS,
    all_names,
    diag,
    location,
    long_names,
    node_options,
    nodes,
    normalise_words,
    option_label,
    short_names,
    subject,
)
from kdocs.rules.registry import RuleContext, RuleOption, rule


def _kind(opt: Option) -> tuple[Any, ...]:
    return (opt.is_flag, opt.count, opt.multiple, opt.type, opt.choices)


def same_meaning(a: Option, b: Option) -> bool:
    """Same kind of value and (nearly) the same help: the option is repeated, not redefined."""
    if _kind(a) != _kind(b):
        return False
    shared_long = {n for n in a.names if n.startswith("--")} & set(all_names(b))
    if shared_long:
        return True  # same long flag, same kind of value: repeated, maybe reworded
    ha, hb = normalise_words(a.help or ""), normalise_words(b.help or "")
    if not ha or not hb:
        return True
    return difflib.SequenceMatcher(None, ha, hb).ratio() >= 0.6


@rule(
    code="C701",
    default_enabled=False,
    name="parent-option-shadowed",
    summary="A subcommand option does not reuse a parent group's flag for something else.",
    rationale="""
In click and argparse, `mycli -v deploy` and `mycli deploy -v` go to different commands; when
both accept `-v` users stop caring where they put it, so the two must mean the same thing.
kubectl solves this with persistent (inherited) flags that mean one thing everywhere. kdocs
flags a subcommand option that uses a name of an ancestor's option with a different kind of
value (flag vs value, type, choices, single vs multiple), or that shares only a short flag
with it (`-p` is `--project` above, `--project-only` here) and has a clearly different help
text. A shared long flag with the same kind of value counts as the same option repeated (on
real CLIs, a reworded `--verbose` help was the main source of false positives before this).

Off by default: real projects reuse a parent's flag in a subcommand on purpose often enough
that the findings were judged debatable.
""",
    bad="""
@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log more.")
def cli(verbose: bool) -> None: ...

@cli.command()
@click.option("-v", "--version", help="Version to deploy.")
def deploy(version: str) -> None: ...
""",
    good="""
@cli.command()
@click.option("-r", "--release", help="Version to deploy.")
def deploy(release: str) -> None: ...
""",
    needs=NEEDS,
)
def check_shadowed(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node in nodes(ctx):
        if not node.parents:
            continue
        for opt in node.command.options:
            if opt.hidden:
                continue
            names = set(all_names(opt))
            for parent in reversed(node.parents):
                clash = next(
                    (p for p in parent.options if names & set(all_names(p)) and not p.hidden),
                    None,
                )
                if clash is None:
                    continue
                if not same_meaning(opt, clash):
                    shared = sorted(names & set(all_names(clash)))
                    d = diag(
                        "C701",
                        f"`{' '.join(shared)}` of `{' '.join(node.command.path)}` means something "
                        f"else than on its parent `{' '.join(parent.path)}` "
                        f"({option_label(clash)}: {quoted(clash.help or 'no help')})",
                        location(opt, node.command),
                        subject(node, *shared),
                    )
                    if d:
                        yield d
                break


def _same_word(name: str, conventional: str) -> bool:
    """``--out``/``--outs`` for ``--output``: an abbreviation (3+ letters) counts as the word."""
    a, b = name.lstrip("-").rstrip("s"), conventional.lstrip("-").rstrip("s")
    short, long = sorted((a, b), key=len)
    return a == b or (len(short) >= 3 and long.startswith(short))


DEFAULT_CONVENTIONS: dict[str, tuple[str, ...]] = {
    "-h": ("--help",),
    "-V": ("--version",),
    "-v": ("--verbose",),
    "-q": ("--quiet",),
    "-o": ("--output",),
    "-f": ("--force", "--overwrite"),
}


@rule(
    code="C702",
    default_enabled=False,
    severity="warning",
    name="conventional-flag",
    summary="Conventional short flags mean the conventional thing (`-v` verbose, `-q` quiet, ...).",
    rationale="""
Some flags mean the same thing in nearly every tool, and users type them without reading the
help: `-h/--help`, `-V/--version`, `-v/--verbose`, `-q/--quiet`, `-o/--output`, `-f/--force`
(clig.dev "Use standard names for flags"; the GNU coding standards' table of long options).
`--overwrite` is accepted for `-f` and abbreviations such as `--out` for `--output`. Other
tools' conventions compete (kubectl's `-f` is `--filename`, `tail -f` follows): a warning, and
the table is yours to change.
A `-f` that means `--file` or a `-v` that means `--version` surprises exactly those users.
An option using one of the table's short flags must have one of the listed long names (or,
without a long name, mention the concept in its help). The table is configurable:
`conventional-flags = {"-v" = ["--verbose", "--version"]}` replaces the default entries you
give, and an empty list removes one.

Off by default: a project's own meaning for `-v` or `-q` is a design choice more often than a
slip (benchmarks/precision: 17 of 19 findings debatable, 2 wrong).
""",
    bad="""
@click.option("-f", "--file", help="Read the manifest from FILE.")
""",
    good="""
@click.option("-f", "--force", is_flag=True, help="Overwrite existing files.")
@click.option("--file", help="Read the manifest from FILE.")
""",
    options=[
        RuleOption(
            "conventional-flags",
            expect_str_list_map,
            {},
            "Short flag -> accepted long names; merged over the default table "
            "(-h --help, -V --version, -v --verbose, -q --quiet, -o --output, -f --force).",
            "table",
        )
    ],
    needs=NEEDS,
)
def check_conventional(ctx: RuleContext) -> Iterator[Diagnostic]:
    table = {**DEFAULT_CONVENTIONS, **ctx.options["conventional-flags"]}
    for node, opt in node_options(ctx):
        longs = long_names(opt)
        for short in short_names(opt):
            accepted = table.get(short)
            if not accepted:
                continue
            if longs:
                if any(_same_word(n, a) for n in longs for a in accepted):
                    continue
            else:
                words = [a.lstrip("-").replace("-", " ") for a in accepted]
                if any(w in (opt.help or "").lower() for w in words):
                    continue
            what = f"is `{', '.join(longs)}`" if longs else f"is about {quoted(opt.help or '?')}"
            d = diag(
                "C702",
                f"`{short}` of `{node.display}` {what}; by convention `{short}` means "
                + " or ".join(f"`{a}`" for a in accepted),
                location(opt, node.command),
                subject(node, short),
            )
            if d:
                yield d
