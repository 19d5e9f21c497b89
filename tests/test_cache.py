"""The per-file cache: hits on unchanged files, misses on content or config change, survives
corruption and concurrent writers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kdocs import __version__, cacheseal
from kdocs.analysis import Analysis
from kdocs.extract import PROVIDER_MODULES
from kdocs.project import discover
from tests import fake_provider
from tests.conftest import MakeProject

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def testkind() -> Iterator[None]:
    PROVIDER_MODULES["testkind"] = "tests.fake_provider"
    fake_provider.CALLS.clear()
    yield
    PROVIDER_MODULES.pop("testkind")


def model(root: Path, use_cache: bool = True) -> dict[str, int]:
    result: dict[str, int] = Analysis(discover([root]), use_cache=use_cache, jobs=1).model(
        "testkind"
    )
    return result


def cache_file(root: Path) -> Path:
    return root / ".kdocs_cache" / __version__ / "testkind.bin"


def test_warm_run_extracts_nothing(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "", "a.py": "# MARKER MARKER\n", "b.py": "x = 1\n"})
    assert model(root) == {"a.py": 2}
    assert fake_provider.CALLS == ["a.py"]  # b.py skipped by the pre-filter
    fake_provider.CALLS.clear()
    assert model(root) == {"a.py": 2}
    assert fake_provider.CALLS == []
    assert (root / ".kdocs_cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_content_change_invalidates_only_that_file(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "", "a.py": "# MARKER\n", "b.py": "# MARKER\n"})
    model(root)
    fake_provider.CALLS.clear()
    (root / "b.py").write_text("# MARKER MARKER MARKER\n")
    assert model(root) == {"a.py": 1, "b.py": 3}
    assert fake_provider.CALLS == ["b.py"]


def test_touch_without_content_change_is_a_hit(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "", "a.py": "# MARKER\n"})
    model(root)
    fake_provider.CALLS.clear()
    st = (root / "a.py").stat()
    os.utime(root / "a.py", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert model(root) == {"a.py": 1}
    assert fake_provider.CALLS == []


def test_config_change_invalidates(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "", "a.py": "# MARKER WORD WORD\n"})
    assert model(root) == {"a.py": 1}
    (root / "pyproject.toml").write_text('[tool.kdocs.testsec]\nword = "WORD"\n')
    fake_provider.CALLS.clear()
    assert model(root) == {"a.py": 2}
    assert fake_provider.CALLS == ["a.py"]


def test_no_cache_neither_reads_nor_writes(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "", "a.py": "# MARKER\n"})
    model(root, use_cache=False)
    assert not (root / ".kdocs_cache").exists()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\x00\xff garbage",
        b'{"format": 99}',
        b"[]",
        b'{"format": 1, "kdocs": "other"}',
    ],
)
def test_corrupt_or_foreign_cache_is_ignored_and_rewritten(
    make_project: MakeProject, content: bytes
) -> None:
    root = make_project({"pyproject.toml": "", "a.py": "# MARKER\n"})
    model(root)
    cache_file(root).write_bytes(content)
    fake_provider.CALLS.clear()
    assert model(root) == {"a.py": 1}
    assert fake_provider.CALLS == ["a.py"]
    assert cacheseal.read_binary(cache_file(root))["kind"] == "testkind"


def test_corrupt_entries_inside_a_valid_file(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "", "a.py": "# MARKER\n"})
    model(root)
    data = cacheseal.read_binary(cache_file(root))
    data["entries"]["a.py"] = "garbage"
    cacheseal.write_binary(cache_file(root), data)
    assert model(root) == {"a.py": 1}


def test_parallel_cold_run_matches_serial(make_project: MakeProject) -> None:
    files = {f"pkg/m{i:03}.py": "# MARKER\n" * (i % 4) + "x = 1\n" for i in range(60)}
    root = make_project({"pyproject.toml": "", **files})
    serial = model(root, use_cache=False)
    parallel = Analysis(discover([root]), use_cache=False, jobs=2)
    import kdocs.analysis as analysis_mod

    old = analysis_mod.PARALLEL_THRESHOLD
    analysis_mod.PARALLEL_THRESHOLD = 10
    try:
        assert parallel.model("testkind") == serial
    finally:
        analysis_mod.PARALLEL_THRESHOLD = old


def test_concurrent_runs_do_not_corrupt_the_cache(make_project: MakeProject) -> None:
    files = {f"pkg/m{i:03}.py": f"x = {i}\n" for i in range(300)}
    root = make_project({"pyproject.toml": "", **files})
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "kdocs", "check", str(root)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], outputs
    data = cacheseal.read_binary(root / ".kdocs_cache" / __version__ / "files.bin")
    assert len(data["entries"]) == 300
    assert not list((root / ".kdocs_cache" / __version__).glob("*.tmp"))


def test_planted_facts_for_a_known_content_hash_are_ignored(make_project: MakeProject) -> None:
    # Facts are addressed by content hash, which anyone who knows the file can compute: a
    # cache file committed by a pull request could hand kdocs forged facts. It is not sealed
    # with this machine's key (kdocs.cacheseal), so it is ignored and the file re-extracted.
    root = make_project({"pyproject.toml": "", "a.py": "# MARKER\n"})
    assert model(root) == {"a.py": 1}
    data = cacheseal.read_binary(cache_file(root))
    assert data["results"]
    for result in data["results"].values():
        result["facts"] = {"count": 99}
    cache_file(root).write_text(json.dumps(data))
    fake_provider.CALLS.clear()
    assert model(root) == {"a.py": 1}
    assert fake_provider.CALLS == ["a.py"]
