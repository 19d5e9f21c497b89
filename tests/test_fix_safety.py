"""``kdocs check --fix`` never corrupts code and never writes where it must not (issue 10).

Every test builds a small real project in tmp_path and runs the real CLI (in-process, or as
real processes where concurrency or resource limits matter), then compares exact bytes.
"""

from __future__ import annotations

import ast
import hashlib
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kdocs.fix import apply_text, fix_files
from kdocs.models.diagnostics import Diagnostic, Edit, Fix
from tests.helpers import run_kdocs

PYPROJECT = '[project]\nname = "app"\n[project.scripts]\napp = "app.cli:cli"\n'


def _project(tmp_path: Path, cli: bytes, extra: dict[str, bytes] | None = None) -> Path:
    root = tmp_path / "proj"
    (root / "app").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "app" / "__init__.py").write_bytes(b"")
    (root / "app" / "cli.py").write_bytes(cli)
    for rel, data in (extra or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def _fix(root: Path, *extra: str) -> tuple[int, str, str]:
    run = run_kdocs("check", str(root), "--select", "C", "--no-cache", "--fix", *extra)
    return run.exit_code, run.stdout, run.stderr


def _parses(data: bytes) -> bool:
    try:
        ast.parse(data)
    except SyntaxError:
        return False
    return True


def test_lone_cr_line_break_does_not_shift_the_edit(tmp_path: Path) -> None:
    # libcst counts the lone CR as a line break; splitting on "\n" only put the edit one
    # line off (`retval` became `retLal`).
    src = (
        b"# h\rimport click\n\n\n@click.command()\n"
        b'@click.option("--retval", help="The value.")\n'
        b'def cli(retval: str) -> None:\n    """show it."""\n'
    )
    root = _project(tmp_path, src)
    code, out, err = _fix(root)
    assert (code, out.strip()) == (0, "All checks passed: 2 files checked."), err
    assert (root / "app" / "cli.py").read_bytes() == src.replace(b"show it", b"Show it")


def test_bom_file_fixed_on_line_one_still_parses(tmp_path: Path) -> None:
    src = (
        b"\xef\xbb\xbfimport argparse; P = argparse.ArgumentParser("
        b'prog="app", description="Run it.  ")\n\n\ndef cli() -> None:\n    P.parse_args()\n'
    )
    root = _project(tmp_path, src)
    code, _, err = _fix(root)
    data = (root / "app" / "cli.py").read_bytes()
    assert code == 0 and "Fixed 1 problem" in err, err
    assert data == src.replace(b'"Run it.  "', b'"Run it."')
    assert data.startswith(b"\xef\xbb\xbf") and _parses(data)


def test_crlf_is_kept_inside_a_multi_line_fix(tmp_path: Path) -> None:
    # C402 strips trailing whitespace across several lines of one docstring: the edit spans
    # line breaks, which must stay CRLF.
    src = (
        b"import click\r\n\r\n\r\n@click.command()\r\n"
        b'def cli() -> None:\r\n    """Run it.   \r\n\r\n    More text   \r\n'
        b'    and more.   \r\n    """\r\n'
    )
    root = _project(tmp_path, src)
    code, _, err = _fix(root)
    data = (root / "app" / "cli.py").read_bytes()
    assert code == 0, err
    assert data == src.replace(b"   \r\n", b"\r\n")
    assert data.count(b"\n") == data.count(b"\r\n")


def test_lone_cr_file_keeps_lone_cr_inside_a_multi_line_fix(tmp_path: Path) -> None:
    src = (
        b'import click\r\r\r@click.command()\rdef cli() -> None:\r    """Run it.  \r\r'
        b'    More text  \r    """\r'
    )
    root = _project(tmp_path, src)
    code, _, err = _fix(root)
    data = (root / "app" / "cli.py").read_bytes()
    assert code == 0, err
    assert data == src.replace(b"  \r", b"\r") and b"\n" not in data


def test_edit_whose_old_text_differs_is_skipped() -> None:
    text = "x = 'abc'\ny = 1\n"
    good = Fix("g", (Edit(2, 5, 2, 6, "2", original="1"),))
    wrong = Fix("w", (Edit(1, 6, 1, 9, "ABC", original="xyz"),))
    result = apply_text(text, [good, wrong])
    assert (result.text, result.applied, result.mismatched) == ("x = 'abc'\ny = 2\n", 1, 1)


def test_fix_computed_from_other_content_is_not_applied(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(b"x = 'a  '\n")
    stale = hashlib.sha256(b"something else").hexdigest()
    fix = Fix("strip", (Edit(1, 7, 1, 9, "", original="  "),), source_sha256=stale)
    report = fix_files(tmp_path, [Diagnostic("C401", "m", "a.py", fix=fix)])
    assert report.applied == {} and report.skipped[0][0] == "a.py"
    assert "changed since it was checked" in report.skipped[0][1]
    assert path.read_bytes() == b"x = 'a  '\n"
    current = hashlib.sha256(b"x = 'a  '\n").hexdigest()
    fix = Fix("strip", fix.edits, source_sha256=current)
    assert fix_files(tmp_path, [Diagnostic("C401", "m", "a.py", fix=fix)]).applied == {"a.py": 1}
    assert path.read_bytes() == b"x = 'a'\n"


def _kdocs_proc(root: Path, *args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kdocs", "check", str(root), "--select", "C", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        **kw,  # type: ignore[call-overload]
    )


def test_concurrent_fix_runs_apply_each_fix_once(tmp_path: Path) -> None:
    # Three real processes fixing one tree at once: without compare-and-swap a fix computed
    # from the old text was applied again to the new one ("Lower summary..").
    src = (
        b"import click\n\n\n@click.group()\ndef cli() -> None:\n"
        b'    """Lower summary"""\n\n\n@cli.command()\n'
        b'@click.option("--name", help="The name.  ")\n'
        b'def bye(name: str) -> None:\n    """Say goodbye."""\n'
    )
    want = src.replace(b"Lower summary", b"Lower summary.")
    root = _project(tmp_path, src)
    for _ in range(4):
        (root / "app" / "cli.py").write_bytes(src)
        with ThreadPoolExecutor(3) as pool:
            runs = list(pool.map(lambda _: _kdocs_proc(root, "--fix"), range(3)))
        assert all("internal error" not in r.stderr for r in runs), [r.stderr for r in runs]
        assert (root / "app" / "cli.py").read_bytes() == want, [r.stderr for r in runs]
        assert sum("Fixed 1 problem(s)" in r.stderr for r in runs) == 1


def test_symlinked_file_and_directory_outside_are_neither_read_nor_written(
    tmp_path: Path,
) -> None:
    """kdocs never follows a link out of the project: the linked file and folder are E001
    walk problems, never analysed, never fixed."""
    bad = b'import click\n\n\n@click.command(help="Outside.  ")\ndef cli() -> None:\n    pass\n'
    outside = tmp_path / "outside"
    (outside / "sub").mkdir(parents=True)
    (outside / "real.py").write_bytes(bad)
    (outside / "sub" / "cmd.py").write_bytes(bad)
    root = _project(tmp_path, b"import click\n\n\n@click.command()\ndef cli() -> None:\n    pass\n")
    (root / "app" / "linked.py").symlink_to(outside / "real.py")
    (root / "app" / "sub").symlink_to(outside / "sub", target_is_directory=True)
    scripts = 'linked = "app.linked:cli"\nsubcmd = "app.sub.cmd:cli"\n'
    (root / "pyproject.toml").write_text(PYPROJECT + scripts)  # declared CLIs, so checked
    code, out, _err = _fix(root, "--extend-select", "E001")
    assert (outside / "real.py").read_bytes() == bad
    assert (outside / "sub" / "cmd.py").read_bytes() == bad
    assert (root / "app" / "linked.py").is_symlink()
    assert "app/linked.py:1:1: E001 skipped: a symlink to a file outside the project" in out
    assert "app/sub:1:1: E001 not entered: a symlink to a folder outside the project" in out
    # The scripts name modules the project does not have; nothing of the outside was read.
    assert "module `app.linked` is not among the project's Python files" in out
    assert code == 1 and "C401" not in out


def _limit_file_size(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_unwritable_file_is_reported_and_others_are_fixed(tmp_path: Path) -> None:
    # A write that really fails, even as root: RLIMIT_FSIZE makes writing the big file fail
    # (EFBIG; Python ignores SIGXFSZ) while the small one fits.
    small = b'import click\n\n\n@click.command(help="Small.  ")\ndef cli() -> None:\n    pass\n'
    big = small.replace(b"Small", b"Big") + b"# padding\n" * 2000
    root = _project(tmp_path, small, {"app/big.py": big})
    (root / "pyproject.toml").write_text(PYPROJECT + 'big = "app.big:cli"\n')
    proc = _kdocs_proc(root, "--fix", "--no-cache", preexec_fn=_limit_file_size(len(small) + 100))
    assert proc.returncode == 1, proc.stderr
    assert "internal error" not in proc.stderr
    assert "app/big.py: fix failed: cannot write: File too large" in proc.stderr
    assert (root / "app" / "cli.py").read_bytes() == small.replace(b"Small.  ", b"Small.")
    assert (root / "app" / "big.py").read_bytes() == big
    assert "app/big.py:5:1: C401" in proc.stdout  # the rest is reported normally
    assert not [p for p in (root / "app").iterdir() if p.name.endswith(".tmp")]


def test_fix_keeps_mode_of_the_file(tmp_path: Path) -> None:
    src = b'import click\n\n\n@click.command(help="Run.  ")\ndef cli() -> None:\n    pass\n'
    root = _project(tmp_path, src)
    os.chmod(root / "app" / "cli.py", 0o751)
    code, _, err = _fix(root)
    assert code == 0, err
    assert (root / "app" / "cli.py").stat().st_mode & 0o777 == 0o751


def test_mixed_line_breaks_keep_their_own_style() -> None:
    # One edit replaces a whole help body and drops one break: the breaks it keeps are the
    # file's own (LF then CRLF), not one style for all.
    text = 'd = """ A\n\r\n    A\r\n    """\r\n'
    fix = Fix("strip", (Edit(1, 8, 4, 5, "A\n\n    A", original=" A\n\n    A\n    "),))
    result = apply_text(text, [fix])
    assert (result.text, result.applied) == ('d = """A\n\r\n    A"""\r\n', 1)


def test_edit_that_would_fuse_cr_and_lf_is_skipped() -> None:
    # Found by benchmarks/fuzz_fix.py: a lone CR, then a line holding only a tab. Stripping
    # the tab makes "\r" + "\n" one CRLF: the help loses a line (a paragraph break).
    text = 'd = """A\r\t\n    B\n    """\n'
    fix = Fix("strip", (Edit(2, 1, 2, 2, "", original="\t"),))
    result = apply_text(text, [fix])
    assert (result.text, result.applied, result.unsafe) == (text, 0, 1)
    # The same edit with an LF before the tab is safe and applied.
    ok = apply_text(text.replace("\r", "\n"), [fix])
    assert (ok.text, ok.applied) == ('d = """A\n\n    B\n    """\n', 1)


def test_fix_that_would_fuse_line_breaks_is_reported(tmp_path: Path) -> None:
    src = (
        b"import click\n\n\n@click.command()\n"
        b'def cli() -> None:\n    """Run it.\r\t\n    More text.\n    """\n'
    )
    root = _project(tmp_path, src)
    code, out, err = _fix(root)
    assert (root / "app" / "cli.py").read_bytes() == src
    assert "app/cli.py: fix skipped: 1 fix(es) would change the file's line breaks" in err
    assert code == 1 and "C402" in out


def test_breaks_of_a_mixed_docstring_stay_in_place() -> None:
    # Found by benchmarks/fuzz_fix.py: aligning characters moved the LF of a mixed CRLF/LF
    # docstring to another line; lines are aligned now, each keeps its own break.
    body = "A \r\n \r\n    A \r\n\n    A \r\n    "
    text = f'd = """{body}"""\n'
    logical = body.replace("\r\n", "\n")
    fixed = "A\n\n    A\n\n    A\n    "
    fix = Fix("strip", (Edit(1, 9, 5, 7, fixed[1:-5], original=logical[1:-5]),))
    result = apply_text(text, [fix])
    assert result.applied == 1
    assert result.text == 'd = """A\r\n\r\n    A\r\n\n    A\r\n    """\n'
