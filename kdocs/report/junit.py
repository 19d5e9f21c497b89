"""JUnit XML: findings as failed test cases, for CI systems that only read test reports
(Jenkins, Azure Pipelines, GitLab's test widget, CircleCI).

One ``<testsuite>`` per file with findings, one failed ``<testcase>`` per finding (named by
code and position, ``classname`` the file); a clean run is one passing test case, so the CI
shows "1 passed" rather than "no tests". Repository text (messages, file names) may hold
characters XML 1.0 cannot carry at all (NUL, most C0 controls): they are written as visible
escapes, so the report always parses.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kdocs.engine import CheckResult
from kdocs.escape import escape_control
from kdocs.models.diagnostics import Diagnostic


def _text(value: str) -> str:
    """``value`` safe for XML 1.0: control and bidi characters as escapes (tab/newline kept)."""
    return "\n".join(escape_control(line) for line in value.split("\n"))


def render(result: CheckResult, color: bool) -> str:
    total = len(result.diagnostics)
    root = ET.Element(
        "testsuites",
        {"name": "kdocs", "tests": str(max(total, 1)), "failures": str(total), "errors": "0"},
    )
    if not result.diagnostics:
        suite = ET.SubElement(
            root, "testsuite", {"name": "kdocs", "tests": "1", "failures": "0", "errors": "0"}
        )
        ET.SubElement(
            suite,
            "testcase",
            {"name": f"kdocs check ({result.files_checked} files)", "classname": "kdocs"},
        )
    by_file: dict[str, list[Diagnostic]] = {}
    for d in result.diagnostics:
        by_file.setdefault(d.file, []).append(d)
    for file, findings in by_file.items():
        name = _text(file)
        suite = ET.SubElement(
            root,
            "testsuite",
            {
                "name": name,
                "tests": str(len(findings)),
                "failures": str(len(findings)),
                "errors": "0",
            },
        )
        for d in findings:
            rule = result.rules.get(d.code)
            title = f"{d.code} {rule.name}" if rule else d.code
            case = ET.SubElement(
                suite,
                "testcase",
                {
                    "name": f"{title} at {name}:{d.line}:{d.column}",
                    "classname": name,
                    "file": name,
                    "line": str(d.line),
                },
            )
            failure = ET.SubElement(
                case,
                "failure",
                {
                    "message": _text(d.message),
                    "type": rule.severity if rule else "error",
                },
            )
            where = f"{file}:{d.line}:{d.column}"
            failure.text = _text("\n".join([f"{where}: {d.code} {d.message}", *d.notes]))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
