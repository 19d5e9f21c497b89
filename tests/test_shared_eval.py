"""The pieces every extractor shares: one relative-import resolver and one constant folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from kdocs.extract.relimport import resolve_relative
from tests.conftest import MakeProject
from tests.helpers import run_kdocs


@pytest.mark.parametrize(
    ("module", "is_package", "level", "target", "expected"),
    [
        ("pkg.mod", False, 0, "os.path", "os.path"),
        ("pkg.mod", False, 1, None, "pkg"),
        ("pkg.mod", False, 1, "sib", "pkg.sib"),
        ("pkg", True, 1, "sub", "pkg.sub"),
        ("pkg.sub", True, 2, "other", "pkg.other"),
        ("a.b.c.m", False, 3, "z", "a.z"),
        # Python refuses these ("attempted relative import beyond top-level package").
        ("pkg", True, 2, "x", None),
        ("pkg.mod", False, 2, None, None),
        ("mod", False, 1, "x", None),
        ("a.b.c.m", False, 5, "z", None),
    ],
)
def test_resolve_relative(
    module: str, is_package: bool, level: int, target: str | None, expected: str | None
) -> None:
    assert resolve_relative(module, is_package, level, target) == expected


def _types(root: Path) -> list[tuple[str, str]]:
    run = run_kdocs("inspect", "types", str(root), "--format", "json", "--no-cache")
    assert run.exit_code == 0, run.stderr
    return sorted((t["module"], t["name"]) for t in run.json()["types"])


def test_types_do_not_follow_an_import_above_the_top_package(make_project: MakeProject) -> None:
    """``from .....z import Base`` four packages deep climbs above ``a``: Python refuses it.
    The types extractor sliced with a negative index and resolved it to ``a.b.z``, so
    ``Child`` was reported as a pydantic model with ``Base``'s fields."""
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "a"\ndependencies = ["pydantic"]\n',
            "a/__init__.py": "",
            "a/b/__init__.py": "",
            "a/b/c/__init__.py": "",
            "a/b/z.py": "from pydantic import BaseModel\n\n\nclass Base(BaseModel):\n"
            '    """Base."""\n\n    x: int\n',
            "a/b/c/m.py": 'from .....z import Base\n\n\nclass Child(Base):\n    """Child."""\n\n'
            "    y: int\n",
        }
    )
    assert _types(root) == [("a.b.z", "Base")]
    # Written correctly (two dots), the same import resolves.
    (root / "a/b/c/m.py").write_text(
        (root / "a/b/c/m.py").read_text().replace(".....z", "..z"), encoding="utf-8"
    )
    assert _types(root) == [("a.b.c.m", "Child"), ("a.b.z", "Base")]


# -- one constant folder ------------------------------------------------------------------

CLICK_APP = """
import click


@click.command()
@click.option("--mode", help={expr})
def main(mode):
    \"\"\"Run.\"\"\"
"""

ARGPARSE_APP = """
import argparse

{prelude}
def main():
    parser = argparse.ArgumentParser(prog="app", description="Run.")
    parser.add_argument("--mode", help={expr})
    return parser.parse_args()
"""


def _option_help(root: Path) -> tuple[str | None, list[str]]:
    run = run_kdocs("inspect", "cli", str(root), "--format", "json", "--no-cache")
    assert run.exit_code == 0, run.stderr
    (cli,) = run.json()["clis"]
    (option,) = [o for o in cli["options"] if "--mode" in o["names"]]
    notes = [n["message"] if isinstance(n, dict) else str(n) for n in cli["unresolved"]]
    return option["help"], notes


def _project(make_project: MakeProject, framework: str, expr: str, prelude: str = "") -> Path:
    template = CLICK_APP if framework == "click" else ARGPARSE_APP
    return make_project(
        {
            "pyproject.toml": '[project]\nname = "app"\n[project.scripts]\napp = "app:main"\n',
            "app.py": template.replace("{expr}", expr).replace("{prelude}", prelude),
        }
    )


@pytest.mark.parametrize("framework", ["click", "argparse"])
def test_click_and_argparse_fold_the_same_string_methods(
    make_project: MakeProject, framework: str
) -> None:
    """``center`` was only in the click interpreter's list and ``swapcase`` only in the types
    one: the same help expression folded in one framework and was 'computed at runtime' in
    the other."""
    root = _project(make_project, framework, '"Show".center(10, "*").swapcase()')
    help_text, _notes = _option_help(root)
    assert help_text == "***sHOW***"


@pytest.mark.parametrize("framework", ["click", "argparse"])
@pytest.mark.parametrize(
    "expr",
    [
        '"ab" * 1_000_000',
        '"{:>3000000}".format("x")',
        '"%3000000s" % "x"',
        '"x".center(3000000)',
    ],
)
def test_folding_is_bounded(make_project: MakeProject, framework: str, expr: str) -> None:
    """Hostile source must not make kdocs build huge strings (the same code with 10**9 would
    exhaust memory): such a help is left unresolved, with a note, instead of folded."""
    root = _project(make_project, framework, expr)
    help_text, notes = _option_help(root)
    assert help_text is None
    assert notes, "an unfolded help must say why"


def test_argparse_module_constants_are_bounded(make_project: MakeProject) -> None:
    """``A = A + A`` twenty times at module level doubles a constant to 2 MB (thirty times:
    2 GB); argparse's module-constant reader folded it without a bound."""
    prelude = 'A = "ab"\n' + "A = A + A\n" * 20
    root = _project(make_project, "argparse", "A", prelude)
    help_text, notes = _option_help(root)
    assert help_text is None
    assert any("--mode" in n for n in notes)
    small = _project(make_project, "argparse", "A", 'A = "ab"\n' + "A = A + A\n" * 3)
    assert _option_help(small)[0] == "ab" * 8


def test_constfold_table() -> None:
    from kdocs.extract import constfold

    assert constfold.str_method("a-b", "split", ["-"]) == ["a", "b"]
    assert constfold.str_method("a=b", "partition", ["="]) == ["a", "=", "b"]
    assert constfold.str_method("Run %s", "format", []) == "Run %s"
    # No attribute or item lookups through format fields (they reach object internals).
    assert constfold.str_method("{0.__class__}", "format", ["x"]) is constfold.NO
    assert constfold.str_method("{0[0]}", "format", ["x"]) is constfold.NO
    assert constfold.str_method("x", "zfill", [3]) is constfold.NO  # not whitelisted
    assert constfold.binop("%", "%*d", [5, 1]) is constfold.NO
    big = 2**4000
    assert constfold.binop("*", big, big) is constfold.NO
    assert constfold.binop("+", "a", "b") == "ab"
    assert constfold.binop("+", [1], [2]) == [1, 2]
    assert constfold.binop("*", 3, "ab") == "ababab"
    assert constfold.builtin("sorted", {"b": 1, "a": 2}) == ["a", "b"]


@pytest.mark.parametrize(
    ("imports", "expr", "expected"),
    [
        (
            "import textwrap",
            'textwrap.dedent("""\\n    Mode to use.\\n    """)',
            "Mode to use.",
        ),
        ("import inspect", 'inspect.cleandoc("""Mode\\n    to use.""")', "Mode\nto use."),
        ("from flask_babel import lazy_gettext as _l", '_l("Mode to use.")', "Mode to use."),
        ("", '"{} modes".format(len(["a", "b"]))', "2 modes"),
        ("", '", ".join(sorted(["b", "a"]))', "a, b"),
    ],
)
def test_click_folds_the_shared_text_functions(
    make_project: MakeProject, imports: str, expr: str, expected: str | None
) -> None:
    """argparse folded ``textwrap.dedent``, ``inspect.cleandoc`` and translation markers of
    any library; the click/typer interpreter left them 'computed at runtime'."""
    root = _project(make_project, "click", expr)
    app = root / "app.py"
    app.write_text(f"{imports}\n{app.read_text()}", encoding="utf-8")
    assert _option_help(root)[0] == expected


def test_argparse_constants_module_respects_max_file_size(make_project: MakeProject) -> None:
    """A constants module read at link time (it has no argparse code, so no facts) was read
    whole, past ``max-file-size`` (the cap every other read honours)."""
    root = _project(make_project, "argparse", "HELP", "from consts import HELP\n")
    (root / "consts.py").write_text('HELP = "Mode to use."\n' + "#" * 3000 + "\n")
    assert _option_help(root)[0] == "Mode to use."
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "[tool.kdocs]\nmax-file-size = 2000\n")
    help_text, notes = _option_help(root)
    assert help_text is None
    assert any("--mode" in n for n in notes)


def test_argparse_concatenates_lists_of_parsers(make_project: MakeProject) -> None:
    """``parents=common + [extra]``: the bounded concatenation must keep parser objects
    (only constants fold through the shared table; lists of parsers are replay values)."""
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "app"\n[project.scripts]\napp = "app:main"\n',
            "app.py": """
                import argparse


                def main():
                    base = argparse.ArgumentParser(add_help=False)
                    base.add_argument("--verbose", action="store_true", help="Talk more.")
                    extra = argparse.ArgumentParser(add_help=False)
                    extra.add_argument("--mode", help="Mode to use.")
                    common = [base]
                    parser = argparse.ArgumentParser(prog="app", parents=common + [extra])
                    return parser.parse_args()
            """,
        }
    )
    run = run_kdocs("inspect", "cli", str(root), "--format", "json", "--no-cache")
    (cli,) = run.json()["clis"]
    assert sorted(n for o in cli["options"] for n in o["names"]) == ["--mode", "--verbose"]


def test_argparse_iterates_builtins_over_parser_pairs(make_project: MakeProject) -> None:
    """``list(pairs)`` of (flag, parser) pairs holds replay objects, not constants: the shared
    constant table refuses them, so argparse's replay keeps its own order-only builtins (the
    shared-folder commit lost both options here, silently)."""
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "app"\n[project.scripts]\napp = "app:main"\n',
            "app.py": """
                import argparse


                def main():
                    parser = argparse.ArgumentParser(prog="app")
                    subs = parser.add_subparsers()
                    run = subs.add_parser("run")
                    stop = subs.add_parser("stop")
                    pairs = [("--fast", run), ("--now", stop)]
                    for flag, sub in list(pairs):
                        sub.add_argument(flag, action="store_true")
                    for flag, sub in reversed(pairs):
                        sub.add_argument(flag + "er", action="store_true")
                    return parser.parse_args()
            """,
        }
    )
    run = run_kdocs("inspect", "cli", str(root), "--format", "json", "--no-cache")
    (cli,) = run.json()["clis"]
    found = {c["name"]: [n for o in c["options"] for n in o["names"]] for c in cli["subcommands"]}
    assert found == {"run": ["--fast", "--faster"], "stop": ["--now", "--nower"]}


@pytest.mark.parametrize(
    "text",
    [
        'x = f(help="a")\ny = g(\n    help="""two\nlines""", formatter_class=F)\n',
        'x = f(help="a")\r\ny = g(\r\n    help="""two\r\nlines""")\r\n',
        'x = f(help="a")\ry = g(\r    help="b")\r',
        'x = 1\x0c\ny = f(help="é\u2028still one line")\nz = f(help="ü")',
        'x = f(\n    help="no final newline")',
    ],
)
def test_literal_table_segments_match_ast(text: str) -> None:
    """The literal table's own source segments equal ``ast.get_source_segment`` (which it
    replaced: that splits the whole file on every call) for CRLF, lone CR, form feed,
    U+2028 and non-ASCII text."""
    import ast

    from kdocs.extract.cli.literal_table import _Lines

    tree = ast.parse(text)
    lines = _Lines(text)
    nodes = [n for n in ast.walk(tree) if isinstance(n, ast.expr)]
    assert nodes
    for node in nodes:
        assert lines.segment(node) == ast.get_source_segment(text, node)
