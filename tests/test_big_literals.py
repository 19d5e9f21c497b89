"""Huge generated modules: their literal-only data tables are not turned into syntax trees
(a 20 MB table made ``ast.parse`` take 2.2 GB), and nothing else about the file changes."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kdocs import bigliterals
from tests.conftest import MakeProject
from tests.helpers import run_kdocs


def table(name: str, rows: int, *, indent: str = "    ", newline: str = "\n") -> str:
    body = newline.join(
        f"{indent}'key_{i}': ('välue {i}', {i}, {i * 3.5}, -{i}, 0x{i:x}, None, True),"
        for i in range(rows)
    )
    return f"{name} = {{{newline}{body}{newline}}}{newline}"


AFTER = '''\
import click
from os import path
from pydantic import BaseModel


class Row(BaseModel):
    """One row."""

    key: str
    value: int = 0


@click.command()
@click.option("--name", help="the name")
def main(name):
    """Run it."""
'''


@pytest.fixture
def small_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bigliterals, "MIN_FILE", 2000)
    monkeypatch.setattr(bigliterals, "MIN_SPAN", 1000)


def nodes(tree: ast.AST) -> list[tuple[str, int, int]]:
    """Every node outside elided tables, by type and position."""
    return [
        (type(n).__name__, n.lineno, n.col_offset)
        for n in ast.walk(tree)
        if isinstance(n, (ast.stmt, ast.expr)) and not isinstance(n, ast.Module)
    ]


@pytest.mark.usefixtures("small_thresholds")
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_positions_after_an_elided_table_are_unchanged(newline: str) -> None:
    text = (
        "'''Generated.'''\n"
        + table("TABLE", 200, newline=newline)
        + "OTHER: dict[str, int] = {'a': 1}\n"
        + table("SECOND", 100)
        + AFTER
    )
    reduced = bigliterals.elide(text)
    assert reduced is not None
    small, elided = reduced
    assert [e.line for e in elided] == [2, 205]
    assert len(small) < len(text) // 5
    lean = bigliterals.parse(text, "gen.py")
    full = ast.parse(text)

    def outside(n: tuple[str, int, int]) -> bool:
        return not (2 <= n[1] <= 203 or 205 <= n[1] <= 306)

    # Everything but the two tables is identical, at the same positions.
    assert [n for n in nodes(lean) if outside(n)] == [n for n in nodes(full) if outside(n)]
    assert len([n for n in nodes(lean) if outside(n)]) > 20
    functions = [n for n in ast.walk(lean) if isinstance(n, ast.FunctionDef)]
    assert [(f.name, f.lineno) for f in functions] == [
        (f.name, f.lineno) for f in ast.walk(full) if isinstance(f, ast.FunctionDef)
    ]


@pytest.mark.usefixtures("small_thresholds")
@pytest.mark.parametrize(
    "text",
    [
        # A table that calls something, or names a variable, is code: parsed whole.
        table("TABLE", 100).replace("None", "make()", 1),
        table("TABLE", 100).replace("None", "OTHER", 1),
        # f-strings are not plain literals.
        table("TABLE", 100).replace("'key_5'", "f'key_{x}'", 1),
        # The "table" is inside a string: the placeholder would not be an assignment.
        'DOC = """\n' + table("TABLE", 100) + '"""\n',
        # Triple-quoted strings inside: parsed whole (quote pairing could differ).
        table("TABLE", 100).replace("'key_5'", "'''key_5'''", 1),
    ],
)
def test_what_is_not_a_pure_literal_table_is_parsed_whole(text: str) -> None:
    tree = bigliterals.parse(text, "gen.py")
    assert ast.dump(tree, include_attributes=True) == ast.dump(
        ast.parse(text), include_attributes=True
    )


def test_small_files_are_never_touched() -> None:
    assert bigliterals.elide(table("TABLE", 1000)) is None  # about 70 KB < 1 MB


@pytest.mark.usefixtures("small_thresholds")
def test_syntax_errors_outside_the_table_are_still_e003(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reported at the right line, without libcst's downgrade of the whole big file (a
    5 MB file with one typo took 2 minutes and 2.8 GB in it)."""
    from kdocs import newer_syntax

    sizes: list[int] = []
    downgrade = newer_syntax.downgrade
    monkeypatch.setattr(newer_syntax, "downgrade", lambda t: sizes.append(len(t)) or downgrade(t))
    root = make_project({"pyproject.toml": ""})
    (root / "gen.py").write_text(table("TABLE", 600) + "def broken(:\n    pass\n")
    run = run_kdocs("check", str(root), "--no-cache", "--format", "json", "--select", "E")
    (diagnostic,) = run.json()["diagnostics"]
    assert (diagnostic["code"], diagnostic["line"]) == ("E003", 603)
    assert sizes and max(sizes) < 1000  # only the reduced text was downgraded


@pytest.mark.usefixtures("small_thresholds")
def test_models_of_a_big_generated_module_are_unchanged(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``inspect``: identical models with and without the elision."""
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "gen"\nversion = "1"\n'
            '[project.scripts]\ngen = "gen:main"\n',
        }
    )
    (root / "gen.py").write_text(table("TABLE", 2000) + AFTER)
    assert bigliterals.elide((root / "gen.py").read_text()) is not None
    lean = {k: run_kdocs("inspect", k, str(root), "--no-cache").json() for k in ("cli", "types")}
    lean["imports"] = run_kdocs("inspect", "imports", str(root), "--no-cache").json()
    monkeypatch.setattr(bigliterals, "MIN_FILE", 1 << 40)
    full = {k: run_kdocs("inspect", k, str(root), "--no-cache").json() for k in lean}
    assert lean == full
    (command,) = lean["cli"]["clis"]
    assert command["source"]["line"] > 2000  # the command after the table was found
    assert [t["name"] for t in lean["types"]["types"]] == ["Row"]


def test_peak_memory_of_a_big_generated_module(tmp_path: Path) -> None:
    """A 6 MB table: about 650 MB of syntax tree before, well under 250 MB now."""
    root = tmp_path / "gen"
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.kdocs]\nmax-file-size = 20000000\n")
    (root / "gen.py").write_text(table("TABLE", 85000))
    assert (root / "gen.py").stat().st_size > 6_000_000
    code = (
        "import resource, sys\n"
        "from kdocs.cli import main\n"
        "try:\n"
        "    main(['check', sys.argv[1], '--no-cache', '--exit-zero', '--format', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True
    )
    assert json.loads(proc.stdout)["summary"]["files_checked"] == 1
    peak_mb = int(proc.stderr.strip().splitlines()[-1]) / 1024
    assert peak_mb < 250, f"peak RSS {peak_mb:.0f} MB"
