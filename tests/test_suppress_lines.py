"""``# kdocs: ignore`` is matched on the line the finding is on, numbered as Python does."""

from __future__ import annotations

from tests.conftest import MakeProject
from tests.helpers import run_kdocs

PYPROJECT = "[project]\nname = 'app'\nversion = '1'\ndependencies = []\n"


def test_a_form_feed_does_not_shift_suppression_lines(make_project: MakeProject) -> None:
    """A form feed (GNU style page break) is whitespace to Python, not a line break: the
    suppression after it applies to the finding on its own line (it used to be looked up one
    line further, so the finding was reported anyway)."""
    root = make_project({"pyproject.toml": PYPROJECT, "app/__init__.py": ""})
    mod = root / "app" / "mod.py"
    for page_break in ("\x0c\n", "\x0c", "\x0b\n", "\x1c\n", "\u2028\n"):
        mod.write_text(f"import os\n{page_break}\nimport yaml  # kdocs: ignore[D101]\n")
        run = run_kdocs("check", "--no-cache", "--select", "D101", cwd=root)
        assert (run.exit_code, run.stdout) == (
            0,
            "All checks passed: 2 files checked (1 suppressed).\n",
        ), repr(page_break)


def test_requirements_lines_keep_their_numbering(make_project: MakeProject) -> None:
    """Manifests are numbered by str.splitlines, as kdocs' manifest readers number them, so a
    suppression there still lands on its finding's line."""
    files = {
        "pyproject.toml": "[project]\nname = 'app'\nversion = '1'\n",
        "app/__init__.py": "import yaml\n",
    }

    def lines(requirements: str) -> list[int]:
        root = make_project({**files, "requirements.txt": requirements})
        run = run_kdocs("check", "--no-cache", "--select", "D", "--format", "json", cwd=root)
        return [d["line"] for d in run.json()["diagnostics"] if d["file"] == "requirements.txt"]

    assert lines("pyyaml\n\x0c\nclick==\n") == [4]
    assert lines("pyyaml\n\x0c\nclick==  # kdocs: ignore\n") == []
