"""``kdocs gen openapi|examples|types``: load the project, build the types model, generate,
write through the one writer (or compare with ``--check``), and report what the static model
could not resolve.

The generators are pure functions of the model; this module is the only one that touches
the file system, so ``gen all`` and the site builder can call the generators directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from kdocs.errors import KdocsError
from kdocs.gen.jsonschema import Note
from kdocs.models.types import TypesModel

TYPE_GEN_KINDS = ("openapi", "examples", "types")


def generate(
    kind: str,
    model: TypesModel,
    *,
    title: str = "",
    version: str = "",
    swagger2: bool = False,
    json_schema: bool = False,
    single: bool = False,
) -> tuple[dict[str, str], list[Note]]:
    """``{relative path: text}`` of one generator kind, and the unresolved notes."""
    if kind == "openapi":
        if json_schema:
            from kdocs.gen.jsonschema import json_schema_files

            return json_schema_files(model)
        from kdocs.gen.openapi import openapi_files

        return openapi_files(model, title, version, swagger2=swagger2)
    if kind == "examples":
        from kdocs.gen.examples import example_files

        return example_files(model)
    if kind == "types":
        from kdocs.gen.settings_env import settings_files
        from kdocs.gen.types_markdown import markdown_files

        files, notes = markdown_files(model, single=single)
        files.update(settings_files(model))
        return files, notes
    raise KdocsError(f"unknown types generator {kind!r}")


def _project_identity(pyproject: dict[str, object], root: Path) -> tuple[str, str]:
    project = pyproject.get("project")
    name, version = root.name, ""
    if isinstance(project, dict):
        if isinstance(project.get("name"), str):
            name = str(project["name"])
        if isinstance(project.get("version"), str):
            version = str(project["version"])
    return name, version


def run_types(
    kind: str,
    paths: Sequence[str],
    out: str | None,
    check: bool,
    *,
    swagger2: bool = False,
    json_schema: bool = False,
    single: bool = False,
    config_file: str | None = None,
) -> int:
    """Run one types generator; returns the exit code (1: drift in check mode)."""
    from kdocs.analysis import Analysis
    from kdocs.escape import escape_control
    from kdocs.project import discover
    from kdocs.writer import write_tree

    if swagger2 and json_schema:
        raise click.UsageError("--swagger2 and --json-schema are exclusive")
    if (swagger2 or json_schema) and kind != "openapi":
        raise click.UsageError("--swagger2 and --json-schema go with `kdocs gen openapi`")
    if single and kind != "types":
        raise click.UsageError("--single-file goes with `kdocs gen types`")
    to_stdout = out == "-"
    if to_stdout and check:
        raise click.UsageError("--check compares files: it cannot be used with --out -")
    if out is not None and not to_stdout:
        given = Path(out)
        if given.exists() and not given.is_dir():
            raise click.UsageError(f"--out {out}: exists and is not a directory")
    project = discover(paths, config_file=config_file)
    if out is None:  # the [tool.kdocs.gen] folder of this format, inside the project
        from kdocs.gen.run import folder_for

        target = folder_for(project, kind, None, several=False)
        out = str(target)
    else:
        target = Path(out)
    analysis = Analysis(project)
    model: TypesModel = analysis.model("types")
    analysis.flush()  # into the model cache
    title, version = _project_identity(project.pyproject, project.root)
    files, notes = generate(
        kind,
        model,
        title=title,
        version=version,
        swagger2=swagger2,
        json_schema=json_schema,
        single=single or (to_stdout and kind == "types"),
    )
    if to_stdout:  # one document on stdout (to pipe into another tool or site)
        for note in notes:
            click.echo(f"kdocs: unresolved: {escape_control(note.render())}", err=True)
        if len(files) != 1:
            raise click.UsageError(
                f"--out - needs a single document, but `{kind}` makes {len(files)} files"
            )
        click.echo(next(iter(files.values())), nl=False)
        return 0
    for note in notes:
        click.echo(f"kdocs: unresolved: {escape_control(note.render())}", err=True)
    report = write_tree(target, files, check=check)
    if check:
        for line in report.check_lines(target, str(out)):
            click.echo(line, err=True)
        if report.drift:
            return 1
        return 0
    for line in report.write_lines(target, str(out)):
        click.echo(line, err=True)
    return 0
