"""Bad input in the analysed tree becomes E-family findings; the run always completes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from kdocs.engine import CheckOptions, run_check
from kdocs.project import discover
from tests.conftest import MakeProject
from tests.helpers import run_kdocs


def codes(root: Path, **kw: object) -> list[tuple[str, str, int, int]]:
    result = run_check(discover([root]), CheckOptions(use_cache=False, **kw))  # type: ignore[arg-type]
    return [(d.code, d.file, d.line, d.column) for d in result.diagnostics]


def test_syntax_error_points_at_position(make_project: MakeProject) -> None:
    root = make_project(
        {"pyproject.toml": "", "ok.py": "x = 1\n", "bad.py": "x = 1\ndef f(:\n    pass\n"}
    )
    assert codes(root) == [("E003", "bad.py", 2, 7)]


def test_non_utf8_file_and_coding_cookie(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": ""})
    (root / "latin.py").write_bytes(b"NAME = 'caf\xe9'\n")
    (root / "cookie.py").write_bytes(b"# -*- coding: latin-1 -*-\nNAME = 'caf\xe9'\n")
    (root / "bom.py").write_bytes(b"\xef\xbb\xbfNAME = 'x'\n")
    found = codes(root)
    assert found == [("E002", "latin.py", 1, 12)]


def test_empty_file_is_fine_by_default_and_reported_when_selected(
    make_project: MakeProject,
) -> None:
    root = make_project({"pyproject.toml": "", "pkg/__init__.py": "", "pkg/empty.py": "\n"})
    assert codes(root) == []
    assert codes(root, select=["E"]) == [("E004", "pkg/empty.py", 1, 1)]


def test_null_bytes_are_a_parse_error(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": ""})
    (root / "nul.py").write_bytes(b"x = 1\x00\n")
    assert [c[0] for c in codes(root)] == ["E003"]


def test_symlink_loop_file(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "", "ok.py": "x = 1\n"})
    os.symlink(root / "loop.py", root / "loop.py")
    assert codes(root) == [("E001", "loop.py", 1, 1)]


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(make_project: MakeProject) -> None:  # pragma: no cover - root in CI
    root = make_project({"pyproject.toml": "", "secret.py": "x = 1\n"})
    (root / "secret.py").chmod(0)
    assert codes(root) == [("E001", "secret.py", 1, 1)]


def test_unreadable_file_as_root_via_directory_without_permission(
    make_project: MakeProject,
) -> None:
    # Root can read any file; a dangling symlink is unreadable for everyone.
    root = make_project({"pyproject.toml": "", "ok.py": ""})
    os.symlink(root / "missing.py", root / "dangling.py")
    assert codes(root) == [("E001", "dangling.py", 1, 1)]


def test_cli_keeps_going_and_never_prints_a_traceback(make_project: MakeProject) -> None:
    root = make_project(
        {"pyproject.toml": "", "bad.py": "class (:\n", "good.py": "def f() -> int:\n    return 1\n"}
    )
    (root / "latin.py").write_bytes(b"s = '\xff'\n")
    run = run_kdocs("check", str(root), "--no-cache")
    assert run.exit_code == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert "E003" in run.stdout and "E002" in run.stdout
    assert "Found 2 problems in 2 files (3 files checked)" in run.stdout


def test_missing_path_is_usage_error(tmp_path: Path) -> None:
    run = run_kdocs("check", str(tmp_path / "nope"))
    assert run.exit_code == 2
    assert "path does not exist" in run.stderr


def test_internal_error_is_short_without_debug(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project({"pyproject.toml": "", "a.py": ""})

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr("kdocs.engine.run_check", boom)
    run = run_kdocs("check", str(root))
    assert run.exit_code == 2
    assert (
        run.stderr.strip()
        == "kdocs: internal error: RuntimeError: kaboom (run with --debug for details)"
    )
    run = run_kdocs("--debug", "check", str(root))
    assert run.exit_code == 2
    assert "Traceback" in run.stderr


def test_syntax_error_found_without_a_full_parse_pass(make_project: MakeProject) -> None:
    """With only import rules selected no file is parsed up front; a broken import statement
    still becomes E003 (when selected) and never an internal error."""
    root = make_project(
        {"pyproject.toml": "", "pkg/__init__.py": "", "pkg/a.py": "from . import (\n"}
    )
    assert codes(root, select=["I"]) == []
    assert codes(root, select=["I", "E003"]) == [("E003", "pkg/a.py", 1, 15)]
