"""The ``[tool.kdocs.types]`` settings the types extractor reads (part of its cache keys).

A light module: the schema (:mod:`kdocs.schema`) reads it without importing the extractor.
"""

from __future__ import annotations

from typing import Any

from kdocs.config import Setting, expect_choice, expect_str, expect_str_list, expect_str_map
from kdocs.errors import ConfigError


def _expect_kinds(value: Any, key: str) -> tuple[str, ...]:
    # Imported here: a warm ``inspect types`` answered from the output cache imports this
    # module (through the types package) but checks no setting, and the models cost ~5 ms.
    from kdocs.models.types import TYPE_KINDS

    kinds = expect_str_list(value, key)
    for kind in kinds:
        if kind not in TYPE_KINDS:
            raise ConfigError(f"`{key}`: unknown kind {kind!r} (one of {', '.join(TYPE_KINDS)})")
    return kinds


def _expect_known_bases(value: Any, key: str) -> dict[str, str]:
    from kdocs.models.types import TYPE_KINDS

    table = expect_str_map(value, key)
    for name, kind in table.items():
        if kind not in TYPE_KINDS:
            raise ConfigError(f"`{key}.{name}`: unknown kind {kind!r}")
    return table


SETTINGS: dict[str, Setting] = {
    "modules": Setting(
        expect_str_list, (), "Module globs whose types are the public API (default: all)."
    ),
    "exclude-modules": Setting(expect_str_list, (), "Module globs whose types are left out."),
    "base-classes": Setting(
        expect_str_list,
        (),
        "Only types deriving from one of these classes (dotted or bare names) are the API.",
    ),
    "decorator": Setting(
        expect_str, "", "A decorator marking API types (also selects; empty: no marker)."
    ),
    "scope": Setting(
        expect_choice("api", "all"),
        "api",
        "`api`: serialised types (pydantic, msgspec, TypedDict) and the types their fields "
        "reach, no private classes or test code; `all`: every type kdocs recognises.",
    ),
    "kinds": Setting(_expect_kinds, (), "Type kinds to extract (default: all)."),
    "known-bases": Setting(
        _expect_known_bases,
        {},
        "Base classes kdocs cannot read, by dotted name, with their kind (pydantic...).",
    ),
    "python": Setting(
        expect_str, "", "An interpreter whose site-packages are searched for base classes."
    ),
    "search-paths": Setting(
        expect_str_list, (), "Extra folders searched for base classes outside the project."
    ),
}
