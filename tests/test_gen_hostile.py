"""Hostile help text is shown as text in every generated format and injects nothing.

A click group and an argparse parser whose help holds roff requests at line starts, roff
escapes, backslashes, HTML, Markdown table breakers and fences, YAML-looking values, ANSI
colour codes, rich markup and non-ASCII text go through the real ``kdocs gen all``; the
pages are then read back by the real tools: ``man -l``/``mandoc`` render the man pages,
markdown-it-py parses the Markdown, PyYAML loads the YAML.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gentools import (
    files,
    load_yaml,
    man_text,
    mandoc_lint,
    mandoc_text,
    markdown_lint,
    markdown_plain,
    raw_html,
)
from tests.helpers import run_kdocs

EVIL = {
    "pyproject.toml": """
        [project]
        name = "evil"
        version = "1.0"

        [project.scripts]
        evil = "evil.cli:main"
        evil-arg = "evil.argcli:main"
    """,
    "evil/__init__.py": "",
    "evil/cli.py": r'''
        import click


        @click.group()
        def main():
            """.so /etc/passwd

            \b
            .so /etc/passwd
            'br quoted request
            C:\\temp\\new \\fB not bold \\fR
            <script>alert(1)</script>

            Pipes | and `backticks` and ``` fences; key: value # comment.
            \x1b[31mred\x1b[0m and [bold]rich[/bold] and café — 日本 ☃ [default: kept].
            """


        @main.command(name="../../escape")
        def escape():
            """A name that is a path."""


        @main.command()
        @click.option("--mode", type=click.Choice(["null", "1e3", "on"]), default="on", help="<b>bold</b> | pipe")
        @click.option("--answer", default="yes", help="key: value # not a comment")
        @click.option("--star", default="*alias", help="&anchor !tag *star")
        @click.option("--slash", default="C:\\new", help="ends with backslash \\")
        @click.argument("target")
        def deploy(mode, answer, star, slash, target):
            """- looks like a list

            # looks like a heading
            """
    ''',
    "evil/argcli.py": r"""
        import argparse


        def main():
            parser = argparse.ArgumentParser(prog="evil-arg", description=".TH EVIL 1\n'\\\" comment")
            parser.add_argument("--level", default="1e3", help="level (default: %(default)s) <i>x</i>")
            sub = parser.add_subparsers(dest="cmd")
            run = sub.add_parser("run", help="| table | breaker |")
            run.add_argument("files", nargs="+", help="`code` and \\fItalic")
            return parser.parse_args()
    """,
}

SHOWN = [
    ".so /etc/passwd",
    "'br quoted request",
    "C:\\temp\\new \\fB not bold \\fR",
    "<script>alert(1)</script>",
    "Pipes | and `backticks` and ``` fences; key: value # comment.",
    "red and rich and café — 日本 ☃ [default: kept].",
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import textwrap

    root = tmp_path_factory.mktemp("evil")
    for rel, text in EVIL.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    result = run_kdocs("gen", "all", str(root), "--out", str(root / "out"))
    assert result.exit_code == 0, result.stderr
    return root / "out"


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_man_pages_show_hostile_text_as_text(generated: Path) -> None:
    pages = files(generated / "man", ".1")
    assert mandoc_lint(pages) == ""
    for render in (man_text, mandoc_text):
        text = render(generated / "man" / "evil.1")
        flat = _flat(text)
        for snippet in SHOWN:
            assert _flat(snippet) in flat, (snippet, text)
        assert "\x1b" not in text and "[bold]" not in text
        assert "root:" not in text  # .so was not executed
    arg = _flat(man_text(generated / "man" / "evil-arg.1"))
    assert ".TH EVIL 1" in arg and "'\\\" comment" in arg
    assert "level (default: 1e3) <i>x</i>" in arg
    run = _flat(man_text(generated / "man" / "evil-arg-run.1"))
    assert "`code` and \\fItalic" in run and "| table | breaker |" in run
    deploy = _flat(man_text(generated / "man" / "evil-deploy.1"))
    assert "ends with backslash \\ [default: C:\\new]" in deploy
    assert "--mode [null|1e3|on]" in deploy


def test_markdown_has_no_raw_html_and_shows_the_text(generated: Path) -> None:
    pages = files(generated / "markdown", ".md")
    assert markdown_lint(pages) == ""
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert raw_html(text) == [], page.name
        assert "\x1b" not in text
    plain = markdown_plain((generated / "markdown" / "evil.md").read_text(encoding="utf-8"))
    for snippet in SHOWN:
        assert _flat(snippet) in _flat(plain), snippet
    deploy = (generated / "markdown" / "evil-deploy.md").read_text(encoding="utf-8")
    deploy_plain = _flat(markdown_plain(deploy))
    assert "<b>bold</b> | pipe" in deploy_plain and "&anchor !tag *star" in deploy_plain
    assert "- looks like a list" in deploy_plain and "# looks like a heading" in deploy_plain
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(deploy)
    assert "<b>" not in html and "<h1>looks" not in html and "<li>looks" not in html
    # Every options-table row keeps exactly two cells despite the pipes in the help.
    assert html.count("<tr>") == html.count("</tr>")
    for row in html.split("<tr>")[1:]:
        assert row.count("<td>") in (0, 2), row


def test_yaml_strings_load_back_unchanged(generated: Path) -> None:
    deploy = load_yaml(generated / "yaml" / "evil-deploy.yaml")
    options = {o["name"]: o for o in deploy["options"]}
    assert options["mode"]["default_value"] == "on"
    assert options["answer"]["default_value"] == "yes"
    assert options["answer"]["usage"] == "key: value # not a comment"
    assert options["star"]["default_value"] == "*alias"
    assert options["star"]["usage"] == "&anchor !tag *star"
    assert options["slash"]["default_value"] == "C:\\new"
    assert deploy["synopsis"] == "- looks like a list"
    tree = load_yaml(generated / "yaml" / "cli.yaml")
    evil = next(c for c in tree["clis"] if c["name"] == "evil")
    deploy_entry = next(c for c in evil["subcommands"] if c["name"] == "deploy")
    mode = deploy_entry["options"][0]
    assert mode["choices"] == ["null", "1e3", "on"]
    assert all(isinstance(c, str) for c in mode["choices"])
    text = (generated / "yaml" / "cli.yaml").read_text(encoding="utf-8")
    # Quoted for YAML 1.2 readers too (PyYAML alone would read a bare 1e3 as a string).
    assert '- "1e3"' in text and '- "null"' in text and '- "on"' in text
    level = load_yaml(generated / "yaml" / "evil-arg.yaml")["options"][0]
    assert level["default_value"] == "1e3" and level["usage"] == "level (default: 1e3) <i>x</i>"
    for snippet in SHOWN:
        assert _flat(snippet) in _flat(evil["description"]), snippet


def test_command_names_never_leave_the_output_folder(generated: Path) -> None:
    names = sorted(p.relative_to(generated).as_posix() for p in generated.rglob("*") if p.is_file())
    assert "man/evil-.._.._escape.1" in names
    assert all(n.count("/") == 1 for n in names), names
    assert not (generated.parent / "escape.1").exists()
    page = (generated / "markdown" / "evil-.._.._escape.md").read_text(encoding="utf-8")
    assert '# <a id="evil-escape"></a>evil ../../escape' in page
    assert "[evil ../../escape](evil-.._.._escape.md)" in (
        generated / "markdown" / "evil.md"
    ).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "```\nfence inside\n```",
        "`tick` and ``two``",
        "````",
        " lead",
        "| pipe |",
        "<b>x</b>",
    ],
)
def test_code_filters_hold_any_text_verbatim(text: str) -> None:
    from markdown_it import MarkdownIt

    from kdocs.templating import markdown_code_block, markdown_code_span

    md = MarkdownIt("commonmark").enable("table")
    fences = [t for t in md.parse(markdown_code_block(text, "text")) if t.type == "fence"]
    assert len(fences) == 1 and fences[0].content == text + "\n"
    one_line = text.replace("\n", " ")
    cell = f"| h |\n| --- |\n| {markdown_code_span(one_line)} |\n"
    spans = [t.content for t in _inline(md, cell) if t.type == "code_inline"]
    assert spans == [one_line]


def _inline(md: object, text: str) -> list:  # type: ignore[type-arg]
    out = []
    for token in md.parse(text):  # type: ignore[attr-defined]
        out.extend(token.children or ())
    return out
