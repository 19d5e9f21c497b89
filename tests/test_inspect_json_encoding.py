"""``kdocs inspect --format json`` writes models with its own encoder (``dumps_model``), which
must print exactly what ``json.dumps(inspect_data(model), indent=2, ensure_ascii=False)``
printed before it, on real models and on every value shape a model can hold."""

from __future__ import annotations

import dataclasses
import enum
import json
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from kdocs import inspect_output
from kdocs.analysis import Analysis
from kdocs.inspect_output import dumps_model, render_into, render_model
from kdocs.models.schema import inspect_data
from kdocs.models.types import TypeExpr
from kdocs.project import discover
from tests.conftest import MakeProject

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "shipit"

TYPES_PROJECT = {
    "pyproject.toml": """
        [project]
        name = "shop"
        version = "0"
        """,
    "shop/__init__.py": "",
    "shop/api.py": '''
        """Wire types with awkward content."""
        from __future__ import annotations

        import enum
        from typing import Annotated, Literal, Optional

        from pydantic import BaseModel, Field


        class Colour(str, enum.Enum):
            RED = "réd"
            TAB = "a\\tb"


        class Item(BaseModel):
            """An item: ünïcode, "quotes", a back\\\\slash and a bell \\x07."""

            name: str = Field("x\\u2028y", description="The nàme")
            price: float = 1e999
            ratio: float = -0.0
            count: Annotated[int, Field(ge=1, le=10)] = 3
            tags: Optional[list[dict[str, "Item"]]] = None
            note: Optional[str] = None
            other_note: Optional[str] = None
            kind: Literal["a", 1, True, None] = "a"
            colour: Colour = Colour.RED
            nested: dict[str, list[int]] = {}
            #: a comment doc
            blank: tuple[()] = ()


        class Bigger(Item):
            more_note: Optional[str] = None
        ''',
}


def _reference(model: Any) -> str:
    return json.dumps(inspect_data(model), indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("kind", ["cli", "types", "imports", "deps"])
def test_real_models_print_as_json_dumps_did(kind: str, make_project: MakeProject) -> None:
    for root in (EXAMPLE, make_project(TYPES_PROJECT)):
        model = Analysis(discover([str(root)]), use_cache=False).model(kind)
        text = dumps_model(model)
        assert text == _reference(model)
        assert render_model(kind, model, "json") == text


class Mood(enum.Enum):
    HAPPY = "happy"
    NUMBER = 3


class Odd(enum.Enum):
    PAIR = (1, 2)


@dataclasses.dataclass(frozen=True)
class Leaf:
    text: str = 'é\x00\n"\\'
    flag: bool = False
    number: int = -7
    real: float = 2.5
    nothing: None = None


@dataclasses.dataclass(frozen=True)
class Empty:
    pass


@dataclasses.dataclass(frozen=True)
class Tree:
    renamed: str = dataclasses.field(default="r", metadata={"json_key": "json name"})
    leaves: tuple[Leaf, ...] = (Leaf(), Leaf(text="", flag=True))
    mapping: dict[str, Any] = dataclasses.field(
        default_factory=lambda: {"a": [1, [], {}], "b": {"c": None}, "": Empty()}
    )
    floats: tuple[float, ...] = (float("nan"), float("inf"), float("-inf"), 1e-300, 0.1)
    mood: Mood = Mood.HAPPY
    number_mood: Mood = Mood.NUMBER
    path: PurePosixPath = dataclasses.field(default_factory=lambda: PurePosixPath("a/b.py"))
    empty: Empty = Empty()
    nested: list[list[Any]] = dataclasses.field(default_factory=lambda: [[], [[Leaf()]]])


@dataclasses.dataclass(frozen=True)
class Nothing:
    pass


_STR = TypeExpr("name", "str")
_OPTIONAL = TypeExpr("union", args=(_STR, TypeExpr("name", "None")), constraints={"b": 1, "a": 2})


class Label(str):
    pass


@pytest.mark.parametrize(
    "model",
    [
        Tree(),
        Nothing(),
        Tree(mapping={}),
        Tree(renamed=Mood.HAPPY),  # type: ignore[arg-type]
        # One TypeExpr object at several depths (the encoder writes it once per depth).
        Tree(mapping={"a": _OPTIONAL, "b": [_OPTIONAL, {"c": _OPTIONAL, "d": _STR}], "e": _STR}),
    ],
)
def test_every_value_shape_prints_as_json_dumps_did(model: Any) -> None:
    assert dumps_model(model) == _reference(model)


@pytest.mark.parametrize(
    "model",
    [
        Tree(mapping={"s": frozenset({"b", "a"})}),
        Tree(mapping={1: "one", None: "none"}),  # type: ignore[dict-item]
        Tree(mapping={"odd": Odd.PAIR}),
        Tree(renamed=Label("sub")),
    ],
)
def test_shapes_left_to_json_dumps_print_as_before(model: Any) -> None:
    """A set, a non-string key, an enum with a tuple value, a str subclass: the encoder
    hands these back to ``json.dumps`` rather than guess."""
    assert render_model("types", model, "json") == _reference(model)


def test_colliding_json_keys_print_as_json_dumps_did() -> None:
    @dataclasses.dataclass(frozen=True)
    class Clash:
        a: int = 1
        b: int = dataclasses.field(default=2, metadata={"json_key": "a"})
        schema_version: int = 9

    assert render_model("types", Clash(), "json") == _reference(Clash())


def test_a_value_json_cannot_write_still_fails_like_json() -> None:
    with pytest.raises(TypeError):
        render_model("types", Tree(mapping={"x": object()}), "json")


class _Recorded:
    """A sink that keeps what it was given and counts its restarts."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.restarts = 0

    def write(self, piece: str) -> None:
        self.pieces.append(piece)

    def restart(self) -> None:
        self.pieces.clear()
        self.restarts += 1


@dataclasses.dataclass(frozen=True)
class Listing:
    items: tuple[Any, ...]


def test_pieces_join_to_the_whole_text(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``inspect types`` stores the JSON piece by piece while it renders: the pieces, cut
    between the items of the model's own lists, make up the whole text."""
    monkeypatch.setattr(inspect_output, "PIECE_PARTS", 5)
    models = [
        Analysis(discover([str(make_project(TYPES_PROJECT))]), use_cache=False).model("types"),
        Analysis(discover([str(EXAMPLE)]), use_cache=False).model("cli"),
        Listing(tuple([Tree(), _OPTIONAL, Leaf()] * 4)),
    ]
    for model in models:
        sink = _Recorded()
        render_into("types", model, "json", sink)
        assert len(sink.pieces) > 2 and sink.restarts == 0
        assert "".join(sink.pieces) == _reference(model)


def test_a_value_met_after_some_pieces_restarts_the_sink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A set deep in the last item: pieces were handed out already, so the sink starts over
    and gets ``json.dumps``' whole text."""
    monkeypatch.setattr(inspect_output, "PIECE_PARTS", 5)
    model = Listing((*[Leaf()] * 6, Tree(mapping={"s": frozenset({"b", "a"})})))
    sink = _Recorded()
    render_into("types", model, "json", sink)
    assert sink.restarts == 1
    assert "".join(sink.pieces) == _reference(model)
