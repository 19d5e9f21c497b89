"""C0xx: the project's declared command-line interfaces themselves."""

from __future__ import annotations

from collections.abc import Iterator

from kdocs.models.diagnostics import Diagnostic
from kdocs.rules.cli.common import NEEDS, model
from kdocs.rules.registry import RuleContext, rule


@rule(
    code="C001",
    name="unresolved-entry-point",
    summary="Every declared console script resolves to a CLI kdocs can read.",
    rationale="""
A console script is the project's promise of a command; kdocs checks and documents the CLI
behind it. When the target does not exist (a renamed module, a typo in `pyproject.toml`) the
installed command fails with an ImportError or AttributeError; when it exists but kdocs cannot
follow it to a click, typer or argparse command (a factory in another package, another CLI
framework), the command would silently drop out of every check and generated page. The
message says which of the two it is. Fix the target, name the CLI object in
`[tool.kdocs] clis = ["pkg.cli:app"]`, or ignore C001 for a script that is not a
click/typer/argparse program.
""",
    bad="""
# pyproject.toml
[project.scripts]
mytool = "mytool.cli:mian"    # no such function: `pip install` succeeds, `mytool` fails
""",
    good="""
# pyproject.toml
[project.scripts]
mytool = "mytool.cli:main"
""",
    bad_language="toml",
    needs=NEEDS,
)
def check_unresolved_entry_point(ctx: RuleContext) -> Iterator[Diagnostic]:
    for entry in model(ctx).unresolved_entry_points:
        src = entry.source
        yield Diagnostic(
            code="C001",
            message=f"console script `{entry.name}` = `{entry.target}`: {entry.reason}",
            file=src.file if src else "pyproject.toml",
            line=max(src.line, 1) if src else 1,
            column=1,
            subject=f"console script {entry.name}",
        )
