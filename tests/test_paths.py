"""Every spelling of a path gives the same answer: ``.``, ``./``, ``src/..``, an absolute path,
a symlink to the project, and no PATH from a subfolder all produce byte-identical reports,
with paths relative to the project root in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import MakeProject
from tests.helpers import run_kdocs

SRC_LAYOUT = {
    "pyproject.toml": """
        [project]
        name = "app"
        version = "1.0"
        dependencies = ["click", "notused"]

        [project.scripts]
        app = "app.cli:main"

        [tool.kdocs]
        extend-select = ["D102"]  # a finding in pyproject.toml (D102 is opt-in)

        [tool.kdocs.per-file-ignores]
        "src/app/legacy.py" = ["C"]
        """,
    "src/app/__init__.py": "",
    "src/app/core/__init__.py": "",
    "src/app/cli.py": '''
        import click

        from app.core import util


        @click.group()
        def main():
            """The app."""


        @main.command()
        @click.option("--dry_run", is_flag=True)
        def deploy(dry_run):
            util.run(dry_run)
        ''',
    "src/app/core/util.py": """
        from app import legacy


        def run(flag):
            return legacy.go(flag)
        """,
    "src/app/legacy.py": """
        import click


        @click.command()
        @click.option("--old_flag")
        def old(old_flag):
            pass


        def go(flag):
            return flag
        """,
}


@pytest.fixture
def project(make_project: MakeProject, tmp_path: Path) -> Path:
    root = make_project(SRC_LAYOUT)
    (tmp_path / "link").symlink_to(root, target_is_directory=True)
    return root


def _spellings(root: Path) -> list[tuple[Path, tuple[str, ...]]]:
    outside = root.parent
    core = root / "src" / "app" / "core"
    return [
        (root, ()),
        (root, (".",)),
        (root, ("./",)),
        (root, ("src/..",)),
        (outside, (str(root),)),
        (outside, ("link",)),
        (outside, ("link/src/..",)),
        (outside, (str(outside / "link"),)),
        (core, ()),
        (core, ("../../..",)),
        (outside / "link" / "src", ()),
    ]


def test_every_spelling_gives_identical_json(project: Path) -> None:
    outputs = {}
    for cwd, args in _spellings(project):
        run = run_kdocs("check", "--format", "json", *args, cwd=cwd)
        assert run.exit_code == 1, (cwd, args, run.stderr)
        outputs[(str(cwd), args)] = run.stdout
    reference = outputs[(str(project), ())]
    for key, out in outputs.items():
        assert out == reference, key
    found = {(d["file"], d["code"]) for d in json.loads(reference)["diagnostics"]}
    # The CLI is found through the src layout, the manifest is checked, and per-file-ignores
    # (written relative to the root) still apply.
    assert ("src/app/cli.py", "C101") in found
    assert ("pyproject.toml", "D102") in found
    assert not [f for f, _ in found if f == "src/app/legacy.py"]
    assert not [c for _, c in found if c.startswith("I")]  # no false import findings


def test_dotdot_from_a_subfolder_scopes_to_the_named_folder(project: Path) -> None:
    run = run_kdocs("check", "--format", "json", "..", cwd=project / "src" / "app" / "core")
    files = {d["file"] for d in run.json()["diagnostics"]}
    assert files == {"src/app/cli.py"}  # src/app: cli.py has findings, legacy.py is ignored
    assert run.exit_code == 1


def test_symlinked_src_layout_keeps_module_names_and_import_edges(project: Path) -> None:
    direct = run_kdocs("inspect", "imports", cwd=project)
    via_link = run_kdocs("inspect", "imports", "link", cwd=project.parent)
    assert direct.exit_code == via_link.exit_code == 0
    assert via_link.stdout == direct.stdout
    data = via_link.json()
    assert data["modules"] == ["app", "app.cli", "app.core", "app.core.util", "app.legacy"]
    internal = {(i["importer"], i["imported"]) for i in data["imports"] if i["kind"] == "internal"}
    assert ("app.cli", "app.core.util") in internal
    assert ("app.core.util", "app.legacy") in internal


def test_src_dot_through_a_symlink_keeps_per_file_ignores(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project(
        {
            "pyproject.toml": """
                [tool.kdocs]
                src = ["."]

                [tool.kdocs.per-file-ignores]
                "tool/legacy.py" = ["C"]
                """,
            "tool/__init__.py": "",
            "tool/cli.py": """
                import click


                @click.command()
                @click.option("--bad_name", help="A flag.")
                def main(bad_name):
                    \"\"\"Run it.\"\"\"
                """,
            "tool/legacy.py": """
                import click


                @click.command()
                @click.option("--old_name")
                def old(old_name):
                    pass
                """,
        }
    )
    (tmp_path / "alias").symlink_to(root, target_is_directory=True)
    direct = run_kdocs("check", "--format", "json", cwd=root)
    via_link = run_kdocs("check", "--format", "json", str(tmp_path / "alias"), cwd=tmp_path)
    assert via_link.stdout == direct.stdout
    found = {(d["file"], d["code"]) for d in via_link.json()["diagnostics"]}
    assert ("tool/cli.py", "C101") in found
    assert not [f for f, c in found if c.startswith("C") and f != "tool/cli.py"]


@pytest.mark.parametrize("fmt", ["text", "github", "sarif"])
def test_other_formats_report_root_relative_paths_from_a_subfolder(project: Path, fmt: str) -> None:
    from_root = run_kdocs("check", "--format", fmt, cwd=project)
    from_sub = run_kdocs("check", "--format", fmt, cwd=project / "src" / "app")
    assert from_sub.stdout == from_root.stdout
    if fmt == "github":
        assert "file=src/app/cli.py," in from_sub.stdout
        assert "file=pyproject.toml," in from_sub.stdout
    elif fmt == "text":
        assert from_sub.stdout.startswith("pyproject.toml:4:1: D102")
        assert "\nsrc/app/cli.py:12:2: C101" in from_sub.stdout
    else:
        uris = {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(from_sub.stdout)["runs"][0]["results"]
        }
        assert uris == {"pyproject.toml", "src/app/cli.py"}


def test_a_missing_path_is_one_line(project: Path) -> None:
    run = run_kdocs("check", "nope/..", cwd=project)
    assert run.exit_code == 2
    assert run.stderr.strip() == "kdocs: error: path does not exist: nope/.."


def test_unresolvable_paths_are_one_line(project: Path, tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    run = run_kdocs("check", str(tmp_path / "loop"), cwd=project)
    assert run.exit_code == 2
    assert run.stderr.startswith(f"kdocs: error: cannot resolve path {tmp_path / 'loop'}: ")
    assert len(run.stderr.splitlines()) == 1
