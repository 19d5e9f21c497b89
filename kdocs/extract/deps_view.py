"""The dependency view of the import graph: which third-party imports the D rules look at,
and what the extractor decides about each before any rule runs.

Linking, not checking: which files are dev code, which imports are the project's own local
modules, which are guarded by ``except ImportError``, and which distributions provide each
module. The result is :attr:`kdocs.models.deps.DepsModel.imports`, so ``kdocs inspect deps``
shows what the rules decide on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kdocs.extract.deps_index import DistIndex, guess_module
from kdocs.ignore import PathFilter
from kdocs.models.deps import ImportUse
from kdocs.models.imports import ImportGraph
from kdocs.project import SourceEntry
from kdocs.scope import is_out_of_scope

TYPING_ONLY = frozenset({"_typeshed"})
"""Modules that exist only in typeshed's stubs (``from _typeshed import ...``)."""


def classify_imports(
    graph: ImportGraph,
    files: Sequence[SourceEntry],
    index: DistIndex,
    settings: Mapping[str, Any],
    *,
    test_paths: Sequence[str] | None,
    build_files: Sequence[str],
) -> tuple[ImportUse, ...]:
    """Every third-party import of the graph the D rules consider, in graph order.

    ``build_files`` are the root-relative build hooks and task files (build-time code)."""
    model = index.model
    dev_paths = PathFilter(settings.get("dev-paths", ()))
    own = guess_module(model.project_name) if model.project_name else None
    local = _local_names(files)
    skip_tc = not settings.get("check-type-checking", False)
    build = frozenset(build_files)
    # A third-party import under one of the project's own top-level names is a portion of a
    # namespace package that another distribution provides (the graph decided): checked.
    local = local - {m.partition(".")[0] for m in graph.modules}
    guarded = frozenset((i.file, i.imported.partition(".")[0]) for i in graph.imports if i.optional)
    declared = [d for d in model.dependencies if d.role in ("runtime", "dev")]
    out: list[ImportUse] = []
    # A module is imported from many files and a file imports many modules: decide each
    # once (django: 319 third-party imports of 118 modules from 140 files).
    dev_of: dict[str, bool] = {}
    mapped: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {}
    for imp in graph.imports:
        if imp.kind != "third-party":
            continue
        top = imp.imported.split(".")[0]
        if top in local or top in TYPING_ONLY or (own is not None and top.lower() == own):
            continue
        found = mapped.get(imp.imported)
        if found is None:
            owners, source = index.owners(imp.imported)
            names = dict.fromkeys(d.name for d in index.provided_by(imp.imported, declared))
            found = mapped[imp.imported] = (tuple(owners), source, tuple(names))
        dev = dev_of.get(imp.file)
        if dev is None:
            dev = dev_of[imp.file] = bool(imp.file) and is_dev_file(
                dev_paths, imp.file, build, test_paths
            )
        out.append(
            ImportUse(
                imported=imp.imported,
                file=imp.file,
                line=imp.line,
                dev=dev,
                type_checking=imp.type_checking,
                checked=not (imp.type_checking and skip_tc),
                optional=imp.optional or (imp.file, top) in guarded,
                distributions=found[0],
                mapped_by=found[1],
                declarations=found[2],
            )
        )
    return tuple(out)


def _local_names(files: Sequence[SourceEntry]) -> frozenset[str]:
    """Top-level names of the project's own modules, wherever they sit in the tree.

    A module or package whose directory is not itself a package (``tests/conftest.py``,
    ``examples/tutorial/flaskr/``, ``scripts/release.py``) is imported by its bare name from
    code run with that directory on ``sys.path``: a local module, not a distribution.
    ``proj/celery.py`` inside the package ``proj`` is ``proj.celery``, so ``import celery``
    stays third-party.
    """
    split = [e.relpath.split("/") for e in files]
    packages = {
        "/".join(parts[:-1]) for parts in split if parts[-1] in ("__init__.py", "__init__.pyi")
    }
    names: set[str] = set()
    for parts in split:
        stem = parts[-1].rsplit(".", 1)[0]
        if stem == "__init__":
            if len(parts) > 1 and "/".join(parts[:-2]) not in packages:
                names.add(parts[-2])
        elif "/".join(parts[:-1]) not in packages:
            names.add(stem)
    return frozenset(n for n in names if n.isidentifier())


def is_dev_file(
    dev_paths: PathFilter,
    relpath: str,
    build: frozenset[str] = frozenset(),
    test_paths: Sequence[str] | None = None,
) -> bool:
    """Whether a file is not runtime code: test code (where it is, per
    :func:`kdocs.scope.is_out_of_scope`), a build hook or task file at the root (or named in
    pyproject.toml), or a file under ``dev-paths`` (gitignore-style)."""
    if relpath in build or is_out_of_scope(relpath, test_paths):
        return True
    if dev_paths.excluded(relpath, is_dir=False):
        return True
    parts = relpath.split("/")
    return any(dev_paths.excluded("/".join(parts[:n]), is_dir=True) for n in range(1, len(parts)))
