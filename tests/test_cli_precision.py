"""Help text read as prose: dynamic help is unknown (not missing), lists with and without
the Oxford comma, argument names read as words, one finding per item."""

from __future__ import annotations

import json
from pathlib import Path

from kdocs.rules.cli.helptext import _phrase
from kdocs.rules.cli.misc import drift, enumerations
from tests.conftest import MakeProject
from tests.helpers import run_kdocs


def _findings(root: Path, select: str) -> list[tuple[str, int, str]]:
    result = run_kdocs("check", ".", "--no-cache", "--select", select, "--format", "json", cwd=root)
    return sorted((d["file"], d["line"], d["code"]) for d in result.json()["diagnostics"])


DYNAMIC_CLICK = '''
import click
from helpers import NAMES, get_help, make_doc


@click.group(help=make_doc("group"))
def cli():
    pass


@cli.command(help="Run {}.".format(NAMES))
@click.option("--alpha", help=get_help("a"))
@click.option("--beta", help="One of {}".format(NAMES))
@click.option("--gamma", help=f"One of {NAMES}")
@click.option("--delta", help="One of " + NAMES)
@click.option("--epsilon", help="One of %s" % NAMES)
@click.option("--missing")
@click.argument("thing")
def run(alpha, beta, gamma, delta, epsilon, missing, thing):
    pass


@cli.command()
@click.argument("thing")
def other(thing):
    pass


other.help = get_help("other")


@cli.command()
@click.argument("thing")
def bare(thing):
    """Do it."""
'''

DYNAMIC_ARGPARSE = """
import argparse
from helpers import NAMES, get_help


def main():
    parser = argparse.ArgumentParser(description="Tool.")
    parser.add_argument("--alpha", help=get_help("a"))
    parser.add_argument("--beta", help="One of {}".format(NAMES))
    parser.add_argument("--gamma", help=f"One of {NAMES}")
    parser.add_argument("--missing")
    parser.add_argument("src", help="Source %s" % NAMES)
    parser.add_argument("dest")
    sub = parser.add_subparsers()
    go = sub.add_parser("go", help="Go.", description=get_help("go"))
    go.add_argument("where")
    parser.parse_args()
"""


def test_dynamic_help_is_unknown_not_missing(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": """
                [project]
                name = "pkg"
                [project.scripts]
                dyn = "pkg.cli:cli"
                ap = "pkg.ap:main"
                """,
            "pkg/__init__.py": "",
            "pkg/cli.py": DYNAMIC_CLICK,
            "pkg/ap.py": DYNAMIC_ARGPARSE,
        }
    )
    # Only the options/arguments that really have no help, and no command with dynamic help.
    assert _findings(root, "C201,C202,C203") == [
        ("pkg/ap.py", 10, "C202"),  # --missing
        ("pkg/ap.py", 12, "C203"),  # dest
        ("pkg/cli.py", 16, "C202"),  # --missing
        ("pkg/cli.py", 32, "C203"),  # bare's thing
    ]


def test_lists_with_and_without_the_oxford_comma() -> None:
    choices = ("hub", "git", "local")
    for text in (
        "Where to read from: one of hub, git, or local.",
        "Where to read from: one of hub, git or local.",
        "hub, git, and local",
    ):
        assert enumerations(text) == [["hub", "git", "local"]], text
        assert drift(choices, text) is None, text
    assert drift(choices, "One of hub, git, or svn.") == ({"svn"}, {"local"})


def test_oxford_comma_end_to_end(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "pkg"\n[project.scripts]\nt = "pkg.cli:cli"\n',
            "pkg/__init__.py": "",
            "pkg/cli.py": '''
                import click


                @click.command()
                @click.option(
                    "--source",
                    type=click.Choice(["hub", "git", "local"]),
                    help="Where to read from: one of hub, git, or local.",
                )
                @click.option(
                    "--mode",
                    type=click.Choice(["fast", "safe"]),
                    help="One of fast, safe, or slow.",
                )
                def cli(source, mode):
                    """Read things."""
                ''',
        }
    )
    assert _findings(root, "C903") == [("pkg/cli.py", 10, "C903")]


def test_argument_names_read_as_words() -> None:
    pattern = _phrase("src_files")
    for text in ("Copy the source files.", "SRC_FILES are read.", "the src files", "a src-file"):
        assert pattern.search(text), text
    for text in ("the sources", "resources files", "srcfiles"):
        assert not pattern.search(text), text
    assert _phrase("config_dir").search("Read the configuration directory.")
    assert _phrase("dst").search("Write to the destination.")


def test_argument_documented_by_expanded_words(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "pkg"\n[project.scripts]\nt = "pkg.cli:cli"\n',
            "pkg/__init__.py": "",
            "pkg/cli.py": '''
                import click


                @click.group()
                def cli():
                    """Tool."""


                @cli.command()
                @click.argument("src_files", nargs=-1)
                @click.argument("dst_dir")
                def copy(src_files, dst_dir):
                    """Copy the source files into the destination directory."""


                @cli.command()
                @click.argument("src_files", nargs=-1)
                def lint(src_files):
                    """Lint everything."""
                ''',
        }
    )
    assert _findings(root, "C203") == [("pkg/cli.py", 17, "C203")]  # lint


def test_an_argument_shared_by_commands_is_reported_once(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "pkg"\n[project.scripts]\nt = "pkg.cli:main"\n',
            "pkg/__init__.py": "",
            "pkg/cli.py": """
                import argparse


                def main():
                    parser = argparse.ArgumentParser(description="Tool.")
                    shared = argparse.ArgumentParser(add_help=False)
                    shared.add_argument("target")
                    sub = parser.add_subparsers()
                    for name in ("build", "test", "lint", "ship"):
                        sub.add_parser(name, parents=[shared], help=f"{name}.")
                    parser.parse_args()
                """,
        }
    )
    assert _findings(root, "C203") == [("pkg/cli.py", 7, "C203")]


def test_options_made_through_a_wrapper_sit_at_the_call_site(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "pkg"\n[project.scripts]\nt = "pkg.cli:cli"\n',
            "pkg/__init__.py": "",
            "pkg/opts.py": """
                import click


                def make_option(*args, **kwargs):
                    kwargs.setdefault("show_default", True)
                    return click.option(*args, **kwargs)


                def flag(name, **kwargs):
                    return make_option(name, is_flag=True, **kwargs)
                """,
            "pkg/cli.py": '''
                import click
                from pkg.opts import flag, make_option


                @click.command()
                @make_option("--foo")
                @make_option("--bar", help="Bar.")
                @flag("--baz")  # kdocs: ignore[C202]
                @make_option("--qux", help=undefined_helper("qux"))
                def cli(foo, bar, baz, qux):
                    """Tool."""
                ''',
        }
    )
    result = run_kdocs("check", ".", "--no-cache", "--select", "C202", "--format", "json", cwd=root)
    # --foo at its own decorator (not at the wrapper's return line, where one suppression
    # would silence every option), --baz suppressed on its line, --qux's help is dynamic.
    [found] = result.json()["diagnostics"]
    assert (found["file"], found["line"], found["column"]) == ("pkg/cli.py", 6, 2)
    assert found["related"] == [{"file": "pkg/opts.py", "line": 6}]
    sarif = run_kdocs("check", ".", "--no-cache", "--select", "C202", "--format", "sarif", cwd=root)
    [item] = sarif.json()["runs"][0]["results"]
    related = item["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "pkg/opts.py"
    assert related["region"]["startLine"] == 6


def test_warm_and_cold_checks_do_not_import_libcst(tmp_path: Path) -> None:
    """The help rules' fixes and argparse's formatter_class come from the literal table cached
    with each file's facts: no libcst import, no re-parse, unless `--fix` needs a file
    without a table."""
    import shutil
    import subprocess
    import sys

    fixture = Path(__file__).parent / "fixtures" / "cli_rules"
    root = tmp_path / "proj"
    shutil.copytree(fixture / "fixable", root)

    def check(*flags: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *flags, "-m", "kdocs", "check", ".", "--format", "json"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )

    cold = check("-X", "importtime")
    assert cold.returncode == 1, cold.stderr
    warm = check("-X", "importtime")
    assert warm.returncode == 1, warm.stderr
    data = json.loads(warm.stdout)
    assert data["summary"]["fixable"] >= 5  # fixes were still computed, from the table
    assert data == json.loads(cold.stdout)
    for run in (cold, warm):
        imported = [line for line in run.stderr.splitlines() if "import time:" in line]
        assert imported and not [line for line in imported if "libcst" in line]


def test_project_decorators_keep_the_commands_docstring(make_project: MakeProject) -> None:
    # `@deco.manifest` usable bare or called; its wrapper copies __doc__/__name__ by hand.
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "pkg"\n[project.scripts]\nt = "pkg.cli:cli"\n',
            "pkg/__init__.py": "",
            "pkg/deco.py": """
                def outer(func, write=True):
                    def wrapper(*args, **kwargs):
                        return func(*args, **kwargs)

                    wrapper.__doc__ = func.__doc__
                    wrapper.__name__ = func.__name__
                    return wrapper


                def manifest(*args, write=True):
                    if args:
                        return outer(args[0])

                    def decorate(func):
                        return outer(func, write)

                    return decorate
                """,
            "pkg/cli.py": '''
                import click
                from pkg import deco


                @click.group()
                def cli():
                    """Tool."""


                @cli.command()
                @deco.manifest
                def build():
                    """Build it."""


                @cli.command()
                @deco.manifest(write=False)
                def check():
                    """Check it."""
                ''',
        }
    )
    data = run_kdocs("inspect", "cli", ".", "--no-cache", "--format", "json", cwd=root).json()
    subs = data["clis"][0]["subcommands"]
    assert [(s["name"], s["help"], s["source"]["file"]) for s in subs] == [
        ("build", "Build it.", "pkg/cli.py"),
        ("check", "Check it.", "pkg/cli.py"),
    ]
    assert _findings(root, "C201") == []
