"""Extractors: source -> per-file facts (cached) -> linked models.

Each model kind (``cli``, ``types``, ``imports``, ``deps``) has a :class:`Provider`: a cheap
text pre-filter, a per-file extraction whose JSON-serialisable result is cached by content
hash, and a ``link`` step that combines every file's facts into the model. Extractors never
import the analysed code.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kdocs.config import Setting

if TYPE_CHECKING:
    from kdocs.sources import SourceFile

if TYPE_CHECKING:
    from kdocs.analysis import Analysis
    from kdocs.lineslots import LineSpec


def __getattr__(name: str) -> Any:
    """``SourceFile`` is re-exported lazily: the settings modules of this package are read on
    a warm run, which must not import the parser (``ast``, ``tokenize``) for nothing."""
    if name == "SourceFile":
        from kdocs.sources import SourceFile

        return SourceFile
    raise AttributeError(name)


__all__ = ["PROVIDER_MODULES", "Provider", "SourceFile", "get_provider"]


@dataclass(frozen=True)
class Provider:
    """How one model kind is built.

    ``settings`` declares the keys of the ``section`` config table this kind reads (the
    schema checks them; their values key its linked model, while the section's rule options
    do not); ``extract_settings`` names the subset the per-file ``extract`` reads (only those
    key its cached facts). ``wants(text)`` must be cheap (a substring test); ``extract``
    returns JSON-serialisable facts that depend only on the file (text, relpath, module) and
    those settings; ``link`` turns ``{relpath: facts}`` into the model.
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
    settings: Mapping[str, Setting] = field(default_factory=dict)
    needs_tree: bool = True
    cached: Callable[[Analysis], Any] | None = None
    """Return the finished model from a cache of the provider's own when nothing it depends
    on changed (else ``None``), so a warm run skips loading every file's facts."""
    extract_settings: tuple[str, ...] = ()
    """The keys of ``settings`` the per-file ``extract`` reads. Only these are passed to it and
    only these enter the per-file cache key."""
    model_cached: bool = True
    """Whether the linked model is worth storing in the model cache. ``False`` where loading
    it costs as much as linking it again from the cached per-file facts, so that storing it
    is pure cost on every run that links."""
    digest_excluded: tuple[str, ...] = ()
    """Keys of the per-file facts left out of the result digest (:mod:`kdocs.resultreuse`):
    the link reads them only through :func:`kdocs.readlog.note` with a token of the part it
    used, so an edit elsewhere in them does not count as a change (the types facts keep
    every small one-argument function's text, in case one is an alias generator)."""
    line_slots: LineSpec | None = None
    """Where the per-file facts hold line numbers (:mod:`kdocs.lineslots`), so that a check
    can keep its findings after an edit that only moved lines; ``None``: nowhere known."""


PROVIDER_MODULES: dict[str, str] = {
    "cli": "kdocs.extract.cli",
    "types": "kdocs.extract.types",
    "imports": "kdocs.extract.imports",
    "deps": "kdocs.extract.deps",
    # not an inspect kind: the import-boss files the I rules apply (never model-cached)
    "restrictions": "kdocs.extract.imports.restrictions",
}


def get_provider(kind: str) -> Provider:
    module = importlib.import_module(PROVIDER_MODULES[kind])
    provider: Provider = module.PROVIDER
    return provider
