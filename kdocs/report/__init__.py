"""Reporters: a :class:`~kdocs.engine.CheckResult` -> text for a terminal, a file or CI."""

from __future__ import annotations

from collections.abc import Callable

from kdocs.engine import CheckResult

Reporter = Callable[[CheckResult, bool], str]
"""``render(result, color) -> text``."""

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit")


def get_reporter(name: str) -> Reporter:
    if name == "text":
        from kdocs.report.text import render
    elif name == "json":
        from kdocs.report.json import render
    elif name == "sarif":
        from kdocs.report.sarif import render
    elif name == "github":
        from kdocs.report.github import render
    elif name == "gitlab":
        from kdocs.report.gitlab import render
    elif name == "junit":
        from kdocs.report.junit import render
    else:  # pragma: no cover - click validates the choice
        raise ValueError(name)
    return render
