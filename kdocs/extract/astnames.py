"""The dotted name of an ``a.b.c`` expression, shared by the extractors that read one."""

from __future__ import annotations

import ast


def dotted_name(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of attributes on a plain name; ``None`` for anything else (a
    call or subscript anywhere in the chain)."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None
