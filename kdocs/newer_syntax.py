"""Read files written for a newer Python than the one running kdocs.

kdocs parses with the running interpreter's ``ast``. A project that targets Python 3.12 may
use PEP 701 f-strings (``f"{", ".join(names)}"``) and PEP 695 type parameters (``type X =
int``, ``def f[T](x: T)``), which Python 3.11's parser rejects: without this module every
such file would be an E003 "syntax error" although it is valid Python (issue 9).

libcst's native parser reads that grammar. When ``ast`` fails and libcst succeeds, the file
is rewritten into an equivalent for the running parser, keeping every line where it was:

* each f-string (or implicit concatenation holding one) becomes the 3.11 f-string
  ``f"{__kdocs_newer_fstring__}"``: a dynamic value, as the extractors already treat an
  f-string whose values they cannot resolve (its value is only known at run time anyway);
* ``type X[T] = value`` becomes ``X = value`` and type parameter lists of functions and classes
  are dropped (the annotations that use them stay: ``T`` is just an unknown name).

The result feeds the extractors as usual; a file libcst cannot read either is a real syntax
error and keeps its E003.
"""

from __future__ import annotations

import ast
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from libcst.metadata import CodeRange

FSTRING_VALUE = "__kdocs_newer_fstring__"
RUNNING = f"{sys.version_info.major}.{sys.version_info.minor}"


def _visitor() -> Any:
    """A libcst visitor collecting the ranges to rewrite (libcst is imported only here: the
    common case, a file ``ast`` reads, must not pay for it)."""
    import libcst as cst
    from libcst.metadata import CodeRange, PositionProvider

    class _Edits(cst.CSTVisitor):
        """Collect the source ranges to rewrite and their replacement text."""

        METADATA_DEPENDENCIES = (PositionProvider,)

        def __init__(self) -> None:
            self.edits: list[tuple[CodeRange, str]] = []

        def _range(self, node: cst.CSTNode) -> CodeRange:
            return self.get_metadata(PositionProvider, node)

        def _fstring(self, node: cst.CSTNode) -> bool:
            span = self._range(node)
            lines = span.end.line - span.start.line
            if lines:
                new = 'f"""{' + FSTRING_VALUE + "}" + "\n" * lines + '"""'
            else:
                new = 'f"{' + FSTRING_VALUE + '}"'
            self.edits.append((span, new))
            return False  # nested strings are gone with it

        def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
            return self._fstring(node) if _has_fstring(node) else True

        def visit_FormattedString(self, node: cst.FormattedString) -> bool:
            return self._fstring(node)

        def visit_TypeAlias(self, node: cst.TypeAlias) -> bool:
            start = self._range(node).start
            value = self._range(node.value).start
            lines = "\n" * (value.line - start.line)
            head = CodeRange(start, value)
            self.edits.append(
                (head, f"{node.name.value} = ({lines}" if lines else f"{node.name.value} = ")
            )
            if lines:
                self.edits.append(
                    (CodeRange(self._range(node.value).end, self._range(node.value).end), ")")
                )
            return False

        def visit_TypeParameters(self, node: cst.TypeParameters) -> bool:
            self.edits.append((self._range(node), ""))
            return False

    return _Edits()


def _has_fstring(node: Any) -> bool:
    """Whether an implicit string concatenation holds an f-string."""
    import libcst as cst

    parts: list[Any] = [node.left, node.right]
    while parts:
        part = parts.pop()
        if isinstance(part, cst.FormattedString):
            return True
        if isinstance(part, cst.ConcatenatedString):
            parts += [part.left, part.right]
    return False


def _apply(text: str, edits: list[tuple[CodeRange, str]]) -> str:
    """Replace each range (1-based lines, 0-based columns) by its text, last first."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    out = text
    for span, new in sorted(
        edits, key=lambda e: (e[0].start.line, e[0].start.column), reverse=True
    ):
        begin = starts[span.start.line - 1] + span.start.column
        end = starts[span.end.line - 1] + span.end.column
        out = out[:begin] + new + out[end:]
    return out


def downgrade(text: str) -> str | None:
    """The file rewritten for the running parser, or ``None`` if libcst cannot read it."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper

    try:
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return None
    visitor = _visitor()
    try:
        MetadataWrapper(module, unsafe_skip_copy=True).visit(visitor)
    except RecursionError:
        return None
    return _apply(text, visitor.edits)


def parse(text: str, filename: str) -> ast.Module:
    """``ast.parse``; for syntax newer than the running Python, the downgraded file's tree.

    Raises the original ``SyntaxError`` when the file is not valid for libcst either, or
    when the downgrade still does not parse (a construct this module does not rewrite): the
    message then says which Python the file needs.
    """
    try:
        return ast.parse(text, filename=filename)
    except SyntaxError as err:
        original = err
    lowered = downgrade(text)
    if lowered is None:
        raise original
    try:
        return ast.parse(lowered, filename=filename)
    except SyntaxError as err:
        raise SyntaxError(
            f"{original.msg} (valid for a newer Python than {RUNNING}, the interpreter "
            f"running kdocs: run kdocs on a newer Python)",
            (filename, original.lineno, original.offset, original.text),
        ) from err
