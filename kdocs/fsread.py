"""Read a repository file safely: regular files only, never more than a size cap.

A repository can commit a FIFO named ``cli.py`` (a plain ``read()`` waits forever for a
writer), a symlink ``x.py -> /dev/zero`` (reads until memory runs out) or ``-> /dev/stdin``
(waits on the CI runner's stdin), or a 2 GB generated file. Every file kdocs reads from the
analysed project goes through :func:`read_regular`: it opens without blocking
(``O_NONBLOCK``, so a FIFO without a writer does not hang the ``open``), checks with
``fstat`` on the opened descriptor (no race with a rename between a check and the open) that
it is a regular file, and reads at most ``max_size`` bytes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024
"""The default ``max-file-size``: far above any hand-written module, below generated blobs."""


class RefusedFile(OSError):
    """The path is not a regular file, or is larger than the cap; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "a special file"


def size_text(size: int) -> str:
    """``2097152`` -> ``2.0 MiB`` (for messages)."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MiB"
    if size >= 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size} bytes"


def read_regular(
    path: Path | str, max_size: int = DEFAULT_MAX_FILE_SIZE, *, follow_symlinks: bool = True
) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``max_size`` bytes.

    Raises :class:`RefusedFile` (an ``OSError``) for anything else, and ``OSError`` when
    the file cannot be opened (a symlink, without ``follow_symlinks``); callers already
    handling ``OSError`` stay correct.
    """
    fd, info = _open_regular(path, follow_symlinks)
    try:
        if info.st_size > max_size:
            raise RefusedFile(
                f"file too large ({size_text(info.st_size)}; max-file-size is"
                f" {size_text(max_size)})"
            )
        data = _read_upto(fd, max_size + 1)
        if len(data) > max_size:  # it grew while we read
            raise RefusedFile(f"file too large (max-file-size is {size_text(max_size)})")
        return data
    finally:
        os.close(fd)


def read_head(path: Path | str, limit: int) -> bytes:
    """At most the first ``limit`` bytes of ``path`` if it is a regular file (raises
    :class:`RefusedFile` for anything else): a digest of a small input file that a planted
    FIFO or ``/dev/stdin`` symlink cannot block."""
    fd, _info = _open_regular(path, follow_symlinks=True)
    try:
        return _read_upto(fd, limit)
    finally:
        os.close(fd)


def _read_upto(fd: int, limit: int) -> bytes:
    """At most ``limit`` bytes from ``fd``, a megabyte at a time."""
    chunks: list[bytes] = []
    total = 0
    while total < limit and (chunk := os.read(fd, min(1 << 20, limit - total))):
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _open_regular(path: Path | str, follow_symlinks: bool) -> tuple[int, os.stat_result]:
    """A descriptor of ``path`` opened without blocking, and its ``fstat``: checked on the
    descriptor itself to be a regular file (raises :class:`RefusedFile` otherwise)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise RefusedFile(f"not a regular file ({_kind(info.st_mode)})")
    return fd, info


def read_regular_text(path: Path | str, max_size: int = DEFAULT_MAX_FILE_SIZE) -> str:
    """:func:`read_regular` decoded as UTF-8 (raises ``UnicodeDecodeError`` like read_text)."""
    return read_regular(path, max_size).decode("utf-8")
