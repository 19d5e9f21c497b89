"""Console-script entry points from every place a project can declare them."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

from kdocs.extract.cli.entrypoints import entry_points
from kdocs.project import discover
from tests.clitools import static_model
from tests.conftest import MakeProject


def test_pyproject_and_poetry_scripts(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": """
                [project]
                name = "a"
                [project.scripts]
                acli = "a.cli:main"
                broken = "no-colon"
                [project.gui-scripts]
                agui = "a.gui:main"
                [tool.poetry.scripts]
                pcli = "a.cli:poetry_main"
                ext = { callable = "a.cli:ext", extras = ["x"] }
                """,
            "a/__init__.py": "",
        }
    )
    assert entry_points(discover([root])) == {
        "acli": "a.cli:main",
        "ext": "a.cli:ext",
        "pcli": "a.cli:poetry_main",
    }


def test_setup_cfg_and_setup_py(make_project: MakeProject) -> None:
    root = make_project(
        {
            "setup.cfg": """
                [options.entry_points]
                console_scripts =
                    cfgcli = b.cli:main
                    other = b.other:run [extra]
                """,
            "setup.py": """
                from setuptools import setup

                SCRIPTS = ["pycli = b.cli:py_main"]
                setup(
                    name="b",
                    entry_points={"console_scripts": SCRIPTS, "gui_scripts": ["g = b:g"]},
                )
                """,
            "b/__init__.py": "",
        }
    )
    assert entry_points(discover([root / "b"])) == {
        "cfgcli": "b.cli:main",
        "other": "b.other:run",
        "pycli": "b.cli:py_main",
    }


def test_setup_py_string_entry_points(make_project: MakeProject) -> None:
    root = make_project(
        {
            "setup.py": """
                from setuptools import setup
                setup(name="c", entry_points='''
                    [console_scripts]
                    ccli = c.cli:main
                ''')
                """,
            "c/__init__.py": "",
        }
    )
    assert entry_points(discover([root / "c"])) == {"ccli": "c.cli:main"}


def _site_packages(tmp_path: Path) -> Path:
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    pkg = site / "tool"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "cli.py").write_text(
        "import click\n\n@click.group()\ndef cli():\n    'Tool.'\n\n@cli.command()\ndef run():\n    'Run.'\n"
    )
    dist = site / "tool_dist-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: tool-dist\nVersion: 1.0\n")
    (dist / "RECORD").write_text("tool/__init__.py,,\ntool/cli.py,,\n")
    (dist / "entry_points.txt").write_text(
        "[console_scripts]\nTool-CLI = tool.cli:cli\n\n[gui_scripts]\ntool-gui = tool.cli:gui\n"
    )
    other = site / "unrelated-2.0.dist-info"
    other.mkdir()
    (other / "RECORD").write_text("unrelated/__init__.py,,\n")
    (other / "entry_points.txt").write_text("[console_scripts]\nu = unrelated:main\n")
    return site


def test_installed_package_dist_info(tmp_path: Path) -> None:
    site = _site_packages(tmp_path)
    expected = {
        ep.name: ep.value
        for ep in importlib.metadata.PathDistribution(site / "tool_dist-1.0.dist-info").entry_points
        if ep.group == "console_scripts"
    }
    assert entry_points(discover([site / "tool"])) == expected
    model = static_model(site / "tool")
    assert [c["path"] for c in model["clis"]] == [["Tool-CLI"]]
    assert [s["path"] for s in model["clis"][0]["subcommands"]] == [["Tool-CLI", "run"]]


def test_no_declared_scripts(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "[project]\nname = 'd'\n", "d/__init__.py": ""})
    assert entry_points(discover([root])) == {}
