"""Exceptions that the command line turns into a one-line message and exit code 2."""

from __future__ import annotations


class KdocsError(Exception):
    """A problem the user can fix (bad config, bad path, bad option); never a kdocs bug."""


class ConfigError(KdocsError):
    """The configuration is invalid; the message names the offending key path."""

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)
