"""C6xx: boolean flags: can be switched off, negative flags documented, one negation style."""

from __future__ import annotations

from collections.abc import Iterator

from kdocs.config import expect_choice
from kdocs.models.cli import Command, Option
from kdocs.models.diagnostics import Diagnostic
from kdocs.rules.cli.common import (
    NEEDS,
    Node,
    cli_nodes,
    diag,
    location,
    long_names,
    node_options,
    nodes,
    option_label,
    subject,
)
from kdocs.rules.registry import RuleContext, RuleOption, rule


def _is_boolean(opt: Option) -> bool:
    return opt.is_flag and not opt.count and not opt.multiple


def _switches_off(opt: Option) -> bool:
    """Passing the flag stores False (argparse store_false, click ``flag_value=False``)."""
    return opt.flag_value is False


def _dest(opt: Option) -> str | None:
    if opt.dest:
        return opt.dest
    longs = [n for n in opt.names if n.startswith("--")]
    return longs[0][2:].replace("-", "_") if longs else None


def _has_off_partner(cmd: Command, opt: Option) -> bool:
    dest = _dest(opt)
    for other in cmd.options:
        if other is opt or not _is_boolean(other):
            continue
        if _switches_off(other) and dest is not None and _dest(other) == dest:
            return True
        for name in long_names(opt):
            if f"--no-{name[2:]}" in long_names(other):
                return True
    return False


@rule(
    code="C601",
    name="true-flag-without-off",
    summary="A boolean flag that defaults to True can be turned off.",
    rationale="""
A flag whose default is already True and that only stores True (argparse `store_true` with
`default=True`, click `is_flag=True, default=True` with `flag_value=True`) cannot change
anything: the user has no way to say "no". clig.dev: offer a `--no-x` flag for features that
are on by default. Use `--x/--no-x` (click), `argparse.BooleanOptionalAction`, a `store_false`
partner with the same `dest`, or a typer `bool` option (which gets `--no-x` automatically).
""",
    bad="""
parser.add_argument("--color", action="store_true", default=True, help="Colour the output.")
""",
    good="""
parser.add_argument(
    "--color", action=argparse.BooleanOptionalAction, default=True, help="Colour the output."
)
""",
    needs=NEEDS,
)
def check_true_flag(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node, opt in node_options(ctx):
        if not _is_boolean(opt) or opt.default is not True or opt.hidden:
            continue
        if opt.secondary_names or _switches_off(opt) or opt.flag_value not in (None, True):
            continue
        if node.command.framework == "argparse" and opt.flag_value is None:
            continue  # store_true or store_false? Only a known ``flag_value`` tells.
        if _has_off_partner(node.command, opt):
            continue
        label = option_label(opt)
        d = diag(
            "C601",
            f"flag `{label}` of `{node.display}` defaults to True and cannot be turned off",
            location(opt, node.command),
            subject(node, label),
        )
        if d:
            yield d


def _negative_names(opt: Option) -> list[str]:
    return [n for n in opt.names if n.startswith("--no-") and len(n) > 5]


@rule(
    code="C602",
    name="negative-flag-alone",
    summary="A `--no-x` flag without a `--x` counterpart says in its help what it turns off.",
    rationale="""
`--no-cache` on its own implies that caching is on by default; that is fine, but only if the
help says so, because the positive form does not appear anywhere in `--help`. Without a
`--cache` partner and without help, users cannot tell what the default is or what the flag
disables. Pair it (`--cache/--no-cache`, `BooleanOptionalAction`) or document it.
""",
    bad="""
@click.option("--no-cache", is_flag=True)
""",
    good="""
@click.option("--no-cache", is_flag=True, help="Do not read or write the download cache.")
""",
    needs=NEEDS,
)
def check_negative_alone(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node in nodes(ctx):
        cmd = node.command
        positives = {n for o in cmd.options for n in long_names(o)}
        for opt in cmd.options:
            if opt.hidden or opt.secondary_names or (opt.help or "").strip():
                continue
            for neg in _negative_names(opt):
                if f"--{neg[5:]}" in positives:
                    continue
                d = diag(
                    "C602",
                    f"`{neg}` of `{node.display}` has no `--{neg[5:]}` counterpart and no help "
                    "saying what it turns off",
                    location(opt, cmd),
                    subject(node, neg),
                )
                if d:
                    yield d
                break


def _style(name: str, names: set[str]) -> str | None:
    """The negation style a flag name shows; an ``--enable-x`` on its own is an opt-in flag,
    not a negation (only with a ``--disable-x`` partner is it the enable/disable style)."""
    if name.startswith("--no-"):
        return "no"
    if name.startswith("--disable-"):
        return "enable-disable"
    if name.startswith("--enable-") and "--disable-" + name[len("--enable-") :] in names:
        return "enable-disable"
    return None


@rule(
    code="C603",
    severity="warning",
    name="negation-style-mixed",
    summary="One CLI negates flags one way: `--no-x` or `--enable-x/--disable-x`, not both.",
    rationale="""
Users learn a CLI's negation pattern once and then guess: if `--no-color` exists they will try
`--no-progress`, not `--disable-progress`. Mixing both styles in one CLI makes every other
flag a lookup. With `negation-style = "consistent"` (default) the style used by most flags of
the CLI wins and the others are flagged; `no` or `enable-disable` enforce one. An
`--enable-x` without a `--disable-x` is an opt-in flag, not a negation, and is not counted
(sqlite-utils' `--enable-wal` was flagged before this).
""",
    bad="""
@click.option("--no-color", is_flag=True, help="Plain output.")
@click.option("--disable-progress", is_flag=True, help="Hide the progress bar.")
""",
    good="""
@click.option("--no-color", is_flag=True, help="Plain output.")
@click.option("--no-progress", is_flag=True, help="Hide the progress bar.")
""",
    options=[
        RuleOption(
            "negation-style",
            expect_choice("consistent", "no", "enable-disable"),
            "consistent",
            "Negation style of boolean flags: `no` (`--no-x`), `enable-disable`, or "
            "`consistent` (the majority style of each CLI).",
            "choice",
        )
    ],
    needs=NEEDS,
)
def check_negation_style(ctx: RuleContext) -> Iterator[Diagnostic]:
    mode = ctx.options["negation-style"]
    for tree in cli_nodes(ctx):
        found: list[tuple[Node, Option, str, str]] = []
        for node in tree:
            here = {n for o in node.command.options for n in (*o.names, *o.secondary_names)}
            for opt in node.command.options:
                if opt.hidden or not (opt.is_flag or opt.secondary_names):
                    continue  # `--disable-formats NAME...` takes values: not a negation
                for name in (*opt.names, *opt.secondary_names):
                    style = _style(name, here)
                    if style is not None:
                        found.append((node, opt, name, style))
                        break
        styles = {s for *_, s in found}
        if mode == "consistent":
            if len(styles) < 2:
                continue
            n_no = sum(1 for *_, s in found if s == "no")
            want = "no" if n_no >= len(found) - n_no else "enable-disable"
        else:
            want = mode
        for node, opt, name, style in found:
            if style == want:
                continue
            d = diag(
                "C603",
                f"`{name}` of `{node.display}` uses the {style} negation style; this CLI uses "
                f"{'`--no-x`' if want == 'no' else '`--enable-x/--disable-x`'}",
                location(opt, node.command),
                subject(node, name),
            )
            if d:
                yield d
