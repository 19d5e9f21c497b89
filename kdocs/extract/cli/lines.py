"""Where the CLI facts of one file hold line numbers (:mod:`kdocs.lineslots`).

A CLI file's facts are the IR of its statements (:mod:`kdocs.extract.cli.pyir`) and the table
of its help literals (:mod:`kdocs.extract.cli.literal_table`); both keep the position of
each node. This spec follows their grammar exactly: a tag it does not know makes the file's
lines unknown (:class:`Unslotted`), and the check runs as before. A number that is the
project's data (a constant ``["c", 3]``) is never a slot.

The argparse facts (:mod:`kdocs.extract.cli.argparse_facts`) hold lines in three places:
each class's and each function's ``line``, and each event's ``loc`` (loop bodies
included). A lambda's qualified name (``<lambda:12:4>``) embeds its line in a string: that
is not a slot, so it stays in the compared digest, and an edit that moves a lambda runs the
check. So does one that moves a line of the module's own pseudo-function (always 1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from kdocs import lineslots
from kdocs.lineslots import Unslotted

MODULE_QUALNAME = "<module>"
"""The qualified name of the module body's pseudo-function in the argparse facts."""

Move = Callable[[int], int]


def _line(value: Any, move: Move) -> int:
    if type(value) is not int:
        raise Unslotted(f"a line that is not a number: {value!r}")
    return move(value)


def _expr(node: Any, move: Move) -> Any:
    if node is None:
        return None
    tag = node[0]
    if tag in ("c", "ellipsis"):
        return node
    if tag == "n":
        return ["n", node[1], _line(node[2], move)]
    if tag == "a":
        return ["a", _expr(node[1], move), node[2], _line(node[3], move)]
    if tag == "call":
        func = _expr(node[1], move)
        args = [_expr(a, move) for a in node[2]]
        kwargs = [[name, _expr(value, move)] for name, value in node[3]]
        return ["call", func, args, kwargs, _line(node[4], move), node[5]]
    if tag == "seq":
        return ["seq", node[1], [_expr(item, move) for item in node[2]]]
    if tag == "dict":
        return ["dict", [[_expr(k, move), _expr(v, move)] for k, v in node[1]]]
    if tag == "sub":
        return ["sub", _expr(node[1], move), _expr(node[2], move), _line(node[3], move)]
    if tag in ("bin", "cmp"):
        return [tag, node[1], _expr(node[2], move), _expr(node[3], move)]
    if tag == "fstr":
        return ["fstr", [_expr(part, move) for part in node[1]], _line(node[2], move)]
    if tag == "conv":
        return ["conv", _expr(node[1], move), node[2]]
    if tag == "lambda":
        return ["lambda", node[1], _expr(node[2], move)]
    if tag in ("not", "*"):
        return [tag, _expr(node[1], move)]
    if tag == "bool":
        return ["bool", node[1], [_expr(v, move) for v in node[2]]]
    if tag == "ifx":
        return ["ifx", _expr(node[1], move), _expr(node[2], move), _expr(node[3], move)]
    if tag == "dyn":
        return ["dyn", node[1], _line(node[2], move)]
    raise Unslotted(f"an expression tagged {tag!r}")


def _target(node: Any, move: Move) -> Any:
    tag = node[0]
    if tag in ("name", "other"):
        return node
    if tag == "tuple":
        return ["tuple", [_target(t, move) for t in node[1]]]
    if tag == "attr":
        return ["attr", _expr(node[1], move), node[2]]
    if tag == "item":
        return ["item", _expr(node[1], move), _expr(node[2], move)]
    raise Unslotted(f"a target tagged {tag!r}")


def _function(func: Any, move: Move) -> Any:
    if func is None:
        return None
    params = [
        [name, _expr(annotation, move), _expr(value, move), kind, _line(line, move), col]
        for name, annotation, value, kind, line, col in func["params"]
    ]
    return {
        **func,
        "line": _line(func["line"], move),
        "params": params,
        "decorators": [_expr(d, move) for d in func["decorators"]],
        "body": _stmts(func["body"], move),
    }


def _stmts(body: Any, move: Move) -> Any:
    return [_stmt(stmt, move) for stmt in body]


def _stmt(stmt: Any, move: Move) -> Any:
    tag = stmt[0]
    if tag == "import":
        return ["import", stmt[1], stmt[2], _line(stmt[3], move)]
    if tag == "from":
        return ["from", stmt[1], stmt[2], stmt[3], _line(stmt[4], move)]
    if tag == "def":
        return ["def", _function(stmt[1], move)]
    if tag == "class":
        klass = stmt[1]
        return [
            "class",
            {
                **klass,
                "line": _line(klass["line"], move),
                "bases": [_expr(b, move) for b in klass["bases"]],
                "fields": [[name, _expr(value, move)] for name, value in klass["fields"]],
                "init": _function(klass["init"], move),
                "decorators": [_expr(d, move) for d in klass["decorators"]],
            },
        ]
    if tag == "assign":
        targets = [_target(t, move) for t in stmt[1]]
        return ["assign", targets, _expr(stmt[2], move), _line(stmt[3], move)]
    if tag in ("expr", "return"):
        return [tag, _expr(stmt[1], move), _line(stmt[2], move)]
    if tag == "for":
        target, it = _target(stmt[1], move), _expr(stmt[2], move)
        return ["for", target, it, _stmts(stmt[3], move), _line(stmt[4], move)]
    if tag == "if":
        return ["if", _expr(stmt[1], move), _stmts(stmt[2], move), _stmts(stmt[3], move)]
    if tag == "try":
        return ["try", *(_stmts(part, move) for part in stmt[1:4])]
    if tag == "loop":
        return ["loop", _line(stmt[1], move)]
    raise Unslotted(f"a statement tagged {tag!r}")


def _literal(lit: Any, move: Move) -> Any:
    """``[line, column, prefix, quote, body]`` or ``None``."""
    if lit is None:
        return None
    return [_line(lit[0], move), *lit[1:]]


def _literals(table: Any, move: Move) -> Any:
    calls = [
        [
            _line(line, move),
            column,
            _line(end, move),
            is_command,
            {key: _literal(lit, move) for key, lit in keywords.items()},
        ]
        for line, column, end, is_command, keywords in table["calls"]
    ]
    call_lines = [_line(line, move) for line in table["call_lines"]]
    sources = {}
    for where, found in table["sources"].items():
        line, column = where.split(":")
        sources[f"{_line(int(line), move)}:{column}"] = found
    functions = [
        [
            _line(line, move),
            [[_line(start, move), _line(end, move), index] for start, end, index in decorators],
            _literal(doc, move),
        ]
        for line, decorators, doc in table["functions"]
    ]
    return {
        **table,
        "calls": calls,
        "call_lines": call_lines,
        "sources": sources,
        "functions": functions,
    }


def _events(events: Any, move: Move) -> Any:
    out = []
    for event in events:
        moved = {**event}
        loc = event.get("loc")
        if loc is not None:
            line, column = loc
            moved["loc"] = [_line(line, move), column]
        if event["op"] == "loop":
            moved["body"] = _events(event["body"], move)
        out.append(moved)
    return out


def _argparse(facts: Any, move: Move) -> Any:
    classes = {
        name: {**klass, "line": _line(klass["line"], move)}
        for name, klass in facts["classes"].items()
    }
    functions = {}
    for qualname, function in facts["functions"].items():
        moved = {**function}
        if qualname != MODULE_QUALNAME:  # the module body's line is always 1
            moved["line"] = _line(function["line"], move)
        moved["events"] = _events(function["events"], move)
        functions[qualname] = moved
    return {**facts, "classes": classes, "functions": functions}


def _moved(facts: Any, move: Move) -> Any:
    if not isinstance(facts, dict):
        raise Unslotted("CLI facts that are not a mapping")
    out = {**facts}
    python = facts.get("python")
    if python is not None:
        out["python"] = {
            **python,
            "body": _stmts(python["body"], move),
            "lazy": _stmts(python["lazy"], move),
        }
    if facts.get("argparse") is not None:
        out["argparse"] = _argparse(facts["argparse"], move)
    if facts.get("literals") is not None:
        out["literals"] = _literals(facts["literals"], move)
    return out


class CliLines:
    """The :class:`kdocs.lineslots.LineSpec` of the CLI facts."""

    def read(self, facts: Any, out: list[int]) -> None:
        def seen(line: int) -> int:
            out.append(line)
            return line

        _moved(facts, seen)

    def write(self, facts: Any, lines: Iterator[int]) -> Any:
        return _moved(facts, lambda _old: next(lines))


def _as_result(ir: Any) -> dict[str, Any]:
    """One module's IR as the per-file result :mod:`kdocs.lineslots` reads."""
    return {"problem": None, "facts": {"python": ir, "argparse": None, "literals": None}}


def ir_lines(ir: Any) -> list[int] | None:
    """The line slots of one module's IR (what the CLI interpreter reads of a module it
    follows: :class:`kdocs.extract.cli.interp.IRCache`), or ``None``."""
    return [] if ir is None else lineslots.slots(CliLines(), _as_result(ir))


def ir_relined(ir: Any, lines: list[int]) -> Any:
    """``ir`` (a module's IR, not ``None``) with its line slots set to ``lines``, or
    ``None`` when they do not fit."""
    moved = lineslots.relined(CliLines(), _as_result(ir), lines)
    return None if moved is None else moved["facts"]["python"]
