"""Project discovery: roots, layouts, excludes, bare packages and single files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kdocs.project import discover
from tests.conftest import MakeProject


def relpaths(root: Path, *paths: str) -> list[str]:
    project = discover([root / p for p in paths] if paths else [root])
    return [e.relpath for e in project.files]


def test_nearest_pyproject_upward(make_project: MakeProject) -> None:
    root = make_project(
        {"pyproject.toml": "[project]\nname='x'\n", "pkg/__init__.py": "", "pkg/sub/m.py": ""}
    )
    project = discover([root / "pkg" / "sub"])
    assert project.root == root
    assert project.in_scope("pkg/sub/m.py")
    assert not project.in_scope("pkg/__init__.py")


def test_src_layout_module_names(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": "",
            "src/app/__init__.py": "",
            "src/app/cli.py": "",
            "tests/test_x.py": "",
        }
    )
    project = discover([root])
    modules = {e.relpath: e.module for e in project.files}
    assert modules == {
        "src/app/__init__.py": "app",
        "src/app/cli.py": "app.cli",
        "tests/test_x.py": "tests.test_x",
    }


def test_flat_layout_and_src_override(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": "[tool.kdocs]\nsrc = ['lib']\n",
            "lib/app/__init__.py": "",
            "lib/app/core.py": "",
            "scripts/tool.py": "",
        }
    )
    project = discover([root])
    assert {e.relpath: e.module for e in project.files} == {
        "lib/app/__init__.py": "app",
        "lib/app/core.py": "app.core",
    }


def test_default_excludes_and_virtualenvs(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": "",
            "app.py": "",
            "build/lib/app.py": "",
            ".venv/lib/x.py": "",
            "env2/pyvenv.cfg": "home = /usr\n",
            "env2/lib/site.py": "",
            "node_modules/x.py": "",
            "pkg/__pycache__/m.py": "",
            "pkg/operations/build/wheel.py": "",
        }
    )
    # Build output is excluded at the root only; a package named `build` deeper is code.
    assert relpaths(root) == ["app.py", "pkg/operations/build/wheel.py"]


def test_exclude_and_extend_exclude_gitignore_style(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": '[tool.kdocs]\nextend-exclude = ["legacy/", "**/gen_*.py", "/top.py"]\n',
            "legacy/a.py": "",
            "pkg/gen_models.py": "",
            "pkg/deep/gen_x.py": "",
            "pkg/keep.py": "",
            "top.py": "",
            "pkg/top.py": "",
        }
    )
    assert relpaths(root) == ["pkg/keep.py", "pkg/top.py"]


def test_gitignore_is_respected(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": "",
            ".gitignore": "generated/\n*.tmp.py\n",
            "generated/a.py": "",
            "b.tmp.py": "",
            "c.py": "",
        }
    )
    assert relpaths(root) == ["c.py"]


def test_bare_package_directory(tmp_path: Path) -> None:
    pkg = tmp_path / "loose" / "mypkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "mod.py").write_text("")
    (tmp_path / "loose" / "other.py").write_text("")
    project = discover([pkg])
    assert project.root == tmp_path / "loose"
    assert {e.relpath: e.module for e in project.files} == {
        "mypkg/__init__.py": "mypkg",
        "mypkg/sub/mod.py": "mypkg.sub.mod",
    }


def test_single_file(tmp_path: Path) -> None:
    (tmp_path / "tool.py").write_text("print('hi')\n")
    (tmp_path / "other.py").write_text("")
    project = discover([tmp_path / "tool.py"])
    assert [e.relpath for e in project.files] == ["tool.py"]


def test_symlink_loop_directory_is_reported_not_followed_forever(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "", "pkg/a.py": ""})
    os.symlink(root / "pkg", root / "pkg" / "loop")
    project = discover([root])
    assert [e.relpath for e in project.files] == ["pkg/a.py"]
    assert [p.relpath for p in project.walk_problems] == ["pkg/loop"]


def test_folders_deeper_than_the_cap_are_reported_not_entered(tmp_path: Path) -> None:
    """A loop that no inode shows (a bind mount) must still end: the walk stops at a depth."""
    from kdocs.project import MAX_DEPTH

    (tmp_path / "pyproject.toml").write_text("")
    deep = tmp_path.joinpath(*["d"] * (MAX_DEPTH + 2))
    deep.mkdir(parents=True)
    (deep / "x.py").write_text("")
    (tmp_path / "d" / "top.py").write_text("")
    project = discover([tmp_path])
    assert [e.relpath for e in project.files] == ["d/top.py"]
    (problem,) = project.walk_problems
    assert problem.message == "too deep: not entered"
    assert problem.relpath.count("/") == MAX_DEPTH - 1


def test_the_walk_records_each_folder_listing_and_skips_venvs_and_nested_projects(
    make_project: MakeProject,
) -> None:
    root = make_project(
        {
            "pyproject.toml": "",
            "pkg/a.py": "",
            "pkg/.hidden": "",
            "env/pyvenv.cfg": "",
            "env/lib.py": "",
            "sub/pyproject.toml": "",
            "sub/b.py": "",
        }
    )
    project = discover([root])
    assert [e.relpath for e in project.files] == ["pkg/a.py"]
    assert project.listings[str(root / "pkg")] == ["a.py"]
    assert str(root / "env") not in project.listings
    assert str(root / "sub") not in project.listings


def test_links_out_of_the_project_are_not_followed(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """A planted ``pkg/lib -> /`` walked the whole machine and reported on its files: a
    symlinked folder or file that resolves outside the project is a walk problem (E001),
    while a link inside the project is followed."""
    from kdocs.project import OUTSIDE_FILE, OUTSIDE_FOLDER

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "other.py").write_text("x = 1\n")
    root = make_project({"pyproject.toml": "", "pkg/a.py": "", "shared/b.py": ""})
    os.symlink(outside, root / "pkg" / "lib")
    os.symlink(outside / "other.py", root / "pkg" / "other.py")
    os.symlink(root / "shared", root / "pkg" / "inside")
    project = discover([root])
    assert [e.relpath for e in project.files] == ["pkg/a.py", "pkg/inside/b.py", "shared/b.py"]
    problems = {p.relpath: p.message for p in project.walk_problems}
    assert problems == {"pkg/lib": OUTSIDE_FOLDER, "pkg/other.py": OUTSIDE_FILE}


def test_src_out_of_the_project_is_a_config_error(make_project: MakeProject) -> None:
    from kdocs.errors import ConfigError

    root = make_project({"pyproject.toml": '[tool.kdocs]\nsrc = ["../elsewhere"]\n'})
    project = discover([root])
    with pytest.raises(ConfigError, match=r"`tool\.kdocs\.src` '\.\./elsewhere' lies outside"):
        project.files  # noqa: B018 - the walk needs the source roots
