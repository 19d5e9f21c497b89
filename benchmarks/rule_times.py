"""Each rule's own time on a project, over models already linked: which rules a check waits on.

    python benchmarks/rule_times.py [PATH] [--select CODES] [--top N]

A cold ``kdocs check`` extracts, links, then runs every selected rule on the linked models;
``suite.py`` times the whole. This script builds one analysis of PATH (default: the current
directory's project, with its cache), extracts and links every model the rules need, then
times each rule's ``check`` alone (perf_counter, one process, the collector off as in
``kdocs check``) and prints the slowest with their finding counts.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kdocs.analysis import Analysis  # noqa: E402
from kdocs.engine import CheckOptions, resolve_rules  # noqa: E402
from kdocs.project import discover  # noqa: E402
from kdocs.rules.registry import RuleContext  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=".", help="The project (default: here).")
    parser.add_argument("--select", default=None, help="Comma-separated rule codes.")
    parser.add_argument("--top", type=int, default=15, help="Rules to print.")
    args = parser.parse_args()
    gc.disable()
    project = discover([args.path])
    rules = resolve_rules(project, CheckOptions())
    wanted = set(args.select.split(",")) if args.select else None
    rules = [r for r in rules if r.check is not None and (wanted is None or r.code in wanted)]
    analysis = Analysis(project)
    kinds = sorted({kind for r in rules for kind in r.needs})
    start = time.perf_counter()
    analysis.prepare(kinds)
    for kind in kinds:
        if kind != "files":
            analysis.model(kind)
    ready = time.perf_counter() - start
    rows = []
    for r in rules:
        ctx = RuleContext.of(analysis, r)
        start = time.perf_counter()
        found = sum(1 for _ in r.check(ctx))
        rows.append((time.perf_counter() - start, r.code, r.name, found))
    rows.sort(reverse=True)
    print(f"{project.root}: {len(project.files)} files, facts and models ready in {ready:.2f} s")
    print("\n| rule | seconds | findings |\n| --- | ---: | ---: |")
    for seconds, code, name, found in rows[: args.top]:
        print(f"| {code} {name} | {seconds:.3f} | {found} |")
    print(f"| all {len(rows)} rules | {sum(row[0] for row in rows):.3f} | |")


if __name__ == "__main__":
    main()
