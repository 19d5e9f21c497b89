"""Family G: generated reference documents that no longer match the code.

With ``[tool.kdocs.gen]`` in the config, ``kdocs check`` renders every configured format in
memory and compares it with the committed files, exactly as ``kdocs gen all --check`` does,
and reports one finding per file that is out of date, missing, or no longer generated.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from kdocs.gen import settings as gen_settings
from kdocs.gen.settings import SETTINGS as SETTINGS
from kdocs.models.diagnostics import Diagnostic
from kdocs.rules.registry import RuleContext, rule
from kdocs.writer import MANIFEST, WriteError, write_tree


def _relpath(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@rule(
    code="G001",
    name="stale-generated-docs",
    summary="A generated reference file differs from what `kdocs gen` writes for today's code.",
    rationale="""
Reference pages generated from the code (man pages, Markdown, YAML) are committed so users
can read them, and they go stale silently when a flag or a help text changes: Kubernetes'
`hack/verify-generated-docs.sh` fails CI for that reason. With `[tool.kdocs.gen]`
configured, kdocs renders every format in `formats` in memory and compares it byte for byte
with the files in their folders: a changed file, a file that would be created and a file
kdocs generated before but no longer would are each one finding. Run `kdocs gen all` and
commit the result. Files kdocs did not write are never reported.
""",
    bad="""
[tool.kdocs.gen]
out = "docs/reference"
# cli.py gained --dry-run; docs/reference/man/app-deploy.1 was not regenerated
""",
    good="""
# kdocs gen all   (then commit docs/reference/)
""",
    bad_language="toml",
    needs=("cli",),
)
def check_generated(ctx: RuleContext) -> Iterator[Diagnostic]:
    from kdocs.gen import run as gen_run

    project = ctx.analysis.project
    if gen_settings.SECTION not in project.config.raw_sections:
        return
    formats = gen_run.formats_for(project, "all")
    settings = gen_run.settings_for(project)
    for output in gen_run.plan(project, formats, settings, ctx.model):
        folder = _relpath(project.root, output.directory)
        _note_reads(ctx, output.directory, output.files)
        if not output.files and not (output.directory / MANIFEST).exists():
            continue
        try:
            report = write_tree(output.directory, output.files, check=True)
        except WriteError as err:
            yield Diagnostic("G001", f"cannot check generated {output.format} docs: {err}", folder)
            continue
        hint = f"run `kdocs gen {output.format}`"
        for rel in report.stale:
            yield Diagnostic(
                "G001", f"generated {output.format} file is out of date; {hint}", f"{folder}/{rel}"
            )
        for rel in report.missing:
            yield Diagnostic(
                "G001", f"generated {output.format} file is missing; {hint}", f"{folder}/{rel}"
            )
        for rel in report.extra:
            yield Diagnostic(
                "G001",
                f"{output.format} file is no longer generated (the command is gone); {hint}",
                f"{folder}/{rel}",
            )


def _note_reads(ctx: RuleContext, directory: Path, expected: Mapping[str, str]) -> None:
    """The committed pages are inputs of this rule that no model covers: name them (every
    file and folder there, and every page that should be there) so that a cached check
    result is reused only while none of them changed. Symlinks are not named (a planted link
    must not make kdocs stat or hash what it points to); replacing one changes its folder,
    which is named."""
    ctx.reads(directory)
    for rel in expected:
        if not (directory / rel).is_symlink():
            ctx.reads(directory / rel)
    if directory.is_dir() and not directory.is_symlink():
        for path in sorted(directory.rglob("*")):
            if not path.is_symlink():
                ctx.reads(path)
