"""Precision of ``kdocs check`` with default settings on real projects (issue 9).

A finding is worth reporting only if a maintainer would accept it and change the code. This
script measures that on pinned sdists of real projects that kdocs' tests and other benchmarks
do not use (``benchmarks/precision/projects.json``). Sdists, not wheels: they carry tests,
docs and examples, and kdocs must not report those as the project's CLI or API.

    python benchmarks/precision.py fetch            # download + unpack the pinned sdists
    python benchmarks/precision.py run              # kdocs check (defaults) at each root
    python benchmarks/precision.py sample           # stratified sample -> worksheet
    python benchmarks/precision.py label FILE.tsv   # add labels (worksheet id, label, reason)
    python benchmarks/precision.py report [--out before.md]
    python benchmarks/precision.py speed            # cold vs warm wall time

Labels live in ``benchmarks/precision/labels.jsonl`` (committed data), one object per line:
``{project, file, code, key, label, reason}`` with label ``true`` (a maintainer would accept it),
``debatable`` (a style opinion a reasonable maintainer could reject) or ``false`` (wrong: test
code, a convention that does not apply, misread text, wrong location). ``key`` does not depend
on line numbers or message wording, so a label survives kdocs changes while its finding
persists: the stripped source line at the finding, the item the finding names (the first
backticked name of the message that occurs on that line, else the first backticked name) and
an occurrence index among findings sharing the rest of the key.

The sample is deterministic: per rule, up to ``--per-rule`` findings (default 10), interleaved
across projects, ordered by a stable hash; findings that already have a label come first, so
a re-run after kdocs changes re-uses every label whose finding persists. If the caps give fewer
than ``--total`` findings (default 250), the rules with the most unsampled findings get more.

Working files (sdists, trees, results, worksheet) go to ``$KDOCS_PRECISION_CACHE``, default
``$KDOCS_TEST_CACHE/precision`` (``~/.cache/kdocs-tests/precision``). Not inside this
repository: a project without a pyproject.toml of its own (csvkit has only setup.py) would
otherwise be resolved by kdocs to the enclosing kdocs checkout. ``fetch`` refuses a cache
folder that has a project file above it for the same reason.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "precision"
PROJECTS_FILE = DATA / "projects.json"
LABELS_FILE = DATA / "labels.jsonl"
CACHE = Path(
    os.environ.get("KDOCS_PRECISION_CACHE")
    or Path(os.environ.get("KDOCS_TEST_CACHE", Path.home() / ".cache" / "kdocs-tests"))
    / "precision"
)
LABELS = ("true", "debatable", "false")
BACKTICKED = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class Project:
    """One pinned sdist: the distribution name and its exact version."""

    name: str
    version: str
    kind: str

    @property
    def slug(self) -> str:
        return f"{self.name}-{self.version}"

    @property
    def root(self) -> Path:
        return CACHE / "src" / self.slug


def projects(only: list[str] | None = None) -> list[Project]:
    entries = json.loads(PROJECTS_FILE.read_text())
    found = [Project(e["name"], e["version"], e.get("kind", "")) for e in entries]
    if only:
        found = [p for p in found if p.name in only]
    return found


def kdocs_exe() -> str:
    """The kdocs measured: ``$KDOCS_EXE`` (e.g. a venv with a regular, non-editable install,
    as users run it), else the one of the current venv."""
    if os.environ.get("KDOCS_EXE"):
        return os.environ["KDOCS_EXE"]
    exe = Path(sys.executable).parent / "kdocs"
    return str(exe) if exe.exists() else "kdocs"


def stable_hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


# ---------------------------------------------------------------- fetch


PROJECT_FILES = ("pyproject.toml", "setup.py", "setup.cfg")


def check_cache_location() -> None:
    """kdocs looks upwards for a project: no project file may sit above the unpacked trees."""
    for parent in CACHE.resolve().parents:
        found = [name for name in PROJECT_FILES if (parent / name).is_file()]
        if found:
            raise SystemExit(
                f"{parent / found[0]} is above the cache {CACHE}: kdocs would take it as the "
                "project of sdists without their own pyproject.toml; set KDOCS_PRECISION_CACHE"
            )


def fetch(project: Project) -> Path:
    """Download the pinned sdist with pip and unpack it to ``CACHE/src/<name>-<version>``."""
    check_cache_location()
    if project.root.is_dir():
        return project.root
    sdists = CACHE / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    wanted = f"{re.sub(r'[-_.]+', '_', project.name).lower()}-{project.version}.tar.gz"

    def pinned_sdist() -> Path | None:
        for path in sdists.glob("*.tar.gz"):
            name, _, rest = path.name.partition("-")
            if f"{re.sub(r'[-_.]+', '_', name).lower()}-{rest}" == wanted:
                return path
        return None

    sdist = pinned_sdist()
    if sdist is None:
        pip = [sys.executable, "-m", "pip", "download", "-q", "--no-binary", ":all:"]
        spec = f"{project.name}=={project.version}"
        subprocess.run([*pip, "--no-deps", "-d", str(sdists), spec], check=True)
        sdist = pinned_sdist()
        if sdist is None:
            raise SystemExit(f"pip did not leave {wanted} in {sdists}")
    staging = CACHE / "staging" / project.slug
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(sdist) as tf:
        tf.extractall(staging, filter="data")
    tops = list(staging.iterdir())
    top = tops[0] if len(tops) == 1 and tops[0].is_dir() else staging
    project.root.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(top), project.root)
    shutil.rmtree(CACHE / "staging", ignore_errors=True)
    return project.root


# ---------------------------------------------------------------- run


def results_path(project: Project) -> Path:
    return CACHE / "results" / f"{project.slug}.json"


def run_check(project: Project) -> tuple[list[dict[str, Any]], float]:
    """``kdocs check`` with defaults at the project root; findings with a stable ``key``."""
    start = time.perf_counter()
    proc = subprocess.run(
        [kdocs_exe(), "check", "--format", "json", "--exit-zero", "--no-cache"],
        cwd=project.root,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"kdocs check failed on {project.slug}: {proc.stderr.strip()[-500:]}")
    diagnostics = json.loads(proc.stdout)["diagnostics"]
    return add_keys(project, diagnostics), elapsed


def source_line(root: Path, file: str, line: int | None) -> str:
    if not file or not line:
        return ""
    try:
        lines = (root / file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


def item_of(message: str, text: str) -> str:
    names: list[str] = BACKTICKED.findall(message)
    for name in names:
        if name.lstrip("-") and name.lstrip("-") in text:
            return name
    return names[0] if names else ""


def add_keys(project: Project, diagnostics: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: Counter[tuple[str, str, str]] = Counter()
    out = []
    ordered = sorted(diagnostics, key=lambda d: (d["file"] or "", d["line"] or 0, d["code"]))
    for d in ordered:
        text = source_line(project.root, d["file"], d["line"])
        item = item_of(d["message"], text)
        base = f"{item} @ {text}"
        n = seen[(d["file"], d["code"], base)]
        seen[(d["file"], d["code"], base)] += 1
        out.append({**d, "project": project.name, "key": f"{base} #{n}"})
    return out


def load_results(selected: list[Project]) -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = []
    for p in selected:
        path = results_path(p)
        if not path.exists():
            raise SystemExit(f"no results for {p.slug}: run `precision.py run` first")
        findings.extend(json.loads(path.read_text())["findings"])
    return findings


def cmd_run(selected: list[Project]) -> None:
    rows = []
    for p in selected:
        fetch(p)
        findings, elapsed = run_check(p)
        path = results_path(p)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"project": p.slug, "findings": findings}, indent=1))
        rows.append((p, findings, elapsed))
    codes = sorted({f["code"] for _, fs, _ in rows for f in fs})
    print("| project | seconds | findings | " + " | ".join(codes) + " |")
    print("| --- | ---: | ---: | " + " | ".join("---:" for _ in codes) + " |")
    for p, fs, elapsed in rows:
        counts = Counter(f["code"] for f in fs)
        cells = " | ".join(str(counts.get(c, "")) for c in codes)
        print(f"| {p.slug} | {elapsed:.1f} | {len(fs)} | {cells} |")


# ---------------------------------------------------------------- labels + sample


def identity(f: dict[str, Any]) -> tuple[str, str, str, str]:
    return (f["project"], f["file"] or "", f["code"], f["key"])


def load_labels() -> dict[tuple[str, str, str, str], dict[str, Any]]:
    labels: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    if not LABELS_FILE.exists():
        return labels
    for n, line in enumerate(LABELS_FILE.read_text().splitlines(), 1):
        if not line.strip():
            continue
        entry = json.loads(line)
        if entry.get("label") not in LABELS:
            raise SystemExit(f"{LABELS_FILE.name}:{n}: label must be one of {', '.join(LABELS)}")
        labels[identity(entry)] = entry
    return labels


def sample(
    findings: list[dict[str, Any]],
    labels: dict[tuple[str, str, str, str], dict[str, Any]],
    per_rule: int,
    total: int,
) -> list[dict[str, Any]]:
    """Per rule: labelled findings first, then interleaved across projects by stable hash."""
    by_rule: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in findings:
        by_rule[f["code"]].append(f)
    ordered: dict[str, list[dict[str, Any]]] = {}
    for code, fs in by_rule.items():
        per_project: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for f in sorted(fs, key=lambda f: stable_hash(*identity(f))):
            per_project[f["project"]].append(f)
        rank = {}
        for proj_fs in per_project.values():
            for i, f in enumerate(proj_fs):
                rank[identity(f)] = i
        ordered[code] = sorted(
            fs,
            key=lambda f: (
                identity(f) not in labels,
                rank[identity(f)],
                stable_hash(code, f["project"]),
            ),
        )
    caps = {code: min(per_rule, len(fs)) for code, fs in ordered.items()}
    while sum(caps.values()) < total:
        spare = [(len(fs) - caps[c], c) for c, fs in ordered.items() if len(fs) > caps[c]]
        if not spare:
            break
        _, code = max(spare, key=lambda t: (t[0], t[1]))
        caps[code] += 1
    picked = []
    for code in sorted(ordered):
        picked.extend(ordered[code][: caps[code]])
    return picked


def excerpt(project_root: Path, file: str, line: int | None, around: int = 4) -> str:
    if not file:
        return ""
    try:
        lines = (project_root / file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "(file not readable)"
    if not line:
        line = 1
    lo, hi = max(1, line - around), min(len(lines), line + around)
    return "\n".join(f"{'>' if n == line else ' '}{n:5d} {lines[n - 1]}" for n in range(lo, hi + 1))


def worksheet_path() -> Path:
    return CACHE / "worksheet.jsonl"


def cmd_sample(selected: list[Project], per_rule: int, total: int) -> None:
    labels = load_labels()
    picked = sample(load_results(selected), labels, per_rule, total)
    roots = {p.name: p.root for p in selected}
    lines_json, text = [], []
    for n, f in enumerate(picked):
        entry = {
            "id": n,
            "project": f["project"],
            "file": f["file"],
            "line": f["line"],
            "code": f["code"],
            "key": f["key"],
            "message": f["message"],
            "label": labels.get(identity(f), {}).get("label"),
        }
        lines_json.append(json.dumps(entry))
        text.append(
            f"### [{n}] {f['code']} {f['project']} {f['file']}:{f['line']}"
            f"{'  (labelled: ' + entry['label'] + ')' if entry['label'] else ''}\n"
            f"{f['message']}\n"
            + "".join(f"  note: {note}\n" for note in f.get("notes") or [])
            + f"```\n{excerpt(roots[f['project']], f['file'], f['line'])}\n```\n"
        )
    worksheet_path().write_text("\n".join(lines_json) + "\n")
    (CACHE / "worksheet.md").write_text("\n".join(text))
    unl = sum(1 for line in lines_json if json.loads(line)["label"] is None)
    print(f"sampled {len(picked)} findings ({unl} unlabelled): {CACHE / 'worksheet.md'}")


def cmd_label(tsv: Path) -> None:
    """Merge ``id<TAB>label<TAB>reason`` lines (ids from the current worksheet) into labels."""
    sheet = {e["id"]: e for e in map(json.loads, worksheet_path().read_text().splitlines()) if e}
    labels = load_labels()
    added = 0
    for n, line in enumerate(tsv.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t", 2)
        if len(parts) != 3 or parts[1] not in LABELS or not parts[0].strip().isdigit():
            raise SystemExit(f"{tsv}:{n}: expected `id<TAB>true|debatable|false<TAB>reason`")
        f = sheet.get(int(parts[0]))
        if f is None:
            raise SystemExit(f"{tsv}:{n}: no worksheet entry {parts[0]}")
        entry = {
            "project": f["project"],
            "file": f["file"],
            "code": f["code"],
            "key": f["key"],
            "label": parts[1],
            "reason": parts[2].strip(),
        }
        labels[identity(entry)] = entry
        added += 1
    rows = sorted(labels.values(), key=lambda e: (e["code"], e["project"], e["file"], e["key"]))
    LABELS_FILE.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in rows))
    print(f"{added} labels merged; {len(rows)} in {LABELS_FILE}")


# ---------------------------------------------------------------- report


def rule_catalogue() -> dict[str, dict[str, Any]]:
    out = subprocess.run(
        [kdocs_exe(), "rules", "--format", "json"], capture_output=True, text=True, check=True
    )
    return {r["code"]: r for r in json.loads(out.stdout)}


def cmd_report(selected: list[Project], per_rule: int, total: int, out: Path | None) -> None:
    """Re-check every project, sample, join with labels, print a Markdown table per rule."""
    cmd_run_quiet(selected)
    findings = load_results(selected)
    labels = load_labels()
    picked = sample(findings, labels, per_rule, total)
    catalogue = rule_catalogue()
    counts = Counter(f["code"] for f in findings)
    projects_per = defaultdict(set)
    for f in findings:
        projects_per[f["code"]].add(f["project"])
    tallies: dict[str, Counter[str]] = defaultdict(Counter)
    for f in picked:
        tallies[f["code"]][labels.get(identity(f), {}).get("label", "unlabelled")] += 1
    lines = [
        f"kdocs {kdocs_version()} on {len(selected)} projects: {len(findings)} findings, "
        f"{len(picked)} sampled.",
        "",
        "| rule | findings | projects | sampled | true | debatable | false | unlabelled "
        "| precision | debatable share | flag |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    grand: Counter[str] = Counter()
    default_on = sorted(c for c, r in catalogue.items() if r.get("default_enabled"))
    for code in sorted(counts):
        t = tallies[code]
        grand.update(t)
        lines.append(table_row(code, counts[code], len(projects_per[code]), t))
    lines.append(table_row("**total**", len(findings), len(selected), grand))
    silent = [c for c in default_on if not counts[c]]
    lines += ["", f"Default-on rules with no finding: {', '.join(silent) or 'none'}.", ""]
    lines += project_table(selected, findings, picked, labels)
    text = "\n".join(lines) + "\n"
    print(text)
    if out:
        out.write_text(text)


def project_table(
    selected: list[Project],
    findings: list[dict[str, Any]],
    picked: list[dict[str, Any]],
    labels: dict[tuple[str, str, str, str], dict[str, Any]],
) -> list[str]:
    """Per project: findings, the three busiest rules, and the labels of its sampled findings."""
    lines = [
        "| project | findings | busiest rules | sampled | true | debatable | false | precision |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for p in selected:
        mine = Counter(f["code"] for f in findings if f["project"] == p.name)
        t = Counter(
            labels.get(identity(f), {}).get("label", "unlabelled")
            for f in picked
            if f["project"] == p.name
        )
        busiest = ", ".join(f"{c} {n}" for c, n in mine.most_common(3))
        tr, fa = t["true"], t["false"]
        precision = f"{tr / (tr + fa):.2f}" if tr + fa else "-"
        lines.append(
            f"| {p.slug} | {mine.total()} | {busiest} | {sum(t.values())} | {tr} "
            f"| {t['debatable']} | {fa} | {precision} |"
        )
    return lines


def table_row(code: str, findings: int, nprojects: int, t: Counter[str]) -> str:
    sampled = sum(t.values())
    tr, db, fa, un = t["true"], t["debatable"], t["false"], t["unlabelled"]
    labelled = tr + db + fa
    precision = f"{tr / (tr + fa):.2f}" if tr + fa else "-"
    share = f"{db / labelled:.0%}" if labelled else "-"
    flags = []
    if tr + fa and tr / (tr + fa) < 0.9:
        flags.append("precision < 0.9")
    if labelled and db / labelled > 0.2:
        flags.append("debatable > 20%")
    if un:
        flags.append(f"{un} unlabelled")
    return (
        f"| {code} | {findings} | {nprojects} | {sampled} | {tr} | {db} | {fa} | {un} "
        f"| {precision} | {share} | {', '.join(flags)} |"
    )


def kdocs_version() -> str:
    """``kdocs --version`` plus the git commit of the measured checkout, when there is one."""
    out = subprocess.run([kdocs_exe(), "--version"], capture_output=True, text=True)
    version = out.stdout.strip().split()[-1] if out.returncode == 0 and out.stdout else "?"
    rev = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
    )
    return f"{version} ({rev.stdout.strip()})" if rev.returncode == 0 else version


def cmd_run_quiet(selected: list[Project]) -> None:
    for p in selected:
        fetch(p)
        findings, _ = run_check(p)
        path = results_path(p)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"project": p.slug, "findings": findings}, indent=1))


# ---------------------------------------------------------------- speed


def _user_env() -> dict[str, str]:
    """The environment of a user's shell: bytecode caching on (an installed kdocs has its
    ``.pyc`` files; without them every run recompiles kdocs, about 0.2 s, and the
    measurement is of the compiler, not of kdocs)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed_check(root: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [kdocs_exe(), "check", "--format", "json", "--exit-zero"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        env=_user_env(),
    )
    return time.perf_counter() - start


def cmd_speed(selected: list[Project], repeat: int) -> None:
    """Cold (fresh cache dir, so the cold run also writes it) vs warm, median of ``repeat``."""
    print("| project | cold s | warm s | cold / warm |")
    print("| --- | ---: | ---: | ---: |")
    ratios = []
    if selected:  # compile kdocs' bytecode once, outside the timings
        timed_check(fetch(selected[0]))
    for p in selected:
        root = fetch(p)
        cache_dir = root / ".kdocs_cache"
        cold, warm = [], []
        for _ in range(repeat):
            shutil.rmtree(cache_dir, ignore_errors=True)
            cold.append(timed_check(root))
        for _ in range(repeat):
            warm.append(timed_check(root))
        shutil.rmtree(cache_dir, ignore_errors=True)
        c, w = statistics.median(cold), statistics.median(warm)
        ratios.append(c / w)
        flag = "" if c / w >= 3 else " (< 3x)"
        print(f"| {p.slug} | {c:.2f} | {w:.2f} | {c / w:.1f}x{flag} |")
    print(f"| **median** | | | {statistics.median(ratios):.1f}x |")


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="only this project (repeatable)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch", help="download and unpack the pinned sdists")
    sub.add_parser("run", help="kdocs check with defaults on every project")
    for name in ("sample", "report"):
        p = sub.add_parser(name, help=f"{name} the findings")
        p.add_argument("--per-rule", type=int, default=10)
        p.add_argument("--total", type=int, default=250)
        if name == "report":
            p.add_argument("--out", type=Path, help="also write the Markdown table here")
    lab = sub.add_parser("label", help="merge id/label/reason lines into labels.jsonl")
    lab.add_argument("tsv", type=Path)
    sp = sub.add_parser("speed", help="cold vs warm wall time")
    sp.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    selected = projects(args.only)
    if args.command == "fetch":
        for project in selected:
            print(fetch(project))
    elif args.command == "run":
        cmd_run(selected)
    elif args.command == "sample":
        cmd_sample(selected, args.per_rule, args.total)
    elif args.command == "label":
        cmd_label(args.tsv)
    elif args.command == "report":
        cmd_report(selected, args.per_rule, args.total, args.out)
    elif args.command == "speed":
        cmd_speed(selected, args.repeat)


if __name__ == "__main__":
    main()
