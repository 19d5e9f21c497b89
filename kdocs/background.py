"""Cache writes a forked child does while the command goes on (``kdocs inspect types``).

After the extraction pool, a cold ``kdocs inspect types`` runs on one core: it saves the
per-file caches, links the model, saves it, renders the output. On a types-heavy tree the
saves take a quarter and a second of that, and the second core is idle by then. Within
:func:`saving_in_background`, :func:`run` hands such a write to a forked child; the block's
end waits for every child, so the files are there when the command returns (and a torn one
would fail its seal anyway).

Only where ``fork`` is safe and cheap: Linux, and a process with a single thread (a thread
holding a lock at the fork would leave it held in the child). Elsewhere, and outside the
block, :func:`run` writes before it returns.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator

_background = False
_children: list[int] = []


@contextlib.contextmanager
def saving_in_background() -> Iterator[None]:
    """Within this block, :func:`run` calls its function in a forked child."""
    global _background
    previous, _background = _background, True
    try:
        yield
    finally:
        _background = previous
        wait()


def wait() -> None:
    """Wait for every write running in a child process."""
    while _children:
        pid = _children.pop()
        with contextlib.suppress(ChildProcessError, InterruptedError):
            os.waitpid(pid, 0)


def _can_fork() -> bool:
    import threading

    return (
        _background
        and sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and threading.active_count() == 1
    )


def run(write: Callable[[], object]) -> None:
    """Call ``write`` in a forked child when in :func:`saving_in_background` and forking is
    safe, else now. ``write`` must only write cache files: the parent never sees what it
    changes in memory."""
    if _can_fork():
        try:
            pid = os.fork()
        except OSError:
            pid = -1
        if pid == 0:  # the child: write, then leave without running the parent's exit code
            try:
                write()
            finally:
                os._exit(0)
        if pid > 0:
            _children.append(pid)
            return
    write()
