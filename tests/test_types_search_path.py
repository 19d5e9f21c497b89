"""The types link's search path is the same for every spelling of a run: ``kdocs`` (the console
script, whose folder Python puts first on ``sys.path``) and ``python -m kdocs`` share one
cached model instead of evicting each other's."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kdocs import __version__, cache
from tests.conftest import MakeProject
from tests.helpers import age_tree

FILES = {
    "pyproject.toml": '[project]\nname = "app"\nversion = "1"\n',
    "app/__init__.py": "",
    "app/models.py": """
        from pydantic import BaseModel


        class User(BaseModel):
            name: str
            age: int = 0
    """,
}

SCRIPT = Path(sys.executable).parent / "kdocs"
TICK_NS = 2_000_000_000
"""kdocs' racy-clean tick in a fresh process (``kdocs.cache.TICK_NS``). Not read from the
module: a test that imports this one may already have set kdocs' own to 0 in-process (the
``no_tick`` fixtures), and :func:`settle` then waited for nothing."""


def test_the_tick_is_kdocs_own() -> None:
    assert cache.TICK_NS == TICK_NS


def _run(command: list[str], root: Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONSAFEPATH", "PYTHONPATH")}
    return subprocess.run(command, cwd=root, capture_output=True, env=env, check=True)


def settle(root: Path) -> None:
    """Wait until every file of ``root`` is older than kdocs' racy-clean tick: a real
    ``kdocs`` process (no test hook) caches nothing while a file is fresher than that."""
    newest = max(p.stat().st_ctime_ns for p in root.rglob("*") if p.is_file())
    wait = newest + TICK_NS - time.time_ns()
    if wait > 0:
        time.sleep(wait / 1e9 + 0.05)


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


@pytest.mark.skipif(not SCRIPT.is_file(), reason="needs the installed kdocs console script")
def test_console_script_and_python_m_share_the_types_model(make_project: MakeProject) -> None:
    root = make_project(FILES)
    age_tree(root)
    settle(root)
    script = [str(SCRIPT), "inspect", "types"]
    module = [sys.executable, "-m", "kdocs", "inspect", "types"]
    first = _run(script, root)
    model = root / ".kdocs_cache" / __version__ / "types-model.bin"
    assert model.is_file()
    before = _stamp(model)
    second = _run(module, root)
    assert second.stdout == first.stdout
    assert b'"name": "User"' in second.stdout
    # The same key: the model linked by the first spelling answered the second one.
    assert _stamp(model) == before
    third = _run(script, root)
    assert third.stdout == first.stdout
    assert _stamp(model) == before
