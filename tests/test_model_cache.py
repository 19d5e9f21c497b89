"""The linked-model cache: a warm run re-links nothing, and what it reports is byte for byte
what a cold run reports, before and after an edit, for every model kind."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from kdocs import __version__, analysis, cache, cacheseal
from kdocs.analysis import Analysis
from kdocs.extract import PROVIDER_MODULES, Provider, SourceFile, get_provider
from kdocs.project import discover
from tests.conftest import MakeProject
from tests.helpers import age_tree as _age
from tests.helpers import run_kdocs

KINDS = ("cli", "types", "imports", "deps")
STORED = tuple(kind for kind in KINDS if get_provider(kind).model_cached)
"""The kinds whose linked model is stored (imports is linked from its cached facts on every
run that needs it: loading the stored graph cost as much as linking it)."""

FILES = {
    "pyproject.toml": """
        [project]
        name = "app"
        version = "1"
        dependencies = ["click>=8", "pydantic>=2", "requests"]

        [project.scripts]
        app = "app.cli:main"

        [tool.kdocs]
        convention = "kubernetes"  # so the F family has findings (F111 on `userAge`)

        [[tool.kdocs.imports.contracts]]
        name = "models stay pure"
        type = "forbidden"
        source-modules = ["app.models"]
        forbidden-modules = ["app.cli"]
    """,
    "app/__init__.py": "",
    "app/cli.py": '''
        import click
        import yaml

        from app.models import User


        @click.group()
        def main():
            """Manage users."""


        @main.command()
        @click.option("--dry_run", is_flag=True, help="only print")
        @click.option("--count", default=(1, 2), nargs=2, type=int, help="How many.")
        @click.argument("name")
        def add(name, dry_run, count):
            """Add a user."""
            print(User(name=name), yaml)
    ''',
    "app/models.py": '''
        import pydantic

        from app import cli


        class User(pydantic.BaseModel):
            """A user."""

            name: str
            userAge: int = 3
    ''',
    "app/broken.py": "def broken(:\n    pass\n",
}


@pytest.fixture
def no_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test are seconds old at most: accept them as settled."""
    monkeypatch.setattr(cache, "TICK_NS", 0)


def _project(make_project: MakeProject) -> Path:
    root = make_project(FILES)
    _age(root)
    return root


def _outputs(root: Path, *extra: str) -> dict[str, str]:
    out = {"check": run_kdocs("check", "--format", "json", *extra, cwd=root).stdout}
    for kind in KINDS:
        out[kind] = run_kdocs("inspect", kind, "--format", "json", *extra, cwd=root).stdout
    return out


class LinkCounter:
    """Counts the link calls of every provider whose model is stored (through the analysis'
    provider lookup); not ``restrictions``, which reads the few ``.import-restrictions``
    files on every run by design (see kdocs/extract/imports/restrictions.py), nor the kinds
    linked from their cached facts on every run (``model_cached=False``: imports)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        real = get_provider

        def counted(kind: str) -> Provider:
            provider = real(kind)
            if kind == "restrictions" or not provider.model_cached:
                return provider
            link = provider.link

            @functools.wraps(link)
            def link_counted(a: Any, facts: Any) -> Any:
                self.calls.append(kind)
                return link(a, facts)

            return dataclasses.replace(provider, link=link_counted)

        monkeypatch.setattr(analysis, "get_provider", counted)


def test_warm_outputs_are_byte_identical_to_cold_and_nothing_is_relinked(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, no_tick: None
) -> None:
    root = _project(make_project)
    cold = _outputs(root, "--no-cache")
    assert json.loads(cold["check"])["diagnostics"]  # the fixture does have findings
    codes = {d["code"] for d in json.loads(cold["check"])["diagnostics"]}
    assert {"E003", "I005"} <= codes and any(c.startswith("C") for c in codes)
    assert any(c.startswith("D") for c in codes) and any(c.startswith("F") for c in codes)
    assert _outputs(root) == cold  # populates the caches
    counter = LinkCounter(monkeypatch)
    assert _outputs(root) == cold
    assert counter.calls == []
    for kind in KINDS:
        stored = root / ".kdocs_cache" / __version__ / f"{kind}-linked.json"
        assert stored.is_file() == (kind in STORED)


@pytest.mark.parametrize(
    ("relpath", "old", "new"),
    [
        ("app/cli.py", '"--count"', '"--number"'),
        ("app/models.py", "userAge: int = 3", "user_age: int = 3\n    email: str"),
        ("app/models.py", "from app import cli", "from app import __name__ as cli"),
        ("pyproject.toml", '"requests"', '"requests", "PyYAML"'),
        ("app/broken.py", "def broken(:", "def broken():"),
    ],
)
def test_after_an_edit_warm_equals_cold(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    no_tick: None,
    relpath: str,
    old: str,
    new: str,
) -> None:
    root = _project(make_project)
    _outputs(root)
    before = _outputs(root)
    path = root / relpath
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    after_cold = _outputs(root, "--no-cache")
    assert after_cold != before  # the edit matters
    counter = LinkCounter(monkeypatch)
    assert _outputs(root) == after_cold
    assert counter.calls  # something was re-linked
    counter.calls.clear()
    assert _outputs(root) == after_cold
    assert counter.calls == []  # and then cached again


def test_a_new_requirements_file_relinks_deps(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, no_tick: None
) -> None:
    files = dict(FILES)
    files["pyproject.toml"] = '[project]\nname = "app"\nversion = "1"\n'
    root = make_project(files)
    _age(root)
    _outputs(root)
    (root / "requirements.txt").write_text("click\npydantic\nPyYAML\n")
    cold = _outputs(root, "--no-cache")
    assert _outputs(root) == cold
    assert "PyYAML" in cold["deps"]


def test_freshly_edited_files_are_not_model_cached(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Racy-clean: a file edited within a clock tick could change again with the same stat."""
    root = make_project(FILES)  # just written: within the tick
    _outputs(root)
    counter = LinkCounter(monkeypatch)
    run_kdocs("inspect", "cli", cwd=root)
    assert counter.calls == ["cli"]
    assert not (root / ".kdocs_cache" / __version__ / "cli-linked.json").exists()


def test_a_planted_or_corrupt_model_file_is_ignored(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, no_tick: None
) -> None:
    root = _project(make_project)
    cold = _outputs(root, "--no-cache")
    _outputs(root)
    stored = root / ".kdocs_cache" / __version__ / "cli-linked.json"
    data = cacheseal.read_json(stored)
    for planted in (
        {**data, "model": {"clis": "not a list"}},
        {**data, "model": {"clis": [{"name": 1}]}},
        {**data, "problems": [["app/cli.py", "x"]]},
        {**data, "externals": [["/nonexistent", [1]]]},
        "[1, 2",
    ):
        if isinstance(planted, str):
            stored.write_text(planted)
        else:  # sealed with this machine's key: only the content is bad
            cacheseal.write_json(stored, planted)
        counter = LinkCounter(monkeypatch)
        assert _outputs(root) == cold
        assert "cli" in counter.calls
        monkeypatch.undo()
        monkeypatch.setattr(cache, "TICK_NS", 0)
    stored.write_text(json.dumps(data))  # a well-formed model, but not sealed here: planted
    counter = LinkCounter(monkeypatch)
    assert _outputs(root) == cold
    assert "cli" in counter.calls


def test_planted_types_caches_are_ignored(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, no_tick: None
) -> None:
    """The types link keeps two caches of its own (the linked model, installed modules'
    facts): a copy committed without this machine's seal, emptied of types, is not read."""
    root = _project(make_project)
    cold = run_kdocs("inspect", "types", "--format", "json", "--no-cache", cwd=root).stdout
    assert '"User"' in cold
    run_kdocs("inspect", "types", "--format", "json", cwd=root)
    folder = root / ".kdocs_cache" / __version__
    model = cacheseal.read_binary(folder / "types-model.bin")
    assert isinstance(model, dict) and model["model"]["types"]
    model["model"]["types"] = []
    (folder / "types-model.bin").write_text(json.dumps(model))  # planted: not sealed
    (folder / "types-linked.json").unlink()  # the generic entry would answer first
    external = folder / "types-external.json"
    if external.exists():
        external.write_text(json.dumps({"format": 8, "entries": {}}))
    assert run_kdocs("inspect", "types", "--format", "json", cwd=root).stdout == cold


def test_the_json_types_model_of_an_older_format_is_removed_only_when_kdocs_wrote_it(
    make_project: MakeProject, no_tick: None
) -> None:
    """The types model moved from sealed JSON (``types-model.json``) to sealed marshal data
    (``types-model.bin``): saving the new one removes the old file when its seal proves
    kdocs wrote it, and leaves a file of that name it did not write."""
    root = _project(make_project)
    folder = root / ".kdocs_cache" / __version__
    folder.mkdir(parents=True)
    legacy = folder / "types-model.json"
    cacheseal.write_json(legacy, {"format": 5, "key": "old", "model": {}})
    run_kdocs("inspect", "types", "--format", "json", cwd=root)
    assert (folder / "types-model.bin").is_file()
    assert not legacy.exists()
    legacy.write_text('{"format": 5}')  # not sealed: not kdocs' file
    (folder / "types-model.bin").unlink()
    run_kdocs("inspect", "types", "--format", "text", cwd=root)
    assert (folder / "types-model.bin").is_file()
    assert legacy.read_text() == '{"format": 5}'


def test_an_installed_package_change_relinks_deps(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, no_tick: None
) -> None:
    """The deps model records the environment it read; a new distribution there re-links."""
    root = _project(make_project)
    site = root / ".venv" / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    first = run_kdocs("inspect", "deps", "--format", "json", cwd=root).json()
    assert first["environment"]["source"] == "project-venv"
    assert first["installed"] == []
    counter = LinkCounter(monkeypatch)
    assert run_kdocs("inspect", "deps", "--format", "json", cwd=root).json() == first
    assert counter.calls == []  # cached: the environment did not change
    dist = site / "requests-2.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: requests\nVersion: 2.0\n")
    (dist / "RECORD").write_text("requests/__init__.py,,\n")
    time.sleep(0.01)
    second = run_kdocs("inspect", "deps", "--format", "json", cwd=root).json()
    assert [d["name"] for d in second["installed"]] == ["requests"]
    assert counter.calls == ["deps"]


@dataclasses.dataclass(frozen=True)
class Counts:
    """The test kind's model: files whose extraction succeeded."""

    files: tuple[str, ...] = ()


def _extract_or_fail(src: SourceFile, settings: Any) -> dict[str, int]:
    if "BOOM" in src.text:
        raise RuntimeError("extractor bug")
    return {"n": 1}


def _link_counts(analysis: Any, facts: Any) -> Counts:
    return Counts(tuple(sorted(facts)))


PROVIDER = Provider("h8kind", "1", None, _extract_or_fail, _link_counts)


def test_a_kinds_file_problems_come_back_with_its_cached_model(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, no_tick: None
) -> None:
    """An extractor error (E900) found while extracting a kind is reported on a warm run too,
    although the warm run neither extracts nor links that kind."""
    monkeypatch.setitem(PROVIDER_MODULES, "h8kind", "tests.test_model_cache")
    root = _project(make_project)
    (root / "app/boom.py").write_text("BOOM = 1\n")

    def run() -> tuple[Counts, dict[str, Any]]:
        a = Analysis(discover([root]), jobs=1)
        a.prepare(["files", "h8kind"])
        model = a.model("h8kind")
        a.flush()  # a linked model is saved by the flush
        return model, {k: v.to_json() for k, v in a.problems.items()}

    cold = run()
    assert "app/boom.py" in cold[1] and cold[1]["app/boom.py"][0] == "E900"
    assert "app/cli.py" in cold[0].files
    counter = LinkCounter(monkeypatch)
    assert run() == cold
    assert counter.calls == []


def test_changing_a_rule_option_reruns_rules_but_relinks_nothing(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, no_tick: None
) -> None:
    root = _project(make_project)
    before = run_kdocs("check", "--format", "json", cwd=root).stdout
    assert "`--dry_run`" in before  # C101: not kebab-case under the default flag-pattern
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text()
        + '\n[tool.kdocs.cli]\nflag-pattern = "^[a-z][a-z0-9_-]*$"\n'
        + '\n[tool.kdocs.types]\nacronyms = ["ID", "URL", "HTTP"]\n'
    )
    os.utime(pyproject, ns=(1_500_000_000_000_000_000, 1_500_000_000_000_000_000))
    counter = LinkCounter(monkeypatch)
    extracted: list[str] = []
    real_process = analysis.process_file
    monkeypatch.setattr(
        analysis,
        "process_file",
        lambda entry, *a, **k: extracted.append(entry.relpath) or real_process(entry, *a, **k),
    )
    after = run_kdocs("check", "--format", "json", cwd=root).stdout
    assert "`--dry_run`" not in after  # the rules ran again, with the new option
    assert counter.calls == []  # ... on models that were neither re-extracted nor re-linked
    assert extracted == []  # imports too: linked again, but from its cached per-file facts
    assert not (root / ".kdocs_cache" / __version__ / "imports-linked.json").exists()
