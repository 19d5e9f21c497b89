"""Edge recall and precision of kdocs' import graph against grimp's, on large real packages.

Run: ``/work/venv/bin/python benchmarks/imports_accuracy.py [--show N]``

grimp (the graph library behind import-linter) is run in a cached venv holding the packages
(``tests/realenv.py``); kdocs analyses the same installed source statically. Both graphs are
compared on internal edges (importer module -> imported module of the same package), and on
external edges squashed to their top-level name (what grimp keeps with
``include_external_packages=True``). Every difference is listed with the line it comes from, so
it can be explained.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import imports_speed as speed  # noqa: E402
from kdocs.analysis import Analysis  # noqa: E402
from kdocs.project import discover  # noqa: E402
from tests.realenv import real_venv  # noqa: E402

REQUIREMENTS = ["django==5.2.*", "sqlalchemy==2.0.*", "grimp==3.20", "import-linter==2.17"]
PACKAGES = ["django", "sqlalchemy"]

GRIMP_DUMP = r"""
import json, sys, grimp
package = sys.argv[1]
graph = grimp.build_graph(package, include_external_packages=True, cache_dir=None)
edges = []
for importer in graph.modules:
    for imported in graph.find_modules_directly_imported_by(importer):
        lines = sorted(d["line_number"] for d in graph.get_import_details(
            importer=importer, imported=imported))
        edges.append([importer, imported, lines])
print(json.dumps({"modules": sorted(graph.modules), "edges": edges}))
"""


def grimp_graph(venv_python: Path, package: str) -> dict[str, Any]:
    import subprocess

    out = subprocess.run(
        [str(venv_python), "-c", GRIMP_DUMP, package], capture_output=True, text=True, check=True
    )
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def kdocs_edges(site: Path, package: str) -> tuple[set[str], dict[tuple[str, str], list[int]]]:
    analysis = Analysis(discover([site / package]), use_cache=False)
    graph = analysis.model("imports")
    edges: dict[tuple[str, str], list[int]] = {}
    for imp in graph.imports:
        imported = imp.imported if imp.kind == "internal" else imp.imported.split(".")[0]
        edges.setdefault((imp.importer, imported), []).append(imp.line)
    return set(graph.modules), edges


def compare(package: str, show: int) -> tuple[str, int, int, int, float, float]:
    venv = real_venv(REQUIREMENTS)
    ref = grimp_graph(venv.python, package)
    ref_modules = set(ref["modules"])
    internal = {m for m in ref_modules if m == package or m.startswith(package + ".")}
    ref_edges = {(a, b): lines for a, b, lines in ref["edges"]}
    modules, ours = kdocs_edges(venv.site_packages, package)
    ours_set = set(ours)
    ref_set = set(ref_edges)
    common = ours_set & ref_set
    recall = len(common) / len(ref_set) if ref_set else 1.0
    precision = len(common) / len(ours_set) if ours_set else 1.0
    print(f"\n== {package}: modules kdocs {len(modules)} grimp {len(internal)}")
    for title, only, lines in (
        ("only grimp", sorted(ref_set - ours_set), ref_edges),
        ("only kdocs", sorted(ours_set - ref_set), ours),
    ):
        print(f"-- {title}: {len(only)}")
        for a, b in only[:show]:
            print(f"   {a} -> {b}  lines {lines[(a, b)]}")
    inner = {e for e in ref_set if e[1] in internal}
    inner_ours = {e for e in ours_set if e[1] in internal}
    r_in = len(inner & inner_ours) / len(inner) if inner else 1.0
    p_in = len(inner & inner_ours) / len(inner_ours) if inner_ours else 1.0
    print(f"   internal edges only: recall {r_in:.4f} precision {p_in:.4f}")
    return package, len(ref_set), len(ours_set), len(common), recall, precision


INDEPENDENCE_TOML = """
[[tool.kdocs.imports.contracts]]
name = "indep"
type = "independence"
modules = ["django.template", "django.forms", "django.urls"]
"""

INDEPENDENCE_INI = """
[importlinter:contract:indep]
name = indep
type = independence
modules =
    django.template
    django.forms
    django.urls
"""

# imports_speed's two contracts, plus an independence contract.
CONTRACTS_TOML = speed.CONTRACTS_TOML + INDEPENDENCE_TOML
IMPORTLINTER = speed.IMPORTLINTER + INDEPENDENCE_INI


def lint_imports_counts(output: str) -> dict[tuple[str, str], int]:
    """``{(contract, "down -> up"): number of chains (routes)}`` from lint-imports' report."""
    import re

    counts: dict[tuple[str, str], int] = {}
    contract = pair = ""
    lines = output.split("Broken contracts", 1)[-1].splitlines()
    for i, line in enumerate(lines):
        if line.strip() and i + 1 < len(lines) and re.fullmatch(r"-+", lines[i + 1]):
            contract = line.strip()
        m = re.match(r"(\S+) is not allowed to import (\S+):", line)
        if m:
            pair = f"{m.group(1)} -> {m.group(2)}"
        elif line.startswith("- "):
            counts[(contract, pair)] = counts.get((contract, pair), 0) + 1
    return counts


def compare_contracts() -> None:
    """Contracts on django: kdocs' chains per (contract, pair) against lint-imports'."""
    import os
    import subprocess
    import tempfile

    from kdocs.engine import CheckOptions, run_check

    venv = real_venv(REQUIREMENTS)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / ".importlinter").write_text(IMPORTLINTER, encoding="utf-8")
        (work / "kdocs.toml").write_text(CONTRACTS_TOML, encoding="utf-8")
        proc = subprocess.run(
            [str(venv.path / "bin" / "lint-imports"), "--no-cache"],
            cwd=work,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPATH": ""},
        )
        theirs = lint_imports_counts(proc.stdout)
        project = discover([venv.site_packages / "django"], config_file=work / "kdocs.toml")
        result = run_check(project, CheckOptions(select=["I003", "I004", "I005"], use_cache=False))
    ours: dict[tuple[str, str], int] = {}
    for d in result.diagnostics:
        contract = d.message.split('"')[1]
        what = d.message.rsplit(" (", 1)[1].rstrip(")")
        for sep in (" is a lower layer than ", " must not import ", " and "):
            if sep in what:
                down, up = what.replace(" must be independent", "").split(sep)
                break
        key = (contract, f"{down} -> {up}")
        ours[key] = ours.get(key, 0) + 1
    print("\n== contracts on django: chains per broken pair (kdocs / lint-imports)")
    for key in sorted(set(ours) | set(theirs)):
        mark = "" if ours.get(key) == theirs.get(key) else "   <- differs"
        print(f"   {key[0]:<10} {key[1]:<40} {ours.get(key, 0):>4} {theirs.get(key, 0):>4}{mark}")
    same_pairs = set(ours) == set(theirs)
    print(f"   broken pairs identical: {same_pairs}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show", type=int, default=15, help="differences to list per side")
    parser.add_argument("packages", nargs="*", default=PACKAGES)
    args = parser.parse_args()
    rows = [compare(p, args.show) for p in args.packages]
    compare_contracts()
    print("\npackage      grimp-edges  kdocs-edges  common   recall  precision")
    for package, n_ref, n_ours, n_common, recall, precision in rows:
        print(
            f"{package:<12} {n_ref:>11} {n_ours:>12} {n_common:>7}   {recall:.4f}  {precision:.4f}"
        )


if __name__ == "__main__":
    main()
