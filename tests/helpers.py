"""Helpers to run the real ``kdocs`` command line in-process and capture what a user sees."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from kdocs.cli import main
from kdocs.models.cli import Command


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_kdocs(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Invoke ``kdocs ARGS`` through :func:`kdocs.cli.main` (exit codes included)."""
    runner = CliRunner()
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = runner.invoke(_Main(), list(args), env=env, catch_exceptions=False)
    finally:
        os.chdir(old)
    return Run(result.exit_code, result.stdout, result.stderr)


class _Main:
    """Adapter so CliRunner can call :func:`main` (which owns error handling and exit codes)."""

    name = "kdocs"

    def main(self, args: list[str], prog_name: str | None = None, **extra: Any) -> None:
        main(args)


def age_tree(root: Path) -> None:
    """Give every file of a test project a distinct, old mtime: an edit then always changes
    the stat, and git's racy-clean rule does not keep freshly written files out of caches."""
    for i, path in enumerate(sorted(root.rglob("*"))):
        if path.is_file() and ".kdocs_cache" not in path.parts:
            os.utime(path, ns=(1_600_000_000_000_000_000 + i, 1_600_000_000_000_000_000 + i))


def visible_commands(cmd: Command) -> list[Command]:
    """``cmd`` and its descendants that are not hidden, depth first: what a generated
    reference documents by default (written here, not taken from ``kdocs.gen``, so the
    generator tests do not check the generators against themselves)."""
    out = [cmd]
    for sub in cmd.subcommands:
        if not sub.hidden:
            out.extend(visible_commands(sub))
    return out
