"""The scaling benchmark's synthetic trees: exact size, deterministic bytes, and a real mix.

``benchmarks/scaling.py`` compares kdocs' cost per file at 1k, 10k and 50k files; if the
generator's trees changed between runs, or stopped containing the CLIs and API types the
extractors work on, its slopes would compare different workloads. The trees are read by the
real ``kdocs inspect`` here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from tests.helpers import run_kdocs

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _scaling() -> ModuleType:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location("scaling_bench", BENCHMARKS / "scaling.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_tree_is_exact_and_deterministic(tmp_path: Path) -> None:
    scaling = _scaling()
    scaling.generate(tmp_path / "a", 90)
    scaling.generate(tmp_path / "b", 90)
    first = _tree_bytes(tmp_path / "a")
    assert first == _tree_bytes(tmp_path / "b")
    assert sum(1 for name in first if name.endswith(".py")) == 90


def test_tree_has_clis_models_and_imports(tmp_path: Path) -> None:
    scaling = _scaling()
    root = tmp_path / "synth"
    scaling.generate(root, 90)
    cli = run_kdocs("inspect", "cli", str(root), "--no-cache")
    assert cli.exit_code == 0, cli.stderr
    data = cli.json()
    assert data["unresolved_entry_points"] == []
    frameworks = sorted(c["framework"] for c in data["clis"])
    assert frameworks == ["argparse"] * 4 + ["click"] * 4
    click_root = next(c for c in data["clis"] if c["framework"] == "click")
    assert len(click_root["subcommands"]) == 6
    types = run_kdocs("inspect", "types", str(root), "--no-cache")
    assert types.exit_code == 0, types.stderr
    kinds = sorted({t["kind"] for t in types.json()["types"]})
    assert kinds == ["dataclass", "pydantic"]
    imports = run_kdocs("inspect", "imports", str(root), "--no-cache")
    assert imports.exit_code == 0, imports.stderr
    assert "synth.pkg00000.mod09" in imports.stdout


def test_check_runs_without_the_cyclic_collector(tmp_path: Path, monkeypatch: Any) -> None:
    """A run turns the cyclic GC off (with Python's defaults a cold check of a 10,000-file
    tree spent about 40% of its CPU in collections that walked the facts heap, and raised
    thresholds still left 24-89 ms per run on django) and turns it back on after."""
    import gc

    from kdocs import engine

    scaling = _scaling()
    scaling.generate(tmp_path / "p", 25)
    seen: list[bool] = []
    original = engine.run_checks

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(engine, "run_checks", spy)
    assert gc.isenabled()
    run = run_kdocs("check", str(tmp_path / "p"), "--no-cache", "--exit-zero")
    assert run.exit_code == 0, run.stderr
    assert seen == [False]
    assert gc.isenabled()
