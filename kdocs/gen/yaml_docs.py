"""YAML reference: one document per command in kubectl's genyaml shape, plus ``cli.yaml``
holding the whole tree for machines.

YAML is emitted with ``yaml.dump`` of a built structure (never by string templates), through
a dumper that double-quotes every string a YAML 1.1 *or* 1.2 reader could take for another
type (``yes``, ``off``, ``null``, ``~``, ``1e3``, ``0x1F``, ``.inf``, dates...), so every
value loads back as the exact string kdocs wrote.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from kdocs.gen import GenSettings
from kdocs.gen.context import command_pages
from kdocs.models.cli import CliModel

TREE_FILE = "cli.yaml"

_LOOKS_TYPED = re.compile(
    r"""(?x)^(?:
        [-+]?(?:\.\d+|\d[\d_]*(?:\.[\d_]*)?)(?:[eE][-+]?\d+)?   # numbers, 1e3, 1_000
      | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
      | 0[xX][0-9a-fA-F_]+ | 0[oO]?[0-7_]+ | 0[bB][01_]+
      | [-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.[\d_]*)?              # sexagesimal (YAML 1.1)
      | (?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)
      | (?:null|Null|NULL|~)
      | \d{4}-\d\d?-\d\d?(?:[Tt ].*)?                          # timestamps
      | <<  | =
    )$"""
)


_STR, _BOOL, _INT, _NULL = (f"tag:yaml.org,2002:{t}" for t in ("str", "bool", "int", "null"))
_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


_Base: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when available


class _Dumper(_Base):  # type: ignore[misc]
    """Safe dumper: strings that look typed are double-quoted, multi-line strings are
    literal blocks, and mappings keep kdocs' key order."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """The serializer asks twice per scalar which tag its text implies; the answer
        depends on the text only (no path resolvers are registered), so it is memoised."""
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = _RESOLVED.get(key)
        if tag is None:
            if len(_RESOLVED) > 200_000:
                _RESOLVED.clear()
            tag = _RESOLVED[key] = super().resolve(kind, value, implicit)
        return tag


_RESOLVED: dict[tuple[str, Any], str] = {}


def _represent_str(dumper: Any, value: str) -> yaml.ScalarNode:
    # A new node each time: the serializer turns a node met twice into an anchor and alias.
    return yaml.ScalarNode(_STR, value, style=_style(value))


@lru_cache(maxsize=65536)
def _style(value: str) -> str | None:
    if not value or value != value.strip() or _LOOKS_TYPED.match(value):
        return '"'
    if "\n" in value:
        return "|"
    return None


_Dumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """YAML text of ``data``: block style, keys in insertion order, Unicode kept.

    The node tree is built here (strings, booleans, integers, null, lists and dicts are all
    a document holds) and serialised by PyYAML's emitter, which still checks every plain
    scalar against its resolver; building the nodes directly skips the representer's
    per-value dispatch, the bulk of the time on a CLI of hundreds of commands."""
    text: str = yaml.serialize(
        _node(data),
        Dumper=_Dumper,
        allow_unicode=True,
        width=100,
    )
    return text


def _node(value: Any) -> yaml.Node:
    if isinstance(value, str):
        return _represent_str(None, value)
    if isinstance(value, bool):
        return yaml.ScalarNode(_BOOL, "true" if value else "false")
    if isinstance(value, int):
        return yaml.ScalarNode(_INT, str(value))
    if value is None:
        return yaml.ScalarNode(_NULL, "null")
    if isinstance(value, dict):
        pairs = [(_node(str(k)), _node(v)) for k, v in value.items()]
        return yaml.MappingNode(_MAP, pairs, flow_style=not pairs)
    if isinstance(value, (list, tuple)):
        items = [_node(v) for v in value]
        return yaml.SequenceNode(_SEQ, items, flow_style=not items)
    return _node(repr(value))  # never in a document; shown as text rather than guessed


def _option(option: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": option["name"]}
    if option["shorthand"]:
        entry["shorthand"] = option["shorthand"]
    if option["default"] is not None:
        entry["default_value"] = option["default"]
    if option["help"]:
        entry["usage"] = option["help"]
    return entry


def _text(blocks: list[dict[str, str]]) -> str:
    return "\n\n".join(b["text"] for b in blocks)


def command_document(page: dict[str, Any]) -> dict[str, Any]:
    """One command in genyaml's shape (name, synopsis, description, usage, options,
    inherited_options, example, see_also); empty fields are left out, as genyaml does."""
    doc: dict[str, Any] = {"name": page["full_name"]}
    if page["summary"]:
        doc["synopsis"] = page["summary"]
    description = _text(page["description"] + page["epilog"])
    if description:
        doc["description"] = description
    doc["usage"] = page["synopsis"]
    if page["deprecated"] is not None:
        doc["deprecated"] = page["deprecated"] or True
    if page["options"]:
        doc["options"] = [_option(o) for o in page["options"]]
    if page["inherited_options"]:
        doc["inherited_options"] = [_option(o) for o in page["inherited_options"]]
    if page["examples"]:
        doc["example"] = page["examples"]
    if page["see_also"]:
        doc["see_also"] = [
            f"{c['full_name']} - {c['summary']}" if c["summary"] else c["full_name"]
            for c in page["see_also"]
        ]
    return doc


def _tree_entry(page: dict[str, Any], by_name: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The machine-readable form of one command and its documented descendants."""
    entry: dict[str, Any] = {
        "name": page["name"],
        "path": page["path"],
        "summary": page["summary"],
        "usage": page["synopsis"],
        "description": _text(page["description"] + page["epilog"]),
        "deprecated": page["deprecated"],
        "aliases": page["aliases"],
        "arguments": [
            {k: a[k] for k in ("name", "metavar", "required", "nargs", "help", "choices")}
            for a in page["arguments"]
        ],
        "options": [
            {
                k: o[k]
                for k in (
                    "names",
                    "secondary_names",
                    "metavar",
                    "help",
                    "default",
                    "choices",
                    "envvar",
                    "required",
                    "multiple",
                    "is_flag",
                    "deprecated",
                )
            }
            for o in page["options"]
        ],
        "examples": page["examples"],
        "subcommands": [_tree_entry(by_name[c["full_name"]], by_name) for c in page["subcommands"]],
    }
    return entry


def generate(model: CliModel, settings: GenSettings) -> dict[str, str]:
    """``{"prog-sub.yaml": one document, ..., "cli.yaml": the whole tree}``."""
    pages = command_pages(model, settings)
    if not pages:
        return {}
    out = {f"{p['slug']}.yaml": dump(command_document(p)) for p in pages}
    by_name = {p["full_name"]: p for p in pages}
    tree = [_tree_entry(p, by_name) for p in pages if p["parent"] is None]
    out[TREE_FILE] = dump({"clis": tree})
    return out
