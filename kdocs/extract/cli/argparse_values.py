"""Values and constant folding shared by argparse's per-file facts and its link-time replay.

A *term* (:data:`Term`) is the JSON form of an expression in the cached facts; folding
applies text functions, subscripts and builtins as soon as their inputs are constants, in
the facts (per file) or at replay (across files). The replay's own values that are not plain
JSON (an unknown value with its reason, ``argparse.SUPPRESS``, a reference to a project
function or module, a dict view) live here too, so the folding helpers can return them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kdocs.extract import constfold

_STR_METHODS = constfold.STR_METHODS
"""The string methods folded on constants: the shared table of :mod:`kdocs.extract.constfold`."""
Term = dict[str, Any]
_NO: Any = constfold.NO


def _items(term: Term) -> list[Term] | None:
    if "c" in term and isinstance(term["c"], list):
        return [{"c": v} for v in term["c"]]
    if "list" in term:
        items: list[Term] = term["list"]
        return items
    return None


def _list(items: list[Term]) -> Term:
    if all("c" in i for i in items):
        return {"c": [i["c"] for i in items]}
    return {"list": items}


def _subscript(base: Any, index: Any, bounds: list[Any] | None, src: str) -> Any:
    try:
        if bounds is not None:
            if isinstance(base, (str, list)) and all(
                b is None or isinstance(b, int) for b in bounds
            ):
                return base[slice(*bounds)]
        elif isinstance(base, (str, list)) and isinstance(index, int):
            return base[index]
        elif isinstance(base, dict) and isinstance(index, (str, int, float, bool)):
            return base[str(index)] if str(index) in base else _Unknown(src)
    except (IndexError, TypeError, ValueError):
        pass
    return _Unknown(src)


def _builtin(name: str, values: list[Any]) -> Any:
    if len(values) != 1:
        return _NO
    value = values[0]
    if isinstance(value, _View):
        value = value.items()
    folded = constfold.builtin(name, value)
    if folded is not _NO or name == "str":
        return folded
    # Pairs of a dict view hold replay objects (``for name, sub in list(subs.items())``):
    # order-only builtins and len need no constants, only a bounded list.
    if isinstance(value, dict):
        value = list(value)
    if not isinstance(value, list) or len(value) > constfold.MAX_TEXT:
        return _NO
    if not all(_plain(v) for v in value):
        return _NO
    if name == "len":
        return len(value)
    if name == "reversed":
        return list(reversed(value))
    return list(value) if name in ("list", "tuple", "set") else _NO


def _fold_sub(term: Term) -> Term:
    base = term["sub"]
    if "c" not in base:
        return term
    if "slice" in term:
        if all("c" in b for b in term["slice"]):
            value = _subscript(base["c"], None, [b["c"] for b in term["slice"]], "")
            return term if isinstance(value, _Unknown) else {"c": value}
        return term
    if "c" in term["idx"]:
        value = _subscript(base["c"], term["idx"]["c"], None, "")
        return term if isinstance(value, _Unknown) else {"c": value}
    return term


def _fold_builtin(term: Term) -> Term:
    if all("c" in a for a in term["a"]):
        value = _builtin(term["bi"], [a["c"] for a in term["a"]])
        if value is not _NO:
            return {"c": value}
    return term


def _cat(parts: list[Term]) -> Term:
    if all("c" in p for p in parts) and (
        all(isinstance(p["c"], str) for p in parts) or all(isinstance(p["c"], list) for p in parts)
    ):
        value = concat([p["c"] for p in parts])
        if value is not _NO:
            return {"c": value}
    return {"cat": parts}


def concat(values: list[Any]) -> Any:
    """Strings or lists joined end to end (``a + b + f"..."``, ``parents = common + [p]``),
    bounded like every fold. List items may be replay objects (parsers), not only constants."""
    if sum(len(v) for v in values) > constfold.MAX_TEXT:
        return _NO
    if all(isinstance(v, str) for v in values):
        return "".join(values)
    return [item for value in values for item in value]


def _fold(term: Term) -> Term:
    """Apply a text function now when every input is a constant."""
    inputs = [term["a"], *term.get("args", []), *term.get("kw", {}).values()]
    if all("c" in t for t in inputs):
        value = _apply_text(
            term["fn"],
            term["a"]["c"],
            [a["c"] for a in term.get("args", [])],
            {k: v["c"] for k, v in term.get("kw", {}).items()},
        )
        if value is not _NO:
            return {"c": value}
    return term


def _apply_text(fn: str, base: Any, args: list[Any], kw: dict[str, Any]) -> Any:
    """A text function (``dedent``, a gettext marker), ``%`` or a string method, folded by the
    shared table of :mod:`kdocs.extract.constfold`; ``_NO`` when it does not fold."""
    if fn in constfold.TEXT_FUNCTIONS:
        return constfold.text_function(fn, base)
    if fn == "percent":
        return constfold.percent(base, args[0]) if args else _NO
    result = constfold.str_method(base, fn, args, kw)
    if isinstance(result, list) and not all(isinstance(r, str) for r in result):
        return _NO
    return result if isinstance(result, (str, bool, list)) else _NO


class _Unknown:
    def __init__(self, text: str, loop: bool = False) -> None:
        self.text = text
        self.loop = loop

    def __repr__(self) -> str:
        return f"<unknown {self.text}>"


class _Suppress:
    pass


SUPPRESS = _Suppress()


@dataclass
class _FuncRef:
    target: str
    bound: Any = None  # the ``self`` of a bound method passed as a value


@dataclass
class _ModuleRef:
    module: str


@dataclass
class _View:
    kind: str
    mapping: dict[str, Any]

    def items(self) -> list[Any]:
        if self.kind == "items":
            return [[k, v] for k, v in self.mapping.items()]
        if self.kind == "keys":
            return list(self.mapping)
        return list(self.mapping.values())


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, list))
