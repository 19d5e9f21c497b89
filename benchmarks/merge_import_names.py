"""Merge import names read from a few extra wheels into ``kdocs/data/import_names.json``.

The full rebuild (``build_import_names.py`` over 1,500 downloaded wheels) takes about 20
minutes and 6 GB; a distribution found missing later (a false D101/D102 on a real project)
is added from its real wheel instead, with this two-step recipe::

    pip download --no-deps --only-binary :all: -d /tmp/extra writer-sdk agate-sql
    python benchmarks/build_import_names.py --wheels /tmp/extra --out /tmp/extra.json
    python benchmarks/merge_import_names.py /tmp/extra.json --note "writer-sdk 3.0.0"

and the distribution is added to ``import_names_dists.txt`` so that the next full rebuild
includes it. Existing names keep their candidates (most downloaded first); new candidates
are appended. Nothing is typed by hand: every entry comes from a wheel's file list.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_import_names import _compact_json

TABLE = Path(__file__).resolve().parent.parent / "kdocs" / "data" / "import_names.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("extra", type=Path, help="output of build_import_names.py")
    parser.add_argument("--note", required=True, help="what was merged (for _sources)")
    parser.add_argument("--table", type=Path, default=TABLE)
    args = parser.parse_args(argv)
    table = json.loads(args.table.read_text(encoding="utf-8"))
    extra = json.loads(args.extra.read_text(encoding="utf-8"))["modules"]
    modules: dict[str, list[str]] = table["modules"]
    added = 0
    for name, dists in extra.items():
        current = modules.setdefault(name, [])
        for dist in dists:
            if dist not in current:
                current.append(dist)
                added += 1
    table["modules"] = dict(sorted(modules.items()))
    table["_sources"] = f"{table['_sources']}; merged: {args.note}"
    args.table.write_text(_compact_json(table), encoding="utf-8")
    print(f"merged {added} import name -> distribution pair(s) into {args.table}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
