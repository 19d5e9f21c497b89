"""The per-file cache: one JSON file per model kind under ``.kdocs_cache/<kdocs version>/``.

Results are keyed by a hash of the file's path, module name and content (``results``), so
two revisions of a file (a branch switch and back) both stay cached. A separate index
(``entries``: relpath -> stamp and content key) lets a warm run skip even reading a file,
but only when the cache's own record of its (size, mtime_ns, inode, ctime_ns) matches AND
the file was not modified within a clock tick of the moment it was stat'ed (git's racy-clean
rule): a file edited in the same tick as the stat could change again without changing its
stamp, so such entries are re-hashed until they are old enough. Results are pruned by age
and count, never because one run did not need them.

The whole cache file is tagged with the kdocs version, the extractor version and a
fingerprint of the config the extractor depends on, so any of those changing starts afresh.
A corrupt, truncated or foreign file is ignored and rewritten. Writes go to a temporary file
renamed into place, so concurrent runs never see or leave half a file (the last writer wins,
and both wrote a complete cache).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kdocs import __version__
from kdocs.writer import atomic_replace

FORMAT = 2
GITIGNORE = "# Created by kdocs: the cache is local to this machine.\n*\n"

TICK_NS = 2_000_000_000
"""Timestamp granularity assumed for the racy check (2 s covers FAT and old ext3)."""

MAX_AGE_DAYS = 30
"""Results not used for this long are dropped (unless a current file still points at them)."""

MIN_RESULTS = 2000
"""At most ``max(MIN_RESULTS, 3 x files)`` results are kept; least recently used go first."""

Stamp = tuple[int, int, int, int, int]
"""(size, mtime_ns, inode, ctime_ns, checked_ns): what os.stat said, and when it was asked."""

NO_STAMP: Stamp = (-1, 0, 0, 0, 0)


def stamp(path: Path | str) -> Stamp:
    """Stat a file, recording the time just before the stat (for the racy check)."""
    checked = time.time_ns()
    try:
        st = os.stat(path)
    except OSError:
        return NO_STAMP
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns, checked)


def trusted(recorded: Any, current: Stamp) -> bool:
    """Whether the recorded stamp proves the file unchanged without reading it."""
    if not isinstance(recorded, list) or len(recorded) != 5 or current == NO_STAMP:
        return False
    if recorded[:4] != list(current[:4]):
        return False
    _size, mtime, _ino, ctime, checked = recorded
    # Racy: modified within a tick of the stat, a later edit could keep the same stamp.
    return isinstance(checked, int) and max(mtime, ctime) + TICK_NS <= checked


def content_key(relpath: str, module: str, data: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(relpath.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(module.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(data)
    return digest.hexdigest()


def _today() -> int:
    return int(time.time() // 86400)


class KindCache:
    """Cached per-file facts of one model kind."""

    def __init__(self, directory: Path | None, kind: str, fingerprint: str) -> None:
        self.directory = directory
        self.kind = kind
        self.fingerprint = fingerprint
        self.entries: dict[str, dict[str, Any]] = {}
        self.results: dict[str, dict[str, Any]] = {}
        self.dirty = False
        self.today = _today()
        if directory is not None:
            self._load()

    @property
    def path(self) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / __version__ / f"{self.kind}.json"

    def _load(self) -> None:
        path = self.path
        if path is None:
            return
        try:
            with path.open("rb") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or data.get("kdocs") != __version__
            or data.get("kind") != self.kind
            or data.get("fingerprint") != self.fingerprint
            or not isinstance(data.get("entries"), dict)
            or not isinstance(data.get("results"), dict)
        ):
            self.dirty = True
            return
        self.entries = {
            k: v
            for k, v in data["entries"].items()
            if isinstance(v, dict) and isinstance(v.get("key"), str)
        }
        self.results = {
            k: v
            for k, v in data["results"].items()
            if isinstance(v, dict) and isinstance(v.get("day"), int)
        }

    def knows(self, relpath: str) -> bool:
        """Whether the file was seen before (a content-hash comparison is worth it)."""
        return relpath in self.entries

    def by_stat(self, relpath: str, current: Stamp) -> dict[str, Any] | None:
        """The result for an unchanged file, proven by its stamp alone; else ``None``."""
        entry = self.entries.get(relpath)
        if entry is None or not trusted(entry.get("stamp"), current):
            return None
        return self._use(entry["key"])

    def by_key(self, key: str) -> dict[str, Any] | None:
        """The result for this exact content (any revision seen recently)."""
        return self._use(key)

    def _use(self, key: str) -> dict[str, Any] | None:
        result = self.results.get(key)
        if result is None:
            return None
        if result["day"] != self.today:
            result["day"] = self.today
            self.dirty = True
        return result

    def record(self, relpath: str, current: Stamp, key: str) -> None:
        """Remember that the file, as stamped, has content ``key``."""
        entry = {"stamp": list(current), "key": key}
        if self.entries.get(relpath) != entry:
            self.entries[relpath] = entry
            self.dirty = True

    def put(self, relpath: str, current: Stamp, key: str, result: dict[str, Any]) -> None:
        if key:  # an unreadable file has no content key: nothing to cache
            self.results[key] = {**result, "day": self.today}
            self.record(relpath, current, key)
            self.dirty = True

    def prune(self, keep: Iterable[str]) -> None:
        """Forget files not in this tree; drop results by age, then by count (LRU)."""
        keep = set(keep)
        gone = [k for k in self.entries if k not in keep]
        for relpath in gone:
            del self.entries[relpath]
        live = {e["key"] for e in self.entries.values()}
        oldest = self.today - MAX_AGE_DAYS
        stale = [k for k, r in self.results.items() if k not in live and r["day"] < oldest]
        for key in stale:
            del self.results[key]
        limit = max(MIN_RESULTS, 3 * len(keep))
        excess = len(self.results) - limit
        if excess > 0:
            spare = sorted((r["day"], k) for k, r in self.results.items() if k not in live)
            for _, key in spare[:excess]:
                del self.results[key]
        self.dirty = self.dirty or bool(gone) or bool(stale) or excess > 0

    def save(self) -> None:
        path = self.path
        if path is None or not self.dirty:
            return
        payload = {
            "format": FORMAT,
            "kdocs": __version__,
            "kind": self.kind,
            "fingerprint": self.fingerprint,
            "entries": self.entries,
            "results": self.results,
        }
        try:
            ensure_cache_dir(path.parent.parent)
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, json.dumps(payload, separators=(",", ":")).encode())
        except OSError:
            return  # a read-only tree still gets results, just no cache
        self.dirty = False


def ensure_cache_dir(directory: Path) -> None:
    """Create the cache directory; mark it ignored only if kdocs created it just now.

    A directory the user made (or the project root, through a bad ``cache-dir``) never gets
    a ``.gitignore`` of ``*``: that would make git ignore whatever else lives there.
    """
    if directory.is_dir():
        return
    try:
        directory.mkdir(parents=True)
    except FileExistsError:
        return  # a concurrent run created it (and writes the marker)
    atomic_write_bytes(directory / ".gitignore", GITIGNORE.encode())


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old or the new file, never a mix.

    A device or FIFO (``--output /dev/null``, ``/dev/stdout``) is written into: renaming a
    temporary file over it would replace the device itself (as root, ``/dev/null`` for the
    whole machine)."""
    try:
        special = not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        special = False  # missing (or unreadable): the rename below creates or reports it
    if special:
        with open(path, "wb") as target:
            target.write(data)
        return
    atomic_replace(path, data)
