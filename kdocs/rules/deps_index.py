"""Moved to :mod:`kdocs.extract.deps_index`: the distribution index is linking, done by the
deps extractor before any rule runs. Kept so existing imports keep working."""

from kdocs.extract.deps_index import (
    DATA_FILE,
    IMPLICIT_FILE,
    DistIndex,
    guess_module,
    implicitly_used,
    marker_of,
    prefixes,
    shipped_table,
)

__all__ = [
    "DATA_FILE",
    "IMPLICIT_FILE",
    "DistIndex",
    "guess_module",
    "implicitly_used",
    "marker_of",
    "prefixes",
    "shipped_table",
]
