"""Precision of families D and I on real project shapes (issue 9, item 5).

Each test builds a small real project in tmp_path and runs the real ``kdocs check`` command
line on it, then asserts on the findings a maintainer would see.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import MakeProject
from tests.helpers import run_kdocs


def findings(root: Path, select: str = "D,I") -> list[tuple[str, str, int, str]]:
    """``(code, file, line, message)`` of ``kdocs check --select SELECT ROOT`` (JSON)."""
    run = run_kdocs(
        "check",
        ".",
        "--select",
        select,
        "--format",
        "json",
        "--no-cache",
        "--exit-zero",
        cwd=root,
    )
    assert run.exit_code == 0, run.stderr
    return [(d["code"], d["file"], d["line"], d["message"]) for d in run.json()["diagnostics"]]


def codes(root: Path, select: str = "D,I") -> list[tuple[str, str, int]]:
    return [(c, f, n) for c, f, n, _ in findings(root, select)]


def pyproject(deps: list[str], extra: str = "", name: str = "app") -> str:
    listed = ", ".join(json.dumps(d) for d in deps)
    return f'[project]\nname = "{name}"\nversion = "1"\ndependencies = [{listed}]\n{extra}'


# --- optional imports -----------------------------------------------------------------------


def test_imports_guarded_by_import_error_are_not_missing(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": pyproject(["click"]),
            "app/__init__.py": """
                import click
                try:
                    import ujson as json
                except ImportError:
                    import json
                try:
                    from rich.console import Console
                except (ModuleNotFoundError, OSError):
                    Console = None
                try:
                    import orjson
                except ValueError:
                    orjson = None
                try:
                    import tomllib
                except ImportError:
                    import tomli as tomllib
                import requests
            """,
        }
    )
    got = codes(root, "D101")
    # orjson's handler does not catch ImportError; the fallback import in a handler runs
    # (on older Pythons) and must be declared; requests is plainly missing.
    assert got == [
        ("D101", "app/__init__.py", 11),
        ("D101", "app/__init__.py", 17),
        ("D101", "app/__init__.py", 18),
    ]


def test_later_import_of_an_optional_module_is_optional(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": pyproject([]),
            "app/__init__.py": "",
            "app/md.py": """
                def read(path):
                    try:
                        import jupytext
                    except ImportError:
                        return None
                    from jupytext.config import load
                    return load(path)
            """,
            "app/other.py": "from jupytext.config import load\n",
        }
    )
    # Only the file that never guards the import gets the finding.
    assert codes(root, "D101") == [("D101", "app/other.py", 1)]


def test_optional_import_seen_by_inspect(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": pyproject([]),
            "app/__init__.py": "try:\n    import yaml\nexcept ImportError:\n    yaml = None\n",
        }
    )
    run = run_kdocs("inspect", "imports", str(root), "--format", "json")
    assert run.exit_code == 0, run.stderr
    (imp,) = run.json()["imports"]
    assert imp["imported"] == "yaml" and imp["optional"] is True and imp["conditional"] is True


TRICKY_TRIES = """
try:
    import a_opt
    if x:
        import b_opt_nested
    def f():
        import c_opt_in_function
except (OSError, ImportError) as err:
    import d_fallback
else:
    import e_else
try:
    import f_not_opt
except ValueError:
    pass
except Exception:
    pass
x = 1
try:
    import g_opt
except ValueError:
    pass
except builtins.ModuleNotFoundError:
    pass
finally:
    import h_finally
if y:
    try:
        import i_opt_inner
    except ImportError:
        try:
            import j_opt_inner_fallback
        except ValueError:
            pass
try:
    import k_multiline
except (
    ImportError,
):
    pass
"""


def test_scanner_and_walker_agree_on_optional_imports() -> None:
    import ast

    from kdocs.extract.imports.scan import scan
    from kdocs.extract.imports.walk import OPTIONAL_FLAG, tree_imports

    tree = tree_imports(ast.parse(TRICKY_TRIES))
    fast = scan(TRICKY_TRIES)
    assert fast is None  # ``except (`` over several lines: the scanner defers to the tree
    cut = TRICKY_TRIES.split("try:\n    import k_multiline")[0]
    fast = scan(cut)
    assert fast is not None and fast == tree_imports(ast.parse(cut))
    optional = {r[3] for r in tree if r[1] & OPTIONAL_FLAG}
    assert optional == {
        "a_opt",
        "b_opt_nested",
        "c_opt_in_function",
        "g_opt",
        "i_opt_inner",
        "k_multiline",
    }


# --- namespace packages shared with dependencies --------------------------------------------


def test_implicit_namespace_portion_from_a_dependency(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": pyproject(["jaraco.context", "jaraco-functools"], name="jaraco.text"),
            "jaraco/text/__init__.py": """
                import jaraco.context
                from jaraco.functools import compose
                from jaraco import classes
                from jaraco.text import layouts
                import jaraco.text.missing
            """,
            "jaraco/text/layouts.py": "",
        }
    )
    got = findings(root)
    # classes is a portion nobody declares (D101), text.missing a real missing module
    # (I012); the declared portions are neither missing modules nor unused dependencies.
    assert [(c, f, n) for c, f, n, _ in got] == [
        ("D101", "jaraco/text/__init__.py", 3),
        ("I012", "jaraco/text/__init__.py", 5),
    ]
    assert "`jaraco.classes`" in got[0][3]


def test_extend_path_namespace_portion_from_a_dependency(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": pyproject(["myns-other"], name="myns-core"),
            "myns/__init__.py": "__path__ = __import__('pkgutil').extend_path(__path__, __name__)\n",
            "myns/core/__init__.py": "from myns.other import x\nimport myns.core.gone\n",
        }
    )
    assert codes(root) == [("I012", "myns/core/__init__.py", 2)]
    run = run_kdocs("inspect", "imports", str(root), "--format", "json")
    kinds = {i["imported"]: i["kind"] for i in run.json()["imports"]}
    assert kinds["myns.other"] == "third-party"


def test_regular_package_is_not_a_namespace(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": pyproject([]),
            "app/__init__.py": "import app.other\nfrom app.sub import thing\n",
            "app/sub/__init__.py": "",
        }
    )
    assert codes(root) == [("I012", "app/__init__.py", 1)]


# --- I014 names the directory without __init__.py -------------------------------------------


def test_missing_init_names_the_directory_without_init(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": pyproject([]),
            "app/__init__.py": "from app.plugins.s3 import client\nfrom app.gen import tables\n",
            "app/plugins/s3/__init__.py": "",
            "app/plugins/s3/client.py": "",
            "app/gen/__init__.py": "",
            "app/gen/tables.py": "",
        }
    )
    (root / "pyproject.toml").write_text(
        pyproject([], "[tool.kdocs]\nextend-exclude = ['app/gen/__init__.py']\n"), encoding="utf-8"
    )
    got = findings(root, "I014")
    assert [(c, f) for c, f, _, _ in got] == [("I014", "app/plugins/s3/__init__.py")]
    assert "`app/plugins/` has no `__init__.py`" in got[0][3]


# --- the shipped import-name table -----------------------------------------------------------


def test_shipped_table_maps_import_names_to_distributions(make_project: MakeProject) -> None:
    files = {
        "app/__init__.py": """
            import ulid
            import rattler
            import yaml
            from PIL import Image
            import sklearn
        """,
    }
    declared = ["python-ulid", "py-rattler", "PyYAML", "Pillow", "scikit-learn"]
    root = make_project({"pyproject.toml": pyproject(declared), **files})
    assert codes(root, "D101,D102") == []
    (root / "pyproject.toml").write_text(pyproject([]), encoding="utf-8")
    messages = [m for _, _, _, m in findings(root, "D101")]
    assert len(messages) == 5
    for needle in ("`python-ulid`", "`py-rattler`", "`pyyaml`", "`pillow`", "`scikit-learn`"):
        assert any(needle in m and "shipped table" in m for m in messages), needle


def test_several_providers_let_the_declaration_decide(make_project: MakeProject) -> None:
    root = make_project(
        {"pyproject.toml": pyproject(["ulid-py"]), "app/__init__.py": "import ulid\n"}
    )
    assert codes(root, "D101,D102") == []


def test_alias_distribution_provides_what_it_requires(make_project: MakeProject) -> None:
    # typer-slim's wheel is only metadata requiring typer: declaring it declares typer.
    root = make_project(
        {"pyproject.toml": pyproject(["typer-slim"]), "app/__init__.py": "import typer\n"}
    )
    assert codes(root, "D101,D102") == []


def test_shipped_table_is_sorted_and_compact() -> None:
    from kdocs.extract.deps_index import DATA_FILE

    text = DATA_FILE.read_text(encoding="utf-8")
    modules = json.loads(text)["modules"]
    assert list(modules) == sorted(modules)
    assert len(modules) > 700
    assert text.count("\n") < len(modules) + 10  # one line per import name


# --- dev-ness: where the code is, and whole group names --------------------------------------


def test_runtime_testing_package_is_runtime_code(make_project: MakeProject) -> None:
    extra = '[project.optional-dependencies]\ntest = ["pytest"]\n'
    root = make_project(
        {
            "pyproject.toml": pyproject(["click"], extra),
            "app/__init__.py": "import click\n",
            "app/testing/__init__.py": "import pytest\n",  # a pytest plugin shipped to users
            "tests/test_app.py": "import pytest\n",
            "conftest.py": "import pytest\n",
        }
    )
    assert codes(root, "D") == [("D104", "app/testing/__init__.py", 1)]


def test_test_paths_setting_decides_what_is_dev_code(make_project: MakeProject) -> None:
    # `[tool.kdocs] test-paths` replaces the defaults for the D rules too: `qa/` is test code.
    extra = '[project.optional-dependencies]\ntest = ["pytest"]\n'
    config = '[tool.kdocs]\ntest-paths = ["qa/"]\n'
    root = make_project(
        {
            "pyproject.toml": pyproject(["click"], extra) + config,
            "app/__init__.py": "import click\n",
            "qa/check_app.py": "import pytest\n",
            "tests/test_app.py": "import pytest\n",
        }
    )
    assert codes(root, "D") == [("D104", "tests/test_app.py", 1)]


def test_extra_named_like_a_dev_word_is_runtime(make_project: MakeProject) -> None:
    extra = (
        "[project.optional-dependencies]\n"
        'annotated-types = ["annotated-types"]\n'
        'test-utils = ["freezegun"]\n'
        'types = ["types-requests"]\n'
    )
    root = make_project(
        {
            "pyproject.toml": pyproject([], extra),
            "app/__init__.py": "import annotated_types\nimport freezegun\n",
        }
    )
    # Both extras are runtime (whole names only): no D104, and nothing missing.
    assert codes(root, "D101,D104") == []
    run = run_kdocs("inspect", "deps", str(root), "--format", "json")
    roles = {d["name"]: d["role"] for d in run.json()["dependencies"]}
    assert roles == {"annotated-types": "runtime", "freezegun": "runtime", "types-requests": "dev"}


def test_build_hooks_are_build_time_code(make_project: MakeProject) -> None:
    extra = (
        '[build-system]\nrequires = ["hatchling", "jinja2"]\n'
        '[tool.hatch.build.hooks.custom]\npath = "hooks/gen_docs.py"\n'
    )
    root = make_project(
        {
            "pyproject.toml": pyproject(["click"], extra),
            "app/__init__.py": "import click\n",
            "hatch_build.py": "from hatchling.builders.hooks.plugin.interface import X\n",
            "hooks/gen_docs.py": "import jinja2\n",
            "noxfile.py": "import nox\n",
            "setup.py": "import setuptools\n",
            "app/build.py": "import jinja2\n",  # a runtime module that happens to be named so
        }
    )
    assert codes(root, "D101") == [("D101", "app/build.py", 1)]


# --- setup.cfg declarations ------------------------------------------------------------------


def test_setup_cfg_declares_dependencies(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\n',
            "setup.cfg": """
                [metadata]
                name = app

                [options]
                packages = find:
                install_requires =
                    click>=8
                    tomli; python_version < "3.11"
                    # a comment
                    PyYAML
                    requests

                [options.extras_require]
                test =
                    pytest
                rich = rich>=13
            """,
            "app/__init__.py": "import click\nimport tomli\nimport yaml\nimport rich\nimport attrs\n",
            "tests/test_app.py": "import pytest\n",
        }
    )
    assert codes(root, "D101,D102,D104") == [
        ("D101", "app/__init__.py", 5),
        ("D102", "setup.cfg", 11),
    ]
    run = run_kdocs("inspect", "deps", str(root), "--format", "json")
    roles = {d["name"]: (d["role"], d["line"]) for d in run.json()["dependencies"]}
    assert roles["pytest"] == ("dev", 15) and roles["rich"] == ("runtime", 16)


def test_unused_extras_are_opt_in(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": """
                [tool.poetry]
                name = "app"
                [tool.poetry.dependencies]
                python = "^3.10"
                pydantic = "^2"
                asyncpg = { version = ">=0.28", optional = true }
                [tool.poetry.extras]
                postgres = ["asyncpg"]
                [project.optional-dependencies]
                toolchain = ["black"]
            """,
            "app/__init__.py": "import click\n",
        }
    )
    assert codes(root, "D102") == [("D102", "pyproject.toml", 5)]
    with (root / "pyproject.toml").open("a") as handle:
        handle.write("[tool.kdocs.deps]\ncheck-extras = true\n")
    assert codes(root, "D102") == [
        ("D102", "pyproject.toml", 5),
        ("D102", "pyproject.toml", 6),
        ("D102", "pyproject.toml", 10),
    ]


def test_unknown_import_name_matched_to_the_unclaimed_declaration(
    make_project: MakeProject,
) -> None:
    # ormar-utils (outside the shipped table) provides ormar_rust_utils; requests-toolbelt
    # does not provide requests_oauthlib (its words are not all in the import's name).
    root = make_project(
        {
            "pyproject.toml": pyproject(["ormar-utils", "requests-toolbelt", "click"]),
            "app/__init__.py": "import ormar_rust_utils\nimport requests_oauthlib\nimport click\n",
        }
    )
    assert codes(root, "D101,D102") == [
        ("D101", "app/__init__.py", 2),
        ("D102", "pyproject.toml", 4),
    ]
