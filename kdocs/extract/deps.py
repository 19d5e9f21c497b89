"""The ``deps`` provider: declared dependencies and the project's environment.

There is no per-file extraction (``extract=None``): ``link`` reads the manifests (pyproject
tables, requirements and constraints files), finds the project's environment and reads its
installed metadata. Settings live in ``[tool.kdocs.deps]`` (declared in
:mod:`kdocs.extract.deps_settings`, a light module the schema reads).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packaging.utils import canonicalize_name

from kdocs.extract import Provider
from kdocs.extract.deps_env import find_environment, read_installed
from kdocs.extract.deps_index import DistIndex
from kdocs.extract.deps_manifests import (
    ManifestData,
    RequirementsReader,
    TomlLines,
    find_requirement_files,
    read_pyproject,
    read_setup_cfg,
)
from kdocs.extract.deps_settings import (
    DEFAULT_DEV_GROUPS,
    DEFAULT_REQUIREMENTS,
    SECTION,
    SETTINGS,
)
from kdocs.extract.deps_setuppy import UNREAD, read_setup_py
from kdocs.extract.deps_view import classify_imports
from kdocs.models.deps import DepsModel, ManifestProblem
from kdocs.models.imports import ImportGraph

if TYPE_CHECKING:
    from kdocs.analysis import Analysis

BUILD_FILES = (
    "setup.py",
    "hatch_build.py",
    "pdm_build.py",
    "noxfile.py",
    "tasks.py",
    "duties.py",
    "dodo.py",
    "fabfile.py",
)
"""Build-time and task-runner files at the project root (setuptools, hatch and PDM build
hooks, Poetry's build script, nox, invoke, duty, doit, fabric): they run on the developer's
or the builder's machine, never in the installed package."""


def _tokens(text: str) -> set[str]:
    return {t for t in re.split(r"[/._\-\s]+", text.lower()) if t}


def _is_dev_extra(name: str, names: tuple[str, ...]) -> bool:
    """An extra is dev-only when its whole (normalised) name is one of ``names``."""
    return canonicalize_name(name) in {canonicalize_name(n) for n in names}


def _is_dev_file_name(stem: str, words: tuple[str, ...]) -> bool:
    """A requirements file is dev-only when a word of its name (``requirements-dev``,
    ``requirements/test``, ``dev-requirements``) is one of ``words``."""
    wanted = {w.lower() for w in words}
    return canonicalize_name(stem) in wanted or bool(_tokens(stem) & wanted)


def build_files(doc: Mapping[str, Any]) -> tuple[str, ...]:
    """Build hook scripts named in pyproject.toml (root-relative paths).

    ``[tool.hatch.build.hooks.custom] path`` and ``[tool.hatch.metadata.hooks.custom] path``
    (also per target), ``[tool.pdm.build] custom-hook``, ``[tool.poetry.build] script``
    (or the old string form).
    """
    found: list[str] = []

    def table(*keys: str) -> Mapping[str, Any]:
        node: Any = doc
        for key in keys:
            node = node.get(key) if isinstance(node, dict) else None
        return node if isinstance(node, dict) else {}

    hatch = table("tool", "hatch")
    hook_tables = [
        table("tool", "hatch", "build", "hooks"),
        table("tool", "hatch", "metadata", "hooks"),
    ]
    for target in table("tool", "hatch", "build", "targets").values():
        if isinstance(target, dict) and isinstance(target.get("hooks"), dict):
            hook_tables.append(target["hooks"])
    if hatch:
        for hooks in hook_tables:
            custom = hooks.get("custom")
            if isinstance(custom, dict):
                found.append(str(custom.get("path", "hatch_build.py")))
    pdm_hook = table("tool", "pdm", "build").get("custom-hook")
    if isinstance(pdm_hook, str):
        found.append(pdm_hook)
    poetry_build = table("tool", "poetry").get("build")
    if isinstance(poetry_build, str):
        found.append(poetry_build)
    elif isinstance(poetry_build, dict) and isinstance(poetry_build.get("script"), str):
        found.append(poetry_build["script"])
    return tuple(dict.fromkeys(p.replace("\\", "/").lstrip("./") for p in found if p))


def project_name(pyproject: Mapping[str, Any]) -> str | None:
    project = pyproject.get("project")
    if isinstance(project, dict) and isinstance(project.get("name"), str):
        return str(project["name"])
    tool = pyproject.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if isinstance(poetry, dict) and isinstance(poetry.get("name"), str):
        return str(poetry["name"])
    return None


def _merge(data: ManifestData, more: ManifestData) -> None:
    data.dependencies.extend(more.dependencies)
    data.problems.extend(more.problems)
    data.manifests.extend(more.manifests)
    data.unread.extend(more.unread)


def _table(doc: Mapping[str, Any], *keys: str) -> Mapping[str, Any]:
    node: Any = doc
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def _file_list(value: Any) -> list[str] | None:
    """``{file = "a.txt"}`` / ``{file = ["a.txt", "b.in"]}`` (setuptools) or a plain list
    (hatch-requirements-txt); ``None`` when the value is something else."""
    if isinstance(value, dict):
        value = value.get("file")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def dynamic_sources(doc: Mapping[str, Any]) -> list[tuple[str, str | None, str, tuple[str, ...]]]:
    """``(group, extra, file, TOML key)`` for each requirements file pyproject.toml declares
    its dependencies from: setuptools' ``[tool.setuptools.dynamic] dependencies = {file =
    [...]}`` and ``optional-dependencies.<extra> = {file = [...]}``, and the
    hatch-requirements-txt metadata hook (``[tool.hatch.metadata.hooks.requirements_txt]
    files = [...]`` and ``optional-dependencies``). ``extra`` is None for the runtime
    dependencies."""
    found: list[tuple[str, str | None, str, tuple[str, ...]]] = []
    for path, runtime_key in (
        (("tool", "setuptools", "dynamic"), "dependencies"),
        (("tool", "hatch", "metadata", "hooks", "requirements_txt"), "files"),
    ):
        table = _table(doc, *path)
        for file in _file_list(table.get(runtime_key)) or ():
            found.append(("project", None, file, (*path, runtime_key)))
        optional = table.get("optional-dependencies")
        if isinstance(optional, dict):
            for extra, value in optional.items():
                key = (*path, "optional-dependencies", str(extra))
                for file in _file_list(value) or ():
                    found.append((f"optional:{extra}", str(extra), file, key))
    return found


def _fixed_role(role: str) -> Callable[[str, bool], str]:
    def role_of(_relpath: str, constraints: bool) -> str:
        return "pin" if constraints else role

    return role_of


def read_dynamic_files(
    root: Path,
    doc: Mapping[str, Any],
    is_dev_extra: Callable[[str], bool],
    pyproject_path: Path | None,
) -> ManifestData:
    """The requirements files pyproject.toml takes its dependencies from, read as
    declarations (runtime, or the extra they belong to). Only files inside the project root
    are read: a path that resolves outside it (``../x.txt``, a symlink) is a problem, never
    opened."""
    data = ManifestData()
    sources = dynamic_sources(doc)
    if not sources or pyproject_path is None:
        return data
    pyproject = pyproject_path.relative_to(root).as_posix()
    try:
        lines = TomlLines(pyproject_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        lines = TomlLines("")
    base = root.resolve()
    for group, extra, file, key in sources:
        role = "dev" if extra is not None and is_dev_extra(extra) else "runtime"
        line = lines.key_line(key)
        try:
            target = (root / file).resolve()
            inside = target.is_relative_to(base)
            exists = inside and target.is_file()
        except (OSError, ValueError):
            inside = exists = False
        if not inside:
            message = f"dynamic dependencies file outside the project, not read: {file}"
            data.problems.append(ManifestProblem(pyproject, line, message))
            continue
        if not exists:
            message = f"dynamic dependencies file not found: {file}"
            data.problems.append(ManifestProblem(pyproject, line, message))
            continue
        reader = RequirementsReader(root, _fixed_role(role))
        reader.read(target)
        for dep in reader.data.dependencies:
            data.dependencies.append(replace(dep, group=group) if dep.role != "pin" else dep)
        data.problems.extend(reader.data.problems)
        data.manifests.extend(reader.data.manifests)
        data.seen.update(reader.seen)
    return data


def read_manifests(
    root: Path, pyproject_path: Path | None, settings: Mapping[str, Any]
) -> tuple[ManifestData, dict[str, Any]]:
    """Every declaration of the project's manifests, in reading order (with the
    declarations that could not be read statically in ``unread``)."""
    dev_words = tuple(settings.get("dev-groups", DEFAULT_DEV_GROUPS))
    data = ManifestData()
    doc: dict[str, Any] = {}
    if pyproject_path is not None:
        rel = pyproject_path.relative_to(root).as_posix()
        data, doc = read_pyproject(pyproject_path, rel, lambda n: _is_dev_extra(n, dev_words))
    setup_cfg = root / "setup.cfg"
    if setup_cfg.is_file():
        cfg = read_setup_cfg(setup_cfg, "setup.cfg", lambda n: _is_dev_extra(n, dev_words))
        _merge(data, cfg)
    setup_py = root / "setup.py"
    if setup_py.is_file() and not setup_py.resolve().is_relative_to(root.resolve()):
        message = f"{UNREAD}: setup.py links outside the project, not read"
        data.unread.append(ManifestProblem("setup.py", 1, message))
    elif setup_py.is_file():
        setup = read_setup_py(setup_py, "setup.py", lambda n: _is_dev_extra(n, dev_words))
        _merge(data, setup)
    dynamic = read_dynamic_files(root, doc, lambda n: _is_dev_extra(n, dev_words), pyproject_path)
    _merge(data, dynamic)
    declares = any(d.role == "runtime" for d in data.dependencies)
    mode = settings.get("requirements-declare", "auto")

    def role_of(relpath: str, constraints: bool) -> str:
        if constraints:
            return "pin"
        stem = relpath.rsplit(".", 1)[0]
        if _is_dev_file_name(stem.replace("requirements", ""), dev_words):
            return "dev"
        if mode == "always" or (mode == "auto" and not declares):
            return "runtime"
        return "pin"

    # Files already read as declarations ([tool.setuptools.dynamic] ...) are not read again
    # as requirements / lock files.
    reader = RequirementsReader(root, role_of, seen=set(dynamic.seen))
    patterns = settings.get("requirements-files", DEFAULT_REQUIREMENTS)
    for path in find_requirement_files(root, patterns):
        reader.read(path, constraints=path.name.startswith("constraints"))
    data.dependencies.extend(reader.data.dependencies)
    data.problems.extend(reader.data.problems)
    data.manifests.extend(reader.data.manifests)
    return data, doc


def link(analysis: Analysis, facts: Mapping[str, Any]) -> DepsModel:
    project = analysis.project
    settings = project.config.section(SECTION)
    data, doc = read_manifests(project.root, project.pyproject_path, settings)
    name = project_name(doc)
    env = find_environment(
        project.root,
        str(settings.get("python", "")),
        name,
        use_installed=bool(settings.get("use-installed", True)),
    )
    installed = read_installed(env)
    module_map = settings.get("module-map", {}) or {}
    own = canonicalize_name(name) if name else None
    deps = tuple(d for d in data.dependencies if d.name != own)
    model = DepsModel(
        dependencies=deps,
        manifests=tuple(dict.fromkeys(data.manifests)),
        problems=tuple(data.problems),
        environment=env,
        installed=installed,
        module_map=tuple(sorted((k, tuple(v)) for k, v in module_map.items())),
        project_name=name,
        unread=tuple(data.unread),
        build_files=build_files(doc),
    )
    # Linking the declarations with the import graph happens here, before any rule runs, so
    # `kdocs inspect deps` shows what the D rules decide on.
    graph: ImportGraph = analysis.model("imports")
    uses = classify_imports(
        graph,
        project.files,
        DistIndex(model),
        settings,
        test_paths=project.config.test_paths,
        build_files=(*BUILD_FILES, *model.build_files),
    )
    return replace(model, imports=uses)


PROVIDER = Provider(
    kind="deps",
    version="2",
    wants=None,
    extract=None,
    link=link,
    section=SECTION,
    settings=SETTINGS,
)
