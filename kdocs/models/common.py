"""Primitives every model kind shares: where something is, what could not be resolved, the
version of the ``kdocs inspect`` contract, and the marker for position-only fields.

A position field (:data:`POSITION` in a field's metadata) says *where* something is in the
source (a ``source`` location, a ``line``), not *what* it is: a diff of two models (two
revisions of a project) ignores these, so moving a command down a file is not a change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kdocs.models.serialize import to_data

SCHEMA_VERSION = 1
"""The version of the ``kdocs inspect`` JSON contract, written as ``schema_version`` in every
output. It grows when a key changes meaning or is removed; adding keys does not change it."""

POSITION: Mapping[str, Any] = {"position": True}
"""Field metadata of a position-only field: ``field(default=None, metadata=POSITION)``."""


def is_position(field: dataclasses.Field[Any]) -> bool:
    """Whether a dataclass field only says where something is (see :data:`POSITION`)."""
    return bool(field.metadata.get("position"))


def strip_positions(value: Any) -> Any:
    """A model's JSON data (as :func:`~kdocs.models.serialize.to_data` gives it) without its
    position fields, for comparing two revisions of a project."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for field in dataclasses.fields(value):
            if is_position(field):
                continue
            key = field.metadata.get("json_key", field.name)
            out[key] = strip_positions(getattr(value, field.name))
        return out
    if isinstance(value, (list, tuple)):
        return [strip_positions(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): strip_positions(v) for k, v in value.items()}
    return to_data(value)


@dataclass(frozen=True)
class SourceLocation:
    """Where something is defined: a project-relative POSIX path and 1-based line/column.

    Rules use it to put findings on the line that declares a command, option or field.
    """

    file: str
    """file is the project-relative POSIX path of the defining file, e.g. ``"pkg/cli.py"``
    (a path outside the project is kept as found); empty when kdocs does not know it."""
    line: int
    """line is the 1-based line of the definition (the ``class``/``def`` statement, the
    decorator or the ``add_argument`` call); 0 when only the file is known."""
    column: int = 1
    """column is the 1-based column where the definition starts (1 when unknown)."""


@dataclass(frozen=True)
class Unresolved:
    """Something static analysis saw but could not resolve: a loop, a factory, dynamic help,
    an import that names no module, a layout problem of the package tree.

    kdocs reports these instead of guessing; the runtime inspector is the escape hatch. The
    command, type and import models all use this one class.
    """

    message: str
    """message says what could not be resolved and why, in one line for humans."""
    file: str
    """file is the project-relative POSIX path of the code in question; empty when unknown."""
    line: int = dataclasses.field(default=0, metadata=POSITION)
    """line is the 1-based line of the code in question (1 for a layout problem of the
    import graph); 0 when unknown."""
    reason: str = ""
    """reason is a stable token for the import graph's problems: ``relative-beyond-top-level``,
    ``missing-module``, ``shadowed-module`` or ``missing-init``; empty in the command and type
    models, whose notes are for humans only."""
    importer: str = ""
    """importer is, in the import graph, the dotted name of the module with the statement
    (for a layout problem, the shadowed module or the namespace package); empty otherwise or
    when unknown."""
    target: str = ""
    """target is, in the import graph, the dotted name that could not be resolved, relative
    dots kept (e.g. ``"..util"``), or the module/package a layout problem is about; empty
    otherwise or when unknown."""

    def sort_key(self) -> tuple[str, int, str, str, str, str]:
        """The import graph's order: by file, line, reason, then message."""
        return (self.file, self.line, self.reason, self.message, self.importer, self.target)
