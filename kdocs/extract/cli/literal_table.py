"""Where the help texts of a file are written: a small JSON table built at extraction (``ast``).

The help-text rules offer fixes (add a period, capitalise...) that rewrite the string literal
behind a help text, and the argparse rules need the source of ``formatter_class=``. Both used
to re-parse the file with libcst on every run; this table is computed once per file with the
``ast`` tree extraction already has, cached with the file's facts, and answers the same
questions as :func:`kdocs.rules.cli.literals.find_literal` and ``keyword_source``. Positions
are libcst's: 1-based lines, 0-based columns in code points.

Table shape (JSON)::

    {"calls": [[line, column, end_line, is_command_decorator, {keyword: LIT | null}], ...],
     "call_lines": [line of every call],
     "sources": {"line:column": {keyword: "source text"}},
     "functions": [[def_line, [[dec_line, dec_end_line, call_index or -1], ...], LIT | null]]}
    LIT = [line, column, prefix, quote, body]   (a plain literal whose body is its value)
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Any

from kdocs.linebreaks import LINE_BREAK, logical_text

HELP_KEYWORDS = frozenset({"help", "short_help", "description", "epilog"})
SOURCE_KEYWORDS = frozenset({"formatter_class"})
_COMMAND_FACTORIES = {"command", "group", "callback"}
_QUOTES = ('"""', "'''", '"', "'")


class _Lines:
    """Byte offsets (ast) to code-point columns (libcst), line by line, and source segments.

    The file is split once, at the line breaks ``ast`` counts (CRLF, lone CR, LF; not form
    feeds), so every lookup is proportional to the node, not to the file:
    ``ast.get_source_segment`` re-splits the whole source on every call, which made a
    10,000-line argparse script take 30 s.
    """

    def __init__(self, text: str) -> None:
        self.lines = _split_keepends(text)

    def column(self, line: int, byte_offset: int) -> int:
        if not 1 <= line <= len(self.lines):
            return byte_offset
        return len(self.lines[line - 1].encode("utf-8")[:byte_offset].decode("utf-8", "replace"))

    def segment(self, node: ast.AST) -> str | None:
        """What ``ast.get_source_segment(text, node)`` returns, without re-splitting."""
        end_lineno: int | None = getattr(node, "end_lineno", None)
        end_col: int | None = getattr(node, "end_col_offset", None)
        lineno: int | None = getattr(node, "lineno", None)
        col: int | None = getattr(node, "col_offset", None)
        if end_lineno is None or end_col is None or lineno is None or col is None:
            return None
        first, last = lineno - 1, end_lineno - 1
        if not 0 <= first <= last < len(self.lines):
            return None
        try:
            if first == last:
                return self.lines[first].encode("utf-8")[col:end_col].decode("utf-8")
            head = self.lines[first].encode("utf-8")[col:].decode("utf-8")
            tail = self.lines[last].encode("utf-8")[:end_col].decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "".join([head, *self.lines[first + 1 : last], tail])


def _split_keepends(text: str) -> list[str]:
    """``text`` split after each CRLF, lone CR or LF (each kept), as ``ast`` counts lines."""
    out: list[str] = []
    start = 0
    for match in LINE_BREAK.finditer(text):
        out.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        out.append(text[start:])
    return out


def _literal(node: ast.expr, text: str, lines: _Lines) -> list[Any] | None:
    """``[line, column, prefix, quote, body]`` of a plain string literal whose body is its
    value (no escapes unless raw, not bytes/f-string, not implicitly concatenated)."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return None
    segment = lines.segment(node)
    if not segment:
        return None
    i = 0
    while i < len(segment) and segment[i].isalpha():
        i += 1
    prefix, rest = segment[:i], segment[i:]
    if "b" in prefix.lower() or "f" in prefix.lower():
        return None
    quote = next((q for q in _QUOTES if rest.startswith(q)), None)
    if quote is None or len(rest) < 2 * len(quote) or not rest.endswith(quote):
        return None
    # Line breaks as Python's tokenizer reads them inside a literal (CRLF and lone CR as LF).
    body = logical_text(rest[len(quote) : len(rest) - len(quote)])
    if "\\" in body and "r" not in prefix.lower():
        return None
    try:
        if ast.literal_eval(logical_text(segment)) != body:
            return None  # implicit concatenation ("a" "b"), or not what it seems
    except (ValueError, SyntaxError):
        return None
    return [node.lineno, lines.column(node.lineno, node.col_offset), prefix, quote, body]


def _is_command_decorator(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in _COMMAND_FACTORIES


def build(tree: ast.Module, text: str) -> dict[str, Any]:
    """The table of one file (only calls that have a help-like keyword or create commands)."""
    lines = _Lines(text)
    calls: list[list[Any]] = []
    index: dict[int, int] = {}
    sources: dict[str, dict[str, str]] = {}
    functions: list[list[Any]] = []
    call_lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            call_lines.add(node.lineno)
            keywords = {k.arg: k.value for k in node.keywords if k.arg is not None}
            help_kw = {k: v for k, v in keywords.items() if k in HELP_KEYWORDS}
            is_command = _is_command_decorator(node)
            if help_kw or is_command:
                column = lines.column(node.lineno, node.col_offset)
                index[id(node)] = len(calls)
                calls.append(
                    [
                        node.lineno,
                        column,
                        node.end_lineno or node.lineno,
                        is_command,
                        {k: _literal(v, text, lines) for k, v in help_kw.items()},
                    ]
                )
            for key in SOURCE_KEYWORDS & keywords.keys():
                segment = lines.segment(keywords[key])
                if segment is not None:
                    column = lines.column(node.lineno, node.col_offset)
                    sources.setdefault(f"{node.lineno}:{column}", {})[key] = segment
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            decorators = [
                [
                    dec.lineno,
                    dec.end_lineno or dec.lineno,
                    index.get(id(dec), -1) if isinstance(dec, ast.Call) else -1,
                ]
                for dec in node.decorator_list
            ]
            doc = None
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr):
                doc = _literal(first.value, text, lines)
            functions.append([node.lineno, decorators, doc])
    return {
        "calls": calls,
        "call_lines": sorted(call_lines),
        "sources": sources,
        "functions": functions,
    }


def find(
    table: dict[str, Any],
    line: int,
    column: int,
    keywords: Sequence[str],
    *,
    docstring: bool = False,
) -> tuple[list[Any] | None, bool]:
    """The literal for the item defined at (``line``, 1-based ``column``), as
    :func:`kdocs.rules.cli.literals.find_literal` finds it: ``(LIT or None, is_docstring)``.

    Lookups go through an index of the table built once (see :class:`_Index`): the rules
    ask once per option, and scanning every call of the file each time made a file with
    thousands of click commands quadratic (8,000 commands: 89 s)."""
    index = _index(table)
    calls = index.calls
    if line in index.call_lines:
        here = list(index.by_line.get(line, ()))
        here.sort(key=lambda c: (c[1] != column - 1, c[1]))
    else:  # a parameter (typer ``x: str = typer.Option(...)``): calls spanning it
        spanning = index.spanning(line)
        here = [c for c in spanning if any(k in c[4] for k in keywords)]
        here.sort(key=lambda c: c[0], reverse=True)
    for call in here:
        has_keyword = any(k in call[4] for k in keywords)
        if call[3] or has_keyword:
            return _keyword_literal(call, keywords), False
    func = index.function_at(line)
    if func is None:
        return None, False
    for _start, _end, call_index in func[1]:
        if call_index >= 0:
            call = calls[call_index]
            if call[3] and any(k in call[4] for k in keywords):
                return _keyword_literal(call, keywords), False
    if not docstring or func[2] is None:
        return None, False
    return func[2], True


class _Index:
    """Dictionaries over one table: calls by line, functions by decorator line and by
    ``def`` line, ``formatter_class`` sources by line. Same answers as scanning the lists
    in order (the first match wins in both)."""

    def __init__(self, table: dict[str, Any]) -> None:
        self.table = table  # kept alive, so the cache's id() key stays this table's
        self.calls: list[list[Any]] = table.get("calls", [])
        self.call_lines = set(table.get("call_lines", ()))
        self.by_line: dict[int, list[list[Any]]] = {}
        for call in self.calls:
            self.by_line.setdefault(call[0], []).append(call)
        self._spanning: dict[int, list[list[Any]]] | None = None
        self.by_decorator_line: dict[int, list[Any]] = {}
        self.by_def_line: dict[int, list[Any]] = {}
        for func in table.get("functions", []):
            for start, end, _call in func[1]:
                for covered in range(start, end + 1):
                    self.by_decorator_line.setdefault(covered, func)
            self.by_def_line.setdefault(func[0], func)
        self.sources: dict[str, dict[str, str]] = {}
        for where, found in table.get("sources", {}).items():
            merged = self.sources.setdefault(where.split(":", 1)[0], {})
            for keyword, text in found.items():
                merged.setdefault(keyword, text)

    def spanning(self, line: int) -> list[list[Any]]:
        """The calls whose lines include ``line``, in table order (built on first use: the
        lines each call spans, so the total is the file's lines times the call nesting)."""
        if self._spanning is None:
            self._spanning = {}
            for call in self.calls:
                for covered in range(call[0], call[2] + 1):
                    self._spanning.setdefault(covered, []).append(call)
        return self._spanning.get(line, [])

    def function_at(self, line: int) -> list[Any] | None:
        """The function one of whose decorators spans ``line``, else the one defined there."""
        return self.by_decorator_line.get(line) or self.by_def_line.get(line)


_INDEXES: dict[int, _Index] = {}
_MAX_INDEXES = 256


def _index(table: dict[str, Any]) -> _Index:
    found = _INDEXES.get(id(table))
    if found is not None and found.table is table:
        return found
    if len(_INDEXES) >= _MAX_INDEXES:
        _INDEXES.clear()
    built = _INDEXES[id(table)] = _Index(table)
    return built


def _keyword_literal(call: list[Any], keywords: Sequence[str]) -> list[Any] | None:
    for key, literal in call[4].items():  # the first asked-for keyword, in call order
        if key in keywords:
            return literal  # type: ignore[no-any-return]
    return None


def keyword_source(table: dict[str, Any], line: int, keyword: str) -> str | None:
    """The source of ``keyword=`` in a call starting on ``line`` (``formatter_class``)."""
    return _index(table).sources.get(str(line), {}).get(keyword)
