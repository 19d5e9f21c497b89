"""C rules end to end: real click, argparse and typer fixture projects through extraction.

Each `*_bad` fixture marks its planted violations with `# expect: CODE,...` on the line the
diagnostic must point at; the column is the start of the offending call (an option decorator
after its `@`, `add_argument(...)`, `typer.Option(...)`) or of the `def` of a command. The
`*_clean` twins fix every violation and must check clean.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

from kdocs.engine import CheckOptions, run_check
from kdocs.project import discover

FIXTURES = Path(__file__).parent / "fixtures" / "cli_rules"
_MARK = re.compile(r"#\s*(expect|xfail):\s*([A-Z0-9, ]+)")


def _column(tree: ast.Module, line: int, text: str) -> int:
    stripped = text.lstrip()
    if stripped.startswith(("def ", "async def ")):
        return len(text) - len(stripped) + 1
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.lineno == line]
    if calls:
        return min(c.col_offset for c in calls) + 1
    return len(text) - len(stripped) + 1


def marks(root: Path, kind: str) -> Counter[tuple[str, int, int, str]]:
    out: Counter[tuple[str, int, int, str]] = Counter()
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        for number, line in enumerate(text.splitlines(), start=1):
            match = _MARK.search(line)
            if match is None or match.group(1) != kind:
                continue
            col = _column(tree, number, line)
            for code in match.group(2).replace(" ", "").split(","):
                out[(path.relative_to(root).as_posix(), number, col, code)] += 1
    # C001 sits on the console script's line of pyproject.toml (column 1).
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        for number, line in enumerate(pyproject.read_text(encoding="utf-8").splitlines(), 1):
            match = _MARK.search(line)
            if match is not None and match.group(1) == kind:
                for code in match.group(2).replace(" ", "").split(","):
                    out[("pyproject.toml", number, 1, code)] += 1
    return out


def check(root: Path, select: list[str] | None = None) -> Counter[tuple[str, int, int, str]]:
    result = run_check(discover([root]), CheckOptions(select=select or ["C"], use_cache=False))
    return Counter((d.file, d.line, d.column, d.code) for d in result.diagnostics)


@pytest.mark.parametrize("name", ["click_bad", "argparse_bad", "typer_bad"])
def test_planted_violations_found_exactly(name: str) -> None:
    root = FIXTURES / name
    expected = marks(root, "expect")
    assert expected, "fixture has no expectations"
    found = check(root)
    assert sorted(found.elements()) == sorted(expected.elements())


@pytest.mark.parametrize("name", ["click_clean", "argparse_clean", "typer_clean"])
def test_clean_fixtures_have_no_findings(name: str) -> None:
    assert check(FIXTURES / name) == Counter()


def test_every_c_rule_is_planted_somewhere() -> None:
    from kdocs.rules.registry import iter_family

    planted = set()
    for name in ("click_bad", "argparse_bad", "typer_bad"):
        planted |= {code for *_, code in marks(FIXTURES / name, "expect")}
    enabled = {r.code for r in iter_family("C") if r.default_enabled}
    # C802 needs a configured prefix (click_bad sets one); every default rule is exercised.
    assert enabled - planted == set()


def test_subjects_are_position_independent() -> None:
    result = run_check(
        discover([FIXTURES / "click_bad"]), CheckOptions(select=["C101"], use_cache=False)
    )
    assert sorted(d.subject for d in result.diagnostics) == [
        "shipit deploy --Env",
        "shipit deploy --dry_run",
    ]


EXAMPLE = Path(__file__).parent.parent / "examples" / "shipit"


@pytest.mark.skipif(not EXAMPLE.is_dir(), reason="examples/shipit not present")
def test_example_project_planted_cli_violations() -> None:
    """Every C-family problem planted in examples/shipit (its README's table), exactly."""
    result = run_check(discover([EXAMPLE]), CheckOptions(select=["C"], use_cache=False))
    # The demo's own extend-select (C404, D102) still adds its rules to `--select C`.
    found = sorted(
        (d.file, d.line, d.column, d.code) for d in result.diagnostics if d.code[0] == "C"
    )
    assert found == [
        ("shipit/admin.py", 11, 5, "C101"),  # --maxRetries
        ("shipit/admin.py", 11, 5, "C202"),
        ("shipit/admin.py", 11, 5, "C902"),  # default 3 not shown
        ("shipit/admin.py", 25, 14, "C105"),  # Backup
        ("shipit/admin.py", 25, 14, "C301"),
        ("shipit/cli.py", 24, 2, "C101"),  # --dry_run
        ("shipit/cli.py", 26, 2, "C903"),  # canary
        ("shipit/cli.py", 28, 2, "C601"),  # --wait
        ("shipit/cli.py", 29, 2, "C202"),  # --token
        ("shipit/cli.py", 29, 2, "C801"),
        ("shipit/cli.py", 31, 1, "C502"),  # // comment
        ("shipit/cli.py", 31, 1, "C503"),  # --dry-run
        ("shipit/cli.py", 51, 1, "C301"),  # rollback
        ("shipit/cli.py", 59, 1, "C404"),  # status
        ("shipit/notify.py", 23, 30, "C101"),  # --To
        ("shipit/notify.py", 23, 30, "C202"),
    ]


def test_argparse_formatter_class_is_honoured(make_project) -> None:  # type: ignore[no-untyped-def]
    """ArgumentDefaultsHelpFormatter shows defaults (no C902); a raw formatter prints the
    description verbatim, so its long lines count (C403)."""
    long_line = "tool run --input data.csv --output result.json --format json --verbose --force --x"
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "t"\n[project.scripts]\ntool = "t:main"\n',
            "t.py": f"""
                import argparse

                def main() -> None:
                    p = argparse.ArgumentParser(
                        prog="tool",
                        description="Run it.\\n\\n{long_line}",
                        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
                    )
                    p.add_argument("--retries", type=int, default=3, help="Retries.")
                    q = argparse.ArgumentParser(
                        prog="other",
                        description="Run it.\\n\\n{long_line}",
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                    )
                    q.add_argument("--retries", type=int, default=3, help="Retries.")
            """,
        }
    )
    found = run_check(discover([root]), CheckOptions(select=["C902", "C403"], use_cache=False))
    assert [(d.code, d.line) for d in found.diagnostics] == [("C403", 10), ("C902", 15)]
