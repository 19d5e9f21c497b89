"""CI report formats on real findings: GitLab Code Quality JSON and JUnit XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import junitparser
import pytest

from tests.conftest import MakeProject
from tests.helpers import run_kdocs

# GitLab's documented Code Quality issue (docs.gitlab.com, "Code Quality report format"):
# the fields GitLab requires, with their types and the allowed severities.
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string"},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}

CLICK_APP = '''\
import click


@click.command()
@click.option("--dry_run", is_flag=True, help="do nothing")
@click.option("--name", help="Who to greet.")
def main(dry_run, name):
    """Greet someone."""
'''


@pytest.fixture
def findings(make_project: MakeProject) -> Path:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "greet"\nversion = "1"\n'
            '[project.scripts]\ngreet = "greet.cli:main"\n',
            "greet/__init__.py": "",
            "greet/cli.py": CLICK_APP,
            "greet/bad.py": "def f(:\n",
        }
    )
    return root


def test_gitlab_code_quality(findings: Path) -> None:
    run = run_kdocs("check", ".", "--format", "gitlab", "--no-cache", cwd=findings)
    assert run.exit_code == 1
    issues = json.loads(run.stdout)
    jsonschema.Draft7Validator(GITLAB_SCHEMA).validate(issues)
    text = run_kdocs("check", ".", "--format", "json", "--no-cache", cwd=findings).json()
    expected = [(d["code"], d["file"], d["line"]) for d in text["diagnostics"]]
    got = [
        (i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues
    ]
    assert got == expected and len(got) >= 3
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    by_code = {i["check_name"]: i for i in issues}
    assert by_code["E003"]["severity"] == "major"  # an error
    assert by_code["E003"]["description"].startswith("E003 syntax error")


def test_gitlab_fingerprint_survives_moved_lines(findings: Path) -> None:
    """GitLab tells new issues from old ones by fingerprint: moving code keeps it."""
    before = json.loads(
        run_kdocs("check", ".", "--format", "gitlab", "--no-cache", cwd=findings).stdout
    )
    cli = findings / "greet" / "cli.py"
    cli.write_text("# a comment\n\n" + cli.read_text())
    after = json.loads(
        run_kdocs("check", ".", "--format", "gitlab", "--no-cache", cwd=findings).stdout
    )
    moved = {i["fingerprint"]: i["location"]["lines"]["begin"] for i in after}
    for issue in before:
        if issue["location"]["path"] == "greet/cli.py":
            assert moved[issue["fingerprint"]] == issue["location"]["lines"]["begin"] + 2


def test_gitlab_clean_is_an_empty_array(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "", "a.py": "x = 1\n"})
    run = run_kdocs("check", str(root), "--format", "gitlab", "--no-cache")
    assert (run.exit_code, json.loads(run.stdout)) == (0, [])


def test_junit_one_testcase_per_finding_grouped_by_file(findings: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.xml"
    run = run_kdocs(
        "check", ".", "--format", "junit", "--no-cache", "-o", str(out), "--exit-zero", cwd=findings
    )
    assert run.exit_code == 0  # --exit-zero: the report still lists every failure
    xml = junitparser.JUnitXml.fromfile(str(out))
    text = run_kdocs("check", ".", "--format", "json", "--no-cache", cwd=findings).json()
    diagnostics = text["diagnostics"]
    suites = {suite.name: suite for suite in xml}
    assert sorted(suites) == sorted({d["file"] for d in diagnostics})
    cases = [(suite.name, case) for suite in xml for case in suite]
    assert len(cases) == len(diagnostics)
    for suite in xml:
        assert suite.tests == suite.failures == len(list(suite))
    codes = {d["code"] for d in diagnostics}
    for _name, case in cases:
        (failure,) = case.result
        assert isinstance(failure, junitparser.Failure)
        assert case.name.split()[0] in codes
    bad = suites["greet/bad.py"]
    (case,) = list(bad)
    assert case.classname == "greet/bad.py"
    assert "greet/bad.py:1:7: E003 syntax error" in case.result[0].text


def test_junit_clean_run_is_one_passing_case(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "", "a.py": "x = 1\n"})
    run = run_kdocs("check", str(root), "--format", "junit", "--no-cache")
    assert run.exit_code == 0
    tree = ET.fromstring(run.stdout.encode())
    assert (tree.get("tests"), tree.get("failures")) == ("1", "0")
    (case,) = tree.iter("testcase")
    assert case.find("failure") is None


def test_junit_hostile_names_and_messages_still_parse(make_project: MakeProject) -> None:
    """A file name with a control character (legal on Linux, illegal in XML 1.0) and markup
    characters in a message: the report must still parse and show them escaped."""
    root = make_project({"pyproject.toml": "", "ok.py": ""})
    (root / "we<ird>&\x01.py").write_text('x = "</testcase>\x1b[31m"\ndef f(:\n')
    run = run_kdocs("check", str(root), "--format", "junit", "--no-cache")
    assert run.exit_code == 1
    tree = ET.fromstring(run.stdout.encode())
    suites = [s.get("name") for s in tree.iter("testsuite")]
    assert suites == ["we<ird>&\\x01.py"]
    gitlab = run_kdocs("check", str(root), "--format", "gitlab", "--no-cache")
    assert json.loads(gitlab.stdout)[0]["location"]["path"] == "we<ird>&\x01.py"
