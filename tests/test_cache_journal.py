"""The per-file cache writes what a run changed to a small journal instead of re-encoding every
file's results (``kdocs/cache.py``); journals are merged on load and folded into the file
when they pile up. Every output equals a run without a cache."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest

from kdocs import __version__, cache, cacheseal
from kdocs.cache import KindCache
from tests.conftest import MakeProject
from tests.helpers import run_kdocs

FILES = {
    "pyproject.toml": '[project]\nname = "app"\nversion = "1"\n\n[tool.kdocs]\nconvention = "kubernetes"\n',
    "app/__init__.py": "",
    "app/models.py": "import pydantic\n\n\nclass User(pydantic.BaseModel):\n    userAge: int\n",
    **{f"app/mod{i}.py": f"import os\n\nVALUE = {i}\n" for i in range(12)},
}


@pytest.fixture
def project(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cache, "TICK_NS", 0)
    root = make_project(FILES)
    for i, path in enumerate(sorted(root.rglob("*.py"))):
        os.utime(path, ns=(1_600_000_000_000_000_000 + i, 1_600_000_000_000_000_000 + i))
    return root


def _folder(root: Path) -> Path:
    return root / ".kdocs_cache" / __version__


def _check(root: Path, *extra: str) -> str:
    return run_kdocs("check", "--format", "json", "--exit-zero", *extra, cwd=root).stdout


def _edit(root: Path, n: int) -> None:
    path = root / "app/models.py"
    path.write_text(path.read_text().replace("userAge", f"userAge{n}x", 1))


def test_a_one_file_edit_writes_journals_and_leaves_the_files_alone(project: Path) -> None:
    _check(project, "--select", "F,I")
    folder = _folder(project)
    before = {p.name: p.read_bytes() for p in folder.glob("*.bin")}
    assert "types.bin" in before and "imports.bin" in before
    _edit(project, 1)
    after = _check(project, "--select", "F,I")
    assert after == _check(project, "--select", "F,I", "--no-cache")
    assert "userAge1x" in after
    for name in ("types.bin", "imports.bin"):
        assert (folder / name).read_bytes() == before[name]  # not re-encoded
    journals = sorted(p.name for p in folder.glob("*.journal-*.bin"))
    assert any(n.startswith("types.journal-") for n in journals)
    assert any(n.startswith("imports.journal-") for n in journals)
    # The next run finds the edited file's results in the journal: nothing is extracted.
    for derived in [folder / "check-result.json", *folder.glob("*-linked.json")]:
        derived.unlink()
    for tree in (folder / "check-trees").glob("*"):
        tree.unlink()
    cache.STATS.clear()
    assert _check(project, "--select", "F,I") == after
    assert cache.STATS["types:stored"] == 0 and cache.STATS["types:stat"] > 0


def test_journals_are_merged_into_the_file_when_they_pile_up(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MAX_JOURNALS", 3)
    _check(project, "--select", "F")
    folder = _folder(project)
    for n in range(1, 4):
        _edit(project, n)
        _check(project, "--select", "F")
    assert len(list(folder.glob("types.journal-*.bin"))) == 3
    _edit(project, 4)
    out = _check(project, "--select", "F")
    assert not list(folder.glob("types.journal-*.bin"))  # merged and removed
    assert out == _check(project, "--select", "F", "--no-cache")


def test_a_planted_journal_is_ignored(project: Path) -> None:
    """A pull request commits a journal that says the edited file holds no model (hiding its
    findings): it is not sealed with this machine's key, so it is not read."""
    _check(project, "--select", "F")
    folder = _folder(project)
    _edit(project, 1)
    honest = _check(project, "--select", "F")
    assert "userAge1x" in honest
    (journal,) = folder.glob("types.journal-*.bin")
    data = cacheseal.read_binary(journal)
    assert isinstance(data, dict)
    for result in data["results"].values():
        result["facts"] = None
    journal.unlink()
    planted = folder / "types.journal-99999999999999999999-1.bin"
    planted.write_bytes(marshal.dumps(data))  # the forgery, unsealed
    for derived in [folder / "check-result.json", *folder.glob("*-linked.json")]:
        derived.unlink()
    for tree in (folder / "check-trees").glob("*"):
        tree.unlink()
    assert _check(project, "--select", "F") == honest


def test_a_kind_cache_merges_journals_in_order(tmp_path: Path) -> None:
    first = KindCache(tmp_path, "k", "fp")
    for i in range(40):
        first.put(f"f{i}.py", (1, 1, i, 1, 3_000_000_000), f"key{i}", {"facts": i})
    first.save()  # the first save writes the whole file
    second = KindCache(tmp_path, "k", "fp")
    second.put("f0.py", (2, 2, 0, 2, 3_000_000_000), "key0b", {"facts": "new"})
    second.save()
    assert len(list((tmp_path / __version__).glob("k.journal-*.bin"))) == 1
    third = KindCache(tmp_path, "k", "fp")
    assert third.by_stat("f0.py", (2, 2, 0, 2, 9_000_000_000)) == {
        "facts": "new",
        "day": third.today,
    }
    assert third.by_stat("f1.py", (1, 1, 1, 1, 9_000_000_000)) is not None


def test_the_json_files_of_the_previous_format_are_removed_if_kdocs_wrote_them(
    project: Path,
) -> None:
    """Per-file caches moved from ``<kind>.json`` to ``<kind>.bin``: the next whole save
    removes the old files, and only those whose seal proves kdocs wrote them."""
    folder = _folder(project)
    folder.mkdir(parents=True, exist_ok=True)
    ours = folder / "types.json"
    ours_journal = folder / "types.journal-00000000000000000001-1.json"
    for path in (ours, ours_journal):
        cacheseal.write_json(path, {"format": 4, "kind": "types", "entries": {}, "results": {}})
    foreign = folder / "imports.json"
    foreign.write_text('{"not": "ours"}')
    _check(project, "--select", "F,I")
    assert (folder / "types.bin").is_file() and (folder / "imports.bin").is_file()
    assert not ours.exists() and not ours_journal.exists()
    assert foreign.read_text() == '{"not": "ours"}'  # not sealed here: not kdocs' to delete
