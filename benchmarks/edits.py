"""One file changed, by kind of edit: what a pre-commit run of ``kdocs check`` costs on django.

    python benchmarks/edits.py [--repeat 5] [--json edits.json] [--project django==5.2.8]

``benchmarks/suite.py`` times one kind of edit (a comment appended). Real edits differ in
what they change for kdocs: some leave every file's extracted facts as they were (a
comment, a touched file, a docstring of a private function: the stored result is reused),
some only move the lines below them (the stored result is reused, its findings moved), and
others change a fact (an import, a small one-argument function's text), so links and
rules run again. This script times each kind on the same django tree as the suite,
alternating with warm ``lint-imports`` (which re-reads the changed module too), median of
``--repeat`` fresh processes after each edit (applied and undone, so every run starts from
the same warm cache state), and prints one table with the ratio to warm ``lint-imports``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.suite import CORPORA, PEERS, TICK, measure, prepare  # noqa: E402
from tests.realenv import real_venv  # noqa: E402

TARGET = "django/utils/text.py"


def _replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


EDITS: list[tuple[str, Callable[[str], str] | None]] = [
    ("nothing (warm)", None),
    ("touch (same bytes)", lambda text: text),
    ("comment appended", lambda text: text + "# edited\n"),
    ("comment edited in place", _replace("# Set up regular expressions", "# Regular expressions")),
    (
        "line inserted in a function body",
        _replace('def capfirst(x):\n    """', 'def capfirst(x):\n    x = x\n    """'),
    ),
    (
        "line inserted in a method body",
        _replace(
            "    def chars(self, num, truncate=None, html=False):\n",
            "    def chars(self, num, truncate=None, html=False):\n        num = num\n",
        ),
    ),
    (
        # the types facts keep a small one-argument function's text (a possible pydantic
        # alias generator), so this edit changes a fact
        "line inserted in a one-argument function",
        _replace(
            "def camel_case_to_spaces(value):\n",
            "def camel_case_to_spaces(value):\n    value = value\n",
        ),
    ),
    ("import added at the top", _replace("import re\n", "import re\nimport os\n")),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="Runs per figure (median).")
    parser.add_argument("--project", default="django==5.2.8", help="The sdist to check.")
    parser.add_argument("--json", type=Path, default=Path("edits.json"), help="JSON output.")
    args = parser.parse_args()
    peers = real_venv(PEERS)
    work = Path(tempfile.mkdtemp(prefix="kdocs-edits-"))
    try:
        project, described = prepare(CORPORA["django"], args.project, work)
        rows = run(project, peers, args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"{described}, edits to {TARGET}; median of {args.repeat}, "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}\n"
    )
    print("| edit | kdocs check s | warm lint-imports s | ratio | stored result reused |")
    print("| --- | ---: | ---: | ---: | --- |")
    for row in rows:
        print(
            f"| {row['edit']} | {row['kdocs']:.2f} | {row['lint_imports']:.2f} | "
            f"{row['ratio']:.2f} | {row['reused']} |"
        )
    args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")


def run(project: Path, peers: Any, repeat: int) -> list[dict[str, object]]:
    kenv = {**os.environ, "PYTHONPATH": str(ROOT)}
    kenv.pop("PYTHONDONTWRITEBYTECODE", None)
    penv = {**os.environ, "PYTHONPATH": str(project)}
    kdocs = [sys.executable, "-m", "kdocs", "check", ".", "--exit-zero"]
    lint = [str(peers.path / "bin" / "lint-imports")]
    target = project / TARGET
    original = target.read_bytes()
    measure(kdocs, project, kenv)  # cold: fills every cache
    measure(lint, project, penv)
    time.sleep(TICK)
    measure(kdocs, project, kenv)  # the copied files were racy-fresh for the cold run
    rows = []
    for label, edit in EDITS:
        ours, theirs, reused = [], [], []
        for _ in range(repeat):
            if edit is not None:
                target.write_text(edit(original.decode("utf-8")), encoding="utf-8")
                time.sleep(TICK)  # past the racy-clean window, as a human edit would be
            before = _cache_writes(project)
            ours.append(measure(kdocs, project, kenv)[0])
            reused.append(_cache_writes(project) == before)
            theirs.append(measure(lint, project, penv)[0])
            if edit is not None:
                target.write_bytes(original)  # undo, and let both tools see the undo
                time.sleep(TICK)
                measure(kdocs, project, kenv)
                measure(lint, project, penv)
        mine, peer = statistics.median(ours), statistics.median(theirs)
        rows.append(
            {
                "edit": label,
                "kdocs": mine,
                "lint_imports": peer,
                "ratio": mine / peer,
                "reused": "yes" if all(reused) else ("no" if not any(reused) else "some"),
            }
        )
        print(f"  {label}: {mine:.2f} s vs {peer:.2f} s", file=sys.stderr)
    return rows


def _cache_writes(project: Path) -> dict[str, int]:
    """The per-file and model cache files: a check that ran its links and rules after an
    edit writes some of them (the edited file's facts at least); one answered by the stored
    result (warm, or reused after an edit) writes none."""
    folder = project / ".kdocs_cache"
    return {
        str(p): p.stat().st_mtime_ns
        for pattern in ("*/*.json", "*/*.bin")
        for p in folder.glob(pattern)
        if p.name != "check-result.json" and p.is_file()
    }


if __name__ == "__main__":
    main()
