"""``kdocs check --fix`` for the C family: libcst-located literals, minimal edits, atomic
writes; the fixed project re-checks clean and every other byte is unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

from kdocs.engine import CheckOptions, run_check
from kdocs.fix import apply_fixes, apply_to_text
from kdocs.models.diagnostics import Edit, Fix
from kdocs.project import discover

FIXTURE = Path(__file__).parent / "fixtures" / "cli_rules" / "fixable"


def _check(root: Path, select: list[str] | None = None) -> list:  # type: ignore[type-arg]
    opts = CheckOptions(select=select or ["C"], use_cache=False)
    return run_check(discover([root]), opts).diagnostics


def test_fix_fixture_rechecks_clean_and_keeps_other_bytes(tmp_path: Path) -> None:
    root = tmp_path / "fixable"
    shutil.copytree(FIXTURE, root)
    before = {p: p.read_bytes() for p in root.rglob("*.py")}
    found = _check(root)
    assert len(found) == 7 and all(d.fix is not None for d in found)
    assert apply_fixes(root, found) == {"app/cli.py": 4, "app/ctl.py": 3}
    assert _check(root) == []

    changed: dict[str, dict[int, str]] = {}
    for path, old in before.items():
        new = path.read_bytes()
        old_lines, new_lines = old.split(b"\n"), new.split(b"\n")
        assert len(old_lines) == len(new_lines)
        diff = {
            i + 1: b.decode()
            for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True))
            if a != b
        }
        if diff:
            changed[path.relative_to(root).as_posix()] = diff
    assert changed == {
        "app/cli.py": {
            19: '    """Greet someone.',
            21: "    The greeting is printed",
            28: '    """Say goodbye to everyone.',
            34: "@cli.command(help=r'Wave at C:\\Users.')  # raw string, kept raw",
        },
        "app/ctl.py": {
            7: '    parser = argparse.ArgumentParser(prog="ctl", description="Control the app.")',
            9: '    sub.add_parser("start", help="Start the app.")  # lowercase summary',
            12: '    sub.add_parser("restart", help="Restart the app.")  # summary without period',
        },
    }


def test_no_fix_for_literals_that_are_not_plain(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "x"\n[project.scripts]\nx = "x:main"\n',
            "x.py": """
                import argparse

                WHO = "you"

                def main() -> None:
                    p = argparse.ArgumentParser(prog="x", description="Tab\\there.  ")
                    sub = p.add_subparsers()
                    sub.add_parser("a", description="Joined " "string.  ", help="A.")
                    sub.add_parser("b", description=f"{WHO}.  ", help="B.")
                    sub.add_parser("c", description="Plain.  ", help="C.")
            """,
        }
    )
    found = _check(root, ["C401"])
    assert [(d.line, d.fix is not None) for d in found] == [
        (6, False),  # an escape: the body is not the value
        (8, False),  # implicit concatenation
        (9, False),  # an f-string
        (10, True),
    ]


def test_apply_to_text_skips_overlaps_and_duplicates() -> None:
    text = "abcdef\nghij\n"
    first = Fix("x", (Edit(1, 2, 1, 4, "XY"),))
    overlapping = Fix("y", (Edit(1, 3, 1, 5, "Z"),))
    duplicate = Fix("x again", (Edit(1, 2, 1, 4, "XY"),))
    second_line = Fix("z", (Edit(2, 1, 2, 1, ">"),))
    outside = Fix("bad", (Edit(9, 1, 9, 2, "!"),))
    new, n = apply_to_text(text, [overlapping, first, duplicate, second_line, outside])
    # `overlapping` sorts after `first` (by position) and is skipped; duplicate counted once.
    assert (new, n) == ("aXYdef\n>ghij\n", 2)


def test_apply_fixes_keeps_crlf_and_untouched_files(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(b"x = 'a  '\r\ny = 1\r\n")
    other = tmp_path / "b.py"
    other.write_bytes(b"z = 2\n")
    from kdocs.models.diagnostics import Diagnostic

    d = Diagnostic("C401", "m", "a.py", 1, 5, fix=Fix("strip", (Edit(1, 7, 1, 9, ""),)))
    assert apply_fixes(tmp_path, [d, Diagnostic("C101", "no fix", "b.py")]) == {"a.py": 1}
    assert path.read_bytes() == b"x = 'a'\r\ny = 1\r\n"
    assert other.read_bytes() == b"z = 2\n"


def test_fix_is_idempotent(tmp_path: Path) -> None:
    root = tmp_path / "fixable"
    shutil.copytree(FIXTURE, root)
    apply_fixes(root, _check(root))
    snapshot = {p: p.read_bytes() for p in root.rglob("*.py")}
    assert apply_fixes(root, _check(root)) == {}
    assert {p: p.read_bytes() for p in root.rglob("*.py")} == snapshot
