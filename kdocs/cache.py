"""The per-file cache: one file per model kind under ``<cache-dir>/<kdocs version>/``.

Each is sealed (:mod:`kdocs.cacheseal`) and holds its data in :mod:`marshal`'s binary format
(``<kind>.bin``): these files hold every file's facts, and marshal writes them five times
faster than JSON and reads most twice as fast; the seal is checked before a byte is decoded.

Results are addressed by content: the key of a result is a hash of the file's bytes (with its
path and module name), the extractor's version and the settings that extractor reads (its
``fingerprint``). So two revisions of a file (a branch switch and back) and two values of a
setting (a config change and back) all stay cached side by side; changing a setting the
extractor does not read (a rule option) changes no key at all.

A separate index (``entries``: relpath -> stamp and content key) lets a warm run skip even
reading a file, but only when the cache's own record of its (size, mtime_ns, inode, ctime_ns)
matches AND the file was not modified within a clock tick of the moment it was stat'ed (git's
racy-clean rule): a file edited in the same tick as the stat could change again without
changing its stamp, so such entries are re-hashed until they are old enough.

Nothing is pruned because one run did not need it: only when a kind's file grows past its
cap (``[tool.kdocs.cache-limits] max-size``) are results that the current tree does not use
dropped, least recently used (by day) first, down to three quarters of the cap, so a pruning
run is followed by many that prune nothing.

A run that changed a few files' results writes only those, to a small sealed journal next to
the kind's file (``<kind>.journal-<time>-<pid>.bin``), merged on load and into the file by the
next run that writes it whole (many changes, many journals, a new day, or pruning): on a large
project a one-file edit no longer re-encodes every file's facts.

A corrupt, truncated or foreign file is ignored and rewritten. Writes go to a temporary file
renamed into place, so concurrent runs never see or leave half a file (the last writer wins,
and both wrote a complete cache). :data:`STATS` counts what the cache saved (and what it
could not) in this process, for tests and benchmarks.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kdocs import __version__
from kdocs.cache_config import DEFAULT_MAX_SIZE
from kdocs.cacheseal import OVERHEAD, encode_binary, read_binary, remove_if_sealed, seal

FORMAT = 7
GITIGNORE = "# Created by kdocs: the cache is local to this machine.\n*\n"

MAX_JOURNALS = 16
"""Journals kept next to a kind's file before the next save merges them into it."""
JOURNAL_SHARE = 8
"""A save writes a journal while it changed at most 1/8 of the entries and results."""

TICK_NS = 2_000_000_000
"""Timestamp granularity assumed for the racy check (2 s covers FAT and old ext3)."""

Stamp = tuple[int, int, int, int, int]
"""(size, mtime_ns, inode, ctime_ns, checked_ns): what os.stat said, and when it was asked."""

NO_STAMP: Stamp = (-1, 0, 0, 0, 0)

STATS: Counter[str] = Counter()
"""Per-process counts, by kind: ``<kind>:stat`` (result found without reading the file),
``<kind>:content`` (found by content hash after reading it), ``<kind>:stored`` (extracted
and stored), ``<kind>:pruned`` (results dropped by the size cap), ``<kind>:journal`` (saves
written as a journal)."""


def stamp(path: Path | str) -> Stamp:
    """Stat a file, recording the time just before the stat (for the racy check)."""
    checked = time.time_ns()
    try:
        st = os.stat(path)
    except OSError:
        return NO_STAMP
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns, checked)


def settled(stamp: Stamp) -> bool:
    """Whether the stamp proves the file's content: taken more than a clock tick after its
    last change (git's racy-clean rule: a file modified within a tick of its stat could
    change again without changing the stat)."""
    _size, mtime, _ino, ctime, checked = stamp
    return stamp != NO_STAMP and max(mtime, ctime) + TICK_NS <= checked


def trusted(recorded: Any, current: Stamp) -> bool:
    """Whether the recorded stamp proves the file unchanged without reading it."""
    if not isinstance(recorded, list) or len(recorded) != 5 or current == NO_STAMP:
        return False
    if recorded[:4] != list(current[:4]) or not isinstance(recorded[4], int):
        return False
    return settled(tuple(recorded))


def content_key(relpath: str, module: str, data: bytes) -> str:
    """The key of one revision of one file: its path, module name and bytes."""
    digest = hashlib.sha256()
    digest.update(relpath.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(module.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(data)
    return digest.hexdigest()


def result_key(content: str, fingerprint: str) -> str:
    """The key of a result: a file revision (:func:`content_key`) as seen by one extractor
    version with the settings it reads (``fingerprint``)."""
    digest = hashlib.sha256(content.encode("ascii", "replace") + b"\0")
    digest.update(fingerprint.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _today() -> int:
    return int(time.time() // 86400)


class KindCache:
    """Cached per-file facts of one model kind."""

    def __init__(
        self,
        directory: Path | None,
        kind: str,
        fingerprint: str,
        max_size: int = DEFAULT_MAX_SIZE,
    ) -> None:
        self.directory = directory
        self.kind = kind
        self.fingerprint = fingerprint
        self.max_size = max_size
        self.entries: dict[str, dict[str, Any]] = {}
        self.results: dict[str, dict[str, Any]] = {}
        self.tree: set[str] | None = None  # unknown: every indexed file counts as current
        self.dirty = False
        self.rewrite = False  # True: only a whole new file says what changed (see save)
        self.new_entries: set[str] = set()
        self.new_results: set[str] = set()
        self.journals: list[Path] = []  # merged into what was loaded
        self.today = _today()
        if directory is not None:
            self._load()

    @property
    def path(self) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / __version__ / f"{self.kind}.bin"

    def _journal_glob(self) -> str:
        return f"{self.kind}.journal-*.bin"

    def _load(self) -> None:
        path = self.path
        if path is None:
            return
        data = self._read(path)
        if data is None:
            self.rewrite = True  # a journal needs a file to go with
            self.dirty = path.exists()  # corrupt or foreign: replaced even if nothing changed
            return
        self._merge(data)
        # Journals of later runs, oldest first: a later one's entry wins. Only a journal
        # newer than the base file can hold what the base does not (a rewrite merged the
        # others; one it did not see is merged again, harmlessly: results are by content).
        try:
            journals = sorted(path.parent.glob(self._journal_glob()))
        except OSError:
            journals = []
        for journal in journals:
            part = self._read(journal)
            if part is not None:
                self._merge(part)
                self.journals.append(journal)

    def _read(self, path: Path) -> dict[str, Any] | None:
        """A sealed cache file of this kind, or ``None`` (missing, planted, corrupt, foreign)."""
        data = read_binary(path)  # a planted file (not sealed here) is ignored
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or data.get("kdocs") != __version__
            or data.get("kind") != self.kind
            or not isinstance(data.get("entries"), dict)
            or not isinstance(data.get("results"), dict)
        ):
            return None
        return data

    def _merge(self, data: dict[str, Any]) -> None:
        self.entries.update(
            (k, v)
            for k, v in data["entries"].items()
            if isinstance(v, dict) and isinstance(v.get("key"), str)
        )
        self.results.update(
            (k, v)
            for k, v in data["results"].items()
            if isinstance(v, dict) and isinstance(v.get("day"), int)
        )

    def knows(self, relpath: str) -> bool:
        """Whether the file was seen before (a content-hash comparison is worth it)."""
        return relpath in self.entries

    def by_stat(self, relpath: str, current: Stamp) -> dict[str, Any] | None:
        """The result for an unchanged file, proven by its stamp alone; else ``None``."""
        entry = self.entries.get(relpath)
        if entry is None or not trusted(entry.get("stamp"), current):
            return None
        found = self._use(result_key(entry["key"], self.fingerprint))
        if found is not None:
            STATS[f"{self.kind}:stat"] += 1
        return found

    def by_key(self, key: str) -> dict[str, Any] | None:
        """The result for this exact content (any revision seen before, any settings)."""
        found = self._use(result_key(key, self.fingerprint))
        if found is not None:
            STATS[f"{self.kind}:content"] += 1
        return found

    def _use(self, key: str) -> dict[str, Any] | None:
        result = self.results.get(key)
        if result is None:
            return None
        if result["day"] != self.today:
            result["day"] = self.today
            self.dirty = self.rewrite = True  # once a day: every result used is touched
        return result

    def record(self, relpath: str, current: Stamp, key: str) -> None:
        """Remember that the file, as stamped, has content ``key``."""
        entry = {"stamp": list(current), "key": key}
        if self.entries.get(relpath) != entry:
            self.entries[relpath] = entry
            self.new_entries.add(relpath)
            self.dirty = True

    def put(self, relpath: str, current: Stamp, key: str, result: dict[str, Any]) -> None:
        if key:  # an unreadable file has no content key: nothing to cache
            stored = result_key(key, self.fingerprint)
            self.results[stored] = {**result, "day": self.today}
            self.new_results.add(stored)
            self.record(relpath, current, key)
            self.dirty = True
            STATS[f"{self.kind}:stored"] += 1

    def set_tree(self, tree: set[str] | list[str] | tuple[str, ...]) -> None:
        """Record the files of the current tree: their results are never pruned.

        Nothing is dropped here; :meth:`save` prunes only when the file outgrows its cap."""
        self.tree = set(tree)

    def _live(self) -> set[str]:
        return {
            result_key(entry["key"], self.fingerprint)
            for relpath, entry in self.entries.items()
            if self.tree is None or relpath in self.tree
        }

    def _shrink(self, size: int) -> None:
        """Drop what the current tree does not use, least recently used first, until the file
        would take three quarters of the cap (results of the current tree always stay)."""
        target = self.max_size * 3 // 4
        tree = self.tree
        for relpath in [r for r in self.entries if tree is not None and r not in tree]:
            size -= len(relpath) + len(encode_binary(self.entries.pop(relpath))) + 6
        live = self._live()
        spare = sorted((r["day"], k) for k, r in self.results.items() if k not in live)
        for _day, key in spare:
            if size <= target:
                break
            size -= len(key) + len(encode_binary(self.results.pop(key))) + 6
            STATS[f"{self.kind}:pruned"] += 1

    def _payload(self, entries: dict[str, Any], results: dict[str, Any]) -> bytes:
        payload = {
            "format": FORMAT,
            "kdocs": __version__,
            "kind": self.kind,
            "entries": entries,
            "results": results,
        }
        return encode_binary(payload)

    def save(self) -> None:
        """Write what changed: a small journal next to the file when a few files changed (a
        one-file edit must not re-encode every file's facts), the whole file otherwise,
        merging the journals it loaded (also when they pile up, once a day, or to prune)."""
        path = self.path
        if path is None or not self.dirty:
            return
        changed = len(self.new_entries) + len(self.new_results)
        whole = (
            self.rewrite
            or len(self.journals) >= MAX_JOURNALS
            or changed * JOURNAL_SHARE > len(self.entries) + len(self.results)
        )
        try:
            ensure_cache_dir(path.parent.parent)
            path.parent.mkdir(parents=True, exist_ok=True)
            if whole:
                self._save_whole(path)
            else:
                journal = (
                    path.parent / f"{self.kind}.journal-{time.time_ns():020d}-{os.getpid()}.bin"
                )
                entries = {r: self.entries[r] for r in sorted(self.new_entries)}
                results = {k: self.results[k] for k in sorted(self.new_results)}
                write_cache_bytes(journal, seal(self._payload(entries, results)))
                STATS[f"{self.kind}:journal"] += 1
        except OSError:
            return  # a read-only tree still gets results, just no cache
        self.dirty = self.rewrite = False
        self.new_entries.clear()
        self.new_results.clear()

    def _save_whole(self, path: Path) -> None:
        data = self._payload(self.entries, self.results)
        if len(data) + OVERHEAD > self.max_size:
            self._shrink(len(data) + OVERHEAD)
            data = self._payload(self.entries, self.results)
        write_cache_bytes(path, seal(data))
        for journal in self.journals:  # merged now (a concurrent run's newer one stays)
            journal.unlink(missing_ok=True)
        self.journals = []
        self._drop_legacy(path.parent)
        from kdocs import readlog
        from kdocs.cacheprune import prune_old_versions

        with readlog.paused():  # cache upkeep: nothing a check's result depends on
            prune_old_versions(path.parent.parent)

    def _drop_legacy(self, folder: Path) -> None:
        """Remove this kind's files in the JSON format of earlier kdocs (``<kind>.json`` and
        its journals, FORMAT 4 and before): nothing reads them any more, and on a large
        project they hold tens of MB. Only a file whose seal verifies is removed, the proof
        that kdocs wrote it on this machine: a file of the same name that someone else put
        there is left alone."""
        try:
            found = [folder / f"{self.kind}.json", *folder.glob(f"{self.kind}.journal-*.json")]
        except OSError:
            return
        for legacy in found:
            remove_if_sealed(legacy)


def store_json(path: Path, value: Any) -> None:
    """Write a sealed JSON cache file under ``<cache dir>/<version>/``; a read-only tree or
    a full disk simply is not cached."""
    from kdocs.cacheseal import write_json

    _store(path, value, write_json)


def store_binary(path: Path, value: Any) -> None:
    """:func:`store_json` in :func:`kdocs.cacheseal.write_binary`'s format."""
    from kdocs.cacheseal import write_binary

    _store(path, value, write_binary)


def _store(path: Path, value: Any, write: Callable[[Path, Any], None]) -> None:
    try:
        ensure_cache_dir(path.parent.parent)
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path, value)
    except OSError:
        return


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
    write_cache_bytes(directory / ".gitignore", GITIGNORE.encode())


def write_cache_bytes(path: Path, data: bytes) -> None:
    """Write a cache file atomically, replacing whatever entry has that name.

    Unlike :func:`atomic_write_bytes` (for a user's ``--output``, which may name
    ``/dev/null``), never writes through the entry: the cache folder can be committed with
    the repository, and a planted ``cli-linked.json`` that is a FIFO would block the run, one
    that is a symlink to a disk device would be written into (as root, the disk itself)."""
    from kdocs.writer import atomic_replace  # only when writing: a warm run reads

    check_cache_folder(path.parent)
    atomic_replace(path, data, durable=False)


def check_cache_folder(folder: Path) -> None:
    """Raise ``OSError`` when ``folder`` or its parent is a symlink: a planted
    ``.kdocs_cache/<version> -> /elsewhere`` would have kdocs write its cache outside the
    project (the cache folder itself is resolved and checked to lie inside it)."""
    for part in (folder, folder.parent):
        if part.is_symlink():
            raise OSError(f"{part} is a symlink: not kdocs' cache folder")


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
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
    from kdocs.writer import atomic_replace  # only when writing: a warm run reads

    atomic_replace(path, data, durable=durable)
