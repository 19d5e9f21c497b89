"""Which distribution provides which import: the lookups family D's rules share.

An import name is matched to distributions, most trusted source first:

1. ``[tool.kdocs.deps] module-map`` (the user said so);
2. installed metadata of the project's environment (the files each distribution installed);
3. the shipped table ``kdocs/data/import_names.json`` (well-known mismatches such as
   ``yaml`` -> ``PyYAML``; built by ``benchmarks/build_import_names.py``);
4. the guess: the import's first component is the distribution's name (``requests``).

A declared distribution "provides" an import when any source says so; prefixes count
(``google.protobuf.message`` is provided by whatever provides ``google.protobuf``).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from kdocs.models.deps import Dependency, DepsModel, InstalledDistribution

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "import_names.json"


@lru_cache(maxsize=1)
def shipped_table() -> dict[str, tuple[str, ...]]:
    """The shipped import-name table (empty if the data file is missing or broken)."""
    try:
        raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
        modules = raw["modules"]
        return {str(k): tuple(canonicalize_name(d) for d in v) for k, v in modules.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


IMPLICIT_FILE = DATA_FILE.parent / "implicitly_used.json"


@lru_cache(maxsize=1)
def implicitly_used() -> dict[str, tuple[frozenset[str], str]]:
    """Distributions used without being imported by their name (``kdocs/data/
    implicitly_used.json``): canonical name -> (the distributions that use it, the reason).
    An empty set means "always". Empty if the data file is missing or broken."""
    try:
        raw = json.loads(IMPLICIT_FILE.read_text(encoding="utf-8"))
        return {
            canonicalize_name(name): (
                frozenset(canonicalize_name(d) for d in entry["with"]),
                str(entry["reason"]),
            )
            for name, entry in raw["distributions"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def prefixes(module: str) -> list[str]:
    """``a.b.c`` -> ``["a.b.c", "a.b", "a"]`` (longest first), lowercased."""
    parts = module.lower().split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]


def guess_module(dist: str) -> str:
    return canonicalize_name(dist).replace("-", "_")


class DistIndex:
    def __init__(self, model: DepsModel) -> None:
        self.model = model
        self.config: dict[str, tuple[str, ...]] = {
            k.lower(): tuple(canonicalize_name(d) for d in v) for k, v in model.module_map
        }
        self.shipped = {k.lower(): v for k, v in shipped_table().items()}
        self.installed: dict[str, InstalledDistribution] = {d.name: d for d in model.installed}
        self.installed_modules: dict[str, list[str]] = {}
        for dist in model.installed:
            for module in dist.modules:
                self.installed_modules.setdefault(module.lower(), []).append(dist.name)
        # What :meth:`owners` returns for an installed module, built once (it was rebuilt
        # for every import: thousands of modules in a real environment, per call).
        self._installed_owners: dict[str, tuple[str, ...]] = {
            k: tuple(v) for k, v in self.installed_modules.items()
        }
        self._provides: dict[str, frozenset[str]] = {}
        # id(deps) -> (deps, as a list, module key -> positions); deps kept alive for the id.
        self._by_key: dict[int, tuple[object, list[Dependency], dict[str, list[int]]]] = {}

    @property
    def has_installed(self) -> bool:
        return bool(self.model.installed)

    def provides(self, dist: str) -> frozenset[str]:
        """Lowercased module keys a distribution provides, from every source."""
        dist = canonicalize_name(dist)
        cached = self._provides.get(dist)
        if cached is not None:
            return cached
        # The guesses: ``python-dateutil`` -> ``python_dateutil``; for namespace packages
        # ``zope-interface`` -> ``zope.interface``, ``google-cloud-storage`` ->
        # ``google.cloud.storage``.
        keys = {guess_module(dist), dist.replace("-", ".")}
        keys |= {k for k, v in self.config.items() if dist in v}
        keys |= {k for k, v in self.shipped.items() if dist in v}
        installed = self.installed.get(dist)
        if installed is not None:
            keys |= {m.lower() for m in installed.modules}
        result = frozenset(keys)
        self._provides[dist] = result
        return result

    def provided_by(self, module: str, deps: Iterable[Dependency]) -> list[Dependency]:
        """The declared dependencies that provide ``module`` (or a package above it)."""
        cached = self._by_key.get(id(deps))
        if cached is None or cached[0] is not deps:
            listed = list(deps)
            table: dict[str, list[int]] = {}
            for i, dep in enumerate(listed):
                for name in self.provides(dep.name):
                    table.setdefault(name, []).append(i)
            cached = (deps, listed, table)
            self._by_key[id(deps)] = cached
        _, listed, table = cached
        hits = sorted({i for prefix in prefixes(module) for i in table.get(prefix, ())})
        return [listed[i] for i in hits]

    def owners(self, module: str) -> tuple[tuple[str, ...], str]:
        """Distributions that provide ``module`` and where that came from."""
        for source, table in (
            ("module-map", self.config),
            ("installed", self._installed_owners),
            ("shipped table", self.shipped),
        ):
            for prefix in prefixes(module):
                if prefix in table:
                    return table[prefix], source
        return (canonicalize_name(module.split(".")[0]),), "guess"

    def installed_owners(self, module: str) -> list[str]:
        for prefix in prefixes(module):
            if prefix in self.installed_modules:
                return list(self.installed_modules[prefix])
        return []

    def closure(self, roots: Iterable[Dependency]) -> dict[str, tuple[str, ...]]:
        """Installed distributions reachable from ``roots`` through ``Requires-Dist``.

        Maps each reachable distribution to the chain that reaches it, roots first
        (``("app-dep", "middle", "dist")``). Markers are evaluated for the interpreter
        running kdocs, with the extras each requirement asked for.
        """
        chains: dict[str, tuple[str, ...]] = {}
        queue: deque[tuple[str, frozenset[str], tuple[str, ...]]] = deque()
        for dep in roots:
            if dep.name not in chains:
                chains[dep.name] = (dep.name,)
                queue.append((dep.name, frozenset(dep.extras), (dep.name,)))
        while queue:
            name, extras, chain = queue.popleft()
            dist = self.installed.get(name)
            if dist is None:
                continue
            for text in dist.requires:
                req = _requirement(text)
                if req is None or not _marker_ok(req.marker, extras):
                    continue
                child = canonicalize_name(req.name)
                if child in chains:
                    continue
                chains[child] = (*chain, child)
                queue.append((child, frozenset(req.extras), (*chain, child)))
        return chains


@lru_cache(maxsize=4096)
def _requirement(text: str) -> Requirement | None:
    try:
        return Requirement(text)
    except InvalidRequirement:
        return None


def _marker_ok(marker: Marker | None, extras: frozenset[str]) -> bool:
    if marker is None:
        return True
    try:
        if marker.evaluate({"extra": ""}):
            return True
        return any(marker.evaluate({"extra": e}) for e in extras)
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return True


def marker_of(dep: Dependency) -> Marker | None:
    if not dep.marker:
        return None
    try:
        return Marker(dep.marker)
    except InvalidMarker:
        return None
