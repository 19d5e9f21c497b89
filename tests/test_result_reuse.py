"""A check after an edit that changed nothing a check depends on reuses the stored result
(``kdocs/resultreuse.py``): no rule runs, no model is linked. Every other edit runs the
check, and every output here equals what a run without any cache prints."""

from __future__ import annotations

import dataclasses
import functools
import os
from pathlib import Path
from typing import Any

import pytest

from kdocs import __version__, analysis, cache, cacheseal, engine
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
    "app/texts.py": 'NAME_FLAG = "--name"\nNAME_HELP = "the name"\n',
    "app/cli.py": '''
        import click

        from app.models import User
        from app.texts import NAME_FLAG, NAME_HELP


        @click.command()
        @click.option("--dry_run", is_flag=True, help="only print")
        @click.option(NAME_FLAG, help=NAME_HELP)
        def main(name, dry_run):
            """Add a user."""
            print(User(name=name))
    ''',
    "app/models.py": '''
        import pydantic


        class User(pydantic.BaseModel):
            """A user."""

            name: str
            userAge: int = 3


        # helpers, as they are
        def helper(x):
            return x
    ''',
}


class RuleRuns:
    """Counts the checks that ran their rules (a reused result runs none)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = engine._run_rules

        def counted(*args: Any, **kw: Any) -> Any:
            self.calls += 1
            return real(*args, **kw)

        monkeypatch.setattr(engine, "_run_rules", counted)


@pytest.fixture
def project(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo project; files written by the test count as settled (no racy-clean wait)."""
    monkeypatch.setattr(cache, "TICK_NS", 0)
    root = make_project(FILES)
    _age(root)
    return root


def _check(root: Path, *extra: str) -> str:
    return run_kdocs("check", "--format", "json", "--exit-zero", *extra, cwd=root).stdout


def _edit(root: Path, relpath: str, old: str, new: str) -> None:
    path = root / relpath
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _append(root: Path, relpath: str, text: str) -> None:
    with (root / relpath).open("a") as handle:
        handle.write(text)


def _trees(root: Path) -> list[Path]:
    return sorted((root / ".kdocs_cache" / __version__ / "check-trees").glob("*.bin"))


def test_an_edit_that_keeps_every_result_reuses_the_stored_one(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _check(project)
    assert '"C' in first and '"F' in first  # the project has findings to reuse
    runs = RuleRuns(monkeypatch)
    edits = (
        lambda: _append(project, "app/models.py", "# a comment at the end\n"),
        lambda: _edit(project, "app/models.py", "as they are", "unchanged"),  # a comment
        lambda: os.utime(project / "app/cli.py"),  # touched, same content
        # a module the CLI interpreter reads (for a flag name): a comment leaves its IR as it
        # was, and the link depends on the IR, not the bytes
        lambda: _append(project, "app/texts.py", "# the texts\n"),
        # a small one-argument function no model uses (the types facts keep its text, out
        # of the digest: the types link notes a token of each function it does use)
        lambda: _edit(project, "app/models.py", "return x", "return x + 1"),
    )
    for n, edit in enumerate(edits):
        edit()
        assert _check(project) == first, n
        assert runs.calls == n, n  # reused: no rule ran (only the --no-cache runs did)
        assert _check(project, "--no-cache") == first, n


def test_edits_that_change_what_the_check_sees_run_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _check(project)
    runs = RuleRuns(monkeypatch)
    edits = [
        # a fact (a field renamed), another (a class docstring), and an option added
        lambda: _edit(project, "app/models.py", "userAge", "user_age"),
        lambda: _edit(project, "app/models.py", '"""A user."""', '"""A person."""'),
        lambda: _edit(
            project, "app/cli.py", "@click.command()\n", '@click.command()\n@click.option("--x")\n'
        ),
        # a suppression comment on a finding's line: no fact changes, the output does
        lambda: _edit(
            project, "app/cli.py", 'help="only print")', 'help="only print")  # kdocs: ignore'
        ),
        # a module the CLI interpreter reads for a flag name (no CLI facts of its own)
        lambda: _edit(project, "app/texts.py", "--name", "--user_name"),
        # a new file
        lambda: (project / "app/extra.py").write_text("import os\n"),
    ]
    for i, edit in enumerate(edits, 1):
        before = _check(project)
        edit()
        after = _check(project)
        assert after == _check(project, "--no-cache"), i
        assert runs.calls == 2 * i, i  # the edited run and --no-cache ran their rules
        if i in (1, 3, 4, 5):
            assert after != before, i


def test_a_file_compared_with_the_record_is_not_extracted_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The edited file was extracted to compare it with the record; when it differs, the
    check that follows takes that extraction (same stamp, same settings) instead of a
    second one, and prints what a run without any cache prints."""
    _check(project)
    _edit(project, "app/models.py", "userAge", "user_age")  # a fact changes
    extracted: list[str] = []
    real = analysis.process_file

    def counted(entry: Any, *args: Any, **kw: Any) -> Any:
        extracted.append(entry.relpath)
        return real(entry, *args, **kw)

    monkeypatch.setattr(analysis, "process_file", counted)
    runs = RuleRuns(monkeypatch)
    after = _check(project)
    assert runs.calls == 1  # not reused: the check ran
    assert extracted == ["app/models.py"]  # once, for the comparison
    assert after == _check(project, "--no-cache")


def test_a_planted_or_foreign_tree_record_is_ignored(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _check(project)
    (tree,) = _trees(project)
    record = cacheseal.read_binary(tree)
    assert isinstance(record, dict)
    # A pull request plants a record that claims the new digest of a changed file is the
    # recorded one: unsealed (plain marshal data), it must not be trusted.
    _edit(project, "app/models.py", "userAge", "user_age")
    tree.write_bytes(__import__("marshal").dumps(record))
    runs = RuleRuns(monkeypatch)
    assert _check(project) == _check(project, "--no-cache")
    assert runs.calls == 2


def test_the_stored_result_must_still_exist(project: Path) -> None:
    _check(project)
    (project / ".kdocs_cache" / __version__ / "check-result.json").unlink()
    _append(project, "app/models.py", "# comment\n")
    assert _check(project) == _check(project, "--no-cache")


def test_a_check_answered_by_cached_models_records_digests_too(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule option changed: the check runs its rules on cached models (nothing is
    extracted), and still records every file's digests from the per-file cache, so the next
    comment edit is answered from it."""
    _check(project)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + '\n[tool.kdocs.types]\nacronyms = ["ID"]\n')
    _age(project)
    second = _check(project)  # a new head: its rules run, its models come from the cache
    runs = RuleRuns(monkeypatch)
    _append(project, "app/models.py", "# later\n")
    assert _check(project) == second
    assert runs.calls == 0
    assert _check(project, "--no-cache") == second


def test_a_check_answered_by_cached_models_still_depends_on_what_their_links_read(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI link read app/texts.py (for a flag's name). A check whose CLI model came from
    the model cache (a rule option changed: its rules ran, nothing was linked) replays the
    link's reads from the model's entry, so a later edit of that module is not taken for
    one nothing depends on."""
    _check(project)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + '\n[tool.kdocs.types]\nacronyms = ["ID"]\n')
    runs = RuleRuns(monkeypatch)
    linked = Links(monkeypatch)
    _check(project)  # a new head: its rules run, its models come from the cache
    assert runs.calls == 1 and "cli" not in linked.kinds
    _edit(project, "app/texts.py", "--name", "--user_name")
    after = _check(project)
    assert after == _check(project, "--no-cache")
    assert "--user_name" in after


class Links:
    """The kinds a check linked (a model loaded from the model cache links none)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.kinds: list[str] = []
        real = analysis.get_provider

        def tracked(kind: str) -> Any:
            provider = real(kind)
            link = provider.link

            @functools.wraps(link)  # the model cache reads the model class from it
            def counted(*args: Any, **kw: Any) -> Any:
                self.kinds.append(kind)
                return link(*args, **kw)

            return dataclasses.replace(provider, link=counted)

        monkeypatch.setattr(analysis, "get_provider", tracked)
