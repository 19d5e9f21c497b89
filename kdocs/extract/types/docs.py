"""Where a field's documentation comes from, in priority order.

1. the attribute docstring: a string statement right after the field (PEP 257, what
   pydantic's ``use_attribute_docstrings`` and Sphinx read);
2. ``#:`` comments on the lines above the field, or after it on the same line (Sphinx);
3. ``Field(description=...)`` (the JSON schema description);
4. the class docstring's ``Attributes:``/``Args:`` section (Google style) or
   ``Attributes``/``Parameters`` section (NumPy style).
"""

from __future__ import annotations

import inspect
import re

DOC_SOURCES = ("attribute-docstring", "comment", "description", "class-docstring")

_GOOGLE_HEADERS = re.compile(
    r"^(Attributes|Args|Arguments|Parameters|Fields|Members|Keyword Args|Params):\s*$"
)
_NUMPY_HEADERS = re.compile(r"^(Attributes|Parameters|Fields|Members)\s*$")
_SECTION_END = re.compile(r"^[A-Z][A-Za-z ]*:\s*$")
_GOOGLE_ITEM = re.compile(r"^(\*{0,2}[A-Za-z_][A-Za-z0-9_]*)\s*(\([^)]*\))?\s*:(.*)$")
_NUMPY_ITEM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(:.*)?$")


def clean(text: str | None) -> str | None:
    """``inspect.cleandoc``; empty docs become ``None``."""
    if text is None:
        return None
    cleaned = inspect.cleandoc(text)
    return cleaned or None


def comment_doc(lines: list[str], line: int, end_line: int) -> str | None:
    """``#:`` comments directly above ``line`` (1-based) or trailing on its last line."""
    collected: list[str] = []
    index = line - 2
    while index >= 0:
        stripped = lines[index].strip()
        if stripped.startswith("#:"):
            collected.append(stripped[2:].strip())
            index -= 1
            continue
        break
    if collected:
        return "\n".join(reversed(collected)).strip() or None
    if 0 < end_line <= len(lines):
        text = lines[end_line - 1]
        pos = text.find("#:")
        if pos > 0:
            return text[pos + 2 :].strip() or None
    return None


def section_docs(docstring: str | None) -> dict[str, str]:
    """Per-name descriptions from a class docstring's attribute/argument section."""
    if not docstring:
        return {}
    lines = docstring.splitlines()
    out: dict[str, str] = {}
    i = 0
    while i < len(lines):
        header = lines[i].strip()
        if _GOOGLE_HEADERS.match(header):
            i = _google(lines, i + 1, out)
            continue
        if (
            _NUMPY_HEADERS.match(header)
            and i + 1 < len(lines)
            and set(lines[i + 1].strip()) == {"-"}
        ):
            i = _numpy(lines, i + 2, out)
            continue
        i += 1
    return out


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _google(lines: list[str], start: int, out: dict[str, str]) -> int:
    base: int | None = None
    current: str | None = None
    parts: list[str] = []
    i = start
    while i < len(lines):
        raw = lines[i]
        if not raw.strip():
            if current:
                parts.append("")
            i += 1
            continue
        ind = _indent(raw)
        if base is None:
            base = ind
        if ind < base or (ind == base and _SECTION_END.match(raw.strip()) and current is None):
            break
        if ind == base:
            match = _GOOGLE_ITEM.match(raw.strip())
            if not match:
                break
            _flush(out, current, parts)
            current = match.group(1).lstrip("*")
            parts = [match.group(3).strip()]
        else:
            parts.append(raw.strip())
        i += 1
    _flush(out, current, parts)
    return i


def _numpy(lines: list[str], start: int, out: dict[str, str]) -> int:
    base: int | None = None
    current: str | None = None
    parts: list[str] = []
    i = start
    while i < len(lines):
        raw = lines[i]
        if not raw.strip():
            if current:
                parts.append("")
            i += 1
            continue
        ind = _indent(raw)
        if base is None:
            base = ind
        if ind < base:
            break
        if ind == base:
            if i + 1 < len(lines) and set(lines[i + 1].strip()) == {"-"}:
                break  # the next section
            match = _NUMPY_ITEM.match(raw.strip())
            if not match:
                break
            _flush(out, current, parts)
            current = match.group(1)
            parts = []
        else:
            parts.append(raw.strip())
        i += 1
    _flush(out, current, parts)
    return i


def _flush(out: dict[str, str], name: str | None, parts: list[str]) -> None:
    if name is None:
        return
    text = "\n".join(parts).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    if text:
        out.setdefault(name, text)
