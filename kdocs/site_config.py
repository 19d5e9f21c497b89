"""Settings of the docs site: ``[tool.kdocs.site]``.

A light module (it imports only the config primitives), like :mod:`kdocs.cache_config`: the
schema (:mod:`kdocs.schema`) takes the section's settings from here, and ``kdocs site``
(:mod:`kdocs.gen.site_run`) reads them, under its command-line options.
"""

from __future__ import annotations

from typing import Any

from kdocs.config import Setting, expect_str
from kdocs.errors import ConfigError

SECTION = "site"


def _folder(value: Any, key: str) -> str:
    """A folder relative to the project root, or ``""`` (the default)."""
    text = expect_str(value, key)
    if not text:
        return text
    if text.startswith(("/", "~")) or "\\" in text or "\0" in text or not text.strip():
        raise ConfigError(f"`{key}` must be a folder relative to the project root, got {text!r}")
    if ".." in text.split("/"):
        raise ConfigError(f"`{key}` must stay inside the project (no `..`), got {text!r}")
    return text


def _title(value: Any, key: str) -> str:
    text = expect_str(value, key)
    if len(text) > 200 or any(ord(c) < 0x20 for c in text):
        raise ConfigError(f"`{key}` must be one short line of text")
    return text


SETTINGS: dict[str, Setting] = {
    "pages": Setting(
        _folder, "", "Folder of the Markdown pages (default: `site/` or `docs/`, the first found)."
    ),
    "out": Setting(_folder, "", "Folder the site is written to (default: `build/site`)."),
    "title": Setting(_title, "", "The site's name (default: the project's name)."),
}
