"""Speed of ``kdocs inspect types`` against bare ``ast.parse`` on real pydantic-heavy packages.

For each package (installed once into a cached venv by tests/realenv.py) and for all of
them together, each measurement runs in a fresh process (so no warm imports or caches are
shared) and times only the work, not interpreter start-up:

  ast        read + ``ast.parse`` of every .py file, one core (the floor)
  nocache/1  ``Analysis(use_cache=False, jobs=1).model("types")``: discovery, read, parse,
             extract, link (bases followed into site-packages), one core
  nocache    the same with the default worker count (all cores)
  cold       cache enabled, cache directory empty (extract + write the cache)
  warm       a second run over the unchanged tree (stat hits, link only)

Each mode runs ``--repeat`` times (default 3) and the fastest run is kept, because the
machine may be shared. Ratios are against ``ast``. The target (issue 5): cold within 2x of
``ast``, warm under 0.5 s.
Usage: /work/venv/bin/python benchmarks/types_speed.py [PACKAGE ...]
A PACKAGE is ``requirement[:import_name]``.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import dataclasses
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT = [
    "openai",
    "anthropic",
    "mistralai",
    "google-genai:google.genai",
    "pydantic-ai-slim:pydantic_ai",
    "fastapi",
    "ollama",
    "lsprotocol",
]
MODES = ("ast", "nocache/1", "nocache", "cold", "warm")


def _targets(specs: list[str]) -> list[tuple[str, Path, Path]]:
    from tests.realenv import real_venv

    out = []
    for spec in specs:
        requirement, _, package = spec.partition(":")
        package = package or requirement.split("[")[0].split("=")[0].replace("-", "_")
        site = real_venv([requirement]).site_packages
        out.append((package, site, site.joinpath(*package.split("."))))
    return out


def measure(mode: str, site: Path, targets: list[Path], cache_dir: str) -> tuple[float, int, int]:
    """Run one measurement in this process; returns (seconds, files, types)."""
    if mode == "ast":
        files = [p for t in targets for p in sorted(t.rglob("*.py"))]
        start = time.perf_counter()
        for path in files:
            with contextlib.suppress(SyntaxError, UnicodeDecodeError):
                ast.parse(path.read_text(encoding="utf-8"))
        return time.perf_counter() - start, len(files), 0
    from kdocs.analysis import Analysis
    from kdocs.config import default_config
    from kdocs.project import Project

    config = dataclasses.replace(default_config(), cache_dir=cache_dir)
    start = time.perf_counter()
    project = Project(root=site, config=config, walk_roots=tuple(targets))
    jobs = 1 if mode == "nocache/1" else None
    analysis = Analysis(project, use_cache=mode in ("cold", "warm"), jobs=jobs)
    model = analysis.model("types")
    return time.perf_counter() - start, len(project.files), len(model.types)


def _run(mode: str, site: Path, targets: list[Path], cache_dir: str) -> tuple[float, int, int]:
    proc = subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure",
            mode,
            "--site",
            str(site),
            "--cache-dir",
            cache_dir,
            *[str(t) for t in targets],
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    seconds, files, types = json.loads(proc.stdout.strip().splitlines()[-1])
    return float(seconds), int(files), int(types)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*")
    parser.add_argument("--measure", choices=MODES)
    parser.add_argument("--site")
    parser.add_argument("--cache-dir")
    parser.add_argument("--no-total", action="store_true", help="skip the all-packages row")
    parser.add_argument("--repeat", type=int, default=3, help="runs per mode; the minimum is kept")
    args = parser.parse_args()
    if args.measure:
        result = measure(
            args.measure, Path(args.site), [Path(p) for p in args.packages], args.cache_dir
        )
        print(json.dumps(result))
        return
    targets = _targets(args.packages or DEFAULT)
    groups = [(name, site, [target]) for name, site, target in targets]
    if not args.no_total and len(targets) > 1:
        # All packages at once: link them into one tree so it is a single project.
        tmp = Path(tempfile.mkdtemp(prefix="kdocs-speed-"))
        for name, _, target in targets:
            link = tmp.joinpath(*name.split("."))
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(target, target_is_directory=True)
        groups.append(
            (
                "ALL",
                tmp,
                [tmp / name.split(".")[0] for name in dict.fromkeys(n for n, _, _ in targets)],
            )
        )
    print(
        f"{'package':<14}{'files':>7}{'MB':>6}{'types':>7}"
        + "".join(f"{m:>11}" for m in MODES)
        + f"{'cold/ast':>10}{'nc1/ast':>9}"
    )
    for name, site, paths in groups:
        size = sum(p.stat().st_size for t in paths for p in t.rglob("*.py")) / 1e6
        cache = tempfile.mkdtemp(prefix="kdocs-cache-")
        results: dict[str, tuple[float, int, int]] = {}
        try:
            for _ in range(args.repeat):
                shutil.rmtree(cache, ignore_errors=True)
                for mode in MODES:  # cold right before warm: warm reuses cold's cache
                    got = _run(mode, site, paths, cache)
                    if mode not in results or got[0] < results[mode][0]:
                        results[mode] = got
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        files = results["ast"][1]
        types = results["nocache"][2]
        row = f"{name:<14}{files:>7}{size:>6.1f}{types:>7}"
        row += "".join(f"{results[m][0]:>10.2f}s" for m in MODES)
        row += f"{results['cold'][0] / results['ast'][0]:>10.2f}"
        row += f"{results['nocache/1'][0] / results['ast'][0]:>9.2f}"
        print(row, flush=True)


if __name__ == "__main__":
    main()
