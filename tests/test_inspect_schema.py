"""The ``kdocs inspect`` contract as a schema: generated from the models, committed, valid for
real outputs, decodable back into the models, and with position fields a diff can drop."""

from __future__ import annotations

import copy
import dataclasses
import json
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kdocs.models import cli as cli_models
from kdocs.models import imports as import_models
from kdocs.models import types as type_models
from kdocs.models.codec import DecodeError
from kdocs.models.common import SCHEMA_VERSION, Unresolved, is_position, strip_positions
from kdocs.models.schema import INSPECT_MODELS, decode_inspect, inspect_data, schema_files
from tests.conftest import MakeProject
from tests.helpers import run_kdocs

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "site" / "reference" / "inspect"
EXAMPLE = REPO / "examples" / "shipit"
KINDS = ("cli", "types", "imports", "deps")


@pytest.fixture(scope="module")
def outputs() -> dict[str, Any]:
    """The real ``kdocs inspect KIND`` JSON of the demo project, once per kind."""
    found = {}
    for kind in KINDS:
        run = run_kdocs("inspect", kind, str(EXAMPLE), "--no-cache")
        assert run.exit_code == 0, run.stderr
        found[kind] = run.json()
    return found


def _validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schemas_match_the_models() -> None:
    expected = schema_files()
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*")}
    stale = sorted(n for n in expected if committed.get(n) != expected[n])
    extra = sorted(set(committed) - set(expected))
    assert (stale, extra) == ([], []), (
        "regenerate with `python -m kdocs.inspect_output site/reference/inspect`"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_real_output_validates_against_its_schema(kind: str, outputs: dict[str, Any]) -> None:
    data = outputs[kind]
    assert next(iter(data)) == "schema_version"
    assert data["schema_version"] == SCHEMA_VERSION
    errors = [e.message for e in _validator(kind).iter_errors(data)]
    assert errors == []


def test_the_schema_rejects_a_wrong_shape(outputs: dict[str, Any]) -> None:
    """The schemas are not vacuous: a key of the wrong type or a missing key is an error."""
    cli = copy.deepcopy(outputs["cli"])
    option = cli["clis"][0]["subcommands"][0]["options"][0]
    option["names"] = "--one-string"
    del cli["clis"][0]["help"]
    messages = sorted(e.message for e in _validator("cli").iter_errors(cli))
    assert messages == ["'--one-string' is not of type 'array'", "'help' is a required property"]
    imports = copy.deepcopy(outputs["imports"])
    imports["imports"][0]["line"] = "3"
    imports["schema_version"] = 2
    assert len(list(_validator("imports").iter_errors(imports))) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_inspect_output_decodes_back_to_the_model(kind: str, outputs: dict[str, Any]) -> None:
    data = outputs[kind]
    model = decode_inspect(kind, data)
    assert isinstance(model, INSPECT_MODELS[kind])
    assert json.loads(json.dumps(inspect_data(model))) == data


def test_decode_inspect_checks_the_version_and_kind(outputs: dict[str, Any]) -> None:
    data = dict(outputs["imports"])
    del data["schema_version"]  # output of a kdocs from before the key: version 1
    assert decode_inspect("imports", data).modules
    with pytest.raises(DecodeError, match="schema_version 2 is newer than this kdocs reads"):
        decode_inspect("imports", {**data, "schema_version": 2})
    with pytest.raises(DecodeError, match="schema_version must be a positive integer"):
        decode_inspect("imports", {**data, "schema_version": True})
    with pytest.raises(DecodeError, match="unknown inspect kind 'gen'"):
        decode_inspect("gen", data)
    with pytest.raises(DecodeError, match="expected a list"):
        decode_inspect("imports", {**data, "modules": "app"})


def test_one_unresolved_class_for_every_model() -> None:
    assert cli_models.Unresolved is import_models.Unresolved is Unresolved
    hints = {
        cls.__name__: {f.name: f.type for f in dataclasses.fields(cls)}
        for cls in (cli_models.Command, type_models.TypeDef, import_models.ImportGraph)
    }
    assert {h["unresolved"] for h in hints.values()} == {"tuple[Unresolved, ...]"}


def test_import_problems_keep_their_keys(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": "[project]\nname = 'app'\n",
            "app/__init__.py": "",
            "app/top.py": "from ... import nothing\nimport app.missing\n",
        }
    )
    data = run_kdocs("inspect", "imports", "--no-cache", cwd=root).json()
    assert [
        (u["file"], u["line"], u["reason"], u["importer"], u["target"]) for u in data["unresolved"]
    ] == [
        ("app/top.py", 1, "relative-beyond-top-level", "app.top", "..."),
        ("app/top.py", 2, "missing-module", "app.top", "app.missing"),
    ]
    assert decode_inspect("imports", data).unresolved[1].reason == "missing-module"


def test_position_fields_are_marked() -> None:
    marked = {
        f"{cls.__name__}.{f.name}"
        for model in INSPECT_MODELS.values()
        for cls in _dataclasses(model)
        for f in dataclasses.fields(cls)
        if is_position(f)
    }
    assert {"Command.source", "Option.source", "Argument.source", "TypeDef.source"} <= marked
    assert {"Field.source", "Import.line", "Dependency.line", "Unresolved.line"} <= marked
    assert "Import.imported" not in marked and "Command.name" not in marked
    schema = json.loads((SCHEMAS / "cli.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["Command"]["properties"]["source"]["x-kdocs-position"] is True
    assert "x-kdocs-position" not in schema["$defs"]["Command"]["properties"]["name"]


def test_moving_code_changes_only_position_fields(make_project: MakeProject) -> None:
    """What a diff of two revisions relies on: stripping positions leaves only meaning."""
    app = textwrap.dedent("""
        import click


        @click.group()
        def main():
            '''The tool.'''


        @main.command()
        @click.option("--name", help="Who to greet.")
        def hello(name):
            '''Greet someone.'''
    """)
    files = {
        "pyproject.toml": "[project]\nname = 'app'\n[project.scripts]\napp = 'app.cli:main'\n",
        "app/__init__.py": "",
        "app/cli.py": app,
    }
    before = decode_inspect(
        "cli", run_kdocs("inspect", "cli", "--no-cache", cwd=make_project(files)).json()
    )
    moved = {**files, "app/cli.py": "\n\n# a comment moves everything down\n" + app}
    after = decode_inspect(
        "cli", run_kdocs("inspect", "cli", "--no-cache", cwd=make_project(moved)).json()
    )
    assert before != after
    assert strip_positions(before) == strip_positions(after)
    renamed = {**files, "app/cli.py": app.replace("Who to greet.", "Whom to greet.")}
    changed = decode_inspect(
        "cli", run_kdocs("inspect", "cli", "--no-cache", cwd=make_project(renamed)).json()
    )
    assert strip_positions(before) != strip_positions(changed)


def _dataclasses(cls: type[Any]) -> set[type[Any]]:
    import typing

    seen: set[type[Any]] = set()

    def visit(hint: Any) -> None:
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            if hint in seen:
                return
            seen.add(hint)
            for value in typing.get_type_hints(hint).values():
                visit(value)
        for arg in typing.get_args(hint):
            visit(arg)

    visit(cls)
    return seen
