"""Where the types facts of one file hold line numbers (:mod:`kdocs.lineslots`).

Only the positions :mod:`kdocs.extract.types.facts` writes: each class record's ``line``,
the ``line`` of each record in its ``fields``, ``members`` and ``computed`` lists, and the
line of each ``unresolved`` note. Nothing else, though ``"line"`` keys appear elsewhere: a
field's ``Field(...)`` arguments and literal values are the project's data (an example
``{"line": 3}``), and a number there that changed must keep the stored findings from being
reused.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

MEMBER_LISTS = ("fields", "members", "computed")


class ClassLines:
    """The :class:`kdocs.lineslots.LineSpec` of the types facts."""

    def read(self, facts: Any, out: list[int]) -> None:
        if not isinstance(facts, dict):
            return
        for cls in facts.get("classes") or ():
            out.append(cls["line"])
            for key in MEMBER_LISTS:
                for record in cls.get(key) or ():
                    out.append(record["line"])
        for note in facts.get("unresolved") or ():
            out.append(note[1])

    def write(self, facts: Any, lines: Iterator[int]) -> Any:
        if not isinstance(facts, dict):
            return facts
        classes = []
        for cls in facts.get("classes") or ():
            moved = {**cls, "line": next(lines)}
            for key in MEMBER_LISTS:
                if cls.get(key):
                    moved[key] = [{**record, "line": next(lines)} for record in cls[key]]
            classes.append(moved)
        out = {**facts}
        if "classes" in facts:
            out["classes"] = classes
        if facts.get("unresolved"):
            out["unresolved"] = [[note[0], next(lines), *note[2:]] for note in facts["unresolved"]]
        return out
