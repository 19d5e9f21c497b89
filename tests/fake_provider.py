"""A test-only model kind: counts occurrences of a configured word per file.

It exercises the provider machinery (pre-filter, per-file facts, cache keyed by config) with
an extractor whose output depends on a config value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kdocs.config import Setting, expect_str
from kdocs.extract import Provider, SourceFile

CALLS: list[str] = []


def _extract(src: SourceFile, settings: Mapping[str, Any]) -> dict[str, int]:
    CALLS.append(src.relpath)
    return {"count": src.text.count(settings["word"])}


def _link(analysis: Any, facts: Mapping[str, Any]) -> dict[str, int]:
    return {relpath: f["count"] for relpath, f in facts.items()}


PROVIDER = Provider(
    kind="testkind",
    version="1",
    wants=lambda text: "#" in text,
    extract=_extract,
    link=_link,
    section="testsec",
    settings={"word": Setting(expect_str, "MARKER", "Word to count.")},
    extract_settings=("word",),
)
