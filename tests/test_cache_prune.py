"""The cache folders of older kdocs versions are removed once unused (``kdocs/cacheprune.py``):
only files kdocs provably wrote, never a newer version's folder or one still in use, and no
symlink is followed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kdocs import __version__, cacheprune, cacheseal
from tests.conftest import MakeProject
from tests.helpers import age_tree, run_kdocs

OLD = "0.0.9"
NEWER = "99.0.0"


@pytest.fixture(autouse=True)
def fresh_look(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test looks at its cache folders anew, and a folder counts as unused when nothing
    in it changed after the cutoff, which these tests move to now (a ctime cannot be set
    back to make a file old)."""
    monkeypatch.setattr(cacheprune, "_pruned", set())
    monkeypatch.setattr(cacheprune, "STALE_DAYS", 0)
    monkeypatch.setattr(cacheprune, "_NS_PER_DAY", 0)


def _old_folder(root: Path, version: str) -> Path:
    """A version folder as an older kdocs leaves it: sealed caches, an inspect output and
    its sealed record."""
    folder = root / ".kdocs_cache" / version
    (folder / "check-trees").mkdir(parents=True)
    cacheseal.write_binary(folder / "types.bin", {"entries": {}})
    cacheseal.write_json(folder / "check-trees" / "a.json", {"format": 1})
    blob = folder / "inspect-abc.out"
    blob.write_bytes(b"{}\n")
    record = {"format": 1, "entries": {"k": {"blob": blob.name, "identity": _identity(blob)}}}
    cacheseal.write_json(folder / "inspect-output.json", record)
    return folder


def _identity(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]


def _settle() -> None:
    time.sleep(0.01)  # past the files' ctimes (the cutoff is "now" in these tests)


def test_an_unused_older_folder_goes_with_a_whole_save_but_planted_files_stay(
    make_project: MakeProject,
) -> None:
    root = make_project({"pyproject.toml": '[project]\nname = "p"\n', "p/__init__.py": "X = 1\n"})
    age_tree(root)
    old = _old_folder(root, OLD)
    planted = old / "check-trees" / "planted.json"
    planted.write_text('{"format": 1}')  # not sealed: kdocs did not write it
    outside = root / "keep.txt"
    outside.write_text("mine")
    (old / "link.bin").symlink_to(outside)
    newer = _old_folder(root, NEWER)
    _settle()
    run_kdocs("check", "--exit-zero", cwd=root)  # a cold run saves each kind whole
    assert sorted(p.relative_to(old).as_posix() for p in old.rglob("*")) == [
        "check-trees",
        "check-trees/planted.json",
        "link.bin",
    ]
    assert outside.read_text() == "mine"
    assert (newer / "types.bin").exists() and (newer / "inspect-abc.out").exists()
    assert (root / ".kdocs_cache" / __version__ / "files.bin").exists()


def test_an_older_folder_in_use_or_a_replaced_blob_stays(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project({"pyproject.toml": '[project]\nname = "p"\n', "p/__init__.py": "X = 1\n"})
    old = _old_folder(root, OLD)
    monkeypatch.setattr(cacheprune, "STALE_DAYS", 14)
    monkeypatch.setattr(cacheprune, "_NS_PER_DAY", 86_400 * 10**9)
    cacheprune.prune_old_versions(root / ".kdocs_cache")
    assert (old / "types.bin").exists()  # written just now: that kdocs still runs here
    monkeypatch.setattr(cacheprune, "_pruned", set())
    monkeypatch.setattr(cacheprune, "STALE_DAYS", 0)
    blob = old / "inspect-abc.out"
    blob.unlink()
    blob.write_bytes(b"{}\n")  # same name and bytes, another file: not the one recorded
    _settle()
    cacheprune.prune_old_versions(root / ".kdocs_cache")
    assert blob.exists() and not (old / "types.bin").exists()


def test_only_version_folders_are_looked_at(tmp_path: Path) -> None:
    other = tmp_path / "notes"
    other.mkdir()
    cacheseal.write_json(other / "x.json", {"a": 1})
    _settle()
    cacheprune.prune_old_versions(tmp_path)
    assert (other / "x.json").exists()
