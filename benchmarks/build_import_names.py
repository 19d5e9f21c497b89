"""Regenerate ``kdocs/data/import_names.json``: import names that differ from their PyPI name.

kdocs maps a third-party import (``import yaml``) to the distribution that provides it
(``PyYAML``). With the project's environment at hand it reads the installed metadata; in an
isolated environment (pre-commit) it falls back to this shipped table. The table is built
from real data, never typed by hand:

* wheels (``*.whl``) found in the given directories (by default the local wheel mirrors of
  this machine): the top-level names are read from each wheel's file list (the same
  inference ``importlib.metadata.packages_distributions()`` makes from ``RECORD``), with
  namespace packages (``google/`` without ``__init__.py``) descended into, so
  ``google.protobuf`` maps to ``protobuf``;
* installed environments given with ``--site-packages`` (read with ``importlib.metadata``);
* the PyPI download ranking (``rank_among_15000_most_downloaded`` column of a
  ``name<TAB>version<TAB>month<TAB>rank...`` table) orders distributions that share an import
  name (most downloaded first) and limits the table to ranked distributions with ``--top``.

Only entries whose import name differs from the name kdocs would guess (the import's first
component, canonicalised) are kept: the guess covers the rest.

Wheels can be downloaded first (``--download DIR``): the script runs
``pip download --no-deps --only-binary :all:`` (in parallel batches) for the pinned list
``benchmarks/import_names_dists.txt`` (``name==version`` lines), or, with ``--pick-top N``,
for the N most downloaded distributions of the ranking plus the ``--also`` names, and then
rewrites the pinned list with the versions it got. Distributions without a wheel for this
platform are skipped and listed.

Usage::

    # refresh: pick the top 1500 again and re-pin
    python benchmarks/build_import_names.py --ranks /work/.library/env/packages/pypi.tsv \
        --pick-top 1500 --download /tmp/wheels --wheels /tmp/wheels
    # reproduce the shipped table from the pinned list
    python benchmarks/build_import_names.py --ranks /work/.library/env/packages/pypi.tsv \
        --download /tmp/wheels --wheels /tmp/wheels
"""

from __future__ import annotations

import argparse
import csv
import email.parser
import json
import re
import subprocess
import sys
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

from packaging.utils import canonicalize_name

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kdocs.extract.deps_env import modules_from_paths

DEFAULT_WHEEL_DIRS = ("/opt/pypi/files", "/opt/pypi-more/files", "/opt/wheels")
PINNED = Path(__file__).resolve().parent / "import_names_dists.txt"
# Distributions below the --pick-top cut whose import name is a known trap for the guess
# (issue 9: ``ulid`` is python-ulid, ``rattler`` is py-rattler); always downloaded.
ALSO = ("python-ulid", "ulid-py", "py-rattler", "import-linter")
BATCH = 10
TIMEOUT = 600


def pick_top(ranks: dict[str, int], top: int, also: Iterable[str]) -> list[str]:
    """The ``top`` best-ranked distributions plus ``also``, as requirement strings."""
    best = sorted(ranks, key=lambda d: (ranks[d], d))[:top]
    return sorted({*best, *(canonicalize_name(a) for a in also)})


def read_pinned(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def _pip_download(reqs: list[str], dest: Path) -> bool:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:"]
    cmd += ["--disable-pip-version-check", "-q", "-d", str(dest), *reqs]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


def _download_batch(reqs: list[str], dest: Path) -> list[str]:
    """Download a batch; on failure retry one by one. Returns the requirements that failed."""
    if _pip_download(reqs, dest):
        return []
    if len(reqs) == 1:
        return reqs
    return [r for r in reqs if not _pip_download([r], dest)]


def download(reqs: list[str], dest: Path, jobs: int) -> list[str]:
    """``pip download`` every requirement into ``dest`` (parallel batches); the failures."""
    dest.mkdir(parents=True, exist_ok=True)
    batches = [reqs[i : i + BATCH] for i in range(0, len(reqs), BATCH)]
    failed: list[str] = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for n, bad in enumerate(pool.map(lambda b: _download_batch(b, dest), batches), 1):
            failed += bad
            if n % 10 == 0 or n == len(batches):
                print(f"downloaded {n}/{len(batches)} batches, {len(failed)} failed", flush=True)
    return sorted(failed)


def pin(dest: Path, wanted: Iterable[str], path: Path) -> None:
    """Rewrite the pinned list with the version of each wanted wheel found in ``dest``."""
    want = {canonicalize_name(re.split(r"[=<>!~ ]", w, maxsplit=1)[0]) for w in wanted}
    got: dict[str, str] = {}
    for wheel in sorted(dest.glob("*.whl")):
        parts = wheel.name.split("-")
        name = canonicalize_name(parts[0])
        if name in want:
            got[name] = parts[1]
    lines = [f"{name}=={got[name]}" for name in sorted(got)]
    header = "# pinned by benchmarks/build_import_names.py --pick-top; one wheel each\n"
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")


def read_wheel(path: Path) -> tuple[str, set[str], list[str]] | None:
    """Name, import names and, for a wheel with nothing but metadata, its unconditional
    requirements (``Requires-Dist`` without marker)."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            meta = next((n for n in names if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)), None)
            if meta is None:
                return None
            headers = email.parser.Parser().parsestr(zf.read(meta).decode("utf-8", "replace"))
    except (OSError, zipfile.BadZipFile, KeyError):
        return None
    name = headers.get("Name")
    if not name:
        return None
    # Requirements matter only for an empty wheel (nothing but its .dist-info): an alias.
    empty = all(n.split("/", 1)[0].endswith(".dist-info") for n in names)
    requires = [
        canonicalize_name(re.split(r"[\s\[(<>=!~;]", str(r), maxsplit=1)[0])
        for r in (headers.get_all("Requires-Dist") or [] if empty else [])
        if ";" not in str(r)
    ]
    return str(name), modules_from_paths(names), requires


def iter_wheels(dirs: Iterable[str]) -> Iterator[Path]:
    for d in dirs:
        root = Path(d)
        if root.is_dir():
            yield from sorted(root.rglob("*.whl"))


def read_site_packages(site: str) -> Iterator[tuple[str, set[str]]]:
    for dist in metadata.distributions(path=[site]):
        name = dist.metadata["Name"]
        if not name:
            continue
        files = [str(f.as_posix()) for f in (dist.files or [])]
        yield name, modules_from_paths(files)


def guess(module: str) -> str:
    return canonicalize_name(module.split(".")[0])


def load_ranks(path: str | None) -> tuple[dict[str, int], set[str]]:
    """Download ranks (top 15000) and every name the listing knows."""
    if not path:
        return {}, set()
    ranks: dict[str, int] = {}
    names: set[str] = set()
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        col = header.index("rank_among_15000_most_downloaded")
        for row in reader:
            if not row:
                continue
            names.add(canonicalize_name(row[0]))
            if len(row) > col and row[col].strip().isdigit():
                ranks[canonicalize_name(row[0])] = int(row[col])
    return ranks, names


def _compact_json(data: dict[str, object]) -> str:
    """One line per key (and per module in ``modules``): small, sorted, diff-friendly."""
    lines = ["{"]
    items = list(data.items())
    for i, (key, value) in enumerate(items):
        tail = "," if i < len(items) - 1 else ""
        if isinstance(value, dict):
            lines.append(f" {json.dumps(key)}: {{")
            inner = sorted(value.items())
            for j, (module, dists) in enumerate(inner):
                comma = "," if j < len(inner) - 1 else ""
                lines.append(f"  {json.dumps(module)}: {json.dumps(dists)}{comma}")
            lines.append(f" }}{tail}")
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value)}{tail}")
    return "\n".join([*lines, "}"]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheels", action="append", default=None, help="wheel directory")
    parser.add_argument("--site-packages", action="append", default=[], help="installed env")
    parser.add_argument("--ranks", help="TSV with a rank_among_15000_most_downloaded column")
    parser.add_argument("--top", type=int, default=15000, help="keep dists ranked this high")
    parser.add_argument("--out", default="kdocs/data/import_names.json")
    parser.add_argument("--download", metavar="DIR", help="pip download the pinned wheels")
    parser.add_argument("--pick-top", type=int, default=0, help="re-pick the N most downloaded")
    parser.add_argument("--also", action="append", default=list(ALSO), help="pick this too")
    parser.add_argument("--pinned", default=str(PINNED), help="name==version list")
    parser.add_argument("--jobs", type=int, default=6, help="parallel pip downloads")
    args = parser.parse_args(argv)

    ranks, _known = load_ranks(args.ranks)
    if args.download:
        dest = Path(args.download)
        if args.pick_top:
            reqs = pick_top(ranks, args.pick_top, args.also)
        else:
            reqs = read_pinned(Path(args.pinned))
        failed = download(reqs, dest, args.jobs)
        print(f"{len(reqs) - len(failed)} of {len(reqs)} downloaded; no wheel: {failed}")
        if args.pick_top:
            pin(dest, reqs, Path(args.pinned))
    provided: dict[str, set[str]] = defaultdict(set)  # module -> display names
    display: dict[str, str] = {}
    seen = 0
    own: dict[str, set[str]] = defaultdict(set)  # dist -> its import names
    needs: dict[str, list[str]] = {}  # dist -> unconditional requirements
    for wheel in iter_wheels(args.wheels or DEFAULT_WHEEL_DIRS):
        got = read_wheel(wheel)
        if got is None:
            continue
        seen += 1
        name, modules, requires = got
        display.setdefault(canonicalize_name(name), name)
        own[canonicalize_name(name)] |= modules
        needs[canonicalize_name(name)] = requires
        for module in modules:
            provided[module].add(canonicalize_name(name))
    # A distribution whose wheel holds only metadata and requires exactly one other
    # distribution is an alias of it (typer-slim -> typer, python-Levenshtein ->
    # Levenshtein): it provides the same import names.
    for dist, requires in needs.items():
        if not own[dist] and len(requires) == 1 and own.get(requires[0]):
            for module in own[requires[0]]:
                provided[module].add(dist)
    for site in args.site_packages:
        for name, modules in read_site_packages(site):
            seen += 1
            display.setdefault(canonicalize_name(name), name)
            for module in modules:
                provided[module].add(canonicalize_name(name))

    def ranked(dist: str) -> bool:
        return not ranks or ranks.get(dist, 10**9) <= args.top

    table: dict[str, list[str]] = {}
    for module in sorted(provided):
        dists = sorted(
            (d for d in provided[module] if ranked(d)), key=lambda d: (ranks.get(d, 10**9), d)
        )
        if not dists or dists == [guess(module)]:
            continue
        if dists == [guess(module)]:
            continue  # the guess already finds the only provider
        candidates = list(dists)
        if "." not in module and guess(module) in ranks:
            # A popular distribution named like the import exists too (tensorflow next to
            # tensorflow-cpu): list it, most downloaded first, so suggestions stay right.
            candidates = sorted({*dists, guess(module)}, key=lambda d: (ranks.get(d, 10**9), d))
        table[module] = [display.get(d, d) for d in candidates]
    # Collapse dotted keys whose parent already maps to the same distributions.
    for module in sorted(table, key=lambda m: m.count(".")):
        parent = module.rpartition(".")[0]
        while parent:
            if parent in table and table[parent] == table[module]:
                del table[module]
                break
            parent = parent.rpartition(".")[0]
    ranks_name = Path(args.ranks).name if args.ranks else "none"
    data = {
        "_generated_by": "benchmarks/build_import_names.py",
        "_sources": f"{seen} wheels/distributions; ranks from {ranks_name}",
        "modules": table,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(_compact_json(data), encoding="utf-8")
    providers = {d for v in table.values() for d in v}
    print(
        f"read {seen} distributions; wrote {len(table)} import names "
        f"for {len(providers)} distributions to {out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
