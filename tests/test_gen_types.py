"""``kdocs gen openapi|examples|types`` on small real projects: the documents validate
(openapi-spec-validator, the JSON Schema metaschema), every YAML example validates against
its schema, the pydantic output agrees with pydantic's own runtime schema, hostile
docstrings stay intact, and ``--check`` reports drift."""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from markdown_it import MarkdownIt
from openapi_spec_validator import validate as validate_openapi

from kdocs.analysis import Analysis
from kdocs.gen.examples import example_files
from kdocs.gen.jsonschema import clean_description, json_schema_documents, json_schema_files
from kdocs.gen.openapi import openapi_document
from kdocs.gen.run_types import generate
from kdocs.models.types import TypesModel
from kdocs.project import discover
from tests.conftest import MakeProject
from tests.helpers import run_kdocs

PYPROJECT = "[project]\nname = 'shop'\nversion = '1.2'\n[tool.kdocs.types]\nscope = 'all'\n"

# One module per type library, written so that each is also importable (the runtime oracle).
LIBRARIES = {
    "pyproject.toml": PYPROJECT,
    "shop/__init__.py": "",
    "shop/enums.py": '''
        import enum

        class Color(str, enum.Enum):
            """A colour."""
            RED = "red"
            #: The green one.
            GREEN = "green"

        class Level(enum.IntEnum):
            LOW = 1
            HIGH = 2

        class Auto(enum.Enum):
            A = enum.auto()
            B = enum.auto()
    ''',
    "shop/v2.py": '''
        from __future__ import annotations

        import datetime
        import uuid
        from decimal import Decimal
        from typing import Annotated, Literal, Optional, Union

        from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl, conint
        from pydantic.alias_generators import to_camel

        from shop.enums import Color, Level

        class Cat(BaseModel):
            kind: Literal["cat"]
            lives: int = 9

        class Dog(BaseModel):
            kind: Literal["dog"]
            good: bool = True

        class Node(BaseModel):
            """A tree node.

            TODO: balance it.
            +optional
            ---
            Internal notes that must not leak.
            """

            value: int
            children: list[Node] = []
            parent: Optional[Node] = None

        class Order(BaseModel):
            """An order placed by a customer.

            Orders are immutable.
            """

            model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

            order_id: uuid.UUID
            #: When the order was placed.
            placed_at: datetime.datetime
            due: datetime.date | None = None
            email: EmailStr
            site: Optional[HttpUrl] = None
            total: Decimal = Field(ge=0)
            quantity: Annotated[int, Field(ge=1, le=100)] = 1
            code: str = Field(default="x", min_length=1, max_length=8, pattern=r"^[a-z]+$")
            tags: list[str] = []
            unique: set[int] = set()
            pair: tuple[int, str] = (1, "a")
            many: tuple[float, ...] = ()
            labels: dict[str, int] = {}
            color: Color = Color.RED
            level: Level = Level.LOW
            mode: Literal["fast", "slow"] = "fast"
            pet: Union[Cat, Dog] = Field(discriminator="kind")
            tree: Optional[Node] = None
            score: conint(gt=0, multiple_of=5) = 5
            renamed: str = Field("r", alias="RenamedField")
            anything: object = None
    ''',
    "shop/plain.py": '''
        import dataclasses
        from typing import NamedTuple, Optional, TypedDict

        import attrs
        import msgspec

        from shop.enums import Color

        @dataclasses.dataclass
        class Point:
            """A point."""
            x: float
            y: float = 0.0
            label: Optional[str] = None

        @attrs.define
        class Box:
            corner: Point
            _size: int = 1
            color: Color = Color.GREEN

        class Movie(TypedDict, total=False):
            title: str
            year: int

        class Event(msgspec.Struct, rename="camel"):
            event_name: str
            at_point: Point
            count: int = 0

        class Pair(NamedTuple):
            left: int
            right: str = "r"
    ''',
    "shop/settings.py": '''
        from pydantic import BaseModel, Field
        from pydantic_settings import BaseSettings, SettingsConfigDict

        class Db(BaseModel):
            host: str = "localhost"
            port: int = 5432

        class Settings(BaseSettings):
            """Service settings."""

            model_config = SettingsConfigDict(env_prefix="shop_", env_nested_delimiter="__")

            debug: bool = False
            #: Where the data lives.
            db: Db = Db()
            token: str = Field(alias="SERVICE_TOKEN")
            name: str = "my shop # main"
    ''',
}


def _model(root: Path) -> TypesModel:
    model: TypesModel = Analysis(discover([root]), use_cache=False).model("types")
    return model


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import textwrap

    root = tmp_path_factory.mktemp("gen") / "proj"
    for rel, text in LIBRARIES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def shop_model(shop: Path) -> TypesModel:
    return _model(shop)


@pytest.fixture(scope="module")
def shop_runtime(shop: Path) -> Iterator[Any]:
    """The fixture imported for real: pydantic's own schema is the oracle."""
    pytest.importorskip("pydantic_settings")
    sys.path.insert(0, str(shop))
    try:
        import shop.v2 as runtime  # type: ignore[import-not-found]

        yield runtime
    finally:
        sys.path.remove(str(shop))
        for name in [m for m in sys.modules if m == "shop" or m.startswith("shop.")]:
            del sys.modules[name]


def test_openapi_31_and_swagger_2_documents_are_valid(shop_model: TypesModel) -> None:
    document, notes = openapi_document(shop_model, "shop", "1.2")
    validate_openapi(document)
    assert notes == []
    schemas = document["components"]["schemas"]
    assert {"Order", "Node", "Cat", "Dog", "Point", "Box", "Movie", "Event", "Pair"} <= set(schemas)
    swagger, _ = openapi_document(shop_model, "shop", "1.2", swagger2=True)
    validate_openapi(swagger)
    assert swagger["definitions"]["Order"]["properties"]["placedAt"]["format"] == "date-time"


def test_every_json_schema_is_valid_and_every_example_validates(
    shop_model: TypesModel,
) -> None:
    schemas, _ = json_schema_files(shop_model)
    examples, _ = example_files(shop_model)
    assert len(schemas) == len(shop_model.types)
    assert len(examples) == len([t for t in shop_model.types if t.kind != "enum"])
    for path, text in schemas.items():
        schema = json.loads(text)
        jsonschema.Draft202012Validator.check_schema(schema)
        example_path = path.removesuffix(".json") + ".yaml"
        if example_path in examples:
            instance = yaml.safe_load(examples[example_path])
            jsonschema.Draft202012Validator(schema).validate(instance)


def test_mapping_of_the_type_libraries(shop_model: TypesModel) -> None:
    document, _ = openapi_document(shop_model, "shop", "1.2")
    schemas = document["components"]["schemas"]
    order = schemas["Order"]["properties"]
    assert order["orderId"] == {"format": "uuid", "type": "string"}
    assert order["placedAt"]["description"] == "When the order was placed."
    assert order["quantity"] == {"default": 1, "maximum": 100, "minimum": 1, "type": "integer"}
    assert order["code"]["pattern"] == "^[a-z]+$"
    assert order["unique"]["uniqueItems"] is True
    assert order["pair"]["prefixItems"] == [{"type": "integer"}, {"type": "string"}]
    assert order["many"]["items"] == {"type": "number"}
    assert order["color"] == {"$ref": "#/components/schemas/Color", "default": "red"}
    assert order["pet"]["discriminator"] == {
        "propertyName": "kind",
        "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
    }
    assert "RenamedField" in order
    assert (
        schemas["Order"]["description"] == "An order placed by a customer.\n\nOrders are immutable."
    )
    # Kubernetes-style cleaning: TODO, +markers and everything after --- are gone.
    assert schemas["Node"]["description"] == "A tree node."
    assert schemas["Node"]["properties"]["children"]["items"] == {
        "$ref": "#/components/schemas/Node"
    }
    assert schemas["Level"] == {"enum": [1, 2], "title": "Level", "type": "integer"}
    assert schemas["Auto"]["enum"] == [1, 2]
    assert schemas["Color"]["x-enum-descriptions"] == ["", "The green one."]
    # attrs drops the private underscore; msgspec renames; TypedDict total=False.
    assert set(schemas["Box"]["properties"]) == {"corner", "size", "color"}
    assert set(schemas["Event"]["properties"]) == {"eventName", "atPoint", "count"}
    assert "required" not in schemas["Movie"]
    assert schemas["Pair"]["prefixItems"] == [
        {"type": "integer"},
        {"type": "string", "default": "r"},
    ]


def _norm(schema: Any) -> Any:
    """Drop what the static schema does not try to match (titles of fields)."""
    if isinstance(schema, dict):
        return {k: _norm(v) for k, v in schema.items() if k not in ("title",)}
    if isinstance(schema, list):
        return [_norm(v) for v in schema]
    return schema


def test_pydantic_schema_agrees_with_pydantic_runtime(
    shop_model: TypesModel, shop_runtime: Any
) -> None:
    documents, _ = json_schema_documents(shop_model)
    static = documents["shop.v2:Order"]
    runtime = shop_runtime.Order.model_json_schema(by_alias=True)
    assert static["required"] == runtime["required"]
    assert set(static["properties"]) == set(runtime["properties"])
    checked = 0
    for name, prop in runtime["properties"].items():
        mine = _norm(static["properties"][name])
        theirs = _norm(prop)
        mine.pop("description", None)
        theirs.pop("description", None)
        if name == "anything":
            continue  # object: pydantic says {} too, but adds no default for None
        assert mine == theirs, name
        checked += 1
    assert checked >= 20
    assert set(static["$defs"]) == set(runtime["$defs"])


HOSTILE = (
    "Key: value # not a comment\n- \"quoted\" & 'single' {braces} [list] *star* |pipe|\n"
    "Ünïcödé ✓ 漢字 */ </script> `tick` ```fence```\n\ncontinued\u2028line\x85end"
)


def test_hostile_docstrings_survive_every_format(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": PYPROJECT})
    source = (
        "from pydantic import BaseModel, Field\n\n"
        f"class Hostile(BaseModel):\n    {HOSTILE!r}\n\n"
        f"    value: str = Field(description={HOSTILE!r})\n"
    )
    (root / "h.py").write_text(source, encoding="utf-8")
    model = _model(root)
    expected = clean_description(HOSTILE)
    assert expected is not None and "</script>" in expected
    document, _ = openapi_document(model, "h", "1")
    validate_openapi(document)
    schema = document["components"]["schemas"]["Hostile"]
    assert schema["description"] == expected
    assert schema["properties"]["value"]["description"] == expected
    files, _ = generate("openapi", model, title="h", version="1")
    assert "</script>" not in files["openapi.json"]  # escaped as <\/ for HTML embedding
    assert json.loads(files["openapi.json"]) == document
    examples, _ = example_files(model)
    text = examples["h.Hostile.yaml"]
    assert yaml.safe_load(text) == {"value": "string"}
    comments = [line[2:] for line in text.splitlines() if line.startswith("# ")]
    assert "Key: value # not a comment" in comments
    assert any("Ünïcödé ✓ 漢字 */ </script> `tick` ```fence```" in c for c in comments)
    pages, _ = generate("types", model)
    rendered = MarkdownIt("commonmark").render(pages["h.md"])
    visible = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    for paragraph in expected.split("\n\n"):
        assert paragraph.replace("\n", " ") in visible
    assert "<script>" not in rendered and "</script>" not in rendered.replace("&lt;/script&gt;", "")


def test_unresolved_types_are_noted_never_guessed(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "u.py": """
                from typing import Generic, TypeVar
                from pydantic import BaseModel
                from not_installed import Money
                T = TypeVar("T")

                class Page(BaseModel, Generic[T]):
                    items: list[T]

                class Bill(BaseModel):
                    amount: Money
                    page: Page[int]
            """,
        }
    )
    out = root / "docs"
    result = run_kdocs("gen", "openapi", str(root), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    document = json.loads((out / "openapi.json").read_text())
    validate_openapi(document)
    bill = document["components"]["schemas"]["Bill"]["properties"]
    assert "not_installed.Money" in bill["amount"]["x-kdocs-unresolved"]
    assert bill["page"]["$ref"] == "#/components/schemas/Page"
    assert "generic arguments" in bill["page"]["x-kdocs-unresolved"]
    assert "kdocs: unresolved: u.Bill.amount: `not_installed.Money` could not" in result.stderr
    assert "u.Page.items" in result.stderr


def test_gen_check_reports_drift_and_usage_errors(shop: Path, tmp_path: Path) -> None:
    out = tmp_path / "ref"
    for kind, extra in (("openapi", []), ("examples", []), ("types", ["--single-file"])):
        target = out / kind
        assert run_kdocs("gen", kind, str(shop), "--out", str(target), *extra).exit_code == 0
        check = run_kdocs("gen", kind, str(shop), "--out", str(target), "--check", *extra)
        assert check.exit_code == 0, check.stderr
    assert (out / "types" / "types.md").is_file()
    assert (out / "types" / ".env.example").is_file()
    (out / "openapi" / "openapi.json").write_text("{}\n")
    check = run_kdocs("gen", "openapi", str(shop), "--out", str(out / "openapi"), "--check")
    assert check.exit_code == 1
    assert "stale:" in check.stderr and "out of date" in check.stderr
    # Without --out: the [tool.kdocs.gen] folder of the format (docs/reference/openapi).
    missing = run_kdocs("gen", "openapi", str(shop), "--check")
    assert missing.exit_code == 1 and "missing:" in missing.stderr
    both = run_kdocs("gen", "openapi", str(shop), "--out", str(out), "--swagger2", "--json-schema")
    assert both.exit_code == 2 and "exclusive" in both.stderr
    assert "Traceback" not in missing.stderr + both.stderr


def test_output_is_deterministic(shop_model: TypesModel, shop: Path) -> None:
    again = _model(shop)
    for kind in ("openapi", "examples", "types"):
        assert generate(kind, shop_model) == generate(kind, again)


def test_settings_environment_variables(shop_model: TypesModel) -> None:
    files, _ = generate("types", shop_model)
    env = files[".env.example"]
    assert "SHOP_DEBUG=false\n" in env
    assert "SHOP_DB__HOST=localhost\n" in env
    assert "# SHOP_DB=\n" in env  # a non-literal default is not a value to copy
    assert "SERVICE_TOKEN=\n" in env and "SHOP_TOKEN" not in env
    assert 'SHOP_NAME="my shop # main"\n' in env
    table = files["settings.md"]
    assert "| SHOP\\_DB\\_\\_PORT | shop.settings.Settings.db.port | int | no | 5432 |  |" in table
    dotenv = pytest.importorskip("dotenv")
    import io

    values = dotenv.dotenv_values(stream=io.StringIO(env))
    assert values["SHOP_NAME"] == "my shop # main"
    assert values["SHOP_DB__PORT"] == "5432"


def test_pydantic_v1_models_agree_with_the_v1_runtime(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "legacy.py": """
                from typing import List, Optional
                from pydantic.v1 import BaseModel, Field

                def to_upper(name: str) -> str:
                    return name.upper()

                class Legacy(BaseModel):
                    '''A v1 model.'''

                    class Config:
                        alias_generator = to_upper

                    name: str
                    note: Optional[str]
                    count: int = Field(3, ge=0, le=10)
                    tags: List[str] = Field(default_factory=list, min_items=1)
            """,
        }
    )
    documents, _ = json_schema_documents(_model(root))
    static = documents["legacy:Legacy"]
    sys.path.insert(0, str(root))
    try:
        import legacy  # type: ignore[import-not-found]

        runtime = legacy.Legacy.schema(by_alias=True)
    finally:
        sys.path.remove(str(root))
        sys.modules.pop("legacy", None)
    assert (
        set(static["properties"])
        == set(runtime["properties"])
        == {
            "NAME",
            "NOTE",
            "COUNT",
            "TAGS",
        }
    )
    assert static["required"] == runtime["required"] == ["NAME"]
    count = static["properties"]["COUNT"]
    assert (count["minimum"], count["maximum"]) == (0, 10)
    assert static["properties"]["TAGS"]["minItems"] == runtime["properties"]["TAGS"]["minItems"]


def test_nested_classes_external_types_and_schema_overrides(make_project: MakeProject) -> None:
    """Regressions from the runtime comparison on real packages: a nested class used by its
    bare name, a model from another installed top-level package (pydantic inlines it in
    ``$defs``), ``SkipJsonSchema`` and ``WithJsonSchema``."""
    root = make_project(
        {
            "pyproject.toml": PYPROJECT + "[tool.kdocs]\nsrc = ['src']\n",
            "src/app/__init__.py": "",
            "src/app/api.py": """
                from typing import Annotated, Any, Optional, Sequence
                from pydantic import BaseModel, WithJsonSchema
                from pydantic.json_schema import SkipJsonSchema
                from vendored.models import Money

                class Listing(BaseModel):
                    class Entry(BaseModel):
                        name: str

                    entries: Sequence[Entry]
                    price: Money
                    hidden: SkipJsonSchema[int] = 0
                    maybe: int | SkipJsonSchema[None] = 1
                    raw: Annotated[Any, WithJsonSchema({"type": "string"})] = None
            """,
            "src/vendored/__init__.py": "",
            "src/vendored/models.py": """
                from pydantic import BaseModel
                class Money(BaseModel):
                    amount: int
            """,
            "src/vendored/_private.py": "",
        }
    )
    toml = root / "pyproject.toml"
    toml.write_text(
        toml.read_text().replace("scope = 'all'", "scope = 'api'\nmodules = ['app.*']"),
        encoding="utf-8",
    )
    model = _model(root)
    assert [t.name for t in model.types] == ["Listing", "Listing.Entry"]
    assert [t.name for t in model.external] == ["Money"]
    documents, notes = json_schema_documents(model)
    listing = documents["app.api:Listing"]
    assert notes == []
    assert listing["properties"]["entries"]["items"] == {"$ref": "#/$defs/Entry"}
    assert listing["properties"]["price"] == {"$ref": "#/$defs/Money"}
    assert set(listing["$defs"]) == {"Entry", "Money"}
    assert "hidden" not in listing["properties"]
    assert listing["properties"]["maybe"] == {"type": "integer", "default": 1}
    assert listing["properties"]["raw"] == {"type": "string", "x-kdocs-default": None}
    document, _ = openapi_document(model, "app", "1")
    validate_openapi(document)
    assert "Money" in document["components"]["schemas"]


# -- a real package from PyPI ---------------------------------------------------------------

BENCH = Path(__file__).parent.parent / "benchmarks"


@pytest.mark.slow
def test_real_package_documents_validate_and_match_pydantic(tmp_path: Path) -> None:
    """ollama's models, installed from PyPI and read from site-packages: the OpenAPI and
    Swagger documents validate, every JSON Schema passes the metaschema, every example its
    schema, and the schemas agree with pydantic's runtime ones field by field."""
    import importlib.util

    from tests.realenv import real_venv

    spec = importlib.util.spec_from_file_location(
        "schema_bench", BENCH / "types_schema_accuracy.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    venv = real_venv(["ollama==0.6.3"])
    out = tmp_path / "truth.json"
    proc = venv.run(str(BENCH / "_schema_runtime_truth.py"), "ollama", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    runtime = json.loads(out.read_text())["schemas"]
    model = bench.static_model(venv.site_packages, "ollama")
    document, _ = openapi_document(model, "ollama", "0.6.3")
    validate_openapi(document)
    validate_openapi(openapi_document(model, "ollama", "0.6.3", swagger2=True)[0])
    schemas, _ = json_schema_files(model)
    examples, _ = example_files(model)
    for path, text in schemas.items():
        schema = json.loads(text)
        jsonschema.Draft202012Validator.check_schema(schema)
        if path.removesuffix(".json") + ".yaml" in examples:
            instance = yaml.safe_load(examples[path.removesuffix(".json") + ".yaml"])
            jsonschema.Draft202012Validator(schema).validate(instance)
    documents, _ = json_schema_documents(model)
    agree = fields = 0
    for key, theirs in runtime.items():
        counts, _ = bench.compare(documents[key], theirs)
        agree += counts["agree"]
        fields += counts["fields"]
    assert fields > 200
    assert agree / fields >= 0.98


def test_str_subclasses_wrappers_and_nested_discriminators(make_project: MakeProject) -> None:
    """Regressions from mistralai: ``class UnrecognizedStr(str)`` is a string on the wire,
    ``SerializeAsAny[X]`` is ``X``, and a discriminator inside ``Annotated`` (also on a
    one-member union) is a ``oneOf`` with a ``discriminator``, as pydantic writes it."""
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "m.py": """
                from typing import Annotated, Literal, Optional, Union
                from pydantic import BaseModel, Field, SerializeAsAny

                class UnrecognizedStr(str):
                    pass

                class A(BaseModel):
                    type: Literal["a"]

                class B(BaseModel):
                    type: Literal["b"]

                class M(BaseModel):
                    status: Union[Literal["on", "off"], UnrecognizedStr]
                    wrapped: SerializeAsAny[A]
                    tool: Optional[Annotated[Union[A, B], Field(discriminator="type")]] = None
                    only: Annotated[Union[A], Field(discriminator="type")]
            """,
        }
    )
    props = json_schema_documents(_model(root))[0]["m:M"]["properties"]
    assert props["status"] == {
        "anyOf": [{"enum": ["on", "off"], "type": "string"}, {"type": "string"}]
    }
    assert props["wrapped"] == {"$ref": "#/$defs/A"}
    mapping = {"a": "#/$defs/A", "b": "#/$defs/B"}
    assert props["tool"]["anyOf"][0]["discriminator"] == {
        "propertyName": "type",
        "mapping": mapping,
    }
    assert props["only"] == {
        "oneOf": [{"$ref": "#/$defs/A"}],
        "discriminator": {"propertyName": "type", "mapping": {"a": "#/$defs/A"}},
    }


def test_recursive_examples_are_bounded_and_valid(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "r.py": """
                from typing import Optional
                from pydantic import BaseModel

                class Tree(BaseModel):
                    '''A tree.'''
                    name: str
                    children: list["Tree"]
                    parent: Optional["Tree"]
                    mapping: dict[str, "Tree"]
            """,
        }
    )
    model = _model(root)
    examples, _ = example_files(model)
    schemas, _ = json_schema_files(model)
    text = examples["r.Tree.yaml"]
    instance = yaml.safe_load(text)
    jsonschema.Draft202012Validator(json.loads(schemas["r.Tree.json"])).validate(instance)
    depth = 0
    node = instance
    while node and node.get("children"):
        node = node["children"][0]
        depth += 1
    assert 1 <= depth <= 4
    assert len(text.splitlines()) < 200


def test_type_expr_round_trips_through_the_json_contract(shop_model: TypesModel) -> None:
    from kdocs.models.codec import decode, encode
    from kdocs.models.serialize import to_data

    exact = json.loads(json.dumps(encode(shop_model)))
    assert decode(TypesModel, exact, exact=True) == shop_model
    public = decode(TypesModel, json.loads(json.dumps(to_data(shop_model))))
    assert [t.fields for t in public.types if t.name == "Node"] == [
        t.fields for t in shop_model.types if t.name == "Node"
    ]


def test_markdown_reference_passes_a_markdown_linter(shop: Path, tmp_path: Path) -> None:
    """pymarkdown (CommonMark/GFM); MD013 (line length) off as for the rule pages, MD033
    (inline HTML) off: the field anchors are ``<a id>`` elements, CommonMark has no ids."""
    import subprocess

    for extra in ([], ["--single-file"]):
        out = tmp_path / ("single" if extra else "pages")
        assert run_kdocs("gen", "types", str(shop), "--out", str(out), *extra).exit_code == 0
        proc = subprocess.run(
            [sys.executable, "-m", "pymarkdown", "-d", "md013,md033", "scan", str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_markdown_reference_content(shop_model: TypesModel) -> None:
    pages, _ = generate("types", shop_model)
    v2 = pages["shop.v2.md"]
    # The wire value of an enum default, links to nested types, required flags, anchors.
    assert (
        '| <a id="shop-v2-order-color"></a>color | [Color](shop.enums.md#shop-enums-color) | no | "red" |'
        in v2
    )
    assert '| <a id="shop-v2-order-orderid"></a>orderId | uuid.UUID | yes |  |  |' in v2
    assert "[Node](#shop-v2-node) \\| None" in v2
    assert "```yaml\n# Example shop.v2.Order" in v2
    assert '| "green" | The green one. |' in pages["shop.enums.md"]
    assert "- [shop.v2](shop.v2.md): 4 type(s)" in pages["index.md"]


def test_hostile_serialized_names(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "k.py": """
                from pydantic import BaseModel, Field

                class Keys(BaseModel):
                    a: int = Field(1, alias="we: ird # key")
                    b: str = Field("x", alias="- yes")
                    c: bool = Field(True, alias="true")
                    d: int = Field(2, alias="|pipe| `tick` <b>")
            """,
        }
    )
    model = _model(root)
    examples, _ = example_files(model)
    assert yaml.safe_load(examples["k.Keys.yaml"]) == {
        "we: ird # key": 1,
        "- yes": "x",
        "true": True,
        "|pipe| `tick` <b>": 2,
    }
    pages, _ = generate("types", model)
    rendered = MarkdownIt("commonmark").enable("table").render(pages["k.md"])
    visible = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert "|pipe| `tick` <b>" in visible
    assert "<b>" not in rendered
    document, _ = openapi_document(model, "k", "1")
    validate_openapi(document)


def test_out_dash_prints_one_document_and_no_out_uses_the_gen_folder(
    make_project: MakeProject,
) -> None:
    # `--out -` is stdout (as for the CLI formats), never a folder named "-"; without --out
    # the document goes to the [tool.kdocs.gen] folder of the format, inside the project.
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "m.py": "from pydantic import BaseModel\n\nclass A(BaseModel):\n    x: int\n\n"
            "class B(BaseModel):\n    a: A\n",
        }
    )
    run = run_kdocs("gen", "openapi", "--out", "-", cwd=root)
    assert run.exit_code == 0, run.stderr
    validate_openapi(json.loads(run.stdout))
    assert not (root / "-").exists()
    markdown = run_kdocs("gen", "types", "--out", "-", cwd=root)
    assert markdown.exit_code == 0 and "# " in markdown.stdout
    many = run_kdocs("gen", "openapi", "--json-schema", "--out", "-", cwd=root)
    assert many.exit_code == 2 and "single document" in many.stderr
    assert run_kdocs("gen", "openapi", "--out", "-", "--check", cwd=root).exit_code == 2
    assert not (root / "-").exists()
    assert run_kdocs("gen", "examples", cwd=root).exit_code == 0
    assert (root / "docs" / "reference" / "examples" / "m.A.yaml").is_file()
