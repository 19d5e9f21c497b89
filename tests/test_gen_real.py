"""``kdocs gen`` on real CLIs from PyPI (slow: builds one venv once).

Two CLIs per framework, one with 40+ commands (sqlite-utils). The static model of each
installed package is turned into man pages, Markdown and YAML by the real ``kdocs gen all``;
then every man page must pass ``mandoc -T lint -W warning`` and render with ``man -l``,
every Markdown file must parse and pass the linter, every YAML file must load and agree
with the model, and every visible long option must appear in each format.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kdocs.analysis import Analysis
from kdocs.models.cli import Command
from kdocs.project import discover
from tests.gentools import (
    files,
    load_yaml,
    man_text,
    mandoc_lint,
    markdown_lint,
    markdown_plain,
    raw_html,
)
from tests.helpers import run_kdocs
from tests.realenv import real_venv

pytestmark = pytest.mark.slow

PACKAGES = [
    "sqlite-utils==4.2.1",
    "mkdocs==1.6.1",
    "cruft==2.16.0",
    "fastapi-cli==0.0.34",
    "pipx==1.18.4",
    "pre-commit==4.7.0",
    "click-man==0.5.1",
    "mkdocs-click==0.9.0",
]
"""One venv for these tests and benchmarks/gen_speed.py (click-man, mkdocs-click)."""

CASES = [
    # (package folder, program as kdocs names it, framework, at least this many commands)
    ("sqlite_utils", "sqlite-utils", "click", 40),
    ("mkdocs", "mkdocs", "click", 5),
    ("cruft", "cruft", "typer", 5),
    ("fastapi_cli", "app", "typer", 3),
    ("pipx", "pipx.main", "argparse", 20),
    ("pre_commit", "pre-commit", "argparse", 15),
]


def _visible(cmd: Command) -> list[Command]:
    out = [cmd]
    for sub in cmd.subcommands:
        if not sub.hidden:
            out.extend(_visible(sub))
    return out


@pytest.mark.parametrize(
    ("package", "program", "framework", "at_least"), CASES, ids=[c[0] for c in CASES]
)
def test_real_cli_reference(
    package: str, program: str, framework: str, at_least: int, tmp_path: Path
) -> None:
    site = real_venv(PACKAGES).site_packages
    config = tmp_path / "kdocs.toml"
    config.write_text(f'[gen]\nclis = ["{program}"]\ndate = "2026-01-01"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run_kdocs(
        "gen", "all", str(site / package), "--config", str(config), "--out", str(out), "--no-cache"
    )
    assert result.exit_code == 0, result.stderr
    model = Analysis(discover([site / package], config_file=config), use_cache=False).model("cli")
    root = next(c for c in model.clis if c.name == program)
    assert root.framework == framework
    commands = _visible(root)
    assert len(commands) >= at_least

    pages = files(out / "man", ".1")
    assert len(pages) == len(commands)
    assert mandoc_lint(pages) == ""
    markdown = files(out / "markdown", ".md")
    assert len(markdown) == len(commands) + 1  # and index.md
    assert markdown_lint(markdown) == ""
    yaml_docs = {p.name: load_yaml(p) for p in files(out / "yaml", ".yaml")}
    assert len(yaml_docs) == len(commands) + 1  # and cli.yaml

    for cmd in commands:
        slug = "-".join(cmd.path).replace("/", "_")
        rendered = " ".join(man_text(out / "man" / f"{slug}.1").split())
        md_text = (out / "markdown" / f"{slug}.md").read_text(encoding="utf-8")
        assert raw_html(md_text) == []
        md_plain = markdown_plain(md_text)
        doc = yaml_docs[f"{slug}.yaml"]
        assert doc["name"] == " ".join(cmd.path)
        visible = [o for o in cmd.options if not o.hidden]
        assert [o["name"] for o in doc.get("options", [])] == [
            max(o.names, key=len).lstrip("-") for o in visible
        ]
        for option in visible:
            for name in option.names:
                if name.startswith("--"):
                    assert name in rendered, (slug, name)
                    assert name in md_plain, (slug, name)
