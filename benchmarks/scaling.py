"""Does ``kdocs check`` grow linearly with the project? Synthetic trees of 1k, 10k, 50k files.

    python benchmarks/scaling.py [--sizes 1000,10000] [--repeat 1] [--json scaling.json]
    python benchmarks/scaling.py --sympy 1.14.0      # also sympy's sdist (issue 14's 1 GB goal)

Each tree is generated deterministically (a fixed seed; the same size gives the same bytes)
under ``$KDOCS_TEST_CACHE/scaling/N`` and reused by later runs: one project (``synth``) of
packages of 20 modules each, a realistic mix per package: a click CLI and an argparse CLI
(both declared in ``[project.scripts]``), pydantic models and dataclasses (referring to
models of other modules), plain modules with functions and classes, and imports between
modules of the same package and of other packages (so the import graph grows with the tree).

For each size, in fresh processes (the child's own wall time and peak RSS, from ``wait4``):
``kdocs check`` cold (no cache directory) and warm (cache filled, nothing changed), and a
one-core ``ast.parse`` of every file kdocs analyses for reference. It prints a table, the
per-file cost of every size and the marginal cost between consecutive sizes (a linear tool
has flat per-file figures; a quadratic one doubles its marginal cost when the tree grows by
ten), and writes everything as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from suite import PARSE_ALL, TICK, sdist  # noqa: E402

from tests.realenv import cache_root  # noqa: E402

GENERATOR_VERSION = "1"
"""Bump when the generator changes, so cached trees are rebuilt."""
PER_PACKAGE = 20
LINEAR_SLACK = 1.5
"""Marginal per-file cost of the largest step over the smallest step's: above, not linear."""


def _click_cli(pkg: int) -> str:
    commands = []
    for c in range(6):
        commands.append(
            f'''
@main.command(name="cmd{c}")
@click.argument("target")
@click.option("--count", "-n", type=int, default={c + 1}, help="How many items to process.")
@click.option("--name", default="item{c}", help="Name of the item to create.")
@click.option("--dry-run", is_flag=True, help="Show what would be done, change nothing.")
def cmd{c}(target: str, count: int, name: str, dry_run: bool) -> None:
    """Process TARGET with command {c} of package {pkg}."""
    for index in range(count):
        click.echo(f"{{name}} {{index}} {{target}} {{dry_run}}")
'''
        )
    return (
        f'"""Command line of package {pkg}."""\n\nimport click\n\n'
        f"from synth.pkg{pkg:05d} import mod02\n\n\n"
        "@click.group()\n"
        '@click.option("--verbose", "-v", is_flag=True, help="Print more output.")\n'
        "def main(verbose: bool) -> None:\n"
        f'    """Tools of package {pkg}."""\n'
        "    mod02.setup(verbose)\n" + "".join(commands)
    )


def _argparse_cli(pkg: int) -> str:
    adds = []
    for a in range(8):
        adds.append(
            f'    parser.add_argument("--opt{a}", type=int, default={a}, '
            f'help="Value of option {a} for the run.")\n'
        )
    return (
        f'"""Argparse tool of package {pkg}."""\n\nimport argparse\n\n'
        f"from synth.pkg{pkg:05d} import mod03\n\n\n"
        "def build_parser() -> argparse.ArgumentParser:\n"
        f'    parser = argparse.ArgumentParser(prog="tool{pkg}", '
        f'description="Run tool {pkg} on some files.")\n'
        '    parser.add_argument("paths", nargs="*", help="Files to read.")\n'
        + "".join(adds)
        + "    return parser\n\n\n"
        "def main(argv: list[str] | None = None) -> int:\n"
        "    args = build_parser().parse_args(argv)\n"
        "    return mod03.run(vars(args))\n"
    )


def _models(pkg: int, mod: int, other: str) -> str:
    classes = []
    for k in range(5):
        fields = "".join(
            f'    field_{f}: int = Field(default={f}, description="Field {f} of the model.")\n'
            for f in range(6)
        )
        classes.append(
            f'\n\nclass Model{mod}x{k}(BaseModel):\n    """Model {k} of module {mod}."""\n\n'
            f'{fields}    name: str = "m"\n    parent: {other} | None = None\n'
        )
    module, cls = other.rsplit(".", 1)
    return (
        f'"""Pydantic models of package {pkg}, module {mod}."""\n\n'
        "from __future__ import annotations\n\nfrom pydantic import BaseModel, Field\n\n"
        f"from {module} import {cls}\n" + "".join(classes)
    )


def _dataclasses(pkg: int, mod: int) -> str:
    classes = []
    for k in range(5):
        fields = "".join(f"    value_{f}: int = {f}\n" for f in range(6))
        classes.append(
            f'\n\n@dataclass\nclass Record{mod}x{k}:\n    """Record {k} of module {mod}."""\n\n'
            f"    key: str\n{fields}    tags: list[str] = field(default_factory=list)\n"
        )
    return (
        f'"""Dataclasses of package {pkg}, module {mod}."""\n\n'
        "from dataclasses import dataclass, field\n" + "".join(classes)
    )


def _plain(pkg: int, mod: int, imports: list[str]) -> str:
    lines = [f'"""Helpers of package {pkg}, module {mod}."""', "", "import os", "import json"]
    lines += [f"from {m} import helper_0 as h{i}" for i, m in enumerate(imports)]
    lines += ["", ""]
    for f in range(8):
        lines += [
            f"def helper_{f}(value: int, scale: float = 1.5) -> float:",
            f'    """Scale VALUE for step {f}."""',
            "    total = 0.0",
            "    for i in range(value):",
            "        total += i * scale",
            '    if os.environ.get("SYNTH_DEBUG"):',
            '        print(json.dumps({"step": ' + str(f) + ', "total": total}))',
            "    return total",
            "",
            "",
        ]
    lines += [
        f"class Worker{mod}:",
        '    """Runs the helpers."""',
        "",
        "    def __init__(self, size: int) -> None:",
        "        self.size = size",
        "",
        "    def run(self) -> float:",
        "        return " + " + ".join(f"h{i}(self.size)" for i in range(len(imports))) + " + 0.0",
        "",
        "",
        "def setup(verbose: bool) -> None:",
        '    """Prepare the package."""',
        "    if verbose:",
        '        print("ready")',
        "",
        "",
        "def run(options: dict[str, object]) -> int:",
        '    """Run with OPTIONS."""',
        "    return len(options)",
        "",
    ]
    return "\n".join(lines)


def generate(root: Path, files: int) -> None:
    """Write a project of ``files`` Python files into ``root`` (which must not exist)."""
    rng = random.Random(files)
    packages = max(1, files // (PER_PACKAGE + 1))
    synth = root / "synth"
    synth.mkdir(parents=True)
    (synth / "__init__.py").write_text('"""Synthetic project for the scaling benchmark."""\n')
    written = 1
    scripts = []
    for p in range(packages):
        pdir = synth / f"pkg{p:05d}"
        pdir.mkdir()
        (pdir / "__init__.py").write_text(f'"""Package {p}."""\n')
        written += 1
        for m in range(PER_PACKAGE):
            if written >= files:
                break
            if m == 0:
                text = _click_cli(p)
                scripts.append(f'synth-{p} = "synth.pkg{p:05d}.mod00:main"')
            elif m == 1:
                text = _argparse_cli(p)
                scripts.append(f'synth-tool-{p} = "synth.pkg{p:05d}.mod01:main"')
            elif m in (4, 5, 6):
                other_pkg = rng.randrange(p + 1)
                other = f"synth.pkg{other_pkg:05d}.mod04.Model4x0" if m != 4 else ""
                if m == 4:
                    other = f"synth.pkg{p:05d}.mod07.Record7x0"
                text = _models(p, m, other)
            elif m in (7, 8):
                text = _dataclasses(p, m)
            else:
                imports = [f"synth.pkg{p:05d}.mod{m - 1:02d}"] if m > 9 else []
                for _ in range(2):
                    q = rng.randrange(p + 1)
                    imports.append(f"synth.pkg{q:05d}.mod{rng.randrange(9, PER_PACKAGE):02d}")
                own = f"{p:05d}.mod{m:02d}"
                imports = [i for i in dict.fromkeys(imports) if not i.endswith(own)]
                text = _plain(p, m, imports)
            (pdir / f"mod{m:02d}.py").write_text(text)
            written += 1
    while written < files:  # top up, so the count is exact
        (synth / f"extra{written:06d}.py").write_text(_plain(0, 99, []))
        written += 1
    (root / "pyproject.toml").write_text(
        '[project]\nname = "synth"\nversion = "1.0"\nrequires-python = ">=3.10"\n'
        'dependencies = ["click>=8", "pydantic>=2"]\n\n[project.scripts]\n'
        + "\n".join(scripts)
        + "\n"
    )


def tree(files: int) -> Path:
    """The cached tree of ``files`` files, generated on first use."""
    base = cache_root() / "scaling" / f"v{GENERATOR_VERSION}"
    root = base / str(files)
    if (root / ".ready").exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    start = time.perf_counter()
    generate(root, files)
    (root / ".ready").write_text(f"{files}\n")
    time.sleep(TICK)  # files younger than the racy-clean window would be re-read when warm
    print(f"  generated {files} files in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return root


def _tree_pids(root: int) -> list[int]:
    """``root`` and every live descendant (from /proc's children lists)."""
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
    return pids


def _tree_pss_kb(root: int) -> int:
    """Proportional set size of the process tree (shared pages counted once in total)."""
    total = 0
    for pid in _tree_pids(root):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
    return total


def measure(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float, str]:
    """Wall seconds, peak RSS of the largest single process (MB, ``wait4``: the main process
    or one pool worker), peak PSS of the whole process tree at once (MB, sampled every 50 ms
    from /proc: main process plus its workers) and stdout of one fresh run of ``cmd``."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.PIPE)
        peak_tree = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_tree
            while not done.wait(0.05):
                peak_tree = max(peak_tree, _tree_pss_kb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]!r}")
    return wall, usage.ru_maxrss / 1024, max(peak_tree, usage.ru_maxrss) / 1024, text


def measure_project(project: Path, repeat: int, python: str) -> dict[str, Any]:
    """Cold and warm ``kdocs check`` and the one-core parse floor of one project."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    kdocs = [python, "-m", "kdocs", "check", ".", "--exit-zero", "--format", "json"]
    row: dict[str, Any] = {}
    parse, parse_peak = [], []
    for _ in range(repeat):
        _, peak, _, out = measure([python, "-c", PARSE_ALL, "."], project, env)
        files, inside = out.split()
        parse.append(float(inside))
        parse_peak.append(peak)
    row["files"] = int(files)
    row["parse_s"] = statistics.median(parse)
    row["parse_mb"] = max(parse_peak)
    cold, cold_peak, cold_tree, warm, warm_peak = [], [], [], [], []
    findings = -1
    for _ in range(repeat):
        shutil.rmtree(project / ".kdocs_cache", ignore_errors=True)
        wall, peak, tree_peak, out = measure(kdocs, project, env)
        cold.append(wall)
        cold_peak.append(peak)
        cold_tree.append(tree_peak)
        findings = _count(out)
        time.sleep(TICK)  # racy-clean window: stats taken now are trusted by the warm run
        wall, peak, _, out = measure(kdocs, project, env)
        warm.append(wall)
        warm_peak.append(peak)
        if _count(out) != findings:
            raise SystemExit(f"warm run reported {_count(out)} findings, cold {findings}")
    row |= {
        "cold_s": statistics.median(cold),
        "cold_mb": max(cold_peak),
        "cold_tree_mb": max(cold_tree),
        "warm_s": statistics.median(warm),
        "warm_mb": max(warm_peak),
        "findings": findings,
    }
    print(
        f"  {row['files']} files: cold {row['cold_s']:.2f} s {row['cold_mb']:.0f} MB "
        f"(tree {row['cold_tree_mb']:.0f} MB), "
        f"warm {row['warm_s']:.2f} s {row['warm_mb']:.0f} MB, parse {row['parse_s']:.2f} s, "
        f"{findings} findings",
        file=sys.stderr,
    )
    return row


def _count(out: str) -> int:
    return int(json.loads(out)["summary"]["total"])


def slopes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per-file cost of each size and marginal cost from the previous size (ms / file, KB /
    file): time and memory grow linearly when the marginal figures stay flat."""
    out = []
    prev: dict[str, Any] | None = None
    for row in rows:
        n = row["files"]
        entry: dict[str, Any] = {
            "files": n,
            "cold_ms_per_file": 1000 * row["cold_s"] / n,
            "warm_ms_per_file": 1000 * row["warm_s"] / n,
            "parse_ms_per_file": 1000 * row["parse_s"] / n,
            "cold_kb_per_file": 1024 * row["cold_mb"] / n,
        }
        if prev is not None:
            dn = n - prev["files"]
            entry["marginal_cold_ms"] = 1000 * (row["cold_s"] - prev["cold_s"]) / dn
            entry["marginal_warm_ms"] = 1000 * (row["warm_s"] - prev["warm_s"]) / dn
            entry["marginal_cold_kb"] = 1024 * (row["cold_mb"] - prev["cold_mb"]) / dn
        out.append(entry)
        prev = row
    return out


def verdict(table: list[dict[str, Any]]) -> dict[str, bool]:
    """Linear when the last marginal cost is within LINEAR_SLACK of the first (or of the
    smallest size's per-file cost when only two sizes ran)."""
    steps = [e for e in table if "marginal_cold_ms" in e]
    if not steps:
        return {}
    first, last = steps[0], steps[-1]
    if len(steps) == 1:
        base_t, base_m = table[0]["cold_ms_per_file"], table[0]["cold_kb_per_file"]
    else:
        base_t, base_m = first["marginal_cold_ms"], first["marginal_cold_kb"]
    return {
        "time_linear": last["marginal_cold_ms"] <= LINEAR_SLACK * base_t,
        "memory_linear": last["marginal_cold_kb"] <= LINEAR_SLACK * max(base_m, 1.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="Tree sizes (files), comma list.")
    parser.add_argument("--repeat", type=int, default=1, help="Runs per figure (median).")
    parser.add_argument("--sympy", default="", help="Also measure sympy's sdist (a version).")
    parser.add_argument("--json", type=Path, default=Path("scaling.json"), help="JSON output.")
    parser.add_argument(
        "--kdocs-python", default=sys.executable, help="Interpreter that has kdocs' deps."
    )
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    rows = []
    for size in sizes:
        rows.append(measure_project(tree(size), args.repeat, args.kdocs_python))
    table = slopes(rows)
    result: dict[str, Any] = {
        "repeat": args.repeat,
        "cores": os.cpu_count(),
        "rows": rows,
        "slopes": table,
        "verdict": verdict(table),
    }
    if args.sympy:
        source = sdist(f"sympy=={args.sympy}")
        result["sympy"] = measure_project(source, args.repeat, args.kdocs_python)
        shutil.rmtree(source / ".kdocs_cache", ignore_errors=True)
    print(f"median of {args.repeat}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}\n")
    print(
        "| files | cold s | warm s | cold peak RSS MB | cold tree PSS MB | warm peak RSS MB "
        "| ast.parse s | cold / parse |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    named = [(str(r["files"]), r) for r in rows]
    if "sympy" in result:
        named.append((f"sympy {args.sympy} ({result['sympy']['files']})", result["sympy"]))
    for name, r in named:
        print(
            f"| {name} | {r['cold_s']:.2f} | {r['warm_s']:.2f} | {r['cold_mb']:.0f} | "
            f"{r['cold_tree_mb']:.0f} | {r['warm_mb']:.0f} | {r['parse_s']:.2f} | "
            f"{r['cold_s'] / r['parse_s']:.1f}x |"
        )
    print(
        "\n| files | cold ms/file | warm ms/file | parse ms/file | cold KB/file "
        "| marginal cold ms/file | marginal warm ms/file | marginal cold KB/file |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for e in table:
        marg = (
            f"{e['marginal_cold_ms']:.2f} | {e['marginal_warm_ms']:.2f} | "
            f"{e['marginal_cold_kb']:.1f}"
            if "marginal_cold_ms" in e
            else "| |"
        )
        print(
            f"| {e['files']} | {e['cold_ms_per_file']:.2f} | {e['warm_ms_per_file']:.2f} | "
            f"{e['parse_ms_per_file']:.2f} | {e['cold_kb_per_file']:.1f} | {marg} |"
        )
    for key, ok in result["verdict"].items():
        print(f"\n{key}: {'yes' if ok else 'NO'}", end="")
    print()
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
