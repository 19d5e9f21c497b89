"""Rule documentation: complete for every rule, valid Markdown, and the committed site
reference (``site/reference/rules``) is exactly what ``kdocs rules --out`` generates."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from kdocs.rules.docs import render_rule_list, render_rule_page
from kdocs.rules.registry import Rule, all_rules
from kdocs.templating import markdown_inline
from tests.helpers import run_kdocs

REPO = Path(__file__).resolve().parent.parent
SITE_RULES = REPO / "site" / "reference" / "rules"
RULES = all_rules()


def test_every_rule_is_documented() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names)), "rule names must be unique"
    for r in RULES:
        assert re.fullmatch(r"[A-Z]\d{3}", r.code), r.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name), r.name
        assert r.summary.strip() and r.summary.strip()[-1] == ".", r.code
        assert len(r.rationale) > 80, r.code
        assert r.bad.strip() and r.good.strip(), r.code
        for option in r.options:
            assert option.description.strip(), (r.code, option.name)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_markdown_page_structure(rule: Rule) -> None:
    tokens = MarkdownIt("commonmark").enable("table").parse(render_rule_page(rule, "markdown"))
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0] == f"{rule.code}: {rule.name}"
    assert {"Why", "Example", "Use instead"} <= set(headings)
    fences = [t.content for t in tokens if t.type == "fence"]
    assert rule.bad + "\n" in fences and rule.good + "\n" in fences
    if rule.options:
        assert "Options" in headings
        rows = [t for t in tokens if t.type == "tr_open"]
        # The facts table (header + 4 rows), then the options table (header + one per option).
        assert len(rows) - 6 == len(rule.options)


def test_untrusted_text_is_escaped_in_tables() -> None:
    text = "a | b *c* <script> `x` [y](z)"
    md = MarkdownIt("commonmark").enable("table")
    html = md.render(f"| h |\n| --- |\n| {markdown_inline(text)} |\n")
    assert html.count("<td>") == 1
    assert "<script>" not in html and "<em>" not in html and "<a " not in html


def test_list_page_links_every_rule() -> None:
    page = render_rule_list(RULES, "markdown")
    for r in RULES:
        assert f"[{r.code}]({r.code}.md)" in page


def test_site_reference_is_generated_and_current(tmp_path: Path) -> None:
    run = run_kdocs("rules", "--format", "markdown", "--out", str(tmp_path))
    assert run.exit_code == 0, run.stderr
    fresh = {p.name: p.read_bytes() for p in tmp_path.glob("*.md")}
    committed = {p.name: p.read_bytes() for p in SITE_RULES.glob("*.md")}
    stale = sorted(n for n in fresh.keys() | committed.keys() if fresh.get(n) != committed.get(n))
    assert not stale, (
        f"regenerate with `kdocs rules --format markdown --out {SITE_RULES.relative_to(REPO)}`: {stale}"
    )


def test_generated_pages_pass_a_markdown_linter() -> None:
    # pymarkdown (a CommonMark/GFM linter); MD013 (line length) is off: tables hold prose.
    proc = subprocess.run(
        [sys.executable, "-m", "pymarkdown", "-d", "md013", "scan", str(SITE_RULES)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_rules_out_rejects_text_and_single_codes(tmp_path: Path) -> None:
    assert run_kdocs("rules", "--out", str(tmp_path)).exit_code == 2
    assert run_kdocs("rules", "E003", "--format", "markdown", "--out", str(tmp_path)).exit_code == 2
