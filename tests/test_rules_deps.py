"""Family D rules on small real projects (and, marked slow, against real deptry)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from kdocs.engine import CheckOptions, run_check
from kdocs.models.diagnostics import Diagnostic
from kdocs.project import discover
from kdocs.rules.deps import satisfiable
from kdocs.rules.registry import get
from tests.conftest import MakeProject
from tests.realenv import real_venv
from tests.test_extract_deps import _fake_dist, line_of

FIXTURES = Path(__file__).parent / "fixtures" / "deps"


def check(root: Path, *codes: str) -> list[Diagnostic]:
    result = run_check(discover([root]), CheckOptions(select=list(codes), use_cache=False))
    return result.diagnostics


def found(root: Path, *codes: str) -> list[tuple[str, str, int]]:
    return [(d.code, d.file, d.line) for d in check(root, *codes)]


def pyproject(deps: list[str], extra: str = "") -> str:
    listed = ", ".join(json.dumps(d) for d in deps)
    return f'[project]\nname = "app"\nversion = "1"\ndependencies = [{listed}]\n{extra}'


def test_rule_docs_complete() -> None:
    for code in ("D101", "D102", "D103", "D104", "D105", "D106", "D107"):
        rule = get(code)
        assert rule is not None and rule.summary and rule.rationale and rule.bad and rule.good


# D101 ----------------------------------------------------------------------------------------


def test_missing_reports_import_line_with_shipped_name(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": pyproject(["click"]),
            "app/__init__.py": "import click\nimport yaml\nfrom PIL import Image\n",
        }
    )
    diags = check(root, "D101")
    assert [(d.file, d.line) for d in diags] == [("app/__init__.py", 2), ("app/__init__.py", 3)]
    assert "`pyyaml`" in diags[0].message and "shipped table" in diags[0].message
    assert "`pillow`" in diags[1].message
    assert any("cannot tell a missing import from a transitive" in n for n in diags[0].notes)


def test_missing_negative_declared_under_other_name(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": pyproject(["PyYAML>=6", "Pillow", "python-dateutil", "protobuf"]),
            "app/__init__.py": (
                "import yaml\nfrom PIL import Image\nfrom dateutil import tz\n"
                "from google.protobuf import message\n"
            ),
        }
    )
    assert found(root, "D101") == []


def test_missing_in_tests_counts_dev_groups(make_project: MakeProject) -> None:
    files = {
        "pyproject.toml": pyproject([], '[dependency-groups]\ntest = ["pytest"]\n'),
        "app/__init__.py": "",
        "tests/test_app.py": "import pytest\nimport hypothesis\n",
    }
    root = make_project(files)
    assert found(root, "D101") == []  # dev code is not checked by default (like deptry)
    (root / "pyproject.toml").write_text(
        pyproject([], '[dependency-groups]\ntest = ["pytest"]\n')
        + "[tool.kdocs.deps]\n"
        + "check-dev-code = true\n"
    )
    assert found(root, "D101") == [("D101", "tests/test_app.py", 2)]


def test_missing_ignore_option(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": pyproject([], '[tool.kdocs.deps]\nignore-missing = ["ujson"]\n'),
            "app/__init__.py": "try:\n    import ujson as json\nexcept ImportError:\n    import json\n",
        }
    )
    assert found(root, "D101") == []


def test_missing_note_for_pins_only(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": pyproject(["click"]),
            "requirements.txt": "click==8.1.7\nrich==13.7.1\n",
            "app/__init__.py": "import click\nimport rich\n",
        }
    )
    [diag] = check(root, "D101")
    assert diag.line == 2 and "requirements.txt:2" in diag.notes[0]


# D102 ----------------------------------------------------------------------------------------


def test_unused_points_at_manifest_line(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": """
            [project]
            name = "app"
            version = "1"
            dependencies = [
                "click",
                "requests>=2",
            ]

            [project.optional-dependencies]
            fast = ["orjson"]

            [dependency-groups]
            lint = ["ruff"]
            """,
            "app/__init__.py": "import click\n",
        }
    )
    # Extras are checked only with check-extras (default off since issue 9).
    assert found(root, "D102") == [
        ("D102", "pyproject.toml", line_of(root, "pyproject.toml", "requests")),
    ]
    with (root / "pyproject.toml").open("a") as handle:
        handle.write("[tool.kdocs.deps]\ncheck-extras = true\n")
    assert found(root, "D102") == [
        ("D102", "pyproject.toml", line_of(root, "pyproject.toml", "requests")),
        ("D102", "pyproject.toml", line_of(root, "pyproject.toml", "orjson")),
    ]


def test_unused_negative_used_ignored_and_suppressed(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": """
            [project]
            name = "app"
            version = "1"
            dependencies = [
                "click",
                "psycopg",
                "gunicorn",  # kdocs: ignore[D102]
            ]

            [tool.kdocs.deps]
            ignore-unused = ["psyco*"]
            """,
            "app/__init__.py": "from click import testing\n",
        }
    )
    assert found(root, "D102") == []


def test_unused_requirements_file_when_no_pyproject(make_project: MakeProject) -> None:
    root = make_project({"requirements.txt": "attrs\nsix\n", "app/__init__.py": "import attr\n"})
    assert found(root, "D102") == [("D102", "requirements.txt", 2)]


# D103 ----------------------------------------------------------------------------------------


def _venv_project(make_project: MakeProject, deps: list[str], code: str, extra: str = "") -> Path:
    root = make_project({"pyproject.toml": pyproject(deps, extra), "app/__init__.py": code})
    (root / ".venv").mkdir()
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    site = root / ".venv" / "lib" / "python3.11" / "site-packages"
    _fake_dist(site, "Outer", "1.0", ["outer/__init__.py"], ["middle>=1"])
    _fake_dist(site, "middle", "1.0", ["middle/__init__.py"], ["Inner-Lib; python_version >= '3'"])
    _fake_dist(site, "Inner-Lib", "2.0", ["inner_mod/__init__.py"], [])
    _fake_dist(site, "loner", "1.0", ["loner/__init__.py"], [])
    return root


def test_transitive_with_chain(make_project: MakeProject) -> None:
    root = _venv_project(make_project, ["outer"], "import outer\nimport inner_mod.sub\n")
    [diag] = check(root, "D101", "D103")
    assert (diag.code, diag.line) == ("D103", 2)
    assert "`inner-lib`" in diag.message and "outer -> middle -> inner-lib" in diag.message


def test_transitive_negative_installed_but_unrelated_is_missing(make_project: MakeProject) -> None:
    root = _venv_project(make_project, ["outer"], "import outer\nimport loner\n")
    [diag] = check(root, "D101", "D103")
    assert (diag.code, diag.line) == ("D101", 2)
    assert "no declared dependency requires it" in diag.notes[0]


def test_transitive_skipped_without_metadata(make_project: MakeProject) -> None:
    root = _venv_project(
        make_project,
        ["outer"],
        "import outer\nimport inner_mod\n",
        "[tool.kdocs.deps]\nuse-installed = false\n",
    )
    assert found(root, "D103") == []
    [diag] = check(root, "D101")
    assert "use-installed = false" in diag.notes[0]


# D104 ----------------------------------------------------------------------------------------


DEV = '[dependency-groups]\ntest = ["freezegun", "pytest"]\n'


def test_dev_only_in_runtime_code(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": pyproject([], DEV),
            "app/clock.py": "from freezegun import freeze_time\n",
            "tests/test_clock.py": "from freezegun import freeze_time\nimport pytest\n",
        }
    )
    [diag] = check(root, "D101", "D104")
    assert (diag.code, diag.file, diag.line) == ("D104", "app/clock.py", 1)
    assert "group:test" in diag.message


def test_dev_only_type_checking_allowed_unless_disabled(make_project: MakeProject) -> None:
    code = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pytest\n"
    root = make_project({"pyproject.toml": pyproject([], DEV), "app/plug.py": code})
    assert found(root, "D104") == []
    (root / "pyproject.toml").write_text(
        pyproject([], DEV) + "[tool.kdocs.deps]\nallow-type-checking = false\n"
    )
    assert found(root, "D104") == [("D104", "app/plug.py", 3)]


def test_dev_paths_configurable(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": pyproject([], DEV + '[tool.kdocs.deps]\ndev-paths = ["qa/"]\n'),
            "qa/check.py": "import pytest\n",
            "tests/test_x.py": "import pytest\n",
        }
    )
    # Test code is dev code wherever dev-paths points (kdocs.scope decides): only qa/ moved.
    assert found(root, "D104") == []
    (root / "qa/check.py").rename(root / "check.py")
    assert found(root, "D104") == [("D104", "check.py", 1)]


# D105 ----------------------------------------------------------------------------------------


def test_unwanted_declared_and_imported(make_project: MakeProject) -> None:
    extra = '[tool.kdocs.deps]\nunwanted = { requests = "use httpx", "yaml.cyaml" = "no C" }\n'
    root = make_project(
        {
            "pyproject.toml": pyproject(["requests", "pyyaml"], extra),
            "app/__init__.py": "import requests\nfrom yaml.cyaml import CLoader\nimport yaml\n",
        }
    )
    diags = check(root, "D105")
    assert [(d.file, d.line) for d in diags] == [
        ("app/__init__.py", 1),
        ("app/__init__.py", 2),
        ("pyproject.toml", 4),
    ]
    assert diags[0].message.endswith("use httpx") and diags[1].message.endswith("no C")


def test_unwanted_transitive_chain_and_kubernetes_file(make_project: MakeProject) -> None:
    root = _venv_project(
        make_project,
        ["outer"],
        "import outer\n",
        '[tool.kdocs.deps]\nunwanted-file = "unwanted.json"\n',
    )
    (root / "unwanted.json").write_text(
        json.dumps({"spec": {"unwantedModules": {"inner-lib": "abandoned upstream"}}})
    )
    [diag] = check(root, "D105")
    assert diag.file == "pyproject.toml"
    assert "outer -> middle -> inner-lib" in diag.message and "abandoned upstream" in diag.message


@pytest.mark.parametrize(
    ("setting", "reason"),
    [
        ("/dev/zero", "it lies outside the project"),
        ("../outside.json", "it lies outside the project"),
        ("link.json", "it lies outside the project"),
        ("device.json", "it lies outside the project"),
    ],
)
def test_unwanted_file_outside_the_project_is_refused(
    make_project: MakeProject, setting: str, reason: str
) -> None:
    """``unwanted-file`` is repository content: ``/dev/zero`` was read until the memory ran
    out, and a path or symlink out of the project read a file kdocs must not follow."""
    root = make_project(
        {
            "pyproject.toml": pyproject(
                ["httpx"], f'[tool.kdocs.deps]\nunwanted-file = "{setting}"\n'
            ),
            "app/__init__.py": "import httpx\n",
        }
    )
    outside = root.parent / "outside.json"
    outside.write_text(json.dumps({"unwantedModules": {"httpx": "x"}}))
    (root / "link.json").symlink_to(outside)
    (root / "device.json").symlink_to("/dev/zero")
    [diag] = check(root, "D105")
    assert diag.message == f"cannot read unwanted-file {setting}: {reason}"


def test_unwanted_negative(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": pyproject(
                ["httpx"], '[tool.kdocs.deps]\nunwanted = { requests = "x" }\n'
            ),
            "app/__init__.py": "import httpx\n",
        }
    )
    assert found(root, "D105") == []


# D106 ----------------------------------------------------------------------------------------


def test_conflicting_pin_and_range(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": pyproject(["numpy>=2", "click>=8"]),
            "requirements.txt": "numpy==1.26.4\nclick==8.1.7\n",
            "constraints.txt": "click<8\n",
        }
    )
    diags = check(root, "D106")
    assert [(d.file, d.line) for d in diags] == [("constraints.txt", 1), ("requirements.txt", 1)]
    assert "numpy>=2" in diags[1].message and "pyproject.toml:4" in diags[1].message


def test_conflicts_negative_and_markers(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": pyproject(
                ["numpy>=2; python_version >= '3.10'", "tomli>=1.1,!=2.0.0", "attrs~=23.1"]
            ),
            "requirements.txt": ("numpy<2; python_version < '3.10'\ntomli==2.0.1\nattrs==23.2.0\n"),
        }
    )
    assert found(root, "D106") == []


@pytest.mark.parametrize(
    ("specs", "ok"),
    [
        ([">=2", "<2"], False),
        ([">2", "<=2"], False),
        ([">1.0", "<1.0.1"], True),
        (["~=1.4.5", "==1.5"], False),
        (["==1.*", ">=1.9"], True),
        (["==2.0rc1", ">=1"], True),
        ([">=1,!=1.5", "==1.5"], False),
        (["", "==3"], True),
    ],
)
def test_satisfiable(specs: list[str], ok: bool) -> None:
    assert satisfiable([SpecifierSet(s) for s in specs]) is ok


# D107 ----------------------------------------------------------------------------------------


def test_invalid_requirements_reported_and_run_continues(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.txt": "requests=2.31\nclick>=8\n-r nowhere.txt\nhttps://x.invalid/a.tar.gz\n",
            "app/__init__.py": "import click\nimport yaml\n",
        }
    )
    diags = check(root, "D")
    assert [(d.code, d.file, d.line) for d in diags] == [
        ("D101", "app/__init__.py", 2),
        ("D107", "requirements.txt", 1),
        ("D107", "requirements.txt", 3),
        ("D107", "requirements.txt", 4),
    ]


def test_invalid_negative(make_project: MakeProject) -> None:
    root = make_project(
        {"requirements.txt": "click>=8  # ok\n", "app/__init__.py": "import click\n"}
    )
    assert found(root, "D107") == []


# deptry ---------------------------------------------------------------------------------------

DEPTRY_TO_KDOCS = {"DEP001": "D101", "DEP002": "D102", "DEP003": "D103", "DEP004": "D104"}


@pytest.mark.slow
def test_agrees_with_deptry_on_fixture(tmp_path: Path) -> None:
    venv = real_venv(
        [
            "deptry==0.25.1",
            "click==8.1.7",
            "PyYAML==6.0.2",
            "requests==2.32.3",
            "attrs==24.2.0",
            "pytest==8.3.3",
            "freezegun==1.5.1",
        ]
    )
    root = FIXTURES / "deptry_case"
    out = tmp_path / "deptry.json"
    subprocess.run(
        [str(venv.path / "bin" / "deptry"), ".", "-o", str(out)],
        cwd=root,
        capture_output=True,
        check=False,
    )
    theirs = {
        (DEPTRY_TO_KDOCS[v["error"]["code"]], v["module"].lower(), v["location"]["file"])
        for v in json.loads(out.read_text())
    }
    config = tmp_path / "kdocs.toml"
    config.write_text(f'[deps]\npython = "{venv.python}"\n')
    project = discover([root], config_file=config)
    diags = run_check(
        project, CheckOptions(select=["D101", "D102", "D103", "D104"], use_cache=False)
    ).diagnostics
    ours = set()
    for d in diags:
        name = d.message.split("`")[1].split(".")[0].lower()
        ours.add((d.code, name, d.file))
    # deptry names the distribution for DEP002 and the module otherwise; so does the set above.
    assert ours == theirs


# Settings shared by the family ----------------------------------------------------------------


def test_unused_when_only_tests_import_it(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": pyproject(["click", "anyio"]),
            "app/__init__.py": "import click\n",
            "tests/test_app.py": "import anyio\n",
        }
    )
    [diag] = check(root, "D102")
    assert diag.line == 4 and "imported only by dev code" in diag.message
    assert diag.notes[0].startswith("tests/test_app.py:1 imports it")
    (root / "pyproject.toml").write_text(
        pyproject(["click", "anyio"], "[tool.kdocs.deps]\ncount-dev-code = true\n")
    )
    assert found(root, "D102") == []


def test_type_checking_imports_skipped_unless_asked(make_project: MakeProject) -> None:
    code = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import trio\n"
    root = make_project({"pyproject.toml": pyproject([]), "app/__init__.py": code})
    assert found(root, "D101") == []
    (root / "pyproject.toml").write_text(
        pyproject([], "[tool.kdocs.deps]\ncheck-type-checking = true\n")
    )
    assert found(root, "D101") == [("D101", "app/__init__.py", 3)]


def test_local_modules_anywhere_in_the_tree_are_not_third_party(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": pyproject([], "[tool.kdocs.deps]\ncheck-dev-code = true\n"),
            "app/__init__.py": "",
            "examples/tutorial/flaskr/__init__.py": "import celery\n",
            "examples/tutorial/tests/test_flaskr.py": "import flaskr\nimport helper\n",
            "examples/tutorial/tests/helper.py": "",
            "examples/celery/make.py": "import celery\n",
        }
    )
    # `celery` stays third-party although examples/celery/ is a directory: not a package.
    assert found(root, "D101") == [
        ("D101", "examples/celery/make.py", 1),
        ("D101", "examples/tutorial/flaskr/__init__.py", 1),
    ]


def test_suppression_comment_in_requirements_file(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.txt": "click\nsix  # kdocs: ignore[D102]\nattrs\n",
            "app/__init__.py": "import click\n",
        }
    )
    assert found(root, "D102") == [("D102", "requirements.txt", 3)]


def test_bad_config_value_is_a_config_error(make_project: MakeProject) -> None:
    from kdocs.errors import ConfigError
    from kdocs.schema import validated

    root = make_project(
        {"pyproject.toml": pyproject([], '[tool.kdocs.deps]\nmodule-map = { "a-b" = "x" }\n')}
    )
    with pytest.raises(ConfigError, match="not a dotted module name"):
        validated(discover([root]).config)


def test_wrapper_module_named_like_the_library(make_project: MakeProject) -> None:
    # Django's Celery layout: proj/celery.py imports the celery distribution.
    root = make_project(
        {
            "pyproject.toml": pyproject(["celery"]),
            "proj/__init__.py": "from .celery import app\n",
            "proj/celery.py": "from celery import Celery\napp = Celery('proj')\n",
        }
    )
    assert found(root, "D101", "D102") == []
