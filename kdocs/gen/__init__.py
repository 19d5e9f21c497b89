"""Reference-document generators: pure functions from a model to ``{relative path: text}``.

Each format is one entry of :data:`FORMATS`: the model it documents (``cli`` or ``types``)
and the ``module:function`` that renders it, imported only when that format runs (so the
G-family rule and ``kdocs gen man`` load only what they use). A generator never touches the
file system: :mod:`kdocs.gen.run` builds the model, calls it and hands the result to the one
writer (:func:`kdocs.writer.write_tree`), which writes or, with ``--check``, reports drift.
``kdocs gen all`` runs every entry, each into its own folder.

Adding a format: write ``generate(model, settings) -> dict[str, str]`` in a module of this
package and add a :class:`GenFormat` to :data:`FORMATS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Generator = Callable[[Any, "GenSettings"], dict[str, str]]


@dataclass(frozen=True)
class GenSettings:
    """What every generator may read besides its model (resolved from ``[tool.kdocs.gen]``
    and the command line; generators never read the environment or the clock)."""

    include_hidden: bool = False
    """include_hidden documents hidden commands and options too."""
    man_section: str = "1"
    """man_section is the man section of the pages (``1``, ``8``...)."""
    manual: str | None = None
    """manual is the manual name in the page footer; ``None``: ``<Program> Manual``."""
    date: str = "1970-01-01"
    """date is the ``.TH`` date (never the wall clock: see ``kdocs.gen.run.page_date``)."""
    source: str | None = None
    """source is the ``.TH`` source, e.g. ``shipit 1.2.0``; ``None``: the program name."""
    templates: str | None = None
    """templates is a folder whose templates replace kdocs' own of the same name."""
    single_file: bool = False
    """single_file renders Markdown as one page (for inclusion in another site)."""
    clis: tuple[str, ...] = ()
    """clis names the programs to document; empty: every CLI of the model."""


@dataclass(frozen=True)
class GenFormat:
    """One output format: its name, the model kind it needs, and its generator."""

    name: str
    model: str
    target: str
    """target is the generator as ``module:function``, imported on first use."""

    def load(self) -> Generator:
        module, _, func = self.target.partition(":")
        generator: Generator = getattr(importlib.import_module(module), func)
        return generator


FORMATS: dict[str, GenFormat] = {
    "man": GenFormat("man", "cli", "kdocs.gen.man:generate"),
    "markdown": GenFormat("markdown", "cli", "kdocs.gen.markdown:generate"),
    "yaml": GenFormat("yaml", "cli", "kdocs.gen.yaml_docs:generate"),
    "openapi": GenFormat("openapi", "types", "kdocs.gen.types_formats:openapi"),
    "examples": GenFormat("examples", "types", "kdocs.gen.types_formats:examples"),
    "types": GenFormat("types", "types", "kdocs.gen.types_formats:types_reference"),
}
