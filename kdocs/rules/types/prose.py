"""Field docs read as prose: markup stripped, directives skipped, claims about the field only.

Docs are written in reST or Markdown. Before a sentence check (F102) the markup is read the
way a reader sees it: ``:class:`Pod``` is "Pod", ``**x**`` is "x", ``[text](url)`` is
"text", and a ``.. versionadded::`` or ``.. note::`` block is not where the doc's first
sentence ends. "Required"/"optional" is a claim about the field (F151) only in the forms
that say it about the field: "Required.", "(optional)", "Optional:", "This field is
optional", a Kubernetes ``+optional`` marker; "Https is required for the cookie" is not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_ROLE = re.compile(r":[\w.+-]+(?::[\w.+-]+)*:`(?:[^`<]*<)?~?!?([^`>]*)>?`")
_LITERAL = re.compile(r"``([^`]+)``")
_CODE = re.compile(r"`([^`]+)`_{0,2}")
_STRONG = re.compile(r"(\*\*|__)(\S(?:.*?\S)?)\1")
_EMPHASIS = re.compile(r"(?<![\w*])[*_](\S(?:.*?\S)?)[*_](?![\w*])")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_DIRECTIVE = re.compile(r"^\s*\.\.\s+[\w:-]+::")
_FIELD_LIST = re.compile(r"^\s*:[\w ]+:(?!`)")


def strip_markup(text: str) -> str:
    """reST roles, inline literals, emphasis and Markdown links/code replaced by their text.

    Each pattern runs only when its marker is in the text: a replacement only removes
    characters, so a marker absent before it is absent after it too. Most docs hold no
    markup at all, and F102 and F151 read every field doc of the project (cloudflare:
    75,000)."""
    if "`" in text:
        if ":" in text:
            text = _ROLE.sub(_group_1, text)
        if "``" in text:
            text = _LITERAL.sub(_group_1, text)
    if "](" in text:
        text = _LINK.sub(_group_1, text)
    if "**" in text or "__" in text:
        text = _STRONG.sub(_group_2, text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub(_group_1, text)
    if "`" in text:
        text = _CODE.sub(_group_1, text)
    return text


def _group_1(match: re.Match[str]) -> str:
    return match.group(1)


def _group_2(match: re.Match[str]) -> str:
    return match.group(2)


def prose_lines(doc: str) -> list[str]:
    """The doc's lines without directive blocks (``.. note::`` and its indented body) and
    reST field lists (``:param x:``), which are not part of its prose."""
    out: list[str] = []
    skipping = False
    for line in doc.strip().splitlines():
        if _DIRECTIVE.match(line) or _FIELD_LIST.match(line):
            skipping = True
            continue
        if skipping and (not line.strip() or line[:1].isspace()):
            continue
        skipping = False
        out.append(line)
    return out


def starts_with_literal(doc: str) -> bool:
    """Whether the doc's prose starts with code (``x``, `x`, a quote): no capital needed."""
    text = "\n".join(prose_lines(doc)).strip()
    return text[:1] in ("`", "'", '"') and not text.startswith(":")


def doc_sentence(doc: str) -> str:
    """The doc's first paragraph as read: prose lines only, markup stripped."""
    text = "\n".join(prose_lines(doc)).strip()
    return strip_markup(text.split("\n\n", 1)[0]).strip()


_END = r"(?=\s*(?:[.:;,)\]]|-\s|\u2013|\u2014|$))"
_CLAIM = r"(?:{word})"
_CONDITION = r"(?:when|if|unless|for|only|in|on|to|by|with|while)\b"
_FIELD_NOUN = r"(?:field|value|parameter|attribute|property|option|setting|key|argument)"


def _claims(word: str) -> re.Pattern[str]:
    w = _CLAIM.format(word=word)
    return re.compile(
        "|".join(
            [
                rf"^[\s\[(]*{w}{_END}",  # leading "Required." / "Optional:" / "[optional]"
                rf"(?:^|[.!?]\s+){w}\s*[.!]",  # a sentence that is just "Required."
                rf"[(\[]\s*{w}\s*[)\]]",  # "(optional)", "[required]"
                # "This field is optional" (not "... is required when ...": a condition)
                rf"\b(?:this|the)\s+{_FIELD_NOUN}\s+is\s+{w}\b(?!\s+{_CONDITION})",
                rf"\bis\s+{w}\s*(?:[.;]|$)",  # "It is optional." at a sentence's end
                rf"^\s*\+{w}\b",  # Kubernetes marker line: "+optional"
            ]
        ),
        re.IGNORECASE | re.MULTILINE,
    )


_OPTIONAL = _claims("optional")
_REQUIRED = _claims("required|mandatory")


def _without_leading_name(doc: str, names: Sequence[str]) -> str:
    """The doc without a leading field name: "required is True when..." documents a field
    called ``required``; it does not say the field is required."""
    stripped = doc.lstrip()
    for name in names:
        if stripped.startswith(name) and _boundary(name[-1:], stripped[len(name) : len(name) + 1]):
            return stripped[len(name) :]
    return doc


def _boundary(before: str, after: str) -> bool:
    """Whether ``re``'s ``\\b`` holds between two characters (either may be missing: the
    text's start or end)."""
    return _is_word(before) != _is_word(after)


def _is_word(char: str) -> bool:
    """``re``'s ``\\w`` for one character of a str pattern (none: not a word character)."""
    return char.isalnum() or char == "_"


def says_optional(doc: str, names: Sequence[str] = ()) -> bool:
    """Whether the doc states that this field is optional."""
    return _claimed(_OPTIONAL, ("optional",), doc, names)


def says_required(doc: str, names: Sequence[str] = ()) -> bool:
    """Whether the doc states that this field is required."""
    return _claimed(_REQUIRED, ("required", "mandatory"), doc, names)


def _claimed(
    claims: re.Pattern[str], words: tuple[str, ...], doc: str, names: Sequence[str]
) -> bool:
    text = strip_markup(doc)
    if text.isascii():
        # The claims need one of the words; in ASCII text, case-insensitive matching is
        # plain lower-casing (elsewhere it also pairs the dotless i, U+0131, with "i").
        lowered = text.lower()
        if not any(word in lowered for word in words):
            return False
    return bool(claims.search(_without_leading_name(text, names)))
