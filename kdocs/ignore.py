"""Gitignore-style path patterns for ``exclude`` / ``extend-exclude`` and ``.gitignore``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from kdocs.safe_regex import Matcher, UnsafePattern
from kdocs.safe_regex import compile_pattern as compile_linear

DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".kdocs_cache",
    ".mypy_cache",
    ".nox",
    ".pytest_cache",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pycache__",
    "__pypackages__",
    "_build",
    # Build output sits at the root; anchored, so packages named build (pip's
    # `_internal/operations/build`) deeper in the tree are still analysed.
    "/build/",
    "/dist/",
    "node_modules",
    "site-packages",
    "venv",
    "*.egg-info",
)


@dataclass(frozen=True)
class Pattern:
    """One gitignore line as a regular expression (``source``), compiled for RE2 on first
    use: a filter without negations compiles all of its patterns as one program instead."""

    source: str
    negated: bool
    dir_only: bool

    @cached_property
    def regex(self) -> Matcher | None:
        """The compiled pattern; ``None`` for a line that is not a valid pattern (``[z-a]``),
        which is skipped, as git does, instead of failing the run."""
        try:
            return compile_linear(self.source, max_length=None)
        except UnsafePattern:
            return None


@lru_cache(maxsize=1024)
def compile_pattern(raw: str) -> Pattern | None:
    """Compile one gitignore line; ``None`` for blanks and comments."""
    text = raw.strip()
    if not text or text.startswith("#"):
        return None
    negated = text.startswith("!")
    if negated:
        text = text[1:]
    dir_only = text.endswith("/")
    text = text.rstrip("/")
    anchored = "/" in text
    text = text.lstrip("/")
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if text.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if text.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = text.find("]", i + 1)
            if end == -1:
                out.append(re.escape(ch))
            else:
                out.append("[" + text[i + 1 : end].replace("!", "^", 1) + "]")
                i = end
        else:
            out.append(re.escape(ch))
        i += 1
    body = "".join(out)
    prefix = "" if anchored else "(?:.*/)?"
    # A pattern matching a directory also matches everything below it.
    source = f"^{prefix}{body}(?:/.*)?$"
    # ``.gitignore`` is repository content: it is matched in linear time (RE2: ``*a*a*a...b``
    # backtracks exponentially in Python's engine).
    return Pattern(source, negated, dir_only)


class PathFilter:
    """Decides whether a project-relative POSIX path is excluded. Last matching pattern wins.

    Without negated patterns the order does not matter, so all patterns are joined into one
    regular expression per kind (files, directories): one match per walked entry.
    """

    def __init__(self, patterns: Iterable[str]) -> None:
        self._patterns = [p for p in (compile_pattern(raw) for raw in patterns) if p]
        self._combined: dict[bool, Matcher | None] | None = None
        if not any(p.negated for p in self._patterns):
            try:
                self._combined = {
                    is_dir: _join([p for p in self._patterns if is_dir or not p.dir_only])
                    for is_dir in (False, True)
                }
            except UnsafePattern:  # too big for one RE2 program, or an invalid line in it:
                self._combined = None  # match one by one (an invalid line is skipped)

    def excluded(self, relpath: str, *, is_dir: bool) -> bool:
        if self._combined is not None:
            regex = self._combined[is_dir]
            return regex is not None and regex.match(relpath) is not None
        result = False
        for pattern in self._patterns:
            if pattern.dir_only and not is_dir:
                continue
            regex = pattern.regex
            if regex is not None and regex.match(relpath):
                result = not pattern.negated
        return result


def _join(patterns: list[Pattern]) -> Matcher | None:
    if not patterns:
        return None
    return compile_linear("|".join(f"(?:{p.source})" for p in patterns), max_length=None)
