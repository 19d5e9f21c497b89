"""Moved to :mod:`kdocs.gen.templating`; this name stays so existing imports keep working."""

from __future__ import annotations

from kdocs.gen.templating import environment, markdown_inline, render, templates_dir

__all__ = ["environment", "markdown_inline", "render", "templates_dir"]
