"""The per-file cache: one JSON file per model kind under ``.kdocs_cache/<kdocs version>/``.

Entries are keyed by a hash of the file's path and content; a stat match (mtime, size) skips
even reading the file. The whole cache file is tagged with the kdocs version, the extractor
version and a fingerprint of the config the extractor depends on, so any of those changing
starts afresh. A corrupt, truncated or foreign file is ignored and rewritten. Writes go to a
temporary file renamed into place, so concurrent runs never see or leave half a file (the
last writer wins, and both wrote a complete cache).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from kdocs import __version__

FORMAT = 1
GITIGNORE = "# Created by kdocs: the cache is local to this machine.\n*\n"


def content_key(relpath: str, module: str, data: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(relpath.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(module.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(data)
    return digest.hexdigest()


class KindCache:
    """Cached per-file facts of one model kind."""

    def __init__(self, directory: Path | None, kind: str, fingerprint: str) -> None:
        self.directory = directory
        self.kind = kind
        self.fingerprint = fingerprint
        self.entries: dict[str, dict[str, Any]] = {}
        self.dirty = False
        if directory is not None:
            self.entries = self._load()

    @property
    def path(self) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / __version__ / f"{self.kind}.json"

    def _load(self) -> dict[str, dict[str, Any]]:
        path = self.path
        if path is None:
            return {}
        try:
            with path.open("rb") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return {}
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or data.get("kdocs") != __version__
            or data.get("kind") != self.kind
            or data.get("fingerprint") != self.fingerprint
            or not isinstance(data.get("entries"), dict)
        ):
            self.dirty = True
            return {}
        entries = data["entries"]
        valid = {k: v for k, v in entries.items() if isinstance(v, dict) and "key" in v}
        return valid

    def knows(self, relpath: str) -> bool:
        """Whether any entry exists for the file (a content-hash comparison is worth it)."""
        return relpath in self.entries

    def by_stat(self, relpath: str, stat: tuple[int, int]) -> dict[str, Any] | None:
        entry = self.entries.get(relpath)
        if entry is not None and entry.get("stat") == list(stat):
            return entry
        return None

    def by_key(self, relpath: str, key: str) -> dict[str, Any] | None:
        entry = self.entries.get(relpath)
        if entry is not None and entry.get("key") == key:
            return entry
        return None

    def put(self, relpath: str, stat: tuple[int, int], key: str, result: dict[str, Any]) -> None:
        self.entries[relpath] = {"stat": list(stat), "key": key, **result}
        self.dirty = True

    def restamp(self, relpath: str, stat: tuple[int, int]) -> None:
        entry = self.entries[relpath]
        if entry.get("stat") != list(stat):
            entry["stat"] = list(stat)
            self.dirty = True

    def prune(self, keep: set[str]) -> None:
        stale = [k for k in self.entries if k not in keep]
        for key in stale:
            del self.entries[key]
        self.dirty = self.dirty or bool(stale)

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
        }
        try:
            ensure_cache_dir(path.parent.parent)
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, json.dumps(payload, separators=(",", ":")).encode())
        except OSError:
            return  # a read-only tree still gets results, just no cache
        self.dirty = False


def ensure_cache_dir(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    marker = directory / ".gitignore"
    if not marker.exists():
        atomic_write_bytes(marker, GITIGNORE.encode())


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old or the new file, never a mix."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
