"""The generic model decoder: every model kind survives JSON exactly, driven by type hints."""

from __future__ import annotations

import dataclasses
import enum
import json
from pathlib import Path
from typing import Any

import pytest

from kdocs.analysis import Analysis
from kdocs.models.cli import Argument, CliModel, Command, Option, SourceLocation, Unresolved
from kdocs.models.codec import DecodeError, decode, encode
from kdocs.models.deps import DepsModel
from kdocs.models.diagnostics import Diagnostic, Edit, Fix
from kdocs.models.imports import ImportGraph
from kdocs.models.serialize import to_data
from kdocs.models.types import TypesModel
from kdocs.project import discover
from tests.conftest import MakeProject
from tests.test_model_cache import FILES


def _round_trips(model: Any) -> None:
    cls = type(model)
    public = to_data(model)
    assert to_data(decode(cls, json.loads(json.dumps(public)))) == public
    exact = decode(cls, json.loads(json.dumps(encode(model))), exact=True)
    assert exact == model  # tuples stay tuples, even inside ``Any`` fields
    assert to_data(exact) == public


def test_every_model_kind_of_a_real_project_round_trips(make_project: MakeProject) -> None:
    root = make_project(
        {
            **FILES,
            "pyproject.toml": FILES["pyproject.toml"].replace(
                'convention = "kubernetes"',
                'convention = "kubernetes"\n        clis = ["app.tool:main"]',
            ),
            "app/tool.py": """
                import argparse


                def main():
                    parser = argparse.ArgumentParser(prog="tool", description="A tool.")
                    parser.add_argument("--level", choices=["a", "b"], default="a", help="Level.")
                    parser.add_argument("paths", nargs="*", help="Paths.")
                    parser.parse_args()
            """,
            "app/shapes.py": '''
                import dataclasses
                import enum
                from typing import TypedDict


                class Color(enum.Enum):
                    RED = "red"


                class Point(TypedDict):
                    x: int


                @dataclasses.dataclass
                class Box:
                    """A box."""

                    size: tuple[int, int] = (1, 2)
                    color: Color = Color.RED
            ''',
        }
    )
    analysis = Analysis(discover([root]), use_cache=False)
    models = {kind: analysis.model(kind) for kind in ("cli", "types", "imports", "deps")}
    assert isinstance(models["cli"], CliModel) and len(models["cli"].clis) >= 2
    assert isinstance(models["types"], TypesModel) and models["types"].types
    assert isinstance(models["imports"], ImportGraph) and models["imports"].files
    assert isinstance(models["deps"], DepsModel) and models["deps"].dependencies
    for model in models.values():
        _round_trips(model)


def test_hand_built_models_with_every_field_shape_round_trip() -> None:
    loc = SourceLocation("app/cli.py", 3, 5)
    option = Option(
        names=("--count", "-c"),
        default=(1, ("a", {"k": (2,)})),  # nested tuples inside an Any field
        flag_value={"__kdocs_tuple__": [1]},  # a dict that looks like the codec's own tag
        choices=("x",),
        deprecated="use --n",
        show_default=True,
        nargs="+",
        source=loc,
    )
    leaf = Command(name="leaf", path=("app", "leaf"), options=(option,), deprecated=True)
    root = Command(
        name="app",
        path=("app",),
        subcommands=(leaf,),
        arguments=(Argument(name="NAME", nargs=2, default=[1, 2]),),
        unresolved=(Unresolved("odd", "app/cli.py", 9),),
    )
    _round_trips(CliModel(clis=(root,)))
    _round_trips(
        Diagnostic(
            "C101",
            "bad",
            "app/cli.py",
            end_line=2,
            fix=Fix("rename", (Edit(1, 1, 1, 3, "x"),)),
            notes=("a",),
        )
    )
    _round_trips(ImportGraph(modules=("a",), files={"a": "a.py"}))


class Kind(enum.Enum):
    A = "a"


@dataclasses.dataclass(frozen=True)
class Leaf:
    path: Path | None = None
    kind: Kind = Kind.A
    weights: dict[str, float] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Tree:
    leaves: tuple[Leaf, ...] = ()
    pair: tuple[str, int] = ("a", 1)
    names: list[str] = dataclasses.field(default_factory=list)


def test_fields_added_later_are_decoded_without_codec_changes() -> None:
    """A model class the codec never heard of: enums, paths, dicts, fixed tuples, lists."""
    model = Tree((Leaf(Path("a/b"), Kind.A, {"x": 1.5}),), ("b", 2), ["n"])
    assert decode(Tree, json.loads(json.dumps(encode(model))), exact=True) == model


@pytest.mark.parametrize(
    "data",
    [
        {"clis": "nope"},
        {"clis": [{"name": 3, "path": []}]},
        {"clis": [{"name": "a", "path": ["a"], "options": [{"names": [1]}]}]},
        {"clis": [{"path": ["a"]}]},  # a required field missing
        [],
        None,
    ],
)
def test_data_of_the_wrong_shape_is_a_decode_error(data: Any) -> None:
    with pytest.raises(DecodeError):
        decode(CliModel, data, exact=True)


def test_encode_reads_each_class_once_and_matches_the_public_form() -> None:
    """``encode`` caches each dataclass's fields: the same object encodes the same way twice,
    a renamed key (``json_key``) and a class that is not a dataclass keep their forms."""

    @dataclasses.dataclass(frozen=True)
    class Renamed:
        plain: str
        renamed: int = dataclasses.field(default=0, metadata={"json_key": "renamed-key"})
        loose: Any = None

    value = (Renamed("a", 1, ("x", {"k": ("y",)})), Renamed("b"))
    first = encode(value)
    assert first == encode(value)
    assert first == [
        {
            "plain": "a",
            "renamed-key": 1,
            "loose": {
                "__kdocs_tuple__": ["x", {"__kdocs_dict__": {"k": {"__kdocs_tuple__": ["y"]}}}]
            },
        },
        {"plain": "b", "renamed-key": 0, "loose": None},
    ]
    assert encode(Renamed) is Renamed  # a class, not an instance: left as it is
    assert encode([True, 1.5, None, Kind.A]) == [True, 1.5, None, Kind.A.value]
