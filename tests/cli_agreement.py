"""Compare two command trees (static vs runtime) field by field; used by the CLI tests."""

from __future__ import annotations

import re
from typing import Any

from kdocs.models.cli import Command

OPTION_FIELDS = (
    "secondary_names",
    "help",
    "required",
    "multiple",
    "is_flag",
    "hidden",
    "default",
    "choices",
    "type",
    "metavar",
    "count",
    "flag_value",
    "nargs",
    "dest",
)
ARGUMENT_FIELDS = ("required", "nargs", "help", "metavar", "choices", "hidden", "type", "default")
COMMAND_FIELDS = ("help", "short_help", "hidden", "aliases", "epilog", "usage", "is_group")


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"\s+", " ", value).strip() or None
    if isinstance(value, list):
        return tuple(value)
    return value


def flatten(root: Command) -> dict[tuple[str, ...], dict[str, Any]]:
    """{path relative to the root: {field: value, ("option", names): {...}, ...}}."""
    out: dict[tuple[str, ...], dict[str, Any]] = {}
    for cmd in root.walk():
        entry: dict[str, Any] = {f: _norm(getattr(cmd, f)) for f in COMMAND_FIELDS}
        for opt in cmd.options:
            entry[f"option {' '.join(opt.names)}"] = {
                f: _norm(getattr(opt, f)) for f in OPTION_FIELDS
            }
        for arg in cmd.arguments:
            entry[f"argument {arg.name}"] = {f: _norm(getattr(arg, f)) for f in ARGUMENT_FIELDS}
        out[cmd.path[1:]] = entry
    return out


def differences(static: Command, runtime: Command) -> list[str]:
    """Every field where the static tree differs from the runtime tree (empty: agreement)."""
    a, b = flatten(static), flatten(runtime)
    diffs: list[str] = []
    for path in sorted(set(a) | set(b)):
        if path not in a or path not in b:
            diffs.append(
                f"{' '.join(path) or '<root>'}: only in {'runtime' if path in b else 'static'}"
            )
            continue
        for key in sorted(set(a[path]) | set(b[path])):
            left, right = a[path].get(key), b[path].get(key)
            if isinstance(left, dict) and isinstance(right, dict):
                for field in sorted(set(left) | set(right)):
                    if left.get(field) != right.get(field):
                        diffs.append(
                            f"{' '.join(path) or '<root>'} {key} {field}: "
                            f"static={left.get(field)!r} runtime={right.get(field)!r}"
                        )
            elif left != right:
                diffs.append(
                    f"{' '.join(path) or '<root>'} {key}: static={left!r} runtime={right!r}"
                )
    return diffs
