"""Where a file's extracted results hold line numbers, read and rewritten.

Most edits move lines without changing what a file declares: a line added to a function
body shifts every class, field and import below it. Their per-file results then differ only
in line numbers, and so do the findings a check derives from them.
:mod:`kdocs.resultreuse` uses this module to prove that: it reads the line *slots* of the
new results, writes the recorded old lines back into them, and compares the digest with
the recorded one. Equal digests mean the new results are the old ones with each slot's line
moved, so the stored findings stay right once their lines are moved the same way.

A kind declares its slots through :attr:`kdocs.extract.Provider.line_slots`
(:func:`kdocs.analysis.line_spec`); a kind that declares none takes part only while its
facts are empty. Every kind's result also carries
the file's suppression comments, whose lines are slots too. A line the spec misses stays
in the compared digest, so missing one only makes the proof fail (the check runs); a slot
that is not a line would be wrong (a number in the project's own data, like a field default
``{"line": 3}``, would pass for a moved line), hence specs name exact places in the facts'
structure, never "any key called line".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol


class Unslotted(Exception):
    """Raised by a spec for facts whose lines it cannot tell apart (a shape it does not
    know): the file's lines are then unknown, and an edit to it runs the check."""


_NOT_SLOTTED = (Unslotted, KeyError, IndexError, TypeError, ValueError, StopIteration)
"""What a spec raises on facts of another shape than it knows."""


class LineSpec(Protocol):
    """Where one kind's facts hold line numbers: :meth:`read` appends them in slot order,
    :meth:`write` returns a copy of the facts with the slots set, in the same order."""

    def read(self, facts: Any, out: list[int]) -> None: ...

    def write(self, facts: Any, lines: Iterator[int]) -> Any: ...


@dataclass(frozen=True)
class RowLines:
    """Lines are the first item of each row of ``facts[key]`` (the imports facts:
    ``{"imports": [[line, flags, level, module, names], ...]}``)."""

    key: str

    def read(self, facts: Any, out: list[int]) -> None:
        if isinstance(facts, dict):
            for row in facts.get(self.key) or ():
                out.append(row[0])

    def write(self, facts: Any, lines: Iterator[int]) -> Any:
        if not isinstance(facts, dict) or self.key not in facts:
            return facts
        rows = [[next(lines), *row[1:]] for row in facts[self.key]]
        return {**facts, self.key: rows}


NO_LINES = RowLines("")
"""The spec of facts that hold no line (the ``files`` pseudo-kind's)."""


def slots(spec: LineSpec | None, result: dict[str, Any]) -> list[int] | None:
    """The lines of one file's ``result`` in slot order (its facts', found by ``spec``, then
    its suppression comments'), or ``None`` when they cannot be told apart from the rest (a
    file problem, or facts of a kind that declares no spec)."""
    if result.get("problem") is not None:
        return None
    facts = result.get("facts")
    out: list[int] = []
    if facts is not None:
        if spec is None:
            return None
        try:
            spec.read(facts, out)
        except _NOT_SLOTTED:
            return None
    for row in result.get("noqa") or ():
        out.append(row[0])
    return out


def relined(
    spec: LineSpec | None, result: dict[str, Any], lines: list[int]
) -> dict[str, Any] | None:
    """``result`` with its slots (see :func:`slots`) set to ``lines``, or ``None`` when
    their number differs."""
    current = slots(spec, result)
    if current is None or len(current) != len(lines):
        return None
    feed = iter(lines)
    facts = result.get("facts")
    if facts is not None and spec is not None:
        try:
            facts = spec.write(facts, feed)
        except _NOT_SLOTTED:
            return None
    noqa = result.get("noqa")
    if noqa is not None:
        noqa = [[next(feed), *row[1:]] for row in noqa]
    return {"problem": None, "facts": facts, "noqa": noqa}


def line_map(pairs: list[tuple[int, int]]) -> dict[int, int] | None:
    """Old line to new line, when the pairs are one strictly increasing function (every
    slot on an old line moved to the same new line, and their order is kept): a rule that
    compares two lines of a file then compares the moved ones the same way."""
    moved: dict[int, int] = {}
    for old, new in pairs:
        if moved.setdefault(old, new) != new:
            return None
    last = None
    for old in sorted(moved):
        if last is not None and moved[old] <= last:
            return None
        last = moved[old]
    return moved
