"""What a user sees around the edges: the default PATH, a tree outside any project, the
summary's counts, empty or unknown rule selectors."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import MakeProject
from tests.helpers import run_kdocs

BAD_CLI = """
    import click


    @click.command()
    @click.option("--bad_name", help="A flag.")
    def main(bad_name):
        \"\"\"Run it.\"\"\"
    """

PYPROJECT = """
    [project]
    name = "app"
    version = "1"
    dependencies = ["click"]
    """


def test_no_path_from_a_subfolder_checks_the_whole_project(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "app/__init__.py": "",
            "app/cli.py": BAD_CLI,
            "app/sub/__init__.py": "",
            "app/sub/other.py": BAD_CLI.replace("bad_name", "worse_name"),
        }
    )
    whole = run_kdocs("check", "--format", "json", cwd=root)
    from_sub = run_kdocs("check", "--format", "json", cwd=root / "app" / "sub")
    assert from_sub.stdout == whole.stdout
    assert {d["file"] for d in from_sub.json()["diagnostics"]} == {
        "app/cli.py",
        "app/sub/other.py",
    }
    # An explicit `.` still narrows the report to the current folder.
    here = run_kdocs("check", "--format", "json", ".", cwd=root / "app" / "sub")
    assert {d["file"] for d in here.json()["diagnostics"]} == {"app/sub/other.py"}


def test_help_and_readme_say_the_default_is_the_whole_project() -> None:
    run = run_kdocs("check", "--help")
    assert "Without PATH, the whole project around the current directory is checked" in " ".join(
        run.stdout.split()
    )
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "the whole project around the current directory" in " ".join(readme.split())


def test_outside_any_project_says_so_and_checks_the_folder(tmp_path: Path) -> None:
    tree = tmp_path / "loose"
    (tree / "tool").mkdir(parents=True)
    (tree / "tool" / "__init__.py").write_text("")
    (tree / "tool" / "cli.py").write_text(BAD_CLI.replace("\n    ", "\n").lstrip("\n"))
    (tree / "elsewhere.py").write_text("class (:\n")
    run = run_kdocs("check", "--select", "C1,E", "--format", "json", "tool", cwd=tree)
    assert run.exit_code == 1
    assert run.stderr == (
        f"kdocs: note: no pyproject.toml found; checking {(tree / 'tool').resolve()} as a"
        " bare tree\n"
    )
    assert {(d["file"], d["code"]) for d in run.json()["diagnostics"]} == {("tool/cli.py", "C101")}


def test_summary_counts_files_with_findings(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "app/__init__.py": "",
            "app/cli.py": BAD_CLI,
            "app/a.py": "x = 1\n",
            "app/b.py": "y = 2\n",
        }
    )
    run = run_kdocs("check", "--select", "C101", cwd=root)
    assert run.stdout.splitlines()[-1] == "Found 1 problem in 1 file (4 files checked)."
    data = run_kdocs("check", "--select", "C101", "--format", "json", cwd=root).json()
    assert data["summary"]["files_with_findings"] == 1
    assert data["summary"]["files_checked"] == 4


def test_empty_select_is_a_usage_error(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": PYPROJECT, "app/cli.py": BAD_CLI})
    for value in ("", " , "):
        run = run_kdocs("check", "--select", value, cwd=root)
        assert run.exit_code == 2
        assert run.stderr.startswith("kdocs: error: --select: no rule codes given")


def test_unknown_extend_select_in_config_names_the_file_and_key(
    make_project: MakeProject,
) -> None:
    root = make_project(
        {"pyproject.toml": PYPROJECT + '\n[tool.kdocs]\nextend-select = ["Q999"]\n'}
    )
    run = run_kdocs("check", cwd=root)
    assert run.exit_code == 2
    pyproject = root / "pyproject.toml"
    assert run.stderr == (
        f"kdocs: error: {pyproject}: `tool.kdocs.extend-select`: unknown rule code or prefix"
        " 'Q999'\n"
    )
    cli = run_kdocs("check", "--extend-select", "Q999", cwd=make_project({"pyproject.toml": ""}))
    assert cli.stderr == "kdocs: error: --extend-select: unknown rule code or prefix 'Q999'\n"
