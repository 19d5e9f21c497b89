"""How much faster is a warm ``kdocs check`` than a cold one, on real projects?

Corpus: pinned sdists from PyPI (click, argparse and pydantic-using CLIs; none of them in the
precision benchmark's set) and django's wheel (the corpus of ``check_speed.py``). For each
project, in fresh processes, the median of ``--repeat`` wall times of:

* cold: ``kdocs check --no-cache`` (extract and link everything);
* warm: ``kdocs check`` with the cache filled and nothing changed;
* touched: ``kdocs check`` right after appending a comment to one source file.

    python benchmarks/warm_speed.py [--repeat 3] [--only black] [--json out.json]
    python benchmarks/warm_speed.py --kdocs /path/to/other/checkout   # compare a revision

Prints a Markdown table with wall and CPU times (CPU time of the kdocs process: steadier on
a shared machine) and the cold/warm ratios (the goal is at least 3x).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
REPO = HERE.parent

SDISTS = ("black==24.10.0", "httpie==3.2.4", "mkdocs==1.6.1", "pip-tools==7.4.1")
"""Mid-size real projects: click (black, mkdocs, pip-tools), argparse (httpie), pydantic-free
and dataclass-heavy code; each with a pyproject or setup file at its root."""

TICK = 2.1
"""Seconds to let freshly written files settle: kdocs does not trust a stat taken within a
clock tick of a write (racy-clean), so a warm run right after unpacking would re-check."""


def sdist(spec: str) -> Path:
    """Download and unpack a source distribution once; return its root folder."""
    name, version = spec.split("==")
    corpus = CACHE / "sdist-corpus"
    found = [p for p in corpus.glob("*") if p.name.lower().replace("_", "-") == f"{name}-{version}"]
    if found:
        return found[0]
    downloads = CACHE / "sdists"
    pip = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:"]
    subprocess.run([*pip, "-d", str(downloads), spec], check=True)
    stem = f"{name}-{version}".lower().replace("-", "_")
    archive = next(
        p for p in downloads.glob("*.tar.gz") if p.name.lower().replace("-", "_").startswith(stem)
    )
    corpus.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        tar.extractall(corpus, filter="data")
    return next(p for p in corpus.glob("*") if p.name.lower().replace("-", "_") == stem)


def django() -> Path:
    sys.path.insert(0, str(HERE))
    from check_speed import corpus

    return corpus()


Sample = tuple[float, float]
"""(wall seconds, CPU seconds of the child): on a loaded machine CPU time is the steadier."""


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> Sample:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def _median(samples: list[Sample]) -> Sample:
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def victim(root: Path) -> Path:
    """The file to touch: the first CLI module (sorted), else the first Python file."""
    files = sorted(p for p in root.rglob("*.py") if ".kdocs_cache" not in p.parts)
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if "import click" in text or "import argparse" in text:
            return path
    return files[0]


def measure(root: Path, repeat: int, env: dict[str, str]) -> dict[str, float]:
    kdocs = [sys.executable, "-m", "kdocs", "check", "--exit-zero", "."]
    shutil.rmtree(root / ".kdocs_cache", ignore_errors=True)
    time.sleep(TICK)
    cold = [run([*kdocs, "--no-cache"], root, env) for _ in range(repeat)]
    run(kdocs, root, env)  # fill the cache
    time.sleep(TICK)
    run(kdocs, root, env)  # a second fill: files that were racy on the first are settled now
    warm = [run(kdocs, root, env) for _ in range(repeat)]
    path = victim(root)
    original = path.read_bytes()
    touched: list[Sample] = []
    try:
        for i in range(repeat):
            time.sleep(TICK)
            run(kdocs, root, env)  # settle the cache on the current content
            path.write_bytes(original + f"\n# touched {i}\n".encode())
            touched.append(run(kdocs, root, env))
    finally:
        path.write_bytes(original)
    out = {"files": float(sum(1 for p in root.rglob("*.py") if ".kdocs_cache" not in p.parts))}
    for label, samples in (("cold", cold), ("warm", warm), ("touched", touched)):
        out[label], out[f"{label}_cpu"] = _median(samples)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", action="append", help="project name(s) to run")
    parser.add_argument("--no-django", action="store_true", help="skip the django corpus")
    parser.add_argument("--kdocs", type=Path, default=REPO, help="checkout of kdocs to time")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(args.kdocs.resolve()), env.get("PYTHONPATH", "")])
    projects = {spec.split("==")[0]: spec for spec in SDISTS}
    if not args.no_django:
        projects["django"] = "django==5.2.8"
    if args.only:
        projects = {k: v for k, v in projects.items() if k in args.only}
    results: dict[str, dict[str, float]] = {}
    for name, spec in projects.items():
        root = django() if name == "django" else sdist(spec)
        results[spec] = measure(root, args.repeat, env)
        print(f"measured {spec}", file=sys.stderr)
    print(f"kdocs at {args.kdocs}; median of {args.repeat} fresh processes per cell\n")
    print(
        "| project | .py files | cold (--no-cache) | warm | one file touched "
        "| cold / warm (wall) | cold / warm (CPU) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for spec, r in results.items():
        cells = [f"{r[k]:.2f} s ({r[k + '_cpu']:.2f} CPU)" for k in ("cold", "warm", "touched")]
        print(
            f"| {spec} | {int(r['files'])} | {' | '.join(cells)} "
            f"| {r['cold'] / r['warm']:.1f}x | {r['cold_cpu'] / r['warm_cpu']:.1f}x |"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
