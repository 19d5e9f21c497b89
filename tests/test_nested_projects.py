"""A folder with its own pyproject.toml inside a project is a separate project: the outer walk
skips it, and when named it is analysed with its own config; the merged report does not
depend on the order of the PATHs."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tests.conftest import MakeProject
from tests.helpers import run_kdocs

BAD_CLI = """
    import click


    @click.command()
    @click.option("--bad_name", help="A flag.")
    def main(bad_name):
        \"\"\"Run it.\"\"\"
    """


@pytest.fixture
def nested(make_project: MakeProject) -> Path:
    return make_project(
        {
            "pyproject.toml": """
                [project]
                name = "outer"
                version = "1"
                dependencies = ["click"]
                """,
            "outerpkg/__init__.py": "",
            "outerpkg/cli.py": BAD_CLI,
            # The inner project ignores C101: its own config must apply to its files.
            "tests/demo_pkg/pyproject.toml": """
                [project]
                name = "demo"
                version = "1"
                dependencies = ["click"]

                [tool.kdocs]
                ignore = ["C101"]
                extend-select = ["C9"]
                """,
            "tests/demo_pkg/pkg/__init__.py": "",
            "tests/demo_pkg/pkg/cli.py": BAD_CLI.replace("bad_name", "other_name"),
        }
    )


def _found(stdout: str) -> set[tuple[str, str]]:
    import json

    return {(d["file"], d["code"]) for d in json.loads(stdout)["diagnostics"]}


def test_outer_walk_skips_the_nested_project(nested: Path) -> None:
    run = run_kdocs("check", "--format", "json", cwd=nested)
    files = {f for f, _ in _found(run.stdout)}
    assert "outerpkg/cli.py" in files
    assert not [f for f in files if f.startswith("tests/")]
    assert run.json()["summary"]["files_checked"] == 2


def test_argument_order_does_not_matter(nested: Path) -> None:
    orders = list(itertools.permutations(["tests/demo_pkg/pkg", "outerpkg"]))
    runs = [run_kdocs("check", "--format", "json", *order, cwd=nested) for order in orders]
    assert [r.exit_code for r in runs] == [1, 1], [r.stderr for r in runs]
    assert runs[0].stdout == runs[1].stdout
    found = _found(runs[0].stdout)
    # Outer file: C101 under the outer config. Inner file: C101 ignored by its own config,
    # and its path is relative to the folder holding both projects.
    assert ("outerpkg/cli.py", "C101") in found
    assert not [f for f, c in found if c == "C101" and f.startswith("tests/")]
    assert run_kdocs("check", "--format", "json", "tests/demo_pkg", cwd=nested).exit_code == 0


def test_a_nested_file_uses_its_own_config_whatever_else_is_named(nested: Path) -> None:
    alone = run_kdocs("check", "--format", "json", "tests/demo_pkg/pkg/cli.py", cwd=nested)
    assert alone.exit_code == 0, alone.stdout
    with_outer = run_kdocs(
        "check", "--format", "json", ".", "tests/demo_pkg/pkg/cli.py", cwd=nested
    )
    found = _found(with_outer.stdout)
    assert ("outerpkg/cli.py", "C101") in found
    assert not [f for f, _ in found if f.startswith("tests/")]


def test_nested_findings_are_prefixed_with_the_project_folder(nested: Path) -> None:
    (nested / "tests/demo_pkg/pkg/cli.py").write_text(
        "import click\n\n\n@click.command()\ndef main():\n    pass\n"
    )
    run = run_kdocs("check", "--format", "json", "tests/demo_pkg", "outerpkg", cwd=nested)
    found = _found(run.stdout)
    assert ("tests/demo_pkg/pkg/cli.py", "C201") in found
    assert ("outerpkg/cli.py", "C101") in found
    from_elsewhere = run_kdocs(
        "check",
        "--format",
        "json",
        str(nested / "outerpkg"),
        str(nested / "tests/demo_pkg"),
        cwd=nested.parent,
    )
    assert from_elsewhere.stdout == run.stdout


def test_inspect_refuses_paths_from_two_projects(nested: Path) -> None:
    run = run_kdocs("inspect", "cli", "outerpkg", "tests/demo_pkg", cwd=nested)
    assert run.exit_code == 2
    assert "belong to 2 different projects" in run.stderr
    assert "Traceback" not in run.stderr
