"""``Command.usage`` of real PyPI CLIs against their own ``--help`` (slow: builds venvs once).

Each case copies the installed package(s) into a project in tmp_path whose
``[project.scripts]`` names the object the console script runs, as the maintainer's own
checkout would, runs kdocs' static extraction on it, and compares every command's usage with
the block the installed program prints (``COLUMNS=80``, tests/usagetools.py). The venvs are
the ones tests/test_extract_cli_real.py uses plus one more, so CI installs little extra.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kdocs.analysis import Analysis
from kdocs.project import discover
from tests.realenv import real_venv
from tests.usagetools import agreement, approximate, real_usages

pytestmark = pytest.mark.slow

CLICK_TYPER = ["flask==3.1.3", "mkdocs==1.6.1", "cookiecutter==2.7.1", "cruft==2.16.0"]
"""The venv of test_extract_cli_real.py (watchdog, pygments, idna... come with it)."""
MORE = ["pipx==1.18.4", "httpie==3.2.4", "fastapi-cli==0.0.34", "sqlite-utils==4.2.1"]

CASES = [
    # (requirements, packages to copy, script, object the script runs, framework)
    (CLICK_TYPER, ["flask"], "flask", "flask.cli:main", "click"),
    (CLICK_TYPER, ["mkdocs"], "mkdocs", "mkdocs.__main__:cli", "click"),
    (CLICK_TYPER, ["cookiecutter"], "cookiecutter", "cookiecutter.__main__:main", "click"),
    (MORE, ["sqlite_utils"], "sqlite-utils", "sqlite_utils.cli:cli", "click"),
    (CLICK_TYPER, ["cruft"], "cruft", "cruft._cli:app", "typer"),
    (MORE, ["fastapi_cli"], "fastapi", "fastapi_cli.cli:main", "typer"),
    (MORE, ["pipx"], "pipx", "pipx.main:cli", "argparse"),
    (CLICK_TYPER, ["slugify"], "slugify", "slugify.__main__:main", "argparse"),
    (
        CLICK_TYPER,
        ["charset_normalizer"],
        "normalizer",
        "charset_normalizer.cli:cli_detect",
        "argparse",
    ),
    (CLICK_TYPER, ["markdown_it"], "markdown-it", "markdown_it.cli.parse:main", "argparse"),
    (
        CLICK_TYPER,
        ["mkdocs_get_deps"],
        "mkdocs-get-deps",
        "mkdocs_get_deps.__main__:cli",
        "argparse",
    ),
]


@pytest.mark.parametrize(
    ("requirements", "packages", "script", "target", "framework"),
    CASES,
    ids=[case[2] for case in CASES],
)
def test_real_cli_usage_matches_its_help(
    tmp_path: Path,
    requirements: list[str],
    packages: list[str],
    script: str,
    target: str,
    framework: str,
) -> None:
    venv = real_venv(requirements)
    project = tmp_path / "proj"
    project.mkdir()
    for package in packages:
        shutil.copytree(venv.site_packages / package, project / package)
    (project / "pyproject.toml").write_text(
        f'[project]\nname = "copy"\nversion = "1"\n[project.scripts]\n"{script}" = "{target}"\n',
        encoding="utf-8",
    )
    model = Analysis(discover([project]), use_cache=False).model("cli")
    [root] = [c for c in model.clis if c.name == script]
    assert root.framework == framework
    real = real_usages(target, script, root, python=venv.python)
    if script == "pipx":
        # `pipx help --help` prints pipx's own help (pipx handles `help` before argparse).
        assert real.pop(("help",)) == real[()]
    same, total, diffs = agreement(root, real)
    flagged = sum(approximate(cmd) for cmd in root.walk())
    print(f"usage agreement {script} ({framework}): {same}/{total}, {flagged} noted approximate")
    assert total == len(root.walk()) - (script == "pipx")
    errors = [d for d in diffs if "(approximate)" not in d.partition("\n")[0]]
    assert not errors, "\n".join(errors[:10])
