"""The check pipeline: select rules, build the models they need, run them, filter findings."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kdocs.errors import KdocsError
from kdocs.models.diagnostics import Diagnostic
from kdocs.project import Project

if TYPE_CHECKING:
    from typing import Protocol

    from kdocs.analysis import Analysis
    from kdocs.readlog import Recorder
    from kdocs.rules.registry import Rule

    # A protocol is slow to create (typing machinery): it exists for the type checker only.
    class RuleInfo(Protocol):
        """What reporters read of a rule: a registry :class:`~kdocs.rules.registry.Rule`, or the
        short record the result cache keeps."""

        @property
        def code(self) -> str: ...
        @property
        def name(self) -> str: ...
        @property
        def severity(self) -> str: ...

# The rule families, the extractors and the schema are imported only when rules run: a warm
# run answered by the result cache (kdocs.resultcache) needs none of them.

PARSE_RULES = ("E003", "E004")
"""Rules that need every file parsed (the FILES pseudo-kind)."""


@dataclass(frozen=True)
class CheckOptions:
    select: Sequence[str] | None = None
    extend_select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    use_cache: bool = True
    baseline: Path | None = None
    use_result_cache: bool = True
    """Answer from (and store into) the result cache; off for ``--fix``, which needs the
    fixes computed now."""


@dataclass
class CheckResult:
    root: Path
    diagnostics: list[Diagnostic]
    rules: Mapping[str, RuleInfo] = field(default_factory=dict)
    files_checked: int = 0
    suppressed: int = 0
    baselined: int = 0
    suppressed_in: Mapping[str, int] = field(default_factory=dict)
    """Suppressed findings per file, before PATHs and ``--diff`` narrowed the report."""

    @property
    def files_with_findings(self) -> int:
        """How many distinct files (sources, pyproject.toml...) have at least one finding."""
        return len({d.file for d in self.diagnostics})


def resolve_rules(project: Project, options: CheckOptions) -> list[Rule]:
    from kdocs.rules.selection import select_rules, validate_selectors

    cfg = project.config
    origin = cfg.source or "configuration"

    def key(name: str) -> str:
        return f"{origin}: `{cfg.prefix}.{name}`"

    if options.select is not None:
        if not options.select:
            raise KdocsError("--select: no rule codes given (use ALL, a code or a prefix)")
        select: list[str] | None = validate_selectors(options.select, "--select")
    elif cfg.select is not None:
        select = validate_selectors(cfg.select, key("select"))
    else:
        select = None
    extend = [
        *validate_selectors(cfg.extend_select, key("extend-select")),
        *validate_selectors(options.extend_select, "--extend-select"),
    ]
    ignore = [
        *validate_selectors(cfg.ignore, key("ignore")),
        *validate_selectors(options.ignore, "--ignore"),
    ]
    for codes in cfg.per_file_ignores.values():
        validate_selectors(codes, key("per-file-ignores"))
    return select_rules(select, extend, ignore, cfg.convention)


def file_diagnostics(project: Project, analysis: Analysis) -> list[Diagnostic]:
    """E-family findings: paths the walk could not enter, files that failed to load."""
    from kdocs.analysis import FILES

    out = [Diagnostic("E001", p.message, p.relpath) for p in project.walk_problems]
    for relpath, problem in analysis.problems.items():
        out.append(Diagnostic(problem.code, problem.message, relpath, problem.line, problem.column))
    if analysis.has_facts(FILES):
        for relpath, facts in analysis.facts(FILES).items():
            if facts.get("empty"):
                out.append(Diagnostic("E004", "empty module", relpath))
    return out


def run_check(project: Project, options: CheckOptions, *, debug: bool = False) -> CheckResult:
    """Check one project: from the result cache when nothing changed, else by running the
    rules (and storing what they found). The baseline is applied last, either way."""
    from kdocs import resultcache

    # The analysis sees every file whatever the PATHs (bar a bare tree, walked from them):
    # PATHs and --diff only narrow the report, after the cache. So pre-commit, which passes
    # other files at each commit, finds the result of the last check of the whole project.
    narrow = project.walk_roots is None
    choices = _choices(project, options, narrow)
    key = None
    if options.use_cache and options.use_result_cache and project.config.cache:
        key = resultcache.result_key(project, choices)
    stored = resultcache.load(project, key) if key is not None else None
    if stored is None and key is not None:
        from kdocs import resultreuse

        stored = resultreuse.reuse(project, choices, key)
    if stored is not None:
        result = CheckResult(
            root=project.root,
            diagnostics=stored["diagnostics"],
            rules=stored["rules"],
            files_checked=stored["files_checked"],
            suppressed=stored["suppressed"],
            suppressed_in=stored["suppressed_in"],
        )
    else:
        from kdocs import readlog

        exclude = (str(project.cache_path),) if key is not None else ()
        with readlog.recording(str(project.root), exclude) as reads:
            result, analysis, rule_inputs = _run_rules(project, options, narrow, debug=debug)
        if key is not None:
            _store(project, choices, key, result, analysis, rule_inputs, reads)
    if narrow and (project.scopes or project.only_files is not None):
        result = _narrowed(project, result)
    if options.baseline is not None:
        from kdocs.rules import baseline as baseline_mod

        kept, result.baselined = baseline_mod.filter_new(
            result.diagnostics, baseline_mod.load_baseline(options.baseline)
        )
        result.diagnostics = kept
    return result


def _store(
    project: Project,
    choices: list[object],
    key: str,
    result: CheckResult,
    analysis: Analysis,
    rule_inputs: list[str],
    reads: Recorder,
) -> None:
    """Store a check's result under ``key`` (the inputs' stamps from before the run read
    them: an input edited meanwhile has a newer stamp, so the entry is never served for it),
    and what it depended on for :mod:`kdocs.resultreuse`."""
    from kdocs import resultcache, resultreuse

    externals = [
        path
        for kind, model in analysis.models().items()
        for path in _externals(project, kind, model)
    ] + rule_inputs
    resultcache.save(
        project,
        key,
        result.diagnostics,
        result.rules,
        result.files_checked,
        result.suppressed_in,
        externals,
    )
    if reads.complete:  # every read of the run was recorded (no other check ran alongside)
        resultreuse.save_tree(project, choices, key, analysis.file_digests(), reads)


def _choices(project: Project, options: CheckOptions, narrow: bool) -> list[object]:
    """The command's own inputs to a check (part of the result cache's key); with
    ``narrow`` the PATHs and ``--diff`` files are applied after it (:func:`_narrowed`)."""
    rules: list[object] = [
        None if options.select is None else list(options.select),
        list(options.extend_select),
        list(options.ignore),
    ]
    if narrow:
        return rules
    only = None if project.only_files is None else sorted(str(p) for p in project.only_files)
    return [*rules, sorted(str(s) for s in project.scopes), only]


def _narrowed(project: Project, result: CheckResult) -> CheckResult:
    """The findings (and suppressed counts) of the files the PATHs and ``--diff`` name."""
    return replace(
        result,
        diagnostics=[d for d in result.diagnostics if project.in_scope(d.file)],
        suppressed=sum(n for file, n in result.suppressed_in.items() if project.in_scope(file)),
    )


def _externals(project: Project, kind: str, model: object) -> list[str]:
    from kdocs import modelcache

    return modelcache.externals_of(project, kind, model)


def _run_rules(
    project: Project, options: CheckOptions, narrow: bool, *, debug: bool
) -> tuple[CheckResult, Analysis, list[str]]:
    """Run the selected rules; also returns the inputs they read besides their models."""
    from kdocs.analysis import FILES, Analysis
    from kdocs.rules.registry import RuleContext

    rules = resolve_rules(project, options)
    by_code = {r.code: r for r in rules}
    analysis = Analysis(project, use_cache=options.use_cache)
    kinds = [kind for r in rules for kind in r.needs]
    if not kinds or any(code in by_code for code in PARSE_RULES):
        # Parsing every file is the cost of E003/E004; other kinds parse only what they need.
        kinds.insert(0, FILES)
    analysis.prepare(kinds)
    found = file_diagnostics(project, analysis)
    rule_inputs: list[str] = []
    for r in rules:
        if r.check is None:
            continue
        ctx = RuleContext.of(analysis, r)
        try:
            found.extend(r.check(ctx))
        except KdocsError:
            raise
        except Exception as err:
            if debug:
                raise
            found.append(
                Diagnostic(
                    "E900",
                    f"internal error in rule {r.code} ({r.name}): {type(err).__name__}: {err}",
                    project.relpath(project.pyproject_path or project.root),
                )
            )
            by_code.setdefault("E900", _e900())
        finally:
            rule_inputs.extend(ctx.read)  # what the rule said it read while it ran
    analysis.flush()  # the linked models into the model cache
    ordered = sorted(set(found), key=lambda d: d.sort_key)
    kept, suppressed_in = _filter(project, ordered, by_code, scoped=not narrow)
    result = CheckResult(
        root=project.root,
        diagnostics=kept,
        rules=by_code,
        files_checked=len(project.files),
        suppressed=sum(suppressed_in.values()),
        suppressed_in=suppressed_in,
    )
    return result, analysis, rule_inputs


def report_root(projects: Sequence[Project]) -> Path:
    """Where merged paths are relative to: the deepest folder holding every project root.

    It depends only on the (resolved) projects, never on the current directory or on the
    order of the PATHs; for one project it is that project's root.
    """
    return Path(os.path.commonpath([str(p.root) for p in projects]))


def run_checks(
    projects: Sequence[Project], options: CheckOptions, *, debug: bool = False
) -> CheckResult:
    """Check each project with its own config and merge the reports.

    Paths in the merged report are relative to :func:`report_root` (a nested project's
    findings are prefixed with its folder), sorted, so argument order does not matter.
    The baseline applies to the merged report, whose paths are what it recorded.
    """
    if len(projects) == 1:
        return run_check(projects[0], options, debug=debug)
    root = report_root(projects)
    each = replace(options, baseline=None)
    diagnostics: list[Diagnostic] = []
    rules: dict[str, RuleInfo] = {}
    files_checked = n_suppressed = 0
    for project in projects:
        result = run_check(project, each, debug=debug)
        prefix = project.root.relative_to(root).as_posix()
        for d in result.diagnostics:
            file = f"{prefix}/{d.file}" if prefix not in ("", ".") else d.file
            diagnostics.append(replace(d, file=file))
        rules.update(result.rules)
        files_checked += result.files_checked
        n_suppressed += result.suppressed
    diagnostics.sort(key=lambda d: d.sort_key)
    baselined = 0
    if options.baseline is not None:
        from kdocs.rules import baseline as baseline_mod

        diagnostics, baselined = baseline_mod.filter_new(
            diagnostics, baseline_mod.load_baseline(options.baseline)
        )
    return CheckResult(
        root=root,
        diagnostics=diagnostics,
        rules=dict(sorted(rules.items())),
        files_checked=files_checked,
        suppressed=n_suppressed,
        baselined=baselined,
    )


def _e900() -> Rule:
    from kdocs.rules.registry import get

    rule = get("E900")
    assert rule is not None
    return rule


def _filter(
    project: Project, diagnostics: list[Diagnostic], by_code: dict[str, Rule], *, scoped: bool
) -> tuple[list[Diagnostic], dict[str, int]]:
    """The findings of selected rules not suppressed (per-file-ignores, ``# kdocs: ignore``),
    and how many were suppressed per file; with ``scoped``, only in the PATHs' files."""
    from kdocs import readlog
    from kdocs.rules.selection import per_file_ignored
    from kdocs.rules.suppress import suppressed

    lines_cache: dict[str, list[str]] = {}
    kept: list[Diagnostic] = []
    suppressed_in: dict[str, int] = {}
    pfi = project.config.per_file_ignores
    for d in diagnostics:
        if d.code not in by_code or (scoped and not project.in_scope(d.file)):
            continue
        if per_file_ignored(d.file, d.code, pfi):
            suppressed_in[d.file] = suppressed_in.get(d.file, 0) + 1
            continue
        lines = lines_cache.get(d.file)
        if lines is None:
            path = project.root / d.file
            # A Python file's pragmas are part of its per-file results (kdocs.resultreuse);
            # another file's (TOML, requirements) count as a read.
            python = path.suffix in (".py", ".pyi")
            with readlog.paused() if python else contextlib.nullcontext():
                lines = _read_lines(path, project.config.max_file_size)
            lines_cache[d.file] = lines
        if suppressed(lines, d.line, d.code):
            suppressed_in[d.file] = suppressed_in.get(d.file, 0) + 1
            continue
        kept.append(d)
    return kept, suppressed_in


def _read_lines(path: Path, max_size: int) -> list[str]:
    """The file's lines for ``# kdocs: ignore`` comments (regular files only: never a FIFO),
    numbered by :func:`kdocs.rules.suppress.pragma_lines`."""
    from kdocs.fsread import read_regular
    from kdocs.rules.suppress import pragma_lines

    try:
        text = read_regular(path, max_size).decode("utf-8", errors="replace")
    except OSError:
        return []
    return pragma_lines(text, python=path.suffix in (".py", ".pyi"))
