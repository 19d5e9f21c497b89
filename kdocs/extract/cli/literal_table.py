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
import re
from collections.abc import Sequence
from typing import Any

from kdocs.linebreaks import logical_text

HELP_KEYWORDS = frozenset({"help", "short_help", "description", "epilog"})
SOURCE_KEYWORDS = frozenset({"formatter_class"})
_COMMAND_FACTORIES = {"command", "group", "callback"}
_QUOTES = ('"""', "'''", '"', "'")


_AST_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
"""A line as ``ast.get_source_segment`` splits them (only CR, LF and CRLF end a line)."""


class _Lines:
    """Byte offsets (ast) to code-point columns (libcst), line by line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self._ast_lines: list[str] | None = None

    def segment(self, node: ast.expr) -> str | None:
        """``ast.get_source_segment(text, node)``, without splitting the whole text again on
        every call (that made this table quadratic: 2.6 s of meson's 3.5 s cold CPU)."""
        end_line, end_col = node.end_lineno, node.end_col_offset
        if end_line is None or end_col is None:
            return None
        if self._ast_lines is None:
            self._ast_lines = _AST_LINE.findall(self.text)
        lines = self._ast_lines
        first, last = node.lineno - 1, end_line - 1
        if not 0 <= first <= last < len(lines):
            return None
        if first == last:
            return lines[first].encode()[node.col_offset : end_col].decode()
        head = lines[first].encode()[node.col_offset :].decode()
        tail = lines[last].encode()[:end_col].decode()
        return "".join([head, *lines[first + 1 : last], tail])

    def column(self, line: int, byte_offset: int) -> int:
        if not 1 <= line <= len(self.lines):
            return byte_offset
        return len(self.lines[line - 1].encode("utf-8")[:byte_offset].decode("utf-8", "replace"))


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
    :func:`kdocs.rules.cli.literals.find_literal` finds it: ``(LIT or None, is_docstring)``."""
    calls = table.get("calls", [])
    here = [c for c in calls if c[0] == line]
    here.sort(key=lambda c: (c[1] != column - 1, c[1]))
    if line not in table.get(
        "call_lines", ()
    ):  # a parameter (typer ``x: str = typer.Option(...)``): calls spanning it
        here = [c for c in calls if c[0] <= line <= c[2] and any(k in c[4] for k in keywords)]
        here.sort(key=lambda c: c[0], reverse=True)
    for call in here:
        has_keyword = any(k in call[4] for k in keywords)
        if call[3] or has_keyword:
            return _keyword_literal(call, keywords), False
    func = _function_at(table, line)
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


def _keyword_literal(call: list[Any], keywords: Sequence[str]) -> list[Any] | None:
    for key, literal in call[4].items():  # the first asked-for keyword, in call order
        if key in keywords:
            return literal  # type: ignore[no-any-return]
    return None


def _function_at(table: dict[str, Any], line: int) -> list[Any] | None:
    functions = table.get("functions", [])
    for func in functions:
        for start, end, _call in func[1]:
            if start <= line <= end:
                return func  # type: ignore[no-any-return]
    for func in functions:
        if func[0] == line:
            return func  # type: ignore[no-any-return]
    return None


def keyword_source(table: dict[str, Any], line: int, keyword: str) -> str | None:
    """The source of ``keyword=`` in a call starting on ``line`` (``formatter_class``)."""
    for where, found in table.get("sources", {}).items():
        if where.split(":", 1)[0] == str(line) and keyword in found:
            return found[keyword]  # type: ignore[no-any-return]
    return None
