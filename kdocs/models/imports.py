"""The import graph model (``kdocs inspect imports``).

``modules`` lists the project's own modules; ``imports`` holds one entry per imported module
per statement, internal and external alike. ``imported`` is the module the statement loads:
``from pkg import x`` is ``pkg.x`` when that is a module of the project, else ``pkg``;
external imports keep their full dotted name (``google.protobuf.message``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kdocs.models.common import POSITION
from kdocs.models.common import Unresolved as Unresolved

INTERNAL = "internal"
STDLIB = "stdlib"
THIRD_PARTY = "third-party"


@dataclass(frozen=True, order=True)
class Import:
    """One module loaded by one import statement of a project module (an edge of the graph).

    The first three keys are design.md's contract; the rest are extra keys the I and D rules
    use to tell runtime imports from type-only or optional ones.
    """

    importer: str
    """importer is the dotted name of the project module that contains the statement."""
    imported: str
    """imported is the dotted name of the module the statement loads: ``pkg.x`` for ``from
    pkg import x`` when that is a project module, else ``pkg``; relative imports made
    absolute; an unknown internal name falls back to its nearest project module."""
    line: int = field(metadata=POSITION)
    """line is the 1-based line of the import statement in file."""
    # Extra keys.
    kind: str = INTERNAL  # internal | stdlib | third-party
    """kind classifies imported by its top-level name: ``internal`` (a top-level name of the
    project), ``stdlib`` or ``third-party``."""
    type_checking: bool = False
    """type_checking is true for an import under ``if TYPE_CHECKING:`` (or the ``else`` of
    ``if not TYPE_CHECKING:``): it never runs."""
    file: str = ""
    """file is the project-relative POSIX path of the importer's source file."""
    conditional: bool = False  # under if/try/loop/match (TYPE_CHECKING blocks are not counted)
    """conditional is true for an import inside an ``if``, ``try`` (any clause), loop or
    ``match`` block, which may not run (the ``TYPE_CHECKING`` branch itself is not
    counted)."""
    function_level: bool = False  # inside a function body: runs only when it is called
    """function_level is true for an import inside a function body: it runs only when the
    function is called."""
    optional: bool = False
    """optional is true for an import in the body of a ``try:`` whose handlers catch
    ``ImportError`` or ``ModuleNotFoundError``: the code runs without the module."""


@dataclass(frozen=True)
class ImportGraph:
    """What ``kdocs inspect imports`` returns: the project's modules and their imports.

    ``modules`` and ``imports`` are design.md's contract; the rest are extra keys.
    """

    modules: tuple[str, ...] = ()
    """modules lists the dotted names of the project's own modules, sorted."""
    imports: tuple[Import, ...] = ()
    """imports lists every import, internal and external, sorted by importer, imported and
    line; an import of a module by itself is left out."""
    # Extra keys.
    packages: tuple[str, ...] = ()  # the modules that are packages (an __init__ file)
    """packages lists, sorted, the modules that are packages (they have an ``__init__``
    file)."""
    files: dict[str, str] = field(default_factory=dict)  # module -> project-relative file
    """files maps each module name to its project-relative POSIX source path (a package to
    its ``__init__`` file), sorted by module."""
    unresolved: tuple[Unresolved, ...] = ()
    """unresolved lists the statements kdocs could not resolve and the layout problems of
    the package tree, sorted by file and line."""
