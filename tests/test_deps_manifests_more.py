"""Dependency declarations the precision benchmark found unread (issue 9, D family).

setup.py's ``setup()`` keywords (read statically, never run), requirements files that
pyproject.toml takes its dependencies from (setuptools' dynamic ``file``, the
hatch-requirements-txt hook), distributions used without an import, and import names from
real wheels. Each test builds a small real project in tmp_path and runs the real ``kdocs``
command line on it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MakeProject
from tests.helpers import run_kdocs


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The projects here have no environment: never read the test runner's venv instead."""
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)


def findings(root: Path, select: str = "D") -> list[tuple[str, str, int, str]]:
    run = run_kdocs(
        "check", ".", "--select", select, "--format", "json", "--no-cache", "--exit-zero", cwd=root
    )
    assert run.exit_code == 0, run.stderr
    return [(d["code"], d["file"], d["line"], d["message"]) for d in run.json()["diagnostics"]]


def codes(root: Path, select: str = "D") -> list[tuple[str, str, int]]:
    return [(c, f, n) for c, f, n, _ in findings(root, select)]


def inspect_deps(root: Path) -> dict[str, Any]:
    run = run_kdocs("inspect", "deps", ".", "--format", "json", cwd=root)
    assert run.exit_code == 0, run.stderr
    data: dict[str, Any] = run.json()
    return data


def declared(root: Path) -> list[tuple[str, str, str, str, int]]:
    return [
        (d["name"], d["group"], d["role"], d["file"], d["line"])
        for d in inspect_deps(root)["dependencies"]
    ]


# --- setup.py ---------------------------------------------------------------------------------

SETUP_LITERALS = """
    from setuptools import setup, find_packages

    open("kdocs-ran-setup.txt", "w").write("setup.py must never run")

    BASE = [
        "attrs",
        "click>=7",
    ]
    EXTRAS = {
        "png": ["cairosvg"],
        "tests": ["pytest", "pytest-cov"],
        "toml:python_version < '3.11'": ["tomli"],
    }

    setup(
        name="interro",
        packages=find_packages("src"),
        install_requires=BASE + ["tabulate", "colorama"],
        extras_require=EXTRAS,
        tests_require=["freezegun"],
    )
"""


def test_setup_py_literals_are_read_without_running_it(make_project: MakeProject) -> None:
    # interrogate 1.7.0: a pyproject.toml without [project], dependencies in setup.py.
    root = make_project(
        {
            "pyproject.toml": "[tool.black]\nline-length = 79\n",
            "setup.py": SETUP_LITERALS,
            "src/interro/__init__.py": """
                import attr
                import click
                import tabulate
                import requests
                try:
                    import cairosvg
                except ImportError:
                    cairosvg = None
            """,
            "tests/test_it.py": "import pytest\nimport freezegun\n",
        }
    )
    got = declared(root)
    assert ("attrs", "setup.py", "runtime", "setup.py", 6) in got
    assert ("click", "setup.py", "runtime", "setup.py", 7) in got
    assert ("tabulate", "setup.py", "runtime", "setup.py", 18) in got
    assert ("cairosvg", "optional:png", "runtime", "setup.py", 10) in got
    assert ("pytest", "optional:tests", "dev", "setup.py", 11) in got
    assert ("freezegun", "setup.py:tests_require", "dev", "setup.py", 20) in got
    tomli = [d for d in inspect_deps(root)["dependencies"] if d["name"] == "tomli"]
    assert tomli[0]["group"] == "optional:toml"
    assert tomli[0]["marker"] == 'python_version < "3.11"'
    assert inspect_deps(root)["unread"] == []
    # colorama is declared and never imported; requests is imported and not declared.
    assert codes(root) == [
        ("D102", "setup.py", 18),
        ("D101", "src/interro/__init__.py", 4),
    ]
    assert not (root / "kdocs-ran-setup.txt").exists()


def test_setup_py_without_pyproject(make_project: MakeProject) -> None:
    # csvkit 2.2.0: no pyproject.toml; import names that differ from the distribution's
    # (agatesql is agate-sql, read from its wheel into the shipped table).
    root = make_project(
        {
            "setup.py": """
                import sys
                from setuptools import setup

                install_requires = ["agate>=1.6.3", "agate-excel>=0.4.0", "agate-sql>=0.7.0"]
                if sys.version_info < (3, 8):
                    pass

                setup(name="csvk", install_requires=install_requires)
            """,
            "csvk/__init__.py": "import agate\nimport agateexcel\nimport agatesql\n",
        }
    )
    assert [n for n, *_ in declared(root)] == ["agate", "agate-excel", "agate-sql"]
    assert codes(root) == []


@pytest.mark.parametrize(
    ("call", "why"),
    [
        ('install_requires=open("requirements.txt").read().splitlines()', "`install_requires`"),
        ("**KWARGS", "**kwargs"),
        ("install_requires=REQS", "`REQS` is not a literal assigned once"),
    ],
)
def test_setup_py_that_cannot_be_read_makes_the_rules_stand_down(
    make_project: MakeProject, call: str, why: str
) -> None:
    root = make_project(
        {
            "setup.py": f"""
                from setuptools import setup
                KWARGS = dict(install_requires=["click"])
                REQS = ["click"]
                REQS.append("rich") if False else None
                REQS = REQS + ["rich"]
                setup(name="dyn", {call})
            """,
            "requirements.txt": "click\n",
            "dyn/__init__.py": "import click\nimport yaml\n",
        }
    )
    unread = inspect_deps(root)["unread"]
    assert len(unread) == 1
    assert unread[0]["file"] == "setup.py"
    assert unread[0]["message"].startswith("setup.py dependencies could not be read statically")
    assert why in unread[0]["message"]
    # yaml is imported and declared nowhere kdocs can read, but setup.py may declare it.
    assert codes(root) == []


def test_broken_setup_py_is_unread_not_a_traceback(make_project: MakeProject) -> None:
    root = make_project(
        {
            "setup.py": "from setuptools import setup\nsetup(install_requires=[\n",
            "pkg/__init__.py": "import yaml\n",
        }
    )
    unread = inspect_deps(root)["unread"]
    assert len(unread) == 1
    assert "could not be read statically" in unread[0]["message"]
    assert codes(root, "D101,D102,D104") == []


def test_setup_py_outside_the_project_or_too_deep_is_unread(
    make_project: MakeProject, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.py"
    outside.write_text('from setuptools import setup\nsetup(install_requires=["rich"])\n')
    root = make_project({"pkg/__init__.py": "import rich\n"})
    (root / "setup.py").symlink_to(outside)
    unread = inspect_deps(root)["unread"]
    assert [u["message"] for u in unread] == [
        "setup.py dependencies could not be read statically: setup.py links outside the "
        "project, not read"
    ]
    assert inspect_deps(root)["dependencies"] == []
    (root / "setup.py").unlink()
    nested = " + ".join(["A"] * 3000)
    (root / "setup.py").write_text(f'A = ["rich"]\nsetup(install_requires={nested})\n')
    unread = inspect_deps(root)["unread"]
    assert len(unread) == 1
    assert "too deeply nested" in unread[0]["message"]
    assert codes(root) == []


def test_setup_py_shim_declares_nothing(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "shim"\nversion = "1"\ndependencies = ["click"]\n',
            "setup.py": "from setuptools import setup\nsetup()\n",
            "shim/__init__.py": "import click\n",
        }
    )
    data = inspect_deps(root)
    assert data["manifests"] == ["pyproject.toml"]
    assert data["unread"] == []
    assert [d["name"] for d in data["dependencies"]] == ["click"]
    assert codes(root) == []


def test_setup_py_invalid_requirement_is_d107(make_project: MakeProject) -> None:
    root = make_project(
        {
            "setup.py": 'from setuptools import setup\nsetup(install_requires=["click=8"])\n',
            "pkg/__init__.py": "import click\n",
        }
    )
    got = findings(root)
    # The entry is not read, so click is not declared.
    assert [(c, f, n) for c, f, n, _ in got] == [
        ("D101", "pkg/__init__.py", 1),
        ("D107", "setup.py", 2),
    ]
    assert "did you mean `==`?" in got[1][3]


# --- requirements files pyproject.toml takes its dependencies from ----------------------------

SCRIV_PYPROJECT = """
    [project]
    name = "scrivy"
    version = "1"
    dynamic = ["dependencies", "optional-dependencies"]

    [tool.setuptools.dynamic]
    dependencies = {file = ["requirements/base.in"]}
    optional-dependencies.toml = {file = ["requirements/toml.in"]}
    optional-dependencies.dev = {file = "requirements/dev.txt"}
"""


def test_setuptools_dynamic_dependency_files(make_project: MakeProject) -> None:
    # scriv 1.8.0: every runtime import was reported D104 (click was found only in the
    # dev lock file requirements/dev.txt).
    root = make_project(
        {
            "pyproject.toml": SCRIV_PYPROJECT,
            "requirements/base.in": "attrs\nclick>=7\n# comment\njinja2\nrequests\n",
            "requirements/toml.in": "tomli; python_version < '3.11'\n",
            "requirements/dev.txt": "attrs==23.1\nclick==8.1\njinja2==3.1\npytest==8\n",
            "src/scrivy/__init__.py": "import attr\nimport click\nimport jinja2\n",
            "src/scrivy/toml.py": "try:\n    import tomli\nexcept ImportError:\n    tomli = None\n",
        }
    )
    got = declared(root)
    assert ("click", "project", "runtime", "requirements/base.in", 2) in got
    assert ("tomli", "optional:toml", "runtime", "requirements/toml.in", 1) in got
    assert ("pytest", "optional:dev", "dev", "requirements/dev.txt", 4) in got
    # requests is declared in base.in and never imported: the only finding.
    assert codes(root) == [("D102", "requirements/base.in", 5)]


def test_hatch_requirements_txt_hook(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": """
                [project]
                name = "hatchy"
                version = "1"
                dynamic = ["dependencies", "optional-dependencies"]

                [tool.hatch.metadata.hooks.requirements_txt]
                files = ["requirements.txt"]

                [tool.hatch.metadata.hooks.requirements_txt.optional-dependencies]
                crypto = ["requirements-crypto.txt"]
            """,
            "requirements.txt": "click\n",
            "requirements-crypto.txt": "cryptography\n",
            "hatchy/__init__.py": "import click\n",
        }
    )
    got = declared(root)
    assert ("click", "project", "runtime", "requirements.txt", 1) in got
    assert ("cryptography", "optional:crypto", "runtime", "requirements-crypto.txt", 1) in got
    assert codes(root) == []


def test_dynamic_file_outside_the_project_is_not_read(
    make_project: MakeProject, tmp_path: Path
) -> None:
    (tmp_path / "outside.txt").write_text("click\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("rich\n", encoding="utf-8")
    root = make_project(
        {
            "pyproject.toml": """
                [project]
                name = "esc"
                version = "1"
                dynamic = ["dependencies"]

                [tool.setuptools.dynamic]
                dependencies = {file = ["../outside.txt", "linked.txt", "missing.txt"]}
            """,
            "esc/__init__.py": "import click\nimport rich\n",
        }
    )
    (root / "linked.txt").symlink_to(tmp_path / "secret.txt")
    got = findings(root)
    assert {(f, n) for c, f, n, _ in got if c == "D107"} == {("pyproject.toml", 7)}
    messages = sorted(m for c, _, _, m in got if c == "D107")
    assert messages == [
        "dynamic dependencies file not found: missing.txt",
        "dynamic dependencies file outside the project, not read: ../outside.txt",
        "dynamic dependencies file outside the project, not read: linked.txt",
    ]
    assert sorted((c, f, n) for c, f, n, _ in got if c != "D107") == [
        ("D101", "esc/__init__.py", 1),
        ("D101", "esc/__init__.py", 2),
    ]
    assert inspect_deps(root)["manifests"] == ["pyproject.toml"]


# --- distributions used without an import -----------------------------------------------------


def test_implicitly_used_distributions_are_not_unused(make_project: MakeProject) -> None:
    # fastapi-users 15.0.5 and pgcli 4.7.1.
    root = make_project(
        {
            "pyproject.toml": """
                [project]
                name = "users"
                version = "1"
                dependencies = [
                    "fastapi",
                    "email-validator",
                    "python-multipart",
                    "psycopg",
                    "psycopg-binary; sys_platform == 'win32'",
                    "uvloop",
                ]
            """,
            "users/__init__.py": "import fastapi\nimport psycopg\nfrom pydantic import EmailStr\n",
        }
    )
    # uvloop is uvicorn's loop: without uvicorn it is really unused. pydantic comes through
    # fastapi (D101 for the direct import, as before).
    assert codes(root, "D102") == [("D102", "pyproject.toml", 10)]


def test_implicit_use_needs_the_library_that_uses_it(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": """
                [project]
                name = "lone"
                version = "1"
                dependencies = ["psycopg-binary", "python-multipart", "tzdata"]
            """,
            "lone/__init__.py": "import zoneinfo\n",
        }
    )
    # tzdata is always implicit (zoneinfo's database); the other two have no user here.
    assert codes(root, "D102") == [
        ("D102", "pyproject.toml", 4),
        ("D102", "pyproject.toml", 4),
    ]
    messages = [m for _, _, _, m in findings(root, "D102")]
    assert "`psycopg-binary`" in messages[0] and "`python-multipart`" in messages[1]


def test_modules_run_by_literal_name_are_used(make_project: MakeProject) -> None:
    # llm 0.36: `llm install` runs pip with runpy.run_module("pip").
    root = make_project(
        {
            "pyproject.toml": """
                [project]
                name = "plug"
                version = "1"
                dependencies = [
                    "pip",
                    "build",
                    "black",
                    "ruff",
                ]
            """,
            "plug/__init__.py": """
                import subprocess
                import sys
                from runpy import run_module

                def install():
                    run_module("pip", run_name="__main__")

                def build():
                    subprocess.run([sys.executable, "-m", "build", "--wheel"], check=True)

                def fmt():
                    subprocess.run(["black", "."], check=True)
            """,
            "tests/test_plug.py": 'import subprocess, sys\nsubprocess.run([sys.executable, "-m", "ruff"])\n',
        }
    )
    # black is a CLI run by its name (no `-m`: not recognised, ignore-unused is the way);
    # ruff is run only by a test.
    assert codes(root, "D102") == [
        ("D102", "pyproject.toml", 7),
        ("D102", "pyproject.toml", 8),
    ]


# --- import names from real wheels ------------------------------------------------------------


def test_import_names_read_from_real_wheels(make_project: MakeProject) -> None:
    # instructor 1.17.0 (writerai), llm 0.36 (ulid), python-semantic-release (gitlab).
    root = make_project(
        {
            "pyproject.toml": """
                [project]
                name = "names"
                version = "1"
                dependencies = ["writer-sdk", "python-ulid", "python-gitlab"]
            """,
            "names/__init__.py": "import gitlab\nfrom ulid import ULID\nfrom writerai import Writer\n",
        }
    )
    assert codes(root) == []


def test_implicit_table_entries_each_have_a_reason() -> None:
    from kdocs.extract.deps_index import IMPLICIT_FILE, implicitly_used

    raw = json.loads(IMPLICIT_FILE.read_text(encoding="utf-8"))["distributions"]
    table = implicitly_used()
    assert len(table) == len(raw) >= 10
    assert table["psycopg-binary"][0] == frozenset({"psycopg"})
    assert all(len(reason) > 20 for _, reason in table.values())


def test_modules_loaded_by_dotted_path_are_used(make_project: MakeProject) -> None:
    # copier 9.19.1 loads jinja2-ansible-filters as a Jinja extension by its dotted path.
    root = make_project(
        {
            "pyproject.toml": """
                [project]
                name = "tmpl"
                version = "1"
                dependencies = [
                    "jinja2",
                    "jinja2-ansible-filters",
                    "jinja2-time",
                ]
            """,
            "tmpl/__init__.py": """
                from jinja2 import Environment

                EXTENSIONS = ["jinja2_ansible_filters.AnsibleCoreFiltersExtension"]
                HELP = "see jinja2_time in the docs"  # not a dotted path: not a use

                def env():
                    return Environment(extensions=EXTENSIONS)
            """,
        }
    )
    assert codes(root, "D102") == [("D102", "pyproject.toml", 7)]
