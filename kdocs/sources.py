"""Read, decode and parse one file; turn every failure into an E-family problem, never a crash."""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass

from kdocs.extract import SourceFile
from kdocs.project import SourceEntry


@dataclass(frozen=True)
class FileProblem:
    """Why a file could not be analysed. ``code`` is an E-family rule code."""

    code: str
    message: str
    line: int = 1
    column: int = 1

    def to_json(self) -> list[object]:
        return [self.code, self.message, self.line, self.column]

    @classmethod
    def from_json(cls, data: list[object]) -> FileProblem:
        code, message, line, column = data
        return cls(str(code), str(message), int(str(line)), int(str(column)))


def read_bytes(entry: SourceEntry) -> bytes | FileProblem:
    try:
        return entry.path.read_bytes()
    except OSError as err:
        reason = err.strerror or type(err).__name__
        if err.errno == 40:  # ELOOP
            reason = "symlink loop"
        return FileProblem("E001", f"cannot read file: {reason}")


def decode(data: bytes) -> str | FileProblem:
    """Decode like Python does: BOM, then a PEP 263 coding cookie, else UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as err:
        if "unknown encoding" in str(err.msg):
            return FileProblem("E002", f"cannot decode file: {err.msg}")
        encoding = "utf-8"  # undecodable bytes in the first two lines: say where below
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        byte = data[err.start : err.start + 1].hex()
        return FileProblem(
            "E002",
            f"file is not valid {encoding}: byte 0x{byte} at line {line}, column {column}"
            " (save it as UTF-8 or declare its encoding)",
            line=line,
            column=column,
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def check_syntax(source: SourceFile) -> FileProblem | None:
    try:
        source.tree  # noqa: B018 - parsing is the check
    except SyntaxError as err:
        line = err.lineno or 1
        column = err.offset or 1
        return FileProblem("E003", f"syntax error: {err.msg}", line=line, column=max(column, 1))
    except (ValueError, RecursionError, MemoryError) as err:
        return FileProblem("E003", f"cannot parse file: {err}")
    return None


def load(entry: SourceEntry, data: bytes) -> SourceFile | FileProblem:
    text = decode(data)
    if isinstance(text, FileProblem):
        return text
    return SourceFile(
        relpath=entry.relpath,
        module=entry.module,
        text=text,
        is_package=entry.path.name in ("__init__.py", "__init__.pyi"),
    )
