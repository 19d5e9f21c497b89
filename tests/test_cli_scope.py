"""Scope: which files are test/fixture/docs/example/template code, and which CLIs count."""

from __future__ import annotations

from pathlib import Path

import pytest

from kdocs.scope import DEFAULT_TEST_PATHS, is_out_of_scope
from tests.conftest import MakeProject
from tests.helpers import run_kdocs


@pytest.mark.parametrize(
    "relpath",
    [
        "tests/test_cli.py",
        "tests/fixtures/app/cli.py",
        "src/pkg/tests/helpers.py",
        "test/cli.py",
        "conftest.py",
        "pkg/conftest.py",
        "pkg/test_cli.py",
        "pkg/cli_test.py",
        "fixtures/demo/cli.py",
        "docs/conf.py",
        "examples/app/main.py",
        "pkg/templates/base.py",
        "{{cookiecutter.project_slug}}/cli.py",
        "template/{% if x %}cli.py{% endif %}",
    ],
)
def test_test_fixture_docs_example_template_code_is_out_of_scope(relpath: str) -> None:
    assert is_out_of_scope(relpath)


@pytest.mark.parametrize(
    "relpath",
    ["pkg/cli.py", "pkg/testing/__init__.py", "testing/plugin.py", "pkg/contest.py", "main.py"],
)
def test_product_code_is_in_scope(relpath: str) -> None:
    # A runtime package named `testing` ships to users: it is not test code.
    assert not is_out_of_scope(relpath)


def test_patterns_replace_the_defaults() -> None:
    assert not is_out_of_scope("tests/test_cli.py", ["scripts/"])
    assert is_out_of_scope("scripts/gen.py", ["scripts/"])
    # Templated trees stay out whatever the patterns.
    assert is_out_of_scope("{{name}}/cli.py", [])
    assert "tests/" in DEFAULT_TEST_PATHS


# --- which CLIs a project has ------------------------------------------------------------

CLICK_GROUP = '''
import click


@click.group()
def {name}():
    """{doc}"""
'''

ARGPARSE_MAIN = """
import argparse


def main():
    parser = argparse.ArgumentParser(description="{doc}")
    parser.add_argument("--dry-run", action="store_true", help="Do nothing.")
    parser.parse_args()
"""


def _roots(root: Path) -> list[tuple[str, str]]:
    data = run_kdocs("inspect", "cli", str(root), "--format", "json", "--no-cache").json()
    return sorted((c["name"], c["source"]["file"]) for c in data["clis"])


def test_declared_scripts_are_the_clis(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "pkg"\n[project.scripts]\ntool = "pkg.cli:cli"\n',
            "pkg/__init__.py": "",
            "pkg/cli.py": CLICK_GROUP.format(name="cli", doc="The tool."),
            # A helper group nobody declares, and a parser built by a test.
            "pkg/devtools.py": CLICK_GROUP.format(name="dev", doc="Dev helpers."),
            "tests/test_cli.py": ARGPARSE_MAIN.format(doc="A test parser."),
        }
    )
    assert _roots(root) == [("tool", "pkg/cli.py")]


def test_main_modules_and_configured_clis_are_declared_too(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": """
                [project]
                name = "pkg"
                [project.scripts]
                tool = "pkg.cli:cli"
                [tool.kdocs]
                clis = ["pkg.admin:admin"]
                """,
            "pkg/__init__.py": "",
            "pkg/cli.py": CLICK_GROUP.format(name="cli", doc="The tool."),
            "pkg/admin.py": CLICK_GROUP.format(name="admin", doc="Admin tool."),
            "pkg/devtools.py": CLICK_GROUP.format(name="dev", doc="Dev helpers."),
            "pkg/runner/__init__.py": "",
            "pkg/runner/__main__.py": "from pkg.runner.app import main\n\nmain()\n",
            "pkg/runner/app.py": ARGPARSE_MAIN.format(doc="Run things."),
            # Vendored code's `python -m` entry points are not the project's (pur vendors pip).
            "pkg/_vendor/certifi/__init__.py": "",
            "pkg/_vendor/certifi/__main__.py": ARGPARSE_MAIN.format(doc="Vendored.") + "main()\n",
        }
    )
    assert _roots(root) == [
        ("admin", "pkg/admin.py"),
        ("pkg.runner.app", "pkg/runner/app.py"),
        ("tool", "pkg/cli.py"),
    ]


def test_other_entry_point_groups_declare_plugin_commands(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": """
                [project]
                name = "pkg"
                [project.scripts]
                tool = "pkg.cli:cli"
                [project.entry-points."flask.commands"]
                seed = "pkg.plugin:seed"
                """,
            "pkg/__init__.py": "",
            "pkg/cli.py": CLICK_GROUP.format(name="cli", doc="The tool."),
            "pkg/plugin.py": CLICK_GROUP.format(name="seed", doc="Seed the database."),
        }
    )
    assert _roots(root) == [("seed", "pkg/plugin.py"), ("tool", "pkg/cli.py")]


def test_bare_package_keeps_every_cli_outside_test_code(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pkg/__init__.py": "",
            "pkg/cli.py": CLICK_GROUP.format(name="cli", doc="The tool."),
            "pkg/devtools.py": CLICK_GROUP.format(name="dev", doc="Dev helpers."),
            "pkg/testing/cli.py": CLICK_GROUP.format(name="plugin", doc="Shipped helper."),
            "tests/test_cli.py": ARGPARSE_MAIN.format(doc="A test parser."),
            "tests/fixtures/demo/cli.py": CLICK_GROUP.format(name="demo", doc="Fixture."),
            "docs/examples/app.py": CLICK_GROUP.format(name="example", doc="Example."),
            "{{cookiecutter.slug}}/cli.py": CLICK_GROUP.format(name="tpl", doc="Template."),
        }
    )
    assert _roots(root) == [
        ("cli", "pkg/cli.py"),
        ("dev", "pkg/devtools.py"),
        ("plugin", "pkg/testing/cli.py"),
    ]


def test_test_paths_setting_replaces_the_defaults(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "pkg"\n[tool.kdocs]\ntest-paths = ["tools/"]\n',
            "pkg/__init__.py": "",
            "tools/dev.py": CLICK_GROUP.format(name="dev", doc="Dev helpers."),
            "examples/app.py": CLICK_GROUP.format(name="example", doc="Example."),
        }
    )
    assert _roots(root) == [("example", "examples/app.py")]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('clis = "pkg.cli:main"', "`tool.kdocs.clis` must be a list of strings"),
        ('clis = ["pkg.cli"]', "`tool.kdocs.clis[0]` must look like `package.module:object`"),
        ('clis = ["pkg.cli:main", "a b:c"]', "`tool.kdocs.clis[1]` must look like"),
        ("test-paths = [1]", "`tool.kdocs.test-paths[0]` must be a string"),
    ],
)
def test_bad_scope_settings_name_the_key(
    make_project: MakeProject, value: str, message: str
) -> None:
    root = make_project(
        {"pyproject.toml": f'[project]\nname = "pkg"\n[tool.kdocs]\n{value}\n', "pkg/a.py": ""}
    )
    result = run_kdocs("check", str(root), "--no-cache")
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


# --- C001: a declared console script kdocs cannot resolve ----------------------------------


def test_unresolved_console_scripts_are_findings_with_the_reason(
    make_project: MakeProject,
) -> None:
    root = make_project(
        {
            "pyproject.toml": """
                [project]
                name = "pkg"
                [project.scripts]
                good = "pkg.cli:cli"
                typo = "pkg.cli:clii"
                gone = "pkg.removed:main"
                plain = "pkg.plain:main"
                """,
            "pkg/__init__.py": "",
            "pkg/cli.py": CLICK_GROUP.format(name="cli", doc="The tool."),
            "pkg/devtools.py": CLICK_GROUP.format(name="dev", doc="Dev helpers."),
            "pkg/plain.py": "import sys\n\n\ndef main():\n    print(sys.argv)\n",
        }
    )
    result = run_kdocs("check", str(root), "--no-cache", "--select", "C001", "--format", "json")
    assert result.exit_code == 1
    found = {(d["line"], d["message"]) for d in result.json()["diagnostics"]}
    assert found == {
        (
            5,
            "console script `typo` = `pkg.cli:clii`: `clii` cannot be resolved in `pkg.cli` "
            "(pkg.cli has no top-level name 'clii' kdocs can see)",
        ),
        (
            6,
            "console script `gone` = `pkg.removed:main`: module `pkg.removed` is not among "
            "the project's Python files",
        ),
    }
    # `plain` exists but parses sys.argv by hand: kdocs' limit, listed by inspect, no finding.
    data = run_kdocs("inspect", "cli", str(root), "--no-cache").json()
    plain = [e for e in data["unresolved_entry_points"] if e["name"] == "plain"]
    assert plain and plain[0]["missing"] is False
    assert "runs no click, typer or argparse command kdocs can follow" in plain[0]["reason"]
    # While a script is unresolved, undeclared CLIs stay visible.
    assert _roots(root) == [("dev", "pkg/devtools.py"), ("good", "pkg/cli.py")]
    text = run_kdocs("inspect", "cli", str(root), "--no-cache", "--format", "text").stdout
    assert "! console script `typo` = pkg.cli:clii not resolved" in text


def test_scripts_of_a_project_without_any_cli_framework_are_not_reported(
    make_project: MakeProject,
) -> None:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "pkg"\n[project.scripts]\np = "pkg.plain:main"\n',
            "pkg/__init__.py": "",
            "pkg/plain.py": "import sys\n\n\ndef main():\n    print(sys.argv)\n",
        }
    )
    result = run_kdocs("check", str(root), "--no-cache", "--select", "C001")
    assert result.exit_code == 0, result.stdout


def test_argparse_scripts_resolve(make_project: MakeProject) -> None:
    root = make_project(
        {
            "setup.cfg": "[options.entry_points]\nconsole_scripts =\n    run = pkg.app:main\n",
            "pkg/__init__.py": "",
            "pkg/app.py": ARGPARSE_MAIN.format(doc="Run things."),
        }
    )
    result = run_kdocs("check", str(root), "--no-cache", "--select", "C001")
    assert result.exit_code == 0, result.stdout
    assert _roots(root) == [("run", "pkg/app.py")]


def test_script_reaching_its_parser_through_a_module_without_argparse(
    make_project: MakeProject,
) -> None:
    # mdformat: `mdformat = "pkg.__main__:run"`, whose run() calls pkg._cli.run().
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "pkg"\n[project.scripts]\nfmt = "pkg.__main__:run"\n',
            "pkg/__init__.py": "",
            "pkg/__main__.py": "import sys\nimport pkg._cli\n\n\ndef run():\n"
            "    sys.exit(pkg._cli.main())\n",
            "pkg/_cli.py": ARGPARSE_MAIN.format(doc="Format things."),
            # A test builds a parser with the same prog: still not the CLI.
            "tests/test_help.py": "import argparse\n\n\ndef test_help():\n"
            '    parser = argparse.ArgumentParser(prog="fmt", description="Example.")\n'
            '    parser.add_argument("--x", help="X.")\n',
        }
    )
    result = run_kdocs("check", str(root), "--no-cache", "--select", "C001")
    assert result.exit_code == 0, result.stdout
    assert _roots(root) == [("fmt", "pkg/_cli.py")]


def test_script_naming_a_package_init_module_resolves(make_project: MakeProject) -> None:
    # pur: console_scripts = ["pur = pur.__init__:pur"] imports the package itself.
    root = make_project(
        {
            "setup.py": "from setuptools import setup\n\nsetup(entry_points={'console_scripts':"
            " ['tool = pkg.__init__:cli']})\n",
            "pkg/__init__.py": CLICK_GROUP.format(name="cli", doc="The tool."),
            "pkg/devtools.py": CLICK_GROUP.format(name="dev", doc="Dev helpers."),
        }
    )
    result = run_kdocs("check", str(root), "--no-cache", "--select", "C001")
    assert result.exit_code == 0, result.stdout
    assert _roots(root) == [("tool", "pkg/__init__.py")]


def test_hostile_scripts_and_main_modules(make_project: MakeProject) -> None:
    # Unparsable __main__ and script modules, an odd script name, a plugin group target.
    root = make_project(
        {
            "pyproject.toml": """
                [project]
                name = "pkg"
                [project.scripts]
                t = "pkg.cli:main"
                "we ird" = "pkg.broken:x"
                [project.entry-points.x]
                y = "pkg.__main__:zz"
                """,
            "pkg/__init__.py": "",
            "pkg/__main__.py": "def (:\n",
            "pkg/broken.py": "import argparse\ndef (\n",
            "pkg/cli.py": ARGPARSE_MAIN.format(doc="Tool."),
        }
    )
    result = run_kdocs("check", ".", "--no-cache", "--format", "json", cwd=root)
    assert "Traceback" not in result.stderr
    # The syntax errors are E003 findings; no C001 on top for the unreadable module.
    assert sorted((d["code"], d["file"]) for d in result.json()["diagnostics"]) == [
        ("E003", "pkg/__main__.py"),
        ("E003", "pkg/broken.py"),
    ]
    assert _roots(root) == [("t", "pkg/cli.py")]
