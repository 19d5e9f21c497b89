"""GitHub Actions workflow commands: one ``::error file=...`` annotation per finding."""

from __future__ import annotations

from kdocs.engine import CheckResult
from kdocs.escape import escape_control

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    """Workflow-command data: ``%``, CR and LF are the runner's own specials."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: CheckResult, color: bool) -> str:
    lines = []
    for d in result.diagnostics:
        rule = result.rules.get(d.code)
        level = _LEVEL.get(rule.severity if rule else "error", "error")
        props = [
            f"file={_escape_property(escape_control(d.file))}",
            f"line={d.line}",
            f"col={d.column}",
        ]
        if d.end_line is not None:
            props.append(f"endLine={d.end_line}")
        if d.end_column is not None:
            props.append(f"endColumn={d.end_column}")
        title = f"{d.code} {rule.name}" if rule else d.code
        props.append(f"title={_escape_property(title)}")
        # Control characters from the repository would reach the Actions log (which renders
        # ANSI sequences): escape them per line; the newlines joining notes are kdocs' own.
        message = "\n".join(escape_control(m) for m in [d.message, *d.notes])
        lines.append(f"::{level} {','.join(props)}::{_escape_data(f'{d.code} {message}')}")
    return "\n".join(lines) + ("\n" if lines else "")
