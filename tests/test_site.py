"""``kdocs site build|serve`` (kdocs/gen/site.py, kdocs/gen/site_run.py): Markdown pages and
the CLI reference as an HTML site that Chromium loads with every link resolved, no script
from the repository run, and nothing kdocs did not write replaced."""

from __future__ import annotations

import html.parser
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.browser import load_pages
from tests.conftest import MakeProject
from tests.helpers import run_kdocs

REPO = Path(__file__).resolve().parent.parent

HOSTILE = {
    "pyproject.toml": """
        [project]
        name = "evil<b>shop</b>"
        version = "1"

        [project.scripts]
        shop = "shop.cli:main"
    """,
    "shop/__init__.py": "",
    "shop/cli.py": '''
        import click


        @click.group()
        def main():
            """Shop <script>alert("help")</script> tool."""


        @main.command()
        @click.option("--name", help='<img src=x onerror="alert(1)"> the name')
        def buy(name):
            """Buy [it](javascript:alert(2)) now."""
    ''',
    "shop/models.py": '''
        from pydantic import BaseModel, Field


        class Order(BaseModel):
            """An order <script>alert("type")</script>."""

            item_id: int = Field(description='<img src=x onerror="alert(6)"> the item')
    ''',
    "docs/index.md": """
        # Welcome <script>alert("page")</script>

        Raw <img src=x onerror="alert(3)"> HTML is shown as text.

        <div onclick="alert(4)">a block</div>

        [a script link](javascript:alert(5)) and [the guide](guide/setup.md#install-it).

        ## The cache

        ## The cache

        ## Zero-Shot {#zero-shot}

        See [zero-shot](#zero-shot).
    """,
    "docs/guide/setup.md": """
        # Setup & use

        ## Install it

        Back [home](../index.md#the-cache-1), or [the CLI](../reference/markdown/shop-buy.md).
    """,
}


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag in ("a", "link") and found.get("href"):
            self.hrefs.append(str(found["href"]))


def broken_links(out: Path) -> list[str]:
    """Every relative link of the site whose file or fragment does not exist."""
    parsed: dict[Path, _Links] = {}
    for path in sorted(out.rglob("*.html")):
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        parsed[path] = parser
    broken = []
    for path, parser in parsed.items():
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("/"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file():
                broken.append(f"{path.relative_to(out)}: {href}")
            elif parts.fragment and parts.fragment not in parsed[target].ids:
                broken.append(f"{path.relative_to(out)}: {href} (no such anchor)")
    return broken


def test_kdocs_own_site_builds_with_every_link_resolved(tmp_path: Path) -> None:
    out = tmp_path / "site"
    run = run_kdocs("site", "build", str(REPO), "--out", str(out))
    assert run.exit_code == 0, run.stderr
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    sources = sorted(
        p.relative_to(REPO / "site").with_suffix(".html").as_posix()
        for p in (REPO / "site").rglob("*.md")
    )
    assert pages == sources  # the CLI reference replaces its committed copy in place
    schemas = sorted(p.name for p in (REPO / "site/reference/inspect").glob("*.json"))
    assert sorted(p.name for p in (out / "reference/inspect").iterdir()) == schemas  # copied
    written = len(pages) + len(schemas) + 1  # and the stylesheet
    assert f"site: {len(pages)} pages, {len(schemas)} other files; {written} written" in run.stderr
    assert broken_links(out) == []
    check = (out / "reference/cli/kdocs-check.html").read_text(encoding="utf-8")
    assert '<a id="kdocs-check-option-select"></a>' in check  # gen's anchors kept
    rules = (out / "reference/rules/index.html").read_text(encoding="utf-8")
    assert '<a href="C101.html">' in rules  # links between pages point to HTML pages


def test_a_hostile_project_renders_as_text_in_chromium(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """Help texts and pages are repository content: in Chromium no script of theirs runs,
    no event handler or javascript: link survives, and they read as the text they are."""
    root = make_project(HOSTILE)
    out = tmp_path / "site"
    run = run_kdocs("site", "build", str(root), "--out", str(out))
    assert run.exit_code == 0, run.stderr
    assert broken_links(out) == []
    paths = sorted(out.rglob("*.html"))
    names = sorted(p.relative_to(out).as_posix() for p in paths)
    assert names == [
        "guide/setup.html",
        "index.html",
        "reference/markdown/index.html",
        "reference/markdown/shop-buy.html",
        "reference/markdown/shop.html",
        "reference/types/index.html",
        "reference/types/shop.models.html",
    ]
    seen = {
        Path(unquote(urlsplit(s.url).path)).relative_to(out).as_posix(): s
        for s in load_pages(paths)
    }
    for page in seen.values():
        assert (page.scripts, page.handlers, page.dialogs, page.errors) == (0, 0, [], [])
        assert not [link for link in page.links if link.lower().startswith("javascript:")]
        assert page.title.endswith("· evil<b>shop</b>")  # the name as text, tags and all
        here = Path(unquote(urlsplit(page.url).path)).relative_to(out)
        marked = [os.path.normpath(here.parent / link) for link in page.current]
        assert marked == [str(here)]  # the navigation marks the page itself
    index = seen["index.html"]
    assert 'Welcome <script>alert("page")</script>' in index.text
    assert 'Raw <img src=x onerror="alert(3)"> HTML is shown as text.' in index.text
    assert {"the-cache", "the-cache-1", "zero-shot"} <= set(index.ids)
    assert "Zero-Shot\n" in index.text and "{#zero-shot}" not in index.text  # mkdocs' attr_list
    assert "guide/setup.html#install-it" in index.links
    assert seen["guide/setup.html"].title.startswith("Setup & use ·")
    assert (
        '<img src=x onerror="alert(1)"> the name' in seen["reference/markdown/shop-buy.html"].text
    )
    order = seen["reference/types/shop.models.html"]
    assert 'An order <script>alert("type")</script>.' in order.text
    assert '<img src=x onerror="alert(6)"> the item' in order.text


def test_pages_that_cannot_be_read_are_named_and_the_rest_is_built(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project({"site/index.md": "# Home\n", "site/ok.md": "# Fine\n"})
    (root / "site/latin1.md").write_bytes(b"# caf\xe9\n")
    (root / "site/outside.md").symlink_to(tmp_path / "elsewhere.md")
    (tmp_path / "elsewhere.md").write_text("# secret\n")
    os.mkfifo(root / "site/pipe.md")
    out = tmp_path / "site-out"
    run = run_kdocs("site", "build", str(root), "--out", str(out))
    assert run.exit_code == 1
    skipped = [line for line in run.stderr.splitlines() if line.startswith("kdocs: skipped")]
    assert skipped == [
        "kdocs: skipped site/latin1.md: not UTF-8",
        "kdocs: skipped site/outside.md: not followed: a link out of the project",
        "kdocs: skipped site/pipe.md: not a regular file (a FIFO)",
    ]
    assert sorted(p.name for p in out.glob("*.html")) == ["index.html", "ok.html"]
    assert "secret" not in "".join(p.read_text() for p in out.glob("*.html"))


def test_a_rebuild_changes_nothing_and_never_replaces_a_foreign_file(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project({"docs/index.md": "# Home\n", "docs/a.md": "# A\n"})
    out = root / "build" / "site"
    first = run_kdocs("site", "build", str(root))  # the default output folder
    assert first.exit_code == 0 and "3 written, 0 unchanged" in first.stderr
    built = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    again = run_kdocs("site", "build", str(root))
    assert "0 written, 3 unchanged" in again.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == built
    (root / "docs/a.md").unlink()
    (out / "notes.txt").write_text("mine")
    pruned = run_kdocs("site", "build", str(root))
    assert "1 removed" in pruned.stderr and not (out / "a.html").exists()
    assert (out / "notes.txt").read_text() == "mine"
    (root / "docs/b.md").write_text("# B\n")
    (out / "b.html").write_text("<p>the user's own page</p>")
    refused = run_kdocs("site", "build", str(root))
    assert refused.exit_code == 2 and "b.html" in refused.stderr
    assert (out / "b.html").read_text() == "<p>the user's own page</p>"


def test_the_reference_goes_where_gen_puts_it_when_that_is_among_the_pages(
    make_project: MakeProject, tmp_path: Path
) -> None:
    files = {
        **HOSTILE,
        "pyproject.toml": HOSTILE["pyproject.toml"]
        + """
        [tool.kdocs.gen]
        markdown-out = "docs/cli"
    """,
    }
    root = make_project(files)
    (root / "docs/cli").mkdir()
    (root / "docs/cli/shop.md").write_text("# stale copy\n")
    out = tmp_path / "site"
    assert run_kdocs("site", "build", str(root), "--out", str(out)).exit_code == 0
    assert sorted(p.relative_to(out).as_posix() for p in (out / "cli").glob("*.html")) == [
        "cli/index.html",
        "cli/shop-buy.html",
        "cli/shop.html",
    ]
    assert sorted(p.name for p in (out / "reference").iterdir()) == ["types"]  # types-out
    assert "stale copy" not in (out / "cli/shop.html").read_text()


def test_nothing_to_build_and_pages_outside_the_project_are_errors(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project({"pyproject.toml": '[project]\nname = "empty"\nversion = "0"\n'})
    run = run_kdocs("site", "build", str(root), "--out", str(tmp_path / "o"))
    assert run.exit_code == 2 and "nothing to build" in run.stderr
    outside = run_kdocs("site", "build", str(root), "--pages", "../..")
    assert outside.exit_code == 2 and "lies outside the project" in outside.stderr


def test_serve_serves_the_built_site_on_localhost(make_project: MakeProject) -> None:
    root = make_project({"docs/index.md": "# Served\n"})
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONSAFEPATH", "PYTHONPATH")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kdocs", "site", "serve", "--port", "0"],
        cwd=root,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        url = None
        for line in proc.stderr:
            found = re.search(r"at (http://127\.0\.0\.1:\d+/) \(Ctrl-C to stop\)", line)
            if found:
                url = found.group(1)
                break
        assert url is not None
        with urllib.request.urlopen(url + "index.html", timeout=10) as response:
            served = response.read()
        assert served == (root / "build/site/index.html").read_bytes()
        assert b'<h1 id="served">Served</h1>' in served
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _png(width: int, height: int) -> bytes:
    """A real PNG image (grey pixels), as a browser decodes it."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_images_and_data_are_copied_and_nothing_that_could_run(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """An image beside the pages shows in Chromium; an HTML page, an SVG or a script among
    them is not copied (it would run in the site's origin), and a note says so."""
    root = make_project(
        {
            "docs/index.md": "# Home\n\n![the logo](img/logo.png) [data](data.json)\n",
            "docs/data.json": '{"a": 1}\n',
            "docs/raw.html": "<script>alert(1)</script>\n",
            "docs/img/diagram.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(2)</script></svg>\n',
            "docs/app.js": "alert(3)\n",
        }
    )
    (root / "docs/img/logo.png").write_bytes(_png(3, 2))
    (root / "docs/log.txt").write_bytes(b"x" * (3 << 20))  # over max-file-size: still copied
    out = tmp_path / "site"
    run = run_kdocs("site", "build", str(root), "--out", str(out))
    assert run.exit_code == 0, run.stderr
    assert "site: 1 pages, 3 other files; 5 written" in run.stderr
    assert "3 file(s) among the pages not copied" in run.stderr
    copied = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert copied == [
        ".kdocs-manifest.json",
        "data.json",
        "img/logo.png",
        "index.html",
        "log.txt",
        "style.css",
    ]
    assert (out / "img/logo.png").read_bytes() == (root / "docs/img/logo.png").read_bytes()
    assert broken_links(out) == []
    from tests.browser import chromium

    with chromium() as browser:
        page = browser.new_page()
        page.goto((out / "index.html").as_uri(), wait_until="load")
        size = page.evaluate(
            "() => [...document.images].map(i => [i.naturalWidth, i.naturalHeight])"
        )
        page.close()
    assert size == [[3, 2]]


def test_the_site_section_sets_pages_out_and_title(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project(
        {
            "pyproject.toml": """
                [project]
                name = "shop"
                version = "1"

                [tool.kdocs.site]
                pages = "documentation"
                out = "public/site"
                title = "Shop <docs>"
            """,
            "documentation/index.md": "# Home\n",
            "docs/ignored.md": "# Not these\n",
        }
    )
    run = run_kdocs("site", "build", str(root))
    assert run.exit_code == 0, run.stderr
    built = sorted(p.name for p in (root / "public/site").glob("*.html"))
    assert built == ["index.html"]
    assert (
        "<title>Home · Shop &lt;docs&gt;</title>" in (root / "public/site/index.html").read_text()
    )
    # The command line wins over the section.
    run = run_kdocs("site", "build", str(root), "--pages", "docs", "--out", str(tmp_path / "o"))
    assert run.exit_code == 0 and (tmp_path / "o/ignored.html").is_file()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('out = "../elsewhere"', "`tool.kdocs.site.out` must stay inside the project"),
        ('pages = "/etc"', "`tool.kdocs.site.pages` must be a folder relative to the project"),
        ('pages = "missing"', "`tool.kdocs.site.pages` 'missing' is not a folder"),
        ('out = "link/site"', "`tool.kdocs.site.out` 'link/site' lies outside the project"),
        ("title = 3", "`tool.kdocs.site.title` must be a string"),
        ('pagez = "docs"', "unknown key `tool.kdocs.site.pagez`"),
    ],
)
def test_a_bad_site_setting_names_its_key(
    make_project: MakeProject, tmp_path: Path, table: str, message: str
) -> None:
    root = make_project(
        {"pyproject.toml": f"[tool.kdocs.site]\n{table}\n", "docs/index.md": "# Home\n"}
    )
    (root / "link").symlink_to(tmp_path)
    run = run_kdocs("site", "build", str(root))
    assert run.exit_code == 2 and message in run.stderr, run.stderr
    assert not list(tmp_path.glob("site*"))  # nothing written through the link


def test_the_navigation_stays_small_however_big_the_site() -> None:
    """Only the folders on the way to the page are open, and a folder of more than
    NAV_LIMIT pages lists its index and the page itself: every folder listed on every page
    made cloudflare's 4,182 type pages 2.8 GB."""
    from kdocs.gen.site import NAV_LIMIT, render_site

    pages = {"index.md": "# Home\n", "guide/index.md": "# Guide\n", "guide/a.md": "# A\n"}
    pages.update({f"types/m{i:04}.md": f"# Module {i}\n" for i in range(3 * NAV_LIMIT)})
    pages["types/index.md"] = "# Types\n"
    out = render_site(pages, "big")
    sizes = sorted(len(text) for name, text in out.items() if name.endswith(".html"))
    assert sizes[-1] < 3000  # a page of the big folder: no list of 300 modules
    module = out["types/m0007.html"]
    assert module.count('href="../types/m') == 1 and 'aria-current="page">Module 7<' in module
    assert 'href="../types/index.html">Types<' in module
    assert 'href="../guide/a.html"' not in module  # a closed folder: one link, to its index
    assert 'href="../guide/index.html">Guide<' in module
    guide = out["guide/a.html"]
    assert 'href="../guide/a.html" aria-current="page">A<' in guide
    assert 'href="../types/m' not in guide and 'href="../types/index.html">Types<' in guide


def test_a_site_without_index_gets_one_that_links_every_page(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project({"docs/my notes (draft).md": "# Notes *draft*\n", "docs/b/c.md": "# C\n"})
    out = tmp_path / "site"
    assert run_kdocs("site", "build", str(root), "--out", str(out)).exit_code == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="my%20notes%20%28draft%29.html">Notes draft</a>' in index
    assert '<a href="b/c.html">C</a>' in index
    assert broken_links(out) == []


def test_many_pages_render_on_every_core_to_the_same_site(monkeypatch: pytest.MonkeyPatch) -> None:
    from kdocs.gen import site

    pages = {
        f"p/{i:03}.md": f"# Page {i}\n\n## Part\n\n[next](./{i + 1:03}.md)\n" for i in range(40)
    }
    pages["index.md"] = "# Home <b>x</b>\n"
    monkeypatch.setattr(site, "PARALLEL_PAGES", 10**9)
    serial = site.render_site(pages, "t")
    monkeypatch.setattr(site, "PARALLEL_PAGES", 2)
    monkeypatch.setattr(site.os, "cpu_count", lambda: 2)
    assert site.render_site(pages, "t") == serial


def test_serve_on_a_port_in_use_is_a_one_line_error(make_project: MakeProject) -> None:
    import socket

    root = make_project({"docs/index.md": "# Home\n"})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = run_kdocs("site", "serve", str(root), "--port", str(port))
    assert run.exit_code == 2
    assert run.stderr.splitlines()[-1] == (
        f"kdocs: error: cannot serve on 127.0.0.1:{port}: Address already in use"
    )


def test_an_index_without_a_heading_is_named_after_its_folder_or_the_site() -> None:
    from kdocs.gen.site import render_site

    out = render_site({"index.md": "<p>logo</p>\n", "guide/index.md": "text\n"}, "Shop")
    assert "<title>Shop · Shop</title>" in out["index.html"]
    assert "<title>guide · Shop</title>" in out["guide/index.html"]


def test_planted_links_to_the_default_folders_are_not_followed(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """A pull request can commit `docs -> /elsewhere` and `build -> /elsewhere`: the pages
    are not read from there, and the site is not written there."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.md").write_text("# secret\n")
    root = make_project({"site/index.md": "# Home\n"})
    (root / "docs").symlink_to(elsewhere)
    (root / "build").symlink_to(elsewhere)
    refused = run_kdocs("site", "build", str(root))
    assert refused.exit_code == 2 and "lies outside the project" in refused.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == ["secret.md"]  # nothing written
    (root / "site/index.md").unlink()
    (root / "site").rmdir()  # now `docs` would be the pages folder, but it leads out
    out = tmp_path / "out"
    run = run_kdocs("site", "build", str(root), "--out", str(out))
    assert run.exit_code == 2 and "nothing to build" in run.stderr
    assert not out.exists()
