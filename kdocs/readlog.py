"""Which project files a check read directly, besides the per-file extraction.

A check's findings depend on each file's extracted results (facts, problems, suppression
comments: what :mod:`kdocs.cache` stores per file) and on the files the links and rules read
themselves: the CLI interpreter follows imports into modules that hold no CLI text, the
help-literal rules re-read CLI sources, G001 compares generated pages. The result cache
(:mod:`kdocs.resultcache`) may serve a stored result after an edit that left every file's
extracted results as they were, but only when no file read directly changed: this module
records those reads.

Reads are seen through Python's ``open`` audit event (:func:`sys.addaudithook`), so a read
no one declared is still recorded (folder listings too: ``os.listdir``, ``os.scandir``),
plus :func:`note` for content a cache served without opening the file (the CLI
interpreter's per-module IR). Only files under the project root count, outside the cache
directory; reads for extraction run inside :func:`paused` (their
effect is in the per-file results already). The hook is installed once per process, on the
first recording, and costs one attribute test per audit event when no recording is active.

A link's reads are also captured (:func:`capturing`) and stored with its model in the model
cache (:mod:`kdocs.modelcache`): a check whose model is loaded from there instead of linked
replays them (:func:`replay`), so its record still names the modules the CLI interpreter
followed. Without that, an edit to such a module after a check answered by cached models was
taken for an edit nothing depended on.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR
_WRITE_MODES = frozenset("wax+")


def stat4(path: str | os.PathLike[str]) -> list[int]:
    """(size, mtime_ns, inode, ctime_ns) of a file, ``[-1]`` when it cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return [-1]
    return identity(st)


def identity(st: os.stat_result) -> list[int]:
    """(size, mtime_ns, inode, ctime_ns): what tells one file apart from any other written
    later (a new inode, a ctime no user can set back)."""
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]


class Recorder:
    """The project files read while it is active: absolute path -> :func:`stat4`, taken
    when the file was first seen, before it was read (so a later edit changes the stat)."""

    def __init__(self, root: str, exclude: tuple[str, ...]) -> None:
        self.prefix = os.path.join(root, "")
        self.exclude = tuple(os.path.join(e, "") for e in exclude)
        self.paths: dict[str, list[int]] = {}
        self.raw: set[str] = set()
        """Paths whose bytes were read (opened, or noted without a token)."""
        self.tokens: dict[str, dict[str, list[int] | None]] = {}
        """Paths a cache served derived values of (:func:`note` with a ``token``): the run
        depends on those values only, e.g. the CLI interpreter on a module's IR, the types
        link on one function's text. Each token maps to its value's line slots
        (:mod:`kdocs.lineslots`) where it has them: a value that differs only by lines moved
        in order is then as good as the same."""
        self.complete = True
        """False when another recording was active (a nested or concurrent check in the same
        process): the reads went to that one, so this record cannot vouch for them."""

    def add(self, path: str, token: str | None = None, lines: list[int] | None = None) -> None:
        if not path.startswith(self.prefix):
            return
        if self.exclude and path.startswith(self.exclude):
            return
        if path not in self.paths:
            self.paths[path] = stat4(path)
        if token is None:
            self.raw.add(path)
        else:
            self.tokens.setdefault(path, {}).setdefault(token, lines)


Read = tuple[str, "str | None", "list[int] | None"]
"""One read: the absolute path, the token of the value derived from it (``None``: its
bytes were read) and that value's line slots."""

_active: Recorder | None = None
_installed = False
_paused = 0
_captures: list[list[Read]] = []


def _seen(path: str, token: str | None = None, lines: list[int] | None = None) -> None:
    if _paused:
        return
    if _active is not None:
        _active.add(path, token, lines)
    for capture in _captures:
        capture.append((path, token, lines))


def _install() -> None:
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True


_LISTINGS = frozenset({"os.listdir", "os.scandir"})


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _paused or (_active is None and not _captures):
        return
    if event in _LISTINGS:
        # A folder listed (a rule looking for files): its stat changes when an entry is
        # added or removed. ``os.listdir()`` without a path lists the current directory.
        target = args[0] if args else "."
        if isinstance(target, (str, bytes, os.PathLike)):
            _seen(os.path.abspath(os.fsdecode(target)))
        return
    if event != "open":
        return
    target, mode, flags = (*tuple(args), None, None, None)[:3]
    if isinstance(target, int) or target is None:
        return  # an open file descriptor: its path was seen when it was opened
    if isinstance(mode, str) and _WRITE_MODES & set(mode):
        return
    if mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS:
        return
    try:
        path = os.path.abspath(os.fsdecode(target))
    except (TypeError, ValueError):
        return
    _seen(path)


@contextmanager
def recording(root: str, exclude: tuple[str, ...] = ()) -> Iterator[Recorder]:
    """Record the project files read inside the block. While another recording is active
    (a check inside a check, or checks on several threads) the outer one gets every read
    and this one is marked incomplete."""
    global _active
    _install()
    outer = _active
    recorder = Recorder(root, exclude)
    if outer is None:
        _active = recorder
    else:
        recorder.complete = False
    try:
        yield recorder
    finally:
        _active = outer


@contextmanager
def capturing() -> Iterator[list[Read]]:
    """Collect the reads made inside the block, recorded or not (a link's, stored with its
    model in the model cache: a run that loads the model instead of linking replays them
    with :func:`replay`, so the check still depends on what the link read)."""
    _install()
    seen: list[Read] = []
    _captures.append(seen)
    try:
        yield seen
    finally:
        _captures.remove(seen)


def within(reads: list[Read], root: str, cache_dir: str) -> list[Read]:
    """The reads of project files under ``root``, outside ``cache_dir`` (those a check's
    record depends on: :mod:`kdocs.resultreuse`)."""
    inside, cached = os.path.join(root, ""), os.path.join(cache_dir, "")
    return [r for r in reads if r[0].startswith(inside) and not r[0].startswith(cached)]


def encode_reads(reads: Iterable[Read]) -> list[Any]:
    """``reads`` as JSON data for a cache file: each once, sorted (deterministic)."""
    unique = {(path, token, None if n is None else tuple(n)) for path, token, n in reads}
    return [
        [path, token, None if n is None else list(n)] for path, token, n in sorted(unique, key=str)
    ]


def decode_reads(value: Any) -> list[Read] | None:
    """The reads of :func:`encode_reads`' data, or ``None`` when it is not of that shape."""
    if not isinstance(value, list):
        return None
    out: list[Read] = []
    for item in value:
        if not isinstance(item, list) or len(item) != 3 or not isinstance(item[0], str):
            return None
        path, token, lines = item
        if token is not None and not isinstance(token, str):
            return None
        if lines is not None and not (
            isinstance(lines, list) and all(type(n) is int for n in lines)
        ):
            return None
        out.append((path, token, lines))
    return out


def replay(reads: list[Read]) -> None:
    """Record the reads a cached value was made from, as if they were made now."""
    for path, token, lines in reads:
        _seen(path, token, lines)


@contextmanager
def paused() -> Iterator[None]:
    """Reads inside the block do not count (extraction: its results are keyed already)."""
    global _paused
    _paused += 1
    try:
        yield
    finally:
        _paused -= 1


def note(
    path: str | os.PathLike[str], token: str | None = None, lines: list[int] | None = None
) -> None:
    """Record a read that a cache answered without opening the file. With ``token`` (a
    digest of what was derived from the file, with a prefix naming how to derive it again:
    see :mod:`kdocs.resultreuse`), the run depends on that derived value only; ``lines``
    are its line slots, when it has some."""
    if _active is not None or _captures:
        _seen(os.path.abspath(os.fspath(path)), token, lines)
