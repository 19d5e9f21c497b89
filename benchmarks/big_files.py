"""How does ``kdocs check`` scale with one big file? Per-rule time on a 10,000-line argparse
script, and the whole run's time and peak memory on a big generated module.

Issue 10 measured C902 and C403 at 16 s on a 10,000-line argparse script (2 s for all the
other rules together): both asked, per option, for the parser's ``formatter_class`` by
rescanning every call of the file. This script generates such a script in a temporary
project, extracts once, then times every C rule's check function on the shared analysis, so
a rule that is quadratic in the file stands out.

    python benchmarks/big_files.py [--lines 10000] [--top 8] [--generated-mb 0]

``--generated-mb N`` also times a whole cold ``kdocs check`` on an N MB generated module
(one big dict literal) and prints the peak RSS of that child process.

Figures (2026-11-29, 2-core machine under load, ``--lines 10000 --generated-mb 20``):

| measure | before | after |
| --- | ---: | ---: |
| extract + link the CLI model of the 10,000-line script | 29.85 s | 0.29 s |
| all 32 C rules on it | 0.04 s | 0.04 s |
| cold check of a 20 MB generated module | 19.5 s, 2.2 GB | 3.1 s, 120 MB |

The first was the help-literal table calling ``ast.get_source_segment`` per literal
(quadratic); the last was ``ast.parse`` itself (2.2 GB for the bare parse of that file):
kdocs no longer builds nodes for huge literal-only tables (``kdocs/bigliterals.py``).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from big_argparse import argparse_script

from kdocs.analysis import Analysis
from kdocs.engine import CheckOptions, resolve_rules
from kdocs.project import discover
from kdocs.rules.registry import RuleContext

KDOCS = [sys.executable, "-c", "from kdocs.cli import main; main()"]


def generated_module(megabytes: float) -> str:
    """One big literal, as generated code often is (protobuf descriptors, tables)."""
    rows = []
    size = 0
    i = 0
    while size < megabytes * 1024 * 1024:
        row = f"    'key_{i}': ('value {i}', {i}, {i * 3.5}),"
        rows.append(row)
        size += len(row) + 1
        i += 1
    return "TABLE = {\n" + "\n".join(rows) + "\n}\n"


def time_rules(root: Path, top: int) -> None:
    project = discover([root])
    rules = [r for r in resolve_rules(project, CheckOptions(select=["C"])) if r.check]
    analysis = Analysis(project, use_cache=False)
    start = time.perf_counter()
    analysis.prepare(["cli"])
    analysis.model("cli")
    print(f"extract + link cli model: {time.perf_counter() - start:.2f} s")
    timings = []
    for r in rules:
        ctx = RuleContext.of(analysis, r)
        start = time.perf_counter()
        found = list(r.check(ctx)) if r.check else []
        timings.append((time.perf_counter() - start, r.code, len(found)))
    timings.sort(reverse=True)
    total = sum(t for t, _, _ in timings)
    print(f"all {len(timings)} C rules: {total:.2f} s; slowest:")
    for seconds, code, n in timings[:top]:
        print(f"  {code}  {seconds:7.3f} s  ({n} findings)")


def time_generated(root: Path, megabytes: float) -> None:
    (root / "gen.py").write_text(generated_module(megabytes))
    size = (root / "gen.py").stat().st_size / (1024 * 1024)
    config = f"[tool.kdocs]\nmax-file-size = {int(megabytes * 2 + 1) * 1024 * 1024}\n"
    (root / "pyproject.toml").write_text(config)
    start = time.perf_counter()
    subprocess.run(
        [*KDOCS, "check", str(root), "--no-cache", "--exit-zero"],
        stdout=subprocess.DEVNULL,
        check=False,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"cold check of a {size:.1f} MB generated module: {seconds:.2f} s, peak RSS {peak:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000, help="Size of the argparse script.")
    parser.add_argument("--top", type=int, default=8, help="How many rules to list.")
    parser.add_argument(
        "--generated-mb", type=float, default=0.0, help="Also time a generated module (MB)."
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "big"
        root.mkdir()
        (root / "pyproject.toml").write_text('[project]\nname = "big"\nversion = "1"\n')
        (root / "big.py").write_text(argparse_script(args.lines))
        print(f"argparse script: {len((root / 'big.py').read_text().splitlines())} lines")
        time_rules(root, args.top)
        if args.generated_mb:
            other = Path(tmp) / "gen"
            other.mkdir()
            time_generated(other, args.generated_mb)


if __name__ == "__main__":
    main()
