"""ModuleIndex (the types linker's module lookup) never probes search paths for a submodule of
a plain module: ``pkg.mod.Model`` cannot be a module when ``pkg/mod.py`` is one.

Every class reference asked for such names on every search path (four ``stat`` calls each);
on a 10,000-file tree that was over half of the types link time (benchmarks/scaling.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kdocs.extract.types.bases import ModuleIndex


def _facts(module: str) -> dict[str, Any]:
    return {"module": module, "classes": [], "imports": {}, "aliases": {}, "stars": []}


def _decoys(root: Path) -> Path:
    """A search path where ``pkg/mod/Model.py`` and ``pkg/sub.py`` exist on disk."""
    site = root / "site"
    (site / "pkg" / "mod").mkdir(parents=True)
    (site / "pkg" / "mod" / "Model.py").write_text("class Decoy:\n    pass\n")
    (site / "pkg" / "sub.py").write_text("class Real:\n    pass\n")
    return site


def test_submodule_of_plain_project_module_is_not_probed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _decoys(tmp_path)
    index = ModuleIndex({"pkg/__init__.py": _facts("pkg"), "pkg/mod.py": _facts("pkg.mod")}, [site])
    probed: list[str] = []
    real_stat = Path.stat

    def stat(self: Path, **kwargs: Any) -> Any:
        probed.append(str(self))
        return real_stat(self, **kwargs)

    monkeypatch.setattr(Path, "stat", stat)
    assert index.get("pkg.mod.Model") is None
    assert index.get("pkg.mod.Model.inner") is None
    assert probed == []
    assert index.loaded == []


def test_submodule_of_a_package_is_still_found(tmp_path: Path) -> None:
    site = _decoys(tmp_path)
    index = ModuleIndex({"pkg/__init__.py": _facts("pkg")}, [site])
    found = index.get("pkg.sub")
    assert found is not None
    assert [c["qualname"] for c in found["classes"]] == ["Real"]
    assert index.loaded == [str(site / "pkg" / "sub.py")]


def test_plain_installed_module_stops_probing_below_it(tmp_path: Path) -> None:
    site = _decoys(tmp_path)
    (site / "pkg" / "mod.py").write_text("class Model:\n    pass\n")
    index = ModuleIndex({}, [site])
    assert index.get("pkg.mod") is not None
    assert index.get("pkg.mod.Model") is None
