"""Turn model dataclasses into JSON-ready data (the public ``kdocs inspect`` contract)."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any


def to_data(value: Any) -> Any:
    """Convert dataclasses, tuples, enums and paths recursively into plain JSON values.

    Dataclass fields keep their declared names, so the model's field names *are* the JSON
    keys of the public contract; a field whose metadata has ``json_key`` is renamed.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for field in dataclasses.fields(value):
            key = field.metadata.get("json_key", field.name)
            out[key] = to_data(getattr(value, field.name))
        return out
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, Mapping):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [to_data(v) for v in value]
        return sorted(items) if isinstance(value, (set, frozenset)) else items
    return value
