"""Speed of static click/typer extraction vs the runtime inspector, on installed real CLIs.

For each package: the runtime baseline (a fresh interpreter of the package's venv importing
the CLI and walking the command tree), static extraction cold (a fresh interpreter: import
kdocs, discover, parse, extract, link; no cache) and warm (same with the per-file cache
filled), all on the installed package directory. Each figure is the best of three and
counts the child's own work (its imports included, interpreter startup not).
Issue 3's goal: cold no slower than the runtime inspector, warm under 0.2 s.

Run: /work/venv/bin/python benchmarks/cli_static_speed.py   (builds a venv on first run)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kdocs.project import discover  # noqa: E402
from tests.realenv import real_venv  # noqa: E402

PACKAGES = [
    "hatch==1.18.2",
    "black==26.10.1",
    "flask==3.1.3",
    "sqlite-utils==4.2.1",
    "cruft==2.16.0",
]
CASES = [
    ("hatch", "hatch.cli:hatch"),
    ("black", "black:main"),
    ("flask", "flask.cli:cli"),
    ("sqlite_utils", "sqlite_utils.cli:cli"),
    ("cruft", "cruft._cli:app"),
]

WALK = """
import importlib, sys, time
t = time.perf_counter()
mod, _, attr = sys.argv[1].partition(":")
obj = importlib.import_module(mod)
for part in attr.split("."):
    obj = getattr(obj, part)
if type(obj).__name__ == "Typer":
    import typer.main
    obj = typer.main.get_command(obj)
def walk(cmd, ctx=None):
    n = len(cmd.params)
    if hasattr(cmd, "list_commands"):
        sub_ctx = cmd.context_class(cmd, info_name=cmd.name, parent=ctx)
        for name in cmd.list_commands(sub_ctx):
            n += walk(cmd.get_command(sub_ctx, name), sub_ctx)
    return n
walk(obj)
print(time.perf_counter() - t)
"""


STATIC = """
import sys, time
t = time.perf_counter()
sys.path.insert(0, sys.argv[3])
from kdocs.analysis import Analysis
from kdocs.project import discover
project = discover([sys.argv[1]])
project.files, project.config
setup = time.perf_counter() - t
t = time.perf_counter()
Analysis(project, use_cache=sys.argv[2] == "warm", jobs=1).model("cli")
print(setup, time.perf_counter() - t)
"""


def timed(cmd: list[str]) -> list[float]:
    """Seconds a child process reports for its own work (imports included, startup not)."""
    # Let children keep bytecode (like an installed kdocs): compiling kdocs on every run
    # would otherwise dominate the small figures.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    try:
        return [float(x) for x in proc.stdout.strip().splitlines()[-1].split()]
    except (ValueError, IndexError):
        return [float("nan")] * 2


def best_of(n: int, cmd: list[str]) -> list[float]:
    runs = [timed(cmd) for _ in range(n)]
    return [min(r[i] for r in runs) for i in range(len(runs[0]))]


def main() -> None:
    venv = real_venv(PACKAGES)
    site = venv.site_packages
    print("runtime: import + walk the CLI; setup: import kdocs + discover + config;")
    print("cold/warm: extract + link the cli model without / with the per-file cache")
    print(f"{'package':14} {'files':>5} {'runtime':>8} {'setup':>7} {'cold':>7} {'warm':>7}")
    for package, target in CASES:
        path = site / package
        (runtime,) = best_of(3, [str(venv.python), "-c", WALK, target])
        project = discover([path])
        cache = project.root / project.config.cache_dir
        static = [sys.executable, "-c", STATIC, str(path)]
        setup, cold_s = best_of(3, [*static, "cold", str(ROOT)])
        timed([*static, "warm", str(ROOT)])  # fill the cache
        _, warm_s = best_of(3, [*static, "warm", str(ROOT)])
        shutil.rmtree(cache, ignore_errors=True)
        print(
            f"{package:14} {len(project.files):5d} {runtime:8.3f} {setup:7.3f}"
            f" {cold_s:7.3f} {warm_s:7.3f}"
        )


if __name__ == "__main__":
    main()
