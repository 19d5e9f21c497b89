"""The ``types`` provider: API types (pydantic, dataclasses, attrs, TypedDict, NamedTuple,
msgspec, Enum) and their fields, extracted statically.

Per file (cached): classes, their bases and decorators resolved through the file's imports,
their fields with ``Field(...)`` arguments and docs (:mod:`.facts`). Link: bases followed
across the project and into installed packages (:mod:`.bases`), fields and config inherited,
serialized names computed like pydantic does (:mod:`.linker`, :mod:`.aliases`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kdocs import __version__, readlog
from kdocs.extract import Provider, SourceFile
from kdocs.extract.types.lines import ClassLines
from kdocs.extract.types.settings import SETTINGS

if TYPE_CHECKING:
    from kdocs.analysis import Analysis
    from kdocs.models.types import TypesModel
    from kdocs.project import Project

# The extraction and link modules are imported where they are used: a warm ``inspect
# types`` answered from the output cache (kdocs/inspectcache.py) imports this package for
# its VERSION and search path only, and the models and the linker cost it ~15 ms. (The
# linker's module is ``linker``, not ``link``: importing a submodule sets it as an attribute
# of the package, which would replace the ``link`` function below.)

VERSION = "21"


_MARKERS = (
    "class ",
    "TypedDict(",
    "NamedTuple(",
    "namedtuple(",
    "create_model",
    "make_dataclass",
    "Enum(",
)


def wants(text: str) -> bool:
    """Files without a class statement (or a functional type constructor) define no types."""
    return any(marker in text for marker in _MARKERS)


def extract(src: SourceFile, settings: Mapping[str, Any]) -> dict[str, Any]:
    from kdocs.extract.types.facts import extract_file

    facts = extract_file(src.tree, src.text, src.module, src.is_package, src.relpath)
    return facts


def _cache_paths(analysis: Analysis) -> tuple[Path | None, Path | None]:
    folder = analysis.cache_dir / __version__ if analysis.cache_dir else None
    if folder is None:
        return None, None
    model = folder / "types-model.bin" if _settled(analysis.project) else None
    return model, folder / "types-external.json"


def _settled(project: Project) -> bool:
    """Whether every project file's stamp proves its content (git's racy-clean rule, as the
    per-file, model and result caches apply it): a file modified within a clock tick of the
    run's stat could change again without changing its stat, so while one is that fresh the
    linked model is neither loaded nor stored under a key made of those stamps."""
    from kdocs.cache import settled

    return all(settled(stamp) for stamp in project.stamps.values())


def _model_key(analysis: Analysis, paths: list[Path]) -> str:
    from kdocs.extract.types import modelcache

    project = analysis.project
    settings = _settings(project)
    stamps = project.stamps  # the run's one stat of each file (no second pass)
    files = ((e.relpath, stamps[e.relpath]) for e in project.files)
    return modelcache.fingerprint(VERSION, settings, paths, files)


def cached_model(analysis: Analysis) -> TypesModel | None:
    """The linked model from the cache when nothing it depends on changed, else ``None``.

    Lets a caller skip loading every file's facts on a warm run (``link`` checks the same
    cache, so calling this is only an optimisation)."""
    from kdocs.extract.types import modelcache
    from kdocs.extract.types.bases import search_paths

    model_path, _ = _cache_paths(analysis)
    if model_path is None:
        return None
    project = analysis.project
    paths = search_paths(project.root, project.source_roots, _settings(project))
    read: list[str] = []
    model = modelcache.load(model_path, _model_key(analysis, paths), read)
    if model is not None:
        _record_externals(project, read)
    return model


_EXTERNALS = "types-externals"


def _record_externals(project: Project, paths: list[str]) -> None:
    project.derived[_EXTERNALS] = sorted(set(paths))


def externals(project: Project) -> list[str] | None:
    """The installed module files the types model of this run was linked from (they are not
    in its key: they are found while linking), or ``None`` when no model was made or loaded
    in this run. A cache of anything derived from the model compares their stats on load."""
    found = project.derived.get(_EXTERNALS)
    return list(found) if isinstance(found, list) else None


def _settings(project: Project) -> dict[str, Any]:
    """The ``types`` section plus the top-level ``test-paths`` (which code is test code)."""
    return {**project.config.link_settings("types"), "test-paths": project.config.test_paths}


def link(analysis: Analysis, facts_by_relpath: Mapping[str, Any]) -> TypesModel:
    from kdocs.extract.types import modelcache
    from kdocs.extract.types.bases import search_paths

    project = analysis.project
    settings = _settings(project)
    paths = search_paths(project.root, project.source_roots, settings)
    model_path, external_path = _cache_paths(analysis)
    key = _model_key(analysis, paths)
    read: list[str] = []
    cached = modelcache.load(model_path, key, read)
    if cached is not None:
        _record_externals(project, read)
        return cached
    with readlog.capturing() as reads:
        model, loaded = _link(project, facts_by_relpath, settings, paths, external_path)
    modelcache.save(model_path, key, model, loaded, analysis.project_reads(reads))
    _record_externals(project, loaded)
    return model


def _link(
    project: Project,
    facts_by_relpath: Mapping[str, Any],
    settings: Mapping[str, Any],
    paths: list[Path],
    external_path: Path | None,
) -> tuple[TypesModel, list[str]]:
    """The model linked from the facts, and the installed module files it read."""
    from kdocs.extract.types.bases import ExternalCache, ModuleIndex
    from kdocs.extract.types.linker import Linker
    from kdocs.extract.types.selection import select_api
    from kdocs.models.cli import Unresolved
    from kdocs.models.types import TypesModel

    cache = ExternalCache(external_path)
    index = ModuleIndex(facts_by_relpath, paths, cache)
    linker = Linker(index, settings.get("known-bases") or {}, settings.get("decorator") or None)
    linker.root = str(project.root)
    candidates = []
    unresolved: list[Unresolved] = []
    for relpath, facts in facts_by_relpath.items():
        module = facts.get("module", "")
        for message, line in facts.get("unresolved", ()):
            unresolved.append(Unresolved(message, relpath, line))
        if index.relpaths.get(module) != relpath:
            continue  # a second file for the same module name (stub next to source...)
        for cls in facts.get("classes", ()):
            info = linker.info(module, cls)
            if info is None or info.kind is None:
                continue
            candidates.append((linker.typedef(module, cls, info), info))
    imports = {
        m: f.get("imports", {})
        for m, f in ((f.get("module", ""), f) for f in facts_by_relpath.values())
    }
    types = select_api(candidates, settings, imports)
    external = linker.referenced_types(types)
    cache.save()
    types.sort(key=lambda t: (t.module, t.source.line if t.source else 0, t.name))
    external.sort(key=lambda t: (t.module, t.source.line if t.source else 0, t.name))
    model = TypesModel(types=tuple(types), external=tuple(external), unresolved=tuple(unresolved))
    return model, list(index.loaded)


PROVIDER = Provider(
    kind="types",
    version=VERSION,
    wants=wants,
    extract=extract,
    link=link,
    section="types",
    settings=SETTINGS,
    cached=cached_model,
    line_slots=ClassLines(),
    # read by the link only for an alias generator it uses, through a token of that function
    digest_excluded=("functions",),
)
