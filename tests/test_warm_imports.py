"""A warm ``kdocs check`` imports only what it uses: no template engine, no Markdown parser,
no YAML parser for a TOML-configured project, no concrete-syntax-tree library."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import MakeProject

PROBE = textwrap.dedent(
    """
    import json, sys
    from kdocs.cli import main
    try:
        main(["check", "--exit-zero", "."])
    except SystemExit:
        pass
    tops = sorted({name.split(".")[0] for name in sys.modules})
    with open(sys.argv[1], "w") as handle:
        json.dump(tops, handle)
    """
)


def _warm_imports(make_project: MakeProject, tmp_path: Path) -> set[str]:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "app"\nversion = "1"\n'
            'dependencies = ["click", "pydantic"]\n[project.scripts]\napp = "app.cli:main"\n',
            "app/__init__.py": "",
            "app/cli.py": '''
                import click


                @click.command()
                @click.option("--name", help="Who to greet.")
                def main(name):
                    """Greet someone."""
            ''',
            "app/models.py": '''
                import pydantic


                class User(pydantic.BaseModel):
                    """A user."""

                    name: str
            ''',
        }
    )
    out = tmp_path / "modules.json"
    for _ in range(2):  # the first run fills the cache; the second is the warm one
        subprocess.run(
            [sys.executable, "-c", PROBE, str(out)], cwd=root, check=True, capture_output=True
        )
    return set(json.loads(out.read_text()))


def test_a_warm_check_does_not_import_heavy_optional_modules(
    make_project: MakeProject, tmp_path: Path
) -> None:
    modules = _warm_imports(make_project, tmp_path)
    assert "kdocs" in modules  # the probe really ran kdocs
    assert not modules & {"jinja2", "markdown_it", "yaml"}


def test_a_warm_check_does_not_import_libcst(make_project: MakeProject, tmp_path: Path) -> None:
    assert "libcst" not in _warm_imports(make_project, tmp_path)


def test_a_warm_check_does_not_load_the_cli_interpreter_or_installed_metadata(
    make_project: MakeProject, tmp_path: Path
) -> None:
    # The static CLI interpreter (kdocs.extract.cli.provider) is only needed to link the CLI
    # model, and importlib.metadata only to read installed distributions: a warm run whose
    # models are cached needs neither (together about a third of a warm run's imports).
    modules = _warm_imports(make_project, tmp_path)
    assert "kdocs" in modules
    assert not modules & {"kdocs.extract.cli.provider", "importlib.metadata"}
