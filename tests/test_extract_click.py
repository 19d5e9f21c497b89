"""Static click extraction: the model must agree with the real click objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kdocs.extract.cli import wants
from kdocs.extract.cli.click_static import default_command_name
from tests.clitools import by_path, differences, root, runtime_tree, static_model
from tests.conftest import MakeProject

FIXTURE = Path(__file__).parent / "fixtures" / "cli_click"


@pytest.fixture(scope="module")
def model() -> dict[str, Any]:
    return static_model(FIXTURE)


def test_main_cli_agrees_with_click(model: dict[str, Any]) -> None:
    runtime = runtime_tree(FIXTURE, "clickdemo.cli:cli", "clickdemo")
    assert differences(root(model, "clickdemo"), runtime) == []


def test_group_subclass_init_agrees_with_click(model: dict[str, Any]) -> None:
    # ToolsGroup.__init__ adds --trace and a subcommand; `tools` is an entry point.
    runtime = runtime_tree(FIXTURE, "clickdemo.tools:tools", "clickdemo-tools")
    assert differences(root(model, "clickdemo-tools"), runtime) == []


def test_command_collection_agrees_with_click(model: dict[str, Any]) -> None:
    # Not reachable from an entry point: still reported, under click's fallback name.
    collection = [c for c in model["clis"] if c["help"] == "Everything."]
    assert len(collection) == 1
    runtime = runtime_tree(FIXTURE, "clickdemo.tools:both", collection[0]["name"])
    assert differences(collection[0], runtime) == []


def test_entry_point_names_the_root(model: dict[str, Any]) -> None:
    names = sorted(c["name"] for c in model["clis"])
    assert "clickdemo" in names and "clickdemo-tools" in names
    assert "cli" not in [c["name"] for c in model["clis"] if c["help"] != "Everything."]


def test_sources_point_at_definitions(model: dict[str, Any]) -> None:
    commands = by_path(root(model, "clickdemo"))
    deploy = commands[("clickdemo", "deploy")]
    assert deploy["source"]["file"] == "src/clickdemo/commands/deploy.py"
    text = (FIXTURE / deploy["source"]["file"]).read_text().splitlines()
    assert text[deploy["source"]["line"] - 1].startswith("def deploy_cmd")
    timeout = next(o for o in deploy["options"] if o["names"] == ["--timeout"])
    assert timeout["source"]["file"] == "src/clickdemo/options.py"
    opt_line = (FIXTURE / "src/clickdemo/options.py").read_text().splitlines()
    assert '"--timeout"' in opt_line[timeout["source"]["line"] - 1]


def test_default_command_name_follows_installed_click(make_project: MakeProject) -> None:
    names = ["init_data_command", "Build_Cmd", "cmd", "run_group", "my_grp_x", "sync"]
    body = "\n".join(f"@cli.command()\ndef {n}():\n    pass\n" for n in names)
    root_dir = make_project(
        {
            "src/names/__init__.py": "",
            "src/names/cli.py": f"import click\n\n@click.group()\ndef cli():\n    pass\n\n{body}",
        }
    )
    runtime = runtime_tree(root_dir, "names.cli:cli", "cli")
    static = root(static_model(root_dir), "cli")
    assert differences(static, runtime) == []
    assert sorted(default_command_name(n) for n in names) == sorted(
        s["name"] for s in runtime["subcommands"]
    )


def test_prefilter_is_cheap_and_tight() -> None:
    assert wants("import click\n")
    assert wants("from .main import app\n@app.command()\ndef x(): ...\n")
    assert not wants("import os\nprint('hello')\n")


BAD = {
    "src/bad/__init__.py": "",
    "src/bad/cli.py": """
        import click
        from bad.plugins import load_commands
        from bad.other import helper

        @click.group()
        def cli():
            pass

        @cli.command()
        @click.option()
        @click.option(*load_commands())
        @click.option("--name", help=load_commands())
        def opts():
            pass

        @cli.command()
        def first():
            pass

        @cli.command("first")
        def second():
            pass

        @click.option("--orphan")
        def not_a_command():
            pass

        for cmd in load_commands():
            cli.add_command(cmd)

        cli.add_command(cli)
        cli.add_command(helper)
        cli.add_command()
        cli.add_command(undefined_name)

        @click.command
        def bare():
            pass

        @cli.command
        def direct():
            pass
        """,
    "src/bad/other.py": """
        from bad.cli import cli

        def helper():
            pass

        @cli.command()
        def third():
            pass
        """,
    "src/bad/plugins.py": """
        def load_commands():
            return []
        """,
}


def test_bad_input_gives_notes_not_crashes(make_project: MakeProject) -> None:
    root_dir = make_project(BAD)
    model = static_model(root_dir)
    cli = root(model, "cli")
    messages = [u["message"] for c in by_path(cli).values() for u in c["unresolved"]]
    text = "\n".join(messages)
    assert "option declares no names" in text  # click.option() with no names
    assert "registered twice" in text  # duplicate command names
    assert "contains itself" in text  # add_command(cli) on itself
    assert "add_command() without a command" in text
    assert "help is dynamic" in text
    subs = {s["name"] for s in cli["subcommands"]}
    assert {"opts", "first", "direct"} <= subs
    assert "circular import" in text  # bad.other imports cli before cli.py defines it
    # A file-less problem never stops the run; every note has a file and a line.
    for command in by_path(cli).values():
        for note in command["unresolved"]:
            assert note["file"] and note["line"] > 0


CIRCULAR = {
    "pyproject.toml": '[project]\nname = "circ"\n[project.scripts]\ncirc = "circ.a:cli"\n',
    "src/circ/__init__.py": "",
    "src/circ/a.py": """
        import click

        @click.group()
        def cli():
            "Root."

        from circ import b  # noqa: E402  (b imports cli back from this module)

        cli.add_command(b.sub)
        """,
    "src/circ/b.py": """
        import click
        from circ.a import cli

        @click.command()
        def sub():
            "Sub."

        @cli.command()
        def late():
            "Registered from the other module."
        """,
}


def test_circular_imports_between_cli_modules(make_project: MakeProject) -> None:
    root_dir = make_project(CIRCULAR)
    runtime = runtime_tree(root_dir, "circ.a:cli", "circ")
    static = root(static_model(root_dir), "circ")
    assert differences(static, runtime) == []


def test_broken_circular_import_is_a_note(make_project: MakeProject) -> None:
    # b needs `cli` before a defines it: Python itself fails; kdocs notes it and goes on.
    files = dict(CIRCULAR)
    files["src/circ/a.py"] = """
        import click
        from circ import b

        @click.group()
        def cli():
            "Root."

        cli.add_command(b.sub)
        """
    root_dir = make_project(files)
    model = static_model(root_dir)
    notes = [u["message"] for c in model["clis"] for u in c["unresolved"]]
    assert any("circular import" in n for n in notes), notes


def test_pathological_loops_stop_with_a_note(make_project: MakeProject) -> None:
    items = ", ".join(str(i) for i in range(300))  # 90,000 iterations: over the budget
    root_dir = make_project(
        {
            "src/slow/__init__.py": "",
            "src/slow/cli.py": f"""
                import click

                @click.command()
                def cli():
                    "Still reported."

                ITEMS = [{items}]
                for a in ITEMS:
                    for b in ITEMS:
                        x = click.option("--x")
                """,
        }
    )
    cli = root(static_model(root_dir), "cli")
    assert cli["help"] == "Still reported."
    assert any("evaluation stopped" in u["message"] for u in cli["unresolved"])


def test_cloup_is_treated_as_click(make_project: MakeProject) -> None:
    pytest.importorskip("cloup")
    root_dir = make_project(
        {
            "src/cl/__init__.py": "",
            "src/cl/cli.py": """
                import cloup
                from cloup import option, option_group

                @cloup.command(aliases=["mk"])
                @option_group(
                    "Output",
                    option("--json", is_flag=True, help="JSON output."),
                    option("--color/--no-color", default=True, help="Colours."),
                )
                @cloup.argument("name", help="What to make.")
                def make(name, json, color):
                    "Make NAME."

                @cloup.command()
                def clean():
                    "Remove build output."

                @cloup.group()
                def cli():
                    "A cloup CLI."

                cli.add_section(cloup.Section("Build", [make]))
                cli.section("Maintenance", clean)
                """,
        }
    )
    runtime = runtime_tree(root_dir, "cl.cli:cli", "cli")
    static = root(static_model(root_dir), "cli")
    assert differences(static, runtime) == []
    make = by_path(static)[("cli", "make")]
    assert make["aliases"] == ["mk"]


def test_command_collection_add_source_merges_into_one_root(make_project: MakeProject) -> None:
    # Several sources, one given to the constructor and one added later, from other modules:
    # one root whose commands are the union (first source wins), as click shows it.
    root_dir = make_project(
        {
            "pyproject.toml": '[project]\nname = "cc"\n[project.scripts]\ncc = "cc.cli:main"\n',
            "src/cc/__init__.py": "",
            "src/cc/a.py": (
                "import click\n\n@click.group()\ndef g1():\n    pass\n\n"
                '@g1.command()\ndef one():\n    """One."""\n\n'
                '@g1.command()\ndef same():\n    """From g1."""\n'
            ),
            "src/cc/b.py": (
                "import click\n\n@click.group()\ndef g2():\n    pass\n\n"
                '@g2.command()\ndef two():\n    """Two."""\n\n'
                '@g2.command()\ndef same():\n    """From g2."""\n'
            ),
            "src/cc/cli.py": (
                "import click\nfrom cc.a import g1\nfrom cc import b\n\n"
                'cli = click.CommandCollection(sources=[g1], help="All.")\n'
                "cli.add_source(b.g2)\n\n\ndef main():\n    cli()\n"
            ),
        }
    )
    model = static_model(root_dir)
    assert [c["name"] for c in model["clis"]] == ["cc"]
    runtime = runtime_tree(root_dir, "cc.cli:cli", "cc")
    assert differences(root(model, "cc"), runtime) == []
    assert [(s["name"], s["help"]) for s in root(model, "cc")["subcommands"]] == [
        ("one", "One."),
        ("same", "From g1."),
        ("two", "Two."),
    ]
