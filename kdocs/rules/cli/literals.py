"""Locate the string literal behind a help text, for ``--fix`` (exact positions).

The cli provider's cached per-file literal table (:mod:`kdocs.extract.cli.literal_table`)
answers normally; libcst, slow to import and to parse with, is only the fallback for a file
without a table.

Rules work on the command model; only when a finding is mechanically fixable does this
module read the source file again to find the literal that produced the text: the ``help=``
(or ``short_help=``, ``description=``, ``epilog=``) keyword of the call at the item's source
position, or the docstring of the function a decorator decorates. A fix is offered only for
a plain string literal whose body is its value (no escapes, or a raw string), so the rewrite
is exact; the new literal is re-evaluated and compared before an edit is produced.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kdocs import readlog
from kdocs.extract.cli import literal_table
from kdocs.linebreaks import logical_text
from kdocs.models.cli import SourceLocation
from kdocs.models.diagnostics import Edit

if TYPE_CHECKING:
    import libcst as cst
    from libcst.metadata import CodeRange


@dataclass(frozen=True)
class Literal:
    """A simple string literal: where its token starts (1-based line, 0-based column in code
    points), its prefix and quote, and its body text (equal to its value)."""

    line: int
    column: int
    prefix: str
    quote: str
    body: str
    is_docstring: bool = False
    digest: str | None = None
    """digest is the SHA-256 of the file bytes the position was read from (for --fix)."""

    @property
    def value(self) -> str:
        return self.body

    def position(self, index: int) -> tuple[int, int]:
        """1-based (line, column) of body index ``index``."""
        before = self.body[:index]
        newlines = before.count("\n")
        if newlines == 0:
            return self.line, self.column + len(self.prefix) + len(self.quote) + index + 1
        return self.line + newlines, index - before.rfind("\n")


@dataclass
class _Index:
    calls: list[tuple[CodeRange, cst.Call]]
    functions: list[tuple[CodeRange, cst.FunctionDef]]
    decorators: list[tuple[CodeRange, cst.Decorator, cst.FunctionDef]]
    strings: dict[int, CodeRange]
    def_lines: list[tuple[int, cst.FunctionDef]]
    digest: str = ""


def _collect(wrapper: Any) -> _Index:
    # libcst is slow to import: only the fallback path (no cached table) loads it.
    import libcst as cst
    from libcst.metadata import PositionProvider

    class Collector(cst.CSTVisitor):
        METADATA_DEPENDENCIES = (PositionProvider,)

        def __init__(self) -> None:
            self.index = _Index([], [], [], {}, [])

        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            self.index.strings[id(node)] = self.get_metadata(PositionProvider, node)

        def visit_Call(self, node: cst.Call) -> None:
            self.index.calls.append((self.get_metadata(PositionProvider, node), node))

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            pos = self.get_metadata(PositionProvider, node)
            self.index.functions.append((pos, node))
            name_pos = self.get_metadata(PositionProvider, node.name)
            self.index.def_lines.append((name_pos.start.line, node))
            for dec in node.decorators:
                self.index.decorators.append((self.get_metadata(PositionProvider, dec), dec, node))

    collector = Collector()
    wrapper.visit(collector)
    return collector.index


@functools.lru_cache(maxsize=64)
def _index(path: str, mtime_ns: int, size: int) -> _Index | None:
    import libcst as cst
    from libcst.metadata import MetadataWrapper

    # Parse exactly the text ``--fix`` maps positions into (kdocs.linebreaks.logical_text):
    # decoded as Python decodes it, BOM dropped, every line break (CRLF, lone CR) as "\n".
    from kdocs.linebreaks import decode_source

    try:
        data = Path(path).read_bytes()
        decoded = decode_source(data)
        if decoded is None:
            return None
        wrapper = MetadataWrapper(cst.parse_module(logical_text(decoded.text)))
    except (OSError, cst.ParserSyntaxError, RecursionError):
        return None
    index = _collect(wrapper)
    index.digest = decoded.digest
    return index


def load_index(root: Path, relpath: str) -> _Index | None:
    path = root / relpath
    try:
        st = path.stat()
    except OSError:
        return None
    readlog.note(path)  # cached per process: a later run may not open it
    return _index(str(path), st.st_mtime_ns, st.st_size)


def _simple(node: cst.BaseExpression) -> cst.SimpleString | None:
    import libcst as cst

    if isinstance(node, cst.SimpleString):
        prefix = node.prefix.lower()
        if "b" in prefix or "f" in prefix:
            return None
        return node
    return None


def _literal(node: cst.SimpleString, pos: CodeRange, *, docstring: bool) -> Literal | None:
    prefix = node.prefix
    quote = node.quote
    body = node.value[len(prefix) + len(quote) : len(node.value) - len(quote)]
    if "\\" in body and "r" not in prefix.lower():
        return None  # escapes: the body is not the value, do not rewrite by hand
    try:
        if ast.literal_eval(node.value) != body:
            return None
    except (ValueError, SyntaxError):
        return None
    return Literal(pos.start.line, pos.start.column, prefix, quote, body, docstring)


def _keyword(call: cst.Call, names: Sequence[str]) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in names:
            return arg
    return None


def _docstring(func: cst.FunctionDef) -> cst.SimpleString | None:
    import libcst as cst

    body = func.body
    if not isinstance(body, cst.IndentedBlock) or not body.body:
        return None
    first = body.body[0]
    if isinstance(first, cst.SimpleStatementLine) and len(first.body) == 1:
        expr = first.body[0]
        if isinstance(expr, cst.Expr):
            return _simple(expr.value)
    return None


def find_literal(
    root: Path,
    where: SourceLocation,
    keywords: Sequence[str],
    *,
    docstring: bool = False,
    facts: Mapping[str, Any] | None = None,
) -> Literal | None:
    """The literal for the item defined at ``where``: a keyword of the call there (an option
    decorator, ``add_argument``, ``add_parser``, ``ArgumentParser``), else a keyword of the
    command decorator of the function defined or decorated there, else (when ``docstring``)
    that function's docstring.

    ``facts`` are the cli provider's per-file facts: when they hold the file's literal table
    (built at extraction, cached) it answers without reading or parsing the file."""
    table = _table(facts, where.file)
    if table is not None:
        raw, is_doc = literal_table.find(
            table, where.line, where.column, keywords, docstring=docstring
        )
        if not raw:
            return None
        lit = Literal(raw[0], raw[1], raw[2], raw[3], raw[4], is_docstring=is_doc)
        return _verified(root / where.file, lit)
    import libcst as cst

    index = load_index(root, where.file)
    if index is None:
        return None
    calls = [(pos, c) for pos, c in index.calls if pos.start.line == where.line]
    calls.sort(key=lambda pc: (pc[0].start.column != where.column - 1, pc[0].start.column))
    if not calls:  # a parameter (typer ``x: str = typer.Option(...)``): calls spanning it
        calls = [
            (pos, c)
            for pos, c in index.calls
            if pos.start.line <= where.line <= pos.end.line and _keyword(c, keywords)
        ]
        calls.sort(key=lambda pc: pc[0].start.line, reverse=True)
    for _, call in calls:
        if _is_command_decorator(call) or _keyword(call, keywords) is not None:
            return _from_call(index, call, keywords)
    func = _function_at(index, where.line)
    if func is None:
        return None
    for dec in func.decorators:
        if isinstance(dec.decorator, cst.Call) and _is_command_decorator(dec.decorator):
            arg = _keyword(dec.decorator, keywords)
            if arg is not None:
                return _from_call(index, dec.decorator, keywords)
    if not docstring:
        return None
    node = _docstring(func)
    if node is None:
        return None
    return _literal_at(index, node, docstring=True)


_COMMAND_FACTORIES = {"command", "group", "callback"}


def _table(facts: Mapping[str, Any] | None, relpath: str) -> dict[str, Any] | None:
    entry = facts.get(relpath) if facts is not None else None
    table = entry.get("literals") if isinstance(entry, dict) else None
    return table if isinstance(table, dict) else None


def _is_command_decorator(call: cst.Call) -> bool:
    import libcst as cst

    func = call.func
    name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
    return name in _COMMAND_FACTORIES


def _from_call(index: _Index, call: cst.Call, keywords: Sequence[str]) -> Literal | None:
    arg = _keyword(call, keywords)
    if arg is None:
        return None
    node = _simple(arg.value)
    return None if node is None else _literal_at(index, node)


def _function_at(index: _Index, line: int) -> cst.FunctionDef | None:
    for pos, _dec, fn in index.decorators:
        if pos.start.line <= line <= pos.end.line:
            return fn
    for def_line, fn in index.def_lines:
        if def_line == line:
            return fn
    return None


def _literal_at(
    index: _Index, node: cst.SimpleString, *, docstring: bool = False
) -> Literal | None:
    pos = index.strings.get(id(node))
    if pos is None:
        return None
    lit = _literal(node, pos, docstring=docstring)
    return None if lit is None else dataclasses.replace(lit, digest=index.digest)


def _verified(path: Path, lit: Literal) -> Literal | None:
    """The cached table's literal, checked against the file as it is now and bound to its
    digest: positions come from the text the facts were extracted from, so a file changed
    since (another ``--fix`` run, an editor) gives no fix rather than a misplaced one."""
    try:
        st = path.stat()
    except OSError:
        return None
    readlog.note(path)  # cached per process: a later run may not open it
    current = _logical_file(str(path), st.st_mtime_ns, st.st_size)
    if current is None:
        return None
    text, line_starts, digest = current
    body = logical_text(lit.body)
    source = f"{lit.prefix}{lit.quote}{body}{lit.quote}"
    if not 1 <= lit.line <= len(line_starts):
        return None
    offset = line_starts[lit.line - 1] + lit.column
    if text[offset : offset + len(source)] != source:
        return None
    return dataclasses.replace(lit, body=body, digest=digest)


@functools.lru_cache(maxsize=64)
def _logical_file(path: str, mtime_ns: int, size: int) -> tuple[str, list[int], str] | None:
    """A file's logical text, the offset where each of its lines starts, and the digest of
    its bytes: read and decoded once per file version, however many literals it holds."""
    from kdocs.linebreaks import decode_source

    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    decoded = decode_source(data)
    if decoded is None:
        return None
    text = logical_text(decoded.text)
    line_starts = [0]
    line_starts.extend(i + 1 for i, char in enumerate(text) if char == "\n")
    return text, line_starts, decoded.digest


def edits_for(lit: Literal, transform: Callable[[str], str]) -> tuple[Edit, ...] | None:
    """The minimal edit turning the literal's body into ``transform(body)``, or ``None`` when
    the result would not be the same kind of literal with exactly that value."""
    old = lit.body
    new = transform(old)
    if new == old:
        return None
    source = f"{lit.prefix}{lit.quote}{new}{lit.quote}"
    try:
        if ast.literal_eval(source) != new:
            return None
    except (ValueError, SyntaxError):
        return None
    if "\\" in new and "r" not in lit.prefix.lower():
        return None
    if len(lit.quote) == 1 and "\n" in new:
        return None
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    line, col = lit.position(start)
    end_line, end_col = lit.position(end_old)
    return (Edit(line, col, end_line, end_col, new[start:end_new], original=old[start:end_old]),)


def keyword_source(
    root: Path,
    where: SourceLocation,
    keyword: str,
    facts: Mapping[str, Any] | None = None,
) -> str | None:
    """The source text of ``keyword=`` in the call at ``where`` (an ``ArgumentParser(...)`` or
    ``add_parser(...)``), e.g. ``"argparse.RawDescriptionHelpFormatter"``; ``None`` if absent.

    Read from the cached literal table in ``facts`` when it has the file (no parse). Else
    from a per-file table of calls by line, built once with ``ast``: rules ask this once per
    option (C902 wants each parser's ``formatter_class``), and a libcst parse of a
    10,000-line file took 10 s, while a scan of every call per option was quadratic.
    """
    table = _table(facts, where.file)
    if table is not None and keyword in literal_table.SOURCE_KEYWORDS:
        return literal_table.keyword_source(table, where.line, keyword)
    path = root / where.file
    try:
        st = path.stat()
    except OSError:
        return None
    readlog.note(path)  # cached per process: a later run may not open it
    calls = _call_keywords(str(path), st.st_mtime_ns, st.st_size)
    if calls is None:
        return None
    for keywords in calls.get(where.line, ()):
        if keyword in keywords:
            return keywords[keyword]
    return None


@functools.lru_cache(maxsize=64)
def _call_keywords(path: str, mtime_ns: int, size: int) -> dict[int, list[dict[str, str]]] | None:
    """Line -> the keyword arguments (name -> source text) of each call starting there, the
    outermost call first (the order a pre-order walk meets them)."""
    from kdocs.bigliterals import parse
    from kdocs.fsread import read_regular

    try:
        data = read_regular(path)
        text = data.decode("utf-8")
        tree = parse(text, path)
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    lines = data.splitlines(keepends=True)  # ast column offsets count UTF-8 bytes
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    calls.sort(
        key=lambda c: (c.lineno, c.col_offset, -(c.end_lineno or 0), -(c.end_col_offset or 0))
    )
    out: dict[int, list[dict[str, str]]] = {}
    for call in calls:
        keywords = {kw.arg: _segment(lines, kw.value) for kw in call.keywords if kw.arg}
        out.setdefault(call.lineno, []).append(keywords)
    return out


def _segment(lines: list[bytes], node: ast.expr) -> str:
    """The exact source text of ``node`` (as ``ast.get_source_segment``, without re-splitting
    the whole file for every node)."""
    end_line = node.end_lineno or node.lineno
    end_col = node.end_col_offset if node.end_col_offset is not None else len(lines[end_line - 1])
    if node.lineno == end_line:
        chunk = lines[node.lineno - 1][node.col_offset : end_col]
    else:
        chunk = b"".join(
            [
                lines[node.lineno - 1][node.col_offset :],
                *lines[node.lineno : end_line - 1],
                lines[end_line - 1][:end_col],
            ]
        )
    return chunk.decode("utf-8", errors="replace")
