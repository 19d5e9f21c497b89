"""The one constant folder: operations kdocs applies to constants found in analysed source.

The click/typer interpreter (:mod:`kdocs.extract.cli.interp`), argparse's facts and replay
(:mod:`kdocs.extract.cli.argparse_values`) and the alias-generator interpreter of the types
extractor (:mod:`kdocs.extract.types.evaluate`) each used to keep their own whitelist of string
methods and their own ``+``/``*``/``%``; they disagreed on what folds, and none bounded the
size of a result. Here is the single table, and every operation is bounded: the source is
hostile input, and ``"x" * 10**9``, ``A = A + A`` thirty times, ``"{:>999999999}".format(1)``
or ``"%999999999d" % 1`` must not exhaust memory. Anything not foldable returns :data:`NO`,
never raises.

Values are plain Python constants: ``str``, ``int``, ``float``, ``bool``, ``None`` and lists
of them (tuples are folded as lists).
"""

from __future__ import annotations

import inspect
import re
import string
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any, Final


class _No:
    """The 'cannot fold' marker (a class, so it is never equal to a folded value)."""

    def __repr__(self) -> str:
        return "NO"


NO: Final[Any] = _No()
"""Returned whenever an operation cannot be folded (unknown method, wrong types, too big)."""

MAX_TEXT = 100_000
"""Longest string or list a fold may produce; help texts are a few hundred characters."""

MAX_INT_BITS = 4096
"""Largest integer a fold may produce (a loop squaring a number grows without bound)."""

MAX_WIDTH = 1000
"""Largest field width or precision accepted in a format string (``{:>80}``, ``%-20s``)."""

STR_METHODS: Final = frozenset(
    {
        "capitalize",
        "casefold",
        "center",
        "endswith",
        "format",
        "isalpha",
        "isdigit",
        "islower",
        "isupper",
        "join",
        "ljust",
        "lower",
        "lstrip",
        "partition",
        "removeprefix",
        "removesuffix",
        "replace",
        "rjust",
        "rpartition",
        "rsplit",
        "rstrip",
        "split",
        "splitlines",
        "startswith",
        "strip",
        "swapcase",
        "title",
        "upper",
    }
)
"""Pure ``str`` methods kdocs evaluates on constants, for every extractor."""

TEXT_FUNCTIONS: Final = frozenset({"dedent", "cleandoc", "identity"})
"""Text functions of help strings: ``textwrap.dedent``, ``inspect.cleandoc`` and the
identity of gettext markers (``_("...")``)."""

GETTEXT: Final = frozenset(
    {
        "_",
        "__",
        "_l",
        "gettext",
        "gettext_lazy",
        "lazy_gettext",
        "ugettext",
        "ugettext_lazy",
        "N_",
        "gettext_noop",
    }
)
"""Last names of translation markers: ``_("text")`` shows ``text`` in the C locale."""

TEXT_PATHS: Final = {"textwrap.dedent": "dedent", "inspect.cleandoc": "cleandoc"}
"""Dotted paths of the text functions of :data:`TEXT_FUNCTIONS` (besides gettext markers)."""

BUILTINS: Final = frozenset({"len", "str", "sorted", "reversed", "list", "tuple", "set"})
"""Builtins folded over one constant argument."""

_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def plain(value: Any) -> bool:
    """Whether ``value`` is a constant this module folds (nested lists included)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if isinstance(value, (list, tuple)):
        return len(value) <= MAX_TEXT and all(plain(v) for v in value)
    if isinstance(value, dict):  # ``"%(name)s" % {"name": ...}``
        return len(value) <= MAX_TEXT and all(plain(k) and plain(v) for k, v in value.items())
    return False


def _fits(value: Any) -> bool:
    if isinstance(value, (str, list, tuple, dict)):
        return len(value) <= MAX_TEXT
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() <= MAX_INT_BITS
    return True


def _result(value: Any) -> Any:
    if isinstance(value, tuple):
        value = list(value)
    return value if plain(value) and _fits(value) else NO


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


def binop(op: str, left: Any, right: Any) -> Any:
    """``left <op> right`` for ``+``, ``-``, ``*`` and ``%`` on constants, or :data:`NO`."""
    if not plain(left) or not plain(right):
        return NO
    if op == "%":
        return percent(left, right) if isinstance(left, str) else _arith(op, left, right)
    if op == "+":
        if isinstance(left, str) and isinstance(right, str):
            return left + right if len(left) + len(right) <= MAX_TEXT else NO
        if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
            return [*left, *right] if len(left) + len(right) <= MAX_TEXT else NO
        return _arith(op, left, right)
    if op == "*":
        seq, count = (left, right) if isinstance(left, (str, list, tuple)) else (right, left)
        if isinstance(seq, (str, list, tuple)):
            if not isinstance(count, int) or isinstance(count, bool):
                return NO
            if _size(seq) * max(count, 0) > MAX_TEXT:
                return NO
            return _result(seq * count)
        return _arith(op, left, right)
    if op == "-":
        return _arith(op, left, right)
    return NO


def _arith(op: str, left: Any, right: Any) -> Any:
    numbers = (int, float)
    if not isinstance(left, numbers) or not isinstance(right, numbers):
        return NO
    if isinstance(left, bool) or isinstance(right, bool):
        return NO
    if (
        op == "*"
        and isinstance(left, int)
        and isinstance(right, int)
        and left.bit_length() + right.bit_length() > MAX_INT_BITS
    ):
        return NO
    try:
        if op == "+":
            return _result(left + right)
        if op == "-":
            return _result(left - right)
        if op == "*":
            return _result(left * right)
        if op == "%":
            return _result(left % right)
    except (ArithmeticError, ValueError):
        return NO
    return NO


def percent(template: str, values: Any) -> Any:
    """``template % values`` (printf-style), refusing ``*`` and huge widths or precisions."""
    if not isinstance(template, str) or not plain(values):
        return NO
    for match in _PERCENT_SPEC.finditer(template):
        for number in match.groups():
            if number == "*" or (number is not None and int(number[:6]) > MAX_WIDTH):
                return NO
    args = tuple(values) if isinstance(values, list) else values
    try:
        return _result(template % args)
    except (TypeError, ValueError, KeyError, OverflowError):
        return NO


def _safe_format_template(template: str) -> bool:
    """``str.format`` fields may only be positions or names (no ``.attr`` or ``[key]``
    lookups) with small widths, and no nested replacement fields in a spec."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return False
    for _literal, name, spec, _conversion in fields:
        if name is None:
            continue
        if name and not (name.isdigit() or name.isidentifier()):
            return False
        if spec and ("{" in spec or any(int(n[:6]) > MAX_WIDTH for n in re.findall(r"\d+", spec))):
            return False
    return True


def str_method(
    base: Any, name: str, args: Sequence[Any], kwargs: Mapping[str, Any] | None = None
) -> Any:
    """``base.<name>(*args, **kwargs)`` for a whitelisted string method, or :data:`NO`.

    A list result (``split``) is a list of strings; a tuple result (``partition``) a list."""
    kwargs = kwargs or {}
    if not isinstance(base, str) or name not in STR_METHODS:
        return NO
    if not all(plain(a) for a in [*args, *kwargs.values()]):
        return NO
    if name == "format":
        if not _safe_format_template(base):
            return NO
    elif name == "join":
        if kwargs or len(args) != 1 or not isinstance(args[0], (list, tuple)):
            return NO
        parts = args[0]
        if not all(isinstance(p, str) for p in parts):
            return NO
        if sum(len(p) for p in parts) + len(base) * max(len(parts) - 1, 0) > MAX_TEXT:
            return NO
    elif name in ("center", "ljust", "rjust"):
        width = args[0] if args else kwargs.get("width")
        if not isinstance(width, int) or width > MAX_TEXT:
            return NO
    elif name == "replace":
        old = args[0] if args else kwargs.get("old")
        new = args[1] if len(args) > 1 else kwargs.get("new")
        if not isinstance(old, str) or not isinstance(new, str):
            return NO
        count = base.count(old) if old else len(base) + 1
        if len(base) + count * len(new) > MAX_TEXT:
            return NO
    args = [
        tuple(a) if isinstance(a, list) and name in ("startswith", "endswith") else a for a in args
    ]
    try:
        result = getattr(base, name)(*args, **kwargs)
    except (TypeError, ValueError, IndexError, KeyError, OverflowError):
        return NO
    return _result(result)


def text_function(name: str, value: Any) -> Any:
    """``textwrap.dedent``, ``inspect.cleandoc`` or a gettext marker over a constant."""
    if name == "identity":
        return value
    if not isinstance(value, str):
        return NO
    if name == "dedent":
        return textwrap.dedent(value)
    if name == "cleandoc":
        return inspect.cleandoc(value)
    return NO


def builtin(name: str, value: Any) -> Any:
    """``len``/``str``/``sorted``/``reversed``/``list``/``tuple``/``set`` of one constant
    string, list (of constants) or dict (its keys), or :data:`NO`. ``set`` keeps the order
    (good enough to iterate over); ``str`` folds strings only."""
    if name not in BUILTINS:
        return NO
    if isinstance(value, dict):
        value = list(value)
    if not isinstance(value, (str, list, tuple)) or not plain(value):
        return NO
    try:
        if name == "len":
            return len(value)
        if name == "str":
            return value if isinstance(value, str) else NO
        if name == "sorted":
            return sorted(value)
        if name == "reversed":
            return list(reversed(value))
        return list(value)
    except TypeError:
        return NO
