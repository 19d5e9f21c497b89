"""The HTML docs site: Markdown pages in, one HTML page each out (``kdocs site build``).

A pure function, like the other generators: ``render_site({relpath.md: text}, title)``
returns ``{relpath.html: text, "style.css": text}``; :mod:`kdocs.gen.site_run` gathers the
pages and writes the result. Markdown is read by markdown-it-py (CommonMark and tables), and
each page is laid out by ``templates/site/page.html.j2`` with the site's navigation.

Pages are repository content, and the generated reference carries help texts. So raw HTML
is not passed through, except the one element kdocs writes into Markdown itself: an explicit
anchor ``<a id="..."></a>`` (:mod:`kdocs.gen.markdown`). Any other tag is shown as text.
Link targets go through markdown-it's own check, which refuses ``javascript:``, ``vbscript:``,
``file:`` and ``data:`` links. The template escapes every title. Links between pages
(``other.md#part``) point to their HTML pages (``other.html#part``). A heading takes its id
from a trailing ``{#id}`` (as mkdocs' attr_list writes it), else from its text as GitHub
spells it (``## The cache`` -> ``#the-cache``), unless it holds an explicit anchor. Every
link is relative, so the site works from any folder, ``file://`` included.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import jinja2
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from kdocs.templating import escape_markdown, templates_dir

STYLE = "style.css"
"""The stylesheet's path in the site."""

_ANCHOR_OPEN = re.compile(r'<a id="[A-Za-z0-9_-]{1,200}">')
_ANCHOR_CLOSE = "</a>"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_SLUG_DROP = re.compile(r"[^\w\- ]", re.UNICODE)


@dataclass(frozen=True)
class Page:
    """One page of the site: where it goes and what the navigation calls it."""

    source: str
    """Its Markdown path in the site (``reference/cli/index.md``)."""
    html: str
    """Its HTML path in the site (``reference/cli/index.html``)."""
    title: str


def html_path(source: str) -> str:
    """``guide/setup.md`` -> ``guide/setup.html``."""
    return source[: -len(".md")] + ".html" if source.endswith(".md") else source


def render_site(pages: Mapping[str, str], title: str) -> dict[str, str]:
    """Every page of ``pages`` (Markdown text by path, POSIX, relative) as an HTML page, plus
    the stylesheet. A site without ``index.md`` gets an index page listing the others."""
    md = _markdown()
    rendered = _render_pages(md, pages)
    if "index.md" not in rendered:
        listing = "\n".join(
            f"- [{escape_markdown(page_title)}]({quote(path)})"
            for path, (_, page_title) in rendered.items()
        )
        rendered["index.md"] = _render_page(
            md, f"# {escape_markdown(title)}\n\n{listing}\n", "index.md"
        )
    entries = [
        Page(path, html_path(path), _index_title(path, page_title, title))
        for path, (_, page_title) in rendered.items()
    ]
    tree = _tree(entries)
    template = _environment().get_template("page.html.j2")
    out = {STYLE: (templates_dir() / "site" / STYLE).read_text(encoding="utf-8")}
    for page in entries:
        root = "../" * page.html.count("/")
        out[page.html] = template.render(
            site_title=title,
            page=page,
            root=root,
            nav=_nav(tree, page),
            content=rendered[page.source][0],  # raw HTML sanitised by the render rules
        )
    return out


NAV_LIMIT = 100
"""The most pages of one folder the navigation lists; a bigger folder shows its index and
the current page (its index lists the rest)."""


@dataclass
class _Folder:
    """A folder of the site, for the navigation."""

    path: str
    pages: list[Page] = field(default_factory=list)
    folders: dict[str, _Folder] = field(default_factory=dict)

    def index(self) -> Page | None:
        """The folder's ``index.md`` page (:func:`_tree` puts it first)."""
        first = self.pages[0] if self.pages else None
        return first if first is not None and _is_index(first) else None

    def first(self) -> Page | None:
        """The page a link to the folder opens: its index, else its first page, else its
        first subfolder's."""
        found = self.pages[0] if self.pages else None  # the index, when there is one
        if found is None:
            for name in sorted(self.folders):
                found = self.folders[name].first()
                if found is not None:
                    break
        return found


def _is_index(page: Page) -> bool:
    return posixpath.basename(page.source) == "index.md"


def _tree(entries: Sequence[Page]) -> _Folder:
    root = _Folder("")
    for page in sorted(entries, key=lambda p: (not _is_index(p), p.source)):
        folder = root
        parts = posixpath.dirname(page.source).split("/") if "/" in page.source else []
        for depth in range(len(parts)):
            path = "/".join(parts[: depth + 1])
            folder = folder.folders.setdefault(parts[depth], _Folder(path))
        folder.pages.append(page)
    return root


def _nav(folder: _Folder, current: Page) -> list[dict[str, Any]]:
    """The navigation's items at ``folder``: its pages, then its subfolders. Only the
    folders on the way to the current page are open, so each page's navigation stays small
    however big the site (every folder listed on every page made cloudflare's 4,182 type
    pages 2.8 GB): the rest show as one link each."""
    items: list[dict[str, Any]] = []
    index = folder.index()
    # A folder's index is the folder's own link (one level up); the root's is listed.
    pages = folder.pages[1:] if index is not None and folder.path else folder.pages
    if len(pages) > NAV_LIMIT:  # no scan of the folder: this runs once per page
        here = posixpath.dirname(current.source) == folder.path
        pages = [index] if index is not None and not folder.path else []
        pages += [current] if here and current is not index else []
    for page in pages:
        items.append(
            {
                "href": page.html,
                "title": page.title,
                "current": page is current,
                "folder": False,
                "children": [],
            }
        )
    for name in sorted(folder.folders):
        sub = folder.folders[name]
        target = sub.first()
        if target is None:
            continue
        sub_index = sub.index()
        open_ = current.source.startswith(sub.path + "/")
        items.append(
            {
                "href": target.html,
                "title": sub_index.title if sub_index is not None else name,
                "current": sub_index is not None and sub_index is current,
                "folder": True,
                "children": _nav(sub, current) if open_ else [],
            }
        )
    return items


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir() / "site")),
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


_HEADING_ID = re.compile(r"\s*\{:?\s*#([A-Za-z][\w-]{0,200})(?:\s+[^{}]*)?\}\s*$")
"""A heading's explicit id as Python-Markdown's attr_list and pandoc write it, at the end of
its text: ``## Zero-Shot {#zero-shot}`` or ``{: #zero-shot .class}``."""


def _heading_ids(state: Any) -> None:
    """Take each heading's trailing ``{#id}`` off its text and make it the heading's id."""
    tokens = state.tokens
    for i, token in enumerate(tokens[:-1]):
        if token.type != "heading_open":
            continue
        children = tokens[i + 1].children or []
        last = children[-1] if children else None
        found = (
            _HEADING_ID.search(last.content) if last is not None and last.type == "text" else None
        )
        if last is not None and found is not None:
            last.content = last.content[: found.start()]
            token.attrSet("id", found.group(1))


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.core.ruler.after("inline", "heading_ids", _heading_ids)
    md.add_render_rule("html_inline", _html_inline)
    md.add_render_rule("html_block", _html_block)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("heading_open", _heading_open)
    return md


def _is_anchor_tag(text: str) -> bool:
    """``<a id="...">`` or ``</a>``: the one raw HTML kept (see the module's docstring)."""
    return bool(_ANCHOR_OPEN.fullmatch(text)) or text == _ANCHOR_CLOSE


def _html_inline(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    text = tokens[idx].content
    return text if _is_anchor_tag(text) else escapeHtml(text)


def _html_block(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return f"<p>{escapeHtml(tokens[idx].content.strip())}</p>\n"


def _link_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    href = token.attrGet("href")
    if isinstance(href, str):
        token.attrSet("href", page_link(href))
    return str(self.renderToken(tokens, idx, options, env))


def page_link(href: str) -> str:
    """A relative link to a Markdown page, pointed at its HTML page; any other unchanged."""
    if not href or href.startswith(("#", "/")) or _SCHEME.match(href):
        return href
    path, hash_, fragment = href.partition("#")
    if path.endswith(".md"):
        return html_path(path) + hash_ + fragment
    return href


def _heading_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    inline = tokens[idx + 1] if idx + 1 < len(tokens) else None
    children = (inline.children or []) if inline is not None else []
    explicit = any(c.type == "html_inline" and _ANCHOR_OPEN.fullmatch(c.content) for c in children)
    if not explicit and token.attrGet("id") is None:
        slugs: dict[str, int] = env.setdefault("slugs", {})
        slug = _slug(_plain(children)) or "section"
        seen = slugs.get(slug, 0)
        slugs[slug] = seen + 1
        token.attrSet("id", slug if not seen else f"{slug}-{seen}")
    return str(self.renderToken(tokens, idx, options, env))


def _slug(text: str) -> str:
    """GitHub's heading slug: lower case, punctuation dropped, spaces as hyphens."""
    return _SLUG_DROP.sub("", text.strip().lower()).replace(" ", "-")


def _plain(children: Sequence[Token]) -> str:
    """A heading's text as the reader sees it (tags other than anchors are shown as text)."""
    return "".join(
        c.content
        for c in children
        if c.type in ("text", "code_inline")
        or (c.type == "html_inline" and not _is_anchor_tag(c.content))
    )


def _title_from(tokens: Sequence[Token], path: str) -> str:
    """The page's first level-one heading as plain text, else its file name."""
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1" and i + 1 < len(tokens):
            text = _plain(tokens[i + 1].children or []).strip()
            if text:
                return text
    return posixpath.splitext(posixpath.basename(path))[0]


PARALLEL_PAGES = 200
"""From this many pages, Markdown is turned into HTML by a process per core: markdown-it-py
is pure Python, and cloudflare's 4,182 type pages (46 MB) took 15 s on one core."""


def _render_pages(md: MarkdownIt, pages: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """``{path: (html, title)}`` for every page, in path order."""
    paths = sorted(pages)
    jobs = os.cpu_count() or 1
    if len(paths) < PARALLEL_PAGES or jobs < 2:
        return {path: _render_page(md, pages[path], path) for path in paths}
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, len(paths) // (jobs * 8) + 1)  # small batches: no core idles at the end
    batches = [[(p, pages[p]) for p in paths[i : i + size]] for i in range(0, len(paths), size)]
    out: dict[str, tuple[str, str]] = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for done in pool.map(_render_batch, batches):
            out.update(done)
    return out


def _render_batch(batch: list[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    md = _markdown()
    return {path: _render_page(md, text, path) for path, text in batch}


def _index_title(path: str, found: str, site_title: str) -> str:
    """An ``index.md`` without a level-one heading (a logo in raw HTML) is named after its
    folder, or the site for the root one, rather than "index"."""
    if posixpath.basename(path) != "index.md" or found != "index":
        return found
    folder = posixpath.dirname(path)
    return posixpath.basename(folder) if folder else site_title


def _render_page(md: MarkdownIt, text: str, path: str) -> tuple[str, str]:
    """One page's HTML (its body) and title; the tokens are dropped at once (a big site's
    would hold a gigabyte)."""
    env: dict[str, Any] = {"slugs": {}}
    tokens = md.parse(text, env)
    return md.renderer.render(tokens, md.options, env), _title_from(tokens, path)
