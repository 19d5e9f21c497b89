"""The hook in .pre-commit-hooks.yaml, run by the real ``pre-commit try-repo``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.realenv import cache_root

REPO = Path(__file__).resolve().parent.parent


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_try_repo(tmp_path: Path) -> None:
    project = tmp_path / "userproj"
    (project / "app").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'app'\nversion = '1'\n")
    (project / "app" / "__init__.py").write_text("")
    (project / "app" / "good.py").write_text("X = 1\n")
    (project / "app" / "bad.py").write_text("def broken(:\n")
    git(project, "init", "-q")
    git(project, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(cache_root() / "pre-commit"),
        "PIP_CACHE_DIR": str(cache_root() / "pip-cache"),
    }
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "kdocs", "--color", "never"]
    # Only the good file is passed: the hook passes although bad.py is broken.
    ok = subprocess.run(
        [*cmd, "--files", "app/good.py"], cwd=project, capture_output=True, text=True, env=env
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Passed" in ok.stdout
    # All files: the syntax error is reported with its position, and the hook fails.
    bad = subprocess.run(
        [*cmd, "--all-files"], cwd=project, capture_output=True, text=True, env=env
    )
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "app/bad.py:1:12: E003 syntax error" in bad.stdout
    assert (project / ".kdocs_cache" / ".gitignore").exists()
