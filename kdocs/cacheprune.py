"""Remove the cache folders an older kdocs left in a project, once nothing uses them.

Each kdocs version keeps its caches in ``<cache dir>/<version>/`` (their formats change
between versions), so every upgrade left the previous folder behind: tens of MB a project
on a large tree, for good. The first whole save of a run (:meth:`kdocs.cache.KindCache.save`)
now removes the folders of *older* versions that no run has written to for
:data:`STALE_DAYS` days.

Rules, as for every file kdocs deletes (the cache folder is repository content, where a pull
request can plant files):

* only a file kdocs can prove it wrote is removed: one whose seal verifies under this
  machine's key (:mod:`kdocs.cacheseal`), or an ``inspect types`` output whose identity a
  sealed record of that folder holds (:mod:`kdocs.inspectcache`); anything else stays, and
  so does the folder around it;
* no symlink is followed, and only regular files are removed (then the folders left empty);
* a newer version's folder is never touched (a newer kdocs may run on the same project,
  from pre-commit's environment for instance), nor one used within :data:`STALE_DAYS` days
  (an older kdocs that still runs here, whose caches would otherwise be rebuilt at every
  switch).
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from pathlib import Path

from kdocs import __version__, cacheseal
from kdocs.readlog import identity

STALE_DAYS = 14
_NS_PER_DAY = 86_400 * 10**9
INSPECT_RECORD = "inspect-output.json"

_pruned: set[str] = set()
"""Cache folders this process already looked at (one look per run is enough)."""


def prune_old_versions(root: Path, current: str = __version__) -> None:
    """Remove what older kdocs versions left under ``root`` (see the module docstring)."""
    if str(root) in _pruned:
        return
    _pruned.add(str(root))
    from packaging.version import InvalidVersion, Version

    try:
        mine = Version(current)
        entries = list(os.scandir(root))
    except (InvalidVersion, OSError):
        return
    for entry in entries:
        if entry.name == current or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            older = Version(entry.name) < mine
        except InvalidVersion:
            continue  # not a version folder
        if older:
            _prune(Path(entry.path))


def _prune(folder: Path) -> None:
    files: list[tuple[Path, os.stat_result]] = []
    folders: list[Path] = []
    for top, dirs, names in os.walk(folder, followlinks=False):
        folders.append(Path(top))
        for name in [*names, *dirs]:
            path = Path(top, name)
            with contextlib.suppress(OSError):
                files.append((path, os.lstat(path)))
    cutoff = time.time_ns() - STALE_DAYS * _NS_PER_DAY
    if any(max(st.st_mtime_ns, st.st_ctime_ns) > cutoff for _, st in files):
        return  # written to lately: a kdocs of that version still runs here
    blobs = _recorded_blobs(folder / INSPECT_RECORD)
    for path, st in files:
        if not stat.S_ISREG(st.st_mode):
            continue
        if cacheseal.is_sealed(path) or blobs.get(path.name) == identity(st):
            with contextlib.suppress(OSError):
                path.unlink()
    for empty in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            empty.rmdir()  # only succeeds when nothing is left in it


def _recorded_blobs(record: Path) -> dict[str, list[int]]:
    """The ``inspect types`` outputs a sealed record names: blob name -> identity."""
    data = cacheseal.read_json(record)  # None: missing, unsealed, not a regular file
    try:
        entries = data.get("entries", {})
        return {
            str(e["blob"]): list(e["identity"])
            for e in entries.values()
            if isinstance(e, dict) and str(e.get("blob", "")).startswith("inspect-")
        }
    except (AttributeError, KeyError, TypeError):
        return {}
