"""Rule documentation pages (``kdocs rules CODE``) in text, Markdown and JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kdocs.rules.registry import FAMILIES, Rule, all_rules
from kdocs.templating import render
from kdocs.writer import WriteReport, write_tree


def rule_data(rule: Rule) -> dict[str, Any]:
    section = rule.section
    return {
        "code": rule.code,
        "name": rule.name,
        "family": rule.family,
        "family_title": FAMILIES[rule.family][1],
        "summary": rule.summary,
        "rationale": rule.rationale,
        "bad": rule.bad,
        "good": rule.good,
        "language": rule.bad_language,
        "fixable": rule.fixable,
        "default_enabled": rule.default_enabled,
        "convention": rule.convention,
        "severity": rule.severity,
        "needs": list(rule.needs),
        "options": [
            {
                "name": o.name,
                "key": f"tool.kdocs.{section}.{o.name}" if section else o.name,
                "type": o.type_name,
                "default": o.default if not isinstance(o.default, tuple) else list(o.default),
                "description": o.description,
            }
            for o in rule.options
        ],
    }


def render_rule_page(rule: Rule, fmt: str) -> str:
    data = rule_data(rule)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    template = {"text": "rules/rule.txt.j2", "markdown": "rules/rule.md.j2"}[fmt]
    return render(template, rule=data, dumps=json.dumps)


def write_catalogue(directory: Path, fmt: str, *, check: bool = False) -> WriteReport:
    """Write ``index.<ext>`` and one page per rule into ``directory`` through the safe writer
    (:func:`kdocs.writer.write_tree`): pages of rules that no longer exist are removed only if
    kdocs wrote them (its manifest lists them); other files in ``directory`` are never
    touched. With ``check``, report drift without writing."""
    ext = {"markdown": "md", "json": "json"}[fmt]
    rules = all_rules()
    pages = {f"{r.code}.{ext}": render_rule_page(r, fmt) for r in rules}
    pages[f"index.{ext}"] = render_rule_list(rules, fmt)
    return write_tree(directory, pages, check=check)


def render_rule_list(rules: list[Rule], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([rule_data(r) for r in rules], indent=2, ensure_ascii=False) + "\n"
    template = {"text": "rules/list.txt.j2", "markdown": "rules/list.md.j2"}[fmt]
    families = [
        {
            "letter": letter,
            "title": title,
            "rules": [rule_data(r) for r in rules if r.family == letter],
        }
        for letter, (_, title, _) in FAMILIES.items()
    ]
    return render(template, families=[f for f in families if f["rules"]])
