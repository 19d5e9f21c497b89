"""The cache never answers for content it did not see: same-size edits with a restored mtime,
a cache record that claims a newer stat, and racy timestamps all force a re-read; earlier
revisions stay cached; the cache folder can never hide the project's files."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kdocs import __version__, cache, cacheseal
from kdocs.analysis import Analysis
from kdocs.extract import PROVIDER_MODULES
from kdocs.project import discover
from tests import fake_provider
from tests.conftest import MakeProject
from tests.helpers import run_kdocs

CLEAN = '''import click


@click.command()
@click.option("--dry-run", is_flag=True, help="Only print.")
def main(dry_run):
    """Deploy it."""
'''
BAD = CLEAN.replace("--dry-run", "--dry_run")  # same size: only one byte differs
PYPROJECT = '[project]\nname = "app"\nversion = "1"\ndependencies = ["click"]\n'
OLD = time.time() - 1000


def _project(make_project: MakeProject) -> Path:
    root = make_project({"pyproject.toml": PYPROJECT, "app/__init__.py": "", "app/cli.py": CLEAN})
    for path in root.rglob("*.py"):
        os.utime(path, (OLD, OLD))
    return root


def _codes(root: Path) -> list[str]:
    run = run_kdocs("check", "--select", "C1", "--format", "json", cwd=root)
    return [d["code"] for d in run.json()["diagnostics"]]


def _rewrite_same_stamp(path: Path, text: str) -> None:
    """Change the content, keep size and mtime (a checkout, a build tool, an editor undo)."""
    st = path.stat()
    path.write_text(text)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns


def test_same_size_same_mtime_edit_is_seen(make_project: MakeProject) -> None:
    root = _project(make_project)
    assert _codes(root) == []
    _rewrite_same_stamp(root / "app/cli.py", BAD)
    assert _codes(root) == ["C101"]
    _rewrite_same_stamp(root / "app/cli.py", CLEAN)
    assert _codes(root) == []


def test_same_stamp_edit_is_seen_by_the_types_model(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "app/__init__.py": "",
            "app/models.py": "import pydantic\n\n\nclass User(pydantic.BaseModel):\n    name: str\n",
        }
    )
    os.utime(root / "app/models.py", (OLD, OLD))

    def fields() -> list[str]:
        data = run_kdocs("inspect", "types", cwd=root).json()
        return [f["name"] for t in data["types"] for f in t["fields"]]

    assert fields() == ["name"]
    text = (root / "app/models.py").read_text()
    _rewrite_same_stamp(root / "app/models.py", text.replace("name: str", "nick: str"))
    assert fields() == ["nick"]


def test_a_cache_record_newer_than_its_check_is_not_trusted(make_project: MakeProject) -> None:
    root = _project(make_project)
    assert _codes(root) == []
    path = root / "app/cli.py"
    path.write_text(BAD)  # touched: a new mtime and ctime
    cache_file = root / ".kdocs_cache" / __version__ / "cli.bin"
    data = cacheseal.read_binary(cache_file)
    entry = data["entries"]["app/cli.py"]
    st = path.stat()
    # The record now claims the file's current stat, but it was checked before that stat.
    entry["stamp"][:4] = [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]
    cacheseal.write_binary(cache_file, data)
    assert _codes(root) == ["C101"]


def test_racy_stamps_are_rechecked() -> None:
    now = time.time_ns()
    settled = [10, now - 5_000_000_000, 7, now - 5_000_000_000, now]
    current = (10, now - 5_000_000_000, 7, now - 5_000_000_000, now + 1)
    assert cache.trusted(settled, current)
    racy = [10, now - 500_000_000, 7, now - 500_000_000, now]  # modified 0.5 s before check
    assert not cache.trusted(racy, (10, now - 500_000_000, 7, now - 500_000_000, now + 1))
    assert not cache.trusted(settled, (10, now - 5_000_000_000, 8, now - 5_000_000_000, now))
    assert not cache.trusted(settled, (10, now - 5_000_000_000, 7, now - 1, now))
    assert not cache.trusted("garbage", current)


@pytest.fixture
def testkind() -> Iterator[None]:
    PROVIDER_MODULES["testkind"] = "tests.fake_provider"
    fake_provider.CALLS.clear()
    yield
    PROVIDER_MODULES.pop("testkind")


def _model(root: Path) -> dict[str, int]:
    result: dict[str, int] = Analysis(discover([root]), jobs=1).model("testkind")
    return result


def test_switching_revisions_back_does_not_reextract(
    make_project: MakeProject, testkind: None
) -> None:
    root = make_project({"pyproject.toml": "", "a.py": "# MARKER\n"})
    assert _model(root) == {"a.py": 1}
    (root / "a.py").write_text("# MARKER MARKER\n")
    assert _model(root) == {"a.py": 2}
    fake_provider.CALLS.clear()
    (root / "a.py").write_text("# MARKER\n")  # back to the first revision (a checkout)
    assert _model(root) == {"a.py": 1}
    (root / "a.py").write_text("# MARKER MARKER\n")
    assert _model(root) == {"a.py": 2}
    assert fake_provider.CALLS == []


def test_results_are_bounded_by_size(make_project: MakeProject, testkind: None) -> None:
    """Results of other revisions stay until the kind's file outgrows ``max-size``; then the
    least recently used go, down to three quarters of the cap, and the current tree's stay.
    (Replaces the count bound of earlier versions, which pruned on every run.)"""
    root = make_project(
        {"pyproject.toml": "[tool.kdocs.cache-limits]\nmax-size = 2000\n", "a.py": "# MARKER\n"}
    )
    path = root / ".kdocs_cache" / __version__ / "testkind.bin"
    sizes = []
    for i in range(30):
        (root / "a.py").write_text("# MARKER\n" * (i + 1))
        assert _model(root) == {"a.py": i + 1}
        sizes.append(path.stat().st_size)
    assert max(sizes) <= 2000
    assert sizes[:8] == sorted(sizes[:8])  # grows without pruning while under the cap
    data = cacheseal.read_binary(path)
    assert 5 < len(data["results"]) < 30
    fake_provider.CALLS.clear()
    stats = dict(cache.STATS)
    (root / "a.py").write_text("# MARKER\n" * 30)  # same content, new stamp: a hit
    assert _model(root) == {"a.py": 30}
    assert fake_provider.CALLS == []
    assert cache.STATS["testkind:content"] == stats.get("testkind:content", 0) + 1


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (".", "is the project root or above it"),
        ("..", "is the project root or above it"),
        ("../elsewhere", "lies outside the project"),
        ("/usr/share", "lies outside the project"),
        ("src", "contains the source root"),
        ("tools", "contains Python files"),
    ],
)
def test_cache_dirs_that_would_hide_files_are_refused(
    make_project: MakeProject, value: str, reason: str
) -> None:
    root = make_project(
        {
            "pyproject.toml": f'[tool.kdocs]\ncache-dir = "{value}"\n',
            "src/app/__init__.py": "",
            "src/app/cli.py": CLEAN,
            "tools/gen.py": "x = 1\n",
        }
    )
    run = run_kdocs("check", cwd=root)
    assert run.exit_code == 2
    assert run.stderr == (
        f"kdocs: error: {root / 'pyproject.toml'}: `tool.kdocs.cache-dir` {value!r} {reason}\n"
    )
    assert not (root / ".gitignore").exists()
    assert not (root / "src" / ".gitignore").exists()
    # Without the cache nothing is written, so the setting does no harm.
    assert run_kdocs("check", "--no-cache", "--select", "C1", cwd=root).exit_code == 0


def test_gitignore_only_in_a_cache_dir_kdocs_created(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": '[tool.kdocs]\ncache-dir = "var/kcache"\n',
            "app/__init__.py": "",
            "var/README": "user files\n",
        }
    )
    assert run_kdocs("check", cwd=root).exit_code == 0
    assert (root / "var/kcache/.gitignore").read_text().splitlines()[-1] == "*"
    assert not (root / "var/.gitignore").exists()
    (root / "pyproject.toml").write_text('[tool.kdocs]\ncache-dir = "var"\n')
    assert run_kdocs("check", cwd=root).exit_code == 0
    assert not (root / "var/.gitignore").exists()  # the user's folder: not ours to ignore
    assert list((root / "var" / __version__).glob("*.bin"))
