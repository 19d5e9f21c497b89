"""kdocs' dependency rules (D101-D104) against real deptry, with every difference explained.

For each project (the example project, kdocs' deptry fixture and real projects unpacked from
their PyPI sdists) the script makes a virtualenv holding deptry and the project's runtime
dependencies (the project itself is uninstalled again, so both tools see it as first-party
source), runs ``deptry`` and ``kdocs check --select D101,D102,D103,D104`` (kdocs pointed at
the same virtualenv with ``[deps] python``), matches findings on (rule, name, file, line),
and prints the differences with their reason: a documented design choice, or
``UNEXPLAINED`` (a bug on one side: investigate). It also times both tools: deptry, kdocs
cold (``--no-cache``) and kdocs warm (second run with the cache), best of three.

Usage::

    /work/venv/bin/python benchmarks/deps_vs_deptry.py [--details] [--only NAME]

The sdists and virtualenvs are cached under ``benchmarks/.cache``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
DEPTRY = "deptry==0.25.1"
TO_KDOCS = {"DEP001": "D101", "DEP002": "D102", "DEP003": "D103", "DEP004": "D104"}
DEV_DIRS = ("tests/", "test/", "docs/", "doc/", "examples/", "scripts/", "benchmarks/")

sys.path.insert(0, str(ROOT))


@dataclass
class Target:
    name: str
    sdist: str | None = None  # "name==version" from PyPI
    path: Path | None = None  # a tree in this repository
    install: list[str] = field(default_factory=list)  # runtime deps to install


TARGETS = [
    Target("examples/shipit", path=ROOT / "examples" / "shipit",
           install=["click>=8.1", "pydantic>=2.5", "typer>=0.12", "PyYAML>=6"]),
    Target("fixture deptry_case", path=ROOT / "tests" / "fixtures" / "deps" / "deptry_case",
           install=["click==8.1.7", "PyYAML==6.0.2", "requests==2.32.3", "attrs==24.2.0",
                    "pytest==8.3.3", "freezegun==1.5.1"]),
    Target("httpx", sdist="httpx==0.28.1"),
    Target("rich", sdist="rich==15.0.0"),
    Target("flask", sdist="flask==3.1.3"),
    Target("black", sdist="black==26.10.1"),
]  # fmt: skip


def run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return proc.stdout


def source_tree(target: Target) -> Path:
    if target.path is not None:
        return target.path
    assert target.sdist is not None
    name, version = target.sdist.split("==")
    tree = CACHE / "sdists" / f"{name}-{version}"
    if tree.is_dir():
        return tree
    (CACHE / "sdists").mkdir(parents=True, exist_ok=True)
    run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
         target.sdist, "-d", str(CACHE / "sdists")])  # fmt: skip
    archive = next((CACHE / "sdists").glob(f"{name}-{version}.tar.gz"))
    with tarfile.open(archive) as tar:
        tar.extractall(CACHE / "sdists", filter="data")
    return tree


def venv_for(target: Target) -> Path:
    key = target.name.replace("/", "_").replace(" ", "_")
    venv = CACHE / "venvs" / key
    if (venv / ".ready").exists():
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    run([sys.executable, "-m", "venv", str(venv)])
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", DEPTRY]
    if target.sdist:
        run([*pip, target.sdist])
        name = target.sdist.split("==")[0]
        run([str(venv / "bin" / "python"), "-m", "pip", "uninstall", "-q", "-y", name])
    else:
        run([*pip, *target.install])
    (venv / ".ready").write_text("ok\n")
    return venv


def first_party(tree: Path) -> list[str]:
    from kdocs.project import discover

    project = discover([tree])
    roots = {Path(r) for r in project.source_roots}
    names = set()
    for entry in project.files:
        if any(entry.path.is_relative_to(r) for r in roots) and entry.module:
            names.add(entry.module.split(".")[0])
    return sorted(n for n in names if n.isidentifier())


def best_of(n: int, fn: object) -> tuple[float, str]:
    times = []
    out = ""
    for _ in range(n):
        start = time.perf_counter()
        out = fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times), out


Key = tuple[str, str, str, int | None]


def deptry_findings(tree: Path, venv: Path, known: list[str]) -> tuple[float, set[Key]]:
    out = CACHE / "deptry.json"
    cmd = [str(venv / "bin" / "deptry"), ".", "-o", str(out)]
    for name in known:
        cmd += ["--known-first-party", name]
    seconds, _ = best_of(3, lambda: run(cmd, cwd=tree))
    found: set[Key] = set()
    for v in json.loads(out.read_text()):
        code = TO_KDOCS[v["error"]["code"]]
        name = v["module"]
        name = canonicalize_name(name) if code == "D102" else name.split(".")[0].lower()
        line = v["location"]["line"] if code != "D102" else None
        found.add((code, name, v["location"]["file"], line))
    return seconds, found


Diags = list[dict[str, object]]


def kdocs_findings(tree: Path, venv: Path) -> tuple[float, float, set[Key], Diags]:
    config = CACHE / "kdocs-deps.toml"
    config.write_text(f'cache-dir = "{CACHE / "kdocs-cache" / tree.name}"\n'
                      f'[deps]\npython = "{venv / "bin" / "python"}"\n')  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    base = [sys.executable, "-m", "kdocs", "check", "--select", "D101,D102,D103,D104",
            "--format", "json", "--config", str(config), "--exit-zero", "."]  # fmt: skip
    cold, out = best_of(3, lambda: run([*base, "--no-cache"], cwd=tree, env=env))
    run(base, cwd=tree, env=env)
    warm, _ = best_of(3, lambda: run(base, cwd=tree, env=env))
    diags = json.loads(out)["diagnostics"]
    found: set[Key] = set()
    for d in diags:
        name = d["message"].split("`")[1]
        name = canonicalize_name(name) if d["code"] == "D102" else name.split(".")[0].lower()
        found.add((d["code"], name, d["file"], None if d["code"] == "D102" else d["line"]))
    return cold, warm, found, diags


@dataclass
class Context:
    """What the explanations look at: kdocs' own view of the project."""

    kdocs_diags: list[dict[str, object]]
    local: frozenset[str]
    dev_extras: set[str]


def context(tree: Path, config: Path, diags: list[dict[str, object]]) -> Context:
    from kdocs.extract.deps_view import _local_names
    from kdocs.project import discover

    project = discover([tree], config_file=config)
    from kdocs.extract.deps import read_manifests

    data, _ = read_manifests(project.root, project.pyproject_path, project.config.section("deps"))
    dev = {d.name for d in data.dependencies if d.role == "dev"}
    return Context(diags, _local_names(project.files), dev)


def explain(key: Key, side: str, other: set[Key], ctx: Context) -> str:
    """Why a finding is on one side only (a documented choice), else UNEXPLAINED."""
    from kdocs.extract.deps_index import shipped_table

    code, name, file, line = key
    in_dev = file.startswith(DEV_DIRS) or "/tests/" in file or "/examples/" in file
    same_place = {k for k in other if k[2] == file and k[3] == line and k[1] == name}
    shipped = {k.split(".")[0].lower(): v for k, v in shipped_table().items()}
    if side == "kdocs" and code == "D101" and file.startswith(("tests/", "test/")):
        return (
            "deptry excludes tests/ by default; kdocs checks test code against all "
            "declarations, dev groups included (check-dev-code)"
        )
    if side == "deptry" and code == "D104" and in_dev:
        return (
            "kdocs: dev code (docs/, scripts/, examples/: dev-paths) may import dev "
            "dependencies; D104 checks runtime code only"
        )
    if code in ("D101", "D103") and {k[0] for k in same_place} & {"D101", "D103"}:
        return (
            "installed in the venv but required by no declared dependency (here: a "
            "dependency of deptry itself); deptry: installed = transitive, kdocs needs "
            "a requirement chain from a declared dependency for D103"
        )
    if {code, *(k[0] for k in same_place)} == {"D101", "D104"}:
        return (
            "kdocs maps the import through its shipped table (attr -> attrs) to a dev "
            "dependency that is not installed; deptry cannot map an uninstalled one"
        )
    if side == "deptry" and code == "D101" and name in {n.lower() for n in ctx.local}:
        return (
            "a module of the project's own tree (an example's package, a sibling script): "
            "kdocs treats the project's own modules anywhere in the tree as first-party"
        )
    if side == "deptry" and code == "D102" and name in ctx.dev_extras:
        return (
            "kdocs treats extras named like dev groups (test, dev, docs, ...) as dev "
            "dependencies, which D102 does not check (dev-groups setting)"
        )
    if side == "deptry" and code in ("D101", "D102"):
        mapped = name in shipped or any(name in v for v in shipped.values())
        if mapped:
            return (
                "an extra that is not installed: deptry guesses module name = "
                "distribution name; kdocs' shipped table knows the real import name "
                "(dotenv -> python-dotenv)"
            )
        if name.lower() == "ipython":
            return (
                "an extra that is not installed: deptry's module-name guess is "
                "case-sensitive (ipython vs IPython); kdocs matches case-insensitively"
            )
    return "UNEXPLAINED"


def in_process(tree: Path, config: Path) -> tuple[float, float]:
    """run_check() time without interpreter start-up and imports (cold, then warm cache)."""
    from kdocs.engine import CheckOptions, run_check
    from kdocs.project import discover

    select = ["D101", "D102", "D103", "D104"]

    def once(cache: bool) -> object:
        project = discover([tree], config_file=config)
        return run_check(project, CheckOptions(select, use_cache=cache))

    cold, _ = best_of(3, lambda: once(False))
    once(True)
    warm, _ = best_of(3, lambda: once(True))
    return cold, warm


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--details", action="store_true", help="list matching findings too")
    parser.add_argument("--only", help="run one target (by name)")
    args = parser.parse_args(argv)
    rows = []
    unexplained = 0
    for target in TARGETS:
        if args.only and args.only != target.name:
            continue
        tree = source_tree(target)
        if not (tree / "pyproject.toml").exists():
            print(f"skip {target.name}: no pyproject.toml")
            continue
        venv = venv_for(target)
        known = first_party(tree)
        d_time, theirs = deptry_findings(tree, venv, known)
        cold, warm, ours, diags = kdocs_findings(tree, venv)
        ctx = context(tree, CACHE / "kdocs-deps.toml", diags)
        in_cold, in_warm = in_process(tree, CACHE / "kdocs-deps.toml")
        both = theirs & ours
        only_d = sorted(theirs - ours, key=str)
        only_k = sorted(ours - theirs, key=str)
        print(f"\n== {target.name}  ({tree.relative_to(ROOT)})")
        print(f"   deptry {len(theirs)}, kdocs {len(ours)}, both {len(both)}")
        if args.details:
            for key in sorted(both, key=str):
                print(f"   = {key}")
        reasons: dict[str, int] = {}
        for side, keys, other in (("deptry", only_d, ours), ("kdocs", only_k, theirs)):
            for key in keys:
                reason = explain(key, side, other, ctx)
                if reason == "UNEXPLAINED":
                    unexplained += 1
                    print(f"   only {side}: {key}  UNEXPLAINED")
                elif args.details:
                    print(f"   only {side}: {key}  ({reason})")
                label = f"only {side}: {reason.split(' [')[0]}"
                reasons[label] = reasons.get(label, 0) + 1
        for label, count in sorted(reasons.items()):
            print(f"   {count:4d} x {label}")
        rows.append(
            (target.name, len(theirs), len(ours), len(both), d_time, cold, warm, in_cold, in_warm)
        )
    print("\n| project | deptry | kdocs | both | deptry s | kdocs cold s | kdocs warm s "
          "| cold/deptry | in-process cold s | in-process warm s |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, nd, nk, nb, dt, cold, warm, ic, iw in rows:
        print(f"| {name} | {nd} | {nk} | {nb} | {dt:.3f} | {cold:.3f} | {warm:.3f} "
              f"| {cold / dt:.2f} | {ic:.3f} | {iw:.3f} |")  # fmt: skip
    print(
        "\ncold/warm: whole `kdocs check` processes (interpreter start and imports "
        "included); in-process: run_check() alone, after imports"
    )
    print(f"\nunexplained differences: {unexplained}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
