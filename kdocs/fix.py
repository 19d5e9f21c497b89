"""``kdocs check --fix``: apply the diagnostics' safe fixes to the files, never corrupting them.

A fix is a set of :class:`~kdocs.models.diagnostics.Edit` (1-based line, 1-based column in
code points) computed by libcst on the file's *logical text* (:func:`logical_text`): the
bytes decoded as Python decodes them, the BOM dropped and every line break (CRLF, lone CR,
LF) read as one ``"\\n"``. Positions are mapped back onto the file with exactly that line
splitting, so a lone CR or a BOM cannot shift an edit.

Safety, per file (see tests/test_fix_safety.py):

* compare-and-swap: under an exclusive lock, the file is re-read and a fix is applied only if
  the file's SHA-256 is the one the fix was computed from (a concurrent run already fixed it:
  skipped, never applied twice);
* each edit must find exactly its expected old text (``Edit.original``), else the fix is
  skipped and reported;
* line breaks inserted by an edit take the file's own style (CRLF stays CRLF);
* never through a symlink, never outside the project root, regular files only;
* a file that cannot be written is reported and the others are still fixed.

All edits of a fix are applied or none; a fix that overlaps one already accepted is left for
the next run.
"""

from __future__ import annotations

import contextlib
import difflib
import fcntl
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kdocs.linebreaks import LINE_BREAK, decode_source, logical_text
from kdocs.models.diagnostics import Diagnostic, Edit, Fix
from kdocs.writer import atomic_replace

LOCK_NAME = "fix.lock"


@dataclass(frozen=True)
class _Lines:
    """Where each line of a raw text starts and where its content ends (before the break)."""

    starts: list[int]
    ends: list[int]
    breaks: list[str]

    @classmethod
    def of(cls, text: str) -> _Lines:
        starts, ends, breaks = [0], [], []
        for m in LINE_BREAK.finditer(text):
            ends.append(m.start())
            breaks.append(m.group())
            starts.append(m.end())
        ends.append(len(text))
        breaks.append("")
        return cls(starts, ends, breaks)

    def offset(self, line: int, column: int) -> int | None:
        if line < 1 or line > len(self.starts) or column < 1:
            return None
        offset = self.starts[line - 1] + column - 1
        return offset if offset <= self.ends[line - 1] else None

    def line_of(self, offset: int) -> int:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo


@dataclass
class TextResult:
    """The outcome of applying fixes to one text."""

    text: str
    applied: int = 0
    mismatched: int = 0
    """mismatched counts fixes skipped because the text was not what they expected."""
    unsafe: int = 0
    """unsafe counts fixes skipped because they would change how line breaks read."""


def _newline_for(text: str, lines: _Lines, a: int, b: int) -> str:
    """The line break an edit over ``text[a:b]`` should insert: the one it replaces, else the
    one ending the line it starts on, else the file's first, else ``"\\n"``."""
    m = LINE_BREAK.search(text, a, b)
    if m:
        return m.group()
    own = lines.breaks[lines.line_of(a)]
    if own:
        return own
    first = LINE_BREAK.search(text)
    return first.group() if first else "\n"


def _with_breaks(edit: Edit, text: str, lines: _Lines, a: int, b: int) -> str:
    """The edit's replacement with each ``"\\n"`` written in the file's style: a line break
    the edit keeps (aligned with its old text) stays exactly as it was in the file (CRLF,
    lone CR or LF, even in a mixed file); a new one takes :func:`_newline_for`'s."""
    replacement = edit.replacement
    if "\n" not in replacement:
        return replacement
    own = LINE_BREAK.findall(text, a, b)
    default = _newline_for(text, lines, a, b)
    original = edit.original
    if original is None or original.count("\n") != len(own) or len(original) > _ALIGN_LIMIT:
        if original is None and replacement.count("\n") == len(own):
            parts = replacement.split("\n")
            return "".join(p + nl for p, nl in zip(parts, [*own, ""], strict=True))
        return replacement.replace("\n", default)
    # Align lines by their content up to whitespace, case and periods (all the fixes change),
    # in order: the break after a kept line is the break that followed it in the file.
    old_lines = original.split("\n")
    new_lines = replacement.split("\n")
    matcher = difflib.SequenceMatcher(
        None, [_line_key(x) for x in old_lines], [_line_key(x) for x in new_lines], autojunk=False
    )
    source: dict[int, int] = {}
    for tag, i1, i2, j1, _ in matcher.get_opcodes():
        if tag == "equal":
            source.update({j1 + k: i1 + k for k in range(i2 - i1)})
    out = [new_lines[0]]
    for j in range(1, len(new_lines)):
        i = source.get(j - 1)
        out.append(own[i] if i is not None and i < len(own) else default)
        out.append(new_lines[j])
    return "".join(out)


def _line_key(line: str) -> str:
    return line.strip().replace(".", "").casefold()


_ALIGN_LIMIT = 20_000  # help texts are short; beyond this, one break style for the edit


def apply_text(text: str, fixes: Iterable[Fix]) -> TextResult:
    """Apply the non-overlapping fixes to ``text`` (the decoded file, BOM removed, line breaks
    as in the file), verifying each edit's expected old text, and that the result reads (as
    Python reads line breaks) exactly as the edits applied to the logical text: removing text
    between a lone CR and an LF would fuse two line breaks into one CRLF."""
    lines = _Lines.of(text)
    logical = logical_text(text)
    logical_lines = _Lines.of(logical)
    accepted: list[tuple[int, int, str]] = []
    logical_spans: list[tuple[int, int, str]] = []
    seen: set[tuple[Edit, ...]] = set()
    result = TextResult(text)
    ordered = sorted(fixes, key=lambda f: min(f.edits) if f.edits else Edit(0, 0, 0, 0, ""))
    for fix in ordered:
        if not fix.edits or fix.edits in seen:
            continue
        spans: list[tuple[int, int, str]] = []
        lspans: list[tuple[int, int, str]] = []
        for edit in fix.edits:
            a = lines.offset(edit.line, edit.column)
            b = lines.offset(edit.end_line, edit.end_column)
            la = logical_lines.offset(edit.line, edit.column)
            lb = logical_lines.offset(edit.end_line, edit.end_column)
            if a is None or b is None or la is None or lb is None or "\r" in edit.replacement:
                spans = []
                break
            if b < a:
                spans = []
                break
            if edit.original is not None and logical_text(text[a:b]) != edit.original:
                spans = []
                result.mismatched += 1
                break
            replacement = _with_breaks(edit, text, lines, a, b)
            left, right = text[a - 1 : a], text[b : b + 1]
            if logical_text(left + replacement + right) != (
                logical_text(left) + edit.replacement + logical_text(right)
            ):
                spans = []
                result.unsafe += 1
                break
            spans.append((a, b, replacement))
            lspans.append((la, lb, edit.replacement))
        if not spans or _overlaps(spans, accepted):
            continue
        seen.add(fix.edits)
        accepted.extend(spans)
        logical_spans.extend(lspans)
        result.applied += 1
    new = _splice(text, accepted)
    if logical_text(new) != _splice(logical, logical_spans):
        # Edits that touch each other changed how line breaks read: apply none of them.
        result.unsafe += result.applied
        result.applied = 0
        return result
    result.text = new
    return result


def _splice(text: str, spans: list[tuple[int, int, str]]) -> str:
    for a, b, replacement in sorted(spans, key=lambda s: (s[0], s[1]), reverse=True):
        text = text[:a] + replacement + text[b:]
    return text


def apply_to_text(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """Apply the non-overlapping fixes to ``text``; returns the new text and how many applied."""
    result = apply_text(text, fixes)
    return result.text, result.applied


def _overlaps(spans: list[tuple[int, int, str]], accepted: list[tuple[int, int, str]]) -> bool:
    for a, b, _ in spans:
        for c, d, _ in accepted:
            if a < d and c < b:  # ranges intersect
                return True
            if a == b == c == d or (a == b and c < a < d) or (c == d and a < c < b):
                return True  # two insertions at one point, or an insertion inside a range
    return False


@dataclass
class FixReport:
    """What ``--fix`` did: fixes applied per file, files skipped (and why), write failures."""

    applied: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def _unsafe(root: Path, relpath: str) -> str | None:
    """Why ``root / relpath`` must not be written, or ``None``: no symlink anywhere below the
    root, nothing outside it, a regular file."""
    parts = Path(relpath).parts
    if not parts or Path(relpath).is_absolute() or ".." in parts:
        return "outside the project"
    current = root
    for i, part in enumerate(parts):
        current = current / part
        try:
            st = current.lstat()
        except OSError as err:
            return f"cannot read: {err.strerror or type(err).__name__}"
        if stat.S_ISLNK(st.st_mode):
            return "symlink"
        if i < len(parts) - 1 and not stat.S_ISDIR(st.st_mode):
            return "not a regular file"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file"
    real = Path(os.path.realpath(current))
    if real != root / Path(*parts):
        return "outside the project"
    return None


def _read_nofollow(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


@contextlib.contextmanager
def _locked(lock_dir: Path | None) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_dir/fix.lock`` so concurrent ``--fix`` runs on one
    project take turns; without a usable lock directory the compare-and-swap still holds."""
    fd = None
    if lock_dir is not None and lock_dir.is_dir() and not lock_dir.is_symlink():
        with contextlib.suppress(OSError):
            fd = os.open(lock_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError:
                os.close(fd)
                fd = None
    try:
        yield
    finally:
        if fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def fix_files(
    project_root: Path, diagnostics: Iterable[Diagnostic], *, lock_dir: Path | None = None
) -> FixReport:
    """Apply every fixable diagnostic's fix, file by file, and report per file."""
    by_file: dict[str, list[Fix]] = {}
    for d in diagnostics:
        if d.fix is not None and d.fix.edits:
            by_file.setdefault(d.file, []).append(d.fix)
    report = FixReport()
    root = Path(os.path.realpath(project_root))
    with _locked(lock_dir):
        for relpath, fixes in sorted(by_file.items()):
            _fix_one(root, relpath, fixes, report)
    return report


def _fix_one(root: Path, relpath: str, fixes: list[Fix], report: FixReport) -> None:
    reason = _unsafe(root, relpath)
    if reason is not None:
        report.skipped.append((relpath, reason))
        return
    path = root / relpath
    try:
        data = _read_nofollow(path)
    except OSError as err:
        report.skipped.append((relpath, f"cannot read: {err.strerror or type(err).__name__}"))
        return
    decoded = decode_source(data)
    if decoded is None:
        report.skipped.append((relpath, "cannot decode and re-encode it exactly"))
        return
    current = [f for f in fixes if f.source_sha256 in (None, decoded.digest)]
    if len(current) < len(fixes):
        report.skipped.append((relpath, "changed since it was checked (fix left for next run)"))
        if not current:
            return
    result = apply_text(decoded.text, current)
    if result.mismatched:
        report.skipped.append(
            (relpath, f"{result.mismatched} fix(es) did not match the file's text")
        )
    if result.unsafe:
        report.skipped.append(
            (relpath, f"{result.unsafe} fix(es) would change the file's line breaks")
        )
    if not result.applied or result.text == decoded.text:
        return
    try:
        new_data = result.text.encode(decoded.encoding)
    except UnicodeError:
        report.skipped.append((relpath, f"the fixed text cannot be encoded as {decoded.encoding}"))
        return
    try:
        atomic_replace(path, new_data)
    except OSError as err:
        report.failed.append((relpath, f"cannot write: {err.strerror or err}"))
        return
    report.applied[relpath] = result.applied


def apply_fixes(project_root: Path, diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    """Apply every fixable diagnostic's fix; returns ``{relpath: fixes applied}`` for the
    files that changed (see :func:`fix_files` for the skipped and failed files)."""
    return fix_files(project_root, diagnostics).applied
