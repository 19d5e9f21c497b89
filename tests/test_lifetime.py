"""What the ``kdocs`` program holds until it leaves (kdocs/lifetime.py): its last analysis, so
that exiting frees nothing; a caller in the same process frees everything as usual."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from kdocs import lifetime
from tests.helpers import run_kdocs

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "shipit"


class Thing:
    pass


def test_nothing_is_held_unless_the_program_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lifetime, "_kept", None)
    thing = Thing()
    ref = weakref.ref(thing)
    lifetime.keep_last(thing)
    del thing
    assert ref() is None


def test_the_program_holds_only_the_latest(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run over several projects frees each earlier analysis when the next one begins."""
    monkeypatch.setattr(lifetime, "_kept", None)
    lifetime.hold_until_exit()
    first, second = Thing(), Thing()
    refs = weakref.ref(first), weakref.ref(second)
    lifetime.keep_last(first)
    lifetime.keep_last(second)
    del first, second
    assert refs[0]() is None and refs[1]() is not None


def test_an_in_process_run_holds_nothing_and_restores_the_collector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kdocs import analysis

    monkeypatch.setattr(lifetime, "_kept", None)
    made: list[weakref.ref[analysis.Analysis]] = []
    init = analysis.Analysis.__init__

    def recorded(self: analysis.Analysis, *args: object, **kwargs: object) -> None:
        init(self, *args, **kwargs)  # type: ignore[arg-type]
        made.append(weakref.ref(self))

    monkeypatch.setattr(analysis.Analysis, "__init__", recorded)
    assert gc.isenabled()
    run = run_kdocs("check", "--no-cache", str(EXAMPLE))
    assert run.exit_code == 1 and "C" in run.stdout  # the example's planted findings
    gc.collect()  # the analysis and its models may refer to each other
    assert made and all(ref() is None for ref in made)
    assert lifetime._kept is None and gc.isenabled()
