"""The per-file cache addressed by content: revisions and settings coexist, rule options are
not part of any key, the cache location can be injected with ``KDOCS_CACHE_DIR``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from kdocs import __version__, cache
from kdocs.analysis import Analysis
from kdocs.extract import PROVIDER_MODULES
from kdocs.project import discover
from tests import fake_provider
from tests.conftest import MakeProject
from tests.helpers import run_kdocs


@pytest.fixture(autouse=True)
def testkind(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("KDOCS_CACHE_DIR", raising=False)
    # Files written by a test are always "racily clean" (edited within the 2 s tick of the
    # stat) and re-hashed; a zero tick lets the stamp alone prove them unchanged.
    monkeypatch.setattr(cache, "TICK_NS", 0)
    PROVIDER_MODULES["testkind"] = "tests.fake_provider"
    fake_provider.CALLS.clear()
    yield
    PROVIDER_MODULES.pop("testkind")


def _run(root: Path) -> tuple[dict[str, int], Counter[str]]:
    """The test kind's model and what the cache did during this run."""
    before = Counter(cache.STATS)
    result: dict[str, int] = Analysis(discover([root]), jobs=1).model("testkind")
    after = Counter(cache.STATS)
    after.subtract(before)
    return result, Counter({k.split(":")[1]: v for k, v in after.items() if v and "testkind" in k})


def test_two_revisions_coexist(make_project: MakeProject) -> None:
    """Rev A has ``old.py``, rev B deletes it and edits ``a.py``; back on A nothing is
    extracted again: ``a.py`` is found by its content, ``old.py`` even by its stamp (the
    index no longer forgets files missing from one revision)."""
    root = make_project({"pyproject.toml": "", "a.py": "# MARKER\n", "old.py": "# MARKER\n"})
    old = (root / "old.py").read_bytes()
    assert _run(root) == ({"a.py": 1, "old.py": 1}, Counter(stored=2))
    (root / "old.py").unlink()  # check out B
    (root / "a.py").write_text("# MARKER MARKER\n")
    assert _run(root) == ({"a.py": 2}, Counter(stored=1))
    (root / "a.py").write_text("# MARKER\n")  # back to A
    (root / "old.py").write_bytes(old)
    model, stats = _run(root)
    assert model == {"a.py": 1, "old.py": 1}
    assert stats == Counter(content=2)  # both re-read (new stamps), neither re-extracted
    assert fake_provider.CALLS == ["a.py", "old.py", "a.py"]
    assert _run(root) == ({"a.py": 1, "old.py": 1}, Counter(stat=2))  # warm: not even read


def test_two_settings_coexist(make_project: MakeProject) -> None:
    """A setting the extractor reads is part of the key: switching it back finds the first
    results again instead of starting afresh."""
    root = make_project({"pyproject.toml": "", "a.py": "# MARKER WORD WORD\n"})
    assert _run(root) == ({"a.py": 1}, Counter(stored=1))
    (root / "pyproject.toml").write_text('[tool.kdocs.testsec]\nword = "WORD"\n')
    assert _run(root) == ({"a.py": 2}, Counter(stored=1))
    (root / "pyproject.toml").write_text("")
    assert _run(root) == ({"a.py": 1}, Counter(stat=1))
    assert fake_provider.CALLS == ["a.py", "a.py"]


def test_a_rule_option_re_extracts_nothing(make_project: MakeProject) -> None:
    """Changing only a rule option (F113's ``acronyms``) used to change the types and cli
    cache keys (the whole section was in them) and re-extract every file."""
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "app"\ndependencies = ["click", "pydantic"]\n'
            '[project.scripts]\napp = "app.cli:main"\n',
            "app/__init__.py": "",
            "app/cli.py": 'import click\n\n\n@click.command()\n@click.option("--name", '
            'help="Name to greet.")\ndef main(name):\n    """Greet someone."""\n',
            "app/models.py": "from pydantic import BaseModel\n\n\nclass Pod(BaseModel):\n"
            '    """A pod."""\n\n    pod_ip: str\n',
        }
    )
    assert run_kdocs("check", "--exit-zero", cwd=root).exit_code == 0
    before = Counter(cache.STATS)
    (root / "pyproject.toml").write_text(
        (root / "pyproject.toml").read_text() + '[tool.kdocs.types]\nacronyms = ["IP", "ID"]\n'
    )
    assert run_kdocs("check", "--exit-zero", cwd=root).exit_code == 0
    after = Counter(cache.STATS)
    after.subtract(before)
    assert {k: v for k, v in after.items() if k.endswith(":stored") and v} == {}


def test_kdocs_cache_dir_outside_the_project(make_project: MakeProject, tmp_path: Path) -> None:
    root = make_project({"pyproject.toml": "", "a.py": "# MARKER\n"})
    shared = tmp_path / "ci-cache"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KDOCS_CACHE_DIR", str(shared))
        assert _run(root) == ({"a.py": 1}, Counter(stored=1))
        assert _run(root) == ({"a.py": 1}, Counter(stat=1))
    assert not (root / ".kdocs_cache").exists()
    (project_dir,) = shared.iterdir()
    assert project_dir.name.startswith("project-")  # one folder per project root
    assert (project_dir / __version__ / "testkind.bin").is_file()


def test_kdocs_cache_dir_inside_the_project(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "", "a.py": "# MARKER\n"})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KDOCS_CACHE_DIR", "build/kcache")
        assert _run(root)[1] == Counter(stored=1)
    assert (root / "build/kcache" / __version__ / "testkind.bin").is_file()
    assert not (root / ".kdocs_cache").exists()


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "is empty"),
        (".", "is the project root or above it"),
        ("..", "is the project root or above it"),
        ("src", "contains the source root"),
        ("tools", "contains Python files"),
    ],
)
def test_kdocs_cache_dir_is_validated_like_cache_dir(
    make_project: MakeProject, value: str, reason: str
) -> None:
    root = make_project(
        {
            "pyproject.toml": "",
            "src/app/__init__.py": "",
            "src/app/cli.py": "x = 1\n",
            "tools/gen.py": "x = 1\n",
        }
    )
    run = run_kdocs("check", cwd=root, env={"KDOCS_CACHE_DIR": value})
    assert run.exit_code == 2
    assert run.stderr == f"kdocs: error: environment variable KDOCS_CACHE_DIR={value!r} {reason}\n"
    assert not (root / ".gitignore").exists()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('max-size = "lots"', "`tool.kdocs.cache-limits.max-size` must be a size such as"),
        ("max-size = 0", "`tool.kdocs.cache-limits.max-size` must be positive, got 0"),
        ("max-sise = 10", "unknown key `tool.kdocs.cache-limits.max-sise`; did you mean"),
    ],
)
def test_cache_limits_config_errors(make_project: MakeProject, table: str, message: str) -> None:
    root = make_project({"pyproject.toml": f"[tool.kdocs.cache-limits]\n{table}\n", "a.py": ""})
    run = run_kdocs("check", cwd=root)
    assert run.exit_code == 2
    assert message in run.stderr
    assert len(run.stderr.splitlines()) == 1
