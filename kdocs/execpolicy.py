"""Whether kdocs may run an interpreter named by a ``python`` setting (off by default).

Set only from the command line (``kdocs --allow-exec-python``), never from repository config.
A light module of its own: the command line sets it on every run without importing the
extractors, and the model cache keys on it (a link that ran the interpreter reads other
site-packages than one that did not).
"""

from __future__ import annotations

_ALLOWED = False


def allow_exec_python(allowed: bool) -> None:
    global _ALLOWED
    _ALLOWED = allowed


def exec_allowed() -> bool:
    return _ALLOWED
