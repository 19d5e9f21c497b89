"""Make repository text safe to print: control characters escaped, echoed values cut short.

Everything kdocs reports about a project (flag names, help text, file names, manifest lines,
config values) was written by whoever wrote the repository, and kdocs runs in CI on pull
requests from strangers. Printed raw, an ESC starts a terminal control sequence (CSI moves the
cursor or recolours the log, OSC retitles the window or plants a hyperlink), a CR or LF
splits one finding into two lines or overwrites the one before, and a bidi override
(U+202E) makes the text read differently from what it is. So every piece of user text in
the text and GitHub reports goes through :func:`escape_control`, which renders such
characters as Python escapes (``\\x1b``, ``\\u202e``), as ruff and git do; and every value a
message echoes goes through :func:`excerpt`, so a hostile file cannot blow up (or leak
through) a report by the size of what it contains.
"""

from __future__ import annotations

import unicodedata

EXCERPT_LIMIT = 60
"""How many characters of a user-supplied value a message may echo."""

_BIDI = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))


def _unsafe(char: str) -> bool:
    code = ord(char)
    if code < 0x20 or code == 0x7F or code in _BIDI:
        return True
    if code < 0x80:
        return False
    # Cc: C0/C1 controls (0x80-0x9f include the 8-bit CSI 0x9b); Cf: format characters
    # (zero-width joiners, bidi marks, the BOM); Zl/Zp: line and paragraph separators.
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs")


def _escape_char(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def escape_control(text: str) -> str:
    """``text`` with every control, format and bidi character rendered as an escape.

    A backslash stays as it is (it cannot act on a terminal); tabs are escaped too, so one
    finding is always one line of plain characters.
    """
    # Printable in Python's sense excludes categories C* and Z* but the space, so it
    # excludes everything _unsafe flags: one C-speed test for the common case.
    if text.isprintable():
        return text
    return "".join(_escape_char(c) if _unsafe(c) else c for c in text)


def excerpt(value: object, limit: int = EXCERPT_LIMIT) -> str:
    """A short, escaped rendering of a user-supplied value for a message.

    Strings are shown as they are (not ``repr``), other values by ``repr`` of at most
    ``limit`` characters: a YAML alias bomb or a megabyte of help text must not become a
    megabyte of report. A cut value ends with ``...``.
    """
    text = value if isinstance(value, str) else _short_repr(value, limit)
    text = escape_control(text[: limit * 4])
    if len(text) > limit:
        return text[: max(limit - 3, 1)] + "..."
    return text


def quoted(value: object, limit: int = EXCERPT_LIMIT) -> str:
    """What ``{value!r}`` showed, cut short: a string between single quotes, anything else
    as a short ``repr``."""
    if isinstance(value, str):
        return f"'{excerpt(value, limit)}'"
    return excerpt(value, limit)


def _short_repr(value: object, limit: int, depth: int = 0) -> str:
    """``repr`` of containers without expanding them fully (a billion-laughs value is huge)."""
    if depth > 4 and isinstance(value, (dict, list, tuple)):
        return "..."
    if isinstance(value, dict):
        parts = []
        size = 0
        for key, item in value.items():
            part = f"{_short_repr(key, limit, depth + 1)}: {_short_repr(item, limit, depth + 1)}"
            parts.append(part)
            size += len(part)
            if size > limit:
                return "{" + ", ".join(parts) + ", ...}"
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, (list, tuple)):
        parts = []
        size = 0
        for item in value:
            part = _short_repr(item, limit, depth + 1)
            parts.append(part)
            size += len(part)
            if size > limit:
                return "[" + ", ".join(parts) + ", ...]"
        return "[" + ", ".join(parts) + "]"
    if isinstance(value, str):
        return repr(value[: limit + 1])
    text = repr(value)
    return text[: limit * 4]
