"""Random edits to a real tree: a check that reuses its stored result (moved with the lines,
``kdocs/resultreuse.py``) prints exactly what a check without any cache prints.

    KDOCS_TEST_CACHE=/tmp/kc python benchmarks/fuzz_reuse.py [-n 40] [--seed 1]
        [--project django==5.2.8 | --tree PROJECT_DIR]

Each round edits one or two Python files of django's sdist (the suite's tree and config;
half the time files with findings or named in an import chain): a blank or comment line
inserted, a blank line deleted, or a line duplicated (which often changes a fact or the
syntax), and keeps the edit, so the tree drifts from round to round. Then it runs
``kdocs check --format json`` (with one of two sets of rule choices, whose records differ
while their linked models are shared) with its cache and with ``--no-cache`` in this
process (with the racy-clean tick at 0, so no round waits for the clock) and compares the
two byte for byte. Prints how many rounds reused the stored result (and how many of those
moved findings); exits 1 on the first difference, with the edit that caused it.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.suite import CORPORA, prepare  # noqa: E402
from kdocs import cache, engine  # noqa: E402
from tests.helpers import run_kdocs  # noqa: E402

IGNORED = shutil.ignore_patterns(".kdocs_cache", ".git")
NOTE_FILE = re.compile(r"\(([^():]+\.py):[0-9]")
CHOICES: tuple[tuple[str, ...], ...] = ((), ("--ignore", "E900"))
EDITS = ("blank line inserted", "comment inserted", "blank line deleted", "line duplicated")


def _edit(path: Path, kind: str, rng: random.Random) -> str:
    """Apply one edit of ``kind`` to ``path``; return a description of it."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if not lines:
        return "empty file: left as it is"
    at = rng.randrange(len(lines))
    if kind == "blank line inserted":
        lines.insert(at, "\n")
    elif kind == "comment inserted":
        following = lines[at]
        indent = following[: len(following) - len(following.lstrip(" \t"))]
        lines.insert(at, f"{indent}# fuzz {rng.randrange(10**6)}\n")
    elif kind == "blank line deleted":
        blanks = [i for i, line in enumerate(lines) if not line.strip()]
        if not blanks:
            return "no blank line: left as it is"
        at = rng.choice(blanks)
        del lines[at]
    else:
        lines.insert(at, lines[at] if lines[at].endswith("\n") else lines[at] + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    return f"{kind} at line {at + 1}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rounds", type=int, default=40, help="Rounds of edits.")
    parser.add_argument("--seed", type=int, default=None, help="Random seed (default: random).")
    parser.add_argument("--project", default="django==5.2.8", help="The sdist to edit.")
    parser.add_argument(
        "--tree", type=Path, default=None, help="Edit a copy of this folder instead (a project)."
    )
    parser.add_argument(
        "--only",
        metavar="GLOB",
        default=None,
        help="Edit only the files whose path in the project matches (e.g."
        " '*/management/commands/*.py': django's argparse programs).",
    )
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(10**9)
    rng = random.Random(seed)
    cache.TICK_NS = 0  # every file the rounds write counts as settled
    work = Path(tempfile.mkdtemp(prefix="kdocs-fuzz-reuse-"))
    runs = 0
    real = engine._run_rules

    def counted(*a: Any, **kw: Any) -> Any:
        nonlocal runs
        runs += 1
        return real(*a, **kw)

    engine._run_rules = counted
    try:
        if args.tree is not None:
            project = work / args.tree.name
            shutil.copytree(args.tree, project, symlinks=True, ignore=IGNORED)
            described = str(args.tree)
        else:
            project, described = prepare(CORPORA["django"], args.project, work)
        files = sorted(p for p in project.rglob("*.py") if ".kdocs_cache" not in p.parts)
        if args.only is not None:
            files = [p for p in files if fnmatch.fnmatch(str(p.relative_to(project)), args.only)]
        check = ("check", "--format", "json", "--exit-zero")
        first = json.loads(run_kdocs(*check, cwd=project).stdout)["diagnostics"]
        # Half the edits go to files with findings (or named in an import chain's notes):
        # the ones whose stored findings must move.
        named = {d["file"] for d in first} | {
            m.group(1) for d in first for note in d["notes"] for m in NOTE_FILE.finditer(note)
        }
        findings = [p for p in files if str(p.relative_to(project)) in named]
        reused = {kind: 0 for kind in EDITS}
        tried = {kind: 0 for kind in EDITS}
        moved = {kind: 0 for kind in EDITS}
        last: dict[tuple[str, ...], str] = {}
        start = time.perf_counter()
        for round_ in range(1, args.rounds + 1):
            kind = rng.choice(EDITS)
            pool = findings if findings and rng.random() < 0.5 else files
            targets = rng.sample(pool, min(len(pool), rng.choice((1, 1, 1, 2))))
            done = [f"{t.relative_to(project)}: {_edit(t, kind, rng)}" for t in targets]
            # Two sets of rule choices alternate: each has its own stored result and record,
            # while the linked models are shared, so a check is often answered by models a
            # check with the other choices linked.
            choice = rng.choice(CHOICES)
            before = runs
            cached = run_kdocs(*check, *choice, cwd=project).stdout
            was_reused = runs == before
            reference = run_kdocs(*check, *choice, "--no-cache", cwd=project).stdout
            tried[kind] += 1
            reused[kind] += was_reused
            moved[kind] += was_reused and choice in last and cached != last[choice]
            last[choice] = cached
            if cached != reference:
                print(f"round {round_} (seed {seed}): output differs after {'; '.join(done)}")
                print(f"reused: {was_reused}")
                return 1
        took = time.perf_counter() - start
    finally:
        engine._run_rules = real
        shutil.rmtree(work, ignore_errors=True)
    print(f"{described}, seed {seed}: {args.rounds} rounds, every output equal ({took:.0f} s)")
    print("| edit | rounds | stored result reused | of which with findings moved |")
    print("| --- | ---: | ---: | ---: |")
    for kind in EDITS:
        print(f"| {kind} | {tried[kind]} | {reused[kind]} | {moved[kind]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
