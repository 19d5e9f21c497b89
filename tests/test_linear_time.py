"""Big files stay linear: the literal table (help-text positions) must not rescan the file per
literal. A 10,000-line argparse script took 30 s in ``ast.get_source_segment`` (which splits
the whole source on every call); it now takes well under a second."""

from __future__ import annotations

import ast
import importlib.util
import time
from collections.abc import Callable
from pathlib import Path

from kdocs.extract.cli import literal_table
from tests.helpers import run_kdocs


def _generator() -> Callable[[int], str]:
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "big_argparse.py"
    spec = importlib.util.spec_from_file_location("big_argparse_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.argparse_script  # type: ignore[no-any-return]


argparse_script = _generator()

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
    """8,000 lines of argparse calls: before, about 20 s (quadratic); now a fraction of one."""
    text = argparse_script(8000)
    tree = ast.parse(text)
    start = time.perf_counter()
    table = literal_table.build(tree, text)
    elapsed = time.perf_counter() - start
    assert len(table["calls"]) > 1000
    assert elapsed < 3.0, f"literal table of 8,000 lines took {elapsed:.1f} s"


def test_big_argparse_script_checks_fast(tmp_path: Path) -> None:
    """The whole check of a 5,000-line argparse script, through the real CLI."""
    root = tmp_path / "big"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "big"\nversion = "1"\n')
    (root / "big.py").write_text(argparse_script(5000))
    start = time.perf_counter()
    result = run_kdocs("check", str(root), "--no-cache", "--select", "C", "--format", "json")
    elapsed = time.perf_counter() - start
    assert result.exit_code == 1
    codes = {d["code"] for d in result.json()["diagnostics"]}
    assert "C902" in codes  # one finding per option: the rules did run on every option
    assert elapsed < 8.0, f"check of 5,000 lines took {elapsed:.1f} s"
