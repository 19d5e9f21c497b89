"""``kdocs gen`` on real CLIs from PyPI (slow: builds one venv once).

Two CLIs per framework, one with 40+ commands (sqlite-utils). The static model of each
installed package is turned into man pages, Markdown and YAML by the real ``kdocs gen all``;
then every man page must pass ``mandoc -T lint -W warning`` and render with ``man -l``,
every Markdown file must parse and pass the linter, every YAML file must load and agree
with the model, and every visible long option must appear in each format.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kdocs.analysis import Analysis
from kdocs.project import discover
from tests.gentools import (
    files,
    load_yaml,
    man_renders_all,
    mandoc_lint,
    mandoc_text,
    markdown_lint,
    markdown_plain,
    raw_html,
)
from tests.helpers import run_kdocs, visible_commands
from tests.realenv import real_venv
from tests.test_gen_usage import _USAGES, _norm, _typer_arguments

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
    # (package folder, program as kdocs names it, framework, at least this many commands,
    #  the object whose usage lines the framework prints)
    ("sqlite_utils", "sqlite-utils", "click", 40, "sqlite_utils.cli:cli"),
    ("mkdocs", "mkdocs", "click", 5, "mkdocs.__main__:cli"),
    ("cruft", "cruft", "typer", 5, "cruft._cli:app"),
    ("fastapi_cli", "app", "typer", 3, "fastapi_cli.cli:app"),
    ("pipx", "pipx.main", "argparse", 20, "argparse:pipx.main:cli"),
    ("pre_commit", "pre-commit", "argparse", 15, "argparse:pre_commit.main:main"),
]
USAGE_AGREEMENT = {"pipx": 0.25, "pre_commit": 0.5}
"""Share of commands whose synopsis must equal the framework's own usage line (whitespace
normalised; typer's argument spelling aside): all of them, except where the model lacks
what argparse prints: mutually exclusive groups (``[--a | --b]``) and choices computed at
runtime (pipx's ``--output {human,json}``). The extractors' ``Command.usage`` closes that."""


@pytest.mark.parametrize(
    ("package", "program", "framework", "at_least", "target"), CASES, ids=[c[0] for c in CASES]
)
def test_real_cli_reference(
    package: str, program: str, framework: str, at_least: int, target: str, tmp_path: Path
) -> None:
    venv = real_venv(PACKAGES)
    site = venv.site_packages
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
    commands = visible_commands(root)
    assert len(commands) >= at_least

    pages = files(out / "man", ".1")
    assert len(pages) == len(commands)
    assert mandoc_lint(pages) == ""
    man_renders_all(pages)
    markdown = files(out / "markdown", ".md")
    assert len(markdown) == len(commands) + 1  # and index.md
    assert markdown_lint(markdown) == ""
    yaml_docs = {p.name: load_yaml(p) for p in files(out / "yaml", ".yaml")}
    assert len(yaml_docs) == len(commands) + 1  # and cli.yaml

    for cmd in commands:
        slug = "-".join(cmd.path).replace("/", "_")
        rendered = " ".join(mandoc_text(out / "man" / f"{slug}.1").split())
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

    # The synopsis against the usage line the framework itself prints.
    proc = venv.run("-c", _USAGES, target, program, env={**os.environ, "COLUMNS": "10000"})
    assert proc.returncode == 0, proc.stderr
    real = {path: _norm(u) for path, u in json.loads(proc.stdout).items()}
    ours = {doc["name"]: _norm(doc["usage"]) for doc in yaml_docs.values() if "usage" in doc}
    if framework == "typer":
        real = {k: _typer_arguments(v) for k, v in real.items()}
        ours = {k: _typer_arguments(v) for k, v in ours.items()}
    same = [path for path in real if ours.get(path) == real[path]]
    print(f"{package}: synopsis equals the framework's usage for {len(same)}/{len(real)}")
    assert len(same) >= USAGE_AGREEMENT.get(package, 1.0) * len(real), {
        p: (ours.get(p), real[p]) for p in real if p not in same
    }
