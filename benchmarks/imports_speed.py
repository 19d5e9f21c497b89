"""Speed of kdocs' import checks against import-linter and grimp, on django 5.2.

Run: ``/work/venv/bin/python benchmarks/imports_speed.py [--repeat N]``

django is installed into a cached venv (``tests/realenv.py``) and copied into a scratch
project with the same contracts for both tools (a forbidden and a layers contract). Every
command runs as a fresh process, best of ``--repeat`` runs:

- kdocs cold: ``kdocs check --select I --no-cache`` (and ``I,D`` when the D family is there)
- kdocs warm: ``kdocs check --select I`` with the cache filled by a previous run
- lint-imports cold (``--no-cache``) and warm (its own cache filled)
- grimp ``build_graph`` (cold), inside its process

plus in-process figures that split kdocs' cold run: the import analysis alone (scan, link,
rules) and the pipeline's full ``ast.parse`` of every file (the syntax check that every run
does today). Ratios are kdocs / peer: below 1 means kdocs is faster.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.realenv import real_venv  # noqa: E402

REQUIREMENTS = ["django==5.2.*", "sqlalchemy==2.0.*", "grimp==3.20", "import-linter==2.17"]
KDOCS_PYTHON = os.environ.get("KDOCS_PYTHON", "/work/venv/bin/python")

CONTRACTS_TOML = """
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
"""kdocs' side of the django contracts; :data:`IMPORTLINTER` is the same for lint-imports
(``suite.py`` and ``imports_accuracy.py`` measure with these too)."""

PYPROJECT = (
    """
[project]
name = "djangobench"
version = "0"
dependencies = ["asgiref>=3.8", "sqlparse>=0.3"]

[tool.kdocs]
src = ["."]
"""
    + CONTRACTS_TOML
)

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

GRIMP = """
import time, grimp
t = time.perf_counter()
grimp.build_graph("django", cache_dir=None)
print(time.perf_counter() - t)
"""

IN_PROCESS = """
import sys, time
sys.path.insert(0, {root!r})
from kdocs.analysis import Analysis
from kdocs.engine import CheckOptions, resolve_rules
from kdocs.project import discover
from kdocs.rules.registry import RuleContext
import kdocs.sources, ast

project = discover([{project!r}])
_ = project.files
t0 = time.perf_counter()
for entry in project.files:
    ast.parse(entry.path.read_bytes())
parse = time.perf_counter() - t0

# The import analysis without the pipeline's full parse: what a lazy syntax check would give.
import kdocs.analysis as pipeline
pipeline.check_syntax = lambda source: None
t0 = time.perf_counter()
analysis = Analysis(project, use_cache=False, jobs=1)
analysis.model("imports")
model = time.perf_counter() - t0
t0 = time.perf_counter()
for rule in resolve_rules(project, CheckOptions(select=["I"])):
    names = {{o.name for o in rule.options}}
    section = project.config.section("imports")
    list(rule.check(RuleContext(analysis, {{k: v for k, v in section.items() if k in names}})))
rules = time.perf_counter() - t0
print(parse, model, rules)
"""


def timed(cmd: list[str], cwd: Path, env: dict[str, str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        best = min(best, elapsed)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    venv = real_venv(REQUIREMENTS)
    work = Path(tempfile.mkdtemp(prefix="kdocs-bench-"))
    try:
        project = work / "proj"
        project.mkdir()
        shutil.copytree(venv.site_packages / "django", project / "django")
        (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
        (project / ".importlinter").write_text(IMPORTLINTER, encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(project)}
        kenv = {**os.environ, "PYTHONPATH": str(ROOT)}
        kdocs = [KDOCS_PYTHON, "-m", "kdocs", "check", ".", "--exit-zero"]
        lint = [str(venv.path / "bin" / "lint-imports")]
        n = args.repeat
        rows: list[tuple[str, float]] = []
        rows.append(
            (
                "kdocs check --select I (cold, --no-cache)",
                timed([*kdocs, "--select", "I", "--no-cache"], project, kenv, n),
            )
        )
        rows.append(
            (
                "kdocs check --select I,D (cold, --no-cache)",
                timed([*kdocs, "--select", "I,D", "--no-cache"], project, kenv, n),
            )
        )
        lazy = [
            KDOCS_PYTHON,
            "-c",
            "import sys, kdocs.analysis as a; a.check_syntax = lambda source: None;"
            " from kdocs.cli import main; main(sys.argv[1:])",
            *kdocs[3:],
        ]
        rows.append(
            (
                "kdocs check --select I (cold, proposed: no full parse)",
                timed([*lazy, "--select", "I", "--no-cache"], project, kenv, n),
            )
        )
        rows.append(
            (
                "kdocs check --select I,D (cold, proposed: no full parse)",
                timed([*lazy, "--select", "I,D", "--no-cache"], project, kenv, n),
            )
        )
        timed([*kdocs, "--select", "I,D"], project, kenv, 1)  # fill the cache
        rows.append(
            ("kdocs check --select I (warm)", timed([*kdocs, "--select", "I"], project, kenv, n))
        )
        rows.append(
            (
                "kdocs check --select I,D (warm)",
                timed([*kdocs, "--select", "I,D"], project, kenv, n),
            )
        )
        rows.append(("lint-imports --no-cache", timed([*lint, "--no-cache"], project, env, n)))
        timed(lint, project, env, 1)  # fill its cache
        rows.append(("lint-imports (warm cache)", timed(lint, project, env, n)))
        grimp_proc = timed([str(venv.python), "-c", GRIMP], project, env, n)
        out = subprocess.run(
            [str(venv.python), "-c", GRIMP],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(("grimp build_graph (process)", grimp_proc))
        rows.append(("grimp build_graph (in process)", float(out.stdout.strip())))
        startup = timed([KDOCS_PYTHON, "-c", "import kdocs.cli"], project, kenv, n)
        rows.append(("python -c 'import kdocs.cli' (startup)", startup))
        code = IN_PROCESS.format(root=str(ROOT), project=str(project))
        out = subprocess.run(
            [KDOCS_PYTHON, "-c", code],
            cwd=project,
            env=kenv,
            capture_output=True,
            text=True,
            check=True,
        )
        parse, model, rules = (float(x) for x in out.stdout.split())
        rows.append(("  in-process: ast.parse of every file (pipeline syntax check)", parse))
        rows.append(("  in-process: imports model without full parse (scan+link)", model))
        rows.append(("  in-process: I rules on the model", rules))
        deptry = shutil.which("deptry")
        if deptry:
            rows.append(("deptry .", timed([deptry, "."], project, env, n)))
        width = max(len(r[0]) for r in rows)
        print(
            f"django 5.2 ({len(list((project / 'django').rglob('*.py')))} files), "
            f"best of {n}, {os.cpu_count()} cores"
        )
        for label, seconds in rows:
            print(f"{label:<{width}}  {seconds:7.3f} s")
        t = dict(rows)
        print("\nratios (kdocs / peer)")
        ratios = [
            (
                "cold I vs lint-imports --no-cache",
                "kdocs check --select I (cold, --no-cache)",
                "lint-imports --no-cache",
            ),
            (
                "cold I (proposed) vs lint-imports --no-cache",
                "kdocs check --select I (cold, proposed: no full parse)",
                "lint-imports --no-cache",
            ),
            (
                "warm I vs lint-imports warm",
                "kdocs check --select I (warm)",
                "lint-imports (warm cache)",
            ),
            (
                "cold I,D vs lint-imports --no-cache",
                "kdocs check --select I,D (cold, --no-cache)",
                "lint-imports --no-cache",
            ),
            (
                "warm I,D vs lint-imports warm",
                "kdocs check --select I,D (warm)",
                "lint-imports (warm cache)",
            ),
        ]
        for label, ours, theirs in ratios:
            print(f"{label:<{width}}  {t[ours] / t[theirs]:7.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
