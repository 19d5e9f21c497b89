"""``kdocs site build`` against mkdocs on the same Markdown pages, in one run.

    KDOCS_TEST_CACHE=/tmp/kc python benchmarks/site_speed.py [--repeat 3] [--json site.json]

Corpora: the ``docs/`` folders of real mkdocs projects from their PyPI sdists (instructor
1.17.0, 299 pages; fastapi-users 15.0.5, 41 pages), each copied into a scratch folder. The
peer is mkdocs 1.6.1 (a cached venv, ``tests/realenv.py``) with a minimal config: the same
``docs/`` folder, the built-in ``mkdocs`` theme and no plugins (the projects' own configs
need their themes and plugins, which render other things). kdocs renders the project's
generated reference besides (the CLI and type references its static model finds), which
mkdocs does not: the table says how many pages each wrote. Figures are the median of
``--repeat`` fresh processes with their peak RSS (``wait4``): kdocs cold (no cache folder),
kdocs warm (its cache filled: the models are not linked again), mkdocs. Every kdocs build
is then checked: the links between its pages that do not resolve are counted (those left
are broken in the sources themselves), and the table prints them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.suite import measure, sdist  # noqa: E402
from tests.realenv import real_venv  # noqa: E402
from tests.test_site import broken_links  # noqa: E402

CORPORA = ("instructor==1.17.0", "fastapi-users==15.0.5")
PEER = ["mkdocs==1.6.1"]
MKDOCS_CONFIG = """site_name: bench
docs_dir: docs
site_dir: {site_dir}
theme:
  name: mkdocs
"""


def _median(runs: list[tuple[float, float]]) -> dict[str, float]:
    return {
        "seconds": round(statistics.median(r[0] for r in runs), 3),
        "peak_mb": round(statistics.median(r[1] for r in runs), 1),
    }


def run_corpus(spec: str, repeat: int, mkdocs: Path, work: Path) -> dict[str, Any]:
    project = work / spec.split("==")[0]
    shutil.copytree(sdist(spec), project, symlinks=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    kdocs_out = work / "kdocs-site"
    kdocs = [sys.executable, "-m", "kdocs", "site", "build", ".", "--out", str(kdocs_out)]
    mkdocs_out = work / "mkdocs-site"
    config = work / "mkdocs-bench.yml"
    # mkdocs reads docs_dir relative to its config file: name the project's by its path.
    text = MKDOCS_CONFIG.format(site_dir=mkdocs_out)
    config.write_text(text.replace("docs_dir: docs", f"docs_dir: {project / 'docs'}"))
    peer = [str(mkdocs / "bin" / "mkdocs"), "build", "-q", "-f", str(config)]
    rows: dict[str, list[tuple[float, float]]] = {"kdocs cold": [], "kdocs warm": [], "mkdocs": []}
    for _ in range(repeat):
        shutil.rmtree(project / ".kdocs_cache", ignore_errors=True)
        shutil.rmtree(kdocs_out, ignore_errors=True)
        rows["kdocs cold"].append(measure(kdocs, project, env)[:2])
        shutil.rmtree(kdocs_out, ignore_errors=True)
        rows["kdocs warm"].append(measure(kdocs, project, env)[:2])
        shutil.rmtree(mkdocs_out, ignore_errors=True)
        rows["mkdocs"].append(measure(peer, project, dict(os.environ))[:2])
    return {
        "corpus": spec,
        "pages_kdocs": len(list(kdocs_out.rglob("*.html"))),
        "pages_mkdocs": len([p for p in mkdocs_out.rglob("*.html") if p.name != "404.html"]),
        "broken_links_kdocs": broken_links(kdocs_out),
        **{label: _median(runs) for label, runs in rows.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="Runs per figure (median).")
    parser.add_argument("--json", type=Path, default=Path("site-speed.json"), help="JSON output.")
    args = parser.parse_args()
    mkdocs = real_venv(PEER).path
    results = []
    for spec in CORPORA:
        with tempfile.TemporaryDirectory(prefix="kdocs-site-bench-") as tmp:
            results.append(run_corpus(spec, args.repeat, mkdocs, Path(tmp)))
    print(f"median of {args.repeat}, {os.cpu_count()} cores\n")
    print(
        "| corpus | pages kdocs / mkdocs | kdocs cold s (MB) | kdocs warm s (MB) | mkdocs s (MB) |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for r in results:
        cells = [
            f"{r[k]['seconds']:.2f} ({r[k]['peak_mb']:.0f})"
            for k in ("kdocs cold", "kdocs warm", "mkdocs")
        ]
        print(
            f"| {r['corpus']} | {r['pages_kdocs']} / {r['pages_mkdocs']} | "
            + " | ".join(cells)
            + " |"
        )
    for r in results:
        print(f"\n{r['corpus']}: {len(r['broken_links_kdocs'])} links broken in the sources")
        for line in r["broken_links_kdocs"]:
            print(f"  {line}")
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
