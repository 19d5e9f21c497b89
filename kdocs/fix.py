"""``kdocs check --fix``: apply the diagnostics' safe fixes to the files, atomically per file.

A fix is a set of :class:`~kdocs.models.diagnostics.Edit` (1-based line, 1-based column in
code points, as libcst reports them). Fixes of one file are applied together, all edits of a
fix or none: a fix that overlaps one already accepted (or points outside the file) is left
for the next run. The file is rewritten with :func:`kdocs.cache.atomic_write_bytes`, keeping
its line endings and every byte outside the edited ranges.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kdocs.cache import atomic_write_bytes
from kdocs.models.diagnostics import Diagnostic, Edit, Fix


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def _offset(starts: list[int], text: str, line: int, column: int) -> int | None:
    if line < 1 or line > len(starts) or column < 1:
        return None
    start = starts[line - 1]
    end = starts[line] - 1 if line < len(starts) else len(text)
    offset = start + column - 1
    return offset if offset <= end else None


def apply_to_text(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """Apply the non-overlapping fixes to ``text``; returns the new text and how many applied."""
    starts = _line_starts(text)
    accepted: list[tuple[int, int, str]] = []
    seen: set[tuple[Edit, ...]] = set()
    applied = 0
    ordered = sorted(fixes, key=lambda f: min(f.edits) if f.edits else Edit(0, 0, 0, 0, ""))
    for fix in ordered:
        if not fix.edits or fix.edits in seen:
            continue
        spans: list[tuple[int, int, str]] = []
        for edit in fix.edits:
            a = _offset(starts, text, edit.line, edit.column)
            b = _offset(starts, text, edit.end_line, edit.end_column)
            if a is None or b is None or b < a:
                spans = []
                break
            spans.append((a, b, edit.replacement))
        if not spans or _overlaps(spans, accepted):
            continue
        seen.add(fix.edits)
        accepted.extend(spans)
        applied += 1
    for a, b, replacement in sorted(accepted, key=lambda s: (s[0], s[1]), reverse=True):
        text = text[:a] + replacement + text[b:]
    return text, applied


def _overlaps(spans: list[tuple[int, int, str]], accepted: list[tuple[int, int, str]]) -> bool:
    for a, b, _ in spans:
        for c, d, _ in accepted:
            if a < d and c < b:  # ranges intersect
                return True
            if a == b == c == d or (a == b and c < a < d) or (c == d and a < c < b):
                return True  # two insertions at one point, or an insertion inside a range
    return False


def apply_fixes(project_root: Path, diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    """Apply every fixable diagnostic's fix; returns ``{relpath: fixes applied}`` for the
    files that changed. Files that cannot be read or decoded as UTF-8 are skipped."""
    by_file: dict[str, list[Fix]] = {}
    for d in diagnostics:
        if d.fix is not None and d.fix.edits:
            by_file.setdefault(d.file, []).append(d.fix)
    result: dict[str, int] = {}
    for relpath, fixes in sorted(by_file.items()):
        path = project_root / relpath
        try:
            data = path.read_bytes()
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        new_text, applied = apply_to_text(text, fixes)
        if applied and new_text != text:
            atomic_write_bytes(path, new_text.encode("utf-8"))
            result[relpath] = applied
    return result
