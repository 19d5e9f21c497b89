"""Fix builders of the C family: text transforms applied to the help's string literal."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kdocs.models.cli import SourceLocation
from kdocs.models.diagnostics import Fix
from kdocs.rules.cli.common import normalise_words
from kdocs.rules.registry import RuleContext

if TYPE_CHECKING:
    # libcst is slow to import: load it only when a fix is actually computed.
    from kdocs.rules.cli.literals import Literal

Transform = Callable[[str], str]

COMMAND_HELP_KEYWORDS = ("help", "description")
SHORT_HELP_KEYWORDS = ("short_help",)
OPTION_HELP_KEYWORDS = ("help",)


def project_root(ctx: RuleContext) -> Path:
    return ctx.analysis.project.root


def literal_fix(
    ctx: RuleContext,
    where: SourceLocation | None,
    keywords: Sequence[str],
    transform: Transform,
    message: str,
    *,
    docstring: bool = False,
    check: Callable[[Literal], bool] | None = None,
) -> Fix | None:
    """A fix that rewrites the literal behind an item, or ``None`` when it is not safe."""
    if where is None:
        return None
    try:
        from kdocs.rules.cli.literals import find_literal

        facts = ctx.analysis.facts("cli")  # holds the cached literal tables (no re-parse)
        lit = find_literal(project_root(ctx), where, keywords, docstring=docstring, facts=facts)
    except Exception:  # never let a fix attempt break the check itself
        return None
    if lit is None or (check is not None and not check(lit)):
        return None
    from kdocs.rules.cli.literals import edits_for

    edits = edits_for(lit, transform)
    if not edits:
        return None
    return Fix(message, edits)


def _paragraph_span(value: str) -> tuple[int, int] | None:
    """Start and end (exclusive, trailing whitespace excluded) of the first paragraph."""
    lines = value.split("\n")
    offset = 0
    start = end = None
    for line in lines:
        if line.strip() == "" or line.strip() == "\b":
            if start is not None:
                break
        else:
            if start is None:
                start = offset + (len(line) - len(line.lstrip()))
            end = offset + len(line.rstrip())
        offset += len(line) + 1
    if start is None or end is None:
        return None
    return start, end


def first_paragraph_of(value: str) -> str:
    span = _paragraph_span(value)
    return value[span[0] : span[1]] if span else ""


def matches_paragraph(expected: str) -> Callable[[Literal], bool]:
    want = normalise_words(expected)
    return lambda lit: normalise_words(first_paragraph_of(lit.value)) == want


def add_period(value: str) -> str:
    span = _paragraph_span(value)
    if span is None:
        return value
    return value[: span[1]] + "." + value[span[1] :]


def remove_period(value: str) -> str:
    span = _paragraph_span(value)
    if span is None:
        return value
    end = span[1]
    if value[:end].endswith(".") and not value[:end].endswith(".."):
        return value[: end - 1] + value[end:]
    return value


def capitalise(value: str) -> str:
    span = _paragraph_span(value)
    if span is None:
        return value
    i = span[0]
    return value[:i] + value[i].upper() + value[i + 1 :]


def strip_surrounding(value: str) -> str:
    return value.strip()


_TRAILING = re.compile(r"[ \t]+(?=\n)")


def strip_trailing(value: str) -> str:
    """Trailing spaces and tabs removed from every line but the last (a docstring's last
    line is the indentation of its closing quotes)."""
    return _TRAILING.sub("", value)


def literal_matches(text: str) -> Callable[[Literal], bool]:
    want = normalise_words(text)
    return lambda lit: normalise_words(lit.value) == want


def value_is(text: str) -> Callable[[Literal], bool]:
    return lambda lit: lit.value == text
