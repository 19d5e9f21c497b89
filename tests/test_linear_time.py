"""Big files stay linear: the literal table (help-text positions) must not rescan the file per
literal. A 10,000-line argparse script took 30 s in ``ast.get_source_segment`` (which splits
the whole source on every call); it now takes well under a second.

The tests assert the property, not a time: the Python lines a step executes at sizes ``n``
and ``4 * n`` (:mod:`tests.workcount`) grow about four times, where the quadratic code grew
them about sixteen times (each test was seen failing with the old algorithm). The times are
the benchmark's job (``benchmarks/big_argparse.py``).
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kdocs.extract.cli import literal_table
from tests.helpers import run_kdocs
from tests.workcount import assert_linear


def _generator(name: str) -> Callable[[int], str]:
    """A script generator of ``benchmarks/big_argparse.py`` (the tree the benchmark times)."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "big_argparse.py"
    spec = importlib.util.spec_from_file_location("big_argparse_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found: Callable[[int], str] = getattr(module, name)
    return found


argparse_script = _generator("argparse_script")
click_script = _generator("click_script")

TRICKY = [
    'x = "plain"\n',
    'x = "a" "b"\ny = f"{x}"\n',
    'x = "é ü"\r\ny = ("multi"\r\n     "line")\r\n',
    'x = 1\ry = "cr only"\rz = """tri\rple"""\r',
    '# form\x0cfeed and \u2028 separator in a comment\nx = "après"\n',
    'def f():\n    """Doc é."""\n    return {"k": [1, 2, "v"]}\n',
    'x = "no trailing newline"',
    's = """\nmany\n\nlines\n"""\nt = r"raw\\d"\n',
]


def test_segments_equal_ast_get_source_segment() -> None:
    """The one-split segment lookup returns exactly what ``ast`` returns, node by node."""
    sources = [*TRICKY, argparse_script(300), Path(literal_table.__file__).read_text("utf-8")]
    checked = 0
    for text in sources:
        lines = literal_table._Lines(text)
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.expr, ast.stmt, ast.keyword, ast.arg)):
                assert lines.segment(node) == ast.get_source_segment(text, node), ast.dump(node)
                checked += 1
    assert checked > 1000


def test_column_after_a_form_feed_counts_lines_as_ast_does() -> None:
    """A form feed is not a line break for ``ast``: a literal after one keeps its column
    (``str.splitlines`` split there and read the column from the wrong line)."""
    line4 = 'p.add_argument("--x", help="no period")'
    text = f'import argparse\n# section\x0cbreak\n"ééééééééééééééééééééééééééééé"\n{line4}\n'
    table = literal_table.build(ast.parse(text), text)
    helps = {call[0]: call[4] for call in table["calls"]}
    literal = helps[4]["help"]
    assert literal[0] == 4
    assert literal[1] == line4.index('"no period"')


def test_build_is_linear_in_the_file() -> None:
    """500 and 2,000 lines of argparse calls: the table's work grows with the file (before,
    every help literal re-split the whole source: 8,000 lines took about 20 s)."""
    tables: dict[int, dict[str, Any]] = {}

    def build(lines: int) -> None:
        text = argparse_script(lines)
        tree = ast.parse(text)
        tables[lines] = literal_table.build(tree, text)

    assert_linear(build, 500)
    calls = tables[2000]["calls"]
    assert len(calls) > 300
    helps = [call[4]["help"] for call in calls if "help" in call[4]]
    assert len(helps) > 300 and None not in helps  # every help literal found


def test_big_argparse_script_check_is_linear(tmp_path: Path) -> None:
    """The whole check of a 250- and a 1,000-line argparse script, through the real CLI
    (extraction, linking, the C rules, the report): its work grows with the file."""
    results: dict[int, dict[str, Any]] = {}

    def check(lines: int) -> None:
        root = tmp_path / f"big{lines}"
        root.mkdir()
        (root / "pyproject.toml").write_text('[project]\nname = "big"\nversion = "1"\n')
        (root / "big.py").write_text(argparse_script(lines))
        result = run_kdocs("check", str(root), "--no-cache", "--select", "C", "--format", "json")
        assert result.exit_code == 1
        results[lines] = result.json()

    check(60)  # imports and first-use caches outside the counted runs
    assert_linear(check, 250)
    findings = results[1000]["diagnostics"]
    # One C902 per option: the rules did run on every option (165 options in 1,000 lines).
    assert sum(d["code"] == "C902" for d in findings) > 150


def _reference_find(
    table: dict[str, Any], line: int, column: int, keywords: tuple[str, ...], docstring: bool
) -> tuple[list[Any] | None, bool]:
    """The lookup as it was before the index: scan every call and function, in order."""
    calls = table["calls"]
    here = [c for c in calls if c[0] == line]
    here.sort(key=lambda c: (c[1] != column - 1, c[1]))
    if line not in table["call_lines"]:
        here = [c for c in calls if c[0] <= line <= c[2] and any(k in c[4] for k in keywords)]
        here.sort(key=lambda c: c[0], reverse=True)
    for call in here:
        if call[3] or any(k in call[4] for k in keywords):
            return next((v for k, v in call[4].items() if k in keywords), None), False
    func = next(
        (f for f in table["functions"] for s, e, _ in f[1] if s <= line <= e), None
    ) or next((f for f in table["functions"] if f[0] == line), None)
    if func is None:
        return None, False
    for _s, _e, index in func[1]:
        if index >= 0 and calls[index][3] and any(k in calls[index][4] for k in keywords):
            return next((v for k, v in calls[index][4].items() if k in keywords), None), False
    if not docstring or func[2] is None:
        return None, False
    return func[2], True


MIXED = '''\
import argparse
import click
import typer

app = typer.Typer()


@click.group(help="Top.")
def cli():
    """Group doc."""


@cli.command(
    short_help="Short.",
)
@click.option("--a", help="A. ")
@click.option(
    "--b",
    help="B.",
)
def sub(a, b):
    """Sub doc. """


@app.command()
def main(
    name: str = typer.Option(
        "x",
        help="The name.",
    ),
    count: int = typer.Argument(1, help="How many."),
):
    """Main doc."""


parser = argparse.ArgumentParser(description="D.", formatter_class=argparse.RawTextHelpFormatter)
parser.add_argument("--x", help="X.")
'''


def test_indexed_lookup_answers_as_the_scan_did() -> None:
    """Every (line, column) of the file, every keyword set, with and without docstrings."""
    tree = ast.parse(MIXED)
    table = literal_table.build(tree, MIXED)
    keyword_sets = [("help",), ("short_help", "help"), ("description",), ("epilog",)]
    compared = 0
    for line in range(1, len(MIXED.splitlines()) + 2):
        for column in (1, 2, 5):
            for keywords in keyword_sets:
                for docstring in (False, True):
                    got = literal_table.find(table, line, column, keywords, docstring=docstring)
                    assert got == _reference_find(table, line, column, keywords, docstring), (
                        line,
                        column,
                        keywords,
                    )
                    compared += got[0] is not None
    assert compared > 20
    line = MIXED.splitlines().index(next(s for s in MIXED.splitlines() if "formatter_class" in s))
    assert literal_table.keyword_source(table, line + 1, "formatter_class") == (
        "argparse.RawTextHelpFormatter"
    )


def test_lookups_in_a_file_of_thousands_of_commands_are_linear() -> None:
    """One lookup per command and per option, at 500 and 2,000 commands: before the index
    each lookup scanned every call of the file (8,000 click commands: 89 s for the whole
    check; now 9 s)."""
    found: dict[int, int] = {}

    def look_up(commands: int) -> None:
        text = click_script(6 + 5 * commands)  # commands of 5 lines after a 6-line header
        table = literal_table.build(ast.parse(text), text)
        count = 0
        for i in range(commands):
            line = 7 + 5 * i
            count += literal_table.find(table, line + 1, 1, ("help",))[0] is not None
            count += (
                literal_table.find(table, line + 2, 1, ("help",), docstring=True)[0] is not None
            )
        found[commands] = count

    assert_linear(look_up, 500)
    assert found == {500: 1000, 2000: 4000}
