"""The ``deps`` provider: declared dependencies and the project's environment.

There is no per-file extraction (``extract=None``): ``link`` reads the manifests (pyproject
tables, requirements and constraints files), finds the project's environment and reads its
installed metadata. Settings live in ``[tool.kdocs.deps]`` (declared here, next to the code
that reads them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packaging.utils import canonicalize_name

from kdocs.config import (
    Setting,
    expect_bool,
    expect_choice,
    expect_str,
    expect_str_list,
    register_section,
)
from kdocs.errors import ConfigError
from kdocs.extract import Provider
from kdocs.extract.deps_env import find_environment, read_installed
from kdocs.extract.deps_manifests import (
    ManifestData,
    RequirementsReader,
    find_requirement_files,
    read_pyproject,
    read_setup_cfg,
)
from kdocs.models.deps import DepsModel

if TYPE_CHECKING:
    from kdocs.analysis import Analysis

SECTION = "deps"

DEFAULT_REQUIREMENTS = (
    "requirements*.txt",
    "requirements*.in",
    "*requirements.txt",
    "*-requirements.in",
    "requirements/*.txt",
    "requirements/*.in",
    "constraints*.txt",
)
DEFAULT_DEV_GROUPS = (
    "dev",
    "develop",
    "development",
    "test",
    "tests",
    "testing",
    "lint",
    "linting",
    "typing",
    "types",
    "type",
    "mypy",
    "check",
    "docs",
    "doc",
    "cov",
    "cover",
    "coverage",
    "ci",
    "bench",
    "benchmark",
    "benchmarks",
)
"""Extra names that are development-only, compared as whole names (an extra called
``annotated-types`` or ``pytest-plugin`` is runtime: only ``types`` or ``test`` is dev)."""

DEFAULT_DEV_PATHS = (
    "docs/",
    "doc/",
    "benchmarks/",
    "examples/",
    "scripts/",
    "tools/",
)
"""Runtime-free folders beyond test code (which :func:`kdocs.scope.is_out_of_scope` decides:
``tests/``, ``conftest.py``, ``test_*.py``..., but not a runtime package ``pkg/testing/``)."""

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


def expect_module_map(value: Any, key: str) -> dict[str, tuple[str, ...]]:
    """``{import name = "dist"}`` or ``{import name = ["dist-a", "dist-b"]}``."""
    if not isinstance(value, dict):
        raise ConfigError(f"`{key}` must be a table of import name -> distribution(s)")
    out: dict[str, tuple[str, ...]] = {}
    for module, dists in value.items():
        if not all(p.isidentifier() for p in str(module).split(".")):
            raise ConfigError(f"`{key}`: {module!r} is not a dotted module name")
        if isinstance(dists, str):
            out[module] = (dists,)
        else:
            out[module] = expect_str_list(dists, f"{key}.{module}")
    return out


SETTINGS: dict[str, Setting] = {
    "python": Setting(
        expect_str,
        "",
        "The project's interpreter or virtualenv (relative to the root) whose installed "
        "metadata maps imports to distributions; default: $VIRTUAL_ENV, .venv, venv.",
    ),
    "use-installed": Setting(
        expect_bool,
        True,
        "Read installed metadata at all (false: only the shipped table, module-map and the "
        "name guess: the same result on every machine).",
    ),
    "module-map": Setting(
        expect_module_map,
        {},
        "Import name -> distribution(s) for imports whose name differs from the distribution's "
        "(takes precedence over installed metadata and the shipped table).",
    ),
    "requirements-files": Setting(
        expect_str_list,
        DEFAULT_REQUIREMENTS,
        "Globs (relative to the root) of requirements / constraints files to read.",
    ),
    "requirements-declare": Setting(
        expect_choice("auto", "always", "never"),
        "auto",
        "Whether non-dev requirements files declare runtime dependencies: auto = only when "
        "pyproject.toml declares none (otherwise they are treated as pins / lock files).",
    ),
    "dev-groups": Setting(
        expect_str_list,
        DEFAULT_DEV_GROUPS,
        "Names of optional-dependency extras (whole names) and words of requirements file "
        "names that are development-only (dependency groups and Poetry/PDM/uv dev groups "
        "always are).",
    ),
    "check-type-checking": Setting(
        expect_bool,
        False,
        "Check imports under `if TYPE_CHECKING:` for missing/transitive (D101/D103) too; by "
        "default they are skipped, as deptry does: they never run.",
    ),
    "dev-paths": Setting(
        expect_str_list,
        DEFAULT_DEV_PATHS,
        "Gitignore-style patterns of files that are not runtime code beyond test code "
        "(tests/, conftest.py, test_*.py are always dev) and build hooks (setup.py, "
        "hatch_build.py, noxfile.py, ... and hooks named in pyproject.toml).",
    ),
}
register_section(SECTION, SETTINGS)


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


def read_manifests(
    root: Path, pyproject_path: Path | None, settings: Mapping[str, Any]
) -> tuple[ManifestData, dict[str, Any]]:
    """Every declaration of the project's manifests, in reading order."""
    dev_words = tuple(settings.get("dev-groups", DEFAULT_DEV_GROUPS))
    data = ManifestData()
    doc: dict[str, Any] = {}
    if pyproject_path is not None:
        rel = pyproject_path.relative_to(root).as_posix()
        data, doc = read_pyproject(pyproject_path, rel, lambda n: _is_dev_extra(n, dev_words))
    setup_cfg = root / "setup.cfg"
    if setup_cfg.is_file():
        cfg = read_setup_cfg(setup_cfg, "setup.cfg", lambda n: _is_dev_extra(n, dev_words))
        data.dependencies.extend(cfg.dependencies)
        data.problems.extend(cfg.problems)
        data.manifests.extend(cfg.manifests)
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

    reader = RequirementsReader(root, role_of)
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
    return DepsModel(
        dependencies=deps,
        manifests=tuple(dict.fromkeys(data.manifests)),
        problems=tuple(data.problems),
        environment=env,
        installed=installed,
        module_map=tuple(sorted((k, tuple(v)) for k, v in module_map.items())),
        project_name=name,
        build_files=build_files(doc),
    )


PROVIDER = Provider(kind="deps", version="1", wants=None, extract=None, link=link, section=SECTION)
