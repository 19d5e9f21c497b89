"""Render an extracted model for ``kdocs inspect`` as JSON, YAML or a readable text tree."""

from __future__ import annotations

import json
from typing import Any

import yaml

from kdocs.models.serialize import to_data


def render_model(kind: str, model: Any, fmt: str) -> str:
    data = to_data(model)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    renderer = {"cli": _cli_text, "types": _types_text, "imports": _imports_text}.get(kind)
    if renderer is None:
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(renderer(data)) + "\n"


def _first_line(text: str | None) -> str:
    if not text:
        return ""
    return text.strip().splitlines()[0] if text.strip() else ""


def _cli_text(data: dict[str, Any]) -> list[str]:
    lines: list[str] = []

    def walk(cmd: dict[str, Any], depth: int) -> None:
        pad = "  " * depth
        src = cmd.get("source") or {}
        where = f"  [{src.get('file')}:{src.get('line')}]" if src else ""
        summary = _first_line(cmd.get("short_help") or cmd.get("help"))
        flags = " (hidden)" if cmd.get("hidden") else ""
        lines.append(
            f"{pad}{' '.join(cmd['path'])}{flags}{' - ' + summary if summary else ''}{where}"
        )
        for arg in cmd.get("arguments", []):
            lines.append(f"{pad}    <{arg['name']}>{'' if arg.get('required') else ' (optional)'}")
        for opt in cmd.get("options", []):
            names = ", ".join(opt["names"] + opt.get("secondary_names", []))
            helptext = _first_line(opt.get("help"))
            lines.append(f"{pad}    {names}{'  ' + helptext if helptext else ''}")
        for note in cmd.get("unresolved", []):
            lines.append(
                f"{pad}    ! unresolved: {note['message']} ({note['file']}:{note['line']})"
            )
        for sub in cmd.get("subcommands", []):
            walk(sub, depth + 1)

    for root in data.get("clis", []):
        walk(root, 0)
    for entry in data.get("unresolved_entry_points", []):
        lines.append(
            f"! console script `{entry['name']}` = {entry['target']} not resolved: "
            f"{entry['reason']}"
        )
    return lines or ["(no command-line interfaces found)"]


def _types_text(data: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for t in data.get("types", []):
        lines.append(f"{t['module']}.{t['name']} ({t['kind']})")
        for f in t.get("fields", []):
            renamed = f" -> {f['serialized_name']}" if f["serialized_name"] != f["name"] else ""
            req = "" if f.get("required") else " (optional)"
            lines.append(f"    {f['name']}{renamed}: {f.get('type')}{req}")
    return lines or ["(no API types found)"]


def _imports_text(data: dict[str, Any]) -> list[str]:
    lines = [
        f"{i['importer']} -> {i['imported']}  (line {i['line']})" for i in data.get("imports", [])
    ]
    return lines or ["(no imports found)"]
