"""False positives found by the precision benchmark (benchmarks/precision), each rebuilt as a
small real project: the finding must not come back, and its true twin must still be found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import MakeProject
from tests.helpers import run_kdocs


def _diagnostics(root: Path, *args: str) -> list[dict[str, Any]]:
    run = run_kdocs("check", str(root), "--no-cache", "--format", "json", *args)
    assert run.exit_code in (0, 1), run.stderr
    found: list[dict[str, Any]] = run.json()["diagnostics"]
    return found


PSR = '''
import click


@click.group()
@click.option("--config", default="pyproject.toml", help="Configuration file.")
def main(config):
    """Release tool without a final period"""
'''


def test_console_scripts_running_one_object_are_one_cli(make_project: MakeProject) -> None:
    # python-semantic-release declares psr, semantic-release and python-semantic-release for
    # one click group: each finding was reported three times.
    root = make_project(
        {
            "pyproject.toml": """
                [project]
                name = "python-semantic-release"
                [project.scripts]
                psr = "relapp.cli:main"
                semantic-release = "relapp.cli:main"
                python-semantic-release = "relapp.cli:main"
            """,
            "relapp/__init__.py": "",
            "relapp/cli.py": PSR,
        }
    )
    found = _diagnostics(root, "--select", "C404,C902")
    assert [(d["code"], d["line"]) for d in found] == [("C902", 5), ("C404", 6)]
    assert all("`python-semantic-release`" in d["message"] for d in found)
    data = run_kdocs("inspect", "cli", str(root), "--no-cache").json()
    (cli,) = data["clis"]
    assert cli["name"] == "python-semantic-release"
    assert cli["aliases"] == ["psr", "semantic-release"]


def test_blank_lines_before_a_click_form_feed_are_invisible(make_project: MakeProject) -> None:
    # interrogate: the docstring has a blank line before `\f`; click drops it when printing.
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "x"\n[project.scripts]\nx = "x:main"\n'
            'y = "x:other"\n',
            "x.py": '''
                import click


                @click.command()
                def main():
                    """Measure coverage.

                    \\f
                    :param ctx: internal
                    """


                @click.command(help="Trailing spaces.  ")
                def other():
                    pass
            ''',
        }
    )
    found = _diagnostics(root, "--select", "C401")
    assert [d["line"] for d in found] == [14]  # only `other`, whose help ends in spaces


def test_an_option_taking_values_is_no_negation_style(make_project: MakeProject) -> None:
    # check-jsonschema: `--disable-formats NAME...` next to `--no-cache`.
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "x"\n[project.scripts]\nx = "x:main"\n',
            "x.py": '''
                import click


                @click.command()
                @click.option("--no-cache", is_flag=True, help="Do not cache.")
                @click.option("--disable-formats", multiple=True, help="Formats to skip.")
                def main(no_cache, disable_formats):
                    """Check files."""
            ''',
        }
    )
    assert _diagnostics(root, "--select", "C603") == []
    (root / "x.py").write_text(
        (root / "x.py")
        .read_text()
        .replace('"--disable-formats", multiple=True', '"--disable-progress", is_flag=True'),
        encoding="utf-8",
    )
    assert [d["code"] for d in _diagnostics(root, "--select", "C603")] == ["C603"]


def test_layout_rules_skip_tests_docs_and_examples(make_project: MakeProject) -> None:
    # instructor: examples/ and tests/ hold loose scripts run by pytest or by hand.
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "app"\n',
            "app/__init__.py": "from app.plugins.s3 import impl\n",
            "app/plugins/s3/__init__.py": "",
            "app/plugins/s3/impl.py": "",
            "app/whitelists/argparse_whitelist.py": "",  # data vulture reads, never imported
            "tests/__init__.py": "",
            "tests/cache/test_cache.py": "import tests.cache.helpers\n",
            "tests/cache/helpers.py": "",
            "docs/__init__.py": "",
            "docs/src/snippet.py": "from docs.src import other_snippet\n",
        }
    )
    found = _diagnostics(root, "--select", "I012,I014")
    assert [(d["code"], d["file"]) for d in found] == [("I014", "app/plugins/s3/__init__.py")]


def test_opinionated_rules_are_opt_in(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "x"\n[project.scripts]\nx = "x:main"\n',
            "x.py": '''
                import click
                from pydantic import BaseModel


                class User(BaseModel):
                    email: str


                @click.command()
                @click.argument("name")
                @click.option("-v", "--version", is_flag=True, help="Show the version.")
                def main(name, version):
                    """Greet someone"""
            ''',
        }
    )
    assert _diagnostics(root, "--ignore", "D") == []
    codes = {"C203", "C404", "C702", "F103", "F104"}
    found = {d["code"] for d in _diagnostics(root, "--select", ",".join(sorted(codes)))}
    assert found == codes
