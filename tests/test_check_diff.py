"""``kdocs check --diff REF`` / ``--changed-since REF`` in a real git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import MakeProject
from tests.helpers import run_kdocs

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None and not os.environ.get("KDOCS_REQUIRE_TOOLS"),
    reason="needs git (.ci/run installs it)",
)

CLI = '''\
import click

from greet.bye import bye
from greet.hello import hello


@click.group()
def cli():
    """Greet people."""


cli.add_command(hello)
cli.add_command(bye)
'''

HELLO = '''\
import click


@click.command()
@click.option("--dry_run", is_flag=True, help="Do nothing.")
def hello(dry_run):
    """Say hello."""
'''

BYE = '''\
import click


@click.command()
@click.option("--be_quiet", is_flag=True, help="Say less.")
def bye(be_quiet):
    """Say goodbye."""
'''


def git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    proc = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    return proc.stdout


@pytest.fixture
def repo(make_project: MakeProject) -> Path:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "greet"\nversion = "1"\n'
            '[project.scripts]\ngreet = "greet.cli:cli"\n',
            "greet/__init__.py": "",
            "greet/cli.py": CLI,
            "greet/hello.py": HELLO,
            "greet/bye.py": BYE,
            ".gitignore": "ignored/\n",
        }
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "one")
    return root


def files_of(root: Path, *args: str) -> list[tuple[str, str]]:
    run = run_kdocs(
        "check", *args, "--format", "json", "--no-cache", "--select", "C101,E003", cwd=root
    )
    assert run.exit_code in (0, 1), run.stderr
    return [(d["file"], d["message"]) for d in run.json()["diagnostics"]]


def test_whole_project_has_findings_in_two_files(repo: Path) -> None:
    assert {f for f, _ in files_of(repo)} == {"greet/hello.py", "greet/bye.py"}


def test_only_changed_and_untracked_files_are_reported(repo: Path) -> None:
    hello = repo / "greet" / "hello.py"
    hello.write_text(hello.read_text().replace("Say hello.", "Say hello!"))
    (repo / "greet" / "new.py").write_text("def f(:\n")  # untracked
    (repo / "ignored").mkdir()
    (repo / "ignored" / "gone.py").write_text("def f(:\n")  # git-ignored
    found = files_of(repo, "--diff", "HEAD")
    assert {f for f, _ in found} == {"greet/hello.py", "greet/new.py"}
    # The unchanged cli.py was still analysed: the command path comes from its group.
    (message,) = [m for f, m in found if f == "greet/hello.py"]
    assert "greet hello" in message
    assert files_of(repo, "--changed-since", "HEAD") == found


def test_nothing_changed_is_clean(repo: Path) -> None:
    run = run_kdocs("check", "--diff", "HEAD", "--no-cache", cwd=repo)
    assert run.exit_code == 0, run.stdout
    assert run.stdout.startswith("All checks passed")


def test_staged_committed_and_renamed_changes(repo: Path) -> None:
    git(repo, "mv", "greet/bye.py", "greet/farewell.py")
    cli = repo / "greet" / "cli.py"
    cli.write_text(cli.read_text().replace("greet.bye", "greet.farewell"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "rename")
    assert {f for f, _ in files_of(repo, "--diff", "HEAD~1")} == {"greet/farewell.py"}
    assert files_of(repo, "--diff", "HEAD") == []
    hello = repo / "greet" / "hello.py"
    hello.write_text(hello.read_text() + "\n")
    git(repo, "add", "greet/hello.py")  # staged, not committed
    assert {f for f, _ in files_of(repo, "--diff", "HEAD")} == {"greet/hello.py"}


def test_diff_and_paths_intersect(repo: Path) -> None:
    for name in ("hello.py", "bye.py"):
        path = repo / "greet" / name
        path.write_text(path.read_text() + "\n")
    assert {f for f, _ in files_of(repo, "--diff", "HEAD", "greet/bye.py")} == {"greet/bye.py"}


def test_from_a_subfolder_of_the_repository(repo: Path) -> None:
    """git prints paths from the repository top; the project may sit below it."""
    outer = repo.parent / "outer"
    outer.mkdir()
    shutil.move(repo / ".git", outer / ".git")
    shutil.move(repo, outer / "proj")
    git(outer, "add", "-A")
    git(outer, "commit", "-q", "-m", "moved")
    hello = outer / "proj" / "greet" / "hello.py"
    hello.write_text(hello.read_text() + "\n")
    assert {f for f, _ in files_of(outer / "proj", "--diff", "HEAD")} == {"greet/hello.py"}


@pytest.mark.parametrize(
    ("ref", "says"),
    [
        ("no-such-branch", "--diff no-such-branch: not a git ref"),
        ("-x", "--diff -x: a ref cannot start with '-'"),
        ("--output=pwned", "--diff --output=pwned: a ref cannot start with '-'"),
        ("", "--diff: empty ref"),
        ("HEAD\nx", "--diff HEAD\\x0ax: a ref cannot hold control characters"),
    ],
)
def test_bad_refs_are_usage_errors(repo: Path, ref: str, says: str) -> None:
    run = run_kdocs("check", f"--diff={ref}", "--no-cache", cwd=repo)
    assert run.exit_code == 2
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith(f"kdocs: error: {says}")
    assert not (repo / "pwned").exists()


def test_option_like_ref_as_separate_argument(repo: Path) -> None:
    run = run_kdocs("check", "--diff", "--output=pwned", "--no-cache", cwd=repo)
    assert run.exit_code == 2
    assert "a ref cannot start with '-'" in run.stderr
    assert not (repo / "pwned").exists()


def test_not_a_git_repository(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "", "a.py": "x = 1\n"})
    run = run_kdocs(
        "check",
        "--diff",
        "HEAD",
        "--no-cache",
        cwd=root,
        env={"GIT_CEILING_DIRECTORIES": str(root.parent)},
    )
    assert run.exit_code == 2
    assert run.stderr.startswith("kdocs: error: --diff HEAD: ")
    assert "is not in a git repository" in run.stderr


def test_repository_config_cannot_run_programs(repo: Path) -> None:
    """A checked-out repository's own .git/config is hostile: an fsmonitor hook or an
    external diff driver must not run when kdocs asks git what changed."""
    marker = repo.parent / "ran"
    script = repo.parent / "hook.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n")
    script.chmod(0o755)
    git(repo, "config", "core.fsmonitor", str(script))
    git(repo, "config", "diff.external", str(script))
    hello = repo / "greet" / "hello.py"
    hello.write_text(hello.read_text() + "\n")
    assert {f for f, _ in files_of(repo, "--diff", "HEAD")} == {"greet/hello.py"}
    assert not marker.exists()


def test_write_baseline_with_diff_is_refused(repo: Path) -> None:
    run = run_kdocs("check", "--diff", "HEAD", "--write-baseline", "b.json", cwd=repo)
    assert run.exit_code == 2
    assert "--write-baseline records every finding; drop --diff" in run.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_git_refusing_the_repository_says_why(repo: Path) -> None:
    """git refuses a repository owned by someone else ("dubious ownership"): the message
    quotes git instead of claiming there is no repository."""
    for path in [repo, *repo.rglob("*")]:
        os.lchown(path, 65534, 65534)
    env = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    run = run_kdocs("check", "--diff", "HEAD", "--no-cache", cwd=repo, env=env)
    assert run.exit_code == 2
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith(f"kdocs: error: --diff HEAD: git cannot read {repo}: ")
    assert "dubious ownership" in line


def test_the_result_cache_keys_on_the_diff(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kdocs import cache

    monkeypatch.setattr(cache, "TICK_NS", 0)  # the files were just written: count them settled

    def cached(*args: str) -> set[str]:
        run = run_kdocs("check", *args, "--format", "json", "--select", "C101", cwd=repo)
        return {d["file"] for d in run.json()["diagnostics"]}

    hello = repo / "greet" / "hello.py"
    hello.write_text(hello.read_text() + "\n")
    assert cached() == cached() == {"greet/hello.py", "greet/bye.py"}  # stored, then reused
    assert cached("--diff", "HEAD") == cached("--diff", "HEAD") == {"greet/hello.py"}
    assert cached() == {"greet/hello.py", "greet/bye.py"}
