"""``Command.usage`` against the usage block the real program prints with ``COLUMNS=80``.

Every expected value comes from running the CLI (tests/usagetools.py): the fixture CLIs,
examples/shipit and small projects written here to reach each usage form (nargs, mutually
exclusive groups, subparsers, ``usage=``, click's metavar settings, typer's arguments). The
runtime inspector must fill the same text from the live objects.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kdocs.analysis import Analysis
from kdocs.extract.cli.entrypoints import entry_points
from kdocs.extract.cli.usage import usage_block
from kdocs.extract.runtime import inspect_runtime
from kdocs.models.cli import Command
from kdocs.project import discover
from tests.conftest import MakeProject
from tests.usagetools import agreement, real_usages

REPO = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


def _roots(project: Path) -> list[Command]:
    return list(Analysis(discover([project]), use_cache=False).model("cli").clis)


def _scripts(project: Path) -> dict[str, str]:
    return dict(entry_points(discover([project])))


def _check_project(project: Path, extra_path: list[Path] | None = None) -> int:
    """Assert every command of every declared CLI has the real usage; return how many."""
    scripts = _scripts(project)
    src = project / "src" if (project / "src").is_dir() else project
    checked = 0
    for root in _roots(project):
        if root.name not in scripts:
            continue
        real = real_usages(
            scripts[root.name], root.name, root, pythonpath=[src, *(extra_path or [])]
        )
        same, total, diffs = agreement(root, real)
        assert total == len(root.walk()), real
        assert same == total, "\n".join(diffs)
        checked += total
    return checked


@pytest.mark.parametrize("fixture", ["cli_click", "cli_typer", "cli_argparse"])
def test_fixture_clis_have_the_real_usage(fixture: str) -> None:
    assert _check_project(FIXTURES / fixture) >= 1


def test_example_project_has_the_real_usage(tmp_path: Path) -> None:
    # shipit imports requests for a function no --help calls; an empty module stands in.
    (tmp_path / "requests.py").write_text("", encoding="utf-8")
    assert _check_project(REPO / "examples" / "shipit", [tmp_path]) >= 10


ARGPARSE_APP = """
import argparse

def build():
    common = argparse.ArgumentParser(add_help=False)
    style = common.add_mutually_exclusive_group()
    style.add_argument("--json", action="store_true", help="JSON output.")
    style.add_argument("--yaml", action="store_true", help="YAML output.")
    parser = argparse.ArgumentParser(description="Pack things.")
    parser.add_argument("-v", "--verbose", action="count", default=0)
    parser.add_argument("--secret", help=argparse.SUPPRESS)
    parser.add_argument("--color", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("workspace", help="Where to work.")
    subs = parser.add_subparsers(dest="command", required=True)
    pack = subs.add_parser("pack", aliases=["p"], parents=[common], help="Pack files.")
    pack.add_argument("files", nargs="+", metavar="FILE")
    pack.add_argument("--level", type=int, choices=[1, 2, 3])
    pack.add_argument("--point", nargs=2, metavar=("X", "Y"))
    pack.add_argument("--exclude", action="append", default=[])
    pack.add_argument("--output-directory-for-the-packed-archives", required=True)
    mode = pack.add_mutually_exclusive_group(required=True)
    mode.add_argument("--fast", action="store_true")
    mode.add_argument("--small", action="store_true")
    pack.add_argument("extra", nargs="?")
    run = subs.add_parser("run", usage="%(prog)s [options] -- COMMAND...")
    run.add_argument("rest", nargs=argparse.REMAINDER)
    plain = subs.add_parser("plain", prefix_chars="-+")
    plain.add_argument("+q", action="store_true")
    plain.add_argument("names", nargs="*")
    return parser

def main():
    build().parse_args()
"""


def test_argparse_usage_forms_match_argparse(make_project: MakeProject) -> None:
    project = make_project(
        {
            "pyproject.toml": '[project]\nname = "packer"\nversion = "1"\n'
            '[project.scripts]\npacker = "packer.cli:main"\n',
            "packer/__init__.py": "",
            "packer/cli.py": ARGPARSE_APP,
        }
    )
    assert _check_project(project) == 4
    [root] = _roots(project)
    pack = root.subcommands[0]
    assert pack.usage is not None and "\n" in pack.usage  # argparse wrapped it at 80 columns
    assert pack.usage.startswith("packer workspace pack ")  # positionals before subparsers


ARGPARSE_LONG = """
import argparse
from argparse import SUPPRESS, ZERO_OR_MORE

def main():
    parser = argparse.ArgumentParser(
        prog="a-program-name-long-enough-that-argparse-puts-it-on-its-own-line",
        argument_default=SUPPRESS,
    )
    parser.add_argument("--version", action="version", version="1.0")
    parser.add_argument("--define", "-D", action="extend", nargs="+", metavar="KEY=VALUE")
    tools = parser.add_argument_group("tools")
    tools.add_argument("--tool", action="append_const", const="x", dest="tools")
    subs = parser.add_subparsers(title="commands", metavar="COMMAND", dest="cmd")
    go = subs.add_parser("go", help="Go.")
    go.add_argument("level", choices=["low", "high"], nargs="?", const="low")
    go.add_argument("items", nargs=ZERO_OR_MORE, default=[])
    subs.add_parser("secret", help=SUPPRESS)
    parser.parse_args()
"""


def test_argparse_long_prog_and_more_forms_match_argparse(make_project: MakeProject) -> None:
    project = make_project(
        {
            "pyproject.toml": '[project]\nname = "lp"\nversion = "1"\n'
            '[project.scripts]\nlp = "lp.cli:main"\n',
            "lp/__init__.py": "",
            "lp/cli.py": ARGPARSE_LONG,
        }
    )
    assert _check_project(project) == 3
    [root] = _roots(project)
    assert root.usage is not None and root.usage.split("\n")[0].endswith("own-line")


CLICK_APP = '''
import click

@click.group(invoke_without_command=True)
@click.argument("env", type=click.Choice(["dev", "prod"]))
def cli(env):
    """Deploy things."""

@cli.command(options_metavar="[FLAGS]")
@click.argument("src", nargs=-1, required=True)
@click.argument("dest", required=False)
@click.option("--force", is_flag=True)
def copy(src, dest, force):
    """Copy."""

@cli.group(chain=True, subcommand_metavar="STEP [STEP]...")
def pipeline():
    """Run steps."""

@pipeline.command(name="a-really-long-step-name-that-pushes-the-usage-past-the-width")
@click.argument("first_input_file_with_a_long_name")
@click.argument("second_input_file_with_a_long_name", nargs=-1)
@click.argument("when", type=click.DateTime(), required=False)
def step(first_input_file_with_a_long_name, second_input_file_with_a_long_name, when):
    """Step."""

@cli.group(chain=True)
def batch():
    """Batch."""

@cli.command(options_metavar=None)
def bare():
    """No options metavar."""

@cli.group(hidden=True, no_args_is_help=True)
def forms():
    """One argument form per command."""

@forms.command()
@click.argument("mode", type=click.Choice(["a", "b"]), required=False)
@click.argument("pair", nargs=2, type=int)
def choice(mode, pair):
    """Choice."""

@forms.command()
@click.argument("path", type=click.Path(exists=False), metavar="<path>")
@click.argument("point", type=(int, float), required=False)
@click.argument("my-thing", envvar="THING")
def typed(path, point, my_thing):
    """Typed."""

class Custom(click.Command):
    pass

@forms.command(cls=Custom, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--x", required=True)
def custom(x):
    """Custom class."""

def main():
    cli()
'''


def test_click_usage_forms_match_click(make_project: MakeProject) -> None:
    project = make_project(
        {
            "pyproject.toml": '[project]\nname = "dep"\nversion = "1"\n'
            '[project.scripts]\ndep = "dep.cli:main"\n',
            "dep/__init__.py": "",
            "dep/cli.py": CLICK_APP,
        }
    )
    assert _check_project(project) == 10


TYPER_APP = '''
import enum
from pathlib import Path
from typing import List, Optional
import typer

app = typer.Typer()
users = typer.Typer()
app.add_typer(users, name="users")

@users.command()
def add(user_name: str, emails: Optional[List[str]] = typer.Argument(None),
        admin: bool = False):
    """Add a user."""

@users.command()
def show(source: str = typer.Argument(..., metavar="SOURCE"), limit: int = 10):
    """Show."""

@app.command()
def version():
    """Print the version."""

class Color(str, enum.Enum):
    red = "red"
    blue = "blue"

@users.command()
def paint(color: Color, names: List[str], home: Path = typer.Argument(Path("."), hidden=True),
          times: Optional[int] = typer.Argument(None)):
    """Paint."""

def main():
    app()
'''


def test_typer_usage_forms_match_typer(make_project: MakeProject) -> None:
    project = make_project(
        {
            "pyproject.toml": '[project]\nname = "ty"\nversion = "1"\n'
            '[project.scripts]\nty = "ty.cli:main"\n',
            "ty/__init__.py": "",
            "ty/cli.py": TYPER_APP,
        }
    )
    assert _check_project(project) == 6


@pytest.mark.parametrize(
    ("fixture", "spec", "name"),
    [
        ("cli_click", "clickdemo.cli:cli", "clickdemo"),
        ("cli_typer", "typerdemo.main:app", "typerdemo"),
        ("cli_argparse", "argtool.cli:main", "argtool"),
    ],
)
def test_runtime_inspector_fills_the_same_usage(
    fixture: str, spec: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = FIXTURES / fixture
    static = next(r for r in _roots(project) if r.name == name)
    src = project / "src" if (project / "src").is_dir() else project
    monkeypatch.syspath_prepend(str(src))
    monkeypatch.setenv("COLUMNS", "132")  # the inspector formats at 80 whatever the terminal
    [runtime] = inspect_runtime(spec, name=name)
    got = {c.path: c.usage for c in runtime.walk()}
    assert got == {c.path: c.usage for c in static.walk()}
    assert all(got.values())


HOSTILE_APP = """
import argparse

def main():
    parser = argparse.ArgumentParser(prog="ho%st")
    parser.add_argument("--ok")
    subs = parser.add_subparsers(dest="cmd")
    bad = subs.add_parser("bad", usage="%(nope)s [x]")
    bad.add_argument("--x")
    brackets = subs.add_parser("brackets")
    brackets.add_argument("--y", metavar="[a) (b]")
    brackets.add_argument("z", metavar=")(")
    good = subs.add_parser("good", usage="%(prog)s \\\\fB .so /etc/passwd")
    good.add_argument("--q")
    parser.parse_args()
"""


def test_hostile_argparse_usage_is_text_or_null_never_a_crash(make_project: MakeProject) -> None:
    project = make_project(
        {
            "pyproject.toml": '[project]\nname = "ho"\nversion = "1"\n'
            '[project.scripts]\nho = "ho.cli:main"\n',
            "ho/__init__.py": "",
            "ho/cli.py": HOSTILE_APP,
        }
    )
    [root] = _roots(project)
    real = real_usages("ho.cli:main", "ho", root, pythonpath=[project])
    by_name = {cmd.name: cmd for cmd in root.walk()}
    assert by_name["ho"].usage == real[()]
    assert by_name["ho"].usage is not None and by_name["ho"].usage.startswith("ho%st ")
    # argparse itself fails to format `%(nope)s`: the real --help prints no usage either.
    assert real[("bad",)] is None and by_name["bad"].usage is None
    assert by_name["good"].usage == real[("good",)]
    assert by_name["brackets"].usage == real[("brackets",)]


def test_usage_block_is_the_printed_block_byte_for_byte() -> None:
    project = FIXTURES / "cli_argparse"
    [root] = [r for r in _roots(project) if r.name == "argtool"]
    show = next(c for c in root.walk() if c.name == "show")
    assert show.usage is not None and "\n" in show.usage  # a wrapped block
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.argv[0] = 'argtool'; from argtool.cli import main; main()",
            "show",
            "-h",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80", "PYTHONPATH": str(project)},
        check=False,
    )
    printed = proc.stdout.partition("\n\n")[0]
    assert usage_block(show) == printed
