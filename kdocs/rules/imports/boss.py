"""import-boss semantics on Python modules (Kubernetes' ``cmd/import-boss``).

For each module of the project, the restriction files are those found in its directory and
each parent directory up to the project root, nearest first (config entries sit after the
file of the same directory). For each import (direct, and indirect ones for ``transitive``
rules), files are tried in order and, within a file, rules in order: a rule whose selector
(an unanchored regular expression) matches the imported module decides when a forbidden prefix
matches (forbidden: checked first) or an allowed one does (allowed); a decision ends the
search. A selector that matched without any decision is a violation (``did not match any
rule``); no matching selector at all means allowed. A prefix matches the module itself or its
dotted descendants; ``""`` matches everything. ``inverseRules`` do the same for the modules
that import the module holding the file (directly, or transitively for ``transitive`` rules).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from kdocs.errors import ConfigError
from kdocs.extract.imports.restrictions import FILE_NAME, RestrictionFile
from kdocs.models.imports import ImportGraph
from kdocs.rules.imports.config import (
    BossRule,
    ConfigRestrictions,
    Restrictions,
    parse_restrictions_file,
)
from kdocs.rules.imports.graph import Graph, chain_to, reachable

ALLOWED = "allowed"
FORBIDDEN = "forbidden"


def has_prefix(module: str, prefix: str) -> bool:
    """import-boss' ``hasPathPrefix`` on dotted names."""
    return prefix == "" or module == prefix or module.startswith(prefix + ".")


def evaluate(rule: BossRule, module: str) -> str | None:
    """``forbidden`` / ``allowed`` / ``None`` (no decision); forbidden prefixes first."""
    if any(has_prefix(module, p) for p in rule.forbidden):
        return FORBIDDEN
    if any(has_prefix(module, p) for p in rule.allowed):
        return ALLOWED
    return None


@dataclass(frozen=True)
class Verdict:
    """A violation: the decision (``forbidden`` or ``unmatched``) and the file that made it."""

    decision: str
    origin: str


def decide(
    files: Sequence[Restrictions],
    module: str,
    *,
    direct: bool,
    inverse: bool,
    type_checking_only: bool,
    allow_type_checking: bool,
) -> Verdict | None:
    matched = False
    for restrictions in files:
        rules = restrictions.inverse_rules if inverse else restrictions.rules
        for rule in rules:
            if not rule.transitive and not direct:
                continue
            if not rule.pattern.search(module):
                continue
            allow_tc = rule.allow_type_checking
            if allow_tc is None:
                allow_tc = allow_type_checking
            if allow_tc and type_checking_only:
                return None  # a TYPE_CHECKING-only import this rule lets through
            matched = True
            disposition = evaluate(rule, module)
            if disposition == ALLOWED:
                return None
            if disposition == FORBIDDEN:
                return Verdict(FORBIDDEN, restrictions.origin)
    if matched:
        return Verdict("unmatched", "")
    return None


@dataclass(frozen=True)
class Problem:
    """A restrictions file or config entry that cannot be used."""

    file: str
    message: str


class RestrictionIndex:
    """Finds and parses the restriction files that govern each directory (memoised)."""

    def __init__(
        self,
        files: Mapping[str, RestrictionFile],
        model: ImportGraph,
        entries: Sequence[ConfigRestrictions],
    ) -> None:
        self.files = files  # read by the ``restrictions`` provider, before any rule runs
        self.model = model
        self.problems: list[Problem] = []
        self._files: dict[str, Restrictions | None] = {}
        self._chains: dict[str, tuple[Restrictions, ...]] = {}
        self._config: dict[str, list[Restrictions]] = {}
        for entry in entries:
            directory = self._package_dir(entry.package)
            if directory is None:
                self.problems.append(
                    Problem(
                        "pyproject.toml",
                        f"`{entry.key}.package`: no package `{entry.package}` in the project",
                    )
                )
                continue
            self._config.setdefault(directory, []).append(
                Restrictions(entry.key, directory, entry.rules, entry.inverse_rules)
            )

    def _package_dir(self, package: str) -> str | None:
        if not package:
            return ""
        files = self.model.files
        if package in files and package in set(self.model.packages):
            return files[package].rpartition("/")[0]
        prefix = package + "."
        for module, file in files.items():  # a namespace package: any module inside it
            if module.startswith(prefix):
                depth = module[len(prefix) :].count(".") + 1
                return "/".join(file.split("/")[:-depth])
        return None

    def _file(self, directory: str) -> Restrictions | None:
        if directory in self._files:
            return self._files[directory]
        found: Restrictions | None = None
        read = self.files.get(directory)
        if read is not None and read.problem is not None:
            self.problems.append(Problem(read.file, f"cannot read {FILE_NAME}: {read.problem}"))
        elif read is not None and read.text is not None:
            try:
                found = parse_restrictions_file(read.text, read.file, directory)
            except ConfigError as err:
                self.problems.append(Problem(read.file, f"invalid {FILE_NAME}: {err}"))
        self._files[directory] = found
        return found

    def for_directory(self, directory: str) -> tuple[Restrictions, ...]:
        """The restrictions governing a directory, nearest first, up to the project root."""
        cached = self._chains.get(directory)
        if cached is not None:
            return cached
        own: list[Restrictions] = []
        found = self._file(directory)
        if found is not None:
            own.append(found)
        own.extend(self._config.get(directory, ()))
        parent = directory.rpartition("/")[0] if directory else None
        chain = (*own, *self.for_directory(parent)) if parent is not None else tuple(own)
        self._chains[directory] = chain
        return chain

    def for_module(self, module: str) -> tuple[Restrictions, ...]:
        file = self.model.files.get(module)
        if file is None:
            return ()
        return self.for_directory(file.rpartition("/")[0])


@dataclass(frozen=True)
class Violation:
    importer: str
    imported: str
    chain: tuple[str, ...]  # importer ... imported
    verdict: Verdict


def check_rules(
    index: RestrictionIndex, graph: Graph, *, allow_type_checking: bool
) -> Iterator[Violation]:
    """Violations of ``rules`` (what each module may import)."""
    for module in sorted(graph.modules):
        files = index.for_module(module)
        if not any(f.rules for f in files):
            continue
        direct = graph.edges.get(module, {})
        transitive = any(r.transitive for f in files for r in f.rules)
        parents = reachable(graph, module) if transitive else {}
        for imported in sorted(set(direct) | set(parents)):
            if imported == module:
                continue
            is_direct = imported in direct
            tc_only = is_direct and all(i.type_checking for i in direct[imported])
            verdict = decide(
                files,
                imported,
                direct=is_direct,
                inverse=False,
                type_checking_only=tc_only,
                allow_type_checking=allow_type_checking,
            )
            if verdict is None:
                continue
            chain = (module, imported) if is_direct else tuple(chain_to(parents, module, imported))
            yield Violation(module, imported, chain, verdict)


def check_inverse_rules(
    index: RestrictionIndex, graph: Graph, *, allow_type_checking: bool
) -> Iterator[Violation]:
    """Violations of ``inverseRules`` (who may import each module)."""
    incoming: Mapping[str, set[str]] | None = None
    for module in sorted(graph.modules):
        files = index.for_module(module)
        if not any(f.inverse_rules for f in files):
            continue
        if incoming is None:
            incoming = graph.reverse()
        direct = incoming.get(module, set())
        transitive = any(r.transitive for f in files for r in f.inverse_rules)
        importers: dict[str, list[str]] = {}
        if transitive:
            importers = _transitive_importers(incoming, module)
        for importer in sorted(set(direct) | set(importers)):
            if importer == module:
                continue
            is_direct = importer in direct
            tc_only = is_direct and all(i.type_checking for i in graph.edges[importer][module])
            verdict = decide(
                files,
                importer,
                direct=is_direct,
                inverse=True,
                type_checking_only=tc_only,
                allow_type_checking=allow_type_checking,
            )
            if verdict is None:
                continue
            chain = (importer, module) if is_direct else tuple(importers[importer])
            yield Violation(importer, module, chain, verdict)


def _transitive_importers(incoming: Mapping[str, set[str]], module: str) -> dict[str, list[str]]:
    """Every module importing ``module`` indirectly, with a chain ``importer ... module``."""
    out: dict[str, list[str]] = {}
    frontier = [(module, [module])]
    seen = {module}
    while frontier:
        nxt = []
        for node, chain in frontier:
            for importer in sorted(incoming.get(node, ())):
                if importer in seen:
                    continue
                seen.add(importer)
                path = [importer, *chain]
                out[importer] = path
                nxt.append((importer, path))
        frontier = nxt
    return out
