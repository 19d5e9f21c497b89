"""GitLab Code Quality JSON: the report a merge request widget and the MR diff show.

GitLab reads a JSON array of issues (``artifacts: reports: codequality``); each needs a
``description``, a ``check_name``, a ``fingerprint`` unique within the report (GitLab compares
fingerprints between the source and target branches to say what is new), a ``severity`` of
``info|minor|major|critical|blocker`` and ``location.path`` / ``location.lines.begin``.

Paths are relative to the report root (the project root), which must be the repository root
for GitLab to link them: run the job from there. The fingerprint starts from the baseline
fingerprint (line-independent: file, code, subject) so an edit that only moves lines keeps the
issue's identity; identical findings in one file get an occurrence number so each stays unique.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from kdocs.engine import CheckResult

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}
"""kdocs severity -> GitLab Code Quality severity."""


def render(result: CheckResult, color: bool) -> str:
    seen: Counter[str] = Counter()
    issues: list[dict[str, Any]] = []
    for d in result.diagnostics:
        rule = result.rules.get(d.code)
        base = d.fingerprint()
        occurrence = seen[base]
        seen[base] += 1
        fingerprint = hashlib.md5(  # GitLab's own examples use MD5 hex; not a security use
            f"{base}\0{occurrence}".encode(), usedforsecurity=False
        ).hexdigest()
        lines: dict[str, int] = {"begin": d.line}
        if d.end_line is not None and d.end_line >= d.line:
            lines["end"] = d.end_line
        issue: dict[str, Any] = {
            "type": "issue",
            "description": "\n".join([f"{d.code} {d.message}", *d.notes]),
            "check_name": d.code,
            "fingerprint": fingerprint,
            "severity": SEVERITY.get(rule.severity if rule else "error", "major"),
            "categories": ["Style"],
            "engine_name": "kdocs",
            "location": {"path": d.file, "lines": lines},
        }
        issues.append(issue)
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
