"""Which project files are test, fixture, docs, example or template code (not the product).

One predicate shared by every family: a parser built in a test is not the project's CLI, a
dataclass in a fixture project is not an API type. Kept tiny on purpose (path patterns only,
no I/O) so each family can ask it per file without cost.

Patterns are gitignore-style (see :mod:`kdocs.ignore`); ``tests/`` matches a folder named
``tests`` at any depth. A runtime package named ``testing`` (``pkg/testing/``) is *not* test
code: it ships to users (pytest plugins, test helpers for downstream projects).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from kdocs.ignore import PathFilter

DEFAULT_TEST_PATHS: tuple[str, ...] = (
    "tests/",
    "test/",
    "conftest.py",
    "test_*.py",
    "*_test.py",
    "fixtures/",
    "docs/",
    "examples/",
    "templates/",
)
"""Out of scope by default; ``[tool.kdocs] test-paths`` replaces this list."""

_TEMPLATE_MARKERS = ("{{", "{%")


@lru_cache(maxsize=64)
def _filter(patterns: tuple[str, ...]) -> PathFilter:
    return PathFilter(patterns)


def is_templated(relpath: str) -> bool:
    """A path inside a Jinja-templated tree (cookiecutter/copier: ``{{cookiecutter.name}}/``)."""
    return any(marker in relpath for marker in _TEMPLATE_MARKERS)


def is_out_of_scope(relpath: str, patterns: Sequence[str] | None = None) -> bool:
    """Whether a project-relative POSIX path is test/fixture/docs/example/template code.

    ``patterns`` replaces :data:`DEFAULT_TEST_PATHS` (``None`` = the defaults; ``()`` = only
    templated paths are out of scope).
    """
    rel = relpath.replace("\\", "/").strip("/")
    if rel.startswith("./"):
        rel = rel[2:]
    if not rel or rel == ".":
        return False
    if is_templated(rel):
        return True
    path_filter = _filter(tuple(DEFAULT_TEST_PATHS if patterns is None else patterns))
    if path_filter.excluded(rel, is_dir=False):
        return True
    parent = rel.rpartition("/")[0]
    # A directory pattern matches everything below the directory, so the parent suffices.
    return bool(parent) and path_filter.excluded(parent, is_dir=True)
