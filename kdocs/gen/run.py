"""``kdocs gen``: load the project, build the models, run the generators, write or check.

The generators are pure (:mod:`kdocs.gen`); this module resolves their settings from
``[tool.kdocs.gen]`` and the command line, picks each format's folder, and hands every
result to :func:`kdocs.writer.write_tree`, the one writer (atomic writes, a manifest, and
a ``--check`` drift mode that writes nothing). The G-family rule reuses :func:`plan` so
``kdocs check`` reports exactly the drift ``kdocs gen --check`` would.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import os
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kdocs.errors import KdocsError
from kdocs.gen import FORMATS, GenSettings
from kdocs.gen.settings import SECTION
from kdocs.project import Project
from kdocs.schema import validated
from kdocs.writer import MANIFEST, WriteReport, write_tree

FIXED_DATE = "1970-01-01"
DIFF_LINES = 12
"""How many lines of each file's diff ``--check`` prints."""


@dataclass(frozen=True)
class Output:
    """One format's documents and the folder they belong in."""

    format: str
    directory: Path
    files: dict[str, str]


@dataclass
class GenResult:
    """What ``kdocs gen`` did (or found, with ``--check``), one report per format."""

    check: bool
    reports: list[tuple[Output, WriteReport]] = field(default_factory=list)

    @property
    def drift(self) -> bool:
        return any(report.drift for _, report in self.reports)


def _section(project: Project) -> Mapping[str, Any]:
    """``[tool.kdocs.gen]`` with defaults; the config is checked against the schema first
    (``kdocs gen`` may read it before any analysis has)."""
    project.config = validated(project.config)
    return project.config.section(SECTION)


def page_date(root: Path, configured: str = "") -> str:
    """The date printed on man pages, never the wall clock (reproducible output): the
    ``date`` setting, else ``$SOURCE_DATE_EPOCH``, else the latest git commit's date, else
    1970-01-01."""
    if configured:
        return configured
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and epoch.strip():
        try:
            stamp = int(epoch.strip())
            return _dt.datetime.fromtimestamp(stamp, _dt.timezone.utc).strftime("%Y-%m-%d")
        except (ValueError, OverflowError, OSError):
            raise KdocsError(
                f"SOURCE_DATE_EPOCH must be a number of seconds, got {epoch[:40]!r}"
            ) from None
    stamp_text = _git_commit_time(root)
    if stamp_text is not None:
        return _dt.datetime.fromtimestamp(stamp_text, _dt.timezone.utc).strftime("%Y-%m-%d")
    return FIXED_DATE


def _git_commit_time(root: Path) -> int | None:
    """The latest commit's time in ``root`` (no shell, a timeout, no pager or signature
    check); ``None`` without git or a repository."""
    try:
        proc = subprocess.run(
            [
                "git",
                *("-c", "log.showSignature=false", "-c", "core.fsmonitor=false"),
                *("log", "-1", "--no-show-signature", "--format=%ct"),
            ],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
            env={**os.environ, "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "PAGER": "cat"},
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    text = proc.stdout.strip()
    if proc.returncode != 0 or not text.isdigit():
        return None
    return int(text)


def _inside(project: Project, relative: str, key: str) -> Path:
    """``relative`` under the project root, refused (naming the key) when it resolves
    outside it, e.g. through a symlink."""
    path = project.root / relative
    if not path.resolve().is_relative_to(project.root.resolve()):
        raise project.config.key_error(key, f"{relative!r} lies outside the project")
    return path


def settings_for(
    project: Project,
    *,
    include_hidden: bool | None = None,
    single_file: bool | None = None,
) -> GenSettings:
    """The generators' settings: ``[tool.kdocs.gen]`` with command-line values on top."""
    cfg = _section(project)
    templates = None
    if cfg["templates"]:
        folder = _inside(project, cfg["templates"], f"{SECTION}.templates")
        if not folder.is_dir():
            raise project.config.key_error(
                f"{SECTION}.templates", f"{cfg['templates']!r} is not a folder"
            )
        templates = str(folder.resolve())
    meta = project.pyproject.get("project")
    source = None
    if isinstance(meta, dict) and isinstance(meta.get("version"), str):
        name = meta.get("name")
        if isinstance(name, str):
            source = f"{name} {meta['version']}"
    return GenSettings(
        include_hidden=cfg["include-hidden"] if include_hidden is None else include_hidden,
        man_section=cfg["man-section"],
        manual=cfg["manual"] or None,
        date=page_date(project.root, cfg["date"]),
        source=source,
        templates=templates,
        single_file=cfg["single-file"] if single_file is None else single_file,
        clis=tuple(cfg["clis"]),
    )


def formats_for(project: Project, kind: str) -> list[str]:
    """The formats ``kind`` names: one, or for ``all`` the configured ``formats``."""
    if kind == "all":
        wanted = _section(project)["formats"]
        return [name for name in wanted if name in FORMATS]
    if kind not in FORMATS:
        raise KdocsError(f"`kdocs gen {kind}` is not implemented yet")
    return [kind]


def folder_for(project: Project, name: str, out: str | None, *, several: bool) -> Path:
    """Where format ``name`` goes: ``--out`` (a subfolder per format with ``all``), else
    ``<name>-out`` or ``<out>/<name>`` from the config, inside the project."""
    if out is not None:
        return Path(out) / name if several else Path(out)
    cfg = _section(project)
    own = cfg.get(f"{name}-out") or ""
    if own:
        return _inside(project, own, f"{SECTION}.{name}-out")
    return _inside(project, f"{cfg['out'].rstrip('/')}/{name}", f"{SECTION}.out")


def plan(
    project: Project,
    formats: list[str],
    settings: GenSettings,
    model: Callable[[str], Any],
    out: str | None = None,
    *,
    several: bool = True,
) -> list[Output]:
    """Every format's documents (pure generation; nothing is written). With ``out``, each
    format goes into ``out/<format>`` when ``several`` (``kdocs gen all``), else ``out``."""
    outputs = []
    for name in formats:
        fmt = FORMATS[name]
        loaded = model(fmt.model)
        if fmt.model == "cli" and settings.clis:
            _check_clis(project, loaded, settings.clis)
        files = render(name, fmt.load(), loaded, settings)
        directory = folder_for(project, name, out, several=several)
        outputs.append(Output(name, directory, files))
    return outputs


def _check_clis(project: Project, model: Any, wanted: tuple[str, ...]) -> None:
    """``clis`` must name programs the model has: a typo would document nothing."""
    from kdocs.escape import excerpt

    found = sorted({c.name for c in model.clis})
    for name in wanted:
        if name not in found:
            listed = ", ".join(excerpt(n, 40) for n in found) or "none"
            raise project.config.key_error(
                f"{SECTION}.clis",
                f"names {excerpt(name, 40)!r}, which is not a CLI of the project (found: {listed})",
            )


def run(
    project: Project,
    kind: str,
    *,
    out: str | None = None,
    check: bool = False,
    include_hidden: bool | None = None,
    single_file: bool | None = None,
    model: Callable[[str], Any],
) -> GenResult:
    """Generate ``kind`` for ``project`` and write it (or, with ``check``, compare)."""
    formats = formats_for(project, kind)
    settings = settings_for(project, include_hidden=include_hidden, single_file=single_file)
    result = GenResult(check=check)
    for output in plan(project, formats, settings, model, out, several=kind == "all"):
        if not output.files and not (output.directory / MANIFEST).exists():
            continue  # nothing to document and nothing written before
        result.reports.append((output, write_tree(output.directory, output.files, check=check)))
    return result


def render(name: str, generator: Any, model: Any, settings: GenSettings) -> dict[str, str]:
    """Run one generator; a broken or unsafe template (a project's own, in the sandbox) is
    a one-line error naming the format, not a traceback."""
    import jinja2

    try:
        files: dict[str, str] = generator(model, settings)
    except jinja2.TemplateError as err:
        where = (
            f" ({err.filename}:{err.lineno})" if isinstance(err, jinja2.TemplateSyntaxError) else ""
        )
        raise KdocsError(
            f"cannot render the {name} documents: template error{where}: {err}"
        ) from None
    return files


def stdout_text(
    project: Project, kind: str, settings: GenSettings, model: Callable[[str], Any]
) -> str:
    """``--out -``: the one document of a single-file format, for piping into another site."""
    formats = formats_for(project, kind)
    if len(formats) != 1:
        raise KdocsError("--out - writes one format: choose man, markdown or yaml, not all")
    fmt = FORMATS[formats[0]]
    files = render(fmt.name, fmt.load(), model(fmt.model), settings)
    if len(files) != 1:
        raise KdocsError(
            f"--out - needs a single document, but `{formats[0]}` makes {len(files)}"
            " (use markdown with --single-file)"
        )
    return next(iter(files.values()))


def describe(result: GenResult, root: Path) -> tuple[list[str], bool]:
    """The lines ``kdocs gen`` prints (a drift summary with ``--check``) and whether it
    should exit 1."""
    lines: list[str] = []
    if not result.reports:
        lines.append("Nothing to generate: the project defines nothing these formats document.")
    for output, report in result.reports:
        where = shown_path(output.directory, root)
        if result.check:
            for rel in report.missing:
                lines.append(f"added: {where}/{rel} (would be created)")
            for rel in report.extra:
                lines.append(f"removed: {where}/{rel} (no longer generated)")
            for rel in report.stale:
                lines.append(f"changed: {where}/{rel}")
                lines.extend(_diff(output, rel))
        else:
            lines.append(
                f"{output.format}: {len(report.written)} written, {len(report.unchanged)} "
                f"unchanged, {len(report.removed)} removed in {where}"
            )
            for rel in report.kept:
                lines.append(f"kept: {where}/{rel} (edited since kdocs wrote it)")
    if result.check:
        if result.drift:
            n = sum(len(r.missing) + len(r.extra) + len(r.stale) for _, r in result.reports)
            lines.append(f"{n} generated file(s) out of date: run `kdocs gen` without --check.")
        else:
            lines.append("Generated documentation is up to date.")
    return lines, result.check and result.drift


def shown_path(path: Path, root: Path) -> str:
    """``path`` as printed: relative to ``root`` when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _diff(output: Output, rel: str) -> list[str]:
    """The first lines of a unified diff between the file on disk and what kdocs would
    write (control characters escaped: the file is repository content)."""
    from kdocs.escape import escape_control

    if rel not in output.files:
        return []
    try:
        old = (output.directory / rel).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    diff = difflib.unified_diff(
        old.splitlines(), output.files[rel].splitlines(), f"a/{rel}", f"b/{rel}", lineterm=""
    )
    lines = ["    " + escape_control(line) for line in diff]
    if len(lines) > DIFF_LINES:
        lines = [*lines[:DIFF_LINES], f"    ... ({len(lines) - DIFF_LINES} more diff lines)"]
    return lines


def model_loader(
    project: Project, runtime: str | None, *, use_cache: bool = True
) -> Callable[[str], Any]:
    """A memoised ``kind -> model``: the static analysis, or for ``cli`` the live object
    named by ``--runtime``."""
    cache: dict[str, Any] = {}
    analysis: Any = None

    def load(kind: str) -> Any:
        nonlocal analysis
        if kind not in cache:
            if kind == "cli" and runtime is not None:
                from kdocs.extract.runtime import inspect_runtime
                from kdocs.models.cli import CliModel

                cache[kind] = CliModel(clis=tuple(inspect_runtime(runtime)))
            else:
                if analysis is None:
                    from kdocs.analysis import Analysis

                    analysis = Analysis(project, use_cache=use_cache)
                cache[kind] = analysis.model(kind)
                analysis.flush()  # into the model cache
        return cache[kind]

    return load
