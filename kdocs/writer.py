"""The one writer for every file kdocs generates: atomic, deterministic, and never destructive.

Generated output lands in directories users also keep their own files in (``site/``,
``docs/``). So the writer:

* writes each file atomically (a temporary file in the same directory, then a rename), so an
  interrupted run leaves the old file intact;
* records what it wrote in a manifest inside the output directory (:data:`MANIFEST`, sorted,
  with each file's SHA-256), and removes a stale file only when that manifest lists it, it is
  a regular file (never a symlink) inside the directory, and its content is still what kdocs
  wrote (a file the user has since edited is kept and reported);
* never rewrites a file it did not create: an existing file that is not in the manifest is
  adopted only when it already has exactly the content kdocs would write, else the whole
  write is refused before anything changes;
* has a ``check`` (drift) mode that compares byte for byte and writes nothing.

``write_tree(out_dir, {relpath: text or bytes}, check=False) -> WriteReport`` is the whole
API.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from kdocs.errors import KdocsError

MANIFEST = ".kdocs-manifest.json"
MANIFEST_FORMAT = 1


class WriteError(KdocsError):
    """The output cannot be written safely; the message names the path."""


@dataclass
class WriteReport:
    """What :func:`write_tree` did (or, in check mode, would do). Paths are relative to the
    output directory, POSIX, sorted."""

    written: list[str] = field(default_factory=list)
    """written lists files created or rewritten (check mode: none)."""
    unchanged: list[str] = field(default_factory=list)
    """unchanged lists files that already had the expected content."""
    removed: list[str] = field(default_factory=list)
    """removed lists stale files from an earlier run that were deleted (check mode: none)."""
    kept: list[str] = field(default_factory=list)
    """kept lists stale files left in place because they were edited or are not regular."""
    stale: list[str] = field(default_factory=list)
    """stale lists files (check mode) whose content differs from what would be written."""
    missing: list[str] = field(default_factory=list)
    """missing lists files (check mode) that would be created."""
    extra: list[str] = field(default_factory=list)
    """extra lists files (check mode) kdocs wrote before that it would now remove."""

    @property
    def drift(self) -> bool:
        """Whether the directory differs from what would be written (check mode)."""
        return bool(self.stale or self.missing or self.extra)

    def check_lines(self, target: Path, shown: str) -> list[str]:
        """What ``--check`` prints: each differing file, then whether ``shown`` is stale."""
        lines = [
            f"{label}: {target / name}"
            for label, names in (
                ("stale", self.stale),
                ("missing", self.missing),
                ("extra", self.extra),
            )
            for name in names
        ]
        if self.drift:
            lines.append(f"{shown} is out of date: run without --check to regenerate.")
        else:
            lines.append(f"{shown} is up to date.")
        return lines

    def write_lines(self, target: Path, shown: str) -> list[str]:
        """What a writing run prints: the counts, then each edited file it left in place."""
        lines = [
            f"Wrote {len(self.written)} file(s) to {shown}"
            f" ({len(self.unchanged)} unchanged, {len(self.removed)} stale removed)."
        ]
        lines += [f"kept {target / name}: edited since kdocs wrote it" for name in self.kept]
        return lines


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _safe_relpath(relpath: str) -> PurePosixPath | None:
    """``relpath`` as a clean relative path inside the directory, or ``None`` if it could
    leave it (absolute, ``..``, empty parts, backslashes, NUL)."""
    if not relpath or "\\" in relpath or "\0" in relpath or relpath.startswith("/"):
        return None
    parts = relpath.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return None
    return PurePosixPath(*parts)


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return path.lstat()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise WriteError(f"cannot inspect {path}: {err.strerror}") from None


def _parents_are_real_dirs(root: Path, rel: PurePosixPath, *, create: bool) -> bool:
    """Whether every directory between ``root`` and ``rel``'s file is a real directory (no
    symlink), creating missing ones when ``create``."""
    current = root
    for part in rel.parts[:-1]:
        current = current / part
        st = _lstat(current)
        if st is None:
            if not create:
                return False
            try:
                current.mkdir()
            except OSError as err:
                raise WriteError(f"cannot create directory {current}: {err.strerror}") from None
            continue
        if not stat.S_ISDIR(st.st_mode):
            return False
    return True


def _read_regular(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (not followed if a symlink), else None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def atomic_replace(
    path: Path, data: bytes, *, mode: int | None = None, durable: bool = True
) -> None:
    """Replace ``path`` with ``data`` atomically (same-directory temporary file, fsync, rename).

    The new file keeps the old file's permission bits and, when allowed, its owner; a new file
    gets ``mode`` (default 0o644). Raises :class:`OSError` on failure, removing the temporary
    file, so the old file is intact. Without ``durable`` there is no fsync: for cache files,
    which a crash may lose (a torn one fails its seal and is rebuilt) but never half-replace.
    """
    old = _lstat_quiet(path)
    import tempfile  # not on a warm check's path, which writes nothing

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if old is not None and stat.S_ISREG(old.st_mode):
            os.chmod(tmp, stat.S_IMODE(old.st_mode))
            if (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
                with contextlib.suppress(OSError):
                    os.chown(tmp, old.st_uid, old.st_gid)
        else:
            os.chmod(tmp, 0o644 if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _lstat_quiet(path: Path) -> os.stat_result | None:
    try:
        return path.lstat()
    except OSError:
        return None


def _load_manifest(out_dir: Path) -> dict[str, str]:
    """``{relpath: sha256}`` of the files an earlier run wrote; empty when there is no usable
    manifest (then nothing is ever removed)."""
    data = _read_regular(out_dir / MANIFEST)
    if data is None:
        return {}
    try:
        loaded = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {}
    files = loaded.get("files") if isinstance(loaded, dict) else None
    if not isinstance(files, dict):
        return {}
    return {
        k: v
        for k, v in files.items()
        if isinstance(k, str) and isinstance(v, str) and _safe_relpath(k) is not None
    }


def render_manifest(digests: Mapping[str, str]) -> str:
    """The manifest text for ``{relpath: sha256}``: sorted, stable, one file per line."""
    body = {"generator": "kdocs", "format": MANIFEST_FORMAT, "files": dict(sorted(digests.items()))}
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _prepare_dir(out_dir: Path, *, create: bool) -> Path:
    st = _lstat_quiet(out_dir)
    if st is not None and not out_dir.is_dir():
        raise WriteError(f"{out_dir} exists and is not a directory")
    if st is None and create:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise WriteError(f"cannot create directory {out_dir}: {err.strerror}") from None
    return out_dir


def write_tree(
    out_dir: Path, files: Mapping[str, str | bytes], *, check: bool = False
) -> WriteReport:
    """Make ``out_dir`` hold exactly ``files`` (``{relative POSIX path: text}``, written as
    UTF-8, or bytes as they are) among the files kdocs generates there, or with ``check``
    report how it differs without writing.

    Raises :class:`WriteError` (naming the path) when a path is unsafe, ``out_dir`` is not a
    directory, a target is a symlink or a directory, or an existing file kdocs did not write
    would be overwritten with different content.
    """
    _prepare_dir(out_dir, create=not check)
    report = WriteReport()
    wanted: dict[PurePosixPath, bytes] = {}
    for relpath, text in files.items():
        rel = _safe_relpath(relpath)
        if rel is None or relpath == MANIFEST:
            raise WriteError(f"refusing to write {relpath!r}: not a plain path inside {out_dir}")
        wanted[rel] = text if isinstance(text, bytes) else text.encode("utf-8")
    exists = out_dir.is_dir()
    previous = _load_manifest(out_dir) if exists else {}
    current: dict[str, bytes | None] = {}
    conflicts: list[str] = []
    for rel, data in sorted(wanted.items()):
        key = rel.as_posix()
        target = out_dir / rel
        bad = _first_bad_parent(out_dir, rel) if exists else None
        if bad is not None:
            raise WriteError(f"refusing to write {target}: {bad} is not a directory")
        st = _lstat(target) if exists else None
        if st is None:
            current[key] = None
            continue
        if not stat.S_ISREG(st.st_mode):
            kind = "a symlink" if stat.S_ISLNK(st.st_mode) else "not a regular file"
            raise WriteError(f"refusing to overwrite {target}: it is {kind}")
        content = _read_regular(target)
        current[key] = content
        if key not in previous and content != data:
            conflicts.append(str(target))
    if conflicts:
        raise WriteError(
            f"refusing to overwrite {conflicts[0]}: kdocs did not write it (it is not in "
            f"{out_dir / MANIFEST}); move it away or choose another directory"
            + (f" ({len(conflicts) - 1} more)" if len(conflicts) > 1 else "")
        )
    wanted_keys = {rel.as_posix() for rel in wanted}
    stale_listed = sorted(set(previous) - wanted_keys)
    digests = {rel.as_posix(): _digest(data) for rel, data in wanted.items()}
    manifest = render_manifest(digests).encode("utf-8")

    if check:
        for rel, data in sorted(wanted.items()):
            key = rel.as_posix()
            if current[key] is None:
                report.missing.append(key)
            elif current[key] != data:
                report.stale.append(key)
            else:
                report.unchanged.append(key)
        for key in stale_listed:
            if _removable(out_dir, key, previous[key]) is not None:
                report.extra.append(key)
        old_manifest = _read_regular(out_dir / MANIFEST) if exists else None
        if old_manifest is None:
            report.missing.append(MANIFEST)
        elif old_manifest != manifest:
            report.stale.append(MANIFEST)
        report.missing.sort()
        report.stale.sort()
        return report

    for rel, data in sorted(wanted.items()):
        key = rel.as_posix()
        if current[key] == data:
            report.unchanged.append(key)
            continue
        _parents_are_real_dirs(out_dir, rel, create=True)
        _write(out_dir / rel, data)
        report.written.append(key)
    for key in stale_listed:
        stale_path = _removable(out_dir, key, previous[key])
        if stale_path is None:
            if _lstat_quiet(out_dir / key) is not None:
                report.kept.append(key)
            continue
        try:
            stale_path.unlink()
        except OSError as err:
            raise WriteError(f"cannot remove stale {stale_path}: {err.strerror}") from None
        report.removed.append(key)
    if _read_regular(out_dir / MANIFEST) != manifest:
        manifest_path = out_dir / MANIFEST
        st = _lstat_quiet(manifest_path)
        if st is not None and not stat.S_ISREG(st.st_mode):
            raise WriteError(f"refusing to overwrite {manifest_path}: it is not a regular file")
        _write(manifest_path, manifest)
    return report


def _first_bad_parent(root: Path, rel: PurePosixPath) -> Path | None:
    current = root
    for part in rel.parts[:-1]:
        current = current / part
        st = _lstat_quiet(current)
        if st is None:
            return None
        if not stat.S_ISDIR(st.st_mode):
            return current
    return None


def _removable(out_dir: Path, key: str, digest: str) -> Path | None:
    """The stale file to delete: listed, inside ``out_dir`` through real directories, a
    regular file, and unchanged since kdocs wrote it; else ``None``."""
    rel = _safe_relpath(key)
    if rel is None or not _parents_are_real_dirs(out_dir, rel, create=False):
        return None
    target = out_dir / rel
    data = _read_regular(target)
    if data is None or _digest(data) != digest:
        return None
    return target


def _write(path: Path, data: bytes) -> None:
    try:
        atomic_replace(path, data)
    except OSError as err:
        raise WriteError(f"cannot write {path}: {err.strerror or err}") from None
