"""Inline suppressions: ``# kdocs: ignore`` and ``# kdocs: ignore[C101, C2]`` on the line."""

from __future__ import annotations

import re
from collections.abc import Sequence

_PRAGMA = re.compile(r"#\s*kdocs:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)


def pragma_in(text: str) -> bool:
    """Whether any line of ``text`` holds a pragma (one search of the whole text)."""
    return _PRAGMA.search(text) is not None


def parse_pragma(line: str) -> tuple[str, ...] | None:
    """The codes a line suppresses: ``()`` means all, ``None`` means no pragma."""
    match = _PRAGMA.search(line)
    if match is None:
        return None
    codes = match.group("codes")
    if codes is None:
        return ()
    return tuple(c.strip().upper() for c in codes.split(",") if c.strip())


def suppressed(lines: Sequence[str], line: int, code: str) -> bool:
    if not 1 <= line <= len(lines):
        return False
    codes = parse_pragma(lines[line - 1])
    if codes is None:
        return False
    return codes == () or any(code.startswith(c) for c in codes)


def pragma_lines(text: str, *, python: bool) -> list[str]:
    """``text``'s lines numbered as the code that placed the findings numbered them: a Python
    file as Python does (only CRLF, CR and LF end a line; a form feed does not), other files
    (TOML, requirements) with ``str.splitlines`` like kdocs' manifest readers. The engine
    reads pragmas on these lines, and each file's extracted results record them the same way."""
    if python:
        from kdocs.linebreaks import LINE_BREAK

        return LINE_BREAK.split(text)
    return text.splitlines()
