"""A progress bar on stderr while files are extracted, for runs that take a while.

Shown only when stderr is a terminal and the run is not in CI (``CI`` set, as every CI
service does), and only once the run has lasted :data:`DELAY` seconds: a warm run or a
small project prints nothing, and logs and pipes never get carriage returns or escape
codes. The bar is one line, redrawn at most ten times a second and erased when done, so
what remains on the terminal is exactly what a run without it prints.

The command line turns it on with :func:`shown`; the extraction loop asks :func:`callback`
for a ``(done, total)`` function (``None`` when no bar is shown, so the loop costs nothing).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Mapping
from typing import TextIO

DELAY = 1.0
"""Seconds a run must last before the bar appears (``KDOCS_PROGRESS_DELAY`` overrides it:
the tests set 0)."""
_INTERVAL = 0.1

Callback = Callable[[int, int], None]


def wanted(stream: TextIO, env: Mapping[str, str] | None = None) -> bool:
    """Whether a bar belongs on ``stream``: a terminal, outside CI, not a dumb terminal."""
    env = os.environ if env is None else env
    if env.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    if env.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


class Bar:
    """The bar of one run: drawn on ``stream`` after ``delay`` seconds from its creation."""

    def __init__(self, stream: TextIO, delay: float = DELAY) -> None:
        self.stream = stream
        self.start = time.monotonic()
        self.delay = delay
        self.last = 0.0
        self.drawn = False

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.start < self.delay:
            return
        if self.drawn and now - self.last < _INTERVAL and done < total:
            return
        self.last = now
        import shutil  # only once a bar is drawn

        width = max(10, min(40, shutil.get_terminal_size((80, 24)).columns - 40))
        filled = width * done // total if total else width
        line = f"kdocs: reading files [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        self._write("\r" + line + "\x1b[K")
        self.drawn = True

    def close(self) -> None:
        """Erase the bar (nothing to erase when it never appeared)."""
        if self.drawn:
            self._write("\r\x1b[K")
            self.drawn = False

    def _write(self, text: str) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.stream.write(text)
            self.stream.flush()


_current: Bar | None = None


@contextlib.contextmanager
def shown(stream: TextIO) -> Iterator[None]:
    """Show a bar on ``stream`` during the block when :func:`wanted` says so."""
    global _current
    if not wanted(stream):
        yield
        return
    try:
        delay = float(os.environ.get("KDOCS_PROGRESS_DELAY", DELAY))
    except ValueError:
        delay = DELAY
    previous, _current = _current, Bar(stream, delay)
    try:
        yield
    finally:
        _current.close()
        _current = previous


def callback() -> Callback | None:
    """The current bar's update function, or ``None`` when no bar is shown."""
    return _current.update if _current is not None else None
