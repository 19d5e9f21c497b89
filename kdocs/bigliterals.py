"""Parse huge generated modules without building a syntax tree for their data tables.

A 20 MB generated module (one big dict literal: lookup tables, unicode data, descriptors)
made ``ast.parse`` alone take 2.2 GB (the parser's token and node arrays, then one Python
object per node): CPython's parse, not kdocs, is the cost, so the fix is not to parse what
no extractor reads. No extractor looks inside a module-level constant made only of literals
(strings, numbers, ``True``/``False``/``None``, brackets, commas, colons, signs): it holds no
import, call, class or name.

:func:`parse` therefore, for a file over :data:`MIN_FILE` characters, replaces each
module-level statement ``NAME = <literal>`` (or ``NAME: T = <literal>``) whose literal spans
at least :data:`MIN_SPAN` characters by ``NAME = ...``, keeping every line break, so every
other node keeps its line and column; the literal is checked to be literal-only with RE2
(linear time, bounded memory). The result is kept only when the reduced text parses and each
placeholder is a top-level assignment at the exact place the literal started (so the literal
was not inside a string or a bracket of something else); otherwise the file is parsed whole.

What is given up: a syntax error *inside* such a literal (``{1: 2 3}``) is not reported as
E003, and a CLI option whose ``choices=`` names such a constant sees ``...``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MIN_FILE = 1 << 20
"""Files shorter than this (characters) are parsed as they are."""
MIN_SPAN = 1 << 16
"""A literal shorter than this is parsed: it costs little, and it may be read (``__all__``)."""

_OPENER = re.compile(
    r"^[A-Za-z_][A-Za-z0-9_]*[ \t]*(?::[^=\r\n]*)?=[ \t]*([\[{(])",
    re.MULTILINE,
)
_CLOSERS = {"[": "]", "{": "}", "(": ")"}
_CLOSER_LINE = {
    opener: re.compile(
        "^" + re.escape(closer) + r"[ \t]*(?:#[^\r\n]*)?(?=\r\n|\r|\n|\Z)", re.MULTILINE
    )
    for opener, closer in _CLOSERS.items()
}
_STRING = (
    r"(?:[rRbBuU]|[rR][bB]|[bB][rR])?"
    r"""(?:'(?:[^'\\\r\n]|\\[\s\S])*'|"(?:[^"\\\r\n]|\\[\s\S])*")"""
)
_NUMBER = (
    r"(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+"
    r"|(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9][0-9_]*)?[jJ]?)"
)
LITERAL_ONLY = (
    rf"(?:{_STRING}|{_NUMBER}|(?:True|False|None)\b|[\[\]{{}}(),:+\-]"
    r"|[ \t\f\r\n]+|#[^\r\n]*|\\(?:\r\n|\r|\n))*"
)
"""Only literal tokens. Single-line strings only (a span holding ``'''`` or ``\"\"\"`` is
parsed whole), so each quote pairs with the next unescaped one exactly as Python reads it."""


@dataclass(frozen=True)
class _Elided:
    line: int
    """1-based line of the statement (and of the placeholder)."""
    column: int
    """UTF-8 byte offset of the placeholder in its line (ast's ``col_offset``)."""


@lru_cache(maxsize=1)
def _literal_only() -> Any:
    """The compiled RE2 pattern, or ``None`` without RE2 (then nothing is elided)."""
    try:
        import re2  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - google-re2 is a runtime dependency
        return None
    options = re2.Options()
    options.max_mem = 64 << 20
    options.log_errors = False
    return re2.compile(LITERAL_ONLY, options)


def _breaks(text: str) -> int:
    """Line breaks as ast counts them (CRLF, lone CR, LF each one)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _line_end(text: str, start: int) -> int:
    ends = [i for i in (text.find("\n", start), text.find("\r", start)) if i != -1]
    return min(ends) if ends else len(text)


def elide(text: str) -> tuple[str, list[_Elided]] | None:
    """``text`` with its big literal-only constants replaced, and where; ``None`` if none."""
    if len(text) < MIN_FILE:
        return None
    matcher = _literal_only()
    if matcher is None:  # pragma: no cover
        return None
    pieces: list[str] = []
    elided: list[_Elided] = []
    done = 0  # text[:done] is in pieces
    line = 1  # the line at position ``done``
    pos = 0
    while True:
        match = _OPENER.search(text, pos)
        if match is None:
            break
        bracket = match.start(1)
        line_end = _line_end(text, bracket)
        if text[bracket:line_end].rstrip(" \t").endswith(_CLOSERS[match.group(1)]):
            end = line_end  # the literal on one line
        else:
            closer = _CLOSER_LINE[match.group(1)].search(text, line_end)
            if closer is None:
                pos = line_end
                continue
            end = closer.start() + 1  # through the closing bracket alone on its line
        span = text[bracket:end]
        if (
            len(span) < MIN_SPAN
            or "'''" in span
            or '"""' in span
            or matcher.fullmatch(span) is None
        ):
            pos = line_end
            continue
        line += _breaks(text[done : match.start()])
        prefix = text[match.start() : bracket]
        pieces += [text[done:bracket], "...", "\n" * _breaks(span)]
        elided.append(_Elided(line, len(prefix.encode("utf-8"))))
        line += _breaks(span)
        done = pos = end
    if not elided:
        return None
    pieces.append(text[done:])
    return "".join(pieces), elided


def _placeholders_in_place(tree: ast.Module, elided: list[_Elided]) -> bool:
    """Whether each placeholder is the value of a top-level assignment at column 0 where the
    literal started (so the prefix was read as Python reads the original)."""
    found = set()
    for stmt in tree.body:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.col_offset == 0:
            value = stmt.value
            if isinstance(value, ast.Constant) and value.value is Ellipsis:
                found.add((value.lineno, value.col_offset))
    return all((e.line, e.column) in found for e in elided)


def parse(text: str, filename: str) -> ast.Module:
    """The module's tree, without the nodes of its big literal-only constants when it has
    some (see the module docstring); raises ``SyntaxError`` like ``ast.parse``."""
    from kdocs.newer_syntax import parse as parse_full

    reduced = elide(text)
    if reduced is None:
        return parse_full(text, filename)
    small, elided = reduced
    try:
        tree = parse_full(small, filename)
    except SyntaxError:
        # Not valid even for a newer Python (newer_syntax tried its downgrade on the reduced
        # text, which has the same code): read the original with ast alone. Downgrading a
        # multi-megabyte file with libcst took minutes and gigabytes for a one-line typo.
        del small
        return ast.parse(text, filename=filename)
    except (ValueError, RecursionError, MemoryError):
        return parse_full(text, filename)
    if _placeholders_in_place(tree, elided):
        return tree
    del small, tree
    return parse_full(text, filename)
