"""Regular expressions from repository config, matched in linear time.

``selectorRegexp: "^(a+)+$"`` in an ``.import-restrictions`` file made Python's backtracking
engine run for ever on a module name such as ``aaaa...b`` (catastrophic backtracking), and
config patterns come from the analysed repository. Kubernetes' import-boss uses Go's RE2,
which cannot backtrack; kdocs does the same with the ``google-re2`` bindings. RE2 has no
lookaround and no backreferences, so such a pattern is refused with a clear message (both
are exactly the features that make matching super-linear).

If ``re2`` cannot be imported (a platform without a wheel), patterns fall back to Python's
``re``, after refusing the shapes that backtrack catastrophically: a quantifier applied to
something that itself contains an unbounded quantifier, and backreferences.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Protocol

from kdocs.escape import excerpt

try:  # pragma: no branch - which engine depends on the installation
    import re2 as _re2  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover - google-re2 is a runtime dependency
    _re2 = None

if _re2 is None:  # pragma: no cover
    from re import _parser as _sre_parse  # type: ignore[attr-defined]

MAX_PATTERN_LENGTH = 2000
"""Longer patterns are refused: no hand-written selector needs more."""

ENGINE = "re2" if _re2 is not None else "re"


class Matcher(Protocol):
    """What kdocs uses of a compiled pattern (both engines provide it)."""

    def search(self, text: str) -> Any: ...

    def match(self, text: str) -> Any: ...

    def fullmatch(self, text: str) -> Any: ...


class UnsafePattern(ValueError):
    """The pattern is invalid, or needs a feature a linear-time engine refuses."""


def _re2_options() -> Any:
    options = _re2.Options()
    options.log_errors = False  # RE2 would print its own copy of the error on stderr
    options.max_mem = 8 << 20  # bound the compiled program (a pattern of 1000 nested repeats)
    return options


def _nested_quantifier(pattern: str) -> str | None:  # pragma: no cover - fallback engine
    """Why ``pattern`` may backtrack catastrophically under ``re``, or None."""
    tree = _sre_parse.parse(pattern)

    def walk(items: Any, inside_repeat: bool) -> str | None:
        for op, arg in items:
            name = str(op)
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                _low, high, sub = arg
                unbounded = high == _sre_parse.MAXREPEAT or high > 1
                if inside_repeat and unbounded:
                    return "a nested quantifier (such as `(a+)+`)"
                found = walk(sub, inside_repeat or unbounded)
                if found:
                    return found
            elif name in ("GROUPREF", "GROUPREF_EXISTS"):
                return "a backreference"
            elif name in ("ASSERT", "ASSERT_NOT"):
                found = walk(arg[1], inside_repeat)
                if found:
                    return found
            elif name == "SUBPATTERN":
                found = walk(arg[-1], inside_repeat)
                if found:
                    return found
            elif name == "BRANCH":
                for branch in arg[1]:
                    found = walk(branch, inside_repeat)
                    if found:
                        return found
        return None

    return walk(tree, False)


@functools.lru_cache(maxsize=512)
def compile_pattern(pattern: str, max_length: int | None = MAX_PATTERN_LENGTH) -> Matcher:
    """Compile a user-supplied pattern for linear-time matching; raises UnsafePattern.

    ``max_length=None`` lifts the length limit for patterns kdocs assembles itself from
    many user globs (``.gitignore`` lines joined into one alternation).
    """
    if max_length is not None and len(pattern) > max_length:
        raise UnsafePattern(f"longer than {max_length} characters")
    if _re2 is not None:
        try:
            compiled: Matcher = _re2.compile(pattern, _re2_options())
        except _re2.error as err:
            reason = err.args[0] if err.args else err
            if isinstance(reason, bytes):
                reason = reason.decode("utf-8", errors="replace")
            hint = ""
            if "(?=" in pattern or "(?!" in pattern or "(?<" in pattern:
                hint = " (lookaround is not supported: RE2 syntax, as import-boss)"
            elif re.search(r"\\[1-9]", pattern):
                hint = " (backreferences are not supported: RE2 syntax, as import-boss)"
            raise UnsafePattern(f"{excerpt(str(reason))}{hint}") from None
        return compiled
    try:  # pragma: no cover - fallback engine
        why = _nested_quantifier(pattern)
        if why:
            raise UnsafePattern(f"refused: {why} can take exponential time")
        return re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as err:  # pragma: no cover
        raise UnsafePattern(excerpt(str(err))) from None


def pattern_error(pattern: str) -> str | None:
    """Why ``pattern`` cannot be used (a short message), or None when it can."""
    try:
        compile_pattern(pattern)
    except UnsafePattern as err:
        return str(err)
    return None
