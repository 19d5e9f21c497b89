"""The check-result cache: a warm ``kdocs check`` of an unchanged project prints what the
rules found last time without importing a rule, an extractor or the config schema, and any
change to an input (a source, a hidden rule input, the config, the command's own options)
gives exactly what a run without any cache gives."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kdocs import __version__, cache, cacheseal
from tests.conftest import MakeProject
from tests.helpers import age_tree as _age
from tests.helpers import run_kdocs

FILES = {
    "pyproject.toml": """
        [project]
        name = "app"
        version = "1"
        dependencies = ["click>=8", "pydantic>=2"]

        [project.scripts]
        app = "app.cli:main"

        [tool.kdocs]
        convention = "kubernetes"
    """,
    "app/__init__.py": "",
    "app/cli.py": '''
        import click
        import yaml

        from app.models import User


        @click.command()
        @click.option("--dry_run", is_flag=True, help="only print")
        @click.argument("name")
        def main(name, dry_run):
            """Add a user."""
            print(User(name=name), yaml)
    ''',
    "app/models.py": '''
        import pydantic


        class User(pydantic.BaseModel):
            """A user."""

            name: str
            userAge: int = 3
    ''',
    "app/db/__init__.py": "from app import cli\n",
}

FORMATS = ("text", "json", "sarif", "github")


@pytest.fixture
def project(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo project; files written by the test count as settled (no racy-clean wait)."""
    monkeypatch.setattr(cache, "TICK_NS", 0)
    root = make_project(FILES)
    _age(root)
    return root


def _result_file(root: Path) -> Path:
    return root / ".kdocs_cache" / __version__ / "check-result.json"


def _outputs(root: Path, *extra: str) -> dict[str, tuple[int, str]]:
    out = {}
    for fmt in FORMATS:
        run = run_kdocs("check", "--format", fmt, *extra, cwd=root)
        out[fmt] = (run.exit_code, run.stdout)
    run = run_kdocs("check", "--statistics", *extra, cwd=root)
    out["statistics"] = (run.exit_code, run.stdout)
    return out


def _entries(root: Path) -> int:
    return len(cacheseal.read_json(_result_file(root))["entries"])


def test_warm_output_is_what_a_run_without_cache_prints(project: Path) -> None:
    truth = _outputs(project, "--no-cache")
    assert "C101" in truth["text"][1] and truth["text"][0] == 1
    assert _outputs(project) == truth  # cold: stores the result
    assert _result_file(project).is_file()
    assert _outputs(project) == truth  # warm: answered by the cache


PROBE = textwrap.dedent(
    """
    import json, sys
    from kdocs import cache
    from kdocs.cli import main
    cache.TICK_NS = 0  # files the test just wrote count as settled
    try:
        main(["check", "--format", "json", "."])
    except SystemExit:
        pass
    with open(sys.argv[1], "w") as handle:
        json.dump(sorted(sys.modules), handle)
    """
)


def test_a_warm_check_imports_no_rule_extractor_or_schema(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "modules.json"
    runs = []
    for _ in range(2):  # the first run fills the caches, the second is answered by them
        runs.append(
            subprocess.run(
                [sys.executable, "-c", PROBE, str(out)], cwd=project, capture_output=True
            ).stdout
        )
    assert runs[0] == runs[1] and b"C101" in runs[1]
    modules = set(json.loads(out.read_text()))
    assert "kdocs.resultcache" in modules  # the probe really ran a check
    heavy = {
        "kdocs.schema",
        "kdocs.analysis",
        "kdocs.rules.registry",
        "kdocs.extract.types",
        "kdocs.extract.deps",
        "kdocs.extract.cli",
        "packaging",
        "libcst",
        "jinja2",
        "yaml",
    }
    assert not modules & heavy


EDITS = [
    pytest.param("app/cli.py", '"--dry_run"', '"--dry-run"', id="source"),
    pytest.param("app/new.py", None, "import requests\n", id="new-file"),
    pytest.param(
        "pyproject.toml", 'convention = "kubernetes"', 'convention = "python"', id="convention"
    ),
    pytest.param(
        "pyproject.toml",
        'convention = "kubernetes"',
        'convention = "kubernetes"\n[tool.kdocs.cli]\nflag-pattern = "^[a-z_]+$"',
        id="rule-option",
    ),
    pytest.param(
        "app/.import-restrictions",
        None,
        "rules:\n  - selectorRegexp: app[.]cli\n    forbiddenPrefixes: ['']\n",
        id="hidden-restrictions",
    ),
    pytest.param(
        "app/cli.py",
        'help="only print")',
        'help="only print")  # kdocs: ignore[C101]',
        id="suppression-comment",
    ),
]


@pytest.mark.parametrize(("relpath", "old", "new"), EDITS)
def test_an_edited_input_gives_what_a_run_without_cache_gives(
    project: Path, relpath: str, old: str | None, new: str
) -> None:
    before = _outputs(project)
    assert _outputs(project) == before  # warm and cached
    path = project / relpath
    text = new if old is None else path.read_text().replace(old, new, 1)
    assert old is None or text != path.read_text()
    path.write_text(text)
    _age(project)
    truth = _outputs(project, "--no-cache")
    assert truth != before  # the edit does change the findings
    warm = _outputs(project)
    for fmt in truth:
        assert warm[fmt] == truth[fmt], fmt
    assert _outputs(project) == truth  # and the new result is the one cached


def test_command_options_are_part_of_the_key(project: Path) -> None:
    for extra in ([], ["--select", "F"], ["--ignore", "C101"], ["app/models.py"]):
        truth = _outputs(project, "--no-cache", *extra)
        assert _outputs(project, *extra) == truth
        assert _outputs(project, *extra) == truth
    assert _entries(project) == 3  # a PATH narrows the whole project's result: no entry


def test_paths_narrow_the_whole_projects_cached_result(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pre-commit passes other files at every commit: each set of PATHs is answered from the
    result of the whole project, with the same findings and suppressed counts as a run
    without any cache."""
    from kdocs import engine

    cli = project / "app/cli.py"
    cli.write_text(
        cli.read_text().replace('help="only print")', 'help="only print")  # kdocs: ignore')
    )
    _age(project)
    run_kdocs("check", cwd=project)
    runs = []
    real = engine._run_rules
    monkeypatch.setattr(engine, "_run_rules", lambda *a, **k: runs.append(1) or real(*a, **k))
    for paths in (["app/cli.py"], ["app/models.py"], ["app/cli.py", "app/db"], ["app"]):
        warm = _outputs(project, *paths)
        assert not runs, paths  # answered by the whole project's stored result
        assert warm == _outputs(project, "--no-cache", *paths), paths
        runs.clear()
    scoped = json.loads(run_kdocs("check", "--format", "json", "app/cli.py", cwd=project).stdout)
    assert scoped["summary"]["suppressed"] == 1
    assert {d["file"] for d in scoped["diagnostics"]} == {"app/cli.py"}


def test_a_baseline_applies_to_a_cached_result(project: Path, tmp_path: Path) -> None:
    run_kdocs("check", cwd=project)
    baseline = tmp_path / "baseline.json"
    run_kdocs("check", "--write-baseline", str(baseline), cwd=project)
    warm = run_kdocs("check", "--baseline", str(baseline), cwd=project)
    assert warm.exit_code == 0, warm.stdout
    assert "C101" not in warm.stdout


def test_fresh_files_are_not_cached(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "TICK_NS", 2_000_000_000)
    run_kdocs("check", cwd=project)  # the files were written within the clock tick
    assert not _result_file(project).exists()
    monkeypatch.setattr(cache, "TICK_NS", 0)
    run_kdocs("check", cwd=project)
    assert _result_file(project).is_file()


@pytest.mark.parametrize(
    "planted",
    [
        b"not json",
        b'{"format": 1, "entries": []}',
        b'{"format": 1, "entries": {"k": {"externals": 3}}}',
    ],
)
def test_a_corrupt_or_planted_result_file_is_ignored(project: Path, planted: bytes) -> None:
    truth = _outputs(project, "--no-cache")
    path = _result_file(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(planted)
    assert _outputs(project) == truth
    assert _outputs(project) == truth  # from the rewritten file


def test_a_stored_result_with_a_mangled_entry_is_ignored(project: Path) -> None:
    truth = _outputs(project, "--no-cache")
    _outputs(project)
    path = _result_file(project)
    data = cacheseal.read_json(path)
    for entry in data["entries"].values():
        entry["diagnostics"] = [{"code": 3}]
    cacheseal.write_json(path, data)  # sealed with this machine's key: only the shape is bad
    assert _outputs(project) == truth


def test_a_planted_result_that_hides_findings_is_ignored(project: Path) -> None:
    # A pull request can commit a cache file (git add -f). One that says "no findings" for
    # the very key of this checkout must not silence the gate: it is not sealed by this
    # machine's key (kdocs.cacheseal), so it is ignored.
    truth = _outputs(project, "--no-cache")
    _outputs(project)
    path = _result_file(project)
    data = cacheseal.read_json(path)
    for entry in data["entries"].values():
        entry["diagnostics"] = []
    path.write_text(json.dumps(data))
    assert _outputs(project) == truth
    forged = cacheseal.MAGIC + b"\0" * 32 + json.dumps(data).encode()
    path.write_bytes(forged)
    assert _outputs(project) == truth


def test_no_cache_and_fix_neither_read_nor_write(project: Path) -> None:
    run_kdocs("check", "--no-cache", cwd=project)
    assert not _result_file(project).exists()
    run_kdocs("check", "--fix", cwd=project)
    assert not _result_file(project).exists()


def test_the_seal_key_lives_outside_the_project_and_is_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cacheseal._key.cache_clear()
    try:
        sealed = cacheseal.seal(b"payload")
        key = cacheseal.key_path()
        assert key.is_file() and key.stat().st_mode & 0o077 == 0
        assert cacheseal.unseal(sealed) == b"payload"
        assert cacheseal.unseal(sealed[:-1] + b"X") is None
        key.write_bytes(b"k" * 32)  # another machine's key
        cacheseal._key.cache_clear()
        assert cacheseal.unseal(sealed) is None
    finally:
        cacheseal._key.cache_clear()


def test_a_hand_edited_generated_page_is_seen_through_the_result_cache(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    # G001 compares committed pages that no model covers: the rule names them as inputs
    # (RuleContext.reads), so a cached "clean" result is not reused after a page changes.
    monkeypatch.setattr(cache, "TICK_NS", 0)
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "app"\nversion = "1"\n'
            '[project.scripts]\napp = "app:main"\n'
            '[tool.kdocs.gen]\nformats = ["markdown"]\nmarkdown-out = "docs/cli"\n',
            "app.py": '''
                import click


                @click.command()
                @click.option("--name", help="Who to greet.")
                def main(name):
                    """Greet someone."""
            ''',
        }
    )
    assert run_kdocs("gen", "all", cwd=root).exit_code == 0
    _age(root)
    assert run_kdocs("check", "--select", "G", cwd=root).exit_code == 0
    assert run_kdocs("check", "--select", "G", cwd=root).exit_code == 0  # cached
    page = root / "docs" / "cli" / "app.md"
    page.write_text(page.read_text() + "\nEdited by hand.\n")
    _age(root)
    run = run_kdocs("check", "--select", "G", cwd=root)
    assert run.exit_code == 1 and "G001" in run.stdout
    page.unlink()
    truth = run_kdocs("check", "--select", "G", "--no-cache", cwd=root).stdout
    assert "G001" in truth
    assert run_kdocs("check", "--select", "G", cwd=root).stdout == truth


def test_a_symlink_planted_among_generated_pages_is_not_followed(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # G001 names the committed pages as inputs of the cached result. A pull request can plant
    # a symlink there (to a secret outside the project): kdocs must not stat or hash its
    # target, so neither the link nor what it points to is named in the result cache.
    monkeypatch.setattr(cache, "TICK_NS", 0)
    secret = tmp_path / "secret"
    secret.write_text("token = 1\n")
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "app"\nversion = "1"\n'
            '[project.scripts]\napp = "app:main"\n'
            '[tool.kdocs.gen]\nformats = ["markdown"]\nmarkdown-out = "docs/cli"\n',
            "app.py": 'import click\n\n\n@click.command()\ndef main():\n    """Greet."""\n',
        }
    )
    assert run_kdocs("gen", "all", cwd=root).exit_code == 0
    for name in ("pyproject.toml", "app.md"):
        target = root / "docs" / "cli" / name
        target.unlink(missing_ok=True)
        target.symlink_to(secret)
    _age(root)
    run_kdocs("check", "--select", "G", cwd=root)
    data = cacheseal.read_json(_result_file(root))
    named = [path for entry in data["entries"].values() for path, _ in entry["externals"]]
    assert named and str(root / "docs" / "cli") in named
    assert not [p for p in named if p.endswith(("pyproject.toml", "app.md")) or "secret" in p]
