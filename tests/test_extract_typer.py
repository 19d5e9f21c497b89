"""Static typer extraction: the model must agree with the real typer app objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.clitools import by_path, differences, root, runtime_tree, static_model
from tests.conftest import MakeProject

FIXTURE = Path(__file__).parent / "fixtures" / "cli_typer"


@pytest.fixture(scope="module")
def model() -> dict[str, Any]:
    return static_model(FIXTURE)


def test_app_with_sub_apps_agrees_with_typer(model: dict[str, Any]) -> None:
    runtime = runtime_tree(FIXTURE, "typerdemo.main:app", "typerdemo")
    assert differences(root(model, "typerdemo"), runtime) == []


def test_single_command_app_is_that_command(model: dict[str, Any]) -> None:
    runtime = runtime_tree(FIXTURE, "typerdemo.single:app", "typerdemo-one")
    static = root(model, "typerdemo-one")
    assert differences(static, runtime) == []
    assert static["subcommands"] == [] and static["framework"] == "typer"


def test_typer_details(model: dict[str, Any]) -> None:
    commands = by_path(root(model, "typerdemo"))
    # A sub-app added without a name merges its commands into the parent (typer's rule).
    assert ("typerdemo", "version") in commands and ("typerdemo", "ping") in commands
    # The root gets typer's completion options; sub-apps do not.
    names = [o["names"] for o in commands[("typerdemo",)]["options"]]
    assert ["--install-completion"] in names and ["--show-completion"] in names
    assert not any(
        "--install-completion" in o["names"] for o in commands[("typerdemo", "db")]["options"]
    )
    add = commands[("typerdemo", "users", "add")]
    assert add["source"]["file"] == "src/typerdemo/users.py"
    role = next(o for o in add["options"] if o["names"] == ["--role", "-r"])
    assert role["choices"] == ["admin", "member"] and role["type"] == "choice"


def test_typer_run_and_bad_input(make_project: MakeProject) -> None:
    root_dir = make_project(
        {
            # `loop` is nobody's console script: declared with `clis` so it is a CLI.
            "pyproject.toml": '[project]\nname = "tr"\n[project.scripts]\ntr = "tr.main:main"\n'
            '[tool.kdocs]\nclis = ["tr.main:loop"]\n',
            "src/tr/__init__.py": "",
            "src/tr/main.py": """
                import typer
                from tr.plugins import discover

                loop = typer.Typer()
                loop.add_typer(loop, name="again")
                loop.add_typer(discover())


                def hello(name: str, formal: bool = False, times: int = typer.Option(1, "-n")):
                    "Say hello."


                def main():
                    typer.run(hello)
                """,
            "src/tr/plugins.py": "def discover():\n    return None\n",
            # What typer.run(hello) builds, as an object the runtime walker can read.
            "src/tr/probe.py": """
                import typer
                from tr.main import hello

                app = typer.Typer(add_completion=False)
                app.command()(hello)
                """,
        }
    )
    model = static_model(root_dir)
    runtime = runtime_tree(root_dir, "tr.probe:app", "tr")
    assert differences(root(model, "tr"), runtime) == []
    loop = [c for c in model["clis"] if c["source"]["file"] == "src/tr/main.py" and c["is_group"]]
    notes = "\n".join(u["message"] for c in loop for u in c["unresolved"])
    assert "cycle" in notes and "add_typer() of a value kdocs cannot resolve" in notes
