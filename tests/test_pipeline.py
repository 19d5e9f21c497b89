"""Selection, suppressions, per-file ignores and baselines, end to end through the CLI.

A test-only rule (``E899``, registered by the ``marker_rule`` fixture) reports each line
containing ``MARKER`` so suppressions and baselines are exercised on real files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kdocs.models.diagnostics import Diagnostic
from kdocs.rules import registry
from kdocs.rules.registry import RuleContext
from kdocs.rules.selection import select_rules
from tests.conftest import MakeProject
from tests.helpers import run_kdocs


def _check_markers(ctx: RuleContext) -> Iterator[Diagnostic]:
    for entry in ctx.analysis.project.files:
        for i, line in enumerate(entry.path.read_text().splitlines(), start=1):
            col = line.find("MARKER")
            if col >= 0:
                word = line[col:].split()[0]
                yield Diagnostic("E899", f"marker {word}", entry.relpath, i, col + 1, subject=word)


@pytest.fixture
def marker_rule() -> Iterator[None]:
    registry.load_all()
    registry.rule(
        code="E899",
        name="test-marker",
        summary="Test-only rule.",
        rationale="Exercises the pipeline.",
        bad="MARKER",
        good="",
    )(_check_markers)
    yield
    registry._RULES.pop("E899")


def test_selection_follows_ruff_semantics(marker_rule: None) -> None:
    def chosen(
        select: list[str] | None, extend: tuple[str, ...] = (), ignore: tuple[str, ...] = ()
    ) -> list[str]:
        return [
            r.code
            for r in select_rules(select, extend, ignore)
            if r.code in ("E001", "E003", "E004", "E899")
        ]

    assert chosen(None) == ["E001", "E003", "E899"]  # E004 is off by default
    assert chosen(["E00"]) == ["E001", "E003", "E004"]
    assert chosen(["E"], ignore=["E00"]) == ["E899"]
    assert chosen(["E003"], ignore=["E"]) == ["E003"]  # more specific select wins
    assert chosen(["E003"], ignore=["E003"]) == []  # tie: ignore wins
    assert chosen(None, extend=["E004"]) == ["E001", "E003", "E004", "E899"]
    assert chosen(["ALL"], ignore=["E8"]) == ["E001", "E003", "E004"]


def test_inline_suppressions(make_project: MakeProject, marker_rule: None) -> None:
    root = make_project(
        {
            "pyproject.toml": "",
            "a.py": """
            x = 1  # MARKER-one
            y = 2  # MARKER-two  # kdocs: ignore[E899]
            z = 3  # MARKER-three  # kdocs: ignore
            w = 4  # MARKER-four  # kdocs: ignore[C101, E8]
            v = 5  # MARKER-five  # kdocs: ignore[C101]
            """,
        }
    )
    run = run_kdocs("check", str(root), "--format", "json", "--no-cache")
    data = run.json()
    assert [d["message"] for d in data["diagnostics"]] == [
        "marker MARKER-one",
        "marker MARKER-five",
    ]
    assert data["summary"]["suppressed"] == 3


def test_per_file_ignores(make_project: MakeProject, marker_rule: None) -> None:
    root = make_project(
        {
            "pyproject.toml": '[tool.kdocs.per-file-ignores]\n"tests/*" = ["E8"]\n"legacy.py" = ["E899"]\n',
            "tests/test_a.py": "# MARKER-t\n",
            "legacy.py": "# MARKER-l\n",
            "app.py": "# MARKER-a\n",
        }
    )
    data = run_kdocs("check", str(root), "--format", "json", "--no-cache").json()
    assert [d["file"] for d in data["diagnostics"]] == ["app.py"]  # root-relative
    assert [d["message"] for d in data["diagnostics"]] == ["marker MARKER-a"]


def test_baseline_round_trip_survives_line_moves(
    make_project: MakeProject, marker_rule: None
) -> None:
    root = make_project(
        {"pyproject.toml": "", "a.py": "# MARKER-old\n# MARKER-twice\n# MARKER-twice\n"}
    )
    baseline = root / "kdocs-baseline.json"
    run = run_kdocs("check", str(root), "--write-baseline", str(baseline), "--no-cache")
    assert run.exit_code == 0
    assert "Wrote 3 finding(s)" in run.stderr
    stored = json.loads(baseline.read_text())
    assert {f["code"] for f in stored["findings"]} == {"E899"}
    # Unrelated edit: lines move down; baseline still matches everything.
    (root / "a.py").write_text("import os\n\n# MARKER-old\n# MARKER-twice\n# MARKER-twice\n")
    run = run_kdocs("check", str(root), "--baseline", str(baseline), "--no-cache")
    assert run.exit_code == 0, run.stdout
    assert "3 in baseline" in run.stdout
    # A third copy of a baselined finding, and a new one, are reported.
    (root / "a.py").write_text(
        "# MARKER-old\n# MARKER-twice\n# MARKER-twice\n# MARKER-twice\n# MARKER-new\n"
    )
    run = run_kdocs(
        "check", str(root), "--baseline", str(baseline), "--format", "json", "--no-cache"
    )
    assert run.exit_code == 1
    assert [d["message"] for d in run.json()["diagnostics"]] == [
        "marker MARKER-twice",
        "marker MARKER-new",
    ]


def test_bad_baseline_is_a_clear_error(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "", "a.py": "", "b.json": "{not json"})
    run = run_kdocs("check", str(root), "--baseline", str(root / "b.json"))
    assert run.exit_code == 2
    assert "is not valid JSON" in run.stderr


def test_exit_zero_statistics_and_output(
    make_project: MakeProject, marker_rule: None, tmp_path: Path
) -> None:
    root = make_project(
        {"pyproject.toml": "", "a.py": "# MARKER-1\n# MARKER-2\n", "b.py": "def (:\n"}
    )
    run = run_kdocs("check", str(root), "--statistics", "--no-cache")
    assert run.exit_code == 1
    assert run.stdout.splitlines() == ["2  E899      test-marker", "1  E003      syntax-error"]
    out = tmp_path / "report.txt"
    run = run_kdocs("check", str(root), "--exit-zero", "--output", str(out), "--no-cache")
    assert run.exit_code == 0
    assert run.stdout == ""
    assert out.read_text().endswith("Found 3 problems in 2 files (2 files checked).\n")


def test_paths_restrict_reporting_but_not_analysis(
    make_project: MakeProject, marker_rule: None
) -> None:
    root = make_project(
        {"pyproject.toml": "", "pkg/a.py": "# MARKER-a\n", "other/b.py": "# MARKER-b\n"}
    )
    data = run_kdocs("check", str(root / "pkg"), "--format", "json", "--no-cache").json()
    assert [d["message"] for d in data["diagnostics"]] == ["marker MARKER-a"]
    assert data["summary"]["files_checked"] == 2
