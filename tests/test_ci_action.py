"""The reusable GitHub Action (``action.yml``) and the CI guide (``site/ci.md``): valid YAML
of the right shape, no script injection, every ``kdocs check`` command line they show is
accepted by the real CLI, and the action's shell steps behave as documented when run."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from kdocs.cli import check
from tests.conftest import MakeProject

REPO = Path(__file__).resolve().parent.parent
ACTION = REPO / "action.yml"
GUIDE = REPO / "site" / "ci.md"


def action() -> dict[str, Any]:
    data = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps() -> list[dict[str, Any]]:
    return list(action()["runs"]["steps"])


def test_action_metadata_has_the_required_keys() -> None:
    data = action()
    for key in ("name", "description", "inputs", "outputs", "runs"):
        assert data.get(key), key
    assert data["runs"]["using"] == "composite"
    for name, spec in data["inputs"].items():
        assert spec.get("description"), name
        assert "default" in spec, name  # composite inputs always have a value
    for name, spec in data["outputs"].items():
        assert spec.get("description") and spec.get("value"), name
    for step in steps():
        assert ("uses" in step) != ("run" in step), step.get("name")
        if "run" in step:
            assert step.get("shell") == "bash", step.get("name")  # composite steps need one


def test_action_uploads_sarif_and_annotates() -> None:
    uses = [s["uses"] for s in steps() if "uses" in s]
    assert "github/codeql-action/upload-sarif@v3" in uses
    assert any(u.startswith("actions/setup-python@") for u in uses)
    runs = " ".join(s["run"] for s in steps() if "run" in s)
    assert "--format sarif" in runs and "--exit-zero" in runs
    assert '--format "$format"' in runs and "format=github" in runs
    upload = next(s for s in steps() if s.get("uses", "").startswith("github/codeql-action"))
    assert upload["with"]["sarif_file"] == "${{ inputs.path }}/${{ inputs.sarif-file }}"


def test_action_references_only_declared_inputs_and_steps() -> None:
    text = ACTION.read_text(encoding="utf-8")
    declared = set(action()["inputs"])
    used = set(re.findall(r"inputs\.([A-Za-z0-9_-]+)", text))
    assert used and used <= declared, used - declared
    ids = {s["id"] for s in steps() if "id" in s}
    assert set(re.findall(r"steps\.([A-Za-z0-9_-]+)\.", text)) <= ids


def test_no_expression_is_spliced_into_a_script() -> None:
    """``${{ inputs.args }}`` inside ``run:`` would be script injection: inputs go through
    the environment."""
    for step in steps():
        assert "${{" not in step.get("run", ""), step.get("name")
    for block in yaml_blocks():
        for job in (block.get("jobs") or {}).values():
            for step in job.get("steps", []):
                assert "${{" not in step.get("run", ""), step
        gitlab = block.get("kdocs")
        if isinstance(gitlab, dict):  # the GitLab job
            for line in gitlab.get("script", []):
                assert "${{" not in line


def yaml_blocks() -> list[dict[str, Any]]:
    """Every ```yaml block of the guide, parsed (fragments are wrapped as steps)."""
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 4
    out = []
    for block in blocks:
        data = yaml.safe_load(block)
        if isinstance(data, list):  # a fragment of steps
            data = {"jobs": {"fragment": {"steps": data}}}
        assert isinstance(data, dict)
        out.append(data)
    return out


def test_guide_yaml_blocks_are_valid_workflows() -> None:
    blocks = yaml_blocks()
    workflows = [b for b in blocks if "jobs" in b]
    assert len(workflows) >= 3
    for workflow in workflows:
        for job in workflow["jobs"].values():
            assert isinstance(job["steps"], list) and job["steps"]
            for step in job["steps"]:
                assert ("uses" in step) != ("run" in step), step
    gitlab = [b for b in blocks if "kdocs" in b and "script" in b["kdocs"]]
    (job,) = gitlab
    assert job["kdocs"]["artifacts"]["reports"] == {
        "codequality": "gl-code-quality-report.json",
        "junit": "kdocs-junit.xml",
    }


def documented_commands() -> list[list[str]]:
    """Every literal ``kdocs check ...`` command line of the guide."""
    text = GUIDE.read_text(encoding="utf-8")
    commands = []
    for line in re.findall(r"kdocs check [^\n`]*", text):
        line = line.split("  #")[0].strip().rstrip('"')
        if "$" in line:  # a shell substitution: check the options before it
            line = line.split("$")[0].rstrip(' "')
            line += " HEAD" if line.endswith(("--diff", "--changed-since")) else ""
        commands.append(shlex.split(line)[2:])
    return commands


def test_every_documented_command_line_parses() -> None:
    commands = documented_commands()
    assert len(commands) >= 6
    formats = set()
    for args in commands:
        ctx = check.make_context("check", list(args), resilient_parsing=False)
        formats.add(ctx.params["fmt"])
    assert {"sarif", "github", "gitlab", "junit"} <= formats


@pytest.mark.parametrize("bad", [["--format", "gitlabs"], ["--diff"]])
def test_the_command_line_check_can_fail(bad: list[str]) -> None:
    with pytest.raises(click.UsageError):
        check.make_context("check", bad, resilient_parsing=False)


def run_step(step_id: str, root: Path, tmp_path: Path, **inputs: str) -> tuple[int, str, str]:
    """Run one of the action's bash steps as the runner would: its env with the inputs
    filled in, kdocs on PATH, ``GITHUB_OUTPUT`` a file."""
    step = next(s for s in steps() if s.get("id") == step_id)
    defaults = {k: str(v["default"]) for k, v in action()["inputs"].items()}
    values = {**defaults, **inputs}
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    for name, expression in step.get("env", {}).items():
        match = re.fullmatch(r"\$\{\{ inputs\.([a-z-]+) \}\}", expression)
        assert match, expression
        env[name] = values[match.group(1)]
    output = tmp_path / "github_output"
    output.write_text("")
    env["GITHUB_OUTPUT"] = str(output)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    proc = subprocess.run(
        ["bash", "-c", step["run"]], cwd=root, env=env, capture_output=True, text=True
    )
    return proc.returncode, proc.stdout, output.read_text()


@pytest.fixture
def app(make_project: MakeProject) -> Path:
    return make_project(
        {
            "pyproject.toml": '[project]\nname = "app"\nversion = "1"\n'
            '[project.scripts]\napp = "app:main"\n',
            "app/__init__.py": 'import click\n\n\n@click.command()\n@click.option("--dry_run",'
            ' is_flag=True, help="Do nothing.")\ndef main(dry_run):\n    """Run."""\n',
        }
    )


@pytest.mark.skipif(
    shutil.which("bash") is None and not os.environ.get("KDOCS_REQUIRE_TOOLS"),
    reason="needs bash",
)
def test_action_steps_behave_as_documented(app: Path, tmp_path: Path) -> None:
    if shutil.which("kdocs", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("kdocs console script not installed next to this interpreter")
    code, _, _ = run_step("sarif", app, tmp_path, args="--select C")
    assert code == 0  # --exit-zero: recording only
    assert '"ruleId": "C101"' in (app / "kdocs.sarif").read_text()
    code, stdout, output = run_step("check", app, tmp_path, args="--select C")
    assert code == 1
    assert stdout.startswith("::warning file=app/__init__.py") or stdout.startswith("::error")
    assert output == "exit-code=1\n"
    code, _, output = run_step(
        "check", app, tmp_path, args="--select C", **{"fail-on-findings": "false"}
    )
    assert (code, output) == (0, "exit-code=1\n")
    code, stdout, _ = run_step("check", app, tmp_path, args="--select C", annotate="false")
    assert code == 1 and "C101" in stdout and "::" not in stdout
    code, _, output = run_step(
        "check", app, tmp_path, args="--select NOPE", **{"fail-on-findings": "false"}
    )
    assert (code, output) == (2, "exit-code=2\n")  # a usage error is never hidden
    # Arguments are split on spaces but never globbed or evaluated.
    code, _, _ = run_step("check", app, tmp_path, args="--select C $(touch pwned) *")
    assert code == 2 and not (app / "pwned").exists()
