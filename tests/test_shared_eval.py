"""The pieces every extractor shares: one relative-import resolver and one constant folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from kdocs.extract.relimport import resolve_relative
from tests.conftest import MakeProject
from tests.helpers import run_kdocs


@pytest.mark.parametrize(
    ("module", "is_package", "level", "target", "expected"),
    [
        ("pkg.mod", False, 0, "os.path", "os.path"),
        ("pkg.mod", False, 1, None, "pkg"),
        ("pkg.mod", False, 1, "sib", "pkg.sib"),
        ("pkg", True, 1, "sub", "pkg.sub"),
        ("pkg.sub", True, 2, "other", "pkg.other"),
        ("a.b.c.m", False, 3, "z", "a.z"),
        # Python refuses these ("attempted relative import beyond top-level package").
        ("pkg", True, 2, "x", None),
        ("pkg.mod", False, 2, None, None),
        ("mod", False, 1, "x", None),
        ("a.b.c.m", False, 5, "z", None),
    ],
)
def test_resolve_relative(
    module: str, is_package: bool, level: int, target: str | None, expected: str | None
) -> None:
    assert resolve_relative(module, is_package, level, target) == expected


def _types(root: Path) -> list[tuple[str, str]]:
    run = run_kdocs("inspect", "types", str(root), "--format", "json", "--no-cache")
    assert run.exit_code == 0, run.stderr
    return sorted((t["module"], t["name"]) for t in run.json()["types"])


def test_types_do_not_follow_an_import_above_the_top_package(make_project: MakeProject) -> None:
    """``from .....z import Base`` four packages deep climbs above ``a``: Python refuses it.
    The types extractor sliced with a negative index and resolved it to ``a.b.z``, so
    ``Child`` was reported as a pydantic model with ``Base``'s fields."""
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "a"\ndependencies = ["pydantic"]\n',
            "a/__init__.py": "",
            "a/b/__init__.py": "",
            "a/b/c/__init__.py": "",
            "a/b/z.py": "from pydantic import BaseModel\n\n\nclass Base(BaseModel):\n"
            '    """Base."""\n\n    x: int\n',
            "a/b/c/m.py": 'from .....z import Base\n\n\nclass Child(Base):\n    """Child."""\n\n'
            "    y: int\n",
        }
    )
    assert _types(root) == [("a.b.z", "Base")]
    # Written correctly (two dots), the same import resolves.
    (root / "a/b/c/m.py").write_text(
        (root / "a/b/c/m.py").read_text().replace(".....z", "..z"), encoding="utf-8"
    )
    assert _types(root) == [("a.b.c.m", "Child"), ("a.b.z", "Base")]
