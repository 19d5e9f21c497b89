"""Link time: resolve every file's raw import statements against the project's modules.

Resolution needs the whole project (is ``x`` in ``from pkg import x`` a module?), so it is not
part of the cached per-file facts. It mirrors grimp's: ``from pkg import x`` is ``pkg.x`` when
that is a module of the project, else ``pkg``; ``import a.b.c`` is ``a.b.c``; relative imports
are made absolute from the importer's package.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kdocs.extract.imports.walk import (
    CONDITIONAL_FLAG,
    FUNCTION_FLAG,
    OPTIONAL_FLAG,
    TYPE_CHECKING_FLAG,
    RawImport,
)
from kdocs.extract.relimport import resolve_relative
from kdocs.models.imports import (
    INTERNAL,
    STDLIB,
    THIRD_PARTY,
    Import,
    ImportGraph,
    Unresolved,
)

if TYPE_CHECKING:
    from kdocs.analysis import Analysis

ROW_FIELDS = (
    "importer",
    "imported",
    "line",
    "kind",
    "type_checking",
    "file",
    "conditional",
    "function_level",
    "optional",
)
"""The fields of :class:`Import` in declaration order: :func:`link` builds and sorts rows in
this order, then makes each row an ``Import`` by position (a test holds the two together)."""

STDLIB_MODULES = frozenset(sys.stdlib_module_names) | {"__future__", "__main__"}


def classify(module: str, internal_tops: frozenset[str] | set[str]) -> str:
    """internal (a top-level name of the project), stdlib, or third-party."""
    top = module.partition(".")[0]
    if top in internal_tops:
        return INTERNAL
    if top in STDLIB_MODULES:
        return STDLIB
    return THIRD_PARTY


class _Resolver:
    """Resolves raw statements of one project against its set of modules."""

    def __init__(
        self,
        modules: Mapping[str, str],
        packages: set[str],
        root: Path,
        declared_namespaces: frozenset[str] = frozenset(),
    ) -> None:
        self.root = root
        self.modules = modules
        self.packages = packages
        self.tops = frozenset(m.partition(".")[0] for m in modules)
        self.unresolved: list[Unresolved] = []
        # Namespace packages: directories without ``__init__`` that hold modules (implicit,
        # PEP 420) and packages whose ``__init__`` extends ``__path__`` (pkgutil /
        # pkg_resources). Other distributions may install more portions into them.
        # Only a chain of directories from the top counts: a directory without
        # ``__init__`` inside a regular package is a layout slip (I014), not a namespace.
        implicit: set[str] = set()
        for module in modules:
            parts = module.split(".")
            for n in range(1, len(parts)):
                prefix = ".".join(parts[:n])
                if prefix in modules:
                    break
                implicit.add(prefix)
        self.namespaces = frozenset(implicit) | declared_namespaces
        self._foreign: dict[str, bool] = {}

    def foreign(self, name: str) -> bool:
        """Whether ``name`` is a portion of one of the project's namespace packages that the
        project does not have: another distribution installs it (``jaraco.context`` next to
        the project's ``jaraco.text``), so it is a third-party import, not a missing module.
        Memoised: a large project imports the same modules from many files."""
        found = self._foreign.get(name)
        if found is None:
            found = self._foreign[name] = self._is_foreign(name)
        return found

    def _is_foreign(self, name: str) -> bool:
        if not self.namespaces:
            return False
        parts = name.split(".")
        for n in range(len(parts) - 1, 0, -1):
            namespace = ".".join(parts[:n])
            if namespace not in self.namespaces:
                continue
            portion = ".".join(parts[: n + 1])
            if portion in self.modules or self._is_namespace(portion):
                return False  # the project has this portion: resolve inside it
            return not self._on_disk(portion, namespace) and not self._on_disk_dir(portion)
        return False

    def _on_disk_dir(self, portion: str) -> bool:
        """A portion that exists next to an implicit namespace's modules (excluded files)."""
        namespace, _, rest = portion.rpartition(".")
        prefix = namespace + "."
        sample = next((m for m in self.modules if m.startswith(prefix)), None)
        if sample is None:
            return False
        depth = sample.count(".") - namespace.count(".")
        relpath = Path(self.modules[sample])
        if relpath.name.startswith("__init__."):
            depth += 1
        directory = self.root / relpath.parents[depth - 1] if depth > 0 else self.root
        target = directory / rest
        return target.is_dir() or any(directory.glob(f"{rest}.*")) if directory.is_dir() else False

    def base(self, importer: str, level: int, module: str) -> str | None:
        """The absolute package a relative import starts from, ``None`` beyond the top."""
        return resolve_relative(importer, importer in self.packages, level, module)

    def internal_target(self, name: str) -> str | None:
        """The nearest project module for a dotted name (itself or an ancestor)."""
        while name:
            if name in self.modules:
                return name
            name = name.rpartition(".")[0]
        return None

    def resolve(self, importer: str, relpath: str, raw: RawImport) -> list[tuple[str, str, int]]:
        """``[(imported, kind, line)]`` for one raw statement; records what it cannot resolve."""
        line, flags, level, module, names = raw
        quiet = bool(flags & (CONDITIONAL_FLAG | FUNCTION_FLAG))
        if level:
            base = self.base(importer, level, module)
            if base is None:
                dots = "." * level
                self.unresolved.append(
                    Unresolved(
                        file=relpath,
                        line=line,
                        reason="relative-beyond-top-level",
                        message=f"relative import `from {dots}{module} import ...` in"
                        f" {importer or relpath} goes beyond the top-level package",
                        importer=importer,
                        target=dots + module,
                    )
                )
                return []
            module = base
        if names is None:
            return [self._target(importer, relpath, module, line, quiet=quiet)]
        kind = classify(module, self.tops)
        if kind != INTERNAL:
            return [(module, kind, line)]
        if self.foreign(module):
            return [(module, THIRD_PARTY, line)]
        out: list[tuple[str, str, int]] = []
        for name in names:
            candidate = f"{module}.{name}" if module else name
            if name != "*" and candidate in self.modules:
                out.append((candidate, INTERNAL, line))
            elif name != "*" and module in self.namespaces and self.foreign(candidate):
                out.append((candidate, THIRD_PARTY, line))
            else:
                out.append(self._target(importer, relpath, module, line, quiet=quiet))
        return out

    def _target(
        self, importer: str, relpath: str, module: str, line: int, *, quiet: bool
    ) -> tuple[str, str, int]:
        kind = classify(module, self.tops)
        if kind != INTERNAL or module in self.modules:
            return (module, kind, line)
        if self.foreign(module):
            return (module, THIRD_PARTY, line)
        nearest = self.internal_target(module)
        # A namespace package (a directory without __init__) and a compiled extension are
        # importable without a module file; an import guarded by try/if or inside a function
        # is often an optional one: none of these is reported.
        if not quiet and not self._is_namespace(module) and not self._on_disk(module, nearest):
            self.unresolved.append(
                Unresolved(
                    file=relpath,
                    line=line,
                    reason="missing-module",
                    message=f"`{module}` is not a module of the project"
                    + (f" (nearest: `{nearest}`)" if nearest else ""),
                    importer=importer,
                    target=module,
                )
            )
        return (nearest or module, kind, line)

    def _on_disk(self, module: str, nearest: str | None) -> bool:
        """Whether the module exists next to its nearest package although it is not one of
        the analysed files: a compiled extension, or a file the project's excludes skip."""
        if nearest is None or nearest not in self.packages:
            return False
        rest = module[len(nearest) + 1 :].split(".")
        path = (self.root / self.modules[nearest]).parent.joinpath(*rest)
        if path.with_suffix(".py").is_file() or path.is_dir():
            return True
        return any(path.parent.glob(f"{rest[-1]}.*")) if path.parent.is_dir() else False

    def _is_namespace(self, module: str) -> bool:
        prefix = module + "."
        return any(m.startswith(prefix) for m in self.modules)


def _layout(analysis: Analysis) -> tuple[dict[str, str], set[str], list[Unresolved]]:
    """Module -> file (a package wins over a same-named module file), packages, problems."""
    project = analysis.project
    modules: dict[str, str] = {}
    packages: set[str] = set()
    problems: list[Unresolved] = []
    plain: dict[str, str] = {}
    for entry in project.files:
        if not entry.module:
            continue
        if entry.path.name in ("__init__.py", "__init__.pyi"):
            packages.add(entry.module)
            modules[entry.module] = entry.relpath
        else:
            plain[entry.module] = entry.relpath
    for module, relpath in plain.items():
        if module in packages:
            problems.append(
                Unresolved(
                    file=relpath,
                    line=1,
                    reason="shadowed-module",
                    message=f"`{relpath}` is never imported: the package `{modules[module]}`"
                    f" has the same module name `{module}` and wins",
                    importer=module,
                    target=module,
                )
            )
            continue
        modules[module] = relpath
    problems.extend(_missing_inits(modules, packages, project.root))
    return modules, packages, problems


def _missing_inits(modules: Mapping[str, str], packages: set[str], root: Path) -> list[Unresolved]:
    """Directories inside a regular package that hold modules but no ``__init__.py``.

    The directory is the module's parent package's: for a package module
    (``app/plugins/s3/__init__.py``) that is two levels up, not the package's own folder.
    A directory whose ``__init__.py`` exists but is not analysed (excluded) is not reported.
    """
    out: list[Unresolved] = []
    seen: set[str] = set()
    for module, relpath in sorted(modules.items()):
        parent = module.rpartition(".")[0]
        if not parent or parent in packages or parent in seen:
            continue
        grand = parent.rpartition(".")[0]
        if grand and grand in packages:
            seen.add(parent)
            up = 2 if relpath.rsplit("/", 1)[-1] in ("__init__.py", "__init__.pyi") else 1
            directory = relpath.rsplit("/", up)[0]
            if any((root / directory / name).is_file() for name in ("__init__.py", "__init__.pyi")):
                continue
            out.append(
                Unresolved(
                    file=relpath,
                    line=1,
                    reason="missing-init",
                    message=f"`{directory}/` has no `__init__.py` inside the package `{grand}`:"
                    " it is a namespace package",
                    importer=parent,
                    target=parent,
                )
            )
    return out


def link(analysis: Analysis, facts: Mapping[str, Any]) -> ImportGraph:
    modules, packages, problems = _layout(analysis)
    module_of = {entry.relpath: entry.module for entry in analysis.project.files}
    declared = frozenset(
        module_of[relpath]
        for relpath, file_facts in facts.items()
        if file_facts.get("namespace") and module_of.get(relpath) in packages
    )
    resolver = _Resolver(modules, packages, analysis.project.root, declared)
    # Plain tuples in the field order of :class:`Import` (:data:`ROW_FIELDS`): sorting them
    # orders exactly like the dataclass's ``order=True`` comparison, without building two
    # field tuples per comparison (django: 11,000 imports).
    rows: list[tuple[str, str, int, str, bool, str, bool, bool, bool]] = []
    for relpath, file_facts in facts.items():
        importer = module_of.get(relpath, "")
        if not importer or modules.get(importer) != relpath:
            continue  # a shadowed module file: Python never imports it
        seen: set[tuple[str, int]] = set()
        for raw in file_facts.get("imports", ()):
            flags = raw[1]
            for imported, kind, line in resolver.resolve(importer, relpath, raw):
                if imported == importer or (imported, line) in seen:
                    continue
                seen.add((imported, line))
                rows.append(
                    (
                        importer,
                        imported,
                        line,
                        kind,
                        bool(flags & TYPE_CHECKING_FLAG),
                        relpath,
                        bool(flags & CONDITIONAL_FLAG),
                        bool(flags & FUNCTION_FLAG),
                        bool(flags & OPTIONAL_FLAG),
                    )
                )
    rows.sort()
    imports = [Import(*row) for row in rows]
    return ImportGraph(
        modules=tuple(sorted(modules)),
        imports=tuple(imports),
        packages=tuple(sorted(packages)),
        files=dict(sorted(modules.items())),
        unresolved=tuple(sorted([*problems, *resolver.unresolved], key=Unresolved.sort_key)),
    )
