"""Help text as documents show it: terminal and rich markup removed, split into blocks.

Help strings are written for a terminal: ANSI colour codes, rich-click/typer ``[bold]``
markup, click's ``\\b`` no-rewrap paragraphs. A document keeps the words and the line
structure a reader needs and drops the rest, before any format-specific escaping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kdocs.escape import escape_control

_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor movement
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks
    r"|\x1b[@-Z\\-_]"  # other two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_STYLE_WORD = (
    r"(?:not\s+)?(?:bold|b|dim|d|italic|i|underline|u|underline2|uu|strike|s|reverse|r|blink|"
    r"blink2|conceal|overline|o|frame|encircle|none|default|"
    r"(?:bright_)?(?:black|red|green|yellow|blue|magenta|cyan|white)|grey\d*|gray\d*|"
    r"#[0-9a-fA-F]{6}|color\(\d{1,3}\)|rgb\(\d{1,3},\d{1,3},\d{1,3}\)|on)"
)
_RICH = re.compile(
    r"\[/?(?:" + _STYLE_WORD + r"(?:\s+" + _STYLE_WORD + r")*)?\]"
    r"|\[link=[^\]\s]*\]|\[/link\]",
    re.IGNORECASE,
)


def clean(text: str | None) -> str:
    """``text`` without ANSI escape sequences and rich style markup (``[bold red]``,
    ``[/]``, ``[link=...]``; other bracketed words such as ``[default: 1]`` stay), with
    tabs expanded and any other control character shown as an escape (``\\x07``)."""
    if not text:
        return ""
    return _clean(text)


@lru_cache(maxsize=65536)
def _clean(text: str) -> str:
    if "\x1b" in text or "\x9b" in text:
        text = _ANSI.sub("", text)
    if "[" in text:
        text = _RICH.sub("", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\t" in text:
        text = text.expandtabs(4)
    # One line at a time so line breaks survive and everything else is visible.
    return "\n".join(
        line if line.isascii() and line.isprintable() else escape_control(line)
        for line in text.split("\n")
    )


@dataclass(frozen=True)
class Block:
    """One paragraph of help: ``pre`` keeps its lines (click's ``\\b``), ``para`` is text
    a document may rewrap."""

    kind: str
    text: str


def blocks(text: str | None) -> list[Block]:
    """Paragraphs of help text as click's formatter sees them: separated by blank lines; a
    paragraph whose first line is ``\\b`` keeps its line breaks, others are rewrapped;
    lines indented deeper than the paragraph's first line (a list, a code sample) are kept
    as preformatted too."""
    out: list[Block] = []
    for para in re.split(r"\n[ \t]*\n", clean(text).strip("\n")):
        lines = [line.rstrip() for line in para.split("\n")]
        if not any(line.strip() for line in lines):
            continue
        if lines[0].strip() == "\\x08":  # click's \b, made visible by clean()
            body = _dedent(lines[1:])
            if body:
                out.append(Block("pre", body))
            continue
        if len(lines) > 1 and _indented(lines):
            out.append(Block("pre", _dedent(lines)))
            continue
        out.append(Block("para", " ".join(line.strip() for line in lines if line.strip())))
    return out


def _indented(lines: list[str]) -> bool:
    base = len(lines[0]) - len(lines[0].lstrip())
    return any(line.strip() and len(line) - len(line.lstrip()) > base for line in lines[1:])


def _dedent(lines: list[str]) -> str:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines)


def first_sentence(text: str | None) -> str:
    """A one-line summary: the first paragraph cut at its first sentence, as click's
    ``make_default_short_help`` does (without its length limit)."""
    for block in blocks(text):
        if block.kind == "para":
            para = block.text
            match = re.search(r"(?<=[.!?])\s", para)
            return para[: match.start()] if match else para
        return block.text.split("\n")[0].strip()
    return ""
