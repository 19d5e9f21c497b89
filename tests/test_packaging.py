"""The built wheel installs into a fresh venv and works there, templates included."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.realenv import cache_root

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from this checkout and install it into a brand-new venv."""
    work = tmp_path_factory.mktemp("wheel")
    env = {**os.environ, "PIP_CACHE_DIR": str(cache_root() / "pip-cache")}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(work / "dist"),
            str(REPO),
        ],
        check=True,
        env=env,
    )
    wheels = list((work / "dist").glob("kdocs-*.whl"))
    assert len(wheels) == 1
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", str(wheels[0])], check=True, env=env
    )
    return venv / "bin" / "kdocs"


def run(kdocs: Path, *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(kdocs), *args], capture_output=True, text=True, cwd=cwd, check=False)


def test_version_and_help(installed: Path) -> None:
    from kdocs import __version__

    assert run(installed, "--version").stdout.strip() == f"kdocs, version {__version__}"
    out = run(installed, "--help").stdout
    for command in ("check", "inspect", "gen", "site", "rules"):
        assert command in out


def test_templates_are_found_in_the_wheel(installed: Path, tmp_path: Path) -> None:
    # Run from a directory without the source tree, so only the wheel's copy can be used.
    proc = run(installed, "rules", "E003", "--format", "markdown", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# E003: syntax-error")
    listing = run(installed, "rules", cwd=tmp_path)
    assert "E001  unreadable-file" in listing.stdout


def test_check_demo_from_the_wheel(installed: Path) -> None:
    proc = run(installed, "check", "examples/shipit", "--format", "json", "--no-cache")
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(proc.stdout)
    assert data["summary"]["files_checked"] == 10
    sarif = run(installed, "check", "examples/shipit", "--format", "sarif", "--no-cache")
    assert json.loads(sarif.stdout)["version"] == "2.1.0"
