"""The JSON report (design.md: ``{"diagnostics": [...], "summary": {...}}``)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from kdocs.engine import CheckResult
from kdocs.models.diagnostics import Diagnostic
from kdocs.models.serialize import to_data


def diagnostic_data(result: CheckResult, d: Diagnostic) -> dict[str, Any]:
    rule = result.rules.get(d.code)
    return {
        "code": d.code,
        "rule": rule.name if rule else None,
        "severity": rule.severity if rule else "error",
        "message": d.message,
        "file": d.file,
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "fix": to_data(d.fix),
        "notes": list(d.notes),
        "related": [{"file": f, "line": n} for f, n in d.related],
        "fingerprint": d.fingerprint(),
    }


def render(result: CheckResult, color: bool) -> str:
    counts = Counter(d.code for d in result.diagnostics)
    data = {
        "diagnostics": [diagnostic_data(result, d) for d in result.diagnostics],
        "summary": {
            "total": len(result.diagnostics),
            "by_code": dict(sorted(counts.items())),
            "fixable": sum(1 for d in result.diagnostics if d.fix is not None),
            "files_checked": result.files_checked,
            "files_with_findings": result.files_with_findings,
            "suppressed": result.suppressed,
            "baselined": result.baselined,
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
