"""What the ``kdocs`` program keeps until it leaves, instead of freeing it.

The program ends with :func:`os._exit` (:func:`kdocs.cli.main`), and the kernel takes its
memory back at once. Freeing a run's facts and models just before is pure cost: on
cloudflare's 7,591 files, letting the analysis go (millions of dicts, lists and dataclasses,
freed one by one by reference counting) took 0.13 s of a cold ``kdocs inspect types``. So
the program calls :func:`hold_until_exit` once, and each :class:`~kdocs.analysis.Analysis`
then hands itself to :func:`keep_last`. Only the latest is held: a run over several projects
still frees each earlier one when the next begins, so its peak memory stays that of its
largest project. A caller in the same process (the test suite) never turns this on, and
everything is freed as usual.
"""

from __future__ import annotations

_kept: list[object] | None = None


def hold_until_exit() -> None:
    """From now on, :func:`keep_last` holds what it is given until the process ends. Only
    for a process that leaves with :func:`os._exit` right after its command."""
    global _kept
    if _kept is None:
        _kept = []


def keep_last(value: object) -> None:
    """Hold ``value`` to the end of the process, or until the next call, when
    :func:`hold_until_exit` was called; otherwise do nothing (``value`` is freed when its
    last reference goes)."""
    if _kept is not None:
        _kept[:] = [value]
