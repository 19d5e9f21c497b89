"""Family I: import rules, the Python counterpart of Kubernetes' import-boss / importverifier.

Restrictions with import-boss' schema and semantics (I001, I002), import-linter style
contracts (layers I003, independence I004, forbidden I005, acyclic I006), and findings on
imports or package layouts kdocs cannot resolve (I010-I014). The graph comes from the
``imports`` model; configuration from ``[tool.kdocs.imports]`` and ``.import-restrictions``
files. Indirect violations carry the whole chain, each hop with its file and line, in the
notes.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from kdocs.config import expect_bool
from kdocs.extract.imports.restrictions import ImportRuleFiles
from kdocs.models.diagnostics import Diagnostic
from kdocs.models.imports import ImportGraph, Unresolved
from kdocs.rules.imports import boss, contracts
from kdocs.rules.imports.config import SETTINGS as SETTINGS
from kdocs.rules.imports.config import Contract
from kdocs.rules.imports.docs import RULE_DOCS
from kdocs.rules.imports.graph import Graph, hop_notes, render_chain
from kdocs.rules.registry import RuleContext, RuleOption, rule
from kdocs.scope import is_out_of_scope

NEEDS = ("imports",)

ALLOW_TC = RuleOption(
    "allow-type-checking",
    expect_bool,
    False,
    "Ignore imports made only under `if TYPE_CHECKING:` (they never run). A restriction rule's"
    " `allowTypeChecking` or a contract's `allow-type-checking` overrides this.",
    "boolean",
)


def _model(ctx: RuleContext) -> ImportGraph:
    model: ImportGraph = ctx.model("imports")
    return model


def _config_file(ctx: RuleContext) -> str:
    project = ctx.analysis.project
    if project.config.source:
        return project.relpath(Path(project.config.source))
    return "pyproject.toml"


def _config_line(ctx: RuleContext, needle: str) -> int:
    """The line of the config file mentioning ``needle`` (a contract's name), else 1."""
    text = _files(ctx).config_text
    if text is None:
        return 1
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    return 1


def _files(ctx: RuleContext) -> ImportRuleFiles:
    """The restriction files and the config text, read by the extractor before the rules."""
    files: ImportRuleFiles = ctx.model("restrictions")
    return files


def _chain_diagnostic(
    code: str, graph: Graph, chain: tuple[str, ...], message: str, subject: str
) -> Diagnostic:
    first = graph.first(chain[0], chain[1])
    notes = hop_notes(graph, list(chain)) if len(chain) > 2 else ()
    return Diagnostic(code, message, first.file, first.line, 1, subject=subject, notes=notes)


def _boss(ctx: RuleContext, *, inverse: bool, code: str) -> Iterator[Diagnostic]:
    model = _model(ctx)
    allow_tc = bool(ctx.options.get("allow-type-checking", False))
    entries = ctx.analysis.project.config.section("imports").get("restrictions", ())
    index = boss.RestrictionIndex(_files(ctx).restrictions, model, entries)
    # The family option drops TYPE_CHECKING-only imports everywhere (they never run); a
    # rule's own ``allowTypeChecking`` lets such direct imports through that rule only.
    graph = Graph.build(model, allow_type_checking=allow_tc)
    check = boss.check_inverse_rules if inverse else boss.check_rules
    arrow, long_arrow = ("<-", "<--") if inverse else ("->", "-->")
    for v in check(index, graph, allow_type_checking=allow_tc):
        direct = len(v.chain) == 2
        relation = arrow if direct else long_arrow
        left, right = (v.imported, v.importer) if inverse else (v.importer, v.imported)
        if v.verdict.decision == boss.FORBIDDEN:
            what = f"is forbidden by {v.verdict.origin}"
        else:
            what = "did not match any rule"
        message = f'"{left}" {relation} "{right}" {what}'
        if not direct:
            message += f" (via {render_chain(list(v.chain))})"
        yield _chain_diagnostic(code, graph, v.chain, message, f"{left} {relation} {right}")


@rule(**RULE_DOCS["I001"], options=[ALLOW_TC], needs=NEEDS)
def restricted_import(ctx: RuleContext) -> Iterable[Diagnostic]:
    yield from _boss(ctx, inverse=False, code="I001")


@rule(**RULE_DOCS["I002"], options=[ALLOW_TC], needs=NEEDS)
def restricted_importer(ctx: RuleContext) -> Iterable[Diagnostic]:
    yield from _boss(ctx, inverse=True, code="I002")


def _contracts(ctx: RuleContext, kind: str, code: str) -> Iterator[Diagnostic]:
    chosen = [
        c
        for c in ctx.analysis.project.config.section("imports").get("contracts", ())
        if c.type == kind
    ]
    if not chosen:
        return
    model = _model(ctx)
    allow_default = bool(ctx.options.get("allow-type-checking", False))
    graphs: dict[bool, Graph] = {}
    for contract in chosen:
        allow = (
            allow_default if contract.allow_type_checking is None else contract.allow_type_checking
        )
        if allow not in graphs:
            graphs[allow] = Graph.build(model, allow_type_checking=allow)
        graph = graphs[allow]
        for found in contracts.CHECKS[kind](contract, graph):
            if isinstance(found, contracts.Missing):
                yield Diagnostic(
                    code,
                    f'contract "{contract.name}": `{found.key}` names `{found.module}`,'
                    " which is not a module of the project",
                    _config_file(ctx),
                    _config_line(ctx, contract.name),
                    subject=f"{contract.name}: missing {found.module}",
                )
                continue
            yield _contract_diagnostic(code, graph, contract, found)


def _contract_diagnostic(
    code: str, graph: Graph, contract: Contract, broken: contracts.Broken
) -> Diagnostic:
    chain = list(broken.chain)
    what = {
        "layers": f"{broken.downstream} is a lower layer than {broken.upstream}",
        "siblings": f"{broken.downstream} and {broken.upstream} are independent siblings",
        "independence": f"{broken.downstream} and {broken.upstream} must be independent",
        "forbidden": f"{broken.downstream} must not import {broken.upstream}",
    }.get(broken.reason, f"cycle {broken.reason}")
    message = f'contract "{contract.name}": {render_chain(chain)} ({what})'
    if "..." in chain:  # an acyclic finding: the hops are separate imports
        pairs = [(a, b) for a, b in itertools.pairwise(chain) if "..." not in (a, b)]
        first = graph.first(*pairs[0])
        notes = tuple(
            f"{a} -> {b} ({graph.first(a, b).file}:{graph.first(a, b).line})" for a, b in pairs
        )
        subject = f"{contract.name}: {broken.reason}"
        return Diagnostic(code, message, first.file, first.line, 1, subject=subject, notes=notes)
    subject = f"{contract.name}: {chain[0]} -> {chain[-1]}"
    first = graph.first(chain[0], chain[1])
    return Diagnostic(
        code,
        message,
        first.file,
        first.line,
        1,
        subject=subject,
        notes=hop_notes(graph, chain) if len(chain) > 2 else (),
    )


@rule(**RULE_DOCS["I003"], options=[ALLOW_TC], needs=NEEDS)
def layers(ctx: RuleContext) -> Iterable[Diagnostic]:
    yield from _contracts(ctx, "layers", "I003")


@rule(**RULE_DOCS["I004"], options=[ALLOW_TC], needs=NEEDS)
def independence(ctx: RuleContext) -> Iterable[Diagnostic]:
    yield from _contracts(ctx, "independence", "I004")


@rule(**RULE_DOCS["I005"], options=[ALLOW_TC], needs=NEEDS)
def forbidden(ctx: RuleContext) -> Iterable[Diagnostic]:
    yield from _contracts(ctx, "forbidden", "I005")


@rule(**RULE_DOCS["I006"], options=[ALLOW_TC], needs=NEEDS)
def acyclic(ctx: RuleContext) -> Iterable[Diagnostic]:
    yield from _contracts(ctx, "acyclic", "I006")


@rule(**RULE_DOCS["I010"], needs=NEEDS)
def invalid_restrictions(ctx: RuleContext) -> Iterable[Diagnostic]:
    model = _model(ctx)
    entries = ctx.analysis.project.config.section("imports").get("restrictions", ())
    index = boss.RestrictionIndex(_files(ctx).restrictions, model, entries)
    directories = {f.rpartition("/")[0] for f in model.files.values()}
    for directory in sorted(directories):
        index.for_directory(directory)
    for problem in index.problems:
        file = _config_file(ctx) if problem.file == "pyproject.toml" else problem.file
        yield Diagnostic("I010", problem.message, file, 1, 1, subject=problem.message)


def _unresolved(
    ctx: RuleContext,
    reason: str,
    code: str,
    keep: Callable[[Unresolved], bool] | None = None,
) -> Iterator[Diagnostic]:
    """Layout problems of the project's own code. Tests, docs snippets and example scripts
    (``test-paths``) are collected or run as loose files, not imported as packages, so a
    missing ``__init__.py`` or a sibling import there is not a problem (benchmarks/precision:
    all 81 such findings on 14 real projects were wrong). ``keep`` narrows a rule further."""
    test_paths = ctx.analysis.project.config.test_paths
    for item in _model(ctx).unresolved:
        if item.reason != reason or (item.file and is_out_of_scope(item.file, test_paths)):
            continue
        if keep is None or keep(item):
            yield Diagnostic(
                code,
                item.message,
                item.file,
                item.line,
                1,
                subject=f"{item.importer} {item.target}",
            )


@rule(**RULE_DOCS["I011"], needs=NEEDS)
def relative_beyond_top(ctx: RuleContext) -> Iterable[Diagnostic]:
    yield from _unresolved(ctx, "relative-beyond-top-level", "I011")


@rule(**RULE_DOCS["I012"], needs=NEEDS, severity="warning")
def missing_module(ctx: RuleContext) -> Iterable[Diagnostic]:
    yield from _unresolved(ctx, "missing-module", "I012")


@rule(**RULE_DOCS["I013"], needs=NEEDS, severity="warning")
def shadowed_module(ctx: RuleContext) -> Iterable[Diagnostic]:
    yield from _unresolved(ctx, "shadowed-module", "I013")


@rule(**RULE_DOCS["I014"], needs=NEEDS, severity="warning")
def missing_init(ctx: RuleContext) -> Iterable[Diagnostic]:
    # Only a folder whose modules are imported: files nobody imports (vulture's whitelists,
    # scripts run by path) are data to the package, and their missing __init__.py changes
    # nothing. `imported` holds every imported internal module and each of its parents.
    model = _model(ctx)
    if not any(item.reason == "missing-init" for item in model.unresolved):
        return
    imported: set[str] = set()
    for name in {i.imported for i in model.imports if i.kind == "internal"}:
        parts = name.split(".")
        imported.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))
    yield from _unresolved(ctx, "missing-init", "I014", lambda item: item.target in imported)


__all__: list[Any] = []
