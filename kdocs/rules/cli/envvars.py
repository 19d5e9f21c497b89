"""C8xx: environment variables read by options."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kdocs.config import expect_str, expect_str_list
from kdocs.models.diagnostics import Diagnostic
from kdocs.rules.cli.common import NEEDS, diag, location, node_options, option_label, subject
from kdocs.rules.registry import RuleContext, RuleOption, rule

_UPPER_SNAKE = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")


@rule(
    code="C801",
    name="envvar-name",
    summary="Environment variables read by options are UPPER_SNAKE_CASE.",
    rationale="""
POSIX reserves upper-case names for utilities' environment variables, and every shell user
expects `MYCLI_TOKEN`, not `mycli-token` (a dash is not even valid in a shell variable name,
so such a variable cannot be set with `export`).
""",
    bad="""
@click.option("--token", envvar="mycli-token", help="API token.")
""",
    good="""
@click.option("--token", envvar="MYCLI_TOKEN", help="API token.")
""",
    needs=NEEDS,
)
def check_envvar_name(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node, opt in node_options(ctx, include_hidden=True):
        for var in opt.envvar or ():
            if _UPPER_SNAKE.match(var):
                continue
            label = option_label(opt)
            d = diag(
                "C801",
                f"environment variable `{var}` of `{node.display} {label}` is not UPPER_SNAKE_CASE",
                location(opt, node.command),
                subject(node, label, var),
            )
            if d:
                yield d


@rule(
    code="C802",
    name="envvar-prefix",
    summary="Environment variables share the CLI's configured prefix (`envvar-prefix`).",
    rationale="""
A common prefix (`MYCLI_`) keeps a tool's variables from colliding with other programs' and
makes them discoverable (`env | grep MYCLI_`); clig.dev recommends naming them after the
program. Set `envvar-prefix` (for example `"MYCLI_"`) to enable the check; well-known shared
variables (`NO_COLOR`, `EDITOR`, ...) in `envvar-allow` are exempt.
""",
    bad="""
@click.option("--token", envvar="API_TOKEN", help="API token.")
""",
    good="""
@click.option("--token", envvar="MYCLI_TOKEN", help="API token.")
""",
    options=[
        RuleOption(
            "envvar-prefix",
            expect_str,
            "",
            "Prefix every option envvar must start with (empty: C802 checks nothing).",
            "string",
        ),
        RuleOption(
            "envvar-allow",
            expect_str_list,
            ("NO_COLOR", "FORCE_COLOR", "TERM", "EDITOR", "VISUAL", "PAGER", "HOME", "TMPDIR"),
            "Environment variables exempt from the prefix rule.",
            "list",
        ),
    ],
    needs=NEEDS,
)
def check_envvar_prefix(ctx: RuleContext) -> Iterator[Diagnostic]:
    prefix = ctx.options["envvar-prefix"]
    allow = set(ctx.options["envvar-allow"])
    if not prefix:
        return
    for node, opt in node_options(ctx, include_hidden=True):
        for var in opt.envvar or ():
            if var.startswith(prefix) or var in allow:
                continue
            label = option_label(opt)
            d = diag(
                "C802",
                f"environment variable `{var}` of `{node.display} {label}` does not start "
                f"with `{prefix}`",
                location(opt, node.command),
                subject(node, label, var),
            )
            if d:
                yield d
