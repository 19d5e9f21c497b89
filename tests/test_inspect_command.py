"""``kdocs inspect``: the public JSON contract of design.md, and the yaml/text renderings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.helpers import run_kdocs

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "shipit"

COMMAND_KEYS = {
    "name", "path", "help", "short_help", "hidden", "deprecated", "options", "arguments",
    "subcommands", "aliases", "usage", "epilog", "examples", "framework", "source", "unresolved",
}  # fmt: skip
OPTION_KEYS = {
    "names", "secondary_names", "help", "required", "multiple", "is_flag", "hidden",
    "default", "choices", "envvar", "type", "metavar", "source",
}  # fmt: skip
ARGUMENT_KEYS = {"name", "required", "nargs", "help"}


def walk(command: dict[str, Any]) -> list[dict[str, Any]]:
    return [command, *(c for sub in command["subcommands"] for c in walk(sub))]


def test_inspect_cli_json_contract() -> None:
    run = run_kdocs("inspect", "cli", str(EXAMPLE), "--no-cache")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert set(data) >= {"clis"}
    roots = {c["name"]: c for c in data["clis"]}
    # Root names are the console scripts of [project.scripts].
    assert set(roots) == {"shipit", "shipit-admin", "shipit-notify"}
    assert {roots[n]["framework"] for n in roots} == {"click", "argparse", "typer"}
    for root in data["clis"]:
        for command in walk(root):
            assert set(command) >= COMMAND_KEYS, command["path"]
            assert command["path"][-1] == command["name"]
            assert set(command["source"]) >= {"file", "line"}
            for option in command["options"]:
                assert set(option) >= OPTION_KEYS
                assert "--help" not in option["names"]  # automatic --help is left out
            for argument in command["arguments"]:
                assert set(argument) >= ARGUMENT_KEYS
    deploy = next(c for c in walk(roots["shipit"]) if c["name"] == "deploy")
    assert deploy["path"] == ["shipit", "deploy"]
    assert deploy["source"] == {"file": "shipit/cli.py", "line": 31, "column": 1}
    token = next(o for o in deploy["options"] if o["names"] == ["--token"])
    assert token["help"] is None  # help-less items are null, not ""
    assert token["envvar"] == ["shipit_token"]
    strategy = next(o for o in deploy["options"] if o["names"] == ["--strategy"])
    assert strategy["choices"] == ["rolling", "blue-green"]
    assert strategy["default"] == "rolling"


def test_inspect_yaml_equals_json_and_text_is_a_tree() -> None:
    as_json = run_kdocs("inspect", "cli", str(EXAMPLE)).json()
    as_yaml = yaml.safe_load(run_kdocs("inspect", "cli", str(EXAMPLE), "--format", "yaml").stdout)
    assert as_yaml == as_json
    text = run_kdocs("inspect", "cli", str(EXAMPLE), "--format", "text").stdout
    assert (
        "  shipit deploy - Deploy SERVICE to the current environment.  [shipit/cli.py:31]" in text
    )


def test_inspect_imports_contract() -> None:
    data = run_kdocs("inspect", "imports", str(EXAMPLE)).json()
    assert "shipit.core.planner" in data["modules"]
    edge = {"importer": "shipit.core.planner", "imported": "shipit.storage.releases", "line": 6}
    assert any(edge.items() <= i.items() for i in data["imports"])
    kinds = {i["imported"]: i["kind"] for i in data["imports"]}
    assert kinds["requests"] == "third-party"
    assert kinds["argparse"] == "stdlib"


def test_inspect_deps_lists_declarations() -> None:
    data = run_kdocs("inspect", "deps", str(EXAMPLE)).json()
    names = {d["name"] for d in data["dependencies"]}
    assert {"click", "pydantic", "typer", "pyyaml", "pytest"} <= names


def test_runtime_option_only_for_cli() -> None:
    run = run_kdocs("inspect", "types", str(EXAMPLE), "--runtime", "x:y")
    assert run.exit_code == 2
    assert "--runtime works with `kdocs inspect cli` only" in run.stderr


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "cli.json"
    run = run_kdocs("inspect", "cli", str(EXAMPLE), "--output", str(out))
    assert run.exit_code == 0 and run.stdout == ""
    assert json.loads(out.read_text())["clis"]
