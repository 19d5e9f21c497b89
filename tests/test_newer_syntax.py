"""Files written for a newer Python than the one running kdocs (issue 9, item 6).

PEP 701 f-strings (nested quotes of the same kind) and PEP 695 type parameters are valid on
Python 3.12 but rejected by Python 3.11's parser. kdocs reads them with libcst's parser and
extracts models from them as from any file; only a file no Python accepts is E003.
"""

from __future__ import annotations

import sys

import pytest

from tests.conftest import MakeProject
from tests.helpers import run_kdocs

PYPROJECT = """
[project]
name = "app"
version = "1"
requires-python = ">=3.12"
dependencies = ["click", "pydantic"]
[project.scripts]
app = "app.cli:main"
"""

CLI = '''
import click

from app.models import Box

NAMES = ["json", "yaml"]
type Format = str


@click.group()
def main() -> None:
    """Manage boxes."""


@main.command()
@click.option("--format", "fmt", help=f"Output format: {", ".join(NAMES)}.")
@click.option("--count", type=int, help="How many boxes to list.")
def show[T](fmt: str, count: int) -> None:
    """Show the boxes."""
    click.echo(f"{fmt!r:>{10}} {f"{count}"}")
'''

MODELS = '''
from pydantic import BaseModel


class Box[T](BaseModel):
    """A box of things."""

    label: str
    """What the box is called."""
    items: list[T] = []
    """What is inside."""
'''


@pytest.fixture
def project(make_project: MakeProject):  # type: ignore[no-untyped-def]
    return make_project(
        {
            "pyproject.toml": PYPROJECT,
            "app/__init__.py": "",
            "app/cli.py": CLI,
            "app/models.py": MODELS,
        }
    )


def test_newer_syntax_is_not_a_syntax_error(project) -> None:  # type: ignore[no-untyped-def]
    run = run_kdocs("check", ".", "--select", "E", "--format", "json", "--no-cache", cwd=project)
    assert run.exit_code == 0, run.stdout + run.stderr
    assert run.json()["diagnostics"] == []


def test_extractors_read_newer_syntax(project) -> None:  # type: ignore[no-untyped-def]
    run = run_kdocs("inspect", "cli", ".", "--format", "json", cwd=project)
    assert run.exit_code == 0, run.stderr
    (root,) = run.json()["clis"]
    (show,) = root["subcommands"]
    assert show["name"] == "show" and show["help"] == "Show the boxes."
    options = {o["names"][0]: o for o in show["options"]}
    assert options["--count"]["help"] == "How many boxes to list."
    # An f-string's value is only known at run time: dynamic, never an empty help.
    assert options["--format"]["help"] != ""
    types = run_kdocs("inspect", "types", ".", "--format", "json", cwd=project).json()["types"]
    (box,) = types
    assert box["name"] == "Box" and [f["name"] for f in box["fields"]] == ["label", "items"]
    assert box["fields"][0]["doc"] == "What the box is called."
    imports = run_kdocs("inspect", "imports", ".", "--format", "json", cwd=project).json()
    assert ("app.cli", "app.models") in {(i["importer"], i["imported"]) for i in imports["imports"]}


def test_real_syntax_errors_are_still_reported(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "app/__init__.py": "",
            "app/bad.py": 'x = 1\ndef deploy(:\n    return f"{x}"\n',
        }
    )
    run = run_kdocs("check", ".", "--select", "E", "--format", "json", "--no-cache", cwd=root)
    got = [(d["code"], d["file"], d["line"]) for d in run.json()["diagnostics"]]
    assert got == [("E003", "app/bad.py", 2)]


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the running parser reads it itself")
def test_line_numbers_survive_the_rewrite() -> None:
    from kdocs.newer_syntax import downgrade

    text = 'a = f"""{\n"x"}\n"""\ntype T[\n  X] = list[X]\nb = f"{"y"}"\n'
    lowered = downgrade(text)
    assert lowered is not None and lowered.count("\n") == text.count("\n")
    import ast

    tree = ast.parse(lowered)
    assert [(type(n).__name__, n.lineno) for n in tree.body] == [
        ("Assign", 1),
        ("Assign", 4),
        ("Assign", 6),
    ]
