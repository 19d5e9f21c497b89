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
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kdocs.extract.cli import literal_table
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

    try:
        text = Path(path).read_text(encoding="utf-8")
        wrapper = MetadataWrapper(cst.parse_module(text))
    except (OSError, UnicodeDecodeError, cst.ParserSyntaxError, RecursionError):
        return None
    return _collect(wrapper)


def load_index(root: Path, relpath: str) -> _Index | None:
    path = root / relpath
    try:
        st = path.stat()
    except OSError:
        return None
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
        return Literal(raw[0], raw[1], raw[2], raw[3], raw[4], is_docstring=is_doc)
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
    return _literal(node, pos, docstring=docstring)


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
    return (Edit(line, col, end_line, end_col, new[start:end_new]),)


def keyword_source(
    root: Path,
    where: SourceLocation,
    keyword: str,
    facts: Mapping[str, Any] | None = None,
) -> str | None:
    """The source text of ``keyword=`` in the call at ``where`` (an ``ArgumentParser(...)`` or
    ``add_parser(...)``), e.g. ``"argparse.RawDescriptionHelpFormatter"``; ``None`` if absent.
    Read from the cached literal table in ``facts`` when it has the file (no parse)."""
    table = _table(facts, where.file)
    if table is not None and keyword in literal_table.SOURCE_KEYWORDS:
        return literal_table.keyword_source(table, where.line, keyword)
    import libcst as cst

    index = load_index(root, where.file)
    if index is None:
        return None
    for pos, call in index.calls:
        if pos.start.line != where.line:
            continue
        arg = _keyword(call, (keyword,))
        if arg is not None:
            return cst.Module([]).code_for_node(arg.value)
    return None
