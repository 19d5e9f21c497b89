"""Helpers for the generator tests: the real tools of each ecosystem read what kdocs wrote.

man pages go through ``mandoc -T lint`` and ``man -l``; Markdown through markdown-it-py
(CommonMark + tables) and the pymarkdownlnt linter; YAML through PyYAML. A missing Debian
tool skips the test locally, and fails it in CI (``KDOCS_REQUIRE_TOOLS=1``, set by .ci/run,
which installs them).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

ANCHOR = re.compile(r'<a id="[a-z0-9-]+">|</a>')
"""The only raw HTML kdocs writes into Markdown: an explicit anchor ``<a id="..."></a>`` of
[a-z0-9-] (markdown-it reports its two tags as two tokens)."""

# Generated pages keep one line per paragraph and table row (so a help change is a one-line
# diff): line length is not linted. The anchors above are the one inline HTML element allowed,
# and repeated section headings are fine under different commands (single-file mode).
LINT_ARGS = [
    "-d",
    "md013",
    "--set",
    "plugins.md033.allowed_elements=a",
    "--set",
    "plugins.md024.siblings_only=$!True",
]


def need_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("KDOCS_REQUIRE_TOOLS"):
            pytest.fail(f"{name} is required (KDOCS_REQUIRE_TOOLS is set) but not installed")
        pytest.skip(f"{name} is not installed")
    return path


def mandoc_lint(paths: list[Path]) -> str:
    """Every message of ``mandoc -T lint -W warning`` for ``paths`` (empty when clean)."""
    mandoc = need_tool("mandoc")
    proc = subprocess.run(
        [mandoc, "-T", "lint", "-W", "warning", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    return (proc.stdout + proc.stderr).strip()


def man_text(path: Path) -> str:
    """The page as ``man -l`` renders it on a wide terminal, as plain text."""
    man = need_tool("man")
    env = {**os.environ, "MANWIDTH": "250", "MAN_KEEP_FORMATTING": "", "LC_ALL": "C.UTF-8"}
    proc = subprocess.run(
        [man, "-l", "-P", "cat", str(path)], capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 0, proc.stderr
    text = re.sub(r".\x08", "", proc.stdout)  # overstrike bold/underline
    return text


def man_renders_all(paths: list[Path]) -> None:
    """``man -l`` renders every page (one process for all: man-db formats them in turn)."""
    man = need_tool("man")
    env = {**os.environ, "MANWIDTH": "250", "LC_ALL": "C.UTF-8"}
    proc = subprocess.run(
        [man, "-l", "-P", "cat", *map(str, paths)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", proc.stderr
    text = re.sub(r".\x08", "", proc.stdout)
    assert len(re.findall(r"^NAME$", text, re.M)) == len(paths)


def mandoc_text(path: Path) -> str:
    mandoc = need_tool("mandoc")
    proc = subprocess.run(
        [mandoc, "-T", "utf8", "-O", "width=250", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return re.sub(r".\x08", "", proc.stdout)


def markdown_lint(paths: list[Path]) -> str:
    """pymarkdownlnt's findings for ``paths`` (empty when clean)."""
    proc = subprocess.run(
        [sys.executable, "-m", "pymarkdown", *LINT_ARGS, "scan", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    return (proc.stdout + proc.stderr).strip()


def markdown_tokens(text: str) -> list[Any]:
    """Every token (nested ones flattened) of CommonMark + tables."""
    out: list[Any] = []
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        out.append(token)
        out.extend(token.children or ())
    return out


def raw_html(text: str) -> list[str]:
    """Raw HTML fragments the Markdown contains besides kdocs' own anchors."""
    return [
        t.content
        for t in markdown_tokens(text)
        if t.type in ("html_inline", "html_block") and not ANCHOR.fullmatch(t.content.strip())
    ]


def markdown_plain(text: str) -> str:
    """The text a reader sees: text, code spans and code blocks, joined."""
    parts = [
        t.content
        for t in markdown_tokens(text)
        if t.type in ("text", "code_inline", "fence", "code_block")
    ]
    return "\n".join(parts)


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def files(folder: Path, suffix: str) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.endswith(suffix))
