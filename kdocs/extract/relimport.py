"""The one resolver of relative imports (``from ..pkg import name``), for every extractor.

The CLI extractors, the types extractor and the import graph all need the absolute module a
relative import names; they used to carry four copies that disagreed on imports climbing
above the top-level package (two of them sliced with a negative index and landed on a
wrong, existing package). Python refuses such an import, so this resolver says ``None``.
"""

from __future__ import annotations


def resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str | None:
    """The absolute module of ``from <level dots><target> import ...`` written in ``module``.

    ``is_package`` says whether ``module`` is a package (its ``__init__``), whose relative
    imports start from itself rather than from its parent. ``level == 0`` is an absolute
    import (``target`` as given). ``None`` when the import climbs above the top-level package,
    which Python refuses with ``ImportError``.
    """
    if level <= 0:
        return target or ""
    parts = module.split(".") if module else []
    if not is_package:
        parts = parts[:-1]
    drop = level - 1
    if drop >= len(parts):
        return None
    kept = parts[: len(parts) - drop]
    return ".".join([*kept, target] if target else kept)


def unresolvable(level: int, target: str | None) -> str:
    """A stand-in module name for an import :func:`resolve_relative` refuses: the relative
    spelling itself (``..pkg``), which no project or installed module can be called."""
    return "." * level + (target or "")
