"""The ``kdocs`` program leaves with ``os._exit`` once its output is flushed (no interpreter
teardown): what it printed must all arrive, with the command's exit code, and a reader that
stops early (``kdocs check | head -1``) gets no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import MakeProject

FILES = {
    "pyproject.toml": """
        [project]
        name = "app"
        version = "1"

        [project.scripts]
        app = "app.cli:main"
    """,
    "app/__init__.py": "",
    "app/cli.py": """
        import click


        @click.command()
        @click.option("--dry_run", is_flag=True, help="only print")
        @click.option("--fooBar", help="the bar")
        def main(dry_run, foobar):
            pass
    """,
}


def _kdocs(root: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "kdocs", *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_everything_printed_arrives_with_the_exit_code(make_project: MakeProject) -> None:
    root = make_project(FILES)
    proc = _kdocs(root, "check", "--format", "json", "--no-cache")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err  # findings
    data = json.loads(out)  # the whole document, flushed before the process left
    assert {d["code"] for d in data["diagnostics"]} >= {"C101"}
    clean = _kdocs(root, "check", "--select", "I", "--no-cache")
    out, err = clean.communicate(timeout=120)
    assert clean.returncode == 0, err
    assert b"All checks passed" in out
    usage = _kdocs(root, "check", "--select", "NOPE")
    out, err = usage.communicate(timeout=120)
    assert usage.returncode == 2
    assert b"unknown rule code or prefix" in err


def test_a_reader_that_stops_early_gets_no_traceback(make_project: MakeProject) -> None:
    root = make_project(FILES)
    proc = _kdocs(root, "check", "--format", "json", "--no-cache")
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(1) == b"{"
    proc.stdout.close()  # `| head -c1`
    err = proc.stderr.read()
    proc.wait(timeout=120)
    assert b"Traceback" not in err and b"Exception ignored" not in err, err
    assert proc.returncode in (0, 1)
