"""YAML from the analysed repository, without aliases: no billion-laughs expansion.

A 376-byte ``.import-restrictions`` file of nested aliases (``b: [*a, *a, ...]``) expands to
hundreds of megabytes once loaded, and every message that echoed a value echoed all of it.
kdocs' YAML inputs (``.import-restrictions``, ``kdocs.yaml``) never need anchors or aliases,
so :func:`load` refuses both as soon as the parser meets one, before anything is expanded.
"""

from __future__ import annotations

from typing import Any

import yaml


class YamlRefused(ValueError):
    """The document is not acceptable YAML; the message says why and where (one line)."""


class _NoAliasLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses anchors (``&a``) and aliases (``*a``)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        mark = getattr(event, "start_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        if isinstance(event, yaml.AliasEvent):
            raise YamlRefused(f"YAML aliases (*name) are not allowed{where}")
        if getattr(event, "anchor", None) is not None:
            raise YamlRefused(f"YAML anchors (&name) are not allowed{where}")
        return super().compose_node(parent, index)


def load(text: str) -> Any:
    """Parse one YAML document safely; raises :class:`YamlRefused` with a one-line reason."""
    try:
        return yaml.load(text, Loader=_NoAliasLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise YamlRefused(f"invalid YAML{where}") from None
    except RecursionError:
        raise YamlRefused("invalid YAML: nested too deeply") from None
