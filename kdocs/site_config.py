"""Settings of the docs site: ``[tool.kdocs.site]``.

A light module (it imports only the config primitives), like :mod:`kdocs.cache_config`: the
schema (:mod:`kdocs.schema`) takes the section's settings from here, and ``kdocs site``
(:mod:`kdocs.gen.site_run`) reads them, under its command-line options.
"""

from __future__ import annotations

from kdocs.config import Setting, expect_folder, expect_line

SECTION = "site"


SETTINGS: dict[str, Setting] = {
    "pages": Setting(
        expect_folder,
        "",
        "Folder of the Markdown pages (default: `site/` or `docs/`, the first found).",
    ),
    "out": Setting(expect_folder, "", "Folder the site is written to (default: `build/site`)."),
    "title": Setting(expect_line, "", "The site's name (default: the project's name)."),
}
