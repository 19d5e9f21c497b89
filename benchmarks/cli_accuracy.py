"""Static CLI extraction accuracy on real PyPI CLIs, scored against the runtime inspector.

For each package below: install it (cached venv, ``tests/realenv.py``), take its console
script's target as the runtime spec and run the runtime inspector *inside that venv*
(``benchmarks/_cli_runtime_truth.py``: imports the CLI, reads click/typer/argparse objects)
as ground truth; run ``python -m kdocs inspect cli <site-packages>/<package> --format json``
(static: never imports the package) and compare:

* commands by path relative to the root (root names may differ: script name vs ``prog``),
* options by (path, names incl. secondary names), positional arguments by (path, name),
* help texts of matched commands and options, exact after whitespace normalisation.

Usage::

    /work/venv/bin/python benchmarks/cli_accuracy.py [--only NAME ...] [--misses N] [--json FILE]

Prints a per-package table, the overall micro-averaged figures, and the first misses of each
package (``--misses``). A miss is either fixed in the extractor or explained as a truly dynamic
construct in ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import configparser
import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.realenv import real_venv  # noqa: E402


@dataclass(frozen=True)
class Bench:
    name: str
    requirement: str
    framework: str
    script: str
    package: str
    spec: str | None = None  # the runtime object when the script lives in another dist


PACKAGES: list[Bench] = [
    Bench("pre-commit", "pre-commit==4.7.0", "argparse", "pre-commit", "pre_commit"),
    Bench("pipx", "pipx==1.18.4", "argparse", "pipx", "pipx"),
    # dvc's main() pre-parses with a small parser first; its real parser has a getter.
    Bench("dvc", "dvc==3.67.1", "argparse", "dvc", "dvc", spec="dvc.cli.parser:get_main_parser"),
    Bench("httpie", "httpie==3.2.4", "argparse", "https", "httpie"),
    Bench("isort", "isort==6.0.1", "argparse", "isort", "isort"),
    Bench("sphinx-build", "sphinx==8.1.3", "argparse", "sphinx-build", "sphinx"),
    Bench("ansible-galaxy", "ansible-core==2.18.1", "argparse", "ansible-galaxy", "ansible"),
    Bench("meson", "meson==1.6.1", "argparse", "meson", "mesonbuild"),
    Bench("mkdocs", "mkdocs==1.6.1", "click", "mkdocs", "mkdocs"),
    Bench("sqlite-utils", "sqlite-utils==4.2.1", "click", "sqlite-utils", "sqlite_utils"),
    Bench("flask", "flask==3.1.3", "click", "flask", "flask"),
    Bench("hatch", "hatch==1.18.2", "click", "hatch", "hatch"),
    Bench("cruft", "cruft==2.16.0", "typer", "cruft", "cruft"),
    Bench(
        "fastapi-cli",
        "fastapi-cli==0.0.34",
        "typer",
        "fastapi",
        "fastapi_cli",
        spec="fastapi_cli.cli:app",
    ),
    Bench("typer", "typer==0.29.2", "typer", "typer", "typer"),
]

EXPLAINED: dict[str, str] = {
    "pipx": "root/environment/install descriptions embed the user's pipx paths and are "
    "wrapped to the terminal width at import time (unresolved notes point at them).",
    "dvc": "command help ends with a doc link coloured with ANSI codes chosen at runtime "
    "(append_doc_link/format_link); 3 `--template` helps likewise.",
    "httpie": "options are declared in httpie's own ParserSpec DSL and converted to argparse "
    "by a loop at runtime (httpie/cli/options.py: to_argparse): truly dynamic.",
    "isort": "3 helps are built from runtime data (profile names, sys.version_info, a tuple repr).",
    "ansible-galaxy": "help of options added through ansible's ArgumentParser subclass is "
    "rewritten by its add_argument override (flagged as unresolved); 5 `role install` options "
    "are added only when the *command line* contains -r/--role-file (self._raw_args); "
    "install descriptions and --*-path helps come from runtime config.",
    "meson": "builtin options come from data tables (BUILTIN_OPTIONS objects with "
    "add_to_argparse methods) and introspect flags from a function's return value, both "
    "iterated at runtime.",
    "sqlite-utils": "--fmt help joins tabulate's runtime list of formats (click extractor).",
}

KDOCS_SITE = next((Path(sys.executable).parent.parent / "lib").glob("python3*/site-packages"))


def normalise(text: Any) -> str | None:
    if not isinstance(text, str):
        return None
    text = re.sub(r"\s+", " ", text).strip()
    return text or None


def entry_point(site: Path, script: str) -> str:
    for ep_file in site.glob("*.dist-info/entry_points.txt"):
        parser = configparser.ConfigParser(delimiters=("=",))
        parser.optionxform = str  # type: ignore[assignment, method-assign]
        parser.read(ep_file, encoding="utf-8")
        if parser.has_section("console_scripts") and script in parser["console_scripts"]:
            return parser["console_scripts"][script].split("[")[0].strip()
    raise SystemExit(f"no console script {script!r} in {site}")


def runtime_truth(python: Path, spec: str, name: str) -> dict[str, Any]:
    proc = subprocess.run(
        [
            str(python),
            str(ROOT / "benchmarks" / "_cli_runtime_truth.py"),
            str(ROOT),
            str(KDOCS_SITE),
            spec,
            name,
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=str(python.parent),
        timeout=600,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"runtime inspector failed for {spec}:\n{proc.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(proc.stdout)
    return data["clis"][0]


def static_model(package_dir: Path) -> tuple[list[dict[str, Any]], float]:
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "kdocs",
            "inspect",
            "cli",
            str(package_dir),
            "--format",
            "json",
            "--no-cache",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=str(ROOT),
        timeout=600,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"kdocs inspect cli failed:\n{proc.stderr[-3000:]}")
    clis: list[dict[str, Any]] = json.loads(proc.stdout)["clis"]
    return clis, elapsed


def walk(cmd: dict[str, Any]) -> list[dict[str, Any]]:
    out = [cmd]
    for sub in cmd.get("subcommands", []):
        out.extend(walk(sub))
    return out


def rel(cmd: dict[str, Any]) -> tuple[str, ...]:
    return tuple(cmd["path"][1:])


def option_key(opt: dict[str, Any]) -> tuple[str, ...]:
    return tuple(sorted([*opt["names"], *opt.get("secondary_names", [])]))


def pick_root(
    truth: dict[str, Any], clis: list[dict[str, Any]], script: str, framework: str
) -> dict[str, Any] | None:
    """The static root the runtime root corresponds to: same name, else the best overlap."""
    named = [c for c in clis if c["name"] == script]
    if len(named) == 1:
        return named[0]
    candidates = named or clis
    truth_paths = {rel(c) for c in walk(truth)}
    truth_opts = {o_k for c in walk(truth) for o_k in (option_key(o) for o in c["options"])}

    def score(cand: dict[str, Any]) -> tuple[int, int, int]:
        paths = {rel(c) for c in walk(cand)}
        opts = {option_key(o) for c in walk(cand) for o in c["options"]}
        return (
            len(paths & truth_paths),
            len(opts & truth_opts),
            int(cand.get("framework") == framework),
        )

    return max(candidates, key=score) if candidates else None


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, truth: set[Any], found: set[Any], label: str) -> None:
        self.tp += len(truth & found)
        self.fn += len(truth - found)
        self.fp += len(found - truth)
        for item in sorted(truth - found, key=str):
            self.misses.append(f"missed {label} {item}")
        for item in sorted(found - truth, key=str):
            self.misses.append(f"extra {label} {item}")

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class HelpScore:
    same: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, label: str, truth: Any, found: Any) -> None:
        self.total += 1
        if normalise(truth) == normalise(found):
            self.same += 1
        else:
            self.misses.append(f"help {label}: runtime={truth!r:.120} static={found!r:.120}")

    @property
    def rate(self) -> float:
        return self.same / self.total if self.total else 1.0


@dataclass
class Result:
    bench: Bench
    commands: Score
    options: Score
    arguments: Score
    help: HelpScore
    static_seconds: float
    unresolved: int
    error: str | None = None


def compare(bench: Bench, truth: dict[str, Any], root: dict[str, Any] | None) -> Result:
    commands, options, arguments, helps = Score(), Score(), Score(), HelpScore()
    truth_cmds = {rel(c): c for c in walk(truth)}
    static_cmds = {rel(c): c for c in walk(root)} if root else {}
    commands.add(set(truth_cmds), set(static_cmds), "command")
    truth_opts: dict[tuple[Any, ...], dict[str, Any]] = {}
    static_opts: dict[tuple[Any, ...], dict[str, Any]] = {}
    truth_args: set[tuple[Any, ...]] = set()
    static_args: set[tuple[Any, ...]] = set()
    for path, cmd in truth_cmds.items():
        for opt in cmd["options"]:
            truth_opts[(path, option_key(opt))] = opt
        truth_args.update((path, a["name"]) for a in cmd["arguments"])
    for path, cmd in static_cmds.items():
        for opt in cmd["options"]:
            static_opts[(path, option_key(opt))] = opt
        static_args.update((path, a["name"]) for a in cmd["arguments"])
    options.add(set(truth_opts), set(static_opts), "option")
    arguments.add(truth_args, static_args, "argument")
    for path in sorted(set(truth_cmds) & set(static_cmds)):
        t, s = truth_cmds[path], static_cmds[path]
        helps.add(f"command {' '.join(path) or '<root>'}", t["help"], s["help"])
    for key in sorted(set(truth_opts) & set(static_opts), key=str):
        helps.add(
            f"option {' '.join(key[0])} {'/'.join(key[1])}",
            truth_opts[key]["help"],
            static_opts[key]["help"],
        )
    unresolved = sum(len(c.get("unresolved", [])) for c in static_cmds.values())
    return Result(bench, commands, options, arguments, helps, 0.0, unresolved)


def run_one(bench: Bench) -> Result:
    venv = real_venv([bench.requirement])
    site = venv.site_packages
    spec = bench.spec or entry_point(site, bench.script)
    truth = runtime_truth(venv.python, spec, bench.script)
    clis, seconds = static_model(site / bench.package)
    root = pick_root(truth, clis, bench.script, bench.framework)
    result = compare(bench, truth, root)
    result.static_seconds = seconds
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="Package names to run (default: all).")
    ap.add_argument("--misses", type=int, default=15, help="Misses to print per package.")
    ap.add_argument("--json", help="Write the full results (with every miss) to this file.")
    opts = ap.parse_args()
    benches = [b for b in PACKAGES if not opts.only or b.name in opts.only]
    results: list[Result] = []
    for bench in benches:
        try:
            results.append(run_one(bench))
        except BaseException as err:  # a skip from real_venv, an install or import failure
            if isinstance(err, KeyboardInterrupt):
                raise
            empty = Result(bench, Score(), Score(), Score(), HelpScore(), 0.0, 0, error=str(err))
            results.append(empty)
    header = (
        f"{'package':<15}{'fw':<9}{'cmds':>6}{'cmd R':>7}{'cmd P':>7}{'opts':>6}{'opt R':>7}"
        f"{'opt P':>7}{'arg R':>7}{'arg P':>7}{'F1':>7}{'help':>7}{'unres':>6}{'static s':>9}"
    )
    print(header)
    print("-" * len(header))
    total_items, total_help = Score(), HelpScore()
    for r in results:
        if r.error:
            print(f"{r.bench.name:<15}{r.bench.framework:<9} ERROR {r.error.splitlines()[0][:90]}")
            continue
        items = Score(
            r.commands.tp + r.options.tp + r.arguments.tp,
            r.commands.fn + r.options.fn + r.arguments.fn,
            r.commands.fp + r.options.fp + r.arguments.fp,
        )
        total_items.tp += items.tp
        total_items.fn += items.fn
        total_items.fp += items.fp
        total_help.same += r.help.same
        total_help.total += r.help.total
        print(
            f"{r.bench.name:<15}{r.bench.framework:<9}{r.commands.tp + r.commands.fn:>6}"
            f"{r.commands.recall:>7.3f}{r.commands.precision:>7.3f}"
            f"{r.options.tp + r.options.fn:>6}{r.options.recall:>7.3f}{r.options.precision:>7.3f}"
            f"{r.arguments.recall:>7.3f}{r.arguments.precision:>7.3f}{items.f1:>7.3f}"
            f"{r.help.rate:>7.3f}{r.unresolved:>6}{r.static_seconds:>9.2f}"
        )
    print("-" * len(header))
    print(
        f"overall: items (commands+options+arguments) recall {total_items.recall:.3f} "
        f"precision {total_items.precision:.3f} F1 {total_items.f1:.3f}; "
        f"help match {total_help.rate:.3f} ({total_help.same}/{total_help.total})"
    )
    shown = [r for r in results if r.bench.name in EXPLAINED]
    if shown:
        print("\nexplained misses (truly dynamic constructs or known gaps):")
        for r in shown:
            print(f"  {r.bench.name}: {EXPLAINED[r.bench.name]}")
    if opts.misses:
        for r in results:
            misses = r.commands.misses + r.options.misses + r.arguments.misses + r.help.misses
            if not misses:
                continue
            print(f"\n## {r.bench.name}: {len(misses)} misses")
            for line in misses[: opts.misses]:
                print(f"  {line}")
    if opts.json:
        data = [
            {
                "package": r.bench.name,
                "requirement": r.bench.requirement,
                "error": r.error,
                "commands": vars(r.commands),
                "options": vars(r.options),
                "arguments": vars(r.arguments),
                "help": vars(r.help),
                "static_seconds": r.static_seconds,
                "unresolved": r.unresolved,
            }
            for r in results
        ]
        Path(opts.json).write_text(json.dumps(data, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
