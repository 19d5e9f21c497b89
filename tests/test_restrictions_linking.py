"""Linking before rules (I family): the ``restrictions`` provider reads the import-boss files;
the rules only parse and apply them."""

from __future__ import annotations

from pathlib import Path

from kdocs.analysis import Analysis
from kdocs.extract.imports.restrictions import RestrictionFile
from kdocs.project import discover
from tests.conftest import MakeProject
from tests.helpers import run_kdocs

FILES = {
    "pyproject.toml": "[project]\nname = 'app'\n",
    "app/__init__.py": "",
    "app/server.py": "",
    "app/api/__init__.py": "import app.server\n",
    "app/api/v1/__init__.py": "",
    "app/api/.import-restrictions": """
        rules:
          - selectorRegexp: "^app[.]server"
            forbiddenPrefixes: ["app.server"]
    """,
    "app/.import-restrictions": "rules: [\n",
}


def test_the_link_reads_every_governing_file(make_project: MakeProject) -> None:
    root = make_project(FILES)
    (root / "app" / "api" / "v1" / ".import-restrictions").write_bytes(b"\xff\xfe")
    linked = Analysis(discover([root]), use_cache=False).model("restrictions")
    assert linked.config_text == (root / "pyproject.toml").read_text()  # contract lines
    found = linked.restrictions
    assert sorted(found) == ["app", "app/api", "app/api/v1"]  # none at the root
    assert found["app/api/v1"] == RestrictionFile(
        "app/api/v1/.import-restrictions", "app/api/v1", problem="not valid UTF-8"
    )
    assert found["app"].text == "rules: [\n" and found["app"].problem is None
    run = run_kdocs("check", "--no-cache", "--select", "I001,I010", "--format", "json", cwd=root)
    assert sorted((d["code"], d["file"]) for d in run.json()["diagnostics"]) == [
        ("I001", "app/api/__init__.py"),
        ("I010", "app/.import-restrictions"),
        ("I010", "app/api/v1/.import-restrictions"),
    ]


def test_an_edited_restrictions_file_is_seen_on_a_warm_run(make_project: MakeProject) -> None:
    """The linked-model cache keys do not cover hidden files, so the restrictions are never
    taken from it: editing only `.import-restrictions` changes the next (cached) run."""
    files = {k: v for k, v in FILES.items() if k != "app/.import-restrictions"}
    root = make_project(files)

    def findings() -> list[str]:
        run = run_kdocs("check", "--select", "I001", "--format", "json", cwd=root)
        return [d["file"] for d in run.json()["diagnostics"]]

    assert findings() == ["app/api/__init__.py"]
    assert findings() == ["app/api/__init__.py"]  # warm
    restrictions: Path = root / "app" / "api" / ".import-restrictions"
    restrictions.write_text("rules: []\n")
    assert findings() == []
    restrictions.unlink()
    (root / "app" / ".import-restrictions").write_text(
        'rules:\n  - selectorRegexp: "^app[.]server"\n    forbiddenPrefixes: [""]\n'
    )
    assert findings() == ["app/api/__init__.py"]
