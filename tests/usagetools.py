"""Real ``--help`` usage blocks, to test the model's ``usage`` against (never hard-coded).

:func:`real_usages` runs one Python subprocess that imports the CLI's entry point and calls
it once per command path with ``sys.argv = [script, *path, "--help"]`` and ``COLUMNS=80``,
exactly as the installed console script would run (same program name, same code path), and
returns the usage block each call printed, in the model's stored form
(:func:`kdocs.extract.cli.usage.usage_lines`). One process for all commands keeps it fast.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from kdocs.extract.cli.usage import usage_lines
from kdocs.models.cli import Command

_RUNNER = r"""
import importlib, json, os, sys, tempfile
target, script, paths = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
module, _, attr = target.partition(":")
sys.argv = [script]  # parsers built at import time take their prog from it
saved = os.dup(1)
null = os.open(os.devnull, os.O_WRONLY)
os.dup2(null, 1)  # import-time chatter is not help
obj = importlib.import_module(module)
for part in [p for p in attr.split(".") if p]:
    obj = getattr(obj, part)
out = []
for path in paths:
    sys.argv = [script, *path, "--help"]
    with tempfile.TemporaryFile("w+") as capture:
        # Capture file descriptor 1: some CLIs keep their own reference to sys.stdout.
        sys.stdout.flush()
        os.dup2(capture.fileno(), 1)
        try:
            obj()
        except SystemExit:
            pass
        except Exception as err:
            print(f"<error {type(err).__name__}: {err}>")
        for stream in {id(s): s for s in (sys.stdout, sys.__stdout__) if s}.values():
            stream.flush()
        os.dup2(null, 1)
        capture.seek(0)
        out.append(capture.read())
os.dup2(saved, 1)
print(json.dumps(out))
"""


def command_argvs(root: Command) -> list[tuple[tuple[str, ...], list[str]]]:
    """``(path below the root, argv reaching it)`` for every command of the tree.

    A user types a value for each required positional of the groups above a command
    (``prog ENV deploy --help``), so the argv holds a placeholder for each: the first choice
    when there are choices, else ``x``.
    """
    out: list[tuple[tuple[str, ...], list[str]]] = []

    def walk(cmd: Command, argv: list[str]) -> None:
        out.append((cmd.path[1:], argv))
        fill = [
            (arg.choices[0] if arg.choices else "x")
            for arg in cmd.arguments
            if arg.required and arg.nargs in (None, 1, "+", -1)
        ]
        for sub in cmd.subcommands:
            walk(sub, [*argv, *fill, sub.name])

    walk(root, [])
    return out


def real_usages(
    target: str,
    script: str,
    root: Command,
    *,
    python: Path | str = sys.executable,
    pythonpath: Sequence[Path] = (),
    cwd: Path | None = None,
) -> dict[tuple[str, ...], str | None]:
    """``{path below the root: usage block}`` the real CLI prints for every command."""
    argvs = command_argvs(root)
    env = {
        **os.environ,
        "COLUMNS": "80",
        "LINES": "50",
        "NO_COLOR": "1",
        "TERM": "dumb",
        "PYTHONPATH": os.pathsep.join(str(p) for p in pythonpath),
    }
    env.pop("FORCE_COLOR", None)
    proc = subprocess.run(
        [str(python), "-c", _RUNNER, target, script, json.dumps([a for _, a in argvs])],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    printed = json.loads(proc.stdout.strip().splitlines()[-1])
    return {path: usage_lines(text) for (path, _), text in zip(argvs, printed, strict=True)}


def approximate(cmd: Command) -> bool:
    """Whether kdocs noted that the command's usage is approximate (computed choices...)."""
    return any(note.message.startswith("usage line ") for note in cmd.unresolved)


def agreement(root: Command, real: dict[tuple[str, ...], str | None]) -> tuple[int, int, list[str]]:
    """(commands whose model usage equals the real one, commands compared, differences).

    Differences on commands kdocs marks approximate (:func:`approximate`) are listed with an
    ``(approximate)`` tag so callers can tell them from real errors.
    """
    same = 0
    total = 0
    diffs: list[str] = []
    for cmd in root.walk():
        key = cmd.path[1:]
        if key not in real or real[key] is None:
            continue
        total += 1
        if cmd.usage == real[key]:
            same += 1
        else:
            tag = " (approximate)" if approximate(cmd) else ""
            diffs.append(
                f"{' '.join(cmd.path)}{tag}:\n  model: {cmd.usage!r}\n  real:  {real[key]!r}"
            )
    return same, total, diffs
