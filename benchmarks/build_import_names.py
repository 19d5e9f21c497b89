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

Usage::

    /work/venv/bin/python benchmarks/build_import_names.py \
        --ranks /work/.library/env/packages/pypi.tsv --out kdocs/data/import_names.json
"""

from __future__ import annotations

import argparse
import csv
import email.parser
import json
import re
import sys
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from importlib import metadata
from pathlib import Path

from packaging.utils import canonicalize_name

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kdocs.extract.deps_env import modules_from_paths

DEFAULT_WHEEL_DIRS = ("/opt/pypi/files", "/opt/pypi-more/files", "/opt/wheels")


def read_wheel(path: Path) -> tuple[str, set[str]] | None:
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
    return str(name), modules_from_paths(names)


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheels", action="append", default=None, help="wheel directory")
    parser.add_argument("--site-packages", action="append", default=[], help="installed env")
    parser.add_argument("--ranks", help="TSV with a rank_among_15000_most_downloaded column")
    parser.add_argument("--top", type=int, default=15000, help="keep dists ranked this high")
    parser.add_argument("--out", default="kdocs/data/import_names.json")
    args = parser.parse_args(argv)

    ranks, _known = load_ranks(args.ranks)
    provided: dict[str, set[str]] = defaultdict(set)  # module -> display names
    display: dict[str, str] = {}
    seen = 0
    for wheel in iter_wheels(args.wheels or DEFAULT_WHEEL_DIRS):
        got = read_wheel(wheel)
        if got is None:
            continue
        seen += 1
        name, modules = got
        display.setdefault(canonicalize_name(name), name)
        for module in modules:
            provided[module].add(canonicalize_name(name))
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
        if guess(module) in dists and "." not in module:
            continue  # the guess already finds the main provider
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
    out.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    providers = {d for v in table.values() for d in v}
    print(
        f"read {seen} distributions; wrote {len(table)} import names "
        f"for {len(providers)} distributions to {out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
