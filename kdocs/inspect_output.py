"""Render an extracted model for ``kdocs inspect`` as JSON, YAML or a readable text tree.

``python -m kdocs.inspect_output DIR`` writes the JSON Schema of each ``inspect`` output into
DIR (``site/reference/inspect`` in this repository; a test keeps the committed copy current).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

from kdocs.escape import escape_control
from kdocs.models.schema import inspect_data, schema_files


def render_model(kind: str, model: Any, fmt: str) -> str:
    """``model`` as ``kdocs inspect KIND --format FMT`` prints it (``schema_version`` first in
    JSON and YAML)."""
    data = inspect_data(model)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    renderer = {"cli": _cli_text, "types": _types_text, "imports": _imports_text}.get(kind)
    if renderer is None:
        lines = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100).splitlines()
    else:
        lines = renderer(data)
    # Text is for a terminal: escape control characters from the repository (help text,
    # flag names) so they cannot drive it, and one item stays on one line.
    return "\n".join(escape_control(line) for line in lines) + "\n"


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


def write_schemas(out: Path) -> list[str]:
    """Write every inspect schema into ``out``; return the names of the files that changed."""
    from kdocs.writer import atomic_replace

    out.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in schema_files().items():
        path = out / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            atomic_replace(path, text.encode("utf-8"))
            changed.append(name)
    return changed


if __name__ == "__main__":  # pragma: no cover - a maintainer's regeneration command
    if len(sys.argv) != 2:
        sys.exit("usage: python -m kdocs.inspect_output DIR")
    for name in write_schemas(Path(sys.argv[1])):
        print(f"wrote {name}")
