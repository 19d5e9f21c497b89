"""C0xx: the project's declared command-line interfaces themselves."""

from __future__ import annotations

from collections.abc import Iterator

from kdocs.models.diagnostics import Diagnostic
from kdocs.rules.cli.common import NEEDS, model
from kdocs.rules.registry import RuleContext, rule


@rule(
    code="C001",
    name="unresolved-entry-point",
    summary="Every declared console script names a module and object that exist.",
    rationale="""
A console script is the project's promise of a command. When its target does not exist (a
renamed module, a typo in `pyproject.toml`) the installed command fails with an ImportError
or AttributeError, and kdocs has no CLI to check or document. A target that exists but that
kdocs cannot follow to a click, typer or argparse command (another CLI framework such as
plumbum, a parser built inside a class) is kdocs' limit, not the project's bug: it is not
reported here (on real projects every such finding was judged wrong), but listed by
`kdocs inspect cli` under `unresolved_entry_points`; name the CLI object in
`[tool.kdocs] clis = ["pkg.cli:app"]` when kdocs should document it.
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
        if not entry.missing:
            continue  # kdocs' limit, not the project's bug: `kdocs inspect cli` lists it
        src = entry.source
        yield Diagnostic(
            code="C001",
            message=f"console script `{entry.name}` = `{entry.target}`: {entry.reason}",
            file=src.file if src else "pyproject.toml",
            line=max(src.line, 1) if src else 1,
            column=1,
            subject=f"console script {entry.name}",
        )
