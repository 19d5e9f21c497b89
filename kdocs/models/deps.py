"""The declared-dependency model (``kdocs inspect deps``).

What the project's manifests declare (``pyproject.toml`` tables, ``requirements*.txt`` and
constraints files), what kdocs knows about the environment the project runs in (installed
distributions, the modules they provide, what they require) and which manifests could not be
read. Rules of family D compare this with the import graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kdocs.models.common import POSITION

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
    """name is the distribution name canonicalised as PEP 503 says (``PyYAML`` ->
    ``pyyaml``), the form to compare names in."""
    raw_name: str
    """raw_name is the distribution name as written in the manifest."""
    specifier: str = ""
    """specifier is the version specifier, e.g. ``">=2.0,<3"`` (Poetry constraints such as
    ``^1.2`` converted); empty when any version is accepted or for a URL requirement."""
    marker: str | None = None
    """marker is the PEP 508 environment marker, e.g. ``python_version < "3.11"``; null when
    the requirement applies everywhere."""
    extras: tuple[str, ...] = ()
    """extras lists the requested extras (``name[a,b]``), sorted."""
    url: str | None = None
    """url is the direct reference (``name @ URL``, a bare URL or archive line, an editable
    ``-e`` location without its ``#egg=`` fragment); null for an index requirement."""
    editable: bool = False
    """editable is true for an ``-e``/``--editable`` requirement."""
    group: str = "project"
    """group says which table or file declares the requirement, as a token such as
    ``project``, ``optional:<extra>``, ``group:<name>``, ``poetry``, ``poetry:optional`` (an
    ``optional = true`` entry, installed through an extra), ``poetry-group:<name>``,
    ``pdm-dev:<name>``, ``requirements:<path>`` or ``constraints:<path>``."""
    role: str = "runtime"
    """role is how rules treat the requirement: ``runtime``, ``dev`` or ``pin`` (see the
    class docstring)."""
    file: str = ""
    """file is the project-relative POSIX path of the manifest that declares it."""
    line: int = field(default=1, metadata=POSITION)
    """line is the 1-based line of the declaration in file."""
    text: str = ""
    """text is the declaration as written (for a Poetry table entry, ``name = <value>``
    rebuilt from the parsed TOML)."""


@dataclass(frozen=True)
class ManifestProblem:
    """A manifest entry (or a whole manifest) kdocs could not read; the run goes on."""

    file: str
    """file is the project-relative POSIX path of the manifest (or of the file that includes
    an unreadable one)."""
    line: int = field(metadata=POSITION)
    """line is the 1-based line of the problem (of the ``-r``/``-c`` line for an include that
    cannot be read); 1 when it concerns a whole file."""
    message: str
    """message says what is wrong, with a hint when kdocs can guess the intent (``=``
    written for ``==``)."""
    text: str = ""
    """text is the offending entry as written; empty when the problem concerns the whole
    file."""


@dataclass(frozen=True)
class InstalledDistribution:
    """A distribution found in the project's environment (from its metadata, never imported).

    ``requires`` holds the requirement strings of its metadata (``Requires-Dist``);
    ``modules`` the import names it provides (dotted for namespace packages).
    """

    name: str
    """name is the distribution name from its metadata, canonicalised as PEP 503 says."""
    version: str
    """version is the installed version from its metadata (``Version``), e.g. ``"2.31.0"``."""
    modules: tuple[str, ...] = ()
    """modules lists, sorted, the import names the distribution provides, read from its
    ``RECORD`` (or ``top_level.txt``); dotted for namespace packages (``google.protobuf``)."""
    requires: tuple[str, ...] = ()
    """requires lists the distribution's ``Requires-Dist`` requirement strings as written,
    markers and extras included."""


@dataclass(frozen=True)
class Environment:
    """Where installed metadata came from.

    ``source``: ``setting`` ([tool.kdocs.deps] python), ``virtual-env`` ($VIRTUAL_ENV),
    ``project-venv`` (.venv / venv / env under the root), ``kdocs`` (the interpreter running
    kdocs, used only when the project itself is installed there) or ``none``.
    """

    source: str = "none"
    """source says how the environment was found: ``setting``, ``virtual-env``,
    ``project-venv``, ``kdocs`` or ``none`` (see the class docstring)."""
    path: str | None = None
    """path is the environment's directory or interpreter: the ``python`` setting made
    absolute (kept when it turns out unusable), ``$VIRTUAL_ENV``, the venv directory or
    ``sys.prefix``; null when no candidate was found."""
    site_packages: tuple[str, ...] = ()
    """site_packages lists the directories whose installed metadata kdocs reads; empty when
    source is ``none``."""
    note: str | None = None
    """note explains why no environment is used (not found, disabled with
    ``use-installed = false``, a ``python`` setting that does not exist); null otherwise."""


@dataclass(frozen=True)
class ImportUse:
    """One third-party import of the project's code, as the D rules see it.

    The deps extractor decides, before any rule runs, whether the import is in dev code,
    whether D101/D103 check it, whether it is optional, and which distributions provide it;
    ``kdocs inspect deps`` shows these decisions. Imports of the project's own top-level
    names, of local modules run from their folder and of typeshed-only modules are left out.
    """

    imported: str
    """imported is the dotted module name the statement loads (as in the import graph)."""
    file: str
    """file is the project-relative POSIX path of the importing file."""
    line: int = field(default=1, metadata=POSITION)
    """line is the 1-based line of the import statement in file."""
    dev: bool = False
    """dev is true when file is development code (tests, build hooks, ``dev-paths``): its
    imports may come from dev groups."""
    type_checking: bool = False
    """type_checking is true for an import only under ``if TYPE_CHECKING:``."""
    checked: bool = True
    """checked is false for a ``TYPE_CHECKING``-only import while ``check-type-checking`` is
    off: D101 and D103 skip it, as deptry does."""
    optional: bool = False
    """optional is true when the code runs without the module: the import is guarded by
    ``except ImportError``, or file imports the same top-level name under such a guard."""
    distributions: tuple[str, ...] = ()
    """distributions lists the distributions that provide the module, per mapped_by (the
    import's first name when nothing else says so)."""
    mapped_by: str = "guess"
    """mapped_by says where distributions comes from: ``module-map``, ``installed``,
    ``shipped table`` or ``guess``."""
    declarations: tuple[str, ...] = ()
    """declarations lists the declared dependencies (runtime or dev, canonical names) that
    provide the module; empty when none does (a D101 candidate)."""


@dataclass(frozen=True)
class DepsModel:
    """What ``kdocs inspect deps`` returns: declared dependencies and the environment.

    The D rules compare it with the import graph to find missing, unused and transitive
    dependencies.
    """

    dependencies: tuple[Dependency, ...] = ()
    """dependencies lists every declaration of every manifest, in reading order
    (pyproject.toml first), leaving out the project's own name."""
    manifests: tuple[str, ...] = ()
    """manifests lists the project-relative POSIX paths of the manifests read
    (pyproject.toml, requirements and constraints files, ``-r``/``-c`` includes), without
    duplicates."""
    problems: tuple[ManifestProblem, ...] = ()
    """problems lists the manifest entries (or whole manifests) kdocs could not read."""
    environment: Environment = Environment()
    """environment says where installed metadata was read from, or why none was."""
    installed: tuple[InstalledDistribution, ...] = ()
    """installed lists the distributions of that environment, sorted by name; empty when
    there is none."""
    # Import name -> distributions, from [tool.kdocs.deps] module-map (the shipped import-name
    # table is not part of the model: the rules load it themselves).
    module_map: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """module_map pairs each import name of ``[tool.kdocs.deps] module-map`` with the
    distributions that provide it, sorted by import name, e.g. ``[["yaml", ["PyYAML"]]]``
    (names as configured, not canonicalised)."""
    project_name: str | None = None
    """project_name is the project's distribution name as written (``[project] name``, else
    ``[tool.poetry] name``); null when pyproject.toml declares none."""
    unread: tuple[ManifestProblem, ...] = ()
    """unread lists declarations kdocs could not read without running code (a setup.py whose
    ``install_requires`` is computed, ``setup(**kwargs)``): while it is not empty the rules
    comparing declarations with imports (D101, D102, D104) stand down rather than guess."""
    build_files: tuple[str, ...] = ()
    """build_files lists the build hook scripts pyproject.toml names (hatch custom hooks,
    PDM's ``custom-hook``, Poetry's build script), root-relative: build-time code."""
    imports: tuple[ImportUse, ...] = ()
    """imports lists the project's third-party imports in import-graph order, each with the
    decisions the D rules act on (dev code, checked, optional, providing distributions)."""
