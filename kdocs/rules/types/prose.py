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
    """reST roles, inline literals, emphasis and Markdown links/code replaced by their text."""
    text = _ROLE.sub(lambda m: m.group(1), text)
    text = _LITERAL.sub(lambda m: m.group(1), text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _STRONG.sub(lambda m: m.group(2), text)
    text = _EMPHASIS.sub(lambda m: m.group(1), text)
    return _CODE.sub(lambda m: m.group(1), text)


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
        if re.match(rf"{re.escape(name)}\b", stripped):
            return stripped[len(name) :]
    return doc


def says_optional(doc: str, names: Sequence[str] = ()) -> bool:
    """Whether the doc states that this field is optional."""
    return bool(_OPTIONAL.search(_without_leading_name(strip_markup(doc), names)))


def says_required(doc: str, names: Sequence[str] = ()) -> bool:
    """Whether the doc states that this field is required."""
    return bool(_REQUIRED.search(_without_leading_name(strip_markup(doc), names)))
