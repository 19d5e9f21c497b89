"""Which classes are API types: the serialised ones and what their fields reach.

Each test builds a small real project and reads ``kdocs inspect types`` (the public JSON) or
runs ``kdocs check``, as a user would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kdocs.scope import is_out_of_scope
from tests.conftest import MakeProject
from tests.helpers import run_kdocs

MODELS = '''
import dataclasses
import enum
from typing import NamedTuple, TypedDict

from pydantic import BaseModel

from app.shapes import Point


class Color(str, enum.Enum):
    """A color."""

    RED = "red"


class Unused(enum.Enum):
    """An enum no API type uses."""

    A = 1


@dataclasses.dataclass
class Size:
    """A size, used by Box."""

    width: int


@dataclasses.dataclass
class Helper:
    """Internal bookkeeping, never serialised."""

    count: int


class Pair(NamedTuple):
    left: int
    right: int


class Box(BaseModel):
    """A box."""

    color: Color
    size: "Size | None" = None
    corner: Point
    pairs: list[Pair] = []
    inner: "Box.Lid | None" = None

    class Lid(BaseModel):
        """The lid."""

        open: bool = False


class Event(TypedDict):
    name: str


class _Private(BaseModel):
    x: int
'''

SHAPES = '''
import dataclasses


@dataclasses.dataclass
class Point:
    """A point, used by Box through an import."""

    x: int
    y: int


@dataclasses.dataclass
class Lonely:
    y: int
'''


def inspect_types(root: Path) -> dict[str, str | None]:
    run = run_kdocs("inspect", "types", str(root), "--format", "json")
    assert run.exit_code == 0, run.stderr
    return {f"{t['module']}.{t['name']}": t.get("api_reason") for t in run.json()["types"]}


def project(make_project: MakeProject, config: str = "") -> Path:
    return make_project(
        {
            "pyproject.toml": f"[project]\nname = 'app'\n{config}",
            "app/__init__.py": "",
            "app/models.py": MODELS,
            "app/shapes.py": SHAPES,
            "tests/test_models.py": "from pydantic import BaseModel\n\n\n"
            "class Fixture(BaseModel):\n    x: int\n",
            "tests/conftest.py": "from typing import TypedDict\n\n\n"
            "class Row(TypedDict):\n    a: int\n",
        }
    )


def test_serialised_types_and_what_they_reach_are_the_api(make_project: MakeProject) -> None:
    types = inspect_types(project(make_project))
    assert set(types) == {
        "app.models.Box",
        "app.models.Box.Lid",
        "app.models.Event",
        "app.models.Color",
        "app.models.Size",
        "app.models.Pair",
        "app.shapes.Point",
    }
    assert types["app.models.Box"] == "pydantic type"
    assert types["app.models.Event"] == "typeddict type"
    assert types["app.models.Color"] == "used by `app.models.Box.color`"
    assert types["app.shapes.Point"] == "used by `app.models.Box.corner`"


def test_unreachable_private_and_test_classes_are_not_checked(make_project: MakeProject) -> None:
    root = project(make_project)
    run = run_kdocs("check", str(root), "--select", "F103,F104", "--format", "json")
    subjects = {d["file"] for d in run.json()["diagnostics"]}
    assert "tests/test_models.py" not in subjects and "tests/conftest.py" not in subjects
    messages = " ".join(d["message"] for d in run.json()["diagnostics"])
    for name in ("Helper", "Unused", "Lonely", "_Private", "Fixture", "Row"):
        assert f"`{name}" not in messages
    assert "`Pair` has no docstring" in messages  # reachable, so checked


def test_test_paths_setting_decides_what_test_code_is(make_project: MakeProject) -> None:
    # `test-paths` replaces the defaults: with only `app/shapes.py` as test code, the test
    # folder's models are API types and `Point`, defined in the "test" file, is not.
    config = "[tool.kdocs]\ntest-paths = ['app/shapes.py']\n"
    types = inspect_types(project(make_project, config))
    assert "tests.test_models.Fixture" in types and "tests.conftest.Row" in types
    assert "app.shapes.Point" not in types


def test_scope_all_lists_every_recognised_type(make_project: MakeProject) -> None:
    types = inspect_types(project(make_project, "[tool.kdocs.types]\nscope = 'all'\n"))
    assert {"app.models.Helper", "app.models.Unused", "app.shapes.Lonely"} <= set(types)
    assert types["app.models.Helper"] == "scope = all"


def test_configured_base_classes_are_roots_and_reach_further(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": "[tool.kdocs.types]\nbase-classes = ['Resource']\n",
            "m.py": """
                import dataclasses
                from pydantic import BaseModel

                @dataclasses.dataclass
                class Spec:
                    replicas: int

                class Resource:
                    pass

                @dataclasses.dataclass
                class Pod(Resource):
                    spec: Spec

                class Other(BaseModel):
                    x: int
            """,
        }
    )
    types = inspect_types(root)
    assert types == {"m.Pod": "derives from `Resource`", "m.Spec": "used by `m.Pod.spec`"}


def test_a_same_named_class_elsewhere_is_not_reached(make_project: MakeProject) -> None:
    """``Responses`` in the annotation is this module's type alias, not another module's
    attrs class of the same name (found on openapi-python-client)."""
    root = make_project(
        {
            "pyproject.toml": "",
            "pkg/__init__.py": "",
            "pkg/schema.py": """
                from pydantic import BaseModel

                Responses = dict[str, str]

                class Operation(BaseModel):
                    responses: Responses
            """,
            "pkg/parser.py": """
                import attrs

                @attrs.define
                class Responses:
                    ok: int
            """,
        }
    )
    assert set(inspect_types(root)) == {"pkg.schema.Operation"}


def test_scope_setting_is_validated(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "[tool.kdocs.types]\nscope = 'everything'\n"})
    run = run_kdocs("inspect", "types", str(root))
    assert run.exit_code == 2
    assert "tool.kdocs.types.scope" in run.stderr and "'api', 'all'" in run.stderr


@pytest.mark.parametrize(
    ("relpath", "out"),
    [
        ("tests/test_api.py", True),
        ("src/pkg/tests/helpers.py", True),
        ("conftest.py", True),
        ("pkg/test_models.py", True),
        ("docs/conf.py", True),
        ("examples/app/models.py", True),
        ("pkg/fixtures/data.py", True),
        ("{{cookiecutter.name}}/models.py", True),
        ("pkg/testing/models.py", False),
        ("pkg/models.py", False),
        ("pkg/latest.py", False),
    ],
)
def test_out_of_scope_paths(relpath: str, out: bool) -> None:
    assert is_out_of_scope(relpath) is out
