"""Read ``setup(install_requires=..., extras_require=..., tests_require=...)`` of a setup.py.

Statically, with :mod:`ast`: setup.py is repository content and is never executed. What can
be read without running code is read: literal lists, tuples and dicts of strings, names
assigned once at module level from such literals, and ``+`` of those (``base + ["x"]``).
Anything else (a function call such as ``open("requirements.txt").read().splitlines()``,
``**kwargs``, a comprehension, a name assigned twice) makes the declarations incomplete: the
reader says so with one :class:`ManifestProblem` in ``ManifestData.unread``, and the
dependency rules that compare declarations with imports (D101, D102, D104) stand down for
the project rather than guess.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

from kdocs.extract.deps_manifests import ManifestData, parse_requirement
from kdocs.models.deps import ManifestProblem

UNREAD = "setup.py dependencies could not be read statically"

_KEYWORDS = ("install_requires", "extras_require", "tests_require")


class _Unreadable(Exception):
    """An expression kdocs cannot evaluate without running setup.py."""

    def __init__(self, node: ast.AST, why: str) -> None:
        super().__init__(why)
        self.line = getattr(node, "lineno", 1)


_Strings = list[tuple[str, int]]  # (requirement text, line)


class _Evaluator:
    """Evaluates literal expressions, resolving module-level names assigned once."""

    def __init__(self, tree: ast.Module) -> None:
        self.names: dict[str, ast.expr | None] = {}  # None: assigned more than once
        for stmt in tree.body:
            targets: list[ast.expr] = []
            value: ast.expr | None = None
            if isinstance(stmt, ast.Assign):
                targets, value = list(stmt.targets), stmt.value
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                targets, value = [stmt.target], stmt.value
            elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
                self.names[stmt.target.id] = None
                continue
            for target in targets:
                if isinstance(target, ast.Name):
                    self.names[target.id] = value if target.id not in self.names else None
        self.active: set[str] = set()

    def _name(self, node: ast.Name) -> ast.expr:
        value = self.names.get(node.id)
        if value is None or node.id in self.active:
            raise _Unreadable(node, f"`{node.id}` is not a literal assigned once at module level")
        return value

    def strings(self, node: ast.expr) -> _Strings:
        """A list/tuple of requirement strings (one string counts as one requirement)."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [(text, node.lineno) for text in _split_lines(node.value)]
        if isinstance(node, ast.List | ast.Tuple):
            out: _Strings = []
            for elt in node.elts:
                if isinstance(elt, ast.Starred):
                    out += self.strings(elt.value)
                elif isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                    out.append((elt.value, elt.lineno))
                else:
                    raise _Unreadable(elt, "not a string literal")
            return out
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.strings(node.left) + self.strings(node.right)
        if isinstance(node, ast.Name):
            value = self._name(node)
            self.active.add(node.id)
            try:
                return self.strings(value)
            finally:
                self.active.discard(node.id)
        raise _Unreadable(node, f"`{ast.unparse(node)[:60]}` is not a literal list")

    def extras(self, node: ast.expr) -> dict[str, _Strings]:
        """A dict of extra name -> requirement strings."""
        if isinstance(node, ast.Name):
            value = self._name(node)
            self.active.add(node.id)
            try:
                return self.extras(value)
            finally:
                self.active.discard(node.id)
        if not isinstance(node, ast.Dict):
            raise _Unreadable(node, f"`{ast.unparse(node)[:60]}` is not a literal dict")
        out: dict[str, _Strings] = {}
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:  # ``**other``
                out.update(self.extras(value))
                continue
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                raise _Unreadable(key, "an extra name that is not a string literal")
            out.setdefault(key.value, []).extend(self.strings(value))
        return out


def _split_lines(text: str) -> list[str]:
    """setuptools accepts one string of newline-separated requirements."""
    return [s.strip() for s in text.splitlines() if s.strip() and not s.strip().startswith("#")]


def _setup_calls(tree: ast.Module) -> list[ast.Call]:
    """Calls of ``setup(...)`` / ``setuptools.setup(...)`` / ``distutils.core.setup(...)``."""
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name == "setup":
            calls.append(node)
    return calls


def read_setup_py(
    path: Path, relpath: str, is_dev_extra: Callable[[str], bool] | None = None
) -> ManifestData:
    """The requirements a setup.py's ``setup()`` call declares, read without running it."""
    data = ManifestData()
    try:
        tree = ast.parse(path.read_bytes(), filename=relpath)
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError) as err:
        reason = "too deeply nested" if isinstance(err, RecursionError | MemoryError) else err
        data.unread.append(ManifestProblem(relpath, 1, f"{UNREAD}: {reason}"))
        return data
    calls = _setup_calls(tree)
    if not calls:
        return data
    evaluator = _Evaluator(tree)
    for call in calls:
        if any(k.arg is None for k in call.keywords) or any(
            isinstance(a, ast.Starred) for a in call.args
        ):
            data.unread.append(
                ManifestProblem(relpath, call.lineno, f"{UNREAD}: setup() is called with **kwargs")
            )
        for keyword in call.keywords:
            if keyword.arg not in _KEYWORDS:
                continue
            try:
                _read_keyword(data, evaluator, keyword, relpath, is_dev_extra)
            except _Unreadable as err:
                data.unread.append(
                    ManifestProblem(relpath, err.line, f"{UNREAD}: `{keyword.arg}`: {err}")
                )
            except RecursionError:
                message = f"{UNREAD}: `{keyword.arg}`: too deeply nested"
                data.unread.append(ManifestProblem(relpath, keyword.value.lineno, message))
    if any(k.arg in _KEYWORDS for call in calls for k in call.keywords) or data.unread:
        data.manifests.append(relpath)  # a bare ``setup()`` shim declares nothing
    return data


def _read_keyword(
    data: ManifestData,
    evaluator: _Evaluator,
    keyword: ast.keyword,
    relpath: str,
    is_dev_extra: Callable[[str], bool] | None,
) -> None:
    entries: list[tuple[str, str, str, int]] = []  # (group, role, text, line)
    if keyword.arg == "extras_require":
        for extra, items in evaluator.extras(keyword.value).items():
            name, _, marker = extra.partition(":")  # ``"test:python_version<'3.8'"``
            name, marker = name.strip(), marker.strip()
            role = "dev" if is_dev_extra is not None and is_dev_extra(name) else "runtime"
            for text, line in items:
                if marker and ";" not in text:
                    text = f"{text}; {marker}"
                entries.append((f"optional:{name}", role, text, line))
    else:
        runtime = keyword.arg == "install_requires"
        group = "setup.py" if runtime else "setup.py:tests_require"
        for text, line in evaluator.strings(keyword.value):
            entries.append((group, "runtime" if runtime else "dev", text, line))
    for group, role, text, line in entries:
        got = parse_requirement(text.strip(), group=group, role=role, file=relpath, line=line)
        if isinstance(got, ManifestProblem):
            data.problems.append(got)
        else:
            data.dependencies.append(got)
