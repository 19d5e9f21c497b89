"""The printed output of ``kdocs inspect types``, cached: a warm run copies it to stdout.

On a types-heavy tree the output is a hundred MB of JSON. A warm run with the linked model
cached still spent most of its time loading that model and rendering it again, so the bytes
printed are stored too, under a key over everything they depend on, and a warm run with the
same key streams them to stdout without decoding them: it imports no extractor, builds no
schema and loads no model.

**Key.** :func:`kdocs.resultcache.result_key`, the key a cached check result goes under: the
linked models' shared key (:func:`kdocs.modelcache.project_key`: kdocs' version and own code,
the interpreter, every project file's stamp, the folders' listings, the root manifests), the
whole ``pyproject.toml`` and ``--config`` file (so every ``[tool.kdocs.types]`` setting), the
environment the deps link reads (virtualenvs and site-packages folders), the paths the walk
could not enter, with this command's own choices: the kind, the format, the types
extractor's version and its search path (:func:`kdocs.extract.types.bases.search_paths`,
which the types model key covers too). Installed modules the link read (base classes in
site-packages) cannot be named before linking: they are stored with their stat and
compared on load, as the types model cache does. Racy-fresh inputs, ``--no-cache`` and
``cache = false`` bypass it (the key is then ``None``). Only ``types`` is cached, and only
when printing to stdout: ``inspect`` writes nothing else after discovery (no file
problems; the progress bar is for terminals only) and exits 0 when it printed, so stdout is
the whole of what a hit must reproduce (a note about a bare tree comes from discovery, which
runs either way).

**Trust.** The cache folder sits inside the project, where a pull request can plant files.
Other cache files are sealed with an HMAC (:mod:`kdocs.cacheseal`), but an HMAC over a
hundred MB costs about as much as the whole warm budget. So the record is small and sealed
(key -> blob name, the blob's identity and the externals' stats) and the blob is not: it is
trusted by its identity, the same stamp the per-file cache trusts for project sources
(size, mtime_ns, inode, ctime_ns). A file checked out or written by anyone else gets a new
inode and a ctime that no user can set back, so a planted or modified blob does not match
the sealed record and is not served (the command then renders as usual and replaces it). The
blob is compared by ``fstat`` of the descriptor it is then read from, so what was checked is
what is printed. kdocs writes the blob itself (a temporary file renamed into place) and
takes its identity from the open descriptor after the rename.

**Crashes.** The blob carries no seal that would reveal one torn by a crash, and syncing a
hundred MB to disk took 0.4 s of a cold run. On Linux the blob is not synced: its entry
records the boot it was written in (``/proc/sys/kernel/random/boot_id``), and is served only
in that boot. Until the machine restarts, every reader sees the bytes written (the kernel's
page cache), and after a crash the boot differs, so a blob the crash tore is never served.
Where there is no boot id, the blob is synced before it is renamed into place.

**Size.** Like the per-file caches (``cache-limits.max-size``), nothing the current tree
uses is dropped: the output just printed is always kept, and older outputs (another
format, an earlier revision) are dropped, oldest stored first, while all outputs together
exceed the cap.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from kdocs import __version__, cache, cacheseal, modelcache, readlog, resultcache
from kdocs.errors import KdocsError
from kdocs.project import Project

FORMAT = 1
KINDS = ("types",)
"""Kinds whose output is cached (the others are small, and read more than the key names)."""

RECORD = "inspect-output.json"
MAX_ENTRIES = 8


def _folder(project: Project) -> Path:
    return project.cache_path / __version__


def output_key(project: Project, kind: str, fmt: str) -> str | None:
    """The key of ``kdocs inspect KIND --format FMT`` over ``project``, or ``None`` when this
    output is not cached (another kind, the cache off, a racy-fresh input, a search path
    setting of the wrong shape: the run then renders and its own checks speak)."""
    if kind not in KINDS or not project.config.cache:
        return None
    try:
        project.cache_path  # noqa: B018 - a refused cache-dir: the analysis says why
    except KdocsError:
        return None
    from kdocs.extract.types import VERSION
    from kdocs.extract.types.bases import search_paths

    raw = project.config.raw_sections.get("types")
    raw = raw if isinstance(raw, dict) else {}
    settings: dict[str, Any] = {}
    extra = raw.get("search-paths", ())
    python = raw.get("python", "")
    if not isinstance(extra, (list, tuple)) or not all(isinstance(p, str) for p in extra):
        return None
    if not isinstance(python, str):
        return None
    settings = {"search-paths": list(extra), "python": python}
    try:
        paths = [str(p) for p in search_paths(project.root, project.source_roots, settings)]
    except (OSError, ValueError):
        return None
    choices = ["inspect", FORMAT, kind, fmt, VERSION, paths]
    return resultcache.result_key(project, choices)


def _entries(path: Path) -> dict[str, Any]:
    data = cacheseal.read_json(path)  # a planted (unsealed) record is ignored
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    entries = data.get("entries")
    return dict(entries) if isinstance(entries, dict) else {}


def _blob_name(key: str) -> str:
    return f"inspect-{key[:32]}.out"


def serve(project: Project, key: str, out: IO[bytes]) -> bool:
    """Copy the output stored under ``key`` to ``out``; ``False`` (nothing written) when
    there is none, or the blob or an installed module it depends on is not as recorded."""
    folder = _folder(project)
    entry = _entries(folder / RECORD).get(key)
    if not isinstance(entry, dict):
        return False
    name, identity = entry.get("blob"), entry.get("identity")
    if name != _blob_name(key) or not modelcache.externals_unchanged(entry.get("externals")):
        return False
    boot = entry.get("boot")
    if boot is not None and boot != boot_id():
        return False  # written unsynced before a restart: a crash may have torn it
    try:
        fd = os.open(folder / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    with open(fd, "rb", closefd=True) as blob:
        if readlog.identity(os.fstat(fd)) != identity:
            return False
        _copy(blob, out)
    return True


def _copy(blob: IO[bytes], out: IO[bytes]) -> None:
    """``blob`` to ``out``: by ``sendfile`` when ``out`` is a file descriptor (no copy through
    Python), else in chunks."""
    out.flush()
    try:
        target = out.fileno()
    except (AttributeError, OSError, ValueError):  # io.BytesIO (tests), a wrapped stream
        target = -1
    if target >= 0 and hasattr(os, "sendfile"):
        offset, size = 0, os.fstat(blob.fileno()).st_size
        try:
            while offset < size:
                sent = os.sendfile(target, blob.fileno(), offset, size - offset)
                if sent == 0:
                    break
                offset += sent
            return
        except OSError as err:
            if offset or err.errno not in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP
                raise
    shutil.copyfileobj(blob, out, 1 << 20)
    out.flush()


def start(project: Project, key: str) -> OutputBlob | None:
    """A blob for the output about to be printed under ``key``, or ``None`` when it cannot
    be stored (a read-only tree, a refused cache folder: it simply is not cached)."""
    folder = _folder(project)
    try:
        cache.ensure_cache_dir(folder.parent)
        folder.mkdir(parents=True, exist_ok=True)
        return OutputBlob(folder / _blob_name(key), boot=boot_id())
    except OSError:
        return None


def store(
    project: Project, key: str, blob: OutputBlob, externals: Iterable[str], max_size: int
) -> None:
    """Keep the output ``blob`` holds (just printed) under ``key``; a full disk simply is
    not cached."""
    identity = blob.finish()
    if identity is None:
        return
    folder = blob.path.parent
    path = folder / RECORD
    entries = _entries(path)
    entries.pop(key, None)
    entries[key] = {
        "blob": blob.path.name,
        "identity": identity,
        "size": blob.size,
        "externals": modelcache.stamp_externals(externals),
        "boot": blob.boot,
    }
    kept = _within_cap(entries, max_size)
    cache.store_json(path, {"format": FORMAT, "entries": kept})
    names = {entry.get("blob") for entry in kept.values() if isinstance(entry, dict)}
    for dropped in entries.values():
        _remove_blob(folder, dropped, names)


def _remove_blob(folder: Path, entry: Any, kept: set[Any]) -> None:
    """Delete the blob of an entry the cap dropped, only while it is still the file kdocs
    wrote (its identity as recorded): another file of that name is not kdocs' to delete."""
    if not isinstance(entry, dict):
        return
    name = entry.get("blob")
    if not isinstance(name, str) or name in kept or not name.startswith("inspect-"):
        return
    blob = folder / name
    with contextlib.suppress(OSError):
        st = os.lstat(blob)
        if readlog.identity(st) == entry.get("identity"):
            blob.unlink()


def _within_cap(entries: dict[str, Any], max_size: int) -> dict[str, Any]:
    """The newest entry always, then older ones while the outputs fit under ``max_size``."""
    items = list(entries.items())[-MAX_ENTRIES:]
    newest_key, newest = items[-1]
    kept = {newest_key: newest}
    total = _size_of(newest)
    for entry_key, entry in reversed(items[:-1]):
        total += _size_of(entry)
        if total > max_size:
            break
        kept[entry_key] = entry
    return dict(reversed(list(kept.items())))


def _size_of(entry: Any) -> int:
    size = entry.get("size") if isinstance(entry, dict) else None
    return size if isinstance(size, int) and size >= 0 else 0


def boot_id() -> str | None:
    """This boot of the machine (Linux), or ``None`` where the kernel does not say."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as handle:
            return handle.read(64).strip() or None
    except (OSError, ValueError):
        return None


_RESTART = object()
"""Queued to an :class:`OutputBlob`'s writer: empty the file, the whole output follows
again (``None`` stops the writer)."""


class OutputBlob:
    """The blob of an output being printed, written by a thread while the rest renders.

    On cloudflare the output is 120 MB, and writing it took 0.33 s after the render, nearly
    all of it the kernel finding fresh pages for the file. A ``write`` releases the GIL, so
    on a thread that time overlaps the render: the command only waits for what is left when
    it finishes. The file is temporary until :meth:`finish` renames it into place (synced
    first when there is no ``boot`` id, see "Crashes" above), so a run that stops half-way leaves no
    blob, and a failed write (a full disk) only means the output is not stored."""

    def __init__(self, path: Path, *, boot: str | None) -> None:
        import queue
        import tempfile
        import threading

        cache.check_cache_folder(path.parent)
        self.path = path
        self.size = 0
        self.boot = boot
        """The boot the blob is written in (recorded with it), ``None`` where the kernel
        does not say: the blob is then synced before it is renamed into place."""
        self._fd, self._tmp = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
        self._failed = False
        self._open = True
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._drain, name="kdocs-output-blob", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._failed:
                continue
            try:
                if data is _RESTART:
                    os.ftruncate(self._fd, 0)
                    os.lseek(self._fd, 0, os.SEEK_SET)
                    continue
                assert isinstance(data, bytes)
                view = memoryview(data)
                while view:
                    view = view[os.write(self._fd, view) :]
            except OSError:
                self._failed = True

    def write(self, data: bytes) -> None:
        """Append ``data`` (queued: written by the thread)."""
        if data:
            self.size += len(data)
            self._queue.put(data)

    def restart(self) -> None:
        """Forget what was written: the whole output follows again."""
        self.size = 0
        self._queue.put(_RESTART)

    def _close(self) -> bool:
        """Wait for the thread; ``False`` when already closed."""
        if not self._open:
            return False
        self._open = False
        self._queue.put(None)
        self._thread.join()
        return True

    def discard(self) -> None:
        """Stop and remove the temporary file (nothing is stored); safe to call twice."""
        if self._close():
            os.close(self._fd)
            with contextlib.suppress(OSError):
                os.unlink(self._tmp)

    def finish(self) -> list[int] | None:
        """Rename the file into place; its identity after the rename, from the descriptor
        written (not from the path, which another process could replace meanwhile), or
        ``None`` when a write failed or the blob was already closed."""
        if not self._close():
            return None
        try:
            if self._failed:
                raise OSError("a write failed")
            if self.boot is None:
                os.fsync(self._fd)
            os.fchmod(self._fd, 0o644)
            os.replace(self._tmp, self.path)
            return readlog.identity(os.fstat(self._fd))
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(self._tmp)
            return None
        finally:
            os.close(self._fd)


class StoredOutput:
    """A :class:`~kdocs.inspect_output.Sink` that encodes each piece once, keeps it to print
    and hands it to the blob that stores it (when there is one)."""

    def __init__(self, blob: OutputBlob | None) -> None:
        self.chunks: list[bytes] = []
        self.blob = blob

    def write(self, piece: str) -> None:
        data = piece.encode("utf-8")
        self.chunks.append(data)
        if self.blob is not None:
            self.blob.write(data)

    def restart(self) -> None:
        self.chunks.clear()
        if self.blob is not None:
            self.blob.restart()
