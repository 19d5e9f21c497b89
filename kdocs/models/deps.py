"""The declared-dependency model (``kdocs inspect deps``).

What the project's manifests declare (``pyproject.toml`` tables, ``requirements*.txt`` and
constraints files), what kdocs knows about the environment the project runs in (installed
distributions, the modules they provide, what they require) and which manifests could not be
read. Rules of family D compare this with the import graph.
"""

from __future__ import annotations

from dataclasses import dataclass

# Where a declaration comes from (``Dependency.group``):
#   "project"                    [project] dependencies
#   "optional:<extra>"           [project.optional-dependencies] <extra>
#   "group:<name>"               PEP 735 [dependency-groups] <name>
#   "poetry"                     [tool.poetry.dependencies]
#   "poetry-group:<name>"        [tool.poetry.group.<name>.dependencies] (and dev-dependencies)
#   "pdm-dev:<name>"             [tool.pdm.dev-dependencies] <name>
#   "requirements:<path>"        a requirements file (``-r`` includes keep their own path)
#   "constraints:<path>"         a constraints file (``-c``): pins only, never a declaration

ROLES = ("runtime", "dev", "pin")


@dataclass(frozen=True)
class Dependency:
    """One declared requirement, as written in one manifest.

    ``name`` is canonicalised (PEP 503: ``PyYAML`` -> ``pyyaml``); ``raw_name`` is as written.
    ``role`` says how rules treat it: ``runtime`` (needed by the package's code), ``dev``
    (tests, lint, docs: a dev group, dev extra or dev requirements file) or ``pin`` (a
    constraint or lock-style requirements file that only restricts versions).
    """

    name: str
    raw_name: str
    specifier: str = ""
    marker: str | None = None
    extras: tuple[str, ...] = ()
    url: str | None = None
    editable: bool = False
    group: str = "project"
    role: str = "runtime"
    file: str = ""
    line: int = 1
    text: str = ""


@dataclass(frozen=True)
class ManifestProblem:
    """A manifest entry (or a whole manifest) kdocs could not read; the run goes on."""

    file: str
    line: int
    message: str
    text: str = ""


@dataclass(frozen=True)
class InstalledDistribution:
    """A distribution found in the project's environment (from its metadata, never imported).

    ``requires`` holds the requirement strings of its metadata (``Requires-Dist``);
    ``modules`` the import names it provides (dotted for namespace packages).
    """

    name: str
    version: str
    modules: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class Environment:
    """Where installed metadata came from.

    ``source``: ``setting`` ([tool.kdocs.deps] python), ``virtual-env`` ($VIRTUAL_ENV),
    ``project-venv`` (.venv / venv under the root), ``kdocs`` (the interpreter running kdocs,
    used only when the project itself is installed there) or ``none``.
    """

    source: str = "none"
    path: str | None = None
    site_packages: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class DepsModel:
    dependencies: tuple[Dependency, ...] = ()
    manifests: tuple[str, ...] = ()
    problems: tuple[ManifestProblem, ...] = ()
    environment: Environment = Environment()
    installed: tuple[InstalledDistribution, ...] = ()
    # Import name -> distributions, from [tool.kdocs.deps] module-map and the shipped table.
    module_map: tuple[tuple[str, tuple[str, ...]], ...] = ()
    project_name: str | None = None
