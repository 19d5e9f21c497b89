"""Which types are the documented API: module globs, kinds, base classes, a decorator."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from typing import Any

from kdocs.extract.types.fields import ClassInfo
from kdocs.models.types import TypeDef


def selected(typedef: TypeDef, info: ClassInfo, settings: Mapping[str, Any]) -> bool:
    """Whether a type is part of the documented API (module globs, bases, marker, kinds)."""
    kinds = settings.get("kinds")
    if kinds and typedef.kind not in kinds:
        return False
    modules = settings.get("modules") or ()
    if modules and not any(fnmatch.fnmatchcase(typedef.module, g) for g in modules):
        return False
    excluded = settings.get("exclude-modules") or ()
    if any(fnmatch.fnmatchcase(typedef.module, g) for g in excluded):
        return False
    base_filter = settings.get("base-classes") or ()
    marker = settings.get("decorator")
    if not base_filter and not marker:
        return True
    if marker and "decorator" in info.markers:
        return True
    bases = [m[5:] for m in info.markers if m.startswith("base:")]
    return any(
        base == wanted or ("." not in wanted and base.rsplit(".", 1)[-1] == wanted)
        for base in bases
        for wanted in base_filter
    )
