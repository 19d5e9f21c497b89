"""The import graph model (``kdocs inspect imports``).

``modules`` lists the project's own modules; ``imports`` holds one entry per imported module
per statement, internal and external alike. ``imported`` is the module the statement loads:
``from pkg import x`` is ``pkg.x`` when that is a module of the project, else ``pkg``;
external imports keep their full dotted name (``google.protobuf.message``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

INTERNAL = "internal"
STDLIB = "stdlib"
THIRD_PARTY = "third-party"


@dataclass(frozen=True, order=True)
class Import:
    importer: str
    imported: str
    line: int
    # Extra keys.
    kind: str = INTERNAL  # internal | stdlib | third-party
    type_checking: bool = False
    file: str = ""
    conditional: bool = False  # under if/try/loop/match (TYPE_CHECKING blocks are not counted)
    function_level: bool = False  # inside a function body: runs only when it is called


@dataclass(frozen=True, order=True)
class Unresolved:
    """An import statement kdocs could not resolve, or a layout problem of the package tree.

    ``reason`` is a stable token: ``relative-beyond-top-level``, ``missing-module``,
    ``shadowed-module`` or ``missing-init``.
    """

    file: str
    line: int
    reason: str
    message: str
    importer: str = ""
    target: str = ""


@dataclass(frozen=True)
class ImportGraph:
    modules: tuple[str, ...] = ()
    imports: tuple[Import, ...] = ()
    # Extra keys.
    packages: tuple[str, ...] = ()  # the modules that are packages (an __init__ file)
    files: dict[str, str] = field(default_factory=dict)  # module -> project-relative file
    unresolved: tuple[Unresolved, ...] = ()
