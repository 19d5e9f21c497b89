"""C rules on hand-built command models (no extraction), given to a real analysis of a real
(empty) project: each rule's positive and negative cases, positions and subjects."""

from __future__ import annotations

from typing import Any

import pytest

from kdocs.analysis import Analysis
from kdocs.models.cli import Argument, CliModel, Command, Option, SourceLocation
from kdocs.models.diagnostics import Diagnostic
from kdocs.project import discover
from kdocs.rules import registry
from kdocs.rules.registry import RuleContext

_ANALYSIS: list[Analysis] = []


@pytest.fixture(scope="module", autouse=True)
def _real_analysis(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A real analysis of a real (empty) project: the rules get the hand-built CLI model
    through ``RuleContext.models`` and everything else (project root, facts) from it."""
    root = tmp_path_factory.mktemp("cli-model-project")
    (root / "pyproject.toml").write_text("[project]\nname = 'app'\n", encoding="utf-8")
    _ANALYSIS[:] = [Analysis(discover([root]), use_cache=False)]


def loc(line: int, column: int = 1) -> SourceLocation:
    return SourceLocation("cli.py", line, column)


def run(code: str, *clis: Command, **options: Any) -> list[Diagnostic]:
    rule = registry.get(code)
    assert rule is not None and rule.check is not None
    opts = {o.name: o.default for o in rule.options}
    opts.update({k.replace("_", "-"): v for k, v in options.items()})
    ctx = RuleContext(_ANALYSIS[0], opts, models={"cli": CliModel(tuple(clis))})
    return list(rule.check(ctx))


def opt(*names: str, line: int = 5, **kw: Any) -> Option:
    kw.setdefault("help", "Some help.")
    return Option(names=names, source=loc(line, 2), **kw)


def cmd(name: str, *, path: tuple[str, ...] | None = None, line: int = 1, **kw: Any) -> Command:
    kw.setdefault("help", f"Do {name}.")
    return Command(name=name, path=path or (name,), source=loc(line), **kw)


def group(name: str, *subs: Command, **kw: Any) -> Command:
    fixed = tuple(_reroot(s, (name,)) for s in subs)
    return cmd(name, subcommands=fixed, is_group=True, **kw)


def _reroot(c: Command, prefix: tuple[str, ...]) -> Command:
    from dataclasses import replace

    path = (*prefix, c.name)
    return replace(c, path=path, subcommands=tuple(_reroot(s, path) for s in c.subcommands))


def codes(diags: list[Diagnostic]) -> list[tuple[str, int, int, str]]:
    return [(d.code, d.line, d.column, d.subject) for d in diags]


# --- C1xx ------------------------------------------------------------------------------------


def test_long_flag_name() -> None:
    c = cmd(
        "mycli",
        options=(
            opt("--dry_run", line=3),
            opt("--dryRun", line=4),
            opt("--dry-run", line=5),
            opt("--ipv6", line=6),
            opt("-n", line=7),
        ),
    )
    found = run("C101", c)
    assert codes(found) == [
        ("C101", 3, 2, "mycli --dry_run"),
        ("C101", 4, 2, "mycli --dryRun"),
    ]
    assert "use `--dry-run`" in found[0].message
    assert run("C101", c, flag_pattern=r"^[a-zA-Z0-9_-]+$") == []


def test_short_and_single_letter_flags() -> None:
    c = cmd("mycli", options=(opt("-dry", line=3), opt("-é", line=4), opt("-n", "--v", line=5)))
    assert [d.line for d in run("C102", c)] == [3, 4]
    assert codes(run("C103", c)) == [("C103", 5, 2, "mycli --v")]


def test_flag_spelled_twice() -> None:
    c = cmd(
        "mycli",
        options=(
            opt("--dry-run", "--dry_run", line=3),
            opt("--force", line=4),
            opt("--Force", line=5),
            opt("--old_name", line=6, hidden=True),
            opt("--old-name", line=7),
        ),
    )
    assert codes(run("C104", c)) == [
        ("C104", 3, 2, "mycli --dry_run"),
        ("C104", 5, 2, "mycli --Force"),
    ]


def test_command_name() -> None:
    root = group(
        "my_cli",
        cmd("set_context", line=3),
        cmd("get-context", line=5, aliases=("gc", "getCtx")),
        cmd("ok2", line=7),
    )
    assert codes(run("C105", root)) == [
        ("C105", 3, 1, "my_cli set_context"),
        ("C105", 5, 1, "my_cli get-context alias getCtx"),
    ]


# --- C2xx ------------------------------------------------------------------------------------


def test_help_present() -> None:
    root = group(
        "mycli",
        cmd("a", line=3, help=None),
        cmd("b", line=5, help=None, short_help="Do b."),
        cmd("hidden", line=7, help=None, hidden=True),
        cmd(
            "c",
            line=9,
            help="Copy SRC to DEST.",
            options=(opt("--x", line=10, help=None), opt("--y", line=11, help=None, hidden=True)),
            arguments=(
                Argument("src", source=loc(12)),
                Argument("dest", source=loc(13)),
                Argument("extra", source=loc(14)),
                Argument("named", help="A name.", source=loc(15)),
            ),
        ),
    )
    assert codes(run("C201", root)) == [("C201", 3, 1, "mycli a")]
    assert codes(run("C202", root)) == [("C202", 10, 2, "mycli c --x")]
    assert codes(run("C203", root)) == [("C203", 14, 1, "mycli c extra")]


# --- C3xx ------------------------------------------------------------------------------------


def test_short_help_capital_and_name() -> None:
    root = group(
        "mycli",
        cmd("deploy", line=3, help="deploy the build."),
        cmd("status", line=5, help="Status."),
        cmd("git", line=7, help="mycli wraps git."),
        cmd("ok", line=9, help="Works fine."),
        cmd("p", line=11, help=None, short_help="show p", framework="argparse"),
    )
    assert codes(run("C301", root)) == [
        ("C301", 3, 1, "mycli deploy short-help"),
        ("C301", 11, 1, "mycli p short-help"),
    ]
    assert codes(run("C303", root)) == [("C303", 5, 1, "mycli status short-help")]


def test_short_help_period_modes() -> None:
    root = group(
        "mycli",
        cmd("a", line=3, short_help="Do a.", help="Long."),
        cmd("b", line=5, short_help="Do b.", help="Long."),
        cmd("c", line=7, short_help="Do c", help="Long."),
        cmd("d", line=9, help="Derived from the docstring"),  # C404's business, not C302's
    )
    assert [d.line for d in run("C302", root)] == [7]
    assert [d.line for d in run("C302", root, short_help_period="never")] == [3, 5]
    assert [d.line for d in run("C302", root, short_help_period="always")] == [7]
    tie = group(
        "mycli",
        cmd("a", line=3, short_help="Do a", help="Long."),
        cmd("b", line=5, short_help="B.", help="Long."),
    )
    assert run("C302", tie) == []  # no majority, no finding
    assert [d.line for d in run("C302", tie, short_help_period="always")] == [3]


def test_short_help_truncated_uses_clicks_rule() -> None:
    import click
    import click.testing

    long = "Synchronise the local package cache with every configured remote index and mirror."
    short = "Synchronise the local cache."
    root = group("mycli", cmd("sync", line=3, help=long), cmd("x", line=5, help=short))
    found = run("C304", root)
    assert codes(found) == [("C304", 3, 1, "mycli sync short-help")]

    # Same verdict as click itself at 80 columns.
    @click.group(context_settings={"terminal_width": 80, "max_content_width": 80})
    def mycli() -> None: ...

    @mycli.command(help=long)
    def sync() -> None: ...

    @mycli.command(help=short)
    def x() -> None: ...

    out = click.testing.CliRunner().invoke(mycli, ["--help"], terminal_width=80).output
    line = next(ln for ln in out.splitlines() if ln.strip().startswith("sync"))
    assert line.endswith("...")
    assert line.split("sync", 1)[1].strip() in found[0].message
    # With short_help given, click does not cut: not flagged; typer/argparse are not checked.
    assert run("C304", group("mycli", cmd("sync", help=long, short_help="Sync."))) == []
    assert run("C304", group("mycli", cmd("sync", help=long, framework="typer"))) == []


# --- C4xx ------------------------------------------------------------------------------------


def test_long_help_normalisation() -> None:
    c = cmd(
        "mycli",
        framework="argparse",
        help="\nDeploy it.\n",
        epilog="Trailing.  \nok\n",
        options=(opt("--x", help=" Trailing.  \nok", line=4),),  # rewrapped: not checked
    )
    assert codes(run("C401", c)) == [("C401", 1, 1, "mycli help whitespace")]
    assert codes(run("C402", c)) == [("C402", 1, 1, "mycli epilog trailing-whitespace")]


def test_line_length_only_where_not_rewrapped() -> None:
    long_line = "mycli deploy " + "--flag " * 12
    click_cmd = cmd("mycli", help=f"Deploy.\n\n\b\n{long_line}\n\n{long_line}")
    assert [d.code for d in run("C403", click_cmd)] == ["C403"]
    assert "1 verbatim line(s)" in run("C403", click_cmd)[0].message
    plain = cmd("mycli", help=f"Deploy.\n\n{long_line}")
    assert run("C403", plain) == []
    assert run("C403", click_cmd, help_max_line_length=200) == []


def test_first_sentence_period() -> None:
    root = group(
        "mycli",
        cmd("a", line=3, help="Deploy the build\n\nMore text.", short_help="Deploy."),
        cmd("b", line=5, help="Deploy the build"),
        cmd("c", line=7, help="Choose one of:\n\n  x\n  y"),
        cmd("d", line=9, help="Deploy it! <https://example.org/deploy>"),
        help="The mycli tool\n\nIt deploys.",
    )
    assert [d.line for d in run("C404", root)] == [1, 3, 5]


# --- C5xx ------------------------------------------------------------------------------------


def test_examples() -> None:
    deploy = cmd(
        "deploy",
        line=3,
        options=(opt("--env", line=4), opt("--wait", line=5, is_flag=True)),
    )
    epilog = (
        "Examples:\n\n"
        "  # Deploy to staging.\n"
        "  mycli deploy --env staging --wait\n"
        "  // old style comment\n"
        "  mycli deploy --enviroment prod\n"
        "  mycli deplyo\n"
        "    mycli deploy --env x\n"
        "  $ oldcli deploy --env x\n"
        "  $ git status\n"
        "  mycli deploy <ENV> --anything\n"
    )
    root = group("mycli", deploy, epilog=epilog)
    assert [(d.code, d.line) for d in run("C501", root)] == [("C501", 1)]
    assert [d.code for d in run("C502", root)] == ["C502"]
    c503 = run("C503", root)
    assert [d.message.split(": ", 1)[1] for d in c503] == [
        "`mycli deploy` has no option `--enviroment`",
        "`mycli` has no subcommand `deplyo`",
        "starts with `oldcli`, not the program name `mycli`",
    ]
    clean = group("mycli", deploy, epilog="Examples:\n\n  mycli deploy --env=x\n  mycli --help\n")
    assert run("C501", clean) == run("C502", clean) == run("C503", clean) == []


# --- C6xx ------------------------------------------------------------------------------------


def test_booleans() -> None:
    c = cmd(
        "mycli",
        options=(
            opt("--color", line=3, is_flag=True, default=True),
            opt("--cache", line=4, is_flag=True, default=True, dest="cache"),
            opt("--no-cache", line=5, is_flag=True, default=True, flag_value=False, dest="cache"),
            opt("--x", line=6, is_flag=True, default=True, secondary_names=("--no-x",)),
            opt("--no-input", line=7, is_flag=True, help=None),
            opt("--no-docs", line=8, is_flag=True),
            opt("--disable-progress", line=9, is_flag=True),
        ),
    )
    assert codes(run("C601", c)) == [("C601", 3, 2, "mycli --color")]
    assert codes(run("C602", c)) == [("C602", 7, 2, "mycli --no-input")]
    assert codes(run("C603", c)) == [("C603", 9, 2, "mycli --disable-progress")]
    assert [d.line for d in run("C603", c, negation_style="enable-disable")] == [5, 6, 7, 8]


# --- C7xx ------------------------------------------------------------------------------------


def test_parent_option_shadowed() -> None:
    verbose = opt("-v", "--verbose", line=2, is_flag=True, help="Log more.")
    root = group(
        "mycli",
        cmd("deploy", line=3, options=(opt("-v", "--version", line=4, help="Version to use."),)),
        cmd(
            "logs",
            line=5,
            options=(opt("-v", "--verbose", line=6, is_flag=True, help="Log more."),),
        ),
        options=(verbose,),
    )
    found = run("C701", root)
    assert codes(found) == [("C701", 4, 2, "mycli deploy -v")]


def test_conventional_flags() -> None:
    c = cmd(
        "mycli",
        options=(
            opt("-f", "--file", line=3),
            opt("-f", "--force", line=4, is_flag=True),
            opt("-v", line=5, help="Be verbose."),
            opt("-v", line=6, help="Print the version."),
            opt("-x", "--xylophone", line=7),
        ),
    )
    assert [d.line for d in run("C702", c)] == [3, 6]
    assert [d.line for d in run("C702", c, conventional_flags={"-v": []})] == [3]
    assert [d.line for d in run("C702", c, conventional_flags={"-f": ["--file", "--force"]})] == [6]


# --- C8xx ------------------------------------------------------------------------------------


def test_envvars() -> None:
    c = cmd(
        "mycli",
        options=(
            opt("--token", line=3, envvar=("mycli-token",)),
            opt("--url", line=4, envvar=("API_URL",)),
            opt("--home", line=5, envvar=("MYCLI_HOME", "EDITOR")),
        ),
    )
    assert codes(run("C801", c)) == [("C801", 3, 2, "mycli --token mycli-token")]
    assert run("C802", c) == []  # no prefix configured
    assert [d.line for d in run("C802", c, envvar_prefix="MYCLI_")] == [3, 4]


# --- C9xx ------------------------------------------------------------------------------------


def test_deprecated() -> None:
    root = group(
        "mycli",
        cmd("old", line=3, deprecated=True, help="Old command."),
        cmd("older", line=5, deprecated="use `new` instead", help="Old."),
        cmd(
            "x",
            line=7,
            options=(
                opt("--json", line=8, deprecated=True, help="Print JSON."),
                opt("--yaml", line=9, help="Deprecated: use --output yaml."),
                opt("--raw", line=10, help="(deprecated) Print raw."),
            ),
        ),
    )
    assert [d.line for d in run("C901", root)] == [3, 8, 10]


def test_default_shown() -> None:
    c = cmd(
        "mycli",
        options=(
            opt("--retries", line=3, default=3, help="How often."),
            opt("--retries2", line=4, default=3, show_default=True),
            opt("--retries3", line=5, default=3, help="How often (default: 3)."),
            opt("--name", line=6, default=None),
            opt("--flag", line=7, default=False, is_flag=True),
            opt("--zero", line=8, default=0),
            opt("--level", line=9, default="info", help="Level; info if unset."),
        ),
    )
    assert [d.line for d in run("C902", c)] == [3]
    typer_cmd = cmd("mycli", framework="typer", options=(opt("--r", default=3, help="R."),))
    assert run("C902", typer_cmd) == []


def test_choices() -> None:
    c = cmd(
        "mycli",
        options=(
            opt("--format", line=3, choices=("json", "yaml"), help="One of json, yaml, text."),
            opt("--f2", line=4, choices=("json", "yaml"), help="Either json or yaml."),
            opt("--f3", line=5, choices=("json", "yaml", "toml"), help="Format {json,yaml}."),
            opt("--f4", line=6, choices=("a", "b"), metavar="X", help="Pick."),
            opt("--f5", line=7, choices=("a", "b"), metavar="X", help="Pick a or b."),
            opt("--level", line=8, help="Log level: one of debug, info, warning."),
            opt("--name", line=9, help="Your name, first or last."),
        ),
    )
    found = run("C903", c)
    assert [d.line for d in found] == [3, 5]
    assert "lists text (not a choice)" in found[0].message
    assert "omits toml" in found[1].message
    assert [d.line for d in run("C904", c)] == [6]
    assert [d.line for d in run("C905", c)] == [8]


@pytest.mark.parametrize("rule", [r for r in registry.all_rules() if r.family == "C"])
def test_rule_docs_complete(rule: registry.Rule) -> None:
    assert rule.summary and rule.rationale and rule.bad and rule.good
    assert "-" in rule.name or rule.name.isalpha()
    for option in rule.options:
        assert option.description
        raw = list(option.default) if isinstance(option.default, tuple) else option.default
        assert option.validate(raw, "x") == option.default


def test_shared_option_and_command_reported_once() -> None:
    shared = opt("--output", line=9, default="human", help="Format.")
    helper = cmd("x", line=20, help=None)  # an add_parsers() helper, seen twice
    root = group("mycli", cmd("a", line=3, options=(shared,)), cmd("b", line=5, options=(shared,)))
    root = group("mycli", *root.subcommands, helper)
    again = group("mymod", helper)
    assert codes(run("C902", root)) == [("C902", 9, 2, "mycli a --output default")]
    assert codes(run("C201", root, again)) == [("C201", 20, 1, "mycli x")]


def test_examples_with_quoted_continuation_lines() -> None:
    epilog = (
        "Example:\n\n"
        "\b\n"
        "    echo '[\n"
        '        {"id": 1}\n'
        "    ]' | mycli insert data.db -\n"
        "    mycli insert \\\n"
        "        --pk id data.db\n"
        "\n"
        "Plain prose after the examples is not part of them.\n"
        "  indented prose either\n"
    )
    root = group("mycli", cmd("insert", options=(opt("--pk"),)), help=epilog)
    assert run("C501", root) == []
    assert run("C503", root) == []


def test_first_sentence_ignores_verbatim_art_and_trailing_emoji() -> None:
    art = cmd("mycli", help="\b\n _  _\n| || |\n\nMore.")
    emoji = cmd("mycli", help="Run the [bold]app[/bold] in dev mode. 🧪\n\nMore.")
    assert run("C404", art) == run("C404", emoji) == []


def test_repeated_flag_with_reworded_help_is_not_shadowing() -> None:
    root = group(
        "mycli",
        cmd("dev", options=(opt("-v", "--verbose", line=4, is_flag=True, help="Debug logs."),)),
        options=(opt("--verbose", line=2, is_flag=True, help="Enable verbose output."),),
    )
    assert run("C701", root) == []


def test_dynamic_help_is_not_missing_help() -> None:
    from kdocs.models.cli import Unresolved

    note = Unresolved("description is computed at runtime (_DESC)", "cli.py", 1)
    assert run("C201", cmd("mycli", help=None, unresolved=(note,))) == []
    assert len(run("C201", cmd("mycli", help=None))) == 1


def test_first_sentence_period_consistent_mode() -> None:
    titles = group(
        "mycli",
        cmd("a", line=3, help="List the tables"),
        cmd("b", line=5, help="Drop a table"),
        cmd("c", line=7, help="Vacuum the database."),
        help="Work with databases",
    )
    assert [d.line for d in run("C404", titles)] == [1, 3, 5]
    assert run("C404", titles, first_sentence_period="consistent") == []
    sentences = group("mycli", cmd("a", line=3, help="List."), cmd("b", line=5, help="Drop it"))
    found = run("C404", sentences, first_sentence_period="consistent")
    assert [d.line for d in found] == [5]


def test_deprecated_words_in_other_senses() -> None:
    c = cmd(
        "mycli",
        options=(
            opt("--mode", line=3, help="Mode (5-grid, 6-deprecated-alias-for-5)."),
            opt("--rebase", line=4, help="Rebase. Deprecated, it is now the default behaviour."),
        ),
    )
    assert run("C901", c) == []
