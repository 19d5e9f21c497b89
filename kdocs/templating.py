"""The jinja2 environment over ``templates/`` (shipped in the wheel as ``kdocs/_templates``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from kdocs.errors import KdocsError


def templates_dir() -> Path:
    """Installed wheels carry ``kdocs/_templates``; a source checkout has ``templates/``."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise KdocsError("kdocs templates not found: the installation is incomplete")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md_inline"] = markdown_inline
    return env


def markdown_inline(text: str) -> str:
    """Escape untrusted text for use inside a Markdown paragraph or table cell."""
    out = []
    for ch in text:
        if ch in "\\`*_{}[]<>()#+!|~":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out).replace("\n", " ")


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
