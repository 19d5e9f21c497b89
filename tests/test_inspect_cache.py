"""The output cache of ``kdocs inspect types`` (kdocs/inspectcache.py): a warm run prints the
stored bytes without analysing anything, and prints exactly what ``--no-cache`` prints, before
and after every kind of change; a planted or modified blob or record is never served."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from kdocs import __version__, analysis, cache, cacheseal, inspectcache
from tests.conftest import MakeProject
from tests.helpers import Run, age_tree, run_kdocs

FILES = {
    "pyproject.toml": """
        [project]
        name = "app"
        version = "1"
    """,
    "app/__init__.py": "",
    "app/models.py": '''
        from pydantic import BaseModel, Field


        class User(BaseModel):
            """A user."""

            name: str
            user_age: int = Field(3, description="Age in years.")
    ''',
    "app/broken.py": "def broken(:\n    pass\n",
}

FORMATS = ("json", "yaml", "text")


@pytest.fixture
def no_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test are seconds old at most: accept them as settled."""
    monkeypatch.setattr(cache, "TICK_NS", 0)


@pytest.fixture
def root(make_project: MakeProject, no_tick: None) -> Path:
    project = make_project(FILES)
    age_tree(project)
    return project


def _folder(root: Path) -> Path:
    return root / ".kdocs_cache" / __version__


def _blobs(root: Path) -> list[Path]:
    return sorted(_folder(root).glob("inspect-*.out"))


def _inspect(root: Path, *extra: str) -> Run:
    return run_kdocs("inspect", "types", *extra, cwd=root)


def _seen(run: Run) -> tuple[int, str, str]:
    return run.exit_code, run.stdout, run.stderr


class NoAnalysis:
    """Fails any run that builds an analysis: a warm run must be answered by the cache."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def refuse(*args: Any, **kwargs: Any) -> None:
            raise AssertionError("analysed although the output was cached")

        monkeypatch.setattr(analysis.Analysis, "__init__", refuse)


@pytest.mark.parametrize("fmt", FORMATS)
def test_warm_output_is_the_stored_bytes_and_equals_no_cache(
    root: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    reference = _inspect(root, "--format", fmt, "--no-cache")
    assert reference.exit_code == 0 and "User" in reference.stdout
    assert not _blobs(root)  # --no-cache wrote nothing
    first = _inspect(root, "--format", fmt)
    assert _seen(first) == _seen(reference)
    assert len(_blobs(root)) == 1
    with monkeypatch.context() as patch:
        NoAnalysis(patch)
        warm = _inspect(root, "--format", fmt)
    assert _seen(warm) == _seen(reference)
    assert _blobs(root)[0].read_bytes() == reference.stdout.encode()


def test_no_cache_and_cache_false_neither_read_nor_write_it(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = _inspect(root, "--no-cache")
    _inspect(root)
    with monkeypatch.context() as patch:
        NoAnalysis(patch)
        assert _seen(_inspect(root)) == _seen(reference)
    calls: list[int] = []
    real = analysis.Analysis.__init__

    def counted(self: Any, *args: Any, **kwargs: Any) -> None:
        calls.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(analysis.Analysis, "__init__", counted)
    assert _seen(_inspect(root, "--no-cache")) == _seen(reference)
    assert calls == [1]  # analysed: the stored output was not used
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "\n[tool.kdocs]\ncache = false\n")
    for blob in _blobs(root):
        blob.unlink()
    assert _seen(_inspect(root)) == _seen(reference)
    assert calls == [1, 1]
    assert not _blobs(root)


@pytest.mark.parametrize(
    ("relpath", "old", "new"),
    [
        # a field added to a model file
        ("app/models.py", "    name: str\n", "    name: str\n    email: str\n"),
        # types settings in the config (every module excluded)
        (
            "pyproject.toml",
            'version = "1"\n',
            'version = "1"\n\n[tool.kdocs.types]\nscope = "all"\nexclude-modules = ["app.*"]\n',
        ),
        # a new module with a type
        (
            "app/extra.py",
            "",
            "from pydantic import BaseModel\n\nclass Extra(BaseModel):\n    x: int\n",
        ),
    ],
)
def test_each_change_misses_and_the_next_run_is_cached_again(
    root: Path, monkeypatch: pytest.MonkeyPatch, relpath: str, old: str, new: str
) -> None:
    _inspect(root)
    before = _inspect(root)
    path = root / relpath
    text = path.read_text() if path.exists() else ""
    assert old in text
    path.write_text(text.replace(old, new) if old else new)
    reference = _inspect(root, "--no-cache")
    assert reference.stdout != before.stdout  # the change matters
    assert _seen(_inspect(root)) == _seen(reference)
    with monkeypatch.context() as patch:
        NoAnalysis(patch)
        assert _seen(_inspect(root)) == _seen(reference)


def test_each_format_has_its_own_output(root: Path) -> None:
    outputs = {fmt: _inspect(root, "--format", fmt).stdout for fmt in FORMATS}
    assert len(set(outputs.values())) == 3
    assert len(_blobs(root)) == 3
    for fmt in FORMATS:
        assert _inspect(root, "--format", fmt).stdout == outputs[fmt]


def test_a_modified_or_replaced_blob_is_not_served(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = _inspect(root, "--no-cache")
    _inspect(root)
    (blob,) = _blobs(root)
    forged = reference.stdout.replace('"User"', '"Usex"').encode()
    assert len(forged) == blob.stat().st_size
    st = blob.stat()
    blob.write_bytes(forged)  # in place: same inode, same size
    os.utime(blob, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the old mtime back
    assert _seen(_inspect(root)) == _seen(reference)
    (blob,) = _blobs(root)
    planted = blob.with_name("planted")
    planted.write_bytes(forged)
    st = blob.stat()
    os.utime(planted, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(planted, blob)  # another file (inode) under the recorded name
    assert _seen(_inspect(root)) == _seen(reference)
    blob.unlink()
    blob.symlink_to(root / "app" / "models.py")
    assert _seen(_inspect(root)) == _seen(reference)


def test_an_unsynced_blob_is_served_only_in_the_boot_it_was_written_in(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a restart (another boot id) a blob written without a sync may have been torn by
    a crash: it is not served, and the next run renders and stores it again."""
    reference = _inspect(root, "--no-cache")
    monkeypatch.setattr(inspectcache, "boot_id", lambda: "boot-1")
    _inspect(root)
    with monkeypatch.context() as patch:
        NoAnalysis(patch)
        assert _seen(_inspect(root)) == _seen(reference)  # the same boot: served
    monkeypatch.setattr(inspectcache, "boot_id", lambda: "boot-2")
    (blob,) = _blobs(root)
    blob.write_bytes(b"x" * blob.stat().st_size)  # as a crash could leave it
    first = _inspect(root)
    assert _seen(first) == _seen(reference)  # rendered again
    with monkeypatch.context() as patch:
        NoAnalysis(patch)
        assert _seen(_inspect(root)) == _seen(reference)  # and stored for this boot


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="names descriptors by /proc")
def test_without_a_boot_id_the_blob_is_synced(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
        if name.startswith(".inspect-"):  # the blob's temporary file
            synced.append(name)
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(inspectcache, "boot_id", lambda: "boot-1")
    _inspect(root)
    assert synced == []
    _inspect(root, "--format", "yaml")
    monkeypatch.setattr(inspectcache, "boot_id", lambda: None)
    _inspect(root, "--format", "text")
    assert len(synced) == 1
    record = cacheseal.read_json(_folder(root) / inspectcache.RECORD)
    assert [e["boot"] for e in record["entries"].values()] == ["boot-1", "boot-1", None]


def test_a_planted_record_is_ignored(root: Path) -> None:
    reference = _inspect(root, "--no-cache")
    _inspect(root)
    (blob,) = _blobs(root)
    forged = reference.stdout.replace('"User"', '"Usex"').encode()
    blob.write_bytes(forged)
    st = blob.stat()
    record = _folder(root) / "inspect-output.json"
    key = blob.name[len("inspect-") : -len(".out")]
    # A record that names the forged blob with its true identity, but is not sealed.
    entry = {
        "blob": blob.name,
        "identity": [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns],
        "size": st.st_size,
        "externals": [],
    }
    full_keys = [
        k for k in json.loads(record.read_bytes()[cacheseal.OVERHEAD :]).get("entries", {})
    ]
    assert [k for k in full_keys if k.startswith(key)]
    record.write_text(json.dumps({"format": 1, "entries": dict.fromkeys(full_keys, entry)}))
    assert _seen(_inspect(root)) == _seen(reference)


def test_an_installed_base_class_is_compared_on_load(
    make_project: MakeProject, no_tick: None, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    (site / "basepkg").mkdir(parents=True)
    base = site / "basepkg" / "__init__.py"
    base.write_text("from pydantic import BaseModel\n\nclass Base(BaseModel):\n    shared: int\n")
    files = {
        "pyproject.toml": (
            '[project]\nname = "app"\nversion = "1"\n\n'
            '[tool.kdocs.types]\nsearch-paths = ["../site"]\n'
        ),
        "app/__init__.py": "",
        "app/models.py": "from basepkg import Base\n\nclass User(Base):\n    name: str\n",
    }
    root = make_project(files)
    age_tree(root)
    first = _inspect(root)
    assert '"shared"' in first.stdout
    base.write_text(base.read_text() + "    extra: str\n")
    reference = _inspect(root, "--no-cache")
    assert '"extra"' in reference.stdout
    assert _seen(_inspect(root)) == _seen(reference)


def test_outputs_beyond_max_size_are_dropped_but_the_current_one_is_kept(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text() + '\n[tool.kdocs.cache-limits]\nmax-size = "1 KiB"\n'
    )
    json_out = _inspect(root).stdout
    assert len(_blobs(root)) == 1
    yaml_out = _inspect(root, "--format", "yaml").stdout
    (blob,) = _blobs(root)  # json's output (older, over the cap with yaml's) was dropped
    assert blob.read_bytes() == yaml_out.encode()
    with monkeypatch.context() as patch:
        NoAnalysis(patch)
        assert _inspect(root, "--format", "yaml").stdout == yaml_out
    planted = _folder(root) / "inspect-planted.out"
    planted.write_text("not kdocs' output")
    assert _inspect(root).stdout == json_out  # re-rendered, then kept in its place
    assert [b.read_bytes() for b in _blobs(root) if b != planted] == [json_out.encode()]
    assert planted.read_text() == "not kdocs' output"  # no record names it: not kdocs' to delete


def test_other_kinds_and_output_files_are_not_cached(root: Path, tmp_path: Path) -> None:
    _inspect(root)
    for kind in ("cli", "imports", "deps"):
        run_kdocs("inspect", kind, cwd=root)
    out = tmp_path / "types.json"
    run_kdocs("inspect", "types", "--format", "yaml", "--output", str(out), cwd=root)
    assert len(_blobs(root)) == 1
    assert out.read_text() == _inspect(root, "--format", "yaml", "--no-cache").stdout


def test_the_model_saved_while_rendering_is_complete_when_the_command_returns(
    root: Path,
) -> None:
    """The real command (one thread: the per-file caches and the types model are saved by
    forked children while it links and renders) leaves complete cache files."""
    import subprocess
    import sys

    from tests.test_types_search_path import settle

    settle(root)  # the real command has no test hook for the racy-clean tick
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONSAFEPATH", "PYTHONPATH")}
    command = [sys.executable, "-m", "kdocs", "inspect", "types"]
    first = subprocess.run(command, cwd=root, capture_output=True, env=env, check=True)
    reference = _inspect(root, "--no-cache")
    assert first.stdout.decode() == reference.stdout
    # Complete and sealed: it decodes into the model the output was rendered from.
    from kdocs.extract.types.modelcache import from_rows
    from kdocs.inspect_output import render_model

    data = cacheseal.read_binary(_folder(root) / "types-model.bin")
    assert isinstance(data, dict)
    assert render_model("types", from_rows(data["model"]), "json") == reference.stdout
    # The per-file cache, written by another child while the model was linked, holds every
    # file's results (the broken file's problem too).
    per_file = cacheseal.read_binary(_folder(root) / "types.bin")
    assert isinstance(per_file, dict)
    assert sorted(per_file["entries"]) == ["app/__init__.py", "app/broken.py", "app/models.py"]


PROBE = """
import json, sys
import kdocs.cache
kdocs.cache.TICK_NS = 0  # files the test just wrote count as settled
from kdocs.cli import main
try:
    main(["inspect", "types"])
except SystemExit:
    pass
with open(sys.argv[1], "w") as handle:
    json.dump(sorted(sys.modules), handle)
"""


def test_a_warm_inspect_imports_no_analysis_model_or_renderer(root: Path, tmp_path: Path) -> None:
    """What the output cache saves: the schema, the analysis, the linker, the models and the
    renderer (with yaml) are not even imported."""
    import subprocess
    import sys

    out = tmp_path / "modules.json"
    runs = []
    for _ in range(2):  # the first run stores the output; the second is the warm one
        runs.append(
            subprocess.run(
                [sys.executable, "-c", PROBE, str(out)], cwd=root, check=True, capture_output=True
            )
        )
    assert runs[1].stdout == runs[0].stdout and b'"User"' in runs[1].stdout
    modules = set(json.loads(out.read_text()))
    assert "kdocs.inspectcache" in modules
    unused = {
        "kdocs.analysis",
        "kdocs.schema",
        "kdocs.extract.types.linker",
        "kdocs.extract.types.facts",
        "kdocs.models.types",
        "kdocs.inspect_output",
        "yaml",
    }
    assert not modules & unused


def test_a_freshly_written_tree_is_not_model_cached(make_project: MakeProject) -> None:
    """Racy-clean (git's rule, as every other cache): a file written within a clock tick of
    the run's stat could change again without changing its stat, so neither the types model
    nor the output is stored while one is that fresh."""
    root = make_project(FILES)  # just written: within the tick (real TICK_NS here)
    assert _seen(_inspect(root)) == _seen(_inspect(root, "--no-cache"))
    assert not (_folder(root) / "types-model.bin").exists()
    assert not _blobs(root)


@pytest.mark.parametrize(
    ("stop", "code", "message"),
    [(RuntimeError("boom"), 2, "internal error"), (KeyboardInterrupt(), 2, "Aborted.")],
)
def test_a_render_stopped_half_way_leaves_no_blob(
    root: Path, monkeypatch: pytest.MonkeyPatch, stop: BaseException, code: int, message: str
) -> None:
    """The blob is written while the output renders: a run that stops half-way (an error,
    an interrupt) leaves neither a blob nor its temporary file, and prints nothing."""
    from kdocs import inspect_output

    def half(model: Any, emit: Any = None) -> str:
        emit('{\n  "schema_version": 1')
        raise stop

    monkeypatch.setattr(inspect_output, "dumps_model", half)
    run = _inspect(root)
    assert (run.exit_code, run.stdout) == (code, "") and message in run.stderr
    assert not [p.name for p in _folder(root).iterdir() if "inspect-" in p.name]


def test_a_failed_blob_write_only_means_the_output_is_not_stored(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import threading

    write = os.write

    def full_disk(fd: int, data: Any) -> int:
        if threading.current_thread().name == "kdocs-output-blob":
            raise OSError(errno.ENOSPC, "No space left on device")
        return write(fd, data)

    monkeypatch.setattr(os, "write", full_disk)
    assert _seen(_inspect(root)) == _seen(_inspect(root, "--no-cache"))
    assert not [p.name for p in _folder(root).iterdir() if "inspect-" in p.name]


def test_a_restarted_blob_holds_only_what_followed(tmp_path: Path) -> None:
    from kdocs import readlog

    path = tmp_path / "inspect-x.out"
    blob = inspectcache.OutputBlob(path, boot="boot-1")
    for piece in (b"a half", b" that is dropped"):
        blob.write(piece)
    blob.restart()
    blob.write(b"the whole")
    blob.write(b" text")
    identity = blob.finish()
    assert path.read_bytes() == b"the whole text" and blob.size == len(b"the whole text")
    assert identity == readlog.identity(os.stat(path))
    assert blob.finish() is None  # closed already: nothing more happens
    blob.discard()
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
