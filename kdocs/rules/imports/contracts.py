"""Contracts with import-linter's semantics: layers, independence, forbidden, acyclic.

Every contract treats a named module as a package (itself and its descendants). A broken
contract yields one :class:`Broken` per import chain, with the chain's every hop.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from kdocs.rules.imports.config import Contract
from kdocs.rules.imports.graph import (
    Graph,
    expand,
    expand_ignores,
    find_chains,
    members,
)


@dataclass(frozen=True)
class Broken:
    contract: Contract
    downstream: str  # the package that must not import
    upstream: str  # the package it must not import
    chain: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Missing:
    """A contract naming a module the project does not have (import-linter errors out)."""

    contract: Contract
    key: str
    module: str


def prepare(contract: Contract, graph: Graph) -> Graph:
    if not contract.ignore_imports:
        return graph
    return graph.without(expand_ignores(contract.ignore_imports, graph))


def _exists(module: str, graph: Graph) -> bool:
    prefix = module + "."
    return module in graph.modules or any(m.startswith(prefix) for m in graph.modules)


def check_layers(contract: Contract, graph: Graph) -> Iterator[Broken | Missing]:
    graph = prepare(contract, graph)
    names = graph.all_names()
    containers = contract.containers or ("",)
    for container in containers:
        if container and not _exists(container, graph):
            yield Missing(contract, f"{contract.key}.containers", container)
            continue
        layers = [
            [f"{container}.{n}" if container else n for n in layer] for layer in contract.layers
        ]
        everything = {m for layer in layers for m in layer}
        sets = {m: members(names, m) for m in everything}
        for layer, named in zip(layers, contract.layers, strict=True):
            for module, name in zip(layer, named, strict=True):
                if not sets[module] and name not in contract.optional_layers:
                    yield Missing(contract, f"{contract.key}.layers", module)
        for hi, higher in enumerate(layers):
            for lower in layers[hi + 1 :]:
                for up, down in itertools.product(higher, lower):
                    yield from _pair(contract, graph, sets, everything, down, up, "layers")
        for layer, independent in zip(layers, contract.independent_siblings, strict=True):
            if not independent:
                continue
            for a, b in itertools.permutations(layer, 2):
                yield from _pair(contract, graph, sets, everything, a, b, "siblings")


def _pair(
    contract: Contract,
    graph: Graph,
    sets: dict[str, set[str]],
    everything: set[str],
    down: str,
    up: str,
    reason: str,
) -> Iterator[Broken]:
    """Chains from ``down`` to ``up``, not through the contract's other modules."""
    blocked: set[str] = set()
    for other in everything - {down, up}:
        blocked |= sets[other]
    for chain in find_chains(graph, sets[down], sets[up], blocked=blocked):
        yield Broken(contract, down, up, tuple(chain), reason)


def check_independence(contract: Contract, graph: Graph) -> Iterator[Broken | Missing]:
    graph = prepare(contract, graph)
    names = graph.all_names()
    modules = [m for expr in contract.modules for m in expand(expr, graph.modules)]
    for module in modules:
        if not _exists(module, graph):
            yield Missing(contract, f"{contract.key}.modules", module)
    modules = [m for m in modules if _exists(m, graph)]
    sets = {m: members(names, m) for m in modules}
    everything = set(modules)
    for a, b in itertools.permutations(modules, 2):
        yield from _pair(contract, graph, sets, everything, a, b, "independence")


def check_forbidden(contract: Contract, graph: Graph) -> Iterator[Broken | Missing]:
    graph = prepare(contract, graph)
    names = graph.all_names()
    sources = [m for expr in contract.source_modules for m in expand(expr, graph.modules)]
    forbidden = [m for expr in contract.forbidden_modules for m in expand(expr, names)]
    for module in sources:
        if not _exists(module, graph):
            yield Missing(contract, f"{contract.key}.source-modules", module)
    for source in sources:
        source_set = members(names, source, as_package=contract.as_packages)
        for target in forbidden:
            if contract.as_packages and (
                source == target
                or source.startswith(target + ".")
                or target.startswith(source + ".")
            ):
                continue  # overlapping modules: skipped, as import-linter does
            target_set = members(names, target, as_package=contract.as_packages)
            chains = find_chains(
                graph, source_set, target_set, indirect=not contract.allow_indirect_imports
            )
            for chain in chains:
                yield Broken(contract, source, target, tuple(chain), "forbidden")


def check_acyclic(contract: Contract, graph: Graph) -> Iterator[Broken | Missing]:
    """No cycle among the given packages (each collapsed with its descendants)."""
    graph = prepare(contract, graph)
    packages = [m for expr in contract.modules for m in expand(expr, graph.modules)]
    for module in packages:
        if not _exists(module, graph):
            yield Missing(contract, f"{contract.key}.modules", module)
    packages = sorted(p for p in packages if _exists(p, graph))
    owner: dict[str, str] = {}
    for package in sorted(packages, key=len):  # the deepest listed package owns a module
        for module in members(graph.all_names(), package):
            owner[module] = package
    # package -> package -> (importer, imported) evidence
    links: dict[str, dict[str, tuple[str, str]]] = {}
    for importer, targets in graph.edges.items():
        src = owner.get(importer)
        if src is None:
            continue
        for imported in sorted(targets):
            dst = owner.get(imported)
            if dst is not None and dst != src:
                links.setdefault(src, {}).setdefault(dst, (importer, imported))
    for component in _sccs(packages, links):
        if len(component) < 2:
            continue
        cycle = _cycle(component, links)
        chain: list[str] = []
        for a, b in itertools.pairwise(cycle):
            importer, imported = links[a][b]
            if chain and chain[-1] != importer:
                chain.append("...")
            if not chain:
                chain.append(importer)
            chain.append(imported)
        yield Broken(contract, cycle[0], cycle[-2], tuple(chain), " -> ".join(cycle))


def _sccs(nodes: list[str], links: dict[str, dict[str, tuple[str, str]]]) -> list[list[str]]:
    """Tarjan's strongly connected components (iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(links.get(root, {}))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(links.get(child, {})))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(sorted(component))
    return out


def _cycle(component: list[str], links: dict[str, dict[str, tuple[str, str]]]) -> list[str]:
    """A shortest cycle through the component's first package: ``[a, b, ..., a]``."""
    start = component[0]
    inside = set(component)
    parent: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt = []
        for node in frontier:
            for child in sorted(links.get(node, {})):
                if child not in inside:
                    continue
                if child == start:
                    path = [start]
                    step = node
                    while step != start:
                        path.append(step)
                        step = parent[step]
                    path.append(start)
                    return path[::-1]
                if child not in parent:
                    parent[child] = node
                    nxt.append(child)
        frontier = nxt
    return [start, start]


CHECKS = {
    "layers": check_layers,
    "independence": check_independence,
    "forbidden": check_forbidden,
    "acyclic": check_acyclic,
}
