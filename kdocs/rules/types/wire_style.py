"""The project's wire naming style, from its own evidence (F110, F112).

A Python project has no naming convention for serialized names until it writes one down:
with no alias, alias generator or rename anywhere, the wire names are the Python names and
there is nothing to check. Once a project renames fields (``alias="podIP"``,
``alias_generator=to_camel``, msgspec ``rename="camel"``), its multi-word serialized names
show which style it uses, and a name spelled the other way is the finding — with the count
in the message, so a maintainer can see why kdocs thinks so.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from kdocs.models.types import TypeDef

STYLE_NAMES = {"camel": "camelCase", "snake": "snake_case", "pascal": "PascalCase"}
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
_CAMEL = re.compile(r"^[a-z][a-z0-9]*(?:[A-Z][A-Za-z0-9]*)+$")
_PASCAL = re.compile(r"^[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)*$")
DOMINANCE = 0.8
"""Share of the multi-word names the majority style needs: below it the project mixes
styles on purpose (a second, external API it mirrors) and no spelling is a slip."""


def style_of(name: str) -> str | None:
    """``camel``, ``snake`` or ``pascal`` for a name that shows a style; ``None`` for one
    that does not (a single lower-case word is every style)."""
    if _SNAKE.match(name):
        return "snake"
    if _CAMEL.match(name):
        return "camel"
    if _PASCAL.match(name):
        return "pascal"
    return None


def normalised(name: str) -> str:
    """The name without case, separators and keyword escapes (``type_`` -> ``type``)."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def _words(name: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(name)]


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _subsequence(short: list[str], long: list[str]) -> bool:
    rest = iter(long)
    return all(word in rest for word in short)


def is_rename(python_name: str, serialized: str) -> bool:
    """Whether the serialized name is a different word, not the same words restyled.

    One name being the other's words with qualifiers added or dropped is not a surprise: a
    keyword or a name the base class takes cannot be the attribute's name (``param_in`` ->
    ``in``, ``media_type_schema`` -> ``schema``), and a nested class's field may drop what
    its class already says (``restrictions`` -> ``workspaceRestrictions``). Singular and
    plural count as the same word (``field`` -> ``fields``)."""
    if normalised(python_name) == normalised(serialized):
        return False
    mine = [_singular(w) for w in _words(python_name)]
    wire = [_singular(w) for w in _words(serialized)]
    if not mine or not wire:
        return True
    short, long = sorted((mine, wire), key=len)
    return not _subsequence(short, long)


def generator_unknown(typedef: TypeDef) -> bool:
    """Whether kdocs could not evaluate the type's alias generator: its fields' serialized
    names are then unknown, and neither evidence nor findings."""
    return any("alias generator" in u.message for u in typedef.unresolved)


@dataclass(frozen=True)
class WireStyle:
    """The style serialized names should follow, and why kdocs thinks so."""

    style: str | None
    """``camel``, ``snake`` or ``pascal``; ``None``: no style to check."""
    evidence: str
    """Why: ``configured``, or ``31 of 33 multi-word serialized names ... are snake_case``."""
    inferred: bool = False
    """True when the style was read from the project: only the minority spelling is wrong
    (a configured style also flags names in no recognised style, like kebab-case)."""


def _wire_fields(types: Iterable[TypeDef]) -> Iterable[tuple[str, str, bool]]:
    for typedef in types:
        if typedef.kind == "enum" or generator_unknown(typedef):
            continue
        for f in typedef.fields:
            if f.origin is not None and f.origin != f"{typedef.module}.{typedef.name}":
                continue
            yield f.name, f.serialized_name, typedef.kind == "typeddict"


def infer(types: Iterable[TypeDef], configured: str, convention: str) -> WireStyle:
    """The wire style: configured, implied by the convention, or inferred from the project."""
    if configured == "as-is":
        return WireStyle(None, 'configured `serialized-style = "as-is"`')
    if configured != "infer":
        return WireStyle(configured, f'configured `serialized-style = "{configured}"`')
    if convention == "kubernetes":
        return WireStyle("camel", "the `kubernetes` convention")
    fields = list(_wire_fields(types))
    renamed = any(
        name != wire and style_of(wire) is not None and not typeddict
        for name, wire, typeddict in fields
    )
    if not renamed:
        return WireStyle(None, "no field is renamed: wire names are the Python names")
    counts = Counter(s for _, wire, _ in fields if (s := style_of(wire)) is not None)
    total = sum(counts.values())
    style, top = counts.most_common(1)[0]
    if top < DOMINANCE * total:
        return WireStyle(None, f"mixed styles ({dict(counts)})")
    return WireStyle(
        style,
        f"{top} of {total} multi-word serialized names in this project are {STYLE_NAMES[style]}",
        inferred=True,
    )
