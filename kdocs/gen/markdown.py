"""Markdown reference: one page per command plus ``index.md``, or one page (``--single-file``).

The layout (kubectl's gendocs: synopsis, usage block, options table, inherited options,
examples, subcommands, see also) lives in ``templates/gen/markdown/``; every command and
option has an explicit anchor (``<a id="prog-sub-option-name">``, ids of ``[a-z0-9-]`` only)
so links survive any renderer's heading slugs.
"""

from __future__ import annotations

import re

from kdocs.gen import GenSettings
from kdocs.gen.context import command_pages
from kdocs.models.cli import CliModel
from kdocs.templating import gen_environment

SINGLE_FILE = "cli.md"
"""The file name of ``--single-file`` output."""


def generate(model: CliModel, settings: GenSettings) -> dict[str, str]:
    """``{"prog-sub.md": text, "index.md": text}`` or, single-file, ``{"cli.md": text}``."""
    env = gen_environment(settings.templates)
    pages = command_pages(model, settings)
    if not pages:
        return {}
    if settings.single_file:
        href = {p["full_name"]: f"#{p['anchor']}" for p in pages}
        text = env.get_template("markdown/single.md.j2").render(pages=pages, href=href)
        return {SINGLE_FILE: _tidy(text)}
    href = {p["full_name"]: f"{p['slug']}.md" for p in pages}
    out = {
        "index.md": _tidy(env.get_template("markdown/index.md.j2").render(pages=pages, href=href))
    }
    template = env.get_template("markdown/command.md.j2")
    for page in pages:
        out[f"{page['slug']}.md"] = _tidy(template.render(page=page, href=href))
    return out


def _tidy(text: str) -> str:
    """One blank line between blocks and one newline at the end (Markdown linters' rules);
    runs of blank lines inside fenced code blocks are kept."""
    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        match = re.match(r"^(`{3,}|~{3,})", line)
        if fence is None and match:
            fence = match.group(1)
        elif fence is not None and line.rstrip() == fence:
            fence = None
        elif fence is None and not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line if fence is not None else line.rstrip())
    return "\n".join(out).strip("\n") + "\n"
