"""kdocs.readlog records the project files a check reads directly (``open`` and folder
listings through the audit hook, plus :func:`~kdocs.readlog.note`), and nothing else."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from kdocs import readlog


def test_reads_listings_and_notes_under_the_root_are_recorded(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "a.py").write_text("x = 1\n")
    (root / "pkg" / "b.py").write_text("y = 2\n")
    (root / ".kdocs_cache").mkdir()
    (root / ".kdocs_cache" / "c.json").write_text("{}")
    outside = tmp_path / "outside.txt"
    outside.write_text("o")
    with readlog.recording(str(root), (str(root / ".kdocs_cache"),)) as rec:
        (root / "pkg" / "a.py").read_text()  # a read
        os.listdir(root / "pkg")  # a listing
        (root / ".kdocs_cache" / "c.json").read_text()  # the cache: not an input
        outside.read_text()  # outside the project
        (root / "pkg" / "new.txt").write_text("w")  # a write is no read
        with readlog.paused():
            (root / "pkg" / "b.py").read_text()  # extraction
        readlog.note(root / "pkg" / "b.py")  # served by a cache without an open
        with contextlib.suppress(FileNotFoundError):
            (root / "missing.txt").read_text()  # a failed read still counts
    assert sorted(Path(p).relative_to(root).as_posix() for p in rec.paths) == [
        "missing.txt",
        "pkg",
        "pkg/a.py",
        "pkg/b.py",
    ]
    assert rec.paths[str(root / "missing.txt")] == [-1]
    assert rec.paths[str(root / "pkg" / "a.py")][0] == 6  # its stat, taken when first seen
    (root / "pkg" / "a.py").read_text()
    assert str(root / "pkg" / "a.py") in rec.paths  # recorded before; nothing after the block
    assert len(rec.paths) == 4


def test_a_recording_inside_another_is_incomplete(tmp_path: Path) -> None:
    """Reads cannot be told apart between two checks in one process: the inner (or the
    concurrent) one must not vouch for what it read."""
    (tmp_path / "a.py").write_text("")
    with readlog.recording(str(tmp_path)) as outer:
        with readlog.recording(str(tmp_path)) as inner:
            (tmp_path / "a.py").read_text()
        assert not inner.complete and not inner.paths
    assert outer.complete and str(tmp_path / "a.py") in outer.paths
