"""Help texts as the frameworks show them (click's dedent and ``\\f`` truncation rules)."""

from __future__ import annotations

import inspect


def command_help(raw: str | None) -> str | None:
    """click's ``format_help_text``: ``inspect.cleandoc`` then cut at the first form feed.

    ``\\b`` (no-rewrap) markers are kept: they are part of what click renders. An empty
    result is ``None`` (the contract's help-less value).
    """
    if raw is None:
        return None
    text = inspect.cleandoc(raw).partition("\f")[0]
    return text if text.strip() else None


def param_help(raw: str | None, deprecated: bool | str = False) -> str | None:
    """click's ``Parameter.help``: cleaned with ``inspect.cleandoc``, deprecation label added."""
    text = inspect.cleandoc(raw) if raw else raw
    if deprecated:
        label = f"(DEPRECATED: {deprecated})" if isinstance(deprecated, str) else "(DEPRECATED)"
        text = f"{text} {label}" if text else label
    return text if text and text.strip() else None


def raw_text(raw: str | None) -> str | None:
    """``short_help`` and ``epilog`` as click stores them: unprocessed (click derives a short
    help from the help only when none is given, at display time)."""
    if raw is None:
        return None
    return raw if raw.strip() else None
