"""``path:line:col: CODE message`` lines and a summary (coloured only on a terminal)."""

from __future__ import annotations

from collections import Counter

import click

from kdocs.engine import CheckResult
from kdocs.escape import escape_control


def render(result: CheckResult, color: bool) -> str:
    def style(text: str, **kw: object) -> str:
        return click.style(text, **kw) if color else text  # type: ignore[arg-type]

    lines = []
    for d in result.diagnostics:
        # Paths and messages carry repository text: escape control characters (terminal
        # injection, a newline splitting one finding over two lines).
        where = f"{escape_control(d.file)}:{d.line}:{d.column}:"
        fixable = " [*]" if d.fix is not None else ""
        code = style(d.code, fg="red", bold=True)
        lines.append(f"{style(where, bold=True)} {code}{fixable} {escape_control(d.message)}")
        for note in d.notes:
            lines.append(f"    {escape_control(note)}")
    lines.append(summary_line(result, style))
    return "\n".join(lines) + "\n"


def summary_line(result: CheckResult, style: object = None) -> str:
    n = len(result.diagnostics)
    extra = []
    fixable = sum(1 for d in result.diagnostics if d.fix is not None)
    if fixable:
        extra.append(f"{fixable} fixable with `kdocs check --fix`")
    if result.baselined:
        extra.append(f"{result.baselined} in baseline")
    if result.suppressed:
        extra.append(f"{result.suppressed} suppressed")
    tail = f" ({'; '.join(extra)})" if extra else ""
    files = f"{result.files_checked} file{'s' if result.files_checked != 1 else ''}"
    if n == 0:
        return f"All checks passed: {files} checked{tail}."
    m = result.files_with_findings
    where = f"{m} file{'s' if m != 1 else ''}"
    tail = f" ({'; '.join([f'{files} checked', *extra])})"
    return f"Found {n} problem{'s' if n != 1 else ''} in {where}{tail}."


def render_statistics(result: CheckResult) -> str:
    counts = Counter(d.code for d in result.diagnostics)
    fixable = {d.code for d in result.diagnostics if d.fix is not None}
    width = max((len(str(c)) for c in counts.values()), default=1)
    out = []
    for code, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = result.rules.get(code)
        name = rule.name if rule else ""
        mark = "[*]" if code in fixable else "   "
        out.append(f"{count:>{width}}  {code:<5} {mark} {name}")
    return "\n".join(out) + ("\n" if out else "")
