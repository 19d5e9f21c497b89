"""Static extraction of API types (``kdocs inspect types``) against real inputs.

Expected values come from the runtime: the fixture project under tests/fixtures/types/shop
is imported here (only for the comparison) and pydantic's own ``model_json_schema`` /
``model_fields``, ``attrs.fields`` and ``dataclasses.fields`` are the oracle.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kdocs.analysis import Analysis
from kdocs.config import parse_config
from kdocs.errors import ConfigError
from kdocs.extract.deps_env import allow_exec_python
from kdocs.extract.types import aliases
from kdocs.models.serialize import to_data
from kdocs.models.types import TypeDef, TypesModel
from kdocs.project import Project, discover
from tests.conftest import MakeProject
from tests.realenv import real_venv

SHOP = Path(__file__).parent / "fixtures" / "types" / "shop"
# Extraction tests look at every type kdocs recognises, not only the serialised API.
ALL_TYPES = "[tool.kdocs.types]\nscope = 'all'\n"


def model_of(path: Path, *, cache: bool = False) -> TypesModel:
    model: TypesModel = Analysis(discover([path]), use_cache=cache).model("types")
    return model


def by_name(model: TypesModel) -> dict[str, TypeDef]:
    return {t.name: t for t in model.types}


def fields(typedef: TypeDef) -> dict[str, Any]:
    return {f.name: f for f in typedef.fields}


@pytest.fixture(scope="module")
def shop() -> TypesModel:
    return model_of(SHOP)


@pytest.fixture(scope="module")
def shop_runtime() -> Iterator[Any]:
    """The fixture's models imported for real: the oracle, not the thing tested."""
    paths = [str(SHOP / "src"), str(SHOP / "vendor")]
    sys.path[:0] = paths
    try:
        import shop.models as runtime  # type: ignore[import-not-found]

        yield runtime
    finally:
        for p in paths:
            sys.path.remove(p)
        for name in [m for m in sys.modules if m == "shop" or m.startswith(("shop.", "extlib"))]:
            del sys.modules[name]


# -- pydantic against the runtime -----------------------------------------------------------


@pytest.mark.parametrize("name", ["Item", "Page", "Settings"])
def test_pydantic_matches_model_json_schema(shop: TypesModel, shop_runtime: Any, name: str) -> None:
    cls = getattr(shop_runtime, name)
    schema = cls.model_json_schema(by_alias=True, mode="serialization")
    if "$ref" in schema:
        schema = schema["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    static = by_name(shop)[name]
    assert [f.serialized_name for f in static.fields] == list(schema["properties"])
    required = {f.serialized_name for f in static.fields if f.required and not f.computed}
    runtime_required = {
        (f.serialization_alias or f.alias or n)
        for n, f in cls.model_fields.items()
        if f.is_required()
    }
    assert required == runtime_required
    for field_name, info in cls.model_fields.items():
        assert fields(static)[field_name].description == info.description


def test_attrs_and_dataclass_match_runtime(shop: TypesModel, shop_runtime: Any) -> None:
    import attrs

    types = by_name(shop)
    for cls_name in ("Money", "LegacyMoney"):
        runtime = [
            (a.name, a.alias, a.default is attrs.NOTHING)
            for a in attrs.fields(getattr(shop_runtime, cls_name))
        ]
        static = [(f.name, f.serialized_name, f.required) for f in types[cls_name].fields]
        assert static == runtime
    runtime_dc = [
        (f.name, f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
        for f in dataclasses.fields(shop_runtime.Address)
    ]
    assert [(f.name, f.required) for f in types["Address"].fields] == runtime_dc
    point = types["Point"]
    assert [f.name for f in point.fields] == list(shop_runtime.Point._fields)
    assert [f.name for f in point.fields if not f.required] == list(
        shop_runtime.Point._field_defaults
    )


def test_inherited_fields_and_alias_generator_from_an_installed_base(shop: TypesModel) -> None:
    item = by_name(shop)["Item"]
    assert item.bases == ("shop.common.Resource",)
    got = {f.name: (f.serialized_name, f.origin) for f in item.fields}
    # The generator (to_camel) is set on extlib's base, found through `search-paths`.
    assert got["resource_version"] == ("resourceVersion", "extlib.base.CamelModel")
    assert got["display_name"] == ("displayName", "shop.common.Resource")
    assert got["tags"][0] == "labels"  # an explicit alias beats the generator
    assert got["note"][0] == "remark"  # serialization_alias inside Annotated[..., Field()]
    assert "kind" not in got and "_cache" not in got  # ClassVar and private attributes
    total = fields(item)["total_value"]
    assert total.computed and total.serialized_name == "totalValue" and total.type == "int"


def test_doc_sources_in_priority_order(shop: TypesModel) -> None:
    item = fields(by_name(shop)["Item"])
    assert (item["display_name"].doc, item["display_name"].doc_source) == (
        "The name shown to users.",
        "attribute-docstring",
    )
    assert (item["stock_count"].doc, item["stock_count"].doc_source) == (
        "How many are left.",
        "comment",
    )
    assert (item["sku_id"].doc, item["sku_id"].doc_source) == ("Stock keeping unit.", "description")
    assert (item["unit_price"].doc, item["unit_price"].doc_source) == (
        "Price of one unit, in cents.",
        "class-docstring",
    )
    assert item["tags"].doc is None


def test_types_are_readable_strings(shop: TypesModel) -> None:
    item = fields(by_name(shop)["Item"])
    assert item["parent"].type == "Item | None"  # Optional["Item"] via __future__ annotations
    assert item["note"].type == "str | None"
    assert item["tags"].type == "list[str]" and item["tags"].container == "list"
    assert item["parent"].nullable and not item["tags"].nullable


def test_typeddict_namedtuple_msgspec_enum(shop: TypesModel) -> None:
    types = by_name(shop)
    order = fields(types["OrderDict"])
    # Required[] / NotRequired[] as type checkers and pydantic read them (Python 3.11's typing
    # ignores them under `from __future__ import annotations`).
    assert {n: f.required for n, f in order.items()} == {
        "order_id": True,
        "comment": False,
        "gift": False,
    }
    event = types["Event"]
    assert event.kind == "msgspec"
    assert [(f.serialized_name, f.required) for f in event.fields] == [
        ("eventType", True),
        ("retryCount", False),
        ("src", False),
    ]
    status = types["Status"]
    assert [(f.name, f.serialized_name, f.default, f.doc) for f in status.fields] == [
        ("PENDING", "pending", "pending", "Not paid yet."),
        ("SHIPPED", "shipped", "shipped", "Paid and shipped."),
    ]


def test_create_model_is_reported_unresolved(shop: TypesModel) -> None:
    text = (SHOP / "src/shop/models.py").read_text().splitlines()
    line = next(i for i, t in enumerate(text, 1) if t.startswith("Dynamic = create_model("))
    assert [(u.file, u.line) for u in shop.unresolved] == [("src/shop/models.py", line)]
    assert "create_model" in shop.unresolved[0].message
    assert "Dynamic" not in by_name(shop)


def test_json_contract_keys(shop: TypesModel) -> None:
    data = json.loads(json.dumps(to_data(shop)))
    typedef = data["types"][0]
    assert {"module", "name", "kind", "doc", "source", "fields"} <= set(typedef)
    assert {"name", "serialized_name", "type", "required", "default", "doc"} <= set(
        typedef["fields"][0]
    )


def test_warm_cache_gives_the_same_model(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": "[project]\nname='p'\n",
            "p/__init__.py": "",
            "p/m.py": """
                from pydantic import BaseModel, Field

                class A(BaseModel):
                    x_y: int = Field(1, alias="xY")
            """,
        }
    )
    cold = to_data(model_of(root, cache=True))
    warm = to_data(model_of(root, cache=True))
    assert cold == warm and cold["types"][0]["fields"][0]["serialized_name"] == "xY"


# -- alias generators ------------------------------------------------------------------------

NAMES = [
    "pod_ip",
    "api_version",
    "http_get",
    "x",
    "_private_thing",
    "__dunder__",
    "already_camelCase",
    "camelCase",
    "PascalCase",
    "with_2_digits",
    "v2_beta",
    "ipv4_address",
    "kebab-case",
    "HTTPResponse",
    "a_b_c",
    "",
]


@pytest.mark.parametrize("name", NAMES)
def test_aliases_equal_pydantic(name: str) -> None:
    from pydantic import alias_generators as real

    assert aliases.to_camel(name) == real.to_camel(name)
    assert aliases.to_pascal(name) == real.to_pascal(name)
    assert aliases.to_snake(name) == real.to_snake(name)


# -- bases outside the project ---------------------------------------------------------------


def test_base_in_project_venv(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": "[project]\nname='app'\n[tool.kdocs]\nsrc=['app']\n",
            "app/__init__.py": "",
            "app/api.py": """
                from corelib.models import ApiModel

                class Pod(ApiModel):
                    node_name: str
            """,
            ".venv/lib/python3.11/site-packages/corelib/__init__.py": "",
            ".venv/lib/python3.11/site-packages/corelib/models.py": """
                import pydantic
                from pydantic.alias_generators import to_pascal

                class ApiModel(pydantic.BaseModel):
                    model_config = pydantic.ConfigDict(alias_generator=to_pascal)
            """,
        }
    )
    pod = by_name(model_of(root))["Pod"]
    assert pod.kind == "pydantic" and fields(pod)["node_name"].serialized_name == "NodeName"


def test_base_via_python_setting_runs_it_only_when_allowed(
    make_project: MakeProject, tmp_path: Path
) -> None:
    site = tmp_path / "other-site"
    (site / "libbase").mkdir(parents=True)
    (site / "libbase" / "__init__.py").write_text(
        "from pydantic import BaseModel, ConfigDict\n"
        "from pydantic.alias_generators import to_camel\n"
        "class Base(BaseModel):\n"
        "    model_config = ConfigDict(alias_generator=to_camel)\n"
    )
    python = tmp_path / "fake-python"
    # Stands in for an interpreter: prints the sys.path kdocs asks for.
    python.write_text(f"#!/bin/sh\necho '{json.dumps([str(site)])}'\n")
    python.chmod(0o755)
    root = make_project(
        {
            "pyproject.toml": f"[project]\nname='app'\n[tool.kdocs.types]\npython='{python}'\n",
            "app/__init__.py": "",
            "app/api.py": "from libbase import Base\nclass Pod(Base):\n    pod_ip: str\n",
        }
    )
    # Repository config alone never runs the interpreter (issue 10): the base is not found.
    assert "Pod" not in by_name(model_of(root))
    # The user allows it on the command line (--allow-exec-python): it is asked.
    allow_exec_python(True)
    try:
        pod = by_name(model_of(root))["Pod"]
    finally:
        allow_exec_python(False)
    assert fields(pod)["pod_ip"].serialized_name == "podIp"


def test_project_inside_site_packages(tmp_path: Path) -> None:
    site = tmp_path / "lib" / "python3.11" / "site-packages"
    (site / "pkg").mkdir(parents=True)
    (site / "base").mkdir()
    (site / "pkg" / "__init__.py").write_text(
        "from base import Model\nclass A(Model):\n    a_b: int\n"
    )
    (site / "base" / "__init__.py").write_text(
        "from pydantic import BaseModel, Field\nclass Model(BaseModel):\n    c_d: int = Field(alias='CD')\n"
    )
    model = model_of(site / "pkg")
    a = by_name(model)["A"]
    assert [(f.name, f.serialized_name) for f in a.fields] == [("c_d", "CD"), ("a_b", "a_b")]


def test_unfound_base_is_guessed_with_a_note(make_project: MakeProject) -> None:
    root = make_project(
        {
            "p.py": """
                from somewhere_not_installed import BaseModel, Thing

                class A(BaseModel):
                    x: int

                class B(Thing):
                    y: int
            """
        }
    )
    types = by_name(model_of(root / "p.py"))
    assert types["A"].kind == "pydantic"
    assert "somewhere_not_installed.BaseModel" in types["A"].unresolved[0].message
    assert "B" not in types  # nothing says it is a type


def test_known_bases_setting(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": "[project]\nname='p'\n[tool.kdocs.types]\n"
            "known-bases = {'vendored.Model' = 'pydantic'}\n",
            "p/__init__.py": "from vendored import Model\nclass A(Model):\n    x: int = 1\n",
        }
    )
    a = by_name(model_of(root))["A"]
    assert a.kind == "pydantic" and not a.unresolved and not fields(a)["x"].required


# -- selection ------------------------------------------------------------------------------

SELECT_FILES = {
    "p/__init__.py": "",
    "p/api/__init__.py": "",
    "p/api/v1.py": """
        from pydantic import BaseModel
        from p.markers import api

        class Public(BaseModel):
            a: int

        @api
        class Marked(BaseModel):
            b: int
    """,
    "p/internal.py": """
        from p.api.v1 import Public

        class Derived(Public):
            c: int
    """,
    "p/markers.py": "def api(cls):\n    return cls\n",
}


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("", {"Public", "Marked", "Derived"}),
        ("modules = ['p.api.*']", {"Public", "Marked"}),
        ("exclude-modules = ['p.internal']", {"Public", "Marked"}),
        ("base-classes = ['p.api.v1.Public']", {"Derived"}),
        ("decorator = 'api'", {"Marked"}),
        ("kinds = ['enum']", set()),
    ],
)
def test_selection(make_project: MakeProject, config: str, expected: set[str]) -> None:
    root = make_project(
        {"pyproject.toml": f"[project]\nname='p'\n[tool.kdocs.types]\n{config}\n", **SELECT_FILES}
    )
    assert set(by_name(model_of(root))) == expected


GENERATORS = [
    ("def gen(name):\n    return name.rstrip('_')\n", {"in_": "in", "a_b": "a_b"}),
    (
        "def gen(snake):\n    if snake.endswith('_'):\n        snake = snake.rstrip('_')\n"
        "    return to_camel(snake)\n",
        {"in_": "in", "pod_ip": "podIp"},
    ),
    (
        "def gen(s):\n    parts = s.split('_')\n"
        "    return parts[0] + ''.join(p.title() for p in parts[1:])\n",
        {"pod_ip": "podIp", "x": "x"},
    ),
    ("gen = lambda s: s.replace('_', '-')\n", {"pod_ip": "pod-ip"}),
    ("gen = lambda s: f'x_{s}'\n", {"a": "x_a"}),
]


@pytest.mark.parametrize(("source", "expected"), GENERATORS)
def test_local_alias_generators_are_interpreted(
    make_project: MakeProject, source: str, expected: dict[str, str]
) -> None:
    from pydantic import BaseModel, ConfigDict
    from pydantic.alias_generators import to_camel

    namespace: dict[str, Any] = {"to_camel": to_camel}
    exec(source, namespace)  # the oracle: pydantic with the real function
    runtime_model = type(
        "M",
        (BaseModel,),
        {
            "__annotations__": dict.fromkeys(expected, int),
            "model_config": ConfigDict(alias_generator=namespace["gen"]),
        },
    )
    runtime = {n: f.alias for n, f in runtime_model.model_fields.items()}
    assert runtime == expected
    fields_src = "".join(f"    {name}: int\n" for name in expected)
    root = make_project(
        {
            "m.py": "from pydantic import BaseModel, ConfigDict\n"
            "from pydantic.alias_generators import to_camel\n"
            + source
            + "class M(BaseModel):\n    model_config = ConfigDict(alias_generator=gen)\n"
            + fields_src
        }
    )
    m = by_name(model_of(root / "m.py"))["M"]
    assert {f.name: f.serialized_name for f in m.fields} == expected
    assert m.unresolved == ()


def test_unknown_kind_is_a_config_error(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "[tool.kdocs.types]\nkinds = ['protobuf']\n"})
    with pytest.raises(ConfigError, match="unknown kind 'protobuf'"):
        Analysis(discover([root]))


# -- odd and bad input -----------------------------------------------------------------------


def test_bad_input_never_crashes(make_project: MakeProject) -> None:
    root = make_project(
        {
            "p.py": """
                from __future__ import annotations
                from typing import Generic, TypeVar
                from pydantic import BaseModel, Field, ConfigDict
                from .missing import *

                T = TypeVar("T")

                def make_generator():
                    return str.upper

                class A(B):  # circular bases: invalid at runtime, must not loop here
                    x: int

                class B(A):
                    y: int

                class Node(BaseModel, Generic[T]):
                    value: T
                    children: list["Node[T]"] = []
                    weird: "not a [valid expr" = None
                    odd: int = Field(**{"alias": "o"})
                    model_config = ConfigDict(alias_generator=lambda s: s.upper())

                class Empty(BaseModel):
                    model_config = ConfigDict(alias_generator=make_generator())
                    e: int = 0

                class Self(Self):
                    pass

                class Later(Undefined.Thing[int]):
                    z: int

                if True:
                    class Conditional(BaseModel):
                        c: int = 1
            """
        }
    )
    model = model_of(root / "p.py")
    types = by_name(model)
    assert set(types) == {"Node", "Empty", "Conditional"}
    node = fields(types["Node"])
    assert node["children"].type == "list[Node[T]]"
    assert node["weird"].type == "not a [valid expr"
    assert node["value"].serialized_name == "VALUE"  # the lambda is interpreted, not run
    empty = types["Empty"]
    assert [u.message for u in empty.unresolved] == [
        "alias generator `p.make_generator` is not a known function"
    ]


def test_syntax_error_is_an_e_diagnostic_not_a_crash(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": ALL_TYPES,
            "p/__init__.py": "",
            "p/bad.py": "class A(BaseModel:\n",
            "p/ok.py": "import enum\nclass E(enum.Enum):\n    A = 1\n",
        }
    )
    analysis = Analysis(discover([root / "p"]), use_cache=False)
    model = analysis.model("types")
    assert [t.name for t in model.types] == ["E"]
    assert [p.code for p in analysis.problems.values()] == ["E003"]


def test_pydantic_v1_config_class(make_project: MakeProject) -> None:
    root = make_project(
        {
            "p.py": """
                from typing import Optional
                from pydantic.v1 import BaseModel

                def camel(s: str) -> str:
                    return "".join(w.capitalize() if i else w for i, w in enumerate(s.split("_")))

                class A(BaseModel):
                    first_name: Optional[str]
                    last_name: str

                    class Config:
                        alias_generator = camel
            """
        }
    )
    a = fields(by_name(model_of(root / "p.py"))["A"])
    # v1: Optional without a default is not required; the local generator is interpreted
    assert (a["first_name"].required, a["last_name"].required) == (False, True)
    assert a["first_name"].serialized_name == "firstName"


# -- a real package, statically and at runtime ------------------------------------------------

TRUTH = Path(__file__).parent.parent / "benchmarks" / "_types_runtime_truth.py"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("requirement", "package"),
    [("ollama==0.6.3", "ollama"), ("lsprotocol==2025.0.0", "lsprotocol")],
)
def test_real_package_matches_runtime(requirement: str, package: str, tmp_path: Path) -> None:
    venv = real_venv([requirement])
    out = tmp_path / "truth.json"
    proc = venv.run(str(TRUTH), package, str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    truth = json.loads(out.read_text())["types"]
    site = venv.site_packages
    config = parse_config({"types": {"scope": "all"}}, source=None, prefix="tool.kdocs")
    project = Project(root=site, config=config, walk_roots=(site / package,))
    static = {
        f"{t.module}.{t.name}": t for t in Analysis(project, use_cache=False).model("types").types
    }
    assert set(static) == set(truth)
    for key, expected in truth.items():
        got = [
            (f.name, f.serialized_name, f.required) for f in static[key].fields if not f.computed
        ]
        want = [(f["name"], f["serialized_name"], f["required"]) for f in expected["fields"]]
        assert sorted(got) == sorted(want), key


MSGSPEC_NAMES = ["HTTP_url", "Ab_cd", "a__", "aB_c", "kebab_Case_X", "_p_q", "x_1y", "x__y_"]


@pytest.mark.parametrize("rename", ["camel", "pascal", "kebab", "lower", "upper"])
def test_msgspec_renames_equal_msgspec(rename: str) -> None:
    msgspec = pytest.importorskip("msgspec")
    struct = msgspec.defstruct("S", [(n, int, 0) for n in MSGSPEC_NAMES], rename=rename)
    runtime = [f.encode_name for f in msgspec.structs.fields(struct)]
    assert [aliases.MSGSPEC_RENAMES[rename](n) for n in MSGSPEC_NAMES] == runtime


FUNCTIONAL = """
import enum
from typing import NamedTuple, TypedDict
from enum import Enum, IntEnum

P = NamedTuple("P", [("x", int), ("y", "str")])
Color = Enum("Color", "RED GREEN")
Shade = enum.StrEnum("Shade", ["DARK", "LIGHT"])
Pair = Enum("Pair", [("A", "a"), ("B", "b")])
Num = IntEnum("Num", {"ONE": 1})
TD = TypedDict("TD", {"a": int, "b": str}, total=False)
"""


def test_functional_types_match_runtime(make_project: MakeProject) -> None:
    import importlib.util

    root = make_project({"fn.py": FUNCTIONAL, "pyproject.toml": ALL_TYPES})
    spec = importlib.util.spec_from_file_location("fn_oracle", root / "fn.py")
    assert spec and spec.loader
    runtime = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(runtime)  # the oracle
    model = model_of(root / "fn.py")
    assert model.unresolved == ()
    for typedef in model.types:
        cls = getattr(runtime, typedef.name)
        if typedef.kind == "enum":
            want = [
                (k, v.value if isinstance(v.value, str) else k) for k, v in cls.__members__.items()
            ]
        elif typedef.kind == "typeddict":
            want = [(k, k) for k in cls.__annotations__]
            assert {f.name for f in typedef.fields if f.required} == set(cls.__required_keys__)
        else:
            want = [(k, k) for k in cls._fields]
        assert [(f.name, f.serialized_name) for f in typedef.fields] == want
    assert {t.name for t in model.types} == {"P", "Color", "Shade", "Pair", "Num", "TD"}


def test_decorator_function_that_applies_dataclass(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": "[project]\nname='p'\n" + ALL_TYPES,
            "p/__init__.py": "",
            "p/base.py": """
                from dataclasses import dataclass
                from typing_extensions import dataclass_transform

                @dataclass_transform()
                def api_type(cls):
                    cls = dataclass(cls)
                    return cls

                def unrelated(cls):
                    return cls
            """,
            "p/models.py": """
                from p.base import api_type, unrelated

                @api_type
                class Input:
                    text: str
                    top_k: int | None = None

                @unrelated
                class Plain:
                    x: int
            """,
        }
    )
    types = by_name(model_of(root))
    assert set(types) == {"Input"}
    assert [(f.name, f.required) for f in types["Input"].fields] == [
        ("text", True),
        ("top_k", False),
    ]


def test_linked_model_cache_follows_project_and_installed_changes(
    make_project: MakeProject,
) -> None:
    import time

    root = make_project(
        {
            "pyproject.toml": "[project]\nname='app'\n[tool.kdocs]\nsrc=['app']\n",
            "app/__init__.py": "",
            "app/api.py": "from corelib import Base\nclass Pod(Base):\n    pod_ip: str\n",
            ".venv/lib/python3.11/site-packages/corelib/__init__.py": (
                "from pydantic import BaseModel, ConfigDict\n"
                "from pydantic.alias_generators import to_camel\n"
                "class Base(BaseModel):\n"
                "    model_config = ConfigDict(alias_generator=to_camel)\n"
            ),
        }
    )

    def names() -> list[str]:
        model = model_of(root, cache=True)
        return [f.serialized_name for t in model.types for f in t.fields]

    assert names() == ["podIp"]
    assert names() == ["podIp"]  # warm: from the linked-model cache
    assert (root / ".kdocs_cache").is_dir()
    time.sleep(0.01)
    base = root / ".venv/lib/python3.11/site-packages/corelib/__init__.py"
    base.write_text(
        base.read_text().replace("to_camel)", "to_camel, extra='allow')\n    v: int = 0")
    )
    assert names() == ["v", "podIp"]  # an installed base changed: relinked
    (root / "app/api.py").write_text(
        "from corelib import Base\nclass Pod(Base):\n    host_ip: str\n"
    )
    assert names() == ["v", "hostIp"]


def test_model_rows_round_trip(shop: TypesModel) -> None:
    from kdocs.extract.types.modelcache import from_rows, to_rows

    assert from_rows(json.loads(json.dumps(to_rows(shop)))) == shop


def test_cached_model_hook(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    from kdocs import cache
    from kdocs.extract.types import cached_model

    # Files written by the test are seconds old at most: accept them as settled (racy-clean
    # keeps a fresher tree out of the model cache, tests/test_inspect_cache.py).
    monkeypatch.setattr(cache, "TICK_NS", 0)

    root = make_project(
        {
            "pyproject.toml": "[project]\nname='p'\n",
            "p/__init__.py": "import enum\nclass E(enum.Enum):\n    A = 'a'\n",
        }
    )
    assert cached_model(Analysis(discover([root]))) is None  # nothing cached yet
    linked = model_of(root, cache=True)
    assert cached_model(Analysis(discover([root]))) == linked
    assert cached_model(Analysis(discover([root]), use_cache=False)) is None


def test_redefined_field_keeps_its_position_except_in_attrs(make_project: MakeProject) -> None:
    """Field order of a subclass that redefines an inherited field, as each runtime has it:
    pydantic, dataclasses, TypedDict and msgspec keep the base's position; attrs moves it last
    (verified with the real libraries: ``model_fields``, ``dataclasses.fields``,
    ``attrs.fields``, ``__annotations__``, ``__struct_fields__``)."""
    root = make_project(
        {
            "pyproject.toml": ALL_TYPES,
            "m.py": """
                import dataclasses
                from typing import TypedDict

                import attrs
                import msgspec
                from pydantic import BaseModel


                class A(BaseModel):
                    x: int
                    y: int


                class B(A):
                    x: str


                @dataclasses.dataclass
                class C:
                    x: int
                    y: int


                @dataclasses.dataclass
                class D(C):
                    x: str


                @attrs.define
                class E:
                    x: int
                    y: int


                @attrs.define
                class F(E):
                    x: str


                class G(TypedDict):
                    x: int
                    y: int


                class H(G):
                    x: str


                class I(msgspec.Struct):
                    x: int
                    y: int


                class J(I):
                    x: str
            """,
        }
    )
    model = Analysis(discover([root]), use_cache=False).model("types")
    order = {t.name: [f.name for f in t.fields] for t in model.types}
    assert order["B"] == ["x", "y"]
    assert order["D"] == ["x", "y"]
    assert order["F"] == ["y", "x"]
    assert order["H"] == ["x", "y"]
    assert order["J"] == ["x", "y"]
