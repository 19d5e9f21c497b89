"""``[tool.kdocs.gen]``: where ``kdocs gen`` writes and how the pages look.

Declared as a plain table of :class:`kdocs.config.Setting` (validated like every other
section: an unknown key names itself and the nearest valid key). Light on purpose: the
config layer imports it through the G-family rule module.
"""

from __future__ import annotations

import re
from typing import Any

from kdocs.config import (
    Setting,
    expect_bool,
    expect_folder,
    expect_line,
    expect_str,
    expect_str_list,
)
from kdocs.errors import ConfigError

SECTION = "gen"
FORMAT_NAMES = ("man", "markdown", "yaml", "openapi", "examples", "types")


def _relative_dir(value: Any, key: str) -> str:
    if expect_str(value, key) == "":
        raise ConfigError(f"`{key}` must be a folder relative to the project root, got ''")
    return expect_folder(value, key)


def _man_section(value: Any, key: str) -> str:
    text = expect_str(value, key) if not isinstance(value, int) else str(value)
    if isinstance(value, bool) or not re.fullmatch(r"[1-9][a-z0-9]{0,8}", text):
        raise ConfigError(f'`{key}` must be a man section such as "1" or "8", got {value!r}')
    return text


def _date(value: Any, key: str) -> str:
    text = expect_str(value, key)
    if text and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ConfigError(f"`{key}` must be a date as YYYY-MM-DD, got {text[:40]!r}")
    return text


def _formats(value: Any, key: str) -> tuple[str, ...]:
    items = expect_str_list(value, key)
    for i, item in enumerate(items):
        if item not in FORMAT_NAMES:
            listed = ", ".join(FORMAT_NAMES)
            raise ConfigError(f"`{key}[{i}]` must be one of {listed}, got {item[:40]!r}")
    return items


SETTINGS: dict[str, Setting] = {
    "out": Setting(
        _relative_dir,
        "docs/reference",
        "Folder (relative to the project root) that holds one subfolder per format.",
    ),
    "man-out": Setting(expect_folder, "", "Folder of the man pages (default: `<out>/man`)."),
    "markdown-out": Setting(
        expect_folder, "", "Folder of the Markdown pages (default: `<out>/markdown`)."
    ),
    "yaml-out": Setting(expect_folder, "", "Folder of the YAML documents (default: `<out>/yaml`)."),
    "openapi-out": Setting(
        expect_folder, "", "Folder of the OpenAPI document (default: `<out>/openapi`)."
    ),
    "examples-out": Setting(
        expect_folder, "", "Folder of the YAML examples (default: `<out>/examples`)."
    ),
    "types-out": Setting(
        expect_folder, "", "Folder of the Markdown type reference (default: `<out>/types`)."
    ),
    "formats": Setting(
        _formats,
        ("man", "markdown", "yaml", "openapi", "examples", "types"),
        "Formats `kdocs gen all` writes and `kdocs check` (rule G001) keeps in sync.",
    ),
    "man-section": Setting(_man_section, "1", "Section of the man pages."),
    "manual": Setting(
        expect_line, "", "Manual name in the man page header (default: `<Prog> Manual`)."
    ),
    "date": Setting(
        _date,
        "",
        "Date of the man pages (YYYY-MM-DD); default: $SOURCE_DATE_EPOCH, else the latest "
        "git commit, else 1970-01-01.",
    ),
    "clis": Setting(expect_str_list, (), "Names of the programs to document (default: all)."),
    "templates": Setting(
        expect_folder, "", "Folder of templates that replace kdocs' own of the same name."
    ),
    "single-file": Setting(expect_bool, False, "Write the Markdown reference as one `cli.md`."),
    "include-hidden": Setting(expect_bool, False, "Document hidden commands and options too."),
}
