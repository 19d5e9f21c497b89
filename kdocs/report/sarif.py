"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Every selected rule is listed in ``tool.driver.rules`` with its summary and its doc page as
help text; results point at files relative to ``%SRCROOT%`` (the project root) and carry the
baseline fingerprint as a partial fingerprint so viewers can track findings across edits.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from kdocs import __version__
from kdocs.engine import CheckResult
from kdocs.rules.docs import render_rule_page

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(relpath: str) -> str:
    """A project-relative path as a relative URI reference (SARIF wants URIs, not paths).

    Percent-encoded so that ``a#b.py`` is not read as ``a`` with a fragment, ``a?b.py`` not
    as a query, and spaces, ``%`` and non-ASCII names (UTF-8) survive; ``/`` stays.
    """
    return quote(relpath, safe="/")


def render(result: CheckResult, color: bool) -> str:
    from kdocs.rules.registry import get

    # The full rule pages: a result from the cache carries only codes, names and severities.
    found = (get(code) for code in result.rules)
    rules = sorted((r for r in found if r is not None), key=lambda r: r.code)
    index = {r.code: i for i, r in enumerate(rules)}
    driver: dict[str, Any] = {
        "name": "kdocs",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": "https://pypi.org/project/kdocs/",
        "rules": [
            {
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.rationale},
                "help": {
                    "text": render_rule_page(r, "text"),
                    "markdown": render_rule_page(r, "markdown"),
                },
                "defaultConfiguration": {
                    "level": _LEVEL[r.severity],
                    "enabled": r.default_enabled,
                },
                "properties": {"fixable": r.fixable, "family": r.family},
            }
            for r in rules
        ],
    }
    results = []
    by_code = {r.code: r for r in rules}
    for d in result.diagnostics:
        rule = by_code.get(d.code)
        region: dict[str, int] = {"startLine": d.line, "startColumn": d.column}
        if d.end_line is not None:
            region["endLine"] = d.end_line
        if d.end_column is not None:
            region["endColumn"] = d.end_column
        item: dict[str, Any] = {
            "ruleId": d.code,
            "level": _LEVEL[rule.severity] if rule else "error",
            "message": {"text": "\n".join([d.message, *d.notes])},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(d.file), "uriBaseId": "%SRCROOT%"},
                        "region": region,
                    }
                }
            ],
            "partialFingerprints": {"kdocsFingerprint/v1": d.fingerprint()},
        }
        if d.related:
            item["relatedLocations"] = [
                {
                    "id": i,
                    "physicalLocation": {
                        "artifactLocation": {"uri": file, "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": max(line, 1)},
                    },
                }
                for i, (file, line) in enumerate(d.related)
            ]
        if d.code in index:
            item["ruleIndex"] = index[d.code]
        results.append(item)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": result.root.as_uri() + "/"}},
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
