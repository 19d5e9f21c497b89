"""The linked types model, cached: a warm run over an unchanged tree skips the link step.

Linking (following bases, merging fields, computing serialized names) costs more than
loading the per-file facts on a large tree, so the finished model is stored next to the
per-file cache. It is reused only when nothing it depends on changed: the extractor version,
the ``types`` settings, the search path, the stat (mtime, size, inode, ctime) of every
project file, and the stat of every installed module that was read while linking.

``kdocs inspect types`` writes it from a forked child while it renders its output
(:func:`kdocs.background.saving_in_background`): encoding the model and rendering it each
take about a second on a types-heavy tree, and after the extraction pool the second core is
free. The command waits for the child before it returns, so the file is always complete
when the next command runs (and a torn one would fail its seal anyway).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import operator
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from kdocs import background, cacheseal, readlog
from kdocs.models.cli import SourceLocation, Unresolved
from kdocs.models.types import Field, TypeDef, TypeExpr, TypesModel

FORMAT = 6


def fingerprint(
    version: str,
    settings: Mapping[str, Any],
    search_paths: Iterable[Path],
    files: Iterable[tuple[str, Sequence[int]]],
) -> str:
    """The key of the linked model: the version, settings, search path, and every project
    file with its stamp (``(size, mtime_ns, inode, ctime_ns, ...)``: the run's one stat of
    each file, :attr:`kdocs.project.Project.stamps`)."""
    digest = hashlib.sha256()
    head = [FORMAT, version, sorted(settings.items()), [str(p) for p in search_paths]]
    digest.update(json.dumps(head, default=repr, sort_keys=True).encode())
    parts = []
    for relpath, stamp in files:
        size, mtime, inode, ctime = stamp[:4]
        parts.append(f"{relpath}\0{mtime},{size},{inode},{ctime}")
    digest.update("\0".join(parts).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _stat(path: Path | str) -> list[int]:
    try:
        st = os.stat(path)
    except OSError:
        return [0, -1]
    # inode and ctime too: an edit that restores size and mtime still changes the ctime.
    return [st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns]


def load(path: Path | None, key: str, externals: list[str] | None = None) -> TypesModel | None:
    """The model stored under ``key`` when every installed module it read is unchanged;
    those modules' paths are appended to ``externals`` (what the model depends on besides
    the key)."""
    if path is None:
        return None
    data = cacheseal.read_binary(path)  # a planted (unsealed) file is ignored
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
        return None
    read = []
    for external, stat in data.get("externals", ()):
        if _stat(external) != stat:
            return None
        read.append(external)
    reads = readlog.decode_reads(data.get("reads"))
    if reads is None:
        return None
    try:
        model = from_rows(data["model"])
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    if externals is not None:
        externals.extend(read)
    readlog.replay(reads)
    return model


def save(
    path: Path | None,
    key: str,
    model: TypesModel,
    externals: Iterable[str],
    reads: Iterable[readlog.Read] = (),
) -> None:
    """Store ``model`` under ``key`` with the stat of every installed module it was linked
    from and the project reads its link made (replayed on load: a check answered by this
    model depends on them as if it had linked it), in a child process within
    :func:`kdocs.background.saving_in_background`."""
    if path is None:
        return
    read = list(externals)
    rows = readlog.encode_reads(reads)
    background.run(lambda: _save(path, key, model, read, rows))


def _save(
    path: Path, key: str, model: TypesModel, externals: Iterable[str], reads: list[Any]
) -> None:
    data = {
        "format": FORMAT,
        "key": key,
        "externals": [[e, _stat(e)] for e in sorted(set(externals))],
        "reads": reads,
        "model": to_rows(model),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        cacheseal.write_binary(path, data)
        cacheseal.remove_if_sealed(path.with_suffix(".json"))  # FORMAT 5 and older: JSON
    except OSError:
        pass


# Rows: each dataclass as a list of its values in field order (no repeated keys, and
# rebuilding with positional arguments is several times faster than from dicts).
_FIELD_NAMES = [f.name for f in dataclasses.fields(Field)]
_TYPE_NAMES = [f.name for f in dataclasses.fields(TypeDef)]
_F_SOURCE = _FIELD_NAMES.index("source")
_F_EXPR = _FIELD_NAMES.index("type_expr")
_T_SOURCE = _TYPE_NAMES.index("source")
_T_FIELDS = _TYPE_NAMES.index("fields")
_T_BASES = _TYPE_NAMES.index("bases")
_T_UNRESOLVED = _TYPE_NAMES.index("unresolved")
# One C call per object instead of a getattr per field (a hundred thousand fields).
_field_values = operator.attrgetter(*_FIELD_NAMES)
_type_values = operator.attrgetter(*_TYPE_NAMES)


def _loc_row(loc: SourceLocation | None) -> list[Any] | None:
    return None if loc is None else [loc.file, loc.line, loc.column]


def _unresolved_rows(items: Iterable[Unresolved]) -> list[list[Any]]:
    return [[u.message, u.file, u.line] for u in items]


def _expr_row(expr: TypeExpr | None) -> list[Any] | None:
    if expr is None:
        return None
    return [
        expr.kind,
        expr.name,
        expr.ref,
        [_expr_row(a) for a in expr.args],
        list(expr.values),
        expr.constraints,
        expr.text,
        expr.resolved,
    ]


def _expr_from_row(row: list[Any]) -> TypeExpr:
    kind, name, ref, args, values, constraints, text, resolved = row
    return TypeExpr(
        kind=kind,
        name=name,
        ref=ref,
        args=tuple(_expr_from_row(a) for a in args),
        values=tuple(values),
        constraints=constraints,
        text=text,
        resolved=resolved,
    )


class _ExprTable:
    """Type expressions stored once each (most fields share a few: ``str``,
    ``Optional[str]``...), referenced from field rows by index: a smaller file, a faster
    load, and shared objects in memory."""

    def __init__(self) -> None:
        self.rows: list[list[Any]] = []
        self.index: dict[str, int] = {}
        self.seen: dict[int, tuple[TypeExpr, int]] = {}

    def add(self, expr: TypeExpr | None) -> int | None:
        if expr is None:
            return None
        known = self.seen.get(id(expr))
        if known is not None and known[0] is expr:
            return known[1]  # the same object (inherited fields share their expression)
        row = _expr_row(expr)
        if row is None:
            return None
        # repr, not json.dumps(sort_keys=True): three times cheaper, and two expressions
        # whose constraints differ only in key order stay apart (each loads as written).
        key = repr(row)
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.rows)
            self.rows.append(row)
        self.seen[id(expr)] = (expr, found)
        return found


def _type_rows(types: Iterable[TypeDef], exprs: _ExprTable) -> list[list[Any]]:
    rows = []
    for t in types:
        row = list(_type_values(t))
        row[_T_SOURCE] = _loc_row(t.source)
        row[_T_BASES] = list(t.bases)
        row[_T_UNRESOLVED] = _unresolved_rows(t.unresolved)
        fields = []
        for f in t.fields:
            frow = list(_field_values(f))
            frow[_F_SOURCE] = _loc_row(f.source)
            frow[_F_EXPR] = exprs.add(f.type_expr)
            fields.append(frow)
        row[_T_FIELDS] = fields
        rows.append(row)
    return rows


def to_rows(model: TypesModel) -> dict[str, Any]:
    exprs = _ExprTable()
    return {
        "types": _type_rows(model.types, exprs),
        "external": _type_rows(model.external, exprs),
        "exprs": exprs.rows,
        "unresolved": _unresolved_rows(model.unresolved),
    }


def _types_from_rows(rows: Iterable[list[Any]], exprs: list[TypeExpr]) -> tuple[TypeDef, ...]:
    types = []
    for row in rows:
        fields = []
        for frow in row[_T_FIELDS]:
            loc = frow[_F_SOURCE]
            if loc is not None:
                frow[_F_SOURCE] = SourceLocation(*loc)
            if frow[_F_EXPR] is not None:
                frow[_F_EXPR] = exprs[frow[_F_EXPR]]
            fields.append(Field(*frow))
        loc = row[_T_SOURCE]
        row[_T_SOURCE] = SourceLocation(*loc) if loc is not None else None
        row[_T_FIELDS] = tuple(fields)
        row[_T_BASES] = tuple(row[_T_BASES])
        unresolved = row[_T_UNRESOLVED]
        row[_T_UNRESOLVED] = tuple(Unresolved(*u) for u in unresolved) if unresolved else ()
        types.append(TypeDef(*row))
    return tuple(types)


def from_rows(data: Mapping[str, Any]) -> TypesModel:
    exprs = [_expr_from_row(row) for row in data.get("exprs", ())]
    return TypesModel(
        types=_types_from_rows(data["types"], exprs),
        external=_types_from_rows(data.get("external", ()), exprs),
        unresolved=tuple(Unresolved(*u) for u in data["unresolved"]),
    )
