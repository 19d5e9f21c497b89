"""C-family findings on real third-party CLIs from PyPI (the extraction corpus).

For each package of ``benchmarks/cli_accuracy.py`` (cached venvs from ``tests/realenv.py``)
run ``kdocs check --select C`` on the installed package directory (static: never imports
it) and print a table of findings per rule and package. ``--sample N`` prints N findings of
each rule (spread over the packages, deterministic) for the hand review whose false-positive
estimates are recorded in ``benchmarks/README.md`` and in the rules' rationale.

Usage::

    /work/venv/bin/python benchmarks/cli_rules_real.py [--only NAME ...] [--sample N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.cli_accuracy import PACKAGES  # noqa: E402
from kdocs.analysis import Analysis  # noqa: E402
from kdocs.engine import CheckOptions, run_check  # noqa: E402
from kdocs.models.diagnostics import Diagnostic  # noqa: E402
from kdocs.project import discover  # noqa: E402
from kdocs.rules.registry import iter_family  # noqa: E402
from tests.realenv import real_venv  # noqa: E402


def findings(package_dir: Path) -> tuple[list[Diagnostic], int, float]:
    """C findings (every C rule, default-off ones too) and the number of commands."""
    start = time.perf_counter()
    project = discover([package_dir])
    result = run_check(project, CheckOptions(select=["C"], use_cache=False))
    model = Analysis(project, use_cache=False).model("cli")  # never write into site-packages
    commands = sum(len(c.walk()) for c in model.clis)
    return result.diagnostics, commands, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="Package names to run (default: all).")
    ap.add_argument("--sample", type=int, default=0, help="Findings to print per rule.")
    opts = ap.parse_args()
    codes = [r.code for r in iter_family("C")]
    per_pkg: dict[str, Counter[str]] = {}
    sizes: dict[str, int] = {}
    by_rule: dict[str, list[tuple[str, Diagnostic]]] = defaultdict(list)
    for bench in PACKAGES:
        if opts.only and bench.name not in opts.only:
            continue
        try:
            venv = real_venv([bench.requirement])
        except BaseException as err:  # pytest.skip from real_venv when pip fails
            if isinstance(err, KeyboardInterrupt):
                raise
            print(f"{bench.name}: cannot install ({err})", file=sys.stderr)
            continue
        diags, n_cmds, _ = findings(venv.site_packages / bench.package)
        per_pkg[bench.name] = Counter(d.code for d in diags)
        sizes[bench.name] = n_cmds
        for d in diags:
            by_rule[d.code].append((bench.name, d))
    names = list(per_pkg)
    header = f"{'rule':<6}" + "".join(f"{n[:10]:>11}" for n in names) + f"{'total':>8}"
    print(header)
    print("-" * len(header))
    print(f"{'cmds':<6}" + "".join(f"{sizes[n]:>11}" for n in names) + f"{sum(sizes.values()):>8}")
    for code in codes:
        row = [per_pkg[n][code] for n in names]
        print(f"{code:<6}" + "".join(f"{v:>11}" for v in row) + f"{sum(row):>8}")
    if opts.sample:
        for code in codes:
            items = by_rule.get(code, [])
            if not items:
                continue
            step = max(1, len(items) // opts.sample)
            print(f"\n== {code}: {len(items)} finding(s), sample")
            for pkg, d in items[::step][: opts.sample]:
                print(f"  [{pkg}] {d.file}:{d.line}: {d.message}")


if __name__ == "__main__":
    main()
