"""Find import statements without parsing the whole file.

``ast.parse`` of every file is the dominant cost of building an import graph (django: about
1.5 s on one core here, against 0.2 s for grimp's Rust parser). Import statements are easy to
spot: a line that starts with ``import`` or ``from``. This scanner finds those lines with one
regular expression, skips the ones inside triple-quoted strings, parses only the import
statements (joined into one small text, one ``ast.parse`` per file) and works out the block
context (``if TYPE_CHECKING:``, a function, a condition) from the indentation of the header
lines above each indented import.

Whenever the text holds something the scanner cannot be sure about (a triple quote after a
comment sign or another quote on its line, an escaped triple quote, a snippet that does not
parse as imports only, a ``;`` or one-line block holding an import), :func:`scan` returns
``None`` and the caller falls back to the full parse (:mod:`.walk`). Tests check that both
give identical facts on large real packages.
"""

from __future__ import annotations

import ast
import bisect
import functools
import keyword
import re

from kdocs.extract.imports.walk import (
    CONDITIONAL_FLAG,
    FUNCTION_FLAG,
    OPTIONAL_FLAG,
    TYPE_CHECKING_FLAG,
    RawImport,
    statement_imports,
)

_FROM = re.compile(r"from[ \t\\.]")
_HEADER = re.compile(
    r"(?:(if|elif)\b(.*)|(else)\s*:|(try|except|finally|for|while)\b|(async\s+for)\b"
    r"|(def|async\s+def)\b|(class|with|async\s+with)\b|(match|case)\b[^=]*:\s*(?:#.*)?$)"
)
_TC_TEST = re.compile(r"\s*\(?\s*(not\s+)?(?:[\w.]*\.)?TYPE_CHECKING\s*\)?\s*:")
# A line prefix that hides an import statement after ``;`` or a one-line block's ``:``.
_HIDDEN = re.compile(r"[;:][ \t]*(?:from[ \t]+[\w.]+[ \t]+)?$")
# A newline first: the regex engine then skips ahead with a fast literal search.
_HEADER_KEYWORDS = "if|elif|else|try|except|finally|for|while|async|def|class|with|match|case"


@functools.lru_cache(maxsize=32)
def _header_line(below: int) -> re.Pattern[str]:
    """Lines starting with a block keyword, indented by fewer than ``below`` characters: the
    headers an import indented by ``below`` columns or less can sit in (a tab is at least
    one column, so no such header is missed; a deeper one that slips in is skipped)."""
    return re.compile(rf"\n([ \t]{{0,{max(below - 1, 0)}}})(?:{_HEADER_KEYWORDS})\b")


# The common statements, read without the parser (one ``ast.parse`` per file was a third of
# the scan): ASCII names, single spaces or tabs, an optional trailing comment. Anything else
# (a backslash, a ``;``, a non-ASCII name, a comment inside brackets) goes to the parser.
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_DOTTED = rf"{_NAME}(?:\.{_NAME})*"
# (A comment must hold what the parser accepts: no NUL, no lone surrogate.)
_TAIL = r"[ \t]*(?:#[^\n\0\ud800-\udfff]*|\r)?"
_ALIASES = rf"{_NAME}(?:[ \t]+as[ \t]+{_NAME})?(?:[ \t]*,[ \t]*{_NAME}(?:[ \t]+as[ \t]+{_NAME})?)*"
_PLAIN_IMPORT = re.compile(
    rf"import[ \t]+({_DOTTED}(?:[ \t]+as[ \t]+{_NAME})?"
    rf"(?:[ \t]*,[ \t]*{_DOTTED}(?:[ \t]+as[ \t]+{_NAME})?)*){_TAIL}"
)
_FROM_IMPORT = re.compile(
    rf"from[ \t]+(\.*)({_DOTTED})?[ \t]+import[ \t]*(?:(\*)|\(([^#()\\]*)\)|({_ALIASES})){_TAIL}"
)
# One item of a list of names; inside brackets, newlines are blanks too.
_ITEM = re.compile(rf"[ \t\r\n]*({_DOTTED})(?:[ \t\r\n]+as[ \t\r\n]+({_NAME}))?[ \t\r\n]*")


def _simple(statement: str, line: int, flags: int) -> list[RawImport] | None:
    """The facts of one common import statement, exactly as :func:`statement_imports` gives
    them from its parsed node; ``None`` when the statement needs the parser."""
    m = _PLAIN_IMPORT.fullmatch(statement)
    if m is not None:
        out: list[RawImport] = []
        # The expression checked the shape: each item is ``name`` or ``name as alias``.
        for item in m.group(1).split(","):
            words = item.split()
            if _reserved(words[0], words[2] if len(words) == 3 else None):
                return None
            out.append([line, flags, 0, words[0], None])
        return out
    m = _FROM_IMPORT.fullmatch(statement)
    if m is None:
        return None
    dots, module = m.group(1), m.group(2) or ""
    if (not dots and not module) or (module and _reserved(module, None)):
        return None
    if m.group(3):
        return [[line, flags, len(dots), module, ["*"]]]
    inside = m.group(4)
    names = []
    if inside is None:  # the expression checked the shape, as for a plain import
        for item in m.group(5).split(","):
            words = item.split()
            if _reserved(words[0], words[2] if len(words) == 3 else None):
                return None
            names.append(words[0])
        return [[line, flags, len(dots), module, names]]
    items = inside.split(",")
    if len(items) > 1 and not items[-1].strip(" \t\r\n"):
        items.pop()  # ``(a, b,)``: a trailing comma is allowed inside brackets
    for item in items:
        alias = _ITEM.fullmatch(item)
        if alias is None or "." in alias.group(1) or _reserved(alias.group(1), alias.group(2)):
            return None
        names.append(alias.group(1))
    return [[line, flags, len(dots), module, names]]


def _reserved(dotted: str, alias: str | None) -> bool:
    """A keyword where a name must be (a syntax error the parser reports)."""
    if alias in _KEYWORDS:
        return True
    if "." not in dotted:
        return dotted in _KEYWORDS
    return not _KEYWORDS.isdisjoint(dotted.split("."))


_KEYWORDS = frozenset(keyword.kwlist)


def _string_spans(text: str) -> list[tuple[int, int]] | None:
    """``[(start, end)]`` of triple-quoted strings, or ``None`` when unsure.

    ``str.find`` for each quote kind is several times faster than a regular expression with
    an alternation; the next position of each kind is only searched again once passed.
    """
    spans: list[tuple[int, int]] = []
    double = text.find('"""')
    single = text.find("'''")
    while double >= 0 or single >= 0:
        if single < 0 or 0 <= double < single:
            start, quote = double, '"""'
        else:
            start, quote = single, "'''"
        line_start = text.rfind("\n", 0, start) + 1
        prefix = text[line_start:start]
        if "#" in prefix or "'" in prefix or '"' in prefix or "\\" in prefix:
            return None
        end = text.find(quote, start + 3)
        if end < 0 or text[end - 1] == "\\":
            return None
        pos = end + 3
        spans.append((start, pos))
        # A kind already known to be absent (-1) is never searched again: re-searching it
        # after every string made a file full of docstrings quadratic.
        if 0 <= double < pos:
            double = text.find('"""', pos)
        if 0 <= single < pos:
            single = text.find("'''", pos)
    return spans


def _indent(prefix: str) -> int:
    return len(prefix.expandtabs(8)) if "\t" in prefix else len(prefix)


def _candidates(text: str) -> list[tuple[int, int]] | None:
    """``[(statement start, indent start)]`` of lines starting an import, ``None`` when unsure.

    Every import statement holds the keyword ``import``: find its occurrences (a fast
    substring search), keep those on a line that starts with ``import`` or ``from``.
    """
    out: list[tuple[int, int]] = []
    seen = -1
    pos = text.find("import")
    while pos >= 0:
        after = text[pos + 6 : pos + 7]
        if after in (" ", "\t", "\\", "(") and (pos == 0 or not _is_word(text[pos - 1])):
            line_start = text.rfind("\n", 0, pos) + 1
            if line_start != seen:
                head = text[line_start:pos]
                stripped = head.lstrip(" \t")
                start = line_start + len(head) - len(stripped)
                if not stripped:
                    if after != "(":
                        if line_start >= 2 and text[line_start - 2] == "\\":
                            return None  # ``from x \\`` + newline + ``import y``
                        out.append((start, line_start))
                        seen = line_start
                elif _FROM.match(stripped):
                    out.append((start, line_start))
                    seen = line_start
                elif _HIDDEN.search(head):
                    return None
        pos = text.find("import", pos + 6)
    return out


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _headers(
    text: str, skip: list[tuple[int, int]], until: int, below: int
) -> list[tuple[int, int, str]]:
    """``[(position, indent, line)]`` of lines starting with a block keyword, outside strings,
    up to position ``until`` (the last indented import: later headers never matter) and
    indented less than ``below`` (the deepest indented import: :func:`_context` and
    :func:`_guards_import` only ever look at headers shallower than the import)."""
    out: list[tuple[int, int, str]] = []
    starts = [s for s, _ in skip]
    padded = "\n" + text  # so that the first line is a line like the others
    for m in _header_line(below).finditer(padded, 0, until + 1):
        pos = m.start()  # the newline's position in ``padded`` = the line's in ``text``
        k = bisect.bisect_right(starts, pos) - 1
        if k >= 0 and pos < skip[k][1]:
            continue
        body = m.end(1)
        end = padded.find("\n", body)
        line = padded[body : end if end >= 0 else len(padded)]
        out.append((pos, _indent(m.group(1)), line))
    return out


class _Unsure(Exception):
    """The scanner cannot decide a context; the caller parses the whole file instead."""


_IMPORT_ERROR = re.compile(r"\b(?:ImportError|ModuleNotFoundError)\b")


def _guards_import(headers: list[tuple[int, int, str]], index: int) -> bool:
    """Whether the ``try:`` header at ``headers[index]`` has an ``except`` clause naming
    ``ImportError`` / ``ModuleNotFoundError`` (its clauses are the next headers at its
    indent; a deeper one is nested, a shallower one or another keyword ends the ``try``)."""
    indent = headers[index][1]
    for _, ind, line in headers[index + 1 :]:
        if ind > indent:
            continue
        if ind < indent or not line.startswith("except"):
            return False
        clause = line.partition("#")[0]
        if clause.count("(") != clause.count(")") or not clause.rstrip().endswith(":"):
            raise _Unsure  # an ``except (...)`` clause over several lines
        if _IMPORT_ERROR.search(clause):
            return True
    return False


def _context(
    headers: list[tuple[int, int, str]], pos: int, indent: int, guards: bool = False
) -> int:
    """Flags of an indented import at ``pos`` from the block headers above it.

    ``guards``: the file mentions ``ImportError`` and ``headers`` holds every header of the
    file, so an enclosing ``try:`` body can be checked for an ``except ImportError`` clause.
    """
    flags = 0
    pending_else = -1  # indent of an ``else:`` whose ``if`` decides type-checking
    i = bisect.bisect_left(headers, (pos,)) - 1
    while i >= 0:
        _, ind, stripped = headers[i]
        i -= 1
        guarded = guards and ind < indent and pending_else < 0 and stripped.startswith("try")
        if guarded and _guards_import(headers, i + 1):
            flags |= OPTIONAL_FLAG
        if pending_else >= 0:
            if ind < pending_else:
                pending_else = -1  # malformed; treat as a plain condition
                flags |= CONDITIONAL_FLAG
            elif ind == pending_else:
                m = _HEADER.match(stripped)
                if m is None or m.group(1) is None or m.group(1) == "elif":
                    continue  # an elif / except / body line at the same level
                test = _TC_TEST.match(m.group(2))
                if test is not None and test.group(1):
                    flags |= TYPE_CHECKING_FLAG
                else:
                    flags |= CONDITIONAL_FLAG
                pending_else = -1
                indent = ind
                if indent == 0:
                    break
                continue
            else:
                continue
        if ind >= indent:
            continue
        m = _HEADER.match(stripped)
        if m is None:
            continue  # ``import``-like words such as ``format`` never get here; be safe
        if m.group(1) is not None:
            test = _TC_TEST.match(m.group(2))
            if test is not None and not test.group(1):
                flags |= TYPE_CHECKING_FLAG
                if m.group(1) == "elif":
                    flags |= CONDITIONAL_FLAG
            else:
                flags |= CONDITIONAL_FLAG
        elif m.group(3) is not None:
            pending_else = ind
            indent = ind
            continue
        elif (m.group(4) is not None and m.group(4) != "finally") or (
            m.group(5) is not None or m.group(8) is not None
        ):
            flags |= CONDITIONAL_FLAG  # ``finally:`` always runs: not a condition
        elif m.group(6) is not None:
            flags |= FUNCTION_FLAG
        indent = ind
        if indent == 0:
            break
    if pending_else >= 0:
        flags |= CONDITIONAL_FLAG
    return flags


def scan(text: str) -> list[RawImport] | None:
    """The file's import facts, or ``None`` when the caller must parse the whole file."""
    if "\f" in text or ("\r" in text and text.count("\r") != text.count("\r\n")):
        return None  # form feeds in indentation, old Mac line ends: let the parser decide
    found = _candidates(text)
    if found is None:
        return None
    if not found:
        return []
    spans = _string_spans(text)
    if spans is None:
        return None
    starts = [s for s, _ in spans]
    snippets: list[str] = []
    origins: list[tuple[int, int, int]] = []  # (real line, indent, pos)
    fast: list[list[RawImport] | None] = []  # read without the parser (flags still 0)
    line = 1
    last = 0
    text_len = len(text)
    for pos, line_start in found:
        k = bisect.bisect_right(starts, pos) - 1
        if k >= 0 and pos < spans[k][1]:
            continue  # inside a triple-quoted string
        line += text.count("\n", last, pos)
        last = pos
        # The logical line: follow brackets and backslash continuations.
        end = text.find("\n", pos)
        end = text_len if end < 0 else end
        statement = text[pos:end]
        while (statement.count("(") > statement.count(")") or statement.endswith("\\")) and (
            end < text_len
        ):
            nxt = text.find("\n", end + 1)
            nxt = text_len if nxt < 0 else nxt
            statement = text[pos:nxt]
            end = nxt
        snippets.append(statement)
        origins.append((line, _indent(text[line_start:pos]), pos))
        fast.append(_simple(statement, line, 0))
    if not snippets:
        return []
    parsed = _parse_rest(snippets, fast)
    if parsed is None:
        return None
    headers: list[tuple[int, int, str]] | None = None
    guards = "ImportError" in text or "ModuleNotFoundError" in text
    out: list[RawImport] = []
    for i, (real, indent, pos) in enumerate(origins):
        flags = 0
        if indent:
            if headers is None:
                last = len(text) if guards else max(p for _, ind, p in origins if ind)
                deepest = max(ind for _, ind, _ in origins)
                headers = _headers(text, spans, last, deepest)
            try:
                flags = _context(headers, pos, indent, guards)
            except _Unsure:
                return None
        items = fast[i]
        if items is None:
            items = []
            if not statement_imports(parsed[i], flags, items):
                return None
            for item in items:
                item[0] = real
        elif flags:
            for item in items:
                item[1] = flags
        out.extend(items)
    return out


def _parse_rest(
    snippets: list[str], fast: list[list[RawImport] | None]
) -> dict[int, ast.stmt] | None:
    """Parse the statements :func:`_simple` could not read, joined into one text: index ->
    its node, or ``None`` when they are not exactly one statement each."""
    rest = [i for i, found in enumerate(fast) if found is None]
    if not rest:
        return {}
    try:
        tree = ast.parse("\n".join(snippets[i] for i in rest))
    except (SyntaxError, ValueError):
        return None
    if len(tree.body) != len(rest):
        return None
    nodes: dict[int, ast.stmt] = {}
    joined_line = 1
    for i, node in zip(rest, tree.body, strict=True):
        if node.lineno != joined_line:
            return None
        nodes[i] = node
        joined_line += snippets[i].count("\n") + 1
    return nodes
