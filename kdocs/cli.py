"""The ``kdocs`` command line: parse options, call the library, print, exit.

Exit codes: 0 clean, 1 findings or drift, 2 usage, configuration or internal error.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from kdocs import __version__
from kdocs.errors import KdocsError

INSPECT_KINDS = ("cli", "types", "imports", "deps")
GEN_KINDS = ("man", "markdown", "yaml", "openapi", "examples", "types", "all")


def _codes(values: Sequence[str]) -> list[str] | None:
    """``--select C1,C2 --select E`` -> ``["C1", "C2", "E"]``; ``None`` when not given."""
    if not values:
        return None
    return [c.strip() for v in values for c in v.split(",") if c.strip()]


_PROTECTED_SUFFIXES = (".py", ".pyi")
_PROTECTED_NAMES = ("pyproject.toml", "setup.cfg", "kdocs.yaml", "kdocs.yml")


def _guard_output(output: str, project: Any) -> None:
    """Refuse ``--output`` onto a file of the analysed project: an analysed source, the
    config file, or any existing Python file, ``pyproject.toml`` or config under the root
    (a typo must not overwrite source). Symlinks are resolved first."""
    target = Path(os.path.realpath(output))
    if not target.exists():
        return
    root = Path(os.path.realpath(project.root))
    analysed = {Path(os.path.realpath(e.path)) for e in project.files}
    config = project.config.source
    what = None
    if target in analysed:
        what = "an analysed source file"
    elif config is not None and target == Path(os.path.realpath(config)):
        what = "the configuration file"
    elif target.is_relative_to(root) and (
        target.suffix in _PROTECTED_SUFFIXES or target.name in _PROTECTED_NAMES
    ):
        what = "a source or configuration file of the project"
    if what is not None:
        raise click.UsageError(f"--output {output}: refusing to overwrite {what}")


def _guard_parent(path: str, option: str) -> None:
    """A usage error naming ``path`` when its folder is missing or not a folder."""
    target = Path(path)
    parent = target.parent
    if not parent.is_dir():
        raise click.UsageError(f"{option} {path}: folder {parent} does not exist")
    if target.is_dir():
        raise click.UsageError(f"{option} {path}: is a directory")


def _write_output(text: str, output: str | None) -> None:
    """Print ``text``, or write it to ``output`` (already checked by :func:`_guard_output`
    before the run, so a refused path costs no work)."""
    if output is None:
        click.echo(text, nl=False)
        return
    from kdocs.cache import atomic_write_bytes

    path = Path(output)
    if path.is_dir():
        raise click.UsageError(f"--output {output}: is a directory")
    try:
        atomic_write_bytes(path, text.encode("utf-8"))
    except OSError as err:
        raise KdocsError(f"cannot write {output}: {err.strerror}") from None


def _not_implemented(what: str) -> NoReturn:
    click.echo(f"kdocs: {what} is not implemented yet", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="kdocs")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.option(
    "--allow-exec-python",
    is_flag=True,
    help="Allow running the interpreter named by a `python` setting to ask for its sys.path"
    " (repository config alone never runs anything).",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool, allow_exec_python: bool) -> None:
    """Check and document Python command-line tools and API types.

    kdocs reads a project's source statically (it never imports it unless asked), checks
    CLI, type, import and dependency conventions, and generates reference documentation.
    """
    from kdocs.execpolicy import allow_exec_python as allow_exec

    ctx.obj = {"debug": debug}
    allow_exec(allow_exec_python)  # set on every run: never inherited from repository config
    if debug:
        os.environ["KDOCS_DEBUG"] = "1"


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", multiple=True, metavar="CODES", help="Only these rule codes or prefixes.")
@click.option("--extend-select", multiple=True, metavar="CODES", help="Add rule codes or prefixes.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rule codes or prefixes.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "github", "gitlab", "junit"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option("--output", "-o", metavar="FILE", help="Write the report to FILE.")
@click.option("--baseline", metavar="FILE", help="Report only findings not in this baseline.")
@click.option("--write-baseline", metavar="FILE", help="Record all current findings in FILE.")
@click.option("--no-cache", is_flag=True, help="Ignore and do not write the per-file cache.")
@click.option("--config", "config_file", metavar="FILE", help="Use this config file.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--statistics", is_flag=True, help="Print a count per rule instead of findings.")
@click.option("--fix", is_flag=True, help="Apply safe automatic fixes, then report the rest.")
@click.option(
    "--diff",
    "--changed-since",
    "diff_ref",
    metavar="REF",
    help="Report only files changed since git REF, and untracked files (the whole project"
    " is still analysed).",
)
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[str, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    fmt: str,
    output: str | None,
    baseline: str | None,
    write_baseline: str | None,
    no_cache: bool,
    config_file: str | None,
    exit_zero: bool,
    statistics: bool,
    fix: bool,
    diff_ref: str | None,
) -> None:
    """Check the project around the current directory, or PATHs.

    Without PATH, the whole project around the current directory is checked, even from a
    subfolder. Each PATH may be a project directory, a package directory or a single file; findings
    are reported for files under the given PATHs, while the whole project is analysed so
    cross-file rules see everything. With --diff REF (alias --changed-since), findings are
    also limited to the files changed since the git REF and untracked files. A PATH inside
    a nested project (a folder with its own pyproject.toml) is checked with that project's
    config. Paths in the report are relative to the project root (with several projects, to
    the folder holding them all).
    """
    from kdocs.engine import CheckOptions, run_checks
    from kdocs.project import discover_projects
    from kdocs.report import get_reporter
    from kdocs.report.text import render_statistics

    projects = discover_projects(paths, config_file=config_file)
    _note_bare(projects)
    for project in projects:
        if output is not None:
            _guard_output(output, project)  # refuse before fixing or reporting anything
        if write_baseline is not None:
            _guard_output(write_baseline, project)
    if write_baseline is not None:
        _guard_parent(write_baseline, "--write-baseline")
    if diff_ref is not None:
        if write_baseline is not None:
            raise click.UsageError("--write-baseline records every finding; drop --diff")
        from kdocs.changes import changed_files

        for project in projects:
            project.only_files = changed_files(project.root, diff_ref)
    options = CheckOptions(
        select=_codes(select),
        extend_select=_codes(extend_select) or (),
        ignore=_codes(ignore) or (),
        use_cache=not no_cache,
        baseline=Path(baseline) if baseline else None,
        use_result_cache=not fix,
    )
    debug = bool(ctx.obj and ctx.obj.get("debug"))
    from kdocs.progress import shown

    with shown(sys.stderr):
        result = run_checks(projects, options, debug=debug)
    fix_failed = False
    if fix:
        result, fix_failed = _apply_fixes(projects, options, result, debug)
    if write_baseline:
        from kdocs.rules.baseline import write_baseline as write

        try:
            n = write(Path(write_baseline), result.diagnostics)
        except OSError as err:
            reason = err.strerror or type(err).__name__
            raise KdocsError(f"--write-baseline {write_baseline}: cannot write: {reason}") from None
        click.echo(f"Wrote {n} finding(s) to {write_baseline}.", err=True)
        return
    if statistics:
        text = render_statistics(result)
    else:
        color = (
            fmt == "text"
            and output is None
            and sys.stdout.isatty()
            and not os.environ.get("NO_COLOR")
        )
        text = get_reporter(fmt)(result, color)
    _write_output(text, output)
    if fix_failed or (result.diagnostics and not exit_zero):
        sys.exit(1)


def _note_bare(projects: Sequence[Any]) -> None:
    """Say so when no pyproject.toml was found: kdocs then guesses the tree to check."""
    for project in projects:
        if project.bare:
            for scope in project.scopes or (project.root,):
                click.echo(
                    f"kdocs: note: no pyproject.toml found; checking {scope} as a bare tree",
                    err=True,
                )


def _apply_fixes(
    projects: Sequence[Any], options: Any, result: Any, debug: bool
) -> tuple[Any, bool]:
    """Fix what can be fixed, say per file what was skipped or failed, and re-check.
    Returns the new result and whether some file could not be written."""
    from kdocs.engine import run_checks

    try:
        from kdocs.fix import fix_files
    except ImportError:
        _not_implemented("--fix")
    lock_dir = _fix_lock_dir(projects[0])
    report = fix_files(result.root, result.diagnostics, lock_dir=lock_dir)
    for relpath, reason in report.skipped:
        click.echo(f"kdocs: {relpath}: fix skipped: {reason}", err=True)
    for relpath, reason in report.failed:
        click.echo(f"kdocs: {relpath}: fix failed: {reason}", err=True)
    total = sum(report.applied.values())
    if total:
        click.echo(f"Fixed {total} problem(s) in {len(report.applied)} file(s).", err=True)
    if total or report.failed:
        for project in projects:
            project.__dict__.pop("files", None)
        result = run_checks(projects, options, debug=debug)
    return result, bool(report.failed)


def _fix_lock_dir(project: Any) -> Path | None:
    """The directory holding ``--fix``'s lock file: the project's cache directory when the
    check created it (never created here), else ``None`` (the compare-and-swap still holds)."""
    directory = Path(project.root) / project.config.cache_dir
    return directory if directory.is_dir() and not directory.is_symlink() else None


@cli.command()
@click.argument("kind", type=click.Choice(INSPECT_KINDS))
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "yaml", "text"]),
    default="json",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--runtime",
    metavar="MODULE:OBJECT",
    help="Import MODULE and inspect OBJECT at runtime instead of reading the source (cli only).",
)
@click.option("--no-cache", is_flag=True, help="Ignore and do not write the per-file cache.")
@click.option("--config", "config_file", metavar="FILE", help="Use this config file.")
@click.option("--output", "-o", metavar="FILE", help="Write the output to FILE.")
def inspect(
    kind: str,
    paths: tuple[str, ...],
    fmt: str,
    runtime: str | None,
    no_cache: bool,
    config_file: str | None,
    output: str | None,
) -> None:
    """Print the model kdocs extracted: cli, types, imports or deps.

    KIND is the model to print; PATHS are project, package or file paths of one project
    (default: the whole project around the current directory).
    """
    key = None
    if runtime is not None:
        if kind != "cli":
            raise click.UsageError("--runtime works with `kdocs inspect cli` only")
        from kdocs.extract.runtime import inspect_runtime
        from kdocs.models.cli import CliModel

        model: Any = CliModel(clis=tuple(inspect_runtime(runtime)))
    else:
        from kdocs.project import discover

        project = discover(paths, config_file=config_file)
        _note_bare([project])
        if output is not None:
            _guard_output(output, project)  # before the work, not after
        elif not no_cache and (out := _bytes_out()) is not None:
            from kdocs import inspectcache

            # Before the analysis validates the config: the key is over the raw config.
            key = inspectcache.output_key(project, kind, fmt)
            if key is not None and inspectcache.serve(project, key, out):
                return
        from kdocs.analysis import Analysis
        from kdocs.background import saving_in_background
        from kdocs.progress import shown

        # The per-file caches are written while the model is linked, and the types model
        # while the output is rendered.
        with saving_in_background():
            with shown(sys.stderr):
                analysis = Analysis(project, use_cache=not no_cache)
                model = analysis.model(kind)
                analysis.flush()  # into the model cache
            _print(kind, model, fmt, output, project if key is not None else None, key)
        return
    _print(kind, model, fmt, output, None, None)


def _print(
    kind: str, model: Any, fmt: str, output: str | None, project: Any, key: str | None
) -> None:
    """Render and print (or write) the model; with a ``key``, keep the output printed."""
    if key is not None:
        _print_and_store(project, key, kind, model, fmt)
        return
    from kdocs.inspect_output import render_model

    _write_output(render_model(kind, model, fmt), output)


def _bytes_out() -> Any:
    """stdout's binary buffer when printing bytes there is what ``click.echo`` would print
    (UTF-8, no newline translation), else ``None``: the output cache then stays unused."""
    import codecs

    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    encoding = getattr(stream, "encoding", None)
    if buffer is None or not isinstance(encoding, str) or os.linesep != "\n":
        return None
    try:
        if codecs.lookup(encoding).name != "utf-8":
            return None
    except LookupError:
        return None
    return buffer


def _print_and_store(project: Any, key: str, kind: str, model: Any, fmt: str) -> None:
    """Render the model, print it encoded once, and keep those bytes in the output cache:
    the pieces are stored by a thread while the rest renders (:class:`kdocs.inspectcache.
    OutputBlob`)."""
    from kdocs import inspectcache
    from kdocs.cache_config import SECTION
    from kdocs.extract.types import externals
    from kdocs.inspect_output import render_into, render_model

    blob = inspectcache.start(project, key)
    printed = inspectcache.StoredOutput(blob)
    try:
        try:
            render_into(kind, model, fmt, printed)
        except UnicodeEncodeError:  # lone surrogates: the stream's own error handler speaks
            _write_output(render_model(kind, model, fmt), None)  # the blob is discarded below
            return
        out = _bytes_out()
        sys.stdout.flush()
        out.writelines(printed.chunks)
        out.flush()
        read = externals(project) if kind == "types" else None
        if blob is not None and read is not None:
            max_size = project.config.section(SECTION)["max-size"]
            inspectcache.store(project, key, blob, read, max_size)
    finally:
        if blob is not None:
            blob.discard()  # nothing stored (an error, or not a kind kept): no-op once stored


@cli.command()
@click.argument("kind", type=click.Choice(GEN_KINDS))
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--out",
    metavar="DIR",
    help="Output directory (with `all`, one subfolder per format); `-` prints a single-file"
    " document. Default: the `[tool.kdocs.gen]` folders.",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; show what differs and exit 1 if generated files are stale.",
)
@click.option(
    "--include-hidden", is_flag=True, default=None, help="Document hidden commands and options."
)
@click.option(
    "--single-file", is_flag=True, default=None, help="Write the Markdown reference as one page."
)
@click.option(
    "--runtime",
    metavar="MODULE:OBJECT",
    help="Import MODULE and document the live OBJECT instead of reading the source.",
)
@click.option("--no-cache", is_flag=True, help="Ignore and do not write the per-file cache.")
@click.option("--config", "config_file", metavar="FILE", help="Use this config file.")
@click.option("--swagger2", is_flag=True, help="openapi: a Swagger 2.0 document, not OpenAPI 3.1.")
@click.option(
    "--json-schema", "json_schema", is_flag=True, help="openapi: one JSON Schema file per type."
)
def gen(
    kind: str,
    paths: tuple[str, ...],
    out: str | None,
    check_only: bool,
    include_hidden: bool | None,
    single_file: bool | None,
    runtime: str | None,
    no_cache: bool,
    config_file: str | None,
    swagger2: bool,
    json_schema: bool,
) -> None:
    """Generate reference documentation from the extracted models.

    KIND is the document kind (man, markdown, yaml, openapi, examples, types or all); PATHS
    are the project to document (default: the project around the current directory). Files
    kdocs no longer generates are removed; files it did not write are never touched.
    """
    from kdocs.gen.run_types import TYPE_GEN_KINDS, run_types

    if kind in TYPE_GEN_KINDS:
        if runtime:
            raise click.UsageError(f"--runtime documents a CLI object; `{kind}` reads types")
        code = run_types(
            kind,
            paths,
            out,
            check_only,
            swagger2=swagger2,
            json_schema=json_schema,
            single=bool(single_file),
            config_file=config_file,
        )
        if code:
            sys.exit(code)
        return
    from kdocs.gen import run as gen_run
    from kdocs.project import discover

    project = discover(paths, config_file=config_file)
    _note_bare([project])
    model = gen_run.model_loader(project, runtime, use_cache=not no_cache)
    if out == "-":
        if check_only:
            raise click.UsageError("--check compares files: it cannot be used with --out -")
        # stdout takes one document: `--out -` implies --single-file.
        settings = gen_run.settings_for(project, include_hidden=include_hidden, single_file=True)
        click.echo(gen_run.stdout_text(project, kind, settings, model), nl=False)
        return
    result = gen_run.run(
        project,
        kind,
        out=out,
        check=check_only,
        include_hidden=include_hidden,
        single_file=single_file,
        model=model,
    )
    lines, failed = gen_run.describe(result, project.root)
    for line in lines:
        click.echo(line, err=True)
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("action", type=click.Choice(["build", "serve"]))
@click.argument("path", required=False, type=click.Path())
@click.option(
    "--out", metavar="DIR", help="Output directory. Default: `build/site` in the project."
)
@click.option(
    "--pages",
    metavar="DIR",
    help="Folder of Markdown pages, in the project. Default: `site/` or `docs/`, the first found.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port `serve` listens on, on 127.0.0.1 only (0: any free port).",
)
@click.option("--no-cache", is_flag=True, help="Ignore and do not write the per-file cache.")
@click.option("--config", "config_file", type=click.Path(), help="Use this config file.")
def site(
    action: str,
    path: str | None,
    out: str | None,
    pages: str | None,
    port: int,
    no_cache: bool,
    config_file: str | None,
) -> None:
    """Build or serve the HTML documentation site.

    ACTION is build or serve; PATH is the project (default: the current directory). The
    site is the folder of Markdown pages plus the generated reference, rendered now; a
    page that cannot be read is named and skipped (exit 1), the rest is built. `serve`
    builds, then serves the site on 127.0.0.1 until interrupted.
    """
    from kdocs.gen import run as gen_run
    from kdocs.gen import site_run
    from kdocs.project import discover

    project = discover([path] if path else [], config_file=config_file)
    _note_bare([project])
    model = gen_run.model_loader(project, None, use_cache=not no_cache)
    built = site_run.build(project, pages=pages, out=out, model=model)
    for line in built.skipped:
        click.echo(f"kdocs: skipped {line}", err=True)
    report = built.report
    where = gen_run.shown_path(built.out, project.root)
    click.echo(
        f"site: {built.pages} pages, {built.assets} other files; {len(report.written)} written,"
        f" {len(report.unchanged)} unchanged, {len(report.removed)} removed in {where}",
        err=True,
    )
    if built.other:
        click.echo(
            f"kdocs: note: {built.other} file(s) among the pages not copied: only pages,"
            " images, PDF, text, CSV, JSON and notebooks are (HTML, SVG or scripts could run"
            " in the site)",
            err=True,
        )
    for rel in report.kept:
        click.echo(f"kept: {where}/{rel} (edited since kdocs wrote it)", err=True)
    if action == "serve":

        def ready(url: str) -> None:
            click.echo(f"Serving {where} at {url} (Ctrl-C to stop)", err=True)

        site_run.serve(built.out, port, ready)
    if built.skipped:
        sys.exit(1)


@cli.command()
@click.argument("code", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--out",
    metavar="DIR",
    help="Write the catalogue (index and one page per rule) into DIR instead of printing it.",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="With --out: write nothing, exit 1 if DIR differs from what would be written.",
)
def rules(code: str | None, fmt: str, out: str | None, check_only: bool) -> None:
    """List all rules, or print one rule's page.

    CODE is a rule code (C101) or name (flag-name-case).
    """
    from kdocs.rules.docs import render_rule_list, render_rule_page, write_catalogue
    from kdocs.rules.registry import all_rules, get

    if out is not None:
        if code is not None or fmt == "text":
            raise click.UsageError("--out writes the whole catalogue as markdown or json")
        target = Path(out)
        if target.exists() and not target.is_dir():
            raise click.UsageError(f"--out {out}: exists and is not a directory")
        report = write_catalogue(target, fmt, check=check_only)
        if check_only:
            for line in report.check_lines(target, out):
                click.echo(line, err=True)
            if report.drift:
                sys.exit(1)
            return
        for line in report.write_lines(target, out):
            click.echo(line, err=True)
        return
    if check_only:
        raise click.UsageError("--check needs --out DIR")
    if code is None:
        click.echo(render_rule_list(all_rules(), fmt), nl=False)
        return
    rule = get(code)
    if rule is None:
        raise KdocsError(f"unknown rule {code!r}; `kdocs rules` lists them")
    click.echo(render_rule_page(rule, fmt), nl=False)


@contextlib.contextmanager
def _collector_paused(*, restore: bool = True) -> Iterator[None]:
    """Run a command with Python's cyclic garbage collector off, and restore it after.

    kdocs holds every file's facts (about 40 KB a file) while it links: many container
    objects that all live to the end of the run. A collection walks them and frees next to
    nothing: facts and models are dicts, lists, frozen dataclasses and ``ast`` trees, freed
    by reference counting. With Python's default thresholds a cold check's cost per file grew
    with the tree (benchmarks/scaling.py, 10,000 files: 41.5 s, 23.4 s with raised
    thresholds); with raised thresholds the collector still took 24 ms of a cold ``check
    --select I,D`` on django (0.64 s), 89 ms of a cold full check and 58 ms of a one-file
    edit. Off, it takes none, for about 7% more peak RSS (django: 89 -> 95 MB). The batch
    process exits at the end; the extraction pool's workers are forked and inherit the
    setting. The previous state is restored for in-process callers (the test suite); the
    program does not ``restore`` it: it leaves with :func:`os._exit` right after, and the
    collector's first pass once back on would walk every object allocated while it was off
    (0.1 s at the end of a cold ``kdocs inspect types`` on cloudflare)."""
    import gc  # built in: no import cost

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled and restore:
            gc.enable()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: turn user errors into one line and exit 2, never a traceback.

    Called without ``argv`` it is the program itself (the ``kdocs`` console script, ``python
    -m kdocs``): once the command is done and its output flushed, the process leaves with
    :func:`os._exit` instead of tearing down the interpreter. The teardown frees every
    object one by one and collects the heap a last time, which does nothing a finished run
    needs: 78 ms of a cold ``check --select I,D`` on django (0.76 s), 0.2 s of a cold full
    check. Nothing is left to run by then (the extraction pool and the model-saving child
    are waited for inside the command; files are written atomically before it returns). For
    the same reason the program does not free its last analysis (:mod:`kdocs.lifetime`).
    With ``argv`` (a caller in the same process, the test suite) it raises
    :class:`SystemExit` as usual."""
    program = argv is None
    if program:
        from kdocs import lifetime

        lifetime.hold_until_exit()
    try:
        with _collector_paused(restore=not program):
            _main(argv)
    except SystemExit as done:
        if argv is not None:
            raise
        _leave(done.code)


def _leave(code: object) -> NoReturn:
    """Flush what was printed and end the process with ``code`` (as ``SystemExit`` would
    have: ``None`` is 0, a message is printed and is 1)."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        sys.stderr.write(f"{code}\n")
        status = 1
    for stream in (sys.stdout, sys.stderr):
        # a closed pipe (`kdocs ... | head`) or stream: nothing more to say
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)


def _main(argv: Sequence[str] | None) -> None:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(2)
    except click.ClickException as err:
        err.show()
        sys.exit(2)
    except KdocsError as err:
        from kdocs.escape import escape_control

        click.echo(f"kdocs: error: {escape_control(str(err))}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as err:
        if debug:
            import traceback

            traceback.print_exc()
        else:
            click.echo(
                f"kdocs: internal error: {type(err).__name__}: {err}"
                " (run with --debug for details)",
                err=True,
            )
        sys.exit(2)
    sys.exit(0)
