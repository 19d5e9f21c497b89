"""One command for issue 14's speed table: kdocs against the tools it replaces, in one run.

    python benchmarks/suite.py [--corpus django|stdlib|pydantic|all] [--repeat 3]
        [--json suite.json] [--project SPEC]

Corpora (``--corpus``, default ``django``), each copied into a scratch folder per run:

* ``django``: django's sdist from PyPI (tests and docs included, as a maintainer's checkout
  has them; ``--project`` picks another version);
* ``stdlib``: the standard library of the running interpreter (every ``*.py`` under
  ``sysconfig.get_paths()["stdlib"]``, without ``site-packages``) with a minimal
  ``pyproject.toml``;
* ``pydantic``: a types-heavy package, cloudflare's generated API client (about 7,600 files,
  55 MB of source, most of it pydantic models; ``--project`` picks another sdist, e.g.
  ``openai==3.57.0``).

sdists are downloaded and unpacked once under ``$KDOCS_TEST_CACHE/suite``. Peers come from a
cached venv (``tests/realenv.py``): import-linter (``lint-imports``, contracts equivalent to
kdocs' ``[tool.kdocs.imports]`` ones) and deptry; they run on django only (the other corpora
have no import contracts to compare, and deptry would only report their undeclared
environment), which the table notes. Every figure is the median of ``--repeat`` fresh
processes, with its peak RSS (``wait4``), all measured in the same run so the ratios compare
like with like on a shared machine:

* ``ast.parse`` of every file kdocs analyses, one core (the parse floor);
* ``kdocs check``: cold (no cache directory), warm (nothing changed), one file changed
  (a comment appended to one module, after the 2 s racy-clean window);
* ``kdocs check --select I,D`` cold and warm;
* django: ``lint-imports --no-cache`` and warm (its cache filled), ``deptry .``;
* pydantic: ``kdocs inspect types --format json`` cold, warm (the stored output copied out)
  and warm with the stored output forgotten (the cached model rendered), stdout to
  ``/dev/null``.

It prints a Markdown table per corpus, then the issue's goals as ratios, and writes
everything as JSON (``--corpus all``: one file per corpus, ``suite-django.json``...).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.imports_speed import CONTRACTS_TOML, IMPORTLINTER  # noqa: E402
from tests.realenv import cache_root, real_venv  # noqa: E402

PEERS = ["import-linter==2.17", "deptry==0.25.1", "asgiref>=3.8", "sqlparse>=0.3"]
TICK = 2.1
"""kdocs does not trust a stat taken within 2 s of a write (racy-clean): wait that long."""


@dataclass(frozen=True)
class Corpus:
    """One project the suite measures, and which rows apply to it."""

    name: str
    changed: str
    """The module the one-file-changed run appends a comment to."""
    peers: bool = False
    """import-linter and deptry apply (contracts written for it)."""
    types: bool = False
    """``kdocs inspect types`` rows (the types-heavy goal)."""
    spec: str | None = None
    """The default sdist (``name==version``); None for the standard library."""


CORPORA = {
    "django": Corpus("django", "django/utils/text.py", peers=True, spec="django==5.2.8"),
    "stdlib": Corpus("stdlib", "textwrap.py"),
    "pydantic": Corpus(
        "pydantic", "src/cloudflare/types/zones/zone.py", types=True, spec="cloudflare==5.9.0"
    ),
}

STDLIB_PYPROJECT = '[project]\nname = "stdlib"\nversion = "0"\n'

KDOCS_CONFIG = "\n\n[tool.kdocs.imports]\n" + CONTRACTS_TOML
"""Appended to the corpus' own pyproject.toml: the contracts of ``imports_speed.py``."""

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


def copy_stdlib(dest: Path) -> Path:
    """The running interpreter's standard library (``*.py`` only, no ``site-packages``)
    copied into ``dest``, with a minimal ``pyproject.toml`` so kdocs sees one project."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for path in stdlib.rglob("*.py"):
        rel = path.relative_to(stdlib)
        if rel.parts[0] == "site-packages" or "__pycache__" in rel.parts or not path.is_file():
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest / rel)
    (dest / "pyproject.toml").write_text(STDLIB_PYPROJECT, encoding="utf-8")
    return dest


def measure(
    cmd: list[str], cwd: Path, env: dict[str, str], discard: bool = False
) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and stdout of one fresh process of ``cmd``.

    A small Python parent forks and execs ``cmd`` and reports the child's own wall time and
    peak RSS (``wait4``), so neither includes the parent's start-up and ``RUSAGE_CHILDREN``
    (a maximum over every child so far) is not needed. ``discard`` sends stdout to
    ``/dev/null`` (``inspect`` prints a hundred MB on the types-heavy corpus)."""
    proc = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *cmd],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL if discard else subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
    )
    err = proc.stderr.decode("utf-8", "replace")
    wall = peak = 0.0
    for line in err.splitlines():
        if line.startswith("SUITE-MEASURE "):
            _, seconds, kb = line.split()
            wall, peak = float(seconds), int(kb) / 1024
    if proc.returncode not in (0, 1) or not wall:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return wall, peak, (proc.stdout or b"").decode("utf-8", "replace")


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
    def __init__(
        self, corpus: Corpus, project: Path, repeat: int, kdocs_python: str, peers: Any
    ) -> None:
        self.corpus = corpus
        self.project = project
        self.repeat = repeat
        self.rows: dict[str, dict[str, float]] = {}
        self.kdocs = [kdocs_python, "-m", "kdocs", "check", ".", "--exit-zero"]
        self.inspect = [kdocs_python, "-m", "kdocs", "inspect", "types", ".", "--format", "json"]
        self.kenv = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.kenv.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed kdocs has its .pyc
        self.penv = {**os.environ, "PYTHONPATH": str(project)}
        self.peers = peers

    def time(
        self,
        label: str,
        cmd: list[str],
        env: dict[str, str],
        before: Any = None,
        discard: bool = False,
    ) -> dict[str, float]:
        walls, peaks = [], []
        for _ in range(self.repeat):
            if before is not None:
                before()
            wall, peak, _ = measure(cmd, self.project, env, discard)
            walls.append(wall)
            peaks.append(peak)
        row = {"seconds": statistics.median(walls), "peak_mb": max(peaks)}
        self.rows[label] = row
        print(f"  {label}: {row['seconds']:.2f} s, {row['peak_mb']:.0f} MB", file=sys.stderr)
        return row

    def clear_kdocs_cache(self) -> None:
        shutil.rmtree(self.project / ".kdocs_cache", ignore_errors=True)

    def forget_inspect_output(self) -> None:
        """Drop the stored ``inspect`` output (kdocs/inspectcache.py): the run then loads
        the cached types model and renders it, as before that cache existed."""
        for record in (self.project / ".kdocs_cache").glob("*/inspect-output.json"):
            record.unlink()

    def touch_one(self) -> None:
        path = self.project / self.corpus.changed
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
        if self.corpus.types:
            self.time(
                "kdocs inspect types (cold)",
                self.inspect,
                self.kenv,
                self.clear_kdocs_cache,
                discard=True,
            )
            time.sleep(TICK)
            self.time("kdocs inspect types (warm)", self.inspect, self.kenv, discard=True)
            self.time(
                "kdocs inspect types (warm, output not stored)",
                self.inspect,
                self.kenv,
                self.forget_inspect_output,
                discard=True,
            )
        if not self.corpus.peers:
            return
        lint = [str(self.peers.path / "bin" / "lint-imports")]
        self.time("lint-imports --no-cache", [*lint, "--no-cache"], self.penv)
        measure(lint, self.project, self.penv)  # fill its cache
        self.time("lint-imports (warm)", lint, self.penv)
        deptry = [str(self.peers.path / "bin" / "deptry"), "django"]
        self.time("deptry django", deptry, self.penv)

    def goals(self) -> list[dict[str, Any]]:
        t = {k: v["seconds"] for k, v in self.rows.items()}
        parse = t["ast.parse, every file, one core"]
        goals = [
            {
                "goal": "cold check / ast.parse",
                "ratio": t["kdocs check (cold)"] / parse,
                "target": 2.0,
            }
        ]
        if self.corpus.types:
            goals += [
                {
                    "goal": "cold inspect types / ast.parse",
                    "ratio": t["kdocs inspect types (cold)"] / parse,
                    "target": 1.5,
                },
                {
                    "goal": "warm inspect types, seconds",
                    "ratio": t["kdocs inspect types (warm)"],
                    "target": 0.3,
                },
            ]
        if not self.corpus.peers:
            return goals
        lint_warm = t["lint-imports (warm)"]
        peers_cold = t["lint-imports --no-cache"] + t["deptry django"]
        return [
            *goals,
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


def prepare(corpus: Corpus, spec: str | None, work: Path) -> tuple[Path, str]:
    """Copy ``corpus`` into ``work``: the project folder and a one-line description."""
    if corpus.spec is None:
        project = copy_stdlib(work / "stdlib")
        return project, f"CPython {sys.version.split()[0]} standard library"
    spec = spec or corpus.spec
    source = sdist(spec)
    project = work / source.name
    shutil.copytree(source, project, symlinks=True)
    if corpus.peers:
        pyproject = project / "pyproject.toml"
        pyproject.write_text(pyproject.read_text(encoding="utf-8") + KDOCS_CONFIG)
        (project / ".importlinter").write_text(IMPORTLINTER, encoding="utf-8")
    return project, f"{spec} sdist"


def run_corpus(corpus: Corpus, args: argparse.Namespace, peers: Any, out: Path) -> None:
    """Measure one corpus, print its tables and write its JSON to ``out``."""
    work = Path(tempfile.mkdtemp(prefix="kdocs-suite-"))
    try:
        project, described = prepare(corpus, args.project, work)
        suite = Suite(corpus, project, args.repeat, args.kdocs_python, peers)
        suite.run(args.kdocs_python)
        goals = suite.goals()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"{described}: {suite.files} files analysed; median of {args.repeat}, "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}\n"
    )
    print("| run | seconds | peak RSS MB |")
    print("| --- | ---: | ---: |")
    for label, row in suite.rows.items():
        print(f"| {label} | {row['seconds']:.2f} | {row['peak_mb']:.0f} |")
    if not corpus.peers:
        print("\n(import-linter and deptry skipped: no import contracts written for this corpus)")
    print("\n| goal | ratio | target | met |")
    print("| --- | ---: | ---: | --- |")
    for goal in goals:
        met = "yes" if goal["ratio"] <= goal["target"] else "no"
        print(f"| {goal['goal']} | {goal['ratio']:.2f} | ≤ {goal['target']} | {met} |")
    out.write_text(
        json.dumps(
            {
                "corpus": corpus.name,
                "project": args.project or corpus.spec or "stdlib",
                "description": described,
                "files": suite.files,
                "repeat": args.repeat,
                "cores": os.cpu_count(),
                "load": os.getloadavg()[0],
                "rows": suite.rows,
                "goals": goals,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nwrote {out}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="Runs per figure (median).")
    parser.add_argument(
        "--corpus", choices=[*CORPORA, "all"], default="django", help="What to measure."
    )
    parser.add_argument(
        "--project", default=None, help="The sdist to check (default: the corpus' own)."
    )
    parser.add_argument("--json", type=Path, default=Path("suite.json"), help="JSON output.")
    parser.add_argument(
        "--kdocs-python", default=sys.executable, help="Interpreter that has kdocs' deps."
    )
    args = parser.parse_args()
    names = list(CORPORA) if args.corpus == "all" else [args.corpus]
    if args.project is not None and (len(names) != 1 or CORPORA[names[0]].spec is None):
        parser.error("--project needs one sdist corpus (--corpus django or pydantic)")
    peers = real_venv(PEERS) if any(CORPORA[name].peers for name in names) else None
    for name in names:
        out = args.json
        if len(names) > 1:
            out = out.with_name(f"{out.stem}-{name}{out.suffix}")
        run_corpus(CORPORA[name], args, peers, out)


if __name__ == "__main__":
    main()
