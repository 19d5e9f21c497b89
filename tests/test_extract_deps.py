"""The ``deps`` model: manifests read with their lines, roles, problems and the environment."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kdocs.analysis import Analysis
from kdocs.extract.deps_env import find_environment, modules_from_paths, read_installed
from kdocs.extract.deps_index import DistIndex, shipped_table
from kdocs.extract.deps_manifests import logical_lines, poetry_specifier
from kdocs.models.deps import Dependency, DepsModel
from kdocs.models.serialize import to_data
from kdocs.project import discover
from tests.conftest import MakeProject
from tests.realenv import real_venv

FIXTURES = Path(__file__).parent / "fixtures" / "deps"


def deps_model(root: Path) -> DepsModel:
    model: DepsModel = Analysis(discover([root]), use_cache=False).model("deps")
    return model


def by_name(model: DepsModel) -> dict[str, list[Dependency]]:
    out: dict[str, list[Dependency]] = {}
    for dep in model.dependencies:
        out.setdefault(dep.name, []).append(dep)
    return out


def line_of(root: Path, file: str, needle: str) -> int:
    """1-based line of the first line of ``file`` containing ``needle`` (test oracle)."""
    for i, line in enumerate((root / file).read_text().splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {file}")


def test_pep621_optional_and_groups_with_lines() -> None:
    root = FIXTURES / "basic"
    model = deps_model(root)
    deps = by_name(model)
    assert model.project_name == "app"
    assert model.manifests == ("pyproject.toml", "requirements.txt")
    click = deps["click"]
    assert [(d.group, d.role, d.specifier) for d in click] == [
        ("project", "runtime", ">=8"),
        ("requirements:requirements.txt", "pin", "==8.1.7"),
    ]
    assert click[0].line == line_of(root, "pyproject.toml", '"click>=8"')
    # The hash option on the continuation line is dropped; the entry keeps its first line.
    assert click[1].line == line_of(root, "requirements.txt", "click==8.1.7")
    assert deps["pyyaml"][0].raw_name == "PyYAML"
    assert (deps["rich"][0].group, deps["rich"][0].role) == ("optional:cli", "runtime")
    assert (deps["freezegun"][0].group, deps["freezegun"][0].role) == ("optional:dev", "dev")
    assert (deps["pytest"][0].group, deps["pytest"][0].role) == ("group:test", "dev")
    assert deps["ruff"][0].line == line_of(root, "pyproject.toml", '"ruff"')
    assert model.problems == ()


def test_model_serialises_to_json() -> None:
    data = to_data(deps_model(FIXTURES / "basic"))
    text = json.dumps(data)
    assert json.loads(text)["dependencies"][0]["name"] == "click"
    assert data["environment"]["source"] in ("none", "virtual-env", "project-venv", "kdocs")


def test_dependency_group_include_errors(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": """
            [project]
            name = "p"
            version = "1"

            [dependency-groups]
            a = ["pytest", {include-group = "b"}]
            b = [{include-group = "a"}]
            c = [{include-group = "nope"}]
            """,
        }
    )
    messages = [p.message for p in deps_model(root).problems]
    assert any("includes unknown group 'nope'" in m for m in messages)
    assert any("'a' includes itself" in m for m in messages)


def test_poetry_and_pdm_tables(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": """
            [tool.poetry]
            name = "poet"

            [tool.poetry.dependencies]
            python = "^3.10"
            requests = "^2.31"
            pendulum = { version = "~2.1", extras = ["test"] }
            mylib = { git = "https://example.invalid/mylib.git" }

            [tool.poetry.group.test.dependencies]
            pytest = "*"

            [tool.pdm.dev-dependencies]
            lint = ["ruff>=0.5", "-e file:///${PROJECT_ROOT}/tools#egg=tools"]
            """,
        }
    )
    model = deps_model(root)
    deps = by_name(model)
    assert "python" not in deps
    assert model.project_name == "poet"
    assert deps["requests"][0].specifier == "<3,>=2.31"
    assert deps["requests"][0].line == line_of(root, "pyproject.toml", "requests =")
    assert deps["pendulum"][0].specifier == "<2.2,>=2.1"
    assert deps["pendulum"][0].extras == ("test",)
    assert deps["mylib"][0].url == "https://example.invalid/mylib.git"
    assert (deps["pytest"][0].group, deps["pytest"][0].role) == ("poetry-group:test", "dev")
    assert (deps["ruff"][0].group, deps["ruff"][0].role) == ("pdm-dev:lint", "dev")
    assert deps["tools"][0].line == line_of(root, "pyproject.toml", "ruff>=0.5")


@pytest.mark.parametrize(
    ("poetry", "pep440"),
    [
        # Poetry's documented semantics (python-poetry.org, "Dependency specification").
        ("^1.2.3", "<2,>=1.2.3"),
        ("^0.2.3", "<0.3,>=0.2.3"),
        ("^0.0.3", "<0.0.4,>=0.0.3"),
        ("^1", "<2,>=1"),
        ("~1.2.3", "<1.3,>=1.2.3"),
        ("~1", "<2,>=1"),
        ("1.2.*", "==1.2.*"),
        ("*", ""),
        ("1.4", "==1.4"),
        (">= 1.2, < 1.5", "<1.5,>=1.2"),
    ],
)
def test_poetry_specifier(poetry: str, pep440: str) -> None:
    assert poetry_specifier(poetry) == pep440


def test_poetry_specifier_invalid() -> None:
    assert poetry_specifier("^^1") is None


def test_requirements_files_includes_and_bad_lines(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.txt": """
            # runtime requirements (no pyproject: these are the declarations)
            -r requirements/base.txt
            -c constraints.txt
            --index-url https://example.invalid/simple
            requests[socks]>=2.31 ; python_version >= "3.10"  # trailing comment
            six \\
                >=1.16
            https://example.invalid/pkgs/Foo_Bar-1.0-py3-none-any.whl
            https://example.invalid/archive.tar.gz
            git+https://example.invalid/repo.git#egg=repo-lib
            mypkg @ https://example.invalid/mypkg-1.0.tar.gz
            -e git+https://example.invalid/ed.git#egg=editable-one
            -e .
            requets=2.0
            --frobnicate
            -r missing.txt
            """,
            "requirements/base.txt": """
            attrs>=23
            """,
            "requirements-dev.txt": """
            -r requirements.txt
            pytest>=8
            """,
            "constraints.txt": """
            attrs<24
            """,
            "bad/requirements-latin1.txt": "",
        }
    )
    model = deps_model(root)
    deps = by_name(model)
    req = deps["requests"][0]
    assert (req.specifier, req.extras, req.role) == (">=2.31", ("socks",), "runtime")
    assert req.marker == 'python_version >= "3.10"'
    assert deps["six"][0].specifier == ">=1.16"
    assert deps["six"][0].line == line_of(root, "requirements.txt", "six")
    assert deps["foo-bar"][0].url is not None
    assert deps["repo-lib"][0].raw_name == "repo-lib"
    assert deps["mypkg"][0].url == "https://example.invalid/mypkg-1.0.tar.gz"
    assert deps["editable-one"][0].editable
    attrs = deps["attrs"]
    assert [(d.file, d.role) for d in attrs] == [
        ("requirements/base.txt", "runtime"),
        ("constraints.txt", "pin"),
    ]
    assert (deps["pytest"][0].role, deps["pytest"][0].file) == ("dev", "requirements-dev.txt")
    problems = {(p.line, p.message.split(":")[0]) for p in model.problems}
    assert problems == {
        (line_of(root, "requirements.txt", "archive.tar.gz"), "invalid requirement 'https"),
        (line_of(root, "requirements.txt", "requets"), "invalid requirement 'requets=2.0'"),
        (line_of(root, "requirements.txt", "--frobnicate"), "unknown option '--frobnicate'"),
        (line_of(root, "requirements.txt", "missing.txt"), "included file not found"),
    }
    typo = next(p for p in model.problems if "requets" in p.message)
    assert "did you mean `==`" in typo.message


def test_requirements_are_pins_when_pyproject_declares(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "p"\nversion = "1"\ndependencies = ["attrs"]\n',
            "requirements.txt": "attrs==23.2.0\ncattrs==23.2.3\n",
            "requirements-test.txt": "pytest\n",
        }
    )
    roles = {(d.name, d.file): d.role for d in deps_model(root).dependencies}
    assert roles == {
        ("attrs", "pyproject.toml"): "runtime",
        ("attrs", "requirements.txt"): "pin",
        ("cattrs", "requirements.txt"): "pin",
        ("pytest", "requirements-test.txt"): "dev",
    }


def test_unreadable_manifests_are_problems(make_project: MakeProject) -> None:
    root = make_project({"requirements.txt": "attrs\n", "pkg/__init__.py": ""})
    (root / "requirements-extra.txt").write_bytes(b"caf\xe9\n")
    model = deps_model(root)
    assert [d.name for d in model.dependencies] == ["attrs"]
    [problem] = model.problems
    assert problem.file == "requirements-extra.txt"
    assert problem.message.startswith("cannot read requirements-extra.txt")


def test_invalid_toml_pyproject_entries(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": """
            [project]
            name = "p"
            version = "1"
            dependencies = ["attrs", "cattrs>=", 3]
            optional-dependencies = "nope"
            """,
        }
    )
    model = deps_model(root)
    assert [d.name for d in model.dependencies] == ["attrs"]
    messages = sorted(p.message for p in model.problems)
    assert messages[0].startswith("`project.dependencies`: not a requirement string: 3")
    assert messages[1] == "`project.optional-dependencies` must be a table"
    assert messages[2].startswith("invalid requirement 'cattrs>='")
    assert {p.line for p in model.problems} == {4, 5}


def test_logical_lines_join_continuations_and_drop_comments() -> None:
    text = "a # c\n# only comment\nb \\\n  >=1\n\nurl#egg=x\n"
    assert list(logical_lines(text)) == [(1, "a"), (3, "b    >=1"), (6, "url#egg=x")]


def test_modules_from_paths_namespace_and_single_modules() -> None:
    files = [
        "google/protobuf/__init__.py",
        "google/protobuf/message.py",
        "six.py",
        "_cffi_backend.cpython-311-x86_64-linux-gnu.so",
        "yaml/__init__.py",
        "PyYAML-6.0.dist-info/RECORD",
        "tests/__init__.py",
        "foo.data/purelib/bar/__init__.py",
        "__editable___thing_finder.py",
    ]
    assert modules_from_paths(files) == {"google.protobuf", "six", "_cffi_backend", "yaml", "bar"}


def test_shipped_table_has_well_known_mismatches() -> None:
    table = shipped_table()
    assert len(table) >= 200
    expected = {
        "yaml": "pyyaml",
        "PIL": "pillow",
        "cv2": "opencv-python",
        "sklearn": "scikit-learn",
        "bs4": "beautifulsoup4",
        "dateutil": "python-dateutil",
        "google.protobuf": "protobuf",
        "jwt": "pyjwt",
        "attr": "attrs",
    }
    for module, dist in expected.items():
        assert dist in table[module], module


def test_index_prefers_module_map_over_shipped(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": """
            [project]
            name = "p"
            version = "1"
            dependencies = ["my-yaml-fork"]

            [tool.kdocs.deps]
            module-map = { yaml = "my-yaml-fork" }
            use-installed = false
            """,
        }
    )
    model = deps_model(root)
    index = DistIndex(model)
    assert index.owners("yaml.loader") == (("my-yaml-fork",), "module-map")
    assert index.owners("bs4") == (("beautifulsoup4", "bs4"), "shipped table")
    assert index.owners("requests.adapters") == (("requests",), "guess")
    assert [d.name for d in index.provided_by("yaml", model.dependencies)] == ["my-yaml-fork"]
    assert model.environment.source == "none"


def _fake_dist(site: Path, name: str, version: str, files: list[str], requires: list[str]) -> None:
    info = site / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    meta = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    meta += [f"Requires-Dist: {r}" for r in requires]
    (info / "METADATA").write_text("\n".join(meta) + "\n")
    record = [*files, f"{info.name}/METADATA,,", f"{info.name}/RECORD,,"]
    (info / "RECORD").write_text("\n".join(f if "," in f else f + ",," for f in record) + "\n")


def test_project_venv_metadata_is_read(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": '[project]\nname = "p"\nversion = "1"\n'})
    site = root / ".venv" / "lib" / "python3.11" / "site-packages"
    (root / ".venv" / "pyvenv.cfg").parent.mkdir(parents=True)
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    _fake_dist(
        site, "Outer", "1.0", ["outer/__init__.py"], ["inner>=1", "extra-only; extra == 'x'"]
    )
    _fake_dist(site, "inner", "2.0", ["inner_mod/__init__.py"], [])
    env = find_environment(root, "", "p")
    assert (env.source, env.path) == ("project-venv", str(root / ".venv"))
    installed = {d.name: d for d in read_installed(env)}
    assert installed["outer"].modules == ("outer",)
    assert installed["inner"].modules == ("inner_mod",)
    assert installed["outer"].requires == ("inner>=1", "extra-only; extra == 'x'")
    disabled = find_environment(root, "", "p", use_installed=False)
    assert disabled.source == "none"
    missing = find_environment(root, "nope/bin/python", "p")
    assert missing.source == "none" and "does not exist" in (missing.note or "")


@pytest.mark.slow
def test_real_venv_metadata_through_python_setting(make_project: MakeProject) -> None:
    venv = real_venv(["requests==2.32.3", "PyYAML==6.0.2"])
    root = make_project(
        {
            "pyproject.toml": f"""
            [project]
            name = "p"
            version = "1"
            dependencies = ["requests"]

            [tool.kdocs.deps]
            python = "{venv.python}"
            """,
        }
    )
    model = deps_model(root)
    assert model.environment.source == "setting"
    # The oracle: the venv's own packages_distributions().
    proc = venv.run(
        "-c",
        "import json, importlib.metadata as m; print(json.dumps(m.packages_distributions()))",
    )
    real: dict[str, Any] = json.loads(proc.stdout)
    index = DistIndex(model)
    for module in ("yaml", "urllib3", "charset_normalizer", "idna", "certifi"):
        dists = tuple(sorted(n.lower() for n in real[module]))
        assert index.owners(module) == (dists, "installed"), module
    closure = index.closure([d for d in model.dependencies if d.name == "requests"])
    assert closure["urllib3"] == ("requests", "urllib3")
    assert "pyyaml" not in closure


def test_interpreter_setting_outside_a_venv(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": '[project]\nname = "p"\nversion = "1"\n'})
    base = Path(getattr(sys, "_base_executable", sys.executable))
    probe = subprocess.run(
        [str(base), "-c", "import sys; print(sys.prefix)"], capture_output=True, text=True
    )
    if (Path(probe.stdout.strip()) / "pyvenv.cfg").exists():
        pytest.skip("base interpreter is itself a venv")
    env = find_environment(root, str(base), "p")
    assert env.source == "setting"
    assert env.site_packages


def test_unreadable_pyproject_is_a_problem_not_a_manifest(tmp_path: Path) -> None:
    """With the config in kdocs.yaml, a pyproject.toml that is not UTF-8 is reported and not
    listed among the manifests read."""
    root = tmp_path / "proj"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "pyproject.toml").write_bytes(b"[project]\nname = 'caf\xe9'\n")
    (root / "kdocs.yaml").write_text("select: [D]\n")
    project = discover([root], config_file=root / "kdocs.yaml")
    model = Analysis(project, use_cache=False).model("deps")
    assert "pyproject.toml" not in model.manifests
    assert [p.file for p in model.problems] == ["pyproject.toml"]
