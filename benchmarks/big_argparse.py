"""A big argparse (or click) script, for timing ``kdocs check`` on one large CLI file.

Issue 14 measured 17 s on a 10,000-line argparse script. The rules (C902, C403) had already
been made linear; the remaining cost was in building the help-literal table at extraction,
where ``ast.get_source_segment`` re-split the whole source for every help literal (quadratic
in the file). This script writes such a project and times a cold check at several sizes, so
anything quadratic shows as a time that grows faster than the line count.

    python benchmarks/big_argparse.py                  # 2,500 / 5,000 / 10,000 / 20,000 lines
    python benchmarks/big_argparse.py --lines 10000 --keep /tmp/big   # write the project only

Figures (2026-11-29, 2-core machine, cold ``kdocs check --no-cache``):

| script | before | after |
| --- | ---: | ---: |
| argparse, 10,000 lines | 29.6 s | 0.65 s |
| click, 2,000 commands (10,000 lines) | 5.7 s | 2.2 s |
| click, 4,000 commands | 17.6 s | 4.8 s |
| click, 8,000 commands | 89.0 s | 9.3 s |

The click rows were the help-literal lookups (every call of the file scanned per option and
per command) and C304 (the longest sibling name recomputed per subcommand).

    python benchmarks/big_argparse.py --framework click --lines 10000 --lines 20000
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KDOCS = [sys.executable, "-c", "from kdocs.cli import main; main()"]


def argparse_script(lines: int) -> str:
    """An argparse CLI of about ``lines`` lines: one parser, a few subparsers, many options."""
    out = [
        "import argparse",
        "",
        "parser = argparse.ArgumentParser(",
        '    prog="big", description="A big tool.",',
        "    formatter_class=argparse.RawDescriptionHelpFormatter,",
        ")",
        "sub = parser.add_subparsers(dest='command')",
    ]
    i = 0
    while len(out) < lines:
        if i % 200 == 0:
            out.append(f"p{i} = sub.add_parser('cmd{i}', help='Command {i}.')")
        target = f"p{i - i % 200}"
        out += [
            f"{target}.add_argument(",
            f"    '--option-{i}',",
            f"    default={i + 1},",
            "    type=int,",
            f"    help='Set option {i}.',",
            ")",
        ]
        i += 1
    out += ["", "def main():", "    parser.parse_args()", ""]
    return "\n".join(out)


def click_script(lines: int) -> str:
    """A click CLI of about ``lines`` lines: one group, a command per 5 lines, each with an
    option and a docstring whose help ends in a space (a C401 finding with a fix, so the
    rules look up every help literal)."""
    out = ["import click", "", "@click.group()", "def cli():", '    """Big."""', ""]
    i = 0
    while len(out) < lines:
        out += [
            "@cli.command()",
            f"@click.option('--opt-{i}', help='Set it. ')",
            f"def cmd{i}(opt_{i}):",
            f'    """Run {i}. """',
            "",
        ]
        i += 1
    return "\n".join(out)


SCRIPTS = {"argparse": argparse_script, "click": click_script}


def write_project(root: Path, lines: int, framework: str = "argparse") -> Path:
    """A one-file project ``root`` holding ``big.py`` of about ``lines`` lines."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text('[project]\nname = "big"\nversion = "1"\n')
    (root / "big.py").write_text(SCRIPTS[framework](lines))
    return root


def time_check(root: Path) -> tuple[float, int]:
    """Seconds of one cold ``kdocs check`` of ``root`` and how many findings it printed."""
    start = time.perf_counter()
    proc = subprocess.run(
        [*KDOCS, "check", str(root), "--no-cache", "--exit-zero", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"kdocs failed: {proc.stderr.strip()}")
    return seconds, proc.stdout.count('"code":')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, action="append", help="Script size (repeatable).")
    parser.add_argument("--keep", metavar="DIR", help="Write the project into DIR and stop.")
    parser.add_argument("--framework", choices=sorted(SCRIPTS), default="argparse")
    args = parser.parse_args()
    sizes = args.lines or [2_500, 5_000, 10_000, 20_000]
    if args.keep:
        write_project(Path(args.keep), sizes[0], args.framework)
        print(f"wrote {args.keep}/big.py ({sizes[0]} lines)")
        return
    print("| lines | seconds | findings | µs per line |")
    print("| ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            root = write_project(Path(tmp) / f"big{n}", n, args.framework)
            seconds, findings = time_check(root)
            print(f"| {n:,} | {seconds:.2f} | {findings} | {seconds / n * 1e6:.0f} |")


if __name__ == "__main__":
    main()
