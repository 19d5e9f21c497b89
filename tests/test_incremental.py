"""A one-file-changed check re-does only what the change needs (issue 14): the work a warm
run with one edit still does is counted here, and its output is always the ``--no-cache``
output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kdocs import __version__, cache, modelcache
from kdocs.analysis import Analysis
from kdocs.extract.cli import interp
from kdocs.project import discover
from tests.conftest import MakeProject
from tests.helpers import run_kdocs
from tests.test_model_cache import KINDS, STORED, LinkCounter, _age, _outputs, _project


@pytest.fixture
def no_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test are seconds old at most: accept them as settled."""
    monkeypatch.setattr(cache, "TICK_NS", 0)


class KeyCounter:
    """Counts how often the bulk of the cache keys (every file's stat, every folder's
    listing) is computed: once per run, whatever the number of keys built from it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = modelcache._compute_tree_digest

        def counted(project: Any, file_stats: bool) -> str | None:
            if file_stats:  # without: the structure key, which re-stats nothing
                self.calls += 1
            return real(project, file_stats)

        monkeypatch.setattr(modelcache, "_compute_tree_digest", counted)


def _linked(root: Path, kind: str) -> Path:
    return root / ".kdocs_cache" / __version__ / f"{kind}-linked.json"


def test_models_are_saved_by_one_flush_without_restating_the_tree(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, no_tick: None
) -> None:
    root = _project(make_project)
    keys = KeyCounter(monkeypatch)
    analysis = Analysis(discover([root]), jobs=1)
    for kind in KINDS:
        analysis.model(kind)
    assert keys.calls == 1  # the key every model shares, computed once
    assert not any(_linked(root, kind).exists() for kind in KINDS)  # not saved yet
    analysis.flush()
    assert keys.calls == 1  # no recheck: the keys came from stamps taken before any read
    assert all(_linked(root, kind).is_file() for kind in STORED)
    analysis.flush()  # nothing pending: no more work
    assert keys.calls == 1


def test_a_check_stats_the_tree_once(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, no_tick: None
) -> None:
    root = _project(make_project)
    cold = _outputs(root, "--no-cache")
    keys = KeyCounter(monkeypatch)
    assert run_kdocs("check", "--format", "json", cwd=root).stdout == cold["check"]
    assert keys.calls == 1  # the result key and every model key share one stat of each file
    assert all(_linked(root, kind).is_file() for kind in STORED)


def test_an_input_edited_while_linking_is_never_served(
    make_project: MakeProject, no_tick: None
) -> None:
    root = _project(make_project)
    analysis = Analysis(discover([root]), jobs=1)
    analysis.model("cli")
    (root / "app/cli.py").write_text("import click\n")  # edited while we linked
    analysis.flush()  # stored under the stamps taken before the edit
    cold = json.loads(
        run_kdocs("inspect", "cli", "--format", "json", "--no-cache", cwd=root).stdout
    )
    assert json.loads(run_kdocs("inspect", "cli", "--format", "json", cwd=root).stdout) == cold
    assert cold["clis"] == []  # the edit is what is reported, not the model linked before it


def test_a_check_result_stored_during_an_edit_is_never_served(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, no_tick: None
) -> None:
    """The result key is taken before the rules read anything: a file edited while they run
    leaves the stored result under its old stamp, where the next run never looks."""
    from kdocs import engine

    root = _project(make_project)
    real = engine._run_rules

    def edit_midway(*args: Any, **kw: Any) -> Any:
        found = real(*args, **kw)
        (root / "app/cli.py").write_text("import click\n")
        return found

    monkeypatch.setattr(engine, "_run_rules", edit_midway)
    run_kdocs("check", "--format", "json", "--exit-zero", cwd=root)
    monkeypatch.setattr(engine, "_run_rules", real)
    cold = run_kdocs("check", "--format", "json", "--exit-zero", "--no-cache", cwd=root).stdout
    assert run_kdocs("check", "--format", "json", "--exit-zero", cwd=root).stdout == cold


IR_FILES = {
    "pyproject.toml": """
        [project]
        name = "tool"
        version = "1"

        [project.scripts]
        tool = "tool.cli:main"
    """,
    "tool/__init__.py": "",
    "tool/texts.py": 'GREETING = "Say hello."\nNAME_HELP = "Who to greet."\n',
    "tool/cli.py": """
        import click

        from tool.texts import GREETING, NAME_HELP


        @click.command(help=GREETING)
        @click.option("--name", help=NAME_HELP)
        def main(name):
            pass
    """,
}


class ParseCounter:
    """Counts the modules the CLI linker parses on demand (those without per-file facts)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.modules: list[str] = []
        real = interp.parse_module_ir

        def counted(text: str, relpath: str, module: str, is_package: bool) -> Any:
            self.modules.append(module)
            return real(text, relpath, module, is_package)

        monkeypatch.setattr(interp, "parse_module_ir", counted)


def _inspect_cli(root: Path, *extra: str) -> str:
    return run_kdocs("inspect", "cli", "--format", "json", *extra, cwd=root).stdout


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    _age(path.parent.parent)


def test_the_cli_link_does_not_reparse_unchanged_modules(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, no_tick: None
) -> None:
    root = make_project(IR_FILES)
    _age(root)
    parsed = ParseCounter(monkeypatch)
    first = _inspect_cli(root)
    assert "Who to greet." in first
    assert parsed.modules == ["tool.texts"]  # no CLI text: read by the linker, not extracted
    # The file with the CLI changes: the model is re-linked, the helper module is not parsed.
    _edit(root / "tool/cli.py", '"--name"', '"--who"')
    parsed.modules.clear()
    warm = _inspect_cli(root)
    assert parsed.modules == []
    assert "--who" in warm and "Who to greet." in warm
    assert warm == _inspect_cli(root, "--no-cache")  # --no-cache: parses, same output
    assert parsed.modules == ["tool.texts"]
    # The helper itself changes: it is parsed again, and what it says now is reported.
    _edit(root / "tool/texts.py", "Who to greet.", "Whom to greet.")
    parsed.modules.clear()
    warm = _inspect_cli(root)
    assert parsed.modules == ["tool.texts"]
    assert "Whom to greet." in warm and warm == _inspect_cli(root, "--no-cache")
    parsed.modules.clear()
    _edit(root / "tool/cli.py", '"--who"', '"--name"')  # back: the helper is cached again
    assert _inspect_cli(root) == _inspect_cli(root, "--no-cache")
    assert parsed.modules == ["tool.texts"]  # only the --no-cache run parsed it


def test_a_planted_ir_cache_file_is_ignored(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, no_tick: None
) -> None:
    root = make_project(IR_FILES)
    _age(root)
    cold = _inspect_cli(root, "--no-cache")
    _inspect_cli(root)
    stored = root / ".kdocs_cache" / __version__ / f"{interp.IR_KIND}.bin"
    assert stored.is_file()
    stored.write_text(json.dumps({"format": 3, "entries": {}, "results": {"x": {"ir": 1}}}))
    _edit(root / "tool/cli.py", '"--name"', '"--who"')
    parsed = ParseCounter(monkeypatch)
    assert _inspect_cli(root) == _inspect_cli(root, "--no-cache") != cold
    assert parsed.modules == ["tool.texts", "tool.texts"]  # the planted file was not used


@pytest.mark.parametrize(
    ("old", "new", "relinked"),
    [
        # Help text only: the import facts are the same, so deps is not re-linked (imports is
        # linked from its cached facts on every run, by design: not counted).
        ('help="only print"', 'help="Only print."', ["cli"]),
        # A new import: every stored kind that reads imports is re-linked.
        ("import yaml\n", "import yaml\nimport requests\n", ["cli", "deps"]),
    ],
)
def test_an_edit_relinks_imports_and_deps_only_when_the_imports_change(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    no_tick: None,
    old: str,
    new: str,
    relinked: list[str],
) -> None:
    root = _project(make_project)
    _outputs(root)  # fills the caches
    _edit(root / "app/cli.py", old, new)
    cold = _outputs(root, "--no-cache")
    counter = LinkCounter(monkeypatch)
    assert run_kdocs("check", "--format", "json", cwd=root).stdout == cold["check"]
    assert sorted(set(counter.calls) - {"types"}) == relinked  # types: a cache of its own
    counter.calls.clear()
    assert _outputs(root) == cold  # and every model is cached under its new key
    assert counter.calls == []


def test_a_moved_module_relinks_imports(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, no_tick: None
) -> None:
    """The same import facts in a different layout are a different graph."""
    root = _project(make_project)
    _outputs(root)
    (root / "app/models.py").rename(root / "app/schema.py")
    _age(root)
    cold = _outputs(root, "--no-cache")
    counter = LinkCounter(monkeypatch)
    assert _outputs(root) == cold
    assert "deps" in counter.calls
