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
from kdocs.project import discover
from tests.conftest import MakeProject
from tests.helpers import run_kdocs
from tests.test_model_cache import KINDS, _outputs, _project


@pytest.fixture
def no_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test are seconds old at most: accept them as settled."""
    monkeypatch.setattr(cache, "TICK_NS", 0)


class KeyCounter:
    """Counts the model cache's project keys (each one re-stats every project file)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = modelcache.project_key

        def counted(project: Any, stamps: Any, *, with_config: bool = True) -> str | None:
            if with_config:  # without: the result cache's own key, not the models'
                self.calls += 1
            return real(project, stamps, with_config=with_config)

        monkeypatch.setattr(modelcache, "project_key", counted)


def _linked(root: Path, kind: str) -> Path:
    return root / ".kdocs_cache" / __version__ / f"{kind}-linked.json"


def test_models_are_saved_by_one_flush_with_one_key_recheck(
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
    assert keys.calls == 2  # one recheck for the four kinds (was one per kind)
    assert all(_linked(root, kind).is_file() for kind in KINDS)
    analysis.flush()  # nothing pending: no more work
    assert keys.calls == 2


def test_a_check_rechecks_the_model_keys_once(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, no_tick: None
) -> None:
    root = _project(make_project)
    cold = _outputs(root, "--no-cache")
    keys = KeyCounter(monkeypatch)
    assert run_kdocs("check", "--format", "json", cwd=root).stdout == cold["check"]
    assert keys.calls == 2
    assert all(_linked(root, kind).is_file() for kind in KINDS)


def test_an_input_edited_before_the_flush_is_not_cached(
    make_project: MakeProject, no_tick: None
) -> None:
    root = _project(make_project)
    analysis = Analysis(discover([root]), jobs=1)
    analysis.model("cli")
    (root / "app/cli.py").write_text("import click\n")  # edited while we linked
    analysis.flush()
    assert not _linked(root, "cli").exists()
    cold = json.loads(
        run_kdocs("inspect", "cli", "--format", "json", "--no-cache", cwd=root).stdout
    )
    assert json.loads(run_kdocs("inspect", "cli", "--format", "json", cwd=root).stdout) == cold
    assert cold["clis"] == []  # the edit is what is reported, not the model linked before it
