"""Source-text helpers for the per-file extraction: names, literals and expressions as written.

Values (defaults, factories, generator sources) are shown as the author wrote them, sliced
from the file's lines by the node's position, which is much cheaper than ``ast.unparse``.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any


def dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a Name/Attribute chain (subscripts and calls looked through)."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Subscript | ast.Call):
            node = node.value if isinstance(node, ast.Subscript) else node.func
            continue
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
            continue
        if isinstance(node, ast.Name):
            parts.append(node.id)
            return ".".join(reversed(parts))
        return None


LINES: list[list[str]] = []
"""Source lines of the file being extracted (a stack: installed modules are extracted while
linking), so values are shown as written without the cost of ``ast.unparse``."""

_LITERAL_NODES = (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.UnaryOp)


def compact(record: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values (``None``, ``False``, ``[]``, ``{}``): readers use ``.get``, and the
    cached facts of a large tree load noticeably faster. A ``value`` (a default or an enum
    member's value) is data, not a flag: ``= False``, ``= []`` and ``= {}`` are kept."""
    return {
        k: v
        for k, v in record.items()
        if v is not None and ((v is not False and v != [] and v != {}) or k == "value")
    }


def split_lines(text: str) -> list[str]:
    """Lines as the tokenizer numbers them (``str.splitlines`` also splits on form feeds)."""
    if "\r" not in text:
        return text.split("\n")
    return re.split("\r\n|\r|\n", text)


def literal(node: ast.expr | None) -> tuple[bool, Any]:
    """``(True, value)`` for a JSON-able literal, else ``(False, source text)``."""
    if node is None:
        return False, None
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, str | int | float | bool) or value is None:
            return True, value
        return False, source_text(node)
    if not isinstance(node, _LITERAL_NODES):
        return False, source_text(node)
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False, source_text(node)
    if isinstance(value, str | int | float | bool) or value is None:
        return True, value
    if isinstance(value, set | frozenset):
        return _json_literal(node, sorted(value, key=repr))
    return _json_literal(node, value)


def _json_literal(node: ast.expr, value: Any) -> tuple[bool, Any]:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False, source_text(node)
    return True, value


def source_text(node: ast.expr) -> str:
    """The expression's text as written (whitespace of multi-line ones collapsed)."""
    lines = LINES[-1] if LINES else None
    end_line, end_col = getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None)
    if lines is not None and end_line is not None and end_col is not None:
        first, last = node.lineno - 1, end_line - 1
        if 0 <= first <= last < len(lines):
            chunk = [line.encode("utf-8") for line in lines[first : last + 1]]
            if first == last:
                text = chunk[0][node.col_offset : end_col]
            else:
                text = b"\n".join([chunk[0][node.col_offset :], *chunk[1:-1], chunk[-1][:end_col]])
            decoded = text.decode("utf-8", errors="replace")
            return decoded if first == last else " ".join(decoded.split())
    try:
        return ast.unparse(node)
    except Exception:
        return "?"
