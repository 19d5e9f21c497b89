"""The structured type expression (``Field.type_expr``): names resolved across modules,
generics, unions, literals and ``Annotated`` constraints, on small real projects."""

from __future__ import annotations

from pathlib import Path

from kdocs.analysis import Analysis
from kdocs.models.types import Field, TypeExpr, TypesModel
from kdocs.project import discover
from tests.conftest import MakeProject
from tests.helpers import run_kdocs

PYPROJECT = "[project]\nname = 'p'\nversion = '1'\n[tool.kdocs.types]\nscope = 'all'\n"


def _model(root: Path, cache: bool = False) -> TypesModel:
    model: TypesModel = Analysis(discover([root]), use_cache=cache).model("types")
    return model


def _field(model: TypesModel, type_name: str, field: str) -> Field:
    for t in model.types:
        if t.name == type_name:
            for f in t.fields:
                if f.name == field:
                    return f
    raise AssertionError(f"{type_name}.{field} not found")


def _expr(model: TypesModel, type_name: str, field: str) -> TypeExpr:
    expr = _field(model, type_name, field).type_expr
    assert expr is not None
    return expr


def _shown(model: TypesModel, type_name: str) -> dict[str, str]:
    (typedef,) = [t for t in model.types if t.name == type_name]
    return {f.name: _show(f.type_expr) for f in typedef.fields if f.type_expr}


def _show(expr: TypeExpr) -> str:
    """A compact rendering of the tree, so one assert states the whole shape."""
    if expr.kind == "union":
        return "U(" + ", ".join(_show(a) for a in expr.args) + ")"
    if expr.kind == "literal":
        return f"L{list(expr.values)}"
    if expr.kind == "unknown":
        return f"?{expr.text}"
    out = expr.ref or expr.name or "?"
    if not expr.resolved:
        out = f"!{out}"
    if expr.args:
        out += "[" + ", ".join(_show(a) for a in expr.args) + "]"
    if expr.constraints:
        out += str(dict(sorted(expr.constraints.items())))
    return out


def test_names_resolve_across_modules_and_typing_spellings(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "pkg/__init__.py": "from pkg.base import Base as Base\n",
            "pkg/base.py": """
                from pydantic import BaseModel
                class Base(BaseModel):
                    x: int
            """,
            "pkg/api.py": """
                from __future__ import annotations
                import datetime as dt
                import typing as t
                from collections.abc import Sequence
                from typing import Dict, List, Optional, Union, Literal
                from pydantic import BaseModel, EmailStr
                from pkg import Base
                from uninstalled_pkg import Thing

                UserId = int

                class Pod(BaseModel):
                    a: Optional[List["Pod"]] = None
                    b: Dict[str, Union[int, str]]
                    c: Sequence[Base]
                    d: dt.datetime | None
                    e: Literal["x", 1, None]
                    f: t.Tuple[int, ...]
                    g: EmailStr
                    h: Thing
                    i: UserId
                    j: "Base"
            """,
        }
    )
    model = _model(root)
    assert _shown(model, "Pod") == {
        "a": "U(list[pkg.api:Pod], None)",
        "b": "dict[str, U(int, str)]",
        "c": "typing.Sequence[pkg.base:Base]",
        "d": "U(datetime.datetime, None)",
        "e": "L['x', 1, None]",
        "f": "tuple[int, ...]",
        "g": "pydantic.EmailStr",
        "h": "!uninstalled_pkg.Thing",
        "i": "int",
        "j": "pkg.base:Base",
    }
    # The rendered string stays for display.
    assert _field(model, "Pod", "a").type == "list[Pod] | None"


def test_annotated_and_constrained_types_carry_constraints(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "m.py": """
                from typing import Annotated
                import annotated_types as at
                from pydantic import BaseModel, Field, conint, constr, conlist, StringConstraints

                class M(BaseModel):
                    a: Annotated[int, Field(ge=1, le=10)]
                    b: conint(gt=0, multiple_of=5)
                    c: constr(min_length=2, pattern=r"^[a-z]+$")
                    d: conlist(str, max_length=3)
                    e: Annotated[str, StringConstraints(max_length=4), at.MinLen(1)]
                    f: Annotated[float, at.Gt(0.5), at.Le(2)] = 1.0
                    g: list[Annotated[int, at.Ge(0)]]
                    h: int = Field(7, ge=0, title="Aitch", examples=[1, 2])
            """,
        }
    )
    model = _model(root)
    assert _shown(model, "M") == {
        "a": "int{'ge': 1, 'le': 10}",
        "b": "int{'gt': 0, 'multiple_of': 5}",
        "c": "str{'min_length': 2, 'pattern': '^[a-z]+$'}",
        "d": "list[str]{'max_length': 3}",
        "e": "str{'max_length': 4, 'min_length': 1}",
        "f": "float{'gt': 0.5, 'le': 2}",
        "g": "list[int{'ge': 0}]",
        "h": "int",
    }
    h = _field(model, "M", "h")
    assert h.constraints == {"examples": [1, 2], "ge": 0, "title": "Aitch"}
    assert (h.default, h.default_literal) == (7, True)


def test_star_imports_generics_and_unknown_names(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "pkg/__init__.py": "",
            "pkg/shapes.py": """
                from dataclasses import dataclass
                @dataclass
                class Circle:
                    r: float
            """,
            "pkg/use.py": """
                from typing import Generic, TypeVar
                from pkg.shapes import *
                from pydantic import BaseModel
                T = TypeVar("T")

                class Page(BaseModel, Generic[T]):
                    items: list[T]
                    first: Circle
                    weird: make_type()
            """,
        }
    )
    model = _model(root)
    assert _shown(model, "Page") == {
        "items": "list[!pkg.use.T]",
        "first": "pkg.shapes:Circle",
        "weird": "?make_type()",
    }


def test_type_expr_survives_the_model_cache_and_reaches_inspect_json(
    make_project: MakeProject,
) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "m.py": """
                from typing import Annotated, Optional
                from pydantic import BaseModel, Field
                class A(BaseModel):
                    x: Optional[Annotated[int, Field(gt=1)]] = None
                    y: "list[A]" = []
            """,
        }
    )
    cold = _model(root, cache=True)
    warm = _model(root, cache=True)
    assert cold == warm
    assert _show(_expr(warm, "A", "x")) == "U(int{'gt': 1}, None)"
    result = run_kdocs("inspect", "types", str(root))
    assert result.exit_code == 0, result.stderr
    fields = result.json()["types"][0]["fields"]
    assert fields[0]["type"] == "int | None"
    assert fields[0]["type_expr"]["kind"] == "union"
    assert fields[0]["type_expr"]["args"][0]["constraints"] == {"gt": 1}
    assert fields[1]["type_expr"]["args"][0]["ref"] == "m:A"


def test_empty_and_false_defaults_are_kept(make_project: MakeProject) -> None:
    """Regression: the per-file facts dropped ``= []``, ``= {}`` and ``= False`` as empty,
    so the model said the default was null (and the schema said ``"default": null``)."""
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "m.py": """
                from pydantic import BaseModel
                class A(BaseModel):
                    tags: list[str] = []
                    extra: dict[str, int] = {}
                    flag: bool = False
                    zero: int = 0
                    nothing: int | None = None
            """,
        }
    )
    fields = {f.name: (f.default, f.default_literal) for f in _model(root).types[0].fields}
    assert fields == {
        "tags": ([], True),
        "extra": ({}, True),
        "flag": (False, True),
        "zero": (0, True),
        "nothing": (None, True),
    }


def test_type_aliases_are_expanded_where_used(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "pkg/__init__.py": "",
            "pkg/aliases.py": """
                from typing import Annotated, Dict, TypeAlias, Union
                from pydantic import Field
                from pkg.item import Item

                Items = Dict[str, Item]
                PositiveId = Annotated[int, Field(gt=0)]
                Json: TypeAlias = Union[dict[str, "Json"], list["Json"], str, None]
            """,
            "pkg/item.py": """
                from pydantic import BaseModel
                class Item(BaseModel):
                    x: int
            """,
            "pkg/use.py": """
                from pydantic import BaseModel
                from pkg.aliases import Items, PositiveId, Json
                from pkg import aliases

                class Use(BaseModel):
                    items: Items
                    ident: PositiveId
                    other: aliases.PositiveId | None = None
                    data: Json = None
            """,
        }
    )
    shown = _shown(_model(root), "Use")
    assert shown["items"] == "dict[str, pkg.item:Item]"
    assert shown["ident"] == "int{'gt': 0}"
    assert shown["other"] == "U(int{'gt': 0}, None)"
    # A recursive alias is expanded once and then marked, never unrolled forever.
    assert shown["data"].startswith("U(dict[str, ?")
    assert "recursive type alias" in shown["data"]


def test_an_alias_of_a_union_inside_a_union_is_flattened(make_project: MakeProject) -> None:
    """Regression (fastapi's ``Optional[SchemaOrBool]``): pydantic flattens the union."""
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "m.py": """
                from typing import Optional, Union
                from pydantic import BaseModel
                IntOrStr = Union[int, str]
                class M(BaseModel):
                    x: Optional[IntOrStr] = None
            """,
        }
    )
    assert _shown(_model(root), "M") == {"x": "U(int, str, None)"}


def test_generic_aliases_substitute_their_arguments(make_project: MakeProject) -> None:
    """Speakeasy-style SDKs (mistralai) use ``OptionalNullable[datetime]`` everywhere: a
    ``TypeAliasType`` with ``type_params``, or an alias over module-level TypeVars."""
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "m.py": """
                from typing import List, Optional, TypeVar, Union
                from typing_extensions import TypeAliasType
                from pydantic import BaseModel
                T = TypeVar("T")

                class Unset(BaseModel):
                    pass

                Nullable = TypeAliasType("Nullable", Union[T, None], type_params=(T,))
                OptionalNullable = TypeAliasType(
                    "OptionalNullable", Union[Optional[Nullable[T]], Unset], type_params=(T,)
                )
                Pair = Union[List[T], T]

                class M(BaseModel):
                    a: OptionalNullable[int] = None
                    b: Pair[str]
                    c: Nullable = None
            """,
        }
    )
    shown = _shown(_model(root), "M")
    assert shown["a"] == "U(int, None, None, m:Unset)"
    assert shown["b"] == "U(list[str], str)"
    assert shown["c"] == "U(!m.T, None)"  # no argument: the parameter stays open


def test_literal_of_enum_members_uses_their_values(make_project: MakeProject) -> None:
    """Regression (mistralai ``Literal[EncryptableFieldTypes.STRING]``): pydantic writes the
    member's value as the ``const``."""
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "pkg/__init__.py": "",
            "pkg/kinds.py": """
                import enum
                class Kind(str, enum.Enum):
                    A = "__a__"
                    B = enum.auto()
            """,
            "pkg/m.py": """
                from typing import Literal
                from pydantic import BaseModel
                from pkg import kinds
                from pkg.kinds import Kind

                class M(BaseModel):
                    a: Literal[Kind.A] = Kind.A
                    both: Literal[kinds.Kind.A, "x"]
                    auto: Literal[Kind.B]
            """,
        }
    )
    shown = _shown(_model(root), "M")
    assert shown["a"] == "L['__a__']"
    assert shown["both"] == "L['__a__', 'x']"
    assert shown["auto"].startswith("?Literal[pkg.kinds.Kind.B]")
