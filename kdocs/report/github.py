"""GitHub Actions workflow commands: one ``::error file=...`` annotation per finding."""

from __future__ import annotations

from kdocs.engine import CheckResult

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: CheckResult, color: bool) -> str:
    lines = []
    for d in result.diagnostics:
        rule = result.rules.get(d.code)
        level = _LEVEL.get(rule.severity if rule else "error", "error")
        props = [
            f"file={_escape_property(result.display_path(d.file))}",
            f"line={d.line}",
            f"col={d.column}",
        ]
        if d.end_line is not None:
            props.append(f"endLine={d.end_line}")
        if d.end_column is not None:
            props.append(f"endColumn={d.end_column}")
        title = f"{d.code} {rule.name}" if rule else d.code
        props.append(f"title={_escape_property(title)}")
        message = "\n".join([d.message, *d.notes])
        lines.append(f"::{level} {','.join(props)}::{_escape_data(f'{d.code} {message}')}")
    return "\n".join(lines) + ("\n" if lines else "")
