"""C1xx: flag and command names (kubectl ``CheckFlags``; clig.dev; GNU long options)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kdocs.config import expect_str
from kdocs.errors import ConfigError
from kdocs.models.diagnostics import Diagnostic
from kdocs.rules.cli.common import (
    NEEDS,
    all_names,
    diag,
    location,
    node_options,
    nodes,
    subject,
)
from kdocs.rules.registry import RuleContext, RuleOption, rule
from kdocs.safe_regex import compile_pattern, pattern_error

DEFAULT_FLAG_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
DEFAULT_COMMAND_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"


def expect_regex(value: Any, key: str) -> str:
    text = expect_str(value, key)
    why = pattern_error(text)  # linear-time RE2: a config pattern must not hang the run
    if why is not None:
        raise ConfigError(f"`{key}` is not a valid regular expression: {why}")
    return text


@rule(
    code="C101",
    name="long-flag-name",
    summary="Long flags are lowercase kebab-case (`--dry-run`, not `--dry_run` or `--dryRun`).",
    rationale="""
kubectl's `clicheck` (`k8s.io/kubectl/pkg/cmd/util/sanity.CheckFlags`) rejects every flag whose
long name does not match `^[a-z]+[a-z\\-]*$`: users should never have to guess whether a flag is
spelled with underscores or capitals, and shell completion and docs read better when every
command follows one style. clig.dev says the same for Unix-style flags. kdocs' default pattern
also allows digits (`--ipv6`, `--http2`); set `flag-pattern` to your own regular expression
(matched against the name without the leading dashes).
""",
    bad="""
@click.option("--dry_run", is_flag=True, help="Print what would be done.")
""",
    good="""
@click.option("--dry-run", is_flag=True, help="Print what would be done.")
""",
    options=[
        RuleOption(
            "flag-pattern",
            expect_regex,
            DEFAULT_FLAG_PATTERN,
            "Regular expression every long flag name (without `--`) must match.",
            "regex",
        )
    ],
    needs=NEEDS,
)
def check_long_flag(ctx: RuleContext) -> Iterator[Diagnostic]:
    pattern = compile_pattern(ctx.options["flag-pattern"])
    for node, opt in node_options(ctx, include_hidden=True):
        for name in all_names(opt):
            if not name.startswith("--") or len(name) <= 3:
                continue
            bare = name[2:]
            if not pattern.search(bare):
                suggestion = _kebab(bare)
                hint = f"; use `--{suggestion}`" if pattern.search(suggestion) else ""
                d = diag(
                    "C101",
                    f"long flag `{name}` of `{node.display}` is not lowercase kebab-case{hint}",
                    location(opt, node.command),
                    subject(node, name),
                )
                if d:
                    yield d


def _kebab(name: str) -> str:
    name = re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name)
    return re.sub(r"[_\s.]+", "-", name).lower().strip("-")


@rule(
    code="C102",
    name="short-flag-name",
    summary="A short flag is a single dash and one ASCII letter or digit (`-n`).",
    rationale="""
POSIX utility syntax (and getopt, which click, argparse and typer all follow) defines a short
option as one alphanumeric character after a single dash, so short flags can be bundled
(`-xvf`). A multi-character single-dash flag (`-dry`) cannot be bundled, looks like a bundle
of `-d -r -y` to anyone who knows the convention, and is not allowed by kubectl (cobra's
shorthand is exactly one letter).
""",
    bad="""
parser.add_argument("-dry", "--dry-run", action="store_true", help="Print only.")
""",
    good="""
parser.add_argument("-n", "--dry-run", action="store_true", help="Print only.")
""",
    needs=NEEDS,
)
def check_short_flag(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node, opt in node_options(ctx, include_hidden=True):
        for name in all_names(opt):
            if name.startswith("--") or not name.startswith("-"):
                continue
            ch = name[1:]
            if len(ch) == 1 and ch.isascii() and ch.isalnum():
                continue
            d = diag(
                "C102",
                f"short flag `{name}` of `{node.display}` is not one ASCII letter or digit",
                location(opt, node.command),
                subject(node, name),
            )
            if d:
                yield d


@rule(
    code="C103",
    name="single-letter-long-flag",
    summary="No long flag is a single character (`--v`); use a short flag or a word.",
    rationale="""
A long option exists to be descriptive (GNU coding standards, "Command-Line Interfaces": long
options are meant to be memorable words). `--v` is neither short nor descriptive: users type
`-v` out of habit and get an error, and the help reads as a typo. clig.dev: "Have full-length
versions of all flags".
""",
    bad="""
@click.option("--v", "verbose", is_flag=True, help="Be verbose.")
""",
    good="""
@click.option("-v", "--verbose", is_flag=True, help="Be verbose.")
""",
    needs=NEEDS,
)
def check_single_letter_long(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node, opt in node_options(ctx, include_hidden=True):
        for name in all_names(opt):
            if name.startswith("--") and len(name) == 3:
                d = diag(
                    "C103",
                    f"long flag `{name}` of `{node.display}` is a single character",
                    location(opt, node.command),
                    subject(node, name),
                )
                if d:
                    yield d


def _spelling_key(name: str) -> str:
    return re.sub(r"[-_]", "", name.lstrip("-")).lower()


@rule(
    code="C104",
    name="flag-spelled-twice",
    summary="A command does not accept one flag under two spellings (`--dry-run` and `--dry_run`).",
    rationale="""
Accepting both `--dry-run` and `--dry_run` (or `--dryrun`) doubles the surface the help and the
docs must show and keeps the wrong spelling alive in scripts forever. Pick one spelling (the
kebab-case one, see C101); if an old spelling must keep working for a while, hide it and mark
it deprecated so it does not show in help. Hidden options are not checked.
""",
    bad="""
@click.option("--dry-run", "--dry_run", "dry_run", is_flag=True, help="Print only.")
""",
    good="""
@click.option("--dry-run", "dry_run", is_flag=True, help="Print only.")
""",
    needs=NEEDS,
)
def check_spelled_twice(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node in nodes(ctx):
        seen: dict[str, str] = {}
        for opt in node.command.options:
            if opt.hidden:
                continue
            for name in all_names(opt):
                if not name.startswith("--"):
                    continue
                key = _spelling_key(name)
                first = seen.get(key)
                if first is None:
                    seen[key] = name
                elif first != name:
                    d = diag(
                        "C104",
                        f"`{node.display}` accepts `{first}` and `{name}`: one flag, two spellings",
                        location(opt, node.command),
                        subject(node, name),
                    )
                    if d:
                        yield d


@rule(
    code="C105",
    name="command-name",
    summary="Command names and aliases are lowercase kebab-case words without spaces.",
    rationale="""
Commands are typed, completed and documented: kubectl's subcommands are all lowercase words
joined with dashes (`kubectl config set-context`), as are git's, docker's and every tool in
clig.dev's examples ("Use lowercase letters, and dashes if you really need to"). A name with
an underscore or a capital letter (which typer and click produce when a function name is used
unchanged) is hard to guess. Aliases are checked the same way. The pattern is configurable.
""",
    bad="""
@cli.command(name="setContext")
def set_context() -> None:
    \"\"\"Set a context entry.\"\"\"
""",
    good="""
@cli.command(name="set-context")
def set_context() -> None:
    \"\"\"Set a context entry.\"\"\"
""",
    options=[
        RuleOption(
            "command-pattern",
            expect_regex,
            DEFAULT_COMMAND_PATTERN,
            "Regular expression every command name and alias must match.",
            "regex",
        )
    ],
    needs=NEEDS,
)
def check_command_name(ctx: RuleContext) -> Iterator[Diagnostic]:
    pattern = compile_pattern(ctx.options["command-pattern"])
    for node in nodes(ctx, include_hidden=True):
        if not node.parents:
            continue  # the root's name is the entry point / file name, not chosen in code
        cmd = node.command
        for kind, name in [("command", cmd.name), *(("alias", a) for a in cmd.aliases)]:
            if pattern.search(name):
                continue
            d = diag(
                "C105",
                f"{kind} name `{name}` of `{node.display}` is not lowercase kebab-case",
                location(cmd),
                subject(node) if kind == "command" else subject(node, f"alias {name}"),
            )
            if d:
                yield d
