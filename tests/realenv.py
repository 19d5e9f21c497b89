"""Real third-party packages from PyPI, installed once into cached virtualenvs for tests.

``real_venv(["httpie==3.2.4", ...])`` returns a :class:`RealVenv` whose site-packages holds
the packages (and their dependencies). Venvs live under ``$KDOCS_TEST_CACHE`` (default
``~/.cache/kdocs-tests``), keyed by the requirement list, and pip's wheel cache is kept there
too, so only the first run downloads. Tests that need one are marked ``slow`` by the caller.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


def cache_root() -> Path:
    root = Path(os.environ.get("KDOCS_TEST_CACHE", Path.home() / ".cache" / "kdocs-tests"))
    root.mkdir(parents=True, exist_ok=True)
    return root


@dataclass(frozen=True)
class RealVenv:
    path: Path

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"

    @property
    def site_packages(self) -> Path:
        found = sorted(self.path.glob("lib/python3*/site-packages"))
        return found[0]

    def run(self, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.python), *args], capture_output=True, text=True, check=False, **kwargs
        )  # type: ignore[call-overload, no-any-return]


def real_venv(requirements: list[str]) -> RealVenv:
    """Create (once) a venv with ``requirements`` installed; skip the test if pip cannot."""
    key = hashlib.sha256("\n".join(sorted(requirements)).encode()).hexdigest()[:12]
    root = cache_root()
    venv = root / f"venv-{key}"
    marker = venv / ".kdocs-ready"
    if marker.exists():
        return RealVenv(venv)
    lock = root / f"venv-{key}.lock"
    import fcntl

    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        if marker.exists():
            return RealVenv(venv)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        env = {**os.environ, "PIP_CACHE_DIR": str(root / "pip-cache")}
        proc = subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *requirements],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if proc.returncode != 0:
            pytest.skip(f"cannot install {requirements}: {proc.stderr[-2000:]}")
        marker.write_text("\n".join(requirements) + "\n")
    return RealVenv(venv)
