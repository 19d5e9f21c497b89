"""One command for issue 14's speed table: kdocs against the tools it replaces, in one run.

    python benchmarks/suite.py [--repeat 3] [--json suite.json] [--project django==5.2.8]

Corpus: django's sdist from PyPI (tests and docs included, as a maintainer's checkout has
them), downloaded and unpacked once under ``$KDOCS_TEST_CACHE/suite`` and copied into a
scratch folder per run. Peers come from a cached venv (``tests/realenv.py``): import-linter
(``lint-imports``, contracts equivalent to kdocs' ``[tool.kdocs.imports]`` ones) and
deptry. Every figure is the median of ``--repeat`` fresh processes, with its peak RSS
(``wait4``), all measured in the same run so the ratios compare like with like on a shared
machine:

* ``ast.parse`` of every file kdocs analyses, one core (the parse floor);
* ``kdocs check``: cold (no cache directory), warm (nothing changed), one file changed
  (a comment appended to ``django/utils/text.py``, after the 2 s racy-clean window);
* ``kdocs check --select I,D`` cold and warm;
* ``lint-imports --no-cache`` and warm (its cache filled), ``deptry .``.

It prints a Markdown table, then the issue's goals as ratios, and writes everything as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.realenv import cache_root, real_venv  # noqa: E402

PEERS = ["import-linter==2.17", "deptry==0.25.1", "asgiref>=3.8", "sqlparse>=0.3"]
TICK = 2.1
"""kdocs does not trust a stat taken within 2 s of a write (racy-clean): wait that long."""
CHANGED = "django/utils/text.py"

KDOCS_CONFIG = """

[tool.kdocs.imports]

[[tool.kdocs.imports.contracts]]
name = "layers"
type = "layers"
layers = ["django.contrib", "django.db", "django.utils"]

[[tool.kdocs.imports.contracts]]
name = "forbidden"
type = "forbidden"
source-modules = ["django.utils", "django.core"]
forbidden-modules = ["django.db", "django.contrib", "asgiref"]
"""

IMPORTLINTER = """
[importlinter]
root_package = django
include_external_packages = True

[importlinter:contract:layers]
name = layers
type = layers
layers =
    django.contrib
    django.db
    django.utils

[importlinter:contract:forbidden]
name = forbidden
type = forbidden
source_modules =
    django.utils
    django.core
forbidden_modules =
    django.db
    django.contrib
    asgiref
"""

PARSE_ALL = """
import ast, sys, time
from kdocs.project import discover
files = [e.path for e in discover([sys.argv[1]]).files]
start = time.perf_counter()
for path in files:
    try:
        ast.parse(path.read_bytes())
    except (SyntaxError, ValueError):
        pass
print(len(files), time.perf_counter() - start)
"""


def sdist(spec: str) -> Path:
    """The unpacked sdist of ``spec`` (``name==version``), downloaded once."""
    name, version = spec.split("==")
    base = cache_root() / "suite"
    unpacked = base / "src" / f"{name}-{version}"
    if (unpacked / ".ready").exists():
        return unpacked
    downloads = base / "sdists"
    downloads.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-deps",
            "--no-binary",
            ":all:",
            "-d",
            str(downloads),
            spec,
        ],
        check=True,
    )
    stem = f"{name}-{version}".lower().replace("-", "_")
    archive = next(
        p for p in downloads.glob("*.tar.gz") if p.name.lower().replace("-", "_").startswith(stem)
    )
    staging = base / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(archive) as tar:
        tar.extractall(staging, filter="data")
    (top,) = list(staging.iterdir())
    shutil.rmtree(unpacked, ignore_errors=True)
    unpacked.parent.mkdir(parents=True, exist_ok=True)
    top.rename(unpacked)
    shutil.rmtree(staging, ignore_errors=True)
    (unpacked / ".ready").write_text(spec + "\n")
    return unpacked


def measure(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and stdout of one fresh process of ``cmd``.

    A small Python parent forks and execs ``cmd`` and reports the child's own wall time and
    peak RSS (``wait4``), so neither includes the parent's start-up and ``RUSAGE_CHILDREN``
    (a maximum over every child so far) is not needed."""
    proc = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *cmd], cwd=cwd, env=env, capture_output=True, check=False
    )
    err = proc.stderr.decode("utf-8", "replace")
    wall = peak = 0.0
    for line in err.splitlines():
        if line.startswith("SUITE-MEASURE "):
            _, seconds, kb = line.split()
            wall, peak = float(seconds), int(kb) / 1024
    if proc.returncode not in (0, 1) or not wall:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return wall, peak, proc.stdout.decode("utf-8", "replace")


_WRAPPER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
sys.stderr.write(f"SUITE-MEASURE {wall} {usage.ru_maxrss}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


class Suite:
    def __init__(self, project: Path, repeat: int, kdocs_python: str, peers: Any) -> None:
        self.project = project
        self.repeat = repeat
        self.rows: dict[str, dict[str, float]] = {}
        self.kdocs = [kdocs_python, "-m", "kdocs", "check", ".", "--exit-zero"]
        self.kenv = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.kenv.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed kdocs has its .pyc
        self.penv = {**os.environ, "PYTHONPATH": str(project)}
        self.peers = peers

    def time(
        self, label: str, cmd: list[str], env: dict[str, str], before: Any = None
    ) -> dict[str, float]:
        walls, peaks = [], []
        for _ in range(self.repeat):
            if before is not None:
                before()
            wall, peak, _ = measure(cmd, self.project, env)
            walls.append(wall)
            peaks.append(peak)
        row = {"seconds": statistics.median(walls), "peak_mb": max(peaks)}
        self.rows[label] = row
        print(f"  {label}: {row['seconds']:.2f} s, {row['peak_mb']:.0f} MB", file=sys.stderr)
        return row

    def clear_kdocs_cache(self) -> None:
        shutil.rmtree(self.project / ".kdocs_cache", ignore_errors=True)

    def touch_one(self) -> None:
        path = self.project / CHANGED
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"# suite {time.time_ns()}\n")
        time.sleep(TICK)

    def run(self, kdocs_python: str) -> None:
        parse = [kdocs_python, "-c", PARSE_ALL, "."]
        seconds, peaks = [], []
        for _ in range(self.repeat):
            _, peak, out = measure(parse, self.project, self.kenv)
            files, inside = out.split()
            seconds.append(float(inside))  # the parse loop alone, not start-up and walk
            peaks.append(peak)
        self.files = int(files)
        label = "ast.parse, every file, one core"
        self.rows[label] = {"seconds": statistics.median(seconds), "peak_mb": max(peaks)}
        self.time("kdocs check (cold)", self.kdocs, self.kenv, self.clear_kdocs_cache)
        time.sleep(TICK)
        self.time("kdocs check (warm)", self.kdocs, self.kenv)
        self.time("kdocs check (one file changed)", self.kdocs, self.kenv, self.touch_one)
        sel = [*self.kdocs, "--select", "I,D"]
        self.time("kdocs check --select I,D (cold)", sel, self.kenv, self.clear_kdocs_cache)
        time.sleep(TICK)
        self.time("kdocs check --select I,D (warm)", sel, self.kenv)
        lint = [str(self.peers.path / "bin" / "lint-imports")]
        self.time("lint-imports --no-cache", [*lint, "--no-cache"], self.penv)
        measure(lint, self.project, self.penv)  # fill its cache
        self.time("lint-imports (warm)", lint, self.penv)
        deptry = [str(self.peers.path / "bin" / "deptry"), "django"]
        self.time("deptry django", deptry, self.penv)

    def goals(self) -> list[dict[str, Any]]:
        t = {k: v["seconds"] for k, v in self.rows.items()}
        parse, lint_warm = t["ast.parse, every file, one core"], t["lint-imports (warm)"]
        peers_cold = t["lint-imports --no-cache"] + t["deptry django"]
        return [
            {
                "goal": "cold check / ast.parse",
                "ratio": t["kdocs check (cold)"] / parse,
                "target": 2.0,
            },
            {
                "goal": "warm check / warm lint-imports",
                "ratio": t["kdocs check (warm)"] / lint_warm,
                "target": 1.0,
            },
            {
                "goal": "one file changed / warm lint-imports",
                "ratio": t["kdocs check (one file changed)"] / lint_warm,
                "target": 1.5,
            },
            {
                "goal": "cold I,D / (lint-imports --no-cache + deptry)",
                "ratio": t["kdocs check --select I,D (cold)"] / peers_cold,
                "target": 1.0,
            },
            {
                "goal": "warm I,D / warm lint-imports",
                "ratio": t["kdocs check --select I,D (warm)"] / lint_warm,
                "target": 1.0,
            },
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="Runs per figure (median).")
    parser.add_argument("--project", default="django==5.2.8", help="The sdist to check.")
    parser.add_argument("--json", type=Path, default=Path("suite.json"), help="JSON output.")
    parser.add_argument(
        "--kdocs-python", default=sys.executable, help="Interpreter that has kdocs' deps."
    )
    args = parser.parse_args()
    source = sdist(args.project)
    peers = real_venv(PEERS)
    work = Path(tempfile.mkdtemp(prefix="kdocs-suite-"))
    try:
        project = work / source.name
        shutil.copytree(source, project, symlinks=True)
        pyproject = project / "pyproject.toml"
        pyproject.write_text(pyproject.read_text(encoding="utf-8") + KDOCS_CONFIG)
        (project / ".importlinter").write_text(IMPORTLINTER, encoding="utf-8")
        suite = Suite(project, args.repeat, args.kdocs_python, peers)
        suite.run(args.kdocs_python)
        goals = suite.goals()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"{args.project} sdist: {suite.files} files analysed; median of {args.repeat}, "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}\n"
    )
    print("| run | seconds | peak RSS MB |")
    print("| --- | ---: | ---: |")
    for label, row in suite.rows.items():
        print(f"| {label} | {row['seconds']:.2f} | {row['peak_mb']:.0f} |")
    print("\n| goal | ratio | target | met |")
    print("| --- | ---: | ---: | --- |")
    for goal in goals:
        met = "yes" if goal["ratio"] <= goal["target"] else "no"
        print(f"| {goal['goal']} | {goal['ratio']:.2f} | ≤ {goal['target']} | {met} |")
    args.json.write_text(
        json.dumps(
            {
                "project": args.project,
                "files": suite.files,
                "repeat": args.repeat,
                "cores": os.cpu_count(),
                "rows": suite.rows,
                "goals": goals,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
