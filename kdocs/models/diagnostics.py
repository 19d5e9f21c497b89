"""The diagnostic model: one finding of one rule at one place."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Edit:
    """Replace the text between two 1-based (line, column) positions of a file.

    Columns count code points; the end position is exclusive, so an insertion has equal
    start and end.
    """

    line: int
    """line is the 1-based line where the replaced text starts."""
    column: int
    """column is the 1-based column (in code points) of the first replaced character."""
    end_line: int
    """end_line is the 1-based line where the replaced text ends."""
    end_column: int
    """end_column is the 1-based column just past the last replaced character (exclusive)."""
    replacement: str
    """replacement is the new text; empty to delete."""


@dataclass(frozen=True)
class Fix:
    """A safe, mechanical change that resolves a diagnostic.

    ``kdocs check --fix`` applies all of its edits or none of them.
    """

    message: str
    """message describes the change in a few words for humans."""
    edits: tuple[Edit, ...] = ()
    """edits lists the replacements, all in the diagnostic's file; they must not overlap."""


@dataclass(frozen=True)
class Diagnostic:
    """A finding. ``line`` and ``column`` are 1-based; ``file`` is relative to the project root.

    ``subject`` names what the finding is about independently of its position (for example
    ``"mycli deploy --dry_run"``); the baseline fingerprint uses it so findings survive edits
    that only move lines.
    """

    code: str
    """code is the stable code of the rule that found it, e.g. ``"F104"``."""
    message: str
    """message describes the finding in one line for humans."""
    file: str
    """file is the project-relative POSIX path of the file the finding is in."""
    line: int = 1
    """line is the 1-based line where the finding starts."""
    column: int = 1
    """column is the 1-based column where the finding starts."""
    end_line: int | None = None
    """end_line is the 1-based line where the finding ends; null when only a start is
    known."""
    end_column: int | None = None
    """end_column is the 1-based column just past the end of the finding (exclusive, as
    SARIF's ``endColumn``); null when only a start is known."""
    fix: Fix | None = None
    """fix is the safe change that resolves the finding; null when there is none."""
    subject: str = ""
    """subject names what the finding is about independently of its position, e.g.
    ``"mycli deploy --dry_run"``; empty when the message identifies it well enough."""
    notes: tuple[str, ...] = field(default=())
    """notes lists extra lines shown under message (the import chain, a hint)."""
    related: tuple[tuple[str, int], ...] = field(default=())
    """related lists other ``(file, line)`` places that define the subject, e.g. the
    ``click.option`` call inside a project's wrapper when the finding sits at the wrapper's
    call site; empty when there are none."""

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.message)

    def fingerprint(self) -> str:
        """A line-independent identity: file, code and the subject (or the message)."""
        basis = "\0".join((self.file, self.code, self.subject or self.message))
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]
