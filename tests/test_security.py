"""Hostile repository content: kdocs never executes it, never leaks through it, never hangs.

Issue 10, "Security": each test plants what a malicious pull request could plant in a small
real project under tmp_path and runs the real ``kdocs`` command line on it.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
import threading
from pathlib import Path
from urllib.parse import unquote

import pytest

from kdocs.engine import CheckOptions, run_check
from kdocs.escape import escape_control, excerpt
from kdocs.extract.deps_env import allow_exec_python
from kdocs.project import discover
from kdocs.report.text import render as render_text
from tests.conftest import MakeProject
from tests.helpers import Run, run_kdocs

PYPROJECT = '[project]\nname = "demo"\nversion = "1"\ndependencies = []\n'


def plant_interpreter(root: Path, rel: str) -> Path:
    """An executable 'interpreter' in the repository that leaves proof when it runs."""
    proof = root.parent / "PWNED"
    script = root / rel
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(f"#!/bin/sh\ntouch '{proof}'\necho '[]'\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return proof


# --- 1. never execute an interpreter named by the repository ---------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="needs a #! script")
@pytest.mark.parametrize("section", ["deps", "types"])
@pytest.mark.parametrize(
    "command", [("check", "."), ("inspect", "deps", "."), ("inspect", "types", ".")]
)
def test_repo_config_never_runs_its_python(
    make_project: MakeProject, section: str, command: tuple[str, ...]
) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT + f'[tool.kdocs.{section}]\npython = "tools/py"\n',
            "demo/__init__.py": "from pydantic import BaseModel\nclass A(BaseModel):\n    x: int\n",
        }
    )
    proof = plant_interpreter(root, "tools/py")
    run = run_kdocs(*command, "--no-cache" if command[0] == "check" else "--format=json", cwd=root)
    assert run.exit_code in (0, 1), run.stderr
    assert not proof.exists(), "kdocs ran an interpreter named by repository config"


@pytest.mark.skipif(sys.platform == "win32", reason="needs a #! script")
def test_allow_exec_python_on_the_command_line_runs_it(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": PYPROJECT + '[tool.kdocs.deps]\npython = "tools/py"\n'})
    proof = plant_interpreter(root, "tools/py")
    run = run_kdocs("inspect", "deps", ".", cwd=root)
    assert "--allow-exec-python" in run.json()["environment"]["note"]
    run = run_kdocs("--allow-exec-python", "inspect", "deps", ".", cwd=root)
    allow_exec_python(False)
    assert run.exit_code == 0, run.stderr
    assert proof.exists()


def test_python_setting_resolves_against_the_project_root_and_reads_the_venv_on_disk(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project(
        {"pyproject.toml": PYPROJECT + '[tool.kdocs.deps]\npython = "envs/app/bin/python"\n'}
    )
    venv = root / "envs" / "app"
    site = venv / "lib" / "python3.11" / "site-packages"
    dist = site / "acme_tool-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-tool\nVersion: 1.0\n")
    (dist / "RECORD").write_text("acme/__init__.py,,\n")
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    proof = plant_interpreter(root, "envs/app/bin/python")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # Run from another directory: the relative path is the project's, not the CWD's.
    data = run_kdocs("inspect", "deps", str(root), cwd=elsewhere).json()
    assert data["environment"]["source"] == "setting"
    assert [d["name"] for d in data["installed"]] == ["acme-tool"]
    assert not proof.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a #! script")
def test_a_bare_python_name_is_located_on_path_and_read_not_run(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project({"pyproject.toml": PYPROJECT + '[tool.kdocs.deps]\npython = "pyx"\n'})
    prefix = tmp_path / "prefix"
    dist = prefix / "lib" / "python3.12" / "site-packages" / "tool_x-2.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: tool-x\nVersion: 2.0\n")
    proof = plant_interpreter(prefix, "bin/pyx")
    path = f"{prefix / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    data = run_kdocs("inspect", "deps", ".", cwd=root, env={"PATH": path}).json()
    assert data["environment"]["path"] == str(prefix / "bin" / "pyx")
    assert [d["name"] for d in data["installed"]] == ["tool-x"]
    assert not proof.exists()


def test_static_analysis_never_imports_or_runs_project_code(make_project: MakeProject) -> None:
    """Every module of the project, setup.py and conftest.py leave proof if ever executed."""
    root = make_project(
        {"pyproject.toml": PYPROJECT + '[project.scripts]\ndemo = "demo.cli:main"\n'}
    )
    proof = root.parent / "EXECUTED"
    payload = f"open({str(proof)!r}, 'a').write(__name__ + '\\n')\n"
    files = {
        "setup.py": "from setuptools import setup\nsetup()\n",
        "conftest.py": "",
        "demo/__init__.py": "",
        "demo/cli.py": (
            'import click\n@click.command()\n@click.option(\'--x\')\ndef main(x):\n    """Run."""\n'
        ),
        "demo/models.py": "from pydantic import BaseModel\nclass A(BaseModel):\n    x: int\n",
        "demo/tool.py": "import argparse\nargparse.ArgumentParser().add_argument('--y')\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(payload + text)
    runs = [
        run_kdocs("check", ".", "--no-cache", "--select", "ALL", cwd=root),
        *(
            run_kdocs("inspect", kind, ".", cwd=root)
            for kind in ("cli", "types", "imports", "deps")
        ),
    ]
    assert all(run.exit_code in (0, 1) for run in runs), [r.stderr for r in runs]
    assert not proof.exists(), proof.read_text()


def test_nothing_in_kdocs_spawns_processes_outside_the_opt_in() -> None:
    """A source-level guard: subprocess appears only behind --allow-exec-python, git behind
    ``check --diff REF`` (an explicit command-line option), and ``git log`` for the man page
    date."""
    package = Path(__file__).resolve().parent.parent / "kdocs"
    users = sorted(
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if any(
            word in p.read_text(encoding="utf-8")
            for word in ("import subprocess", "os.system(", "os.popen(", "os.exec", "pty.spawn")
        )
    )
    # gen/run.py runs `git log -1 --format=%ct` (no shell, a timeout, signature checks and
    # fsmonitor off) for the man page date: test_gen.py::test_git_date_runs_no_repository_hook.
    assert users == ["changes.py", "extract/deps_env.py", "gen/run.py"]


# --- 2. requirements includes never leave the project ----------------------------------------


def test_includes_outside_the_project_are_refused_and_never_echoed(
    make_project: MakeProject, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=hunter2-do-not-print\n")
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "requirements.txt": (
                "-r /proc/self/environ\n"
                "-r ../../../../../../../../etc/passwd\n"
                f"-c {secret}\n"
                "-r ../secret.txt\n"
            ),
        }
    )
    os.symlink(secret, root / "requirements-dev.txt")
    run = run_kdocs(
        "check",
        ".",
        "--no-cache",
        "--format",
        "json",
        cwd=root,
        env={"KDOCS_TEST_SECRET": "hunter2-env"},
    )
    assert run.exit_code == 1, run.stderr
    assert "hunter2" not in run.stdout and "root:" not in run.stdout
    found = [(d["file"], d["line"], d["code"], d["message"]) for d in run.json()["diagnostics"]]
    assert found == [
        ("requirements-dev.txt", 1, "D107", "refused: a symlink to a file outside the project"),
        (
            "requirements.txt",
            1,
            "D107",
            "-r '/proc/self/environ' refused: it points outside the project",
        ),
        (
            "requirements.txt",
            2,
            "D107",
            "-r '../../../../../../../../etc/passwd' refused: it points outside the project",
        ),
        (
            "requirements.txt",
            3,
            "D107",
            f"-c '{excerpt(str(secret))}' refused: it points outside the project",
        ),
        (
            "requirements.txt",
            4,
            "D107",
            "-r '../secret.txt' refused: it points outside the project",
        ),
    ]


def test_an_include_inside_the_project_through_a_symlink_out_is_refused(
    make_project: MakeProject, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "reqs.txt").write_text("PASSWORD=swordfish\n")
    root = make_project({"pyproject.toml": PYPROJECT, "requirements.txt": "-r lib/reqs.txt\n"})
    os.symlink(outside, root / "lib")
    run = run_kdocs("check", ".", "--no-cache", "--select", "D107", cwd=root)
    assert "swordfish" not in run.stdout
    assert "-r 'lib/reqs.txt' refused: it points outside the project" in run.stdout


def test_echoed_requirement_values_are_cut_short(make_project: MakeProject) -> None:
    long_line = "x" * 5000 + " =1"
    root = make_project({"pyproject.toml": PYPROJECT, "requirements.txt": long_line + "\n"})
    run = run_kdocs("check", ".", "--no-cache", "--select", "D107", cwd=root)
    assert run.exit_code == 1
    finding = run.stdout.splitlines()[0]
    assert len(finding) < 300 and "x" * 100 not in finding


# --- 3. terminal injection -------------------------------------------------------------------

HOSTILE_FLAG = "--Evil\\x1b]0;pwned\\x07\\x1b[2J\\u202eflag\\nsecond-line\\r"


def _hostile_cli_project(make_project: MakeProject) -> Path:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "demo/__init__.py": "",
            "demo/cli.py": f"""
                import click

                @click.command()
                @click.option("{HOSTILE_FLAG}")
                def main(evil):
                    \"\"\"Run.\"\"\"
            """,
        }
    )
    (root / "demo" / "bad\x1b[31m\u202e.py").write_text("def f(:\n")
    return root


def _assert_one_escaped_line_per_finding(out: str) -> None:
    lines = out.splitlines()
    flag_lines = [line for line in lines if "C101" in line]
    assert len(flag_lines) == 1 and "second-line" in flag_lines[0]
    assert "\\x1b]0;pwned\\x07" in flag_lines[0] and "\\u202e" in flag_lines[0]
    e003 = [line for line in lines if "E003" in line]
    assert len(e003) == 1 and "bad\\x1b[31m\\u202e.py" in e003[0]
    assert len(lines) == 3  # two findings and the summary: no line was split


def test_control_characters_in_user_text_are_escaped_in_text_output(
    make_project: MakeProject,
) -> None:
    root = _hostile_cli_project(make_project)
    run = run_kdocs("check", ".", "--no-cache", "--select", "C101,E", cwd=root)
    assert run.exit_code == 1
    for char in ("\x1b", "\x07", "\r", "\u202e"):
        assert char not in run.stdout
    _assert_one_escaped_line_per_finding(run.stdout)


def test_control_characters_are_escaped_on_a_terminal_too(make_project: MakeProject) -> None:
    """On a TTY the report is coloured: kdocs' own SGR sequences only, the rest escaped."""
    root = _hostile_cli_project(make_project)
    result = run_check(discover([root]), CheckOptions(select=["C101", "E"], use_cache=False))
    out = render_text(result, True)
    assert "\x1b[1m" in out  # coloured: the test exercises the terminal path
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    for char in ("\x1b", "\x07", "\r", "\u202e"):
        assert char not in plain
    _assert_one_escaped_line_per_finding(plain)


def test_inspect_text_escapes_control_characters(make_project: MakeProject) -> None:
    root = _hostile_cli_project(make_project)
    run = run_kdocs("inspect", "cli", ".", "--format", "text", cwd=root)
    assert run.exit_code == 0, run.stderr
    for char in ("\x1b", "\x07", "\r", "\u202e"):
        assert char not in run.stdout
    flag = [line for line in run.stdout.splitlines() if "Evil" in line]
    assert len(flag) == 1 and "\\x0asecond-line" in flag[0]


def test_github_format_escapes_workflow_command_specials(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": PYPROJECT})
    (root / "a,b:c%\x1b.py").write_text("def f(:\n")
    run = run_kdocs("check", ".", "--no-cache", "--format", "github", cwd=root)
    line = run.stdout.strip()
    assert "\n" not in line and "\x1b" not in line
    props, _, _ = line.partition("::E003")
    assert "file=a%2Cb%3Ac%25\\x1b.py," in props


def test_sarif_uris_are_percent_encoded(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": PYPROJECT})
    names = ["a#b.py", "with space.py", "pct%41.py", "caf\u00e9.py", "q?x.py"]
    for name in names:
        (root / name).write_text("def f(:\n")
    run = run_kdocs("check", ".", "--no-cache", "--format", "sarif", cwd=root)
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(run.stdout)["runs"][0]["results"]
    ]
    assert sorted(uris) == sorted(
        ["a%23b.py", "with%20space.py", "pct%2541.py", "caf%C3%A9.py", "q%3Fx.py"]
    )
    assert sorted(unquote(u) for u in uris) == sorted(names)


def test_escape_helper_renders_python_escapes() -> None:
    assert escape_control("a\x1b[2Jb\u202ec\n\t\x9b\u2066") == (
        "a\\x1b[2Jb\\u202ec\\x0a\\x09\\x9b\\u2066"
    )
    assert escape_control("plain caf\u00e9 \u4e2d") == "plain caf\u00e9 \u4e2d"
    assert excerpt("y" * 500) == "y" * 57 + "..."


# --- 4. regular expressions run in linear time -----------------------------------------------


def _run_bounded(root: Path, *args: str, limit: float = 60.0) -> Run:
    """Run kdocs in a thread; a hang shows as a failure, not a stuck suite."""
    box: list[Run] = []
    thread = threading.Thread(target=lambda: box.append(run_kdocs(*args, cwd=root)), daemon=True)
    thread.start()
    thread.join(limit)
    assert box, "kdocs did not finish: catastrophic backtracking?"
    return box[0]


def test_catastrophic_selector_regexp_does_not_hang(make_project: MakeProject) -> None:
    name = "a" * 40 + "b"
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            f"{name}/__init__.py": "import os\n",
            f"{name}/.import-restrictions": 'rules:\n  - selectorRegexp: "^(a+)+$"\n'
            "    forbiddenPrefixes: [os]\n",
        }
    )
    run = _run_bounded(root, "check", ".", "--no-cache", "--select", "I")
    assert run.exit_code in (0, 1)


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(?=a)b", "lookaround is not supported"),
        ("(a)\\\\1", "backreferences are not supported"),
        ("a[", "missing ]"),
    ],
)
def test_unsupported_selector_is_an_i010(
    make_project: MakeProject, pattern: str, reason: str
) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "app/__init__.py": "",
            "app/.import-restrictions": f'rules:\n  - selectorRegexp: "{pattern}"\n',
        }
    )
    run = run_kdocs("check", ".", "--no-cache", "--select", "I010", cwd=root)
    assert run.exit_code == 1 and "Traceback" not in run.stderr
    assert "I010" in run.stdout and reason in run.stdout
    assert "re2.cc" not in run.stderr  # RE2 does not print its own copy of the error


def test_catastrophic_flag_pattern_does_not_hang(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT + '[tool.kdocs.cli]\nflag-pattern = "^(-+|a+)+$"\n',
            "demo/__init__.py": "",
            "demo/cli.py": """
                import click

                @click.command()
                @click.option("--aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")
                def main(x):
                    \"\"\"Run.\"\"\"
            """,
        }
    )
    run = _run_bounded(root, "check", ".", "--no-cache", "--select", "C101")
    assert run.exit_code == 1


def test_flag_pattern_with_lookahead_is_a_config_error_naming_the_key(
    make_project: MakeProject,
) -> None:
    root = make_project({"pyproject.toml": '[tool.kdocs.cli]\nflag-pattern = "^(?!x)"\n'})
    run = run_kdocs("check", ".", cwd=root)
    assert run.exit_code == 2
    assert "`tool.kdocs.cli.flag-pattern` is not a valid regular expression" in run.stderr


def test_gitignore_globs_cannot_hang_or_crash_the_walk(make_project: MakeProject) -> None:
    """``.gitignore`` is repository content: ``*a*a*...*b`` backtracked for minutes against a
    long file name in Python's engine, and ``[z-a]`` stopped the run with an internal error."""
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            ".gitignore": "*a" * 25 + "*b\n[z-a]\nskipped_*.py\n",
            "app/__init__.py": "",
            f"app/{'a' * 80}.py": "def f(:\n",
            "app/skipped_one.py": "def f(:\n",
        }
    )
    run = _run_bounded(root, "check", ".", "--no-cache", "--format", "json")
    assert run.exit_code == 1, run.stderr
    assert [d["file"] for d in run.json()["diagnostics"]] == [f"app/{'a' * 80}.py"]


# --- 5. YAML alias bombs ---------------------------------------------------------------------

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
rules: [*g]
"""


def test_yaml_alias_bomb_is_refused_in_import_restrictions(make_project: MakeProject) -> None:
    root = make_project(
        {"pyproject.toml": PYPROJECT, "app/__init__.py": "", "app/.import-restrictions": BOMB}
    )
    run = _run_bounded(root, "check", ".", "--no-cache", "--select", "I010")
    out = run.stdout
    assert len(out) < 1000
    assert "YAML anchors (&name) are not allowed (line 1)" in out


def test_yaml_alias_without_anchor_use_is_refused(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "app/__init__.py": "",
            "app/.import-restrictions": "rules:\n  - *missing\n",
        }
    )
    run = run_kdocs("check", ".", "--no-cache", "--select", "I010", cwd=root)
    assert "YAML aliases (*name) are not allowed (line 2)" in run.stdout


def test_yaml_bomb_in_a_kdocs_yaml_config_is_a_config_error(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": PYPROJECT, "kdocs.yaml": BOMB})
    run = run_kdocs("check", ".", "--config", "kdocs.yaml", cwd=root)
    assert run.exit_code == 2
    assert "YAML anchors (&name) are not allowed" in run.stderr and len(run.stderr) < 500


def test_huge_values_in_restrictions_are_cut_in_messages(make_project: MakeProject) -> None:
    blob = "z" * 100_000
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "app/__init__.py": "",
            "app/.import-restrictions": f"rules:\n  - selectorRegexp: x\n    transitive: {blob}\n",
        }
    )
    run = run_kdocs("check", ".", "--no-cache", "--select", "I010", cwd=root)
    assert "I010" in run.stdout and len(run.stdout) < 1000


# --- 10. the threat model points at real tests -----------------------------------------------


def test_threat_model_names_only_tests_that_exist() -> None:
    """Every ``file.py::test_name`` (or ``::test_name`` after a file) in the threat model is a
    test function of that file, so the page cannot drift from the suite."""
    repo = Path(__file__).resolve().parent.parent
    page = (repo / "site" / "threat-model.md").read_text(encoding="utf-8")
    refs = re.findall(r"`(?:(test_\w+\.py))?::(test_\w+)`", page)
    assert len(refs) > 20
    current = ""
    for file, name in refs:
        current = file or current
        source = (repo / "tests" / current).read_text(encoding="utf-8")
        assert re.search(rf"^def {name}\(", source, re.M), f"{current}::{name}"
    assert "site/threat-model.md" in (repo / "README.md").read_text(encoding="utf-8")


def test_c902_echoes_only_an_excerpt_of_a_huge_default(make_project: MakeProject) -> None:
    default = "x" * 10_000
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "demo/__init__.py": "",
            "demo/cli.py": f"""
                import click

                @click.command()
                @click.option("--key", default={default!r}, help="The key.")
                def main(key):
                    \"\"\"Run.\"\"\"
            """,
        }
    )
    run = run_kdocs("check", ".", "--no-cache", "--select", "C902", cwd=root)
    finding = [line for line in run.stdout.splitlines() if "C902" in line]
    assert len(finding) == 1 and len(finding[0]) < 300, finding
    assert "defaults to 'xxxxxxxx" in finding[0] and "...'" in finding[0]


def test_help_text_echoed_by_cli_rules_is_an_excerpt(make_project: MakeProject) -> None:
    # Help text is untrusted: a rule quoting it (C301's summary, C601's clashing help, C901's
    # example line) shows a short escaped excerpt, never a megabyte of someone's docstring.
    huge = "lowercase summary " + "x" * 5000
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "app"\n[project.scripts]\napp = "app:cli"\n',
            "app.py": f'''
                import click


                @click.group()
                @click.option("-v", help="{huge}")
                def cli(v):
                    """Top."""


                @cli.command()
                @click.option("-v", help="{huge} other")
                def sub(v):
                    """{huge}"""
            ''',
        }
    )
    run = run_kdocs("check", "--select", "C", "--format", "json", cwd=root)
    messages = [d["message"] for d in run.json()["diagnostics"]]
    assert any("lowercase summary" in m for m in messages)  # C301 did quote the summary
    assert all(len(m) < 400 for m in messages), max(messages, key=len)[:200]


def test_python_m_kdocs_never_imports_the_projects_modules(make_project: MakeProject) -> None:
    """``python -m kdocs`` puts the current directory first on ``sys.path``: a project module
    named like one kdocs imports later (``tempfile`` when the cache is written) would run."""
    import subprocess

    marker = "EXECUTED"
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "h"\nversion = "1"\n',
            "mod.py": "x = 1\n",
            "tempfile.py": f"open({marker!r}, 'w').close()\nraise SystemExit('planted')\n",
            "shutil.py": f"open({marker!r}, 'w').close()\nraise SystemExit('planted')\n",
        }
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    done = subprocess.run(
        [sys.executable, "-m", "kdocs", "check", "."],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert not (root / marker).exists(), done.stderr
    assert done.returncode == 0, done.stderr
    assert (root / ".kdocs_cache").is_dir()  # the cache was written: tempfile was imported
