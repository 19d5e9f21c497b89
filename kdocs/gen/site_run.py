"""``kdocs site build|serve``: gather a project's Markdown pages and its generated CLI
reference, write the HTML site (:mod:`kdocs.gen.site`), and serve it on localhost.

The pages are the ``*.md`` files of one folder (``--pages``, else ``site/`` or ``docs/``, the
first that exists), with the images and data files beside them (:data:`ASSETS`, copied as
they are), read as repository content: regular files only, at most the project's
``max-file-size``, never through a link that leads out of the project, UTF-8 (a page that
cannot be read is skipped and named, and the rest is built). The generated reference
(the CLI reference of :mod:`kdocs.gen.markdown`, the type reference of
:mod:`kdocs.gen.types_markdown`, as ``[tool.kdocs.gen] formats`` chooses) is rendered now,
so the site never shows a stale one: in the place ``kdocs gen`` is configured to write it
(``markdown-out``, ``types-out``) when that lies in the pages folder, replacing the
committed copy, else under ``reference/cli/`` and ``reference/types/``.

The site is written by :func:`kdocs.writer.write_tree`: atomically, file by file, and a
file kdocs did not write is never replaced or removed.
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kdocs import site_config
from kdocs.errors import ConfigError, KdocsError
from kdocs.escape import excerpt
from kdocs.fsread import read_regular
from kdocs.project import Project
from kdocs.writer import WriteReport, write_tree

PAGE_FOLDERS = ("site", "docs")
"""Where the pages are looked for, in order, without ``--pages``."""
DEFAULT_OUT = "build/site"
"""Where the site goes without ``--out`` (relative to the project root)."""
REFERENCES = {"markdown": "reference/cli", "types": "reference/types"}
"""The Markdown formats of ``kdocs gen`` the site shows, and where each goes when its
configured folder is not among the pages."""


@dataclass
class SiteBuild:
    """What :func:`build` did."""

    out: Path
    report: WriteReport
    pages: int
    skipped: list[str] = field(default_factory=list)
    """One ``path: reason`` line per page or asset that could not be read."""
    assets: int = 0
    """Files copied as they are (:data:`ASSETS`)."""
    other: int = 0
    """Files of other types among the pages, not copied."""


def _setting(project: Project, key: str) -> str:
    value = project.config.section(site_config.SECTION).get(key, "")
    return value if isinstance(value, str) else ""


def pages_folder(project: Project, pages: str | None) -> Path | None:
    """The folder of Markdown pages: ``pages`` (``--pages``), else ``[tool.kdocs.site]
    pages``, which must lie inside the project; else the first of :data:`PAGE_FOLDERS` that
    exists, else ``None``."""
    configured = _setting(project, "pages")
    if pages is not None or configured:
        named = pages if pages is not None else configured
        folder = project.root / named
        problem = None
        if not project.contains(folder):
            problem = "lies outside the project"
        elif not folder.is_dir():
            problem = "is not a folder"
        if problem is not None and pages is not None:
            raise KdocsError(f"--pages {excerpt(named, 80)}: {problem}")
        if problem is not None:
            key = f"{site_config.SECTION}.pages"
            raise project.config.key_error(key, f"{excerpt(named, 80)!r} {problem}")
        return folder
    for name in PAGE_FOLDERS:
        folder = project.root / name
        if folder.is_dir() and project.contains(folder):
            return folder
    return None


ASSETS = frozenset(
    (
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".avif",
        ".ico",
        ".pdf",
        ".txt",
        ".csv",
        ".json",
        ".ipynb",
    )
)
"""Files besides the pages that the site copies as they are: images, PDF, plain data
(notebooks are JSON). Not HTML, SVG, CSS or scripts, which a browser could run in the
site's origin."""

ASSET_MAX_SIZE = 64 * 1024 * 1024
"""The largest file copied as it is. Assets are not parsed, so ``max-file-size`` (a cap on
source files, 2 MiB by default) would drop ordinary screenshots and GIFs; this cap only
keeps a planted huge file from filling the output."""


@dataclass
class PageFiles:
    """What :func:`read_pages` found under the pages folder."""

    pages: dict[str, str] = field(default_factory=dict)
    """Markdown text by path in the site."""
    assets: dict[str, bytes] = field(default_factory=dict)
    """Files of :data:`ASSETS` types, by path in the site."""
    skipped: list[str] = field(default_factory=list)
    """``path: reason`` of each page or asset that could not be read."""
    other: int = 0
    """Files of other types, not copied."""


def read_pages(project: Project, folder: Path, skip: Path | None = None) -> PageFiles:
    """Every ``*.md`` and :data:`ASSETS` file under ``folder``, in name order. Hidden files
    and folders, and ``skip`` (the output, when it lies among the pages), are left out."""
    found = PageFiles()
    max_size = project.config.max_file_size
    skip_real = os.path.realpath(skip) if skip is not None else None
    for directory, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and os.path.realpath(os.path.join(directory, d)) != skip_real
        )
        for name in sorted(files):
            suffix = os.path.splitext(name)[1].lower()
            page = name.endswith(".md")
            if name.startswith(".") or not (page or suffix in ASSETS):
                found.other += not name.startswith(".")
                continue
            path = Path(directory, name)
            rel = path.relative_to(folder).as_posix()
            shown = _shown(project, path)
            if not project.contains(path):
                found.skipped.append(f"{shown}: not followed: a link out of the project")
                continue
            try:
                data = read_regular(path, max_size if page else ASSET_MAX_SIZE)
                if page:
                    found.pages[rel] = data.decode("utf-8")
                else:
                    found.assets[rel] = data
            except UnicodeDecodeError:
                found.skipped.append(f"{shown}: not UTF-8")
            except OSError as err:
                reason = getattr(err, "reason", None) or err.strerror or "cannot be read"
                found.skipped.append(f"{shown}: {reason}")
    return found


def _shown(project: Project, path: Path) -> str:
    """A page's path as printed: relative to the project, control characters escaped (a
    file name is repository content)."""
    try:
        text = path.relative_to(project.root).as_posix()
    except ValueError:
        text = str(path)
    return excerpt(text, 120)


def reference_pages(
    project: Project, folder: Path | None, model: Callable[[str], Any]
) -> dict[str, str]:
    """The generated Markdown reference by its path in the site: the CLI reference and the
    type reference, those of them ``[tool.kdocs.gen] formats`` lists (``{}`` when the
    project has neither a CLI nor API types)."""
    from kdocs.gen import FORMATS
    from kdocs.gen import run as gen_run

    settings = gen_run.settings_for(project)
    chosen = gen_run.formats_for(project, "all")
    out: dict[str, str] = {}
    for name, place in REFERENCES.items():
        if name not in chosen:
            continue
        fmt = FORMATS[name]
        files = gen_run.render(name, fmt.load(), model(fmt.model), settings)
        try:
            configured = gen_run.folder_for(project, name, None, several=True)
        except ConfigError:  # leads out of the project: not among the pages (gen refuses it)
            where = place
        else:
            where = _among_pages(project, configured, folder) or place
        out.update({f"{where}/{rel}": text for rel, text in files.items()})
    return out


def _among_pages(project: Project, configured: Path, folder: Path | None) -> str | None:
    """``configured`` relative to the pages folder when it lies inside it, else ``None``."""
    if folder is None or not project.contains(configured):
        return None
    inside = Path(os.path.realpath(configured))
    pages = Path(os.path.realpath(folder))
    if inside != pages and inside.is_relative_to(pages):
        return inside.relative_to(pages).as_posix()
    return None


def out_folder(project: Project, out: str | None) -> Path:
    """``--out`` as given (anywhere: the user chose it), else ``[tool.kdocs.site] out``
    (inside the project: repository config), else :data:`DEFAULT_OUT`."""
    if out is not None:
        return Path(out)
    configured = _setting(project, "out") or DEFAULT_OUT
    folder = project.root / configured
    if not project.contains(folder):
        key = f"{site_config.SECTION}.out"
        raise project.config.key_error(key, f"{excerpt(configured, 80)!r} lies outside the project")
    return folder


def site_title(project: Project) -> str:
    """``[tool.kdocs.site] title``, else ``[project] name`` of pyproject.toml, else the
    project folder's name."""
    configured = _setting(project, "title")
    if configured.strip():
        return configured
    meta = project.pyproject.get("project")
    name = meta.get("name") if isinstance(meta, dict) else None
    return name if isinstance(name, str) and name.strip() else project.root.name


def build(
    project: Project, *, pages: str | None, out: str | None, model: Callable[[str], Any]
) -> SiteBuild:
    """Render and write the site; :class:`~kdocs.errors.KdocsError` when there is nothing
    to build (no pages and no CLI) or it cannot be written safely."""
    from kdocs import schema
    from kdocs.gen.site import render_site

    project.config = schema.validated(project.config)  # names a bad key before any work
    folder = pages_folder(project, pages)
    target = out_folder(project, out)
    found = read_pages(project, folder, target) if folder is not None else PageFiles()
    found.pages.update(reference_pages(project, folder, model))
    if not found.pages:
        raise KdocsError(
            "nothing to build: no pages folder (site/ or docs/, or --pages) and no"
            " command-line program or API type to document"
        )
    rendered = render_site(found.pages, site_title(project))
    pages_written = sum(1 for name in rendered if name.endswith(".html"))  # with an index made
    files: dict[str, str | bytes] = dict(found.assets)
    files.update(rendered)  # a page wins over an asset
    report = write_tree(target, files)
    return SiteBuild(target, report, pages_written, found.skipped, len(found.assets), found.other)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's folder; one short, escaped line per request on stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        sys.stderr.write(excerpt(format % args, 200) + "\n")


def serve(folder: Path, port: int, ready: Callable[[str], None]) -> None:
    """Serve ``folder`` on 127.0.0.1 (never on other interfaces) until interrupted;
    ``ready(url)`` once it listens (``port`` 0: a free port)."""
    handler = functools.partial(_Handler, directory=str(folder))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as err:
        raise KdocsError(f"cannot serve on 127.0.0.1:{port}: {err.strerror}") from None
    with server:
        ready(f"http://127.0.0.1:{server.server_address[1]}/")
        server.serve_forever()
