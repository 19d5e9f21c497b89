"""man pages: one roff page per command (``prog.1``, ``prog-sub.1``), from the CLI model.

The page layout lives in ``templates/gen/man/command.1.j2``; this module only chooses the
pages and their names. Like kubectl's genman, options of parent groups are listed too.
"""

from __future__ import annotations

from kdocs.gen import GenSettings
from kdocs.gen.context import command_pages
from kdocs.models.cli import CliModel
from kdocs.templating import gen_environment


def generate(model: CliModel, settings: GenSettings) -> dict[str, str]:
    """``{"prog-sub.1": roff text}`` for every documented command."""
    template = gen_environment(settings.templates).get_template("man/command.1.j2")
    out: dict[str, str] = {}
    for page in command_pages(model, settings):
        program = page["program"]
        out[f"{page['slug']}.{settings.man_section}"] = template.render(
            page=page,
            section=settings.man_section,
            date=settings.date,
            source=settings.source or program,
            manual=settings.manual or f"{program.capitalize()} Manual",
        )
    return out
