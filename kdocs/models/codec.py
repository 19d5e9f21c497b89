"""JSON data -> frozen model dataclasses, driven by the dataclasses' own type hints.

The inverse of :func:`kdocs.models.serialize.to_data`, used to rebuild cached linked models
(never pickle: the cache lives in the repository, where a pull request could plant a file).
Nothing here names a model field, so keys other engineers add to the models are decoded
without edits here: each dataclass's hints are read once and compiled into a small decoder.

Supported hints: dataclasses, ``str``/``int``/``float``/``bool``/``None``, paths, ``Any`` (JSON
values), ``tuple[X, ...]``, ``tuple[X, Y]``, ``list[X]``, ``dict[str, X]``, enums, and unions
of these (``X | None``; a union of scalars keeps the value as it is).

``encode`` is ``to_data`` plus fidelity for ``Any`` fields: a tuple held in an ``Any`` field
(an option's default ``("a", "b")``) comes back as a tuple, not a list, so a rule sees the
cached model exactly as the cold run linked it. ``decode(cls, data, exact=True)`` reads that
form; ``decode(cls, to_data(m))`` reads the public form (tuples in ``Any`` become lists).
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import Any, TypeVar

T = TypeVar("T")

Decoder = Callable[[Any], Any]

_TUPLE = "__kdocs_tuple__"
_DICT = "__kdocs_dict__"


class DecodeError(ValueError):
    """The data does not have the shape the model's type hints describe."""


def encode(value: Any) -> Any:
    """Model -> JSON value, like ``to_data`` but tagging tuples and dicts in ``Any`` fields."""
    return _encode(value, exact=False)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _encode(value: Any, *, exact: bool) -> Any:
    # Exact types first and each dataclass's fields read once (:func:`_plan`): a linked
    # import graph holds tens of thousands of small objects (django: 11,000 imports), mostly
    # strings, numbers and tuples (subclasses take the general path below).
    cls = type(value)
    if cls in _SCALARS:
        return value
    if cls is tuple:
        items = [_encode(v, exact=exact) for v in value]
        return {_TUPLE: items} if exact else items
    if cls is list:
        return [_encode(v, exact=exact) for v in value]
    if cls is dict:
        data = {str(k): _encode(v, exact=exact) for k, v in value.items()}
        return {_DICT: data} if exact else data
    plan = _plan(cls)
    if plan is not None:
        return {
            key: _encode(getattr(value, name), exact=loose or exact) for key, name, loose in plan
        }
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, Mapping):
        data = {str(k): _encode(v, exact=exact) for k, v in value.items()}
        return {_DICT: data} if exact else data
    if isinstance(value, tuple):
        items = [_encode(v, exact=exact) for v in value]
        return {_TUPLE: items} if exact else items
    if isinstance(value, (list, set, frozenset)):
        items = [_encode(v, exact=exact) for v in value]
        return sorted(items) if isinstance(value, (set, frozenset)) else items
    return value


def _is_any(hint: Any) -> bool:
    return hint is Any or hint == "Any"


_Plan = tuple[tuple[str, str, bool], ...]
_PLANS: dict[type, _Plan | None] = {}


def _plan(cls: type) -> _Plan | None:
    """``(JSON key, attribute, holds Any)`` per field of a dataclass; ``None`` for any other
    class. Read once per class."""
    try:
        return _PLANS[cls]
    except KeyError:
        pass
    plan = None
    if dataclasses.is_dataclass(cls):
        plan = tuple(
            (f.metadata.get("json_key", f.name), f.name, _is_any(f.type))
            for f in dataclasses.fields(cls)
        )
    _PLANS[cls] = plan
    return plan


def decode(cls: type[T], data: Any, *, exact: bool = False) -> T:
    """Rebuild a ``cls`` instance from JSON data; :class:`DecodeError` on a shape mismatch."""
    try:
        value: T = _decoder(cls, exact)(data)
    except DecodeError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError) as err:
        raise DecodeError(f"cannot decode {cls.__name__}: {err}") from None
    return value


_DECODERS: dict[tuple[Any, bool], Decoder] = {}


def _decoder(hint: Any, exact: bool) -> Decoder:
    key = (hint, exact)
    found = _DECODERS.get(key)
    if found is None:
        found = _build(hint, exact)
        _DECODERS[key] = found
    return found


def _build(hint: Any, exact: bool) -> Decoder:
    if hint is Any:
        return _any_exact if exact else _identity
    if hint is None or hint is type(None):
        return _expect_none
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_decoder(hint, exact)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint
    if hint in (str, int, float, bool):
        return _scalar(hint)
    if isinstance(hint, type) and issubclass(hint, PurePath):
        return lambda data: hint(_scalar(str)(data))
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return _union_decoder(args, exact)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0], exact)
            return lambda data: tuple(item(v) for v in _expect_list(data))
        parts = [_decoder(a, exact) for a in args]
        return lambda data: tuple(p(v) for p, v in zip(parts, _expect_list(data), strict=True))
    if origin is list:
        item = _decoder(args[0], exact) if args else _identity
        return lambda data: [item(v) for v in _expect_list(data)]
    if origin is dict:
        value = _decoder(args[1], exact) if len(args) == 2 else _identity
        return lambda data: {k: value(v) for k, v in _expect_dict(data).items()}
    raise DecodeError(f"unsupported type hint {hint!r}")


def _dataclass_decoder(cls: type[Any], exact: bool) -> Decoder:
    fields: list[tuple[str, str, Decoder]] = []

    def build(data: Any) -> Any:
        mapping = _expect_dict(data)
        kwargs = {name: dec(mapping[key]) for name, key, dec in fields if key in mapping}
        return cls(**kwargs)

    # Registered before its fields are compiled: a recursive model (a command's subcommands
    # are commands) then finds this decoder instead of building it again forever.
    _DECODERS[(cls, exact)] = build
    hints = typing.get_type_hints(cls)
    fields.extend(
        (f.name, f.metadata.get("json_key", f.name), _decoder(hints[f.name], exact))
        for f in dataclasses.fields(cls)
        if f.init
    )
    return build


def _union_decoder(args: tuple[Any, ...], exact: bool) -> Decoder:
    others = [a for a in args if a is not type(None)]
    composite = [a for a in others if a not in (str, int, float, bool) and a is not Any]
    if not composite:
        return _any_exact if exact and Any in others else _identity
    if len(composite) > 1:
        raise DecodeError(f"ambiguous union {args!r}")
    inner = _decoder(composite[0], exact)
    scalars = tuple(a for a in others if a in (str, int, float, bool))

    def decode_union(data: Any) -> Any:
        if data is None:
            return None
        if scalars and isinstance(data, scalars):
            return data
        return inner(data)

    return decode_union


def _identity(data: Any) -> Any:
    return data


def _any_exact(data: Any) -> Any:
    if isinstance(data, list):
        return [_any_exact(v) for v in data]
    if isinstance(data, dict):
        if len(data) == 1 and _TUPLE in data:
            return tuple(_any_exact(v) for v in _expect_list(data[_TUPLE]))
        if len(data) == 1 and _DICT in data:
            return {k: _any_exact(v) for k, v in _expect_dict(data[_DICT]).items()}
        return {k: _any_exact(v) for k, v in data.items()}
    return data


def _expect_none(data: Any) -> None:
    if data is not None:
        raise DecodeError(f"expected null, got {type(data).__name__}")


def _scalar(kind: type[Any]) -> Decoder:
    def check(data: Any) -> Any:
        # bool is an int in Python; JSON keeps them apart, and so does the model.
        if not isinstance(data, kind) or (kind is int and isinstance(data, bool)):
            if kind is float and isinstance(data, int) and not isinstance(data, bool):
                return float(data)
            raise DecodeError(f"expected {kind.__name__}, got {type(data).__name__}")
        return data

    return check


def _expect_list(data: Any) -> list[Any]:
    if not isinstance(data, list):
        raise DecodeError(f"expected a list, got {type(data).__name__}")
    return data


def _expect_dict(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise DecodeError(f"expected an object, got {type(data).__name__}")
    return data
