"""Static argparse extraction: real fixture projects in, command trees and unresolved notes out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kdocs.analysis import Analysis
from kdocs.extract import SourceFile
from kdocs.extract.cli import argparse_static
from kdocs.models.cli import Command
from kdocs.project import discover
from tests.conftest import MakeProject

FIXTURE = Path(__file__).parent / "fixtures" / "cli_argparse"


def static_clis(root: Path, entry_points: dict[str, str] | None = None) -> list[Command]:
    """Run extract on every file (through a JSON round trip, like the cache) and link."""
    project = discover([root])
    facts = {}
    for entry in project.files:
        text = entry.path.read_text(encoding="utf-8")
        src = SourceFile(entry.relpath, entry.module, text, entry.path.name == "__init__.py")
        found = argparse_static.extract(src)
        if found is not None:
            facts[entry.relpath] = json.loads(json.dumps(found))
    if entry_points is None:
        entry_points = dict(project.pyproject.get("project", {}).get("scripts", {}))
    return argparse_static.link(project, facts, entry_points)


def by_path(roots: list[Command]) -> dict[tuple[str, ...], Command]:
    return {cmd.path: cmd for root in roots for cmd in root.walk()}


def option(cmd: Command, name: str):  # type: ignore[no-untyped-def]
    found = [o for o in cmd.options if name in o.names]
    assert found, f"{name} not in {[o.names for o in cmd.options]}"
    return found[0]


@pytest.fixture(scope="module")
def argtool() -> dict[tuple[str, ...], Command]:
    return by_path(static_clis(FIXTURE))


def test_root_is_named_after_the_entry_point_and_keeps_parser_kwargs(
    argtool: dict[tuple[str, ...], Command],
) -> None:
    root = argtool[("argtool",)]
    assert root.framework == "argparse"
    assert root.object == "argtool.cli:build_parser"
    assert root.help is not None and root.help.startswith("\nManage argtool projects.")
    assert root.epilog == "See the docs for more."
    assert root.is_group
    assert [c.name for c in root.subcommands] == [
        "init", "show", "start", "stop", "remote", "internal",
    ]  # fmt: skip
    assert root.source is not None and root.source.file == "argtool/cli.py"
    assert (root.source.line, root.source.column) == (27, 14)  # the ArgumentParser( call


def test_options_of_every_action_kind(argtool: dict[tuple[str, ...], Command]) -> None:
    root = argtool[("argtool",)]
    assert [o.names for o in root.options] == [("--version",), ("--color",)]  # no -h/--help
    version = option(root, "--version")
    assert version.is_flag and version.help == "show program's version number and exit"
    color = option(root, "--color")
    assert color.secondary_names == ("--no-color",) and color.is_flag and color.default is True
    show = argtool[("argtool", "show")]
    verbose = option(show, "--verbose")  # from parents=[common_parent()]
    assert verbose.count and not verbose.is_flag and verbose.default == 0
    tag = option(show, "--tag")
    assert tag.multiple and tag.dest == "tags"
    limit = option(show, "--limit")
    assert (limit.type, limit.default) == ("integer", 10)
    long = option(show, "--long")
    assert long.is_flag and long.flag_value == "long" and long.dest == "mode"
    dump = option(show, "--debug-dump")
    assert dump.hidden and dump.help is None
    [names] = show.arguments
    assert (names.name, names.nargs, names.metavar, names.required) == ("names", "*", "NAME", True)


def test_helpers_in_other_modules_and_imported_constants(
    argtool: dict[tuple[str, ...], Command],
) -> None:
    init = argtool[("argtool", "init")]
    config = option(init, "--config")  # added by options.add_config_option(sub)
    assert config.default == "argtool.toml" and config.metavar == "FILE"
    assert config.source is not None and config.source.file == "argtool/options.py"
    show = argtool[("argtool", "show")]
    fmt = option(show, "--format")  # added to an argument group by a helper
    assert fmt.choices == ("json", "yaml", "text")
    # `if with_json:` is evaluated with the helper's arguments: only `show` passes True.
    assert option(show, "--json").flag_value == "json"
    add = argtool[("argtool", "remote", "add")]
    assert [o.names for o in add.options] == [("--format",)]


def test_subcommand_help_aliases_hidden_and_loops(argtool: dict[tuple[str, ...], Command]) -> None:
    init = argtool[("argtool", "init")]
    assert (init.short_help, init.help, init.aliases) == (
        "Create a project.",
        "Create a new project here.",
        ("new",),
    )
    assert init.source is not None and init.source.line == 44  # the add_cmd("init", ...) call
    assert init.arguments[0].required is False and init.arguments[0].default == "."
    template = option(init, "--template")
    assert template.help == "Template to use (default: %(default)s)."  # raw, like argparse
    for name, text in (("start", "Start the service."), ("stop", "Stop the service.")):
        cmd = argtool[("argtool", name)]
        assert cmd.short_help == text and cmd.help == f"{text} Waits for it."
        assert option(cmd, "--timeout").help == f"Seconds to wait for {name}."
    internal = argtool[("argtool", "internal")]
    assert internal.hidden and internal.short_help is None
    assert argtool[("argtool", "remote")].is_group
    assert not any(c.unresolved for path, c in argtool.items() if path[0] == "argtool")


def test_dynamic_constructs_are_unresolved_not_guessed(
    argtool: dict[tuple[str, ...], Command],
) -> None:
    plugins = argtool[("argtool-plugins",)]
    assert plugins.help == "Plugin runner."  # a project function returning a constant
    assert [o.names for o in plugins.options] == [("--plain",)]
    assert plugins.subcommands == ()
    messages = sorted((u.message, u.file, u.line) for u in plugins.unresolved)
    assert messages == [
        (
            "add_argument('--with-' + {loop variable name over plugin_names()}) has names or "
            "options computed at runtime",
            "argtool/dynamic.py",
            19,
        ),
        (
            "add_parser(loop variable name over plugin_names()): subcommand name computed at "
            "runtime",
            "argtool/dynamic.py",
            22,
        ),
    ]


def test_files_without_argparse_give_no_facts() -> None:
    src = SourceFile("a.py", "a", "import click\n\n@click.command()\ndef main(): pass\n")
    assert argparse_static.extract(src) is None
    assert not argparse_static.wants("x = 1\n")
    assert argparse_static.wants("def add(p):\n    p.add_argument('--x')\n")


def test_odd_code_gives_notes_and_never_raises(make_project: MakeProject) -> None:
    root = make_project(
        {
            "odd.py": """
            import argparse
            from somewhere_else import make_parser, FLAGS

            def rec(p, n):
                p.add_argument("--r")
                rec(p, n - 1)

            def main():
                parser = argparse.ArgumentParser(prog="odd")
                parser.add_argument()
                parser.add_argument(*FLAGS)
                parser.add_argument("--kw", **{"help": "From a dict."})
                parser.add_argument("--opts", **OPTIONS)
                parser.add_argument("--help-var", help=describe())
                rec(parser, 3)
                make_parser().add_argument("--x")
                parsers = {"a": parser}
                parsers["a"].add_argument("--y")
                external = make_parser()
                external.add_argument("--z")
                sub = parser.add_subparsers()
                sub.add_parser(name=None)
                return parser
            """
        }
    )
    [odd] = [c for c in static_clis(root) if c.name == "odd"]
    assert [o.names for o in odd.options] == [("--kw",), ("--help-var",), ("--r",)]
    assert option(odd, "--kw").help == "From a dict."
    notes = [u.message for u in odd.unresolved]
    assert "add_argument(no names) has names or options computed at runtime" in notes
    assert any("recursive call to rec" in n for n in notes)
    assert any("help of --help-var is computed at runtime" in n for n in notes)
    assert any("add_argument() on parsers['a']" in n for n in notes)
    assert any("--opts" in n and "computed at runtime" in n for n in notes)
    assert all(u.file == "odd.py" and u.line > 0 for u in odd.unresolved)


def test_root_names_prog_and_module_fallbacks(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pkg/__init__.py": "",
            "pkg/__main__.py": """
            import argparse
            parser = argparse.ArgumentParser(description="Module-level parser.")
            parser.add_argument("--level", type=int)
            """,
            "pkg/named.py": """
            import argparse
            def get_parser():
                return argparse.ArgumentParser(prog="named-tool")
            """,
            "pkg/entry.py": """
            from pkg.build import make

            def run():
                args = make().parse_args()
            """,
            "pkg/build.py": """
            import argparse
            def make():
                p = argparse.ArgumentParser(prog="ignored-prog")
                p.add_argument("--deep")
                return p
            """,
        }
    )
    roots = static_clis(root, {"my-tool": "pkg.entry:run"})
    names = {c.name: c for c in roots}
    assert set(names) == {"pkg", "named-tool", "my-tool"}
    assert names["pkg"].help == "Module-level parser."
    assert names["pkg"].object == "pkg.__main__:v1"
    assert names["my-tool"].object == "pkg.build:make"
    assert [o.names for o in names["my-tool"].options] == [("--deep",)]


def test_class_based_parsers_and_subclasses(make_project: MakeProject) -> None:
    root = make_project(
        {
            "app.py": """
            import argparse

            class Parser(argparse.ArgumentParser):
                def __init__(self, **kwargs):
                    super().__init__(description="Custom parser.", **kwargs)
                    self.add_argument("--from-init", action="store_true")

            class Tool:
                def __init__(self):
                    self.parser = Parser(prog="tool")
                    self.add_common()

                def add_common(self):
                    self.parser.add_argument("--common", help="Shared.")
                    sub = self.parser.add_subparsers()
                    self.add_run(sub)

                def add_run(self, subparsers):
                    run = subparsers.add_parser("run", help="Run it.")
                    run.add_argument("target")
            """
        }
    )
    [tool] = static_clis(root)
    assert tool.name == "tool" and tool.help == "Custom parser."
    assert [o.names for o in tool.options] == [("--from-init",), ("--common",)]
    assert [c.path for c in tool.subcommands] == [("tool", "run")]
    assert tool.subcommands[0].arguments[0].name == "target"


def test_command_modules_registered_in_a_list(make_project: MakeProject) -> None:
    root = make_project(
        {
            "cli/__init__.py": "",
            "cli/main.py": """
            import argparse
            from cli.commands import add, remove

            COMMANDS = [add, remove]

            def get_parser():
                parent = argparse.ArgumentParser(add_help=False)
                parent.add_argument("-q", "--quiet", action="store_true", help="Quiet.")
                parser = argparse.ArgumentParser(prog="cli", parents=[parent])
                subparsers = parser.add_subparsers(dest="cmd")
                for cmd in COMMANDS:
                    cmd.add_parser(subparsers, parent)
                return parser
            """,
            "cli/commands/__init__.py": "",
            "cli/commands/add.py": """
            def add_parser(subparsers, parent):
                p = subparsers.add_parser("add", parents=[parent], help="Add.")
                p.add_argument("paths", nargs="+")
            """,
            "cli/commands/remove.py": """
            HELP = "Remove."

            def add_parser(subparsers, parent):
                p = subparsers.add_parser("remove", parents=[parent], help=HELP)
                p.add_argument("--all", action="store_true")
            """,
        }
    )
    [cli] = static_clis(root)
    assert [o.names for o in cli.options] == [("-q", "--quiet")]
    assert [(c.name, c.short_help) for c in cli.subcommands] == [
        ("add", "Add."),
        ("remove", "Remove."),
    ]
    assert [o.names for o in cli.subcommands[1].options] == [("-q", "--quiet"), ("--all",)]


def test_through_the_cli_provider(tmp_path: Path) -> None:
    project = discover([FIXTURE])
    model = Analysis(project, use_cache=False).model("cli")
    argparse_roots = {c.name: c for c in model.clis if c.framework == "argparse"}
    # The project declares one console script (argtool); the parser in dynamic.py is
    # nobody's entry point, so it is not one of the project's CLIs (scope, issue 9).
    assert set(argparse_roots) == {"argtool"}
    assert len(argparse_roots["argtool"].walk()) == 9


def test_values_computed_from_constants_and_arguments(make_project: MakeProject) -> None:
    """Loops over imported tables, branch-dependent names, early returns, enum members."""
    root = make_project(
        {
            "tool/__init__.py": '"""Tool that does things."""\n',
            "tool/consts.py": """
            import enum
            from gettext import gettext as __

            EXTENSIONS = {"autodoc": __("insert docstrings"), "todo": __("todo entries")}
            PREFIXES = {}
            PREFIXES["allow"] = "disallow"  # mutated: not a constant any more

            class Mode(str, enum.Enum):
                FAST = "fast"
            """,
            "tool/cli.py": """
            import argparse
            import tool
            from tool.consts import EXTENSIONS, PREFIXES, Mode

            def invert(flag):
                if flag.startswith("--no-"):
                    return "--" + flag[5:]
                return f"--no-{flag[2:]}"

            def prefixed(flag):
                if flag[2:] in PREFIXES:
                    return "--" + PREFIXES[flag[2:]]
                return flag

            class Parser(argparse.ArgumentParser):
                def add_flags(self, *, strict=False):
                    kind = "relaxed"
                    if strict:
                        kind = "strict"
                    self.add_argument("--" + kind, action="store_true", help=f"Be {kind}.")

            def get_parser():
                parser = Parser(prog="tool", description=tool.__doc__)
                for ext in EXTENSIONS:
                    parser.add_argument(
                        "--ext-%s" % ext, action="append_const", const=ext, dest="exts",
                        help="enable %s: %s" % (ext, EXTENSIONS[ext]),
                    )
                for name, text in sorted(EXTENSIONS.items()):
                    parser.add_argument(f"--{name.upper()}", help=text)
                parser.add_argument(invert("--no-cache"), action="store_true")
                parser.add_argument(invert("--color"), action="store_true")
                parser.add_argument(prefixed("--allow"), action="store_true")
                parser.add_argument("--mode", help=f"Default {Mode.FAST}.")
                parser.add_flags(strict=True)
                register = lambda p: p.add_argument("--from-lambda", help="λ")
                register(parser)
                return parser
            """,
        }
    )
    [tool] = static_clis(root)
    assert tool.help == "Tool that does things."
    names = [o.names[0] for o in tool.options]
    assert names == [
        "--ext-autodoc", "--ext-todo", "--AUTODOC", "--TODO", "--cache", "--no-color",
        "--mode", "--strict", "--from-lambda",
    ]  # fmt: skip
    assert option(tool, "--ext-todo").help == "enable todo: todo entries"
    assert option(tool, "--ext-todo").flag_value == "todo"
    assert option(tool, "--mode").help == "Default fast."
    assert option(tool, "--strict").help == "Be strict."
    # prefixed() reads a mutated module dict: unknown, so a note instead of a wrong name.
    assert [u.message for u in tool.unresolved] == [
        "add_argument(prefixed(), whose result depends on a condition) has names or options "
        "computed at runtime"
    ]


def test_add_help_false_pre_parser_is_not_a_cli(make_project: MakeProject) -> None:
    """A parser with add_help=False and no subcommands only pre-parses (django's
    --settings/--pythonpath parser); a parser with add_help=False that adds its own help
    action is still a CLI."""
    root = make_project(
        {
            "pyproject.toml": "[project]\nname = 'tool'\n",
            "tool/__init__.py": "",
            "tool/main.py": """
                import argparse


                def main(argv=None):
                    pre = argparse.ArgumentParser(add_help=False)
                    pre.add_argument("--settings")
                    options, rest = pre.parse_known_args(argv)
                    parser = argparse.ArgumentParser(prog="tool", description="The tool.")
                    parser.add_argument("--verbose", action="store_true", help="More output.")
                    return parser.parse_args(rest)


                def other():
                    own = argparse.ArgumentParser(prog="own", add_help=False)
                    own.add_argument("-?", "--usage", action="help", help="Show usage.")
                    return own
            """,
        }
    )
    model = Analysis(discover([root]), use_cache=False).model("cli")
    assert sorted(c.name for c in model.clis) == ["own", "tool"]
