"""The ``restrictions`` provider: read every ``.import-restrictions`` file (import-boss) that
governs a module of the project, and the config file, before any rule runs.

The I rules only parse and apply what this link read; they do no I/O (the config file's text
places a contract's findings on the line that names the contract). Which files: the one in
each directory holding a project module and in every parent directory up to the root (the
directories import-boss consults). Unreadable files (not UTF-8, a FIFO, a symlink to
``/dev/zero``, over the size cap) become a read problem that I010 reports.

The result is deliberately not a model dataclass, so the linked-model cache never stores it:
that cache's key does not cover hidden files, and reading a handful of small files on every
run costs nothing next to the graph.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from kdocs.extract import Provider
from kdocs.fsread import RefusedFile, read_regular
from kdocs.models.imports import ImportGraph

if TYPE_CHECKING:
    from kdocs.analysis import Analysis

FILE_NAME = ".import-restrictions"


@dataclass(frozen=True)
class RestrictionFile:
    """One ``.import-restrictions`` file as read: its text, or why it could not be read."""

    file: str
    """file is the project-relative POSIX path of the restrictions file."""
    directory: str
    """directory is the project-relative directory it governs ("" for the root)."""
    text: str | None = None
    """text is the file's content (UTF-8); null when it could not be read."""
    problem: str | None = None
    """problem says why the file could not be read; null when text is set."""


RestrictionFiles = dict[str, RestrictionFile]
"""Directory -> its restrictions file, for the directories that have one."""


class ImportRuleFiles(NamedTuple):
    """What the I rules read besides the import graph (a named tuple, not a dataclass: the
    linked-model cache only stores dataclasses, and this must never come from it)."""

    restrictions: RestrictionFiles
    config_text: str | None
    """The text of the config file (pyproject.toml or ``--config``); None when there is none
    or it cannot be read as UTF-8."""


def governing_directories(graph: ImportGraph) -> list[str]:
    """Every directory holding a project module, and each parent up to the root, sorted."""
    found: set[str] = set()
    for file in graph.files.values():
        directory = file.rpartition("/")[0]
        while directory not in found:
            found.add(directory)
            if not directory:
                break
            directory = directory.rpartition("/")[0]
    return sorted(found)


def link(analysis: Analysis, facts: Mapping[str, Any]) -> ImportRuleFiles:
    root = analysis.project.root
    graph: ImportGraph = analysis.model("imports")
    out: RestrictionFiles = {}
    base = str(root)
    for directory in governing_directories(graph):
        rel = f"{directory}/{FILE_NAME}" if directory else FILE_NAME
        # os.path, not pathlib: one stat per directory of the project (660 on django).
        if not os.path.isfile(os.path.join(base, rel)):
            continue
        path = root / rel
        try:
            # Regular files only, size-capped (a FIFO or /dev/zero must not hang the run).
            text = read_regular(path).decode("utf-8")
        except UnicodeDecodeError:
            out[directory] = RestrictionFile(rel, directory, problem="not valid UTF-8")
        except OSError as err:
            reason = err.reason if isinstance(err, RefusedFile) else err.strerror or str(err)
            out[directory] = RestrictionFile(rel, directory, problem=reason)
        else:
            out[directory] = RestrictionFile(rel, directory, text=text)
    return ImportRuleFiles(out, _config_text(analysis.project.config.source))


def _config_text(source: str | None) -> str | None:
    if not source:
        return None
    try:
        return Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


PROVIDER = Provider(
    kind="restrictions",
    version="1",
    wants=None,
    extract=None,
    link=link,
    section=None,
)
