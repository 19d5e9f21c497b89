"""Extractors: source -> per-file facts (cached) -> linked models.

Each model kind (``cli``, ``types``, ``imports``, ``deps``) has a :class:`Provider`: a cheap
text pre-filter, a per-file extraction whose JSON-serialisable result is cached by content
hash, and a ``link`` step that combines every file's facts into the model. Extractors never
import the analysed code.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kdocs.analysis import Analysis


@dataclass
class SourceFile:
    """A decoded Python file handed to extractors. ``tree`` is parsed once, on demand."""

    relpath: str
    module: str
    text: str
    is_package: bool = False

    @cached_property
    def tree(self) -> ast.Module:
        # Files for a newer Python (PEP 701 f-strings, PEP 695) are read too: see newer_syntax.
        from kdocs.newer_syntax import parse

        return parse(self.text, self.relpath)


@dataclass(frozen=True)
class Provider:
    """How one model kind is built.

    ``wants(text)`` must be cheap (a substring test); ``extract`` returns JSON-serialisable
    facts that depend only on the file (text, relpath, module) and ``settings`` (the keys of
    the family's config section named in ``extract_settings``, part of the cache key);
    ``link`` turns ``{relpath: facts}`` into the model.
    ``version`` invalidates cached facts when the extractor changes. ``needs_tree`` says
    whether the pipeline must parse the file first (and turn a syntax error into E003); an
    extractor that reads only part of the text sets it to ``False`` and may still raise
    ``SyntaxError`` from ``extract``, which is then reported the same way.
    """

    kind: str
    version: str
    wants: Callable[[str], bool] | None
    extract: Callable[[SourceFile, Mapping[str, Any]], Any] | None
    link: Callable[[Analysis, Mapping[str, Any]], Any]
    section: str | None = None
    needs_tree: bool = True
    cached: Callable[[Analysis], Any] | None = None
    extract_settings: tuple[str, ...] = ()
    """The keys of ``section`` the per-file ``extract`` reads. Only these are passed to it and
    only these enter the per-file cache key, so changing another key of the section (a rule
    option) re-extracts nothing."""
    """Return the finished model from a cache of the provider's own when nothing it depends
    on changed (else ``None``), so a warm run skips loading every file's facts."""


PROVIDER_MODULES: dict[str, str] = {
    "cli": "kdocs.extract.cli",
    "types": "kdocs.extract.types",
    "imports": "kdocs.extract.imports",
    "deps": "kdocs.extract.deps",
}


def get_provider(kind: str) -> Provider:
    module = importlib.import_module(PROVIDER_MODULES[kind])
    provider: Provider = module.PROVIDER
    return provider
