"""Read, decode and parse one file; turn every failure into an E-family problem, never a crash."""

from __future__ import annotations

import ast
import codecs
import io
import tokenize
from dataclasses import dataclass
from functools import cached_property

from kdocs.escape import excerpt
from kdocs.fsread import DEFAULT_MAX_FILE_SIZE, RefusedFile, read_regular
from kdocs.project import SourceEntry


@dataclass
class SourceFile:
    """A decoded Python file handed to extractors. ``tree`` is parsed once, on demand."""

    relpath: str
    module: str
    text: str
    is_package: bool = False

    @cached_property
    def tree(self) -> ast.Module:
        # Files for a newer Python (PEP 701 f-strings, PEP 695) are read too: see newer_syntax;
        # huge generated data tables are not turned into nodes: see bigliterals.
        from kdocs.bigliterals import parse

        return parse(self.text, self.relpath)


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


def read_bytes(entry: SourceEntry, max_size: int = DEFAULT_MAX_FILE_SIZE) -> bytes | FileProblem:
    """The file's bytes, or an E001 problem: unreadable, not a regular file (a FIFO, a
    symlink to ``/dev/zero``), or larger than ``max-file-size`` (skipped, reported once)."""
    try:
        return read_regular(entry.fspath, max_size)
    except RefusedFile as err:
        return FileProblem("E001", f"skipped: {err.reason}")
    except OSError as err:
        reason = err.strerror or type(err).__name__
        if err.errno == 40:  # ELOOP
            reason = "symlink loop"
        return FileProblem("E001", f"cannot read file: {reason}")


def _text_codec(name: str) -> str | FileProblem:
    """The normalised name of a text encoding, or E002 for a codec Python's tokenizer
    refuses: unknown, or not a text encoding (``hex``, ``rot13``, ``zlib_codec`` are
    bytes-to-bytes or str-to-str codecs and make ``bytes.decode`` raise LookupError)."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return FileProblem("E002", f"cannot decode file: unknown encoding: {excerpt(name)}")
    if not getattr(info, "_is_text_encoding", True):
        return FileProblem("E002", f"cannot decode file: {excerpt(name)} is not a text encoding")
    return info.name


def decode(data: bytes) -> str | FileProblem:
    """Decode like Python does: BOM, then a PEP 263 coding cookie, else UTF-8."""
    declared = "utf-8" if _plain_utf8(data) else _declared_encoding(data)
    if isinstance(declared, FileProblem):
        return declared
    encoding = declared
    try:
        text = data.decode(encoding)
    except LookupError as err:
        return FileProblem("E002", f"cannot decode file: {excerpt(str(err))}")
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


def _plain_utf8(data: bytes) -> bool:
    """Whether Python reads ``data`` as UTF-8 without looking further: no byte-order mark and
    no ``coding`` in its first two lines (the only places a PEP 263 cookie counts, split at
    ``\\n`` as ``tokenize.detect_encoding`` reads them). Most files: the tokenizer's
    detection (about 4% of a cold ``check --select I`` per file) is skipped for them."""
    if data.startswith(codecs.BOM_UTF8):
        return False
    first = data.find(b"\n")
    end = -1 if first < 0 else data.find(b"\n", first + 1)
    head = data if end < 0 else data[:end]
    return b"coding" not in head


def _declared_encoding(data: bytes) -> str | FileProblem:
    """The encoding Python would use for ``data`` (its BOM or coding cookie), or E002."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as err:
        message = str(err.msg or "")
        if data.startswith(codecs.BOM_UTF8) and "encoding problem" in message:
            # Python refuses a UTF-8 BOM with a cookie naming another encoding.
            return FileProblem(
                "E002",
                "cannot decode file: it starts with a UTF-8 byte-order mark but its coding"
                " cookie declares another encoding (Python refuses it)",
            )
        if "unknown encoding" in message or "encoding problem" in message:
            return FileProblem("E002", f"cannot decode file: {excerpt(message)}")
        encoding = "utf-8"  # undecodable bytes in the first two lines: say where below
    except LookupError as err:  # pragma: no cover - detect_encoding raises SyntaxError
        return FileProblem("E002", f"cannot decode file: {excerpt(str(err))}")
    return _text_codec(encoding)


def check_syntax(source: SourceFile) -> FileProblem | None:
    try:
        source.tree  # noqa: B018 - parsing is the check
    except SyntaxError as err:
        line = err.lineno or 1
        column = err.offset or 1
        reason = excerpt(str(err.msg or "")) or "invalid syntax"
        return FileProblem("E003", f"syntax error: {reason}", line=line, column=max(column, 1))
    except RecursionError:
        return FileProblem("E003", "cannot parse file: nesting too deep")
    except MemoryError:
        return FileProblem("E003", "cannot parse file: out of memory")
    except ValueError as err:
        reason = excerpt(str(err)) or type(err).__name__
        return FileProblem("E003", f"cannot parse file: {reason}")
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
