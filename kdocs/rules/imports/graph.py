"""Graph queries the I rules share: adjacency, module expressions, import chains.

Chains follow import-linter (grimp): a *package* stands for itself and its descendants; the
chains between two packages are the direct imports between them, then repeatedly the shortest
indirect chain, whose imports are removed before looking for the next one.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from kdocs.models.imports import Import, ImportGraph

MAX_CHAINS = 50

_CACHE: dict[tuple[int, bool], tuple[ImportGraph, Graph]] = {}


@dataclass
class Graph:
    """``edges[importer][imported]`` = the import statements behind that edge."""

    modules: frozenset[str]
    edges: dict[str, dict[str, list[Import]]]
    _sorted: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)
    """Each module's imported modules in order, sorted once: the chain searches visit the
    same modules again for every chain (a graph is never changed once built)."""

    def successors(self, module: str) -> list[str]:
        """The modules ``module`` imports, sorted (the searches' deterministic order)."""
        found = self._sorted.get(module)
        if found is None:
            found = self._sorted[module] = sorted(self.edges.get(module, ()))
        return found

    @classmethod
    def build(cls, model: ImportGraph, *, allow_type_checking: bool = False) -> Graph:
        """The graph of a model; shared by the rules of one run (keyed by the model object)."""
        key = (id(model), allow_type_checking)
        cached = _CACHE.get(key)
        if cached is not None and cached[0] is model:
            return cached[1]
        graph = cls._build(model, allow_type_checking)
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[key] = (model, graph)
        return graph

    @classmethod
    def _build(cls, model: ImportGraph, allow_type_checking: bool) -> Graph:
        edges: dict[str, dict[str, list[Import]]] = {}
        for imp in model.imports:
            edges.setdefault(imp.importer, {}).setdefault(imp.imported, []).append(imp)
        if allow_type_checking:
            for targets in edges.values():
                for imported in [k for k, v in targets.items() if all(i.type_checking for i in v)]:
                    del targets[imported]
        return cls(frozenset(model.modules), edges)

    def without(self, ignored: Iterable[tuple[str, str]]) -> Graph:
        edges = {k: dict(v) for k, v in self.edges.items()}
        for importer, imported in ignored:
            edges.get(importer, {}).pop(imported, None)
        return Graph(self.modules, edges)

    def first(self, importer: str, imported: str) -> Import:
        return min(self.edges[importer][imported], key=lambda i: i.line)

    def reverse(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for importer, targets in self.edges.items():
            for imported in targets:
                out.setdefault(imported, set()).add(importer)
        return out

    def all_names(self) -> set[str]:
        names = set(self.modules)
        for targets in self.edges.values():
            names.update(targets)
        return names


def in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def members(names: Iterable[str], package: str, *, as_package: bool = True) -> set[str]:
    if not as_package:
        return {n for n in names if n == package}
    prefix = package + "."
    return {n for n in names if n == package or n.startswith(prefix)}


def expression_regex(expression: str) -> re.Pattern[str]:
    """import-linter module expressions: ``*`` is one name segment, ``**`` any number."""
    parts = []
    for segment in expression.split("."):
        if segment == "**":
            parts.append(r"[^.]+(?:\.[^.]+)*")
        elif segment == "*":
            parts.append(r"[^.]+")
        else:
            parts.append(re.escape(segment))
    return re.compile(r"\.".join(parts) + r"\Z")


def expand(expression: str, names: Iterable[str]) -> list[str]:
    """The modules an expression names (itself when it has no wildcard)."""
    if "*" not in expression:
        return [expression]
    regex = expression_regex(expression)
    return sorted(n for n in names if regex.match(n))


def expand_ignores(ignores: Iterable[tuple[str, str]], graph: Graph) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for importer_expr, imported_expr in ignores:
        importer_re = expression_regex(importer_expr)
        imported_re = expression_regex(imported_expr)
        for importer, targets in graph.edges.items():
            if not importer_re.match(importer):
                continue
            out.extend((importer, t) for t in targets if imported_re.match(t))
    return out


def find_chains(
    graph: Graph,
    sources: set[str],
    targets: set[str],
    *,
    blocked: set[str] = frozenset(),  # type: ignore[assignment]
    indirect: bool = True,
) -> list[list[str]]:
    """Import chains from any module of ``sources`` to any of ``targets``.

    Direct imports first (each its own chain), then shortest indirect chains through modules
    outside both sets and outside ``blocked``; each chain's imports are removed before the
    next search, like grimp's ``find_shortest_chains(as_packages=True)``.
    """
    chains: list[list[str]] = []
    removed: set[tuple[str, str]] = set()
    for source in sorted(sources):
        for imported in sorted(graph.edges.get(source, ())):
            if imported in targets:
                chains.append([source, imported])
                removed.add((source, imported))
    if not indirect:
        return chains
    while len(chains) < MAX_CHAINS:
        chain = _shortest(graph, sources, targets, blocked, removed)
        if chain is None:
            break
        chains.append(chain)
        removed.update(itertools.pairwise(chain))
    return chains


def _shortest(
    graph: Graph,
    sources: set[str],
    targets: set[str],
    blocked: set[str],
    removed: set[tuple[str, str]],
) -> list[str] | None:
    parent: dict[str, str | None] = {s: None for s in sorted(sources)}
    queue = deque(parent)
    while queue:
        node = queue.popleft()
        for nxt in graph.successors(node):
            if (node, nxt) in removed or nxt in parent:
                continue
            if nxt in targets:
                if parent[node] is None:
                    continue  # a direct import: already reported
                chain = [nxt, node]
                step = parent[node]
                while step is not None:
                    chain.append(step)
                    step = parent[step]
                return chain[::-1]
            if nxt in blocked or nxt in sources:
                continue
            parent[nxt] = node
            queue.append(nxt)
    return None


def reachable(graph: Graph, start: str) -> dict[str, str | None]:
    """Every module ``start`` imports directly or indirectly, with BFS parents for chains."""
    parent: dict[str, str | None] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        for nxt in graph.successors(node):
            if nxt in seen:
                continue
            seen.add(nxt)
            parent[nxt] = None if node == start else node
            queue.append(nxt)
    return parent


def chain_to(parent: Mapping[str, str | None], start: str, end: str) -> list[str]:
    chain = [end]
    step = parent[end]
    while step is not None:
        chain.append(step)
        step = parent[step]
    chain.append(start)
    return chain[::-1]


def render_chain(chain: list[str]) -> str:
    return " -> ".join(chain)


def hop_notes(graph: Graph, chain: list[str]) -> tuple[str, ...]:
    """One note per hop: ``a.b -> a.c (a/b.py:3, 7)``."""
    notes = []
    for importer, imported in itertools.pairwise(chain):
        imports = sorted(graph.edges[importer][imported], key=lambda i: i.line)
        lines = ", ".join(str(i.line) for i in imports)
        tc = " (TYPE_CHECKING)" if all(i.type_checking for i in imports) else ""
        notes.append(f"{importer} -> {imported} ({imports[0].file}:{lines}){tc}")
    return tuple(notes)


def iter_edges(graph: Graph) -> Iterator[tuple[str, str]]:
    for importer, targets in graph.edges.items():
        for imported in targets:
            yield importer, imported
