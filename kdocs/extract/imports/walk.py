"""Collect import statements from a parsed module by walking statement bodies only.

Imports are statements, so expressions are never visited; this is the reference extractor
(the fast scanner in :mod:`.scan` must produce the same facts, and falls back to this one).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import Any

TYPE_CHECKING_FLAG = 1
CONDITIONAL_FLAG = 2
FUNCTION_FLAG = 4
OPTIONAL_FLAG = 8
"""In the body of a ``try:`` whose handlers catch ``ImportError`` / ``ModuleNotFoundError``:
the code is written to run without the module (an optional dependency)."""

IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})

RawImport = list[Any]
"""One statement: ``[line, flags, level, module or "", names or None]``; ``names`` is ``None``
for a plain ``import`` (one entry per dotted name), else the imported names (``*`` too)."""

_TRY_STAR = getattr(ast, "TryStar", ast.Try)


def is_type_checking(test: ast.expr) -> bool:
    """``TYPE_CHECKING`` or ``<anything>.TYPE_CHECKING``."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    return False


def _catches_import_error(handlers: Iterable[ast.ExceptHandler]) -> bool:
    """Whether an ``except`` clause names ``ImportError`` or ``ModuleNotFoundError``
    (alone, in a tuple, or as ``builtins.ImportError``)."""
    for handler in handlers:
        kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        for kind in kinds:
            name = kind.attr if isinstance(kind, ast.Attribute) else getattr(kind, "id", None)
            if name in IMPORT_ERRORS:
                return True
    return False


def statement_imports(node: ast.stmt, flags: int, out: list[RawImport]) -> bool:
    """Append the facts of an ``import`` statement; False when ``node`` is not one."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            out.append([node.lineno, flags, 0, alias.name, None])
        return True
    if isinstance(node, ast.ImportFrom):
        names = [alias.name for alias in node.names]
        out.append([node.lineno, flags, node.level or 0, node.module or "", names])
        return True
    return False


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_PLAIN_BLOCKS = (ast.ClassDef, ast.With, ast.AsyncWith)
_TRIES = (ast.Try, _TRY_STAR)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
# Every statement type that can hold an import; anything else is skipped with one lookup.
_INTERESTING = frozenset(
    (ast.Import, ast.ImportFrom, ast.If, ast.Match, *_FUNCTIONS, *_PLAIN_BLOCKS, *_TRIES, *_LOOPS)
)


def walk(body: Iterable[ast.stmt], flags: int, out: list[RawImport]) -> None:
    """Collect import statements from a statement list, descending into nested blocks."""
    for node in body:
        if type(node) not in _INTERESTING or statement_imports(node, flags, out):
            continue
        if isinstance(node, ast.If):
            test = node.test
            if is_type_checking(test):
                walk(node.body, flags | TYPE_CHECKING_FLAG, out)
                walk(node.orelse, flags | CONDITIONAL_FLAG, out)
            elif (
                isinstance(test, ast.UnaryOp)
                and isinstance(test.op, ast.Not)
                and is_type_checking(test.operand)
            ):
                walk(node.body, flags | CONDITIONAL_FLAG, out)
                walk(node.orelse, flags | TYPE_CHECKING_FLAG, out)
            else:
                walk(node.body, flags | CONDITIONAL_FLAG, out)
                walk(node.orelse, flags | CONDITIONAL_FLAG, out)
        elif isinstance(node, _FUNCTIONS):
            walk(node.body, flags | FUNCTION_FLAG, out)
        elif isinstance(node, _PLAIN_BLOCKS):
            walk(node.body, flags, out)
        elif isinstance(node, _TRIES):
            cond = flags | CONDITIONAL_FLAG
            guarded = OPTIONAL_FLAG if _catches_import_error(node.handlers) else 0
            walk(node.body, cond | guarded, out)
            for handler in node.handlers:
                walk(handler.body, cond, out)
            walk(node.orelse, cond, out)
            walk(node.finalbody, flags, out)  # ``finally:`` always runs
        elif isinstance(node, _LOOPS):
            cond = flags | CONDITIONAL_FLAG
            walk(node.body, cond, out)
            walk(node.orelse, cond, out)
        elif isinstance(node, ast.Match):
            for case in node.cases:
                walk(case.body, flags | CONDITIONAL_FLAG, out)


def tree_imports(tree: ast.Module) -> list[RawImport]:
    out: list[RawImport] = []
    walk(tree.body, 0, out)
    return out
