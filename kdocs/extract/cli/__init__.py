"""The ``cli`` provider: static click, typer and argparse extraction into one command model.

The implementation (the IR, the static interpreter, argparse replay) is in :mod:`.provider`,
imported only when a file is extracted or the model linked: a warm run whose linked model is
cached never loads it (it is most of kdocs' import time).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kdocs.extract import Provider, SourceFile
from kdocs.extract.cli.lines import CliLines
from kdocs.models.cli import CliModel

if TYPE_CHECKING:
    from kdocs.analysis import Analysis

ARGPARSE_FACTS_VERSION = "argparse-4"
"""The shape of argparse's per-file facts (:mod:`.argparse_static` checks it on load)."""

VERSION = f"click-typer-5+lit2+usage1+{ARGPARSE_FACTS_VERSION}"
"""Bump the first part when the IR of :mod:`.pyir` changes shape; argparse's is its own."""


def wants(text: str) -> bool:
    """Cheap pre-filter: could this file take part in a click, typer or argparse CLI?"""
    from kdocs.extract.cli import provider

    return provider.wants(text)


def extract(src: SourceFile, settings: Mapping[str, Any]) -> Any:
    """Per-file facts (cached): see :func:`.provider.extract`."""
    from kdocs.extract.cli import provider

    return provider.extract(src, settings)


def link(analysis: Analysis, facts: Mapping[str, Any]) -> CliModel:
    """Every CLI of the project: see :func:`.provider.link`."""
    from kdocs.extract.cli import provider

    return provider.link(analysis, facts)


PROVIDER = Provider(
    kind="cli",
    version=VERSION,
    wants=wants,
    extract=extract,
    link=link,
    section="cli",
    line_slots=CliLines(),
)
