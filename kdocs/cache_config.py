"""Settings of the per-file cache: ``[tool.kdocs.cache-limits]`` and ``KDOCS_CACHE_DIR``.

A light module (it imports only the config primitives): :mod:`kdocs.project` reads the
environment variable before any configuration is checked, and the schema
(:mod:`kdocs.schema`) takes the section's settings from here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kdocs.config import Setting, expect_size

SECTION = "cache-limits"

DEFAULT_MAX_SIZE = 32 * 1024 * 1024
"""Default cap of one model kind's per-file cache file (``<cache-dir>/<version>/<kind>.json``):
several revisions of a large project fit, and a run that must load the file (after an edit)
parses at most this much JSON."""

SETTINGS: dict[str, Setting] = {
    "max-size": Setting(
        expect_size,
        DEFAULT_MAX_SIZE,
        "Largest size of one model kind's cache file; when a run leaves it bigger, results "
        "not used by the current tree are dropped, least recently used first.",
    ),
}

ENV_CACHE_DIR = "KDOCS_CACHE_DIR"
"""Environment variable that overrides ``cache-dir`` (like ruff's ``RUFF_CACHE_DIR``)."""


def shared_cache_dir(directory: Path, root: Path) -> Path:
    """The folder of one project inside a cache directory outside it (``KDOCS_CACHE_DIR``
    shared by several checkouts in CI): one sub-folder per project root, so two projects never
    overwrite each other's index of files."""
    digest = hashlib.sha256(str(root).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return directory / f"project-{digest}"
