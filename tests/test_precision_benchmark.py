"""The precision benchmark's bookkeeping: labels must survive line moves, samples must be stable.

``benchmarks/precision.py`` is data infrastructure for issue 9: if a label silently stopped
matching its finding after an unrelated edit, or the sample changed between runs, the
before/after precision tables would compare different things. These tests run the real
``kdocs`` on a small click project built in tmp_path.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

APP = '''\
import click


@click.command()
@click.option("--dry_run", is_flag=True)
@click.option("--name")
def main(dry_run, name):
    """Greet someone."""
'''


def _bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    path = Path(__file__).parent.parent / "benchmarks" / "precision.py"
    spec = importlib.util.spec_from_file_location("precision_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(module, "LABELS_FILE", tmp_path / "labels.jsonl")
    return module


def _project(bench: ModuleType, source: str) -> Any:
    project = bench.Project("greeter", "1.0", "click")
    root = project.root
    (root / "greeter").mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "greeter"\nversion = "1.0"\ndependencies = ["click"]\n'
        '[project.scripts]\ngreeter = "greeter.cli:main"\n'
    )
    (root / "greeter" / "__init__.py").write_text("")
    (root / "greeter" / "cli.py").write_text(source)
    return project


def test_keys_survive_line_moves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bench = _bench(tmp_path, monkeypatch)
    project = _project(bench, APP)
    before, _ = bench.run_check(project)
    codes = {f["code"] for f in before}
    assert {"C101", "C202"} <= codes
    c101 = next(f for f in before if f["code"] == "C101")
    assert c101["key"].startswith("--dry_run @ ")

    _project(bench, "# a new header comment\n\n\n" + APP)
    after, _ = bench.run_check(project)
    assert {f["line"] for f in after} != {f["line"] for f in before}
    assert {bench.identity(f) for f in after} == {bench.identity(f) for f in before}


def _finding(project: str, code: str, n: int) -> dict[str, Any]:
    return {"project": project, "file": "m.py", "code": code, "key": f"x{n} @ line {n} #0"}


def test_sample_is_stable_prefers_labels_and_fills_the_total(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = _bench(tmp_path, monkeypatch)
    findings = [_finding(p, "F104", n) for p in ("a", "b") for n in range(30)]
    findings += [_finding("a", "C202", n) for n in range(3)]

    first = bench.sample(findings, {}, 10, 0)
    assert [bench.identity(f) for f in first] == [
        bench.identity(f) for f in bench.sample(list(reversed(findings)), {}, 10, 0)
    ]
    f104 = [f for f in first if f["code"] == "F104"]
    assert len(f104) == 10
    assert {f["project"] for f in f104} == {"a", "b"}  # spread across projects

    unsampled = next(f for f in findings if f["code"] == "F104" and f not in first)
    labels = {bench.identity(unsampled): {"label": "true"}}
    assert unsampled in bench.sample(findings, labels, 10, 0)

    filled = bench.sample(findings, {}, 10, 20)
    assert len(filled) == 20
    assert sum(f["code"] == "C202" for f in filled) == 3
    assert sum(f["code"] == "F104" for f in filled) == 17  # the busiest rule got the extra


def test_label_merges_worksheet_ids_and_rejects_bad_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = _bench(tmp_path, monkeypatch)
    project = _project(bench, APP)
    monkeypatch.setattr(bench, "projects", lambda only=None: [project])
    bench.cmd_run([project])
    bench.cmd_sample([project], 10, 0)
    sheet = [json.loads(line) for line in bench.worksheet_path().read_text().splitlines()]
    c101 = next(e for e in sheet if e["code"] == "C101")

    tsv = tmp_path / "labels.tsv"
    tsv.write_text(f"{c101['id']}\ttrue\tflag mixes underscore into kebab-case\n")
    bench.cmd_label(tsv)
    labels = bench.load_labels()
    assert labels[("greeter", "greeter/cli.py", "C101", c101["key"])]["label"] == "true"

    tsv.write_text(f"{c101['id']}\tmaybe\tno\n")
    with pytest.raises(SystemExit, match=r"labels.tsv:1: expected"):
        bench.cmd_label(tsv)
