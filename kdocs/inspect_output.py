"""Render an extracted model for ``kdocs inspect`` as JSON, YAML or a readable text tree.

``python -m kdocs.inspect_output DIR`` writes the JSON Schema of each ``inspect`` output into
DIR (``site/reference/inspect`` in this repository; a test keeps the committed copy current).
"""

from __future__ import annotations

import dataclasses
import enum
import json
import operator
import sys
from collections.abc import Callable
from json.encoder import encode_basestring
from pathlib import Path, PurePath
from typing import Any, Protocol

import yaml

from kdocs.escape import escape_control
from kdocs.models.common import SCHEMA_VERSION
from kdocs.models.schema import inspect_data, schema_files
from kdocs.models.types import TypeExpr


class Sink(Protocol):
    """Where :func:`render_into` hands the text, piece by piece."""

    def write(self, piece: str) -> None:
        """Take the next piece of the text."""

    def restart(self) -> None:
        """Forget every piece written so far: the whole text follows again."""


class _Collected:
    def __init__(self) -> None:
        self.pieces: list[str] = []

    def write(self, piece: str) -> None:
        self.pieces.append(piece)

    def restart(self) -> None:
        self.pieces.clear()


def render_model(kind: str, model: Any, fmt: str) -> str:
    """``model`` as ``kdocs inspect KIND --format FMT`` prints it (``schema_version`` first in
    JSON and YAML)."""
    collected = _Collected()
    render_into(kind, model, fmt, collected)
    return "".join(collected.pieces)


def render_into(kind: str, model: Any, fmt: str, sink: Sink) -> None:
    """Write :func:`render_model`'s text to ``sink``. JSON comes in pieces of about a
    megabyte as the model is walked, so the caller can store them while the rest renders
    (``kdocs inspect types`` prints a hundred MB on a types-heavy tree). When the JSON
    writer meets a value it does not write itself, the sink is told to ``restart`` and gets
    the slow path's whole text."""
    if fmt == "json":
        try:
            sink.write(dumps_model(model, sink.write))
        except _Unusual:
            sink.restart()
            sink.write(json.dumps(inspect_data(model), indent=2, ensure_ascii=False) + "\n")
        return
    sink.write(_render_text(kind, model, fmt))


def _render_text(kind: str, model: Any, fmt: str) -> str:
    data = inspect_data(model)
    if fmt == "yaml":
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    renderer = {"cli": _cli_text, "types": _types_text, "imports": _imports_text}.get(kind)
    if renderer is None:
        lines = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100).splitlines()
    else:
        lines = renderer(data)
    # Text is for a terminal: escape control characters from the repository (help text,
    # flag names) so they cannot drive it, and one item stays on one line.
    return "\n".join(escape_control(line) for line in lines) + "\n"


class _Unusual(Exception):
    """A value :func:`dumps_model` does not encode itself (a set, a non-string key, an
    unknown type): the caller falls back to ``json.dumps`` of ``inspect_data``."""


_SHARED = (TypeExpr,)
"""Classes whose instances a model shares between many places (one ``TypeExpr`` object for
every ``Optional[str]`` field of a module): each is written once per depth, then reused.
The model is not changed while it is written, so an ``id`` stays the same object."""

_Layout = tuple[
    Callable[[Any], tuple[Any, ...]],
    tuple[str, ...],
    str,
    tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]],
]
_LAYOUTS: dict[tuple[type[Any], int], _Layout] = {}
"""Per (dataclass, depth): a getter of every field's value, the text before each value (the
first with ``{``, the others with ``,``; newline, indent and key), the closing ``}``, and
each prefix already followed by ``null``, ``true`` and ``false`` (no concatenation for the
most common values: about 8% of the render on cloudflare's 16,000 types)."""


def _layout(cls: type[Any], level: int) -> _Layout:
    fields = dataclasses.fields(cls)
    names = [str(field.metadata.get("json_key", field.name)) for field in fields]
    if len(set(names)) != len(names) or (level == 0 and "schema_version" in names):
        raise _Unusual  # keys that collide: a dict would keep the last one
    inner = "\n" + "  " * (level + 1)
    prefixes = tuple(
        ("," if index else "{") + inner + encode_basestring(name) + ": "
        for index, name in enumerate(names)
    )
    attrs = [field.name for field in fields]
    # attrgetter of one name returns a bare value, of none is an error.
    getter = operator.attrgetter(*attrs) if len(attrs) > 1 else _tuple_getter(attrs)
    closing = "\n" + "  " * level + "}"
    nulls, trues, falses = (tuple(p + text for p in prefixes) for text in ("null", "true", "false"))
    layout = _LAYOUTS[(cls, level)] = (getter, prefixes, closing, (nulls, trues, falses))
    return layout


def _tuple_getter(attrs: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    def get(value: Any) -> tuple[Any, ...]:
        return tuple(getattr(value, attr) for attr in attrs)

    return get


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _scalar(value: Any) -> str:
    """A value that is not a str, None, bool, dataclass, list, tuple or dict, as ``json``
    writes what ``to_data`` turns it into; :class:`_Unusual` when unsure."""
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return _float(value)
    if isinstance(value, PurePath):
        return encode_basestring(value.as_posix())
    if isinstance(value, enum.Enum):
        inner = value.value
        kind = type(inner)
        if kind is str:
            return encode_basestring(inner)
        if inner is None or kind is bool:
            return "null" if inner is None else ("true" if inner else "false")
        if kind in (int, float):
            return _scalar(inner)
    raise _Unusual


PIECE_PARTS = 65536
"""How many small strings :func:`dumps_model` joins into one piece for its ``emit``: about
a megabyte of JSON on cloudflare's types."""


def _ignore(_piece: str) -> None:
    pass


def dumps_model(model: Any, emit: Callable[[str], None] | None = None) -> str:
    """``json.dumps(inspect_data(model), indent=2, ensure_ascii=False) + "\\n"``, byte for
    byte, written straight from the dataclasses. With ``emit``, the text goes to it in
    pieces between the items of the model's own lists, and only the last piece is returned.

    ``kdocs inspect types`` on a types-heavy tree prints a hundred MB of JSON: building the
    intermediate dicts (``to_data``) and running the pure-Python indenting encoder took
    most of the command's time. This walks the model once, with each dataclass's key
    prefixes computed once per depth, strings and flags written inline, and shared type
    expressions written once per depth. Anything it is not sure to write exactly as
    ``json`` would (sets, non-string keys, unknown types) raises :class:`_Unusual`, and the
    caller takes the slow path.
    """
    parts: list[str] = []
    append = parts.append
    piece_parts = PIECE_PARTS if emit is not None else sys.maxsize
    handout = emit if emit is not None else _ignore
    memo: dict[tuple[int, int], str] = {}  # (id, depth) of a shared value -> its text
    pads = ["\n"]

    def pad(level: int) -> str:
        while len(pads) <= level:
            pads.append("\n" + "  " * len(pads))
        return pads[level]

    def write(value: Any, layout: _Layout, level: int) -> None:
        getter, prefixes, closing, (nulls, trues, falses) = layout
        for index, item in enumerate(getter(value)):
            kind = type(item)
            if item is None:
                append(nulls[index])
            elif kind is str:
                append(prefixes[index] + encode_basestring(item))
            elif kind is int:
                append(prefixes[index] + int.__repr__(item))
            elif item is True:
                append(trues[index])
            elif item is False:
                append(falses[index])
            else:
                prefix = prefixes[index]
                append(prefix)
                inner = _LAYOUTS.get((kind, level + 1))
                if inner is not None and inner[1] and kind not in _SHARED:
                    write(item, inner, level + 1)  # a nested dataclass (a source location)
                else:
                    encode(item, level + 1)
        append(closing)

    def encode(value: Any, level: int) -> None:
        kind = type(value)
        if kind is str:
            append(encode_basestring(value))
        elif value is None:
            append("null")
        elif value is True:
            append("true")
        elif value is False:
            append("false")
        elif kind is int:
            append(int.__repr__(value))
        elif kind is list or kind is tuple:
            if not value:
                append("[]")
                return
            opening = "[" + pad(level + 1)
            later = "," + pad(level + 1)
            # Between the items of the model's own lists (level 1: types, clis), never
            # inside a shared value being written once (those lie deeper).
            pieces = level <= 1
            for index, item in enumerate(value):
                append(later if index else opening)
                inner = _LAYOUTS.get((type(item), level + 1))
                if inner is not None and inner[1] and type(item) not in _SHARED:
                    write(item, inner, level + 1)  # a list of dataclasses (fields, types)
                else:
                    encode(item, level + 1)
                if pieces and len(parts) >= piece_parts:
                    handout("".join(parts))
                    parts.clear()
            append(pad(level) + "]")
        elif kind is dict:
            if not value:
                append("{}")
                return
            opening = "{" + pad(level + 1)
            later = "," + pad(level + 1)
            for index, (key, item) in enumerate(value.items()):
                if type(key) is not str:
                    raise _Unusual
                append((later if index else opening) + encode_basestring(key) + ": ")
                encode(item, level + 1)
            append(pad(level) + "}")
        else:
            layout = _LAYOUTS.get((kind, level))
            if layout is None:
                if not dataclasses.is_dataclass(kind):
                    append(_scalar(value))
                    return
                layout = _layout(kind, level)
            if not layout[1]:
                append("{}")
            elif kind in _SHARED:
                key = (id(value), level)
                text = memo.get(key)
                if text is None:
                    start = len(parts)
                    write(value, layout, level)
                    text = memo[key] = "".join(parts[start:])
                    del parts[start:]
                append(text)
            else:
                write(value, layout, level)

    kind = type(model)
    if not dataclasses.is_dataclass(kind):
        raise TypeError(f"{kind.__name__} is not a model dataclass")
    getter, prefixes, _, _ = _LAYOUTS.get((kind, 0)) or _layout(kind, 0)
    append("{" + pad(1) + f'"schema_version": {SCHEMA_VERSION}')
    # The model's own keys follow schema_version: each takes the "," form of its prefix.
    for prefix, item in zip(prefixes, getter(model) if prefixes else (), strict=True):
        append("," + prefix[1:])
        encode(item, 1)
    append("\n}\n")
    return "".join(parts)


def _first_line(text: str | None) -> str:
    if not text:
        return ""
    return text.strip().splitlines()[0] if text.strip() else ""


def _cli_text(data: dict[str, Any]) -> list[str]:
    lines: list[str] = []

    def walk(cmd: dict[str, Any], depth: int) -> None:
        pad = "  " * depth
        src = cmd.get("source") or {}
        where = f"  [{src.get('file')}:{src.get('line')}]" if src else ""
        summary = _first_line(cmd.get("short_help") or cmd.get("help"))
        flags = " (hidden)" if cmd.get("hidden") else ""
        lines.append(
            f"{pad}{' '.join(cmd['path'])}{flags}{' - ' + summary if summary else ''}{where}"
        )
        for arg in cmd.get("arguments", []):
            lines.append(f"{pad}    <{arg['name']}>{'' if arg.get('required') else ' (optional)'}")
        for opt in cmd.get("options", []):
            names = ", ".join(opt["names"] + opt.get("secondary_names", []))
            helptext = _first_line(opt.get("help"))
            lines.append(f"{pad}    {names}{'  ' + helptext if helptext else ''}")
        for note in cmd.get("unresolved", []):
            lines.append(
                f"{pad}    ! unresolved: {note['message']} ({note['file']}:{note['line']})"
            )
        for sub in cmd.get("subcommands", []):
            walk(sub, depth + 1)

    for root in data.get("clis", []):
        walk(root, 0)
    for entry in data.get("unresolved_entry_points", []):
        lines.append(
            f"! console script `{entry['name']}` = {entry['target']} not resolved: "
            f"{entry['reason']}"
        )
    return lines or ["(no command-line interfaces found)"]


def _types_text(data: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for t in data.get("types", []):
        lines.append(f"{t['module']}.{t['name']} ({t['kind']})")
        for f in t.get("fields", []):
            renamed = f" -> {f['serialized_name']}" if f["serialized_name"] != f["name"] else ""
            req = "" if f.get("required") else " (optional)"
            lines.append(f"    {f['name']}{renamed}: {f.get('type')}{req}")
    return lines or ["(no API types found)"]


def _imports_text(data: dict[str, Any]) -> list[str]:
    lines = [
        f"{i['importer']} -> {i['imported']}  (line {i['line']})" for i in data.get("imports", [])
    ]
    return lines or ["(no imports found)"]


def write_schemas(out: Path) -> list[str]:
    """Write every inspect schema into ``out``; return the names of the files that changed."""
    from kdocs.writer import atomic_replace

    out.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in schema_files().items():
        path = out / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            atomic_replace(path, text.encode("utf-8"))
            changed.append(name)
    return changed


if __name__ == "__main__":  # pragma: no cover - a maintainer's regeneration command
    if len(sys.argv) != 2:
        sys.exit("usage: python -m kdocs.inspect_output DIR")
    for name in write_schemas(Path(sys.argv[1])):
        print(f"wrote {name}")
