"""The diagnostic model: one finding of one rule at one place."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Edit:
    """Replace the text between two 1-based (line, column) positions of a file."""

    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str


@dataclass(frozen=True)
class Fix:
    """A safe, mechanical change that resolves a diagnostic."""

    message: str
    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True)
class Diagnostic:
    """A finding. ``line`` and ``column`` are 1-based; ``file`` is relative to the project root.

    ``subject`` names what the finding is about independently of its position (for example
    ``"mycli deploy --dry_run"``); the baseline fingerprint uses it so findings survive edits
    that only move lines.
    """

    code: str
    message: str
    file: str
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    fix: Fix | None = None
    subject: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.message)

    def fingerprint(self) -> str:
        """A line-independent identity: file, code and the subject (or the message)."""
        basis = "\0".join((self.file, self.code, self.subject or self.message))
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]
