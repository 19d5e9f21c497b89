"""How fast is ``kdocs gen``, and how does it compare with click-man and mkdocs-click?

1. A synthetic click CLI of 300 commands and 3,000 options (30 groups of 10 commands with
   10 options each, in 30 modules): ``kdocs gen all`` (man, Markdown, YAML) cold (no cache,
   empty output folder) and warm (cache filled, output up to date), in fresh processes, and
   the pure generators alone in-process (model already built).
2. A real click CLI, sqlite-utils 4.2.1 (49 commands, 305 options), installed in the test
   venv of ``tests/test_gen_real.py``: ``kdocs gen man`` against ``click-man`` and
   ``kdocs gen markdown --single-file`` against mkdocs-click (the Markdown extension, run
   through ``markdown.markdown``), all in fresh processes, in the same run.

    python benchmarks/gen_speed.py [--repeat 5] [--json out.json]

Wall times are the minimum over ``--repeat`` runs (a shared machine only adds noise); CPU
times are the child processes' user+system time of that run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

GROUPS, COMMANDS, OPTIONS = 30, 10, 10
TICK = 2.1
"""Seconds to let written files settle (kdocs does not trust a stat within a clock tick)."""


def synthetic(root: Path) -> None:
    """A click project: ``big`` with GROUPS groups of COMMANDS commands of OPTIONS options."""
    pkg = root / "big"
    pkg.mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "big"\nversion = "1.0"\n\n[project.scripts]\nbig = "big.cli:main"\n'
    )
    (pkg / "__init__.py").write_text("")
    lines = ["import click", ""]
    for g in range(GROUPS):
        lines.append(f"from big.group{g} import group{g}")
    lines += ["", "", "@click.group()", "def main():", '    """A big synthetic CLI."""', ""]
    for g in range(GROUPS):
        lines.append(f"main.add_command(group{g})")
    (pkg / "cli.py").write_text("\n".join(lines) + "\n")
    for g in range(GROUPS):
        body = ["import click", "", "", f'@click.group(name="group{g}")', f"def group{g}():"]
        body += [f'    """Group {g} of commands."""', ""]
        for c in range(COMMANDS):
            body.append(f'@group{g}.command(name="cmd{c}")')
            for o in range(OPTIONS):
                kind = "is_flag=True" if o % 3 == 0 else f'default="v{o}", show_default=True'
                body.append(
                    f'@click.option("--option-{o}", "-{chr(97 + o)}", {kind}, '
                    f'help="Option {o} of command {c}: sets the value | `x` <y>.")'
                )
            body.append('@click.argument("target", nargs=-1)')
            body.append(f"def cmd{c}(target, **options):")
            body.append(
                f'    """Run command {c} of group {g}.\n\n    \\b\n    Examples:\n'
                f'      big group{g} cmd{c} --option-1 x\n    """'
            )
            body.append("")
        (pkg / f"group{g}.py").write_text("\n".join(body) + "\n")


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""Bytecode caching on for every run: pip installed click-man and mkdocs-click with their
.pyc files, so kdocs gets its own too (the first, untimed, run writes them)."""


def timed(
    cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Wall and child CPU seconds of one run (which must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env or ENV, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(runs)


def kdocs_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "kdocs", *args]


def bench_synthetic(work: Path, repeat: int) -> dict[str, float]:
    root = work / "big"
    synthetic(root)
    out = work / "big-out"
    timed(kdocs_cmd("rules", "G001"))  # writes kdocs' bytecode before anything is timed
    time.sleep(TICK)
    cold = []
    for _ in range(repeat):
        shutil.rmtree(root / ".kdocs_cache", ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        cold.append(timed(kdocs_cmd("gen", "all", str(root), "--out", str(out))))
    time.sleep(TICK)
    warm = [timed(kdocs_cmd("gen", "all", str(root), "--out", str(out))) for _ in range(repeat)]
    check = [
        timed(kdocs_cmd("gen", "all", str(root), "--out", str(out), "--check"))
        for _ in range(repeat)
    ]
    from kdocs.analysis import Analysis
    from kdocs.gen import FORMATS, GenSettings
    from kdocs.project import discover

    model = Analysis(discover([root]), use_cache=False).model("cli")
    commands = sum(len(c.walk()) for c in model.clis)
    options = sum(len(x.options) for c in model.clis for x in c.walk())
    import kdocs.gen.context as context
    import kdocs.gen.text as text
    import kdocs.gen.yaml_docs as yaml_docs

    pure = []
    for _ in range(repeat):
        # As in a fresh process: no pages, cleaned texts or YAML styles from the last round.
        context._LAST.clear()
        text._clean.cache_clear()
        yaml_docs._style.cache_clear()
        yaml_docs._RESOLVED.clear()
        start = time.process_time()  # CPU time: steadier than wall time on a shared machine
        produced = 0
        for name in ("man", "markdown", "yaml"):
            produced += len(FORMATS[name].load()(model, GenSettings()))
        pure.append(time.process_time() - start)
    return {
        "commands": commands,
        "options": options,
        "files": produced,
        "cold_wall": best(cold)[0],
        "cold_cpu": best(cold)[1],
        "warm_wall": best(warm)[0],
        "warm_cpu": best(warm)[1],
        "check_wall": best(check)[0],
        "pure_generators": min(pure),
    }


def bench_real(work: Path, repeat: int) -> dict[str, float]:
    from tests.realenv import real_venv
    from tests.test_gen_real import PACKAGES

    venv = real_venv(PACKAGES)
    site = venv.site_packages
    config = work / "kdocs.toml"
    config.write_text('[gen]\nclis = ["sqlite-utils"]\ndate = "2026-01-01"\n')
    target = site / "sqlite_utils"
    man_out, md_out = work / "k-man", work / "k-md"
    results: dict[str, float] = {}

    def kdocs_gen(kind: str, out: Path, *extra: str, cold: bool) -> tuple[float, float]:
        if cold:
            shutil.rmtree(out, ignore_errors=True)
        flags = ["--no-cache"] if cold else []
        return timed(
            kdocs_cmd(
                "gen", kind, str(target), "--config", str(config), "--out", str(out), *extra, *flags
            )
        )

    results["kdocs_man_cold"] = best([kdocs_gen("man", man_out, cold=True) for _ in range(repeat)])[
        0
    ]
    # Warm: the model cache lives in the package folder's .kdocs_cache (filled by this run).
    kdocs_gen("man", man_out, cold=False)
    time.sleep(TICK)
    results["kdocs_man_warm"] = best(
        [kdocs_gen("man", man_out, cold=False) for _ in range(repeat)]
    )[0]
    results["kdocs_md_cold"] = best(
        [kdocs_gen("markdown", md_out, "--single-file", cold=True) for _ in range(repeat)]
    )[0]
    results["kdocs_md_warm"] = best(
        [kdocs_gen("markdown", md_out, "--single-file", cold=False) for _ in range(repeat)]
    )[0]
    # click-man's own command fails on Python 3.11 (EntryPoint.version); call its API as the
    # command does: import the CLI, write one page per command.
    click_man = (
        "import sys\nfrom click_man.core import write_man_pages\n"
        "from sqlite_utils.cli import cli\n"
        "write_man_pages('sqlite-utils', cli, version='4.2.1', target_dir=sys.argv[1])\n"
    )
    for i in range(repeat):
        (work / f"cm{i}").mkdir()
    results["click_man"] = best(
        [timed([str(venv.python), "-c", click_man, str(work / f"cm{i}")]) for i in range(repeat)]
    )[0]
    script = (
        "import markdown, sys\n"
        "src = ':::mkdocs-click\\n    :module: sqlite_utils.cli\\n    :command: cli\\n"
        "    :prog_name: sqlite-utils\\n'\n"
        "html = markdown.markdown(src, extensions=['mkdocs-click'])\n"
        "open(sys.argv[1], 'w').write(html)\n"
    )
    results["mkdocs_click"] = best(
        [timed([str(venv.python), "-c", script, str(work / f"mc{i}.html")]) for i in range(repeat)]
    )[0]
    results["click_man_pages"] = len(list((work / "cm0").glob("*.1")))
    results["kdocs_man_pages"] = len(list(man_out.glob("*.1")))
    shutil.rmtree(target / ".kdocs_cache", ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        synth = bench_synthetic(work, args.repeat)
        real = bench_real(work, args.repeat)
    print(
        f"Synthetic click CLI: {synth['commands']} commands, {synth['options']} options, "
        f"{synth['files']} files (man + markdown + yaml)\n"
    )
    print("| run | wall s | CPU s |\n| --- | ---: | ---: |")
    cold, warm = synth["cold_wall"], synth["warm_wall"]
    print(
        f"| `kdocs gen all`, cold (no cache, empty folder) | {cold:.2f} | {synth['cold_cpu']:.2f} |"
    )
    print(f"| `kdocs gen all`, warm (cache, up to date) | {warm:.2f} | {synth['warm_cpu']:.2f} |")
    print(f"| `kdocs gen all --check`, warm | {synth['check_wall']:.2f} | |")
    print(f"| the three generators alone, in-process | | {synth['pure_generators']:.2f} |")
    print(
        f"\nsqlite-utils 4.2.1 ({int(real['kdocs_man_pages'])} man pages by kdocs, "
        f"{int(real['click_man_pages'])} by click-man)\n"
    )
    print("| tool | wall s | vs kdocs cold | vs kdocs warm |\n| --- | ---: | ---: | ---: |")
    print(f"| `kdocs gen man`, cold | {real['kdocs_man_cold']:.2f} | | |")
    print(f"| `kdocs gen man`, warm | {real['kdocs_man_warm']:.2f} | | |")
    cm = real["click_man"]
    print(
        f"| click-man | {cm:.2f} | {cm / real['kdocs_man_cold']:.2f}x "
        f"| {cm / real['kdocs_man_warm']:.2f}x |"
    )
    print(f"| `kdocs gen markdown --single-file`, cold | {real['kdocs_md_cold']:.2f} | | |")
    print(f"| `kdocs gen markdown --single-file`, warm | {real['kdocs_md_warm']:.2f} | | |")
    mc = real["mkdocs_click"]
    print(
        f"| mkdocs-click | {mc:.2f} | {mc / real['kdocs_md_cold']:.2f}x "
        f"| {mc / real['kdocs_md_warm']:.2f}x |"
    )
    print("\n(ratio > 1: the other tool is slower than kdocs)")
    if args.json:
        Path(args.json).write_text(json.dumps({"synthetic": synth, "real": real}, indent=2) + "\n")


if __name__ == "__main__":
    main()
