"""What is not the project's own code: tests, fixtures, docs, examples and templates.

One predicate shared by every extractor, so "test code" means the same thing for CLIs, API
types and dependencies. Paths are project-relative, ``/``-separated.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

DEFAULT_PATTERNS: tuple[str, ...] = (
    "tests/",
    "test/",
    "fixtures/",
    "docs/",
    "doc/",
    "examples/",
    "example/",
    "templates/",
    "conftest.py",
    "test_*.py",
    "*_test.py",
)
"""A pattern ending in ``/`` names a folder anywhere on the path; others match the file name."""


def is_templated(relpath: str) -> bool:
    """Jinja-templated paths (cookiecutter/copier trees): ``{{cookiecutter.name}}/cli.py``."""
    return "{{" in relpath or "{%" in relpath


def is_out_of_scope(relpath: str, patterns: Sequence[str] | None = None) -> bool:
    """Whether a file is test, fixture, documentation, example or template code."""
    if is_templated(relpath):
        return True
    parts = relpath.replace("\\", "/").strip("/").split("/")
    folders, name = parts[:-1], parts[-1]
    for pattern in DEFAULT_PATTERNS if patterns is None else patterns:
        if pattern.endswith("/"):
            if any(fnmatch.fnmatchcase(folder, pattern[:-1]) for folder in folders):
                return True
        elif fnmatch.fnmatchcase(name, pattern):
            return True
    return False
