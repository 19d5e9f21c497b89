"""The progress bar: on a terminal (a real pty) it is drawn and then erased; in a pipe, in CI
or on a warm run there is no trace of it."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from kdocs import progress
from tests.conftest import MakeProject

KDOCS = [sys.executable, "-c", "from kdocs.cli import main; main()"]


@pytest.fixture
def project(make_project: MakeProject) -> Path:
    files = {"pyproject.toml": '[project]\nname = "p"\nversion = "1"\n', "p/__init__.py": ""}
    for i in range(30):
        files[f"p/m{i}.py"] = f"import os\n\nVALUE_{i} = {i}\n"
    return make_project(files)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "TERM", "NO_COLOR")}
    env.update({"KDOCS_PROGRESS_DELAY": "0", "TERM": "xterm", **extra})
    return env


def run_on_pty(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, bytes, bytes]:
    """Run kdocs with stderr on a pseudo-terminal; stdout is a pipe. Returns the exit code,
    stdout and everything written to the terminal."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([*KDOCS, *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    terminal = b""
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        terminal += chunk
    os.close(master)
    stdout = proc.stdout.read() if proc.stdout else b""
    return proc.wait(timeout=60), stdout, terminal


def test_bar_on_a_terminal_is_drawn_then_erased(project: Path) -> None:
    code, stdout, terminal = run_on_pty(["check", "--no-cache"], project, _env())
    assert code == 0
    assert b"kdocs: reading files [" in terminal
    assert b"31/31" in terminal  # the last update is always drawn
    assert terminal.endswith(b"\r\x1b[K")  # erased: the terminal is left as it was
    assert stdout == b"All checks passed: 31 files checked.\n"  # stdout untouched


def test_no_bar_in_ci_even_on_a_terminal(project: Path) -> None:
    code, _, terminal = run_on_pty(["check", "--no-cache"], project, _env(CI="true"))
    assert (code, terminal) == (0, b"")


def test_no_bar_in_a_pipe(project: Path) -> None:
    proc = subprocess.run(
        [*KDOCS, "check", "--no-cache"], cwd=project, env=_env(), capture_output=True
    )
    assert proc.returncode == 0
    assert proc.stderr == b""


def test_no_bar_before_the_delay(project: Path) -> None:
    """A run shorter than the delay (1 s by default) prints nothing on the terminal."""
    code, _, terminal = run_on_pty(
        ["check", "--no-cache"], project, _env(KDOCS_PROGRESS_DELAY="60")
    )
    assert (code, terminal) == (0, b"")


def test_no_bar_on_a_warm_run(project: Path) -> None:
    run_on_pty(["check"], project, _env())  # fills the cache
    code, _, terminal = run_on_pty(["check"], project, _env())
    assert (code, terminal) == (0, b"")  # nothing to extract


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, True),
        ({"CI": "true"}, False),
        ({"CI": "1"}, False),
        ({"CI": "false"}, True),
        ({"TERM": "dumb"}, False),
    ],
)
def test_wanted(env: dict[str, str], expected: bool) -> None:
    assert progress.wanted(_Tty(), env) is expected
    assert progress.wanted(io.StringIO(), env) is False
