"""Headless Chromium (Debian's ``/usr/bin/chromium``) driven by Playwright, for the tests of
generated HTML: what a reader's browser parses, runs and shows. A missing Chromium skips the
test locally and fails it in CI (``KDOCS_REQUIRE_TOOLS=1``; ``.ci/run`` installs it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.gentools import need_tool

# The flags a sandboxed root process without a network needs (no sandbox as root, no GPU,
# none of Chromium's own background connections, which this machine refuses).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Seen:
    """One page as Chromium loaded it."""

    url: str
    title: str
    scripts: int
    """``<script>`` elements in the DOM."""
    handlers: int
    """Elements with an ``on...`` event-handler attribute."""
    links: list[str]
    """Every ``a[href]`` as written."""
    ids: list[str]
    current: list[str]
    """The navigation's links marked ``aria-current="page"``."""
    text: str
    """The body's text as shown."""
    dialogs: list[str] = field(default_factory=list)
    """Messages of alert/confirm/prompt dialogs the page opened (a script ran)."""
    errors: list[str] = field(default_factory=list)
    """Console errors and failed requests."""


PROBE = """() => ({
  title: document.title,
  scripts: document.querySelectorAll('script').length,
  handlers: [...document.querySelectorAll('*')].filter(
      e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
  links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
  ids: [...document.querySelectorAll('[id]')].map(e => e.id),
  current: [...document.querySelectorAll('nav [aria-current=page]')].map(
      a => a.getAttribute('href')),
  text: document.body.innerText,
})"""


@contextmanager
def chromium() -> Iterator[Any]:
    """A Playwright browser on the system Chromium (Playwright's own download is never used)."""
    executable = need_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def load_pages(paths: list[Path]) -> list[Seen]:
    """Open each file in a fresh page and report what Chromium saw."""
    seen: list[Seen] = []
    with chromium() as browser:
        for path in paths:
            page = browser.new_page()
            dialogs: list[str] = []
            errors: list[str] = []

            def on_dialog(dialog: Any, into: list[str] = dialogs) -> None:
                into.append(dialog.message)
                dialog.dismiss()

            def on_console(message: Any, into: list[str] = errors) -> None:
                if message.type == "error":
                    into.append(message.text)

            page.on("dialog", on_dialog)
            page.on("console", on_console)
            page.on("requestfailed", lambda request, into=errors: into.append(request.url))
            page.goto(path.resolve().as_uri(), wait_until="load")
            found = page.evaluate(PROBE)
            seen.append(Seen(url=page.url, dialogs=dialogs, errors=errors, **found))
            page.close()
    return seen
