"""Linking before rules: the deps extractor classifies every third-party import and maps it
to distributions, so ``kdocs inspect deps`` shows what the D rules decide on."""

from __future__ import annotations

from typing import Any

from tests.conftest import MakeProject
from tests.helpers import run_kdocs

PYPROJECT = """
[project]
name = "app"
version = "1"
dependencies = ["requests"]

[dependency-groups]
test = ["pytest"]

[tool.kdocs.deps]
use-installed = false
"""

FILES = {
    "pyproject.toml": PYPROJECT,
    "app/__init__.py": "",
    "app/main.py": """
        from typing import TYPE_CHECKING

        import requests
        import yaml
        import app.helpers
        import _typeshed

        try:
            import ujson
        except ImportError:
            ujson = None

        if TYPE_CHECKING:
            import attrs
    """,
    "app/helpers.py": "import ujson.decoder\n",
    "tests/test_main.py": "import pytest\nimport requests\n",
    "scripts/tool.py": "import helper_local\n",
    "scripts/helper_local.py": "",
}


def _uses(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            u["imported"],
            u["file"],
            u["dev"],
            u["checked"],
            u["optional"],
            u["distributions"],
            u["mapped_by"],
            u["declarations"],
        )
        for u in data["imports"]
    ]


def test_inspect_deps_shows_each_import_decision(make_project: MakeProject) -> None:
    root = make_project(FILES)
    run = run_kdocs("inspect", "deps", "--no-cache", cwd=root)
    assert run.exit_code == 0, run.stderr
    assert _uses(run.json()) == [
        # own modules, local script modules and typeshed-only names are not third-party uses
        # the guard is per file: helpers.py imports ujson unguarded
        ("ujson.decoder", "app/helpers.py", False, True, False, ["ujson"], "guess", []),
        ("attrs", "app/main.py", False, False, False, ["attrs"], "guess", []),
        ("requests", "app/main.py", False, True, False, ["requests"], "guess", ["requests"]),
        ("ujson", "app/main.py", False, True, True, ["ujson"], "guess", []),
        ("yaml", "app/main.py", False, True, False, ["pyyaml"], "shipped table", []),
        ("pytest", "tests/test_main.py", True, True, False, ["pytest"], "guess", ["pytest"]),
        ("requests", "tests/test_main.py", True, True, False, ["requests"], "guess", ["requests"]),
    ]


def test_the_rules_act_on_the_linked_decisions(make_project: MakeProject) -> None:
    """D101 reports exactly the checked, non-optional runtime uses without a declaration."""
    root = make_project(FILES)
    data = run_kdocs("inspect", "deps", "--no-cache", cwd=root).json()
    expected = [
        (u["file"], u["line"])
        for u in data["imports"]
        if u["checked"] and not u["optional"] and not u["dev"] and not u["declarations"]
    ]
    run = run_kdocs("check", "--no-cache", "--select", "D101", "--format", "json", cwd=root)
    assert [(d["file"], d["line"]) for d in run.json()["diagnostics"]] == expected
    # ujson in helpers.py and yaml; attrs is TYPE_CHECKING-only, ujson in main.py guarded
    assert expected == [("app/helpers.py", 1), ("app/main.py", 4)]


def test_check_type_checking_setting_is_linked(make_project: MakeProject) -> None:
    """An extractor setting changes the linked decision (and so the rule), not the rule."""
    files = {
        **FILES,
        "pyproject.toml": PYPROJECT + "check-type-checking = true\n",
    }
    root = make_project(files)
    data = run_kdocs("inspect", "deps", "--no-cache", cwd=root).json()
    attrs = next(u for u in data["imports"] if u["imported"] == "attrs")
    assert (attrs["type_checking"], attrs["checked"]) == (True, True)
    run = run_kdocs("check", "--no-cache", "--select", "D101", "--format", "json", cwd=root)
    assert [d["line"] for d in run.json()["diagnostics"]] == [1, 4, 14]
