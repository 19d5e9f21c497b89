"""Resolve base classes across modules: project files first, then installed packages.

Installed packages are read as source (parsed with ``ast`` and run through the same per-file
extraction), never imported. The search path is, in order: extra ``search-paths`` from
config, the project's ``.venv``/``venv``, the ``site-packages`` folder the project itself lies
in, the ``python`` interpreter's site-packages (found on disk, never by running it), and
finally the running interpreter's own ``sys.path``, less the entry Python added for the script
that started it (:func:`_import_path`).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kdocs import cacheseal

MAX_DEPTH = 40

MAX_EXTERNAL_MODULE = 16 * 1024 * 1024
"""The largest installed module read for base classes (generated API clients reach a few MB;
the project's ``max-file-size`` is for its own files)."""

ROOTS: dict[str, str] = {
    "pydantic.BaseModel": "pydantic",
    "pydantic.main.BaseModel": "pydantic",
    "pydantic.RootModel": "pydantic",
    "pydantic.root_model.RootModel": "pydantic",
    "pydantic_settings.BaseSettings": "pydantic",
    "pydantic_settings.main.BaseSettings": "pydantic",
    "sqlmodel.SQLModel": "pydantic",
    "sqlmodel.main.SQLModel": "pydantic",
    "pydantic.v1.BaseModel": "pydantic-v1",
    "pydantic.v1.main.BaseModel": "pydantic-v1",
    "pydantic.v1.BaseSettings": "pydantic-v1",
    "pydantic.BaseSettings": "pydantic-v1",
    "typing.TypedDict": "typeddict",
    "typing_extensions.TypedDict": "typeddict",
    "mypy_extensions.TypedDict": "typeddict",
    "typing.NamedTuple": "namedtuple",
    "typing_extensions.NamedTuple": "namedtuple",
    "msgspec.Struct": "msgspec",
    "enum.Enum": "enum",
    "enum.IntEnum": "enum",
    "enum.StrEnum": "enum",
    "enum.Flag": "enum",
    "enum.IntFlag": "enum",
    "enum.ReprEnum": "enum",
    "strenum.StrEnum": "enum",
    "backports.strenum.StrEnum": "enum",
}
"""Base classes whose kind is known without reading their source."""

GUESS_BY_NAME: dict[str, str] = {
    "BaseModel": "pydantic",
    "RootModel": "pydantic",
    "BaseSettings": "pydantic",
    "SQLModel": "pydantic",
    "TypedDict": "typeddict",
    "NamedTuple": "namedtuple",
    "Enum": "enum",
    "StrEnum": "enum",
    "IntEnum": "enum",
}
"""When a base cannot be found at all, a kind guessed from its name (with a note)."""


def search_paths(
    root: Path, source_roots: Iterable[Path], settings: Mapping[str, Any]
) -> list[Path]:
    """Where modules outside the project are looked for, in order."""
    out: list[Path] = [*(Path(r) for r in source_roots)]
    for extra in settings.get("search-paths") or ():
        out.append((root / extra).resolve())
    for name in (".venv", "venv"):
        out.extend(sorted((root / name).glob("lib/python3*/site-packages")))
        out.extend(sorted((root / name).glob("Lib/site-packages")))
    for parent in (root, *root.parents):
        if parent.name in ("site-packages", "dist-packages"):
            out.append(parent)
            break
    python = settings.get("python")
    if python:
        # Found on disk, relative to the project root; never run (see deps_env). Imported
        # here: it brings ``packaging``, which a warm ``inspect`` answered from the output
        # cache (kdocs/inspectcache.py) would otherwise import only for this.
        from kdocs.extract.deps_env import interpreter_site_packages

        out.extend(interpreter_site_packages(root, str(python))[1])
    out.extend(Path(p) for p in _import_path())
    seen: set[Path] = set()
    unique: list[Path] = []
    for path in out:
        if path not in seen and path.is_dir():
            seen.add(path)
            unique.append(path)
    return unique


def _import_path() -> list[str]:
    """The running interpreter's ``sys.path`` without the folder of the script it runs.

    Run as the ``kdocs`` console script, Python puts the script's folder (``.venv/bin``)
    first on ``sys.path``; run as ``python -m kdocs``, that first entry (the current folder)
    is removed by ``kdocs/__main__.py``. A script's folder is no module search path of the
    environment, and keeping it made the types model key (which covers the search path)
    differ between the two spellings of the same run: each evicted the other's cached
    model. So the entry is left out when it is the script's folder (Python resolves the
    script's symlinks for it) and ``-P``/``PYTHONSAFEPATH`` did not already leave it out."""
    entries = [p for p in sys.path if p]
    if sys.flags.safe_path or not sys.path or not sys.path[0] or not sys.argv:
        return entries
    script = sys.argv[0]
    if not script or script in ("-c", "-m", "-"):
        return entries
    first = sys.path[0]
    folders = {os.path.dirname(os.path.abspath(script))}
    with contextlib.suppress(OSError, ValueError):
        folders.add(os.path.dirname(os.path.realpath(script)))
    if os.path.abspath(first) in folders:
        return entries[1:]
    return entries


@functools.lru_cache(maxsize=4096)
def _external_facts(path: str, mtime: int, module: str, is_package: bool) -> dict[str, Any] | None:
    from kdocs.extract.types.facts import extract_file  # not on a warm run's path
    from kdocs.fsread import read_regular

    try:
        # A regular file only, and capped: a `.venv` committed with the project can hold a
        # module that is a symlink to /dev/zero or a FIFO.
        text = read_regular(path, MAX_EXTERNAL_MODULE).decode("utf-8")
        tree = ast.parse(text)
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError):
        return None
    try:
        return extract_file(tree, text, module, is_package, path)
    except RecursionError:
        return None


STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) - {"enum", "typing"}
"""Standard-library modules define no API base classes worth reading (``typing.Generic``,
``abc.ABC``...); the ones that matter are in :data:`ROOTS`. Skipping them saves parsing
``typing.py`` and friends on every run."""


EXTERNAL_FORMAT = 8
"""Bumped when the per-file facts change shape (2: structured type expressions)."""


class ExternalCache:
    """Facts of installed modules, persisted next to the per-file cache (keyed by path and
    stat), so a warm run does not parse site-packages again."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, Any] = {}
        self.dirty = False
        if path is not None:
            data = cacheseal.read_json(path)  # a planted (unsealed) file is ignored
            if isinstance(data, dict) and data.get("format") == EXTERNAL_FORMAT:
                entries = data.get("entries")
                self.entries = entries if isinstance(entries, dict) else {}

    def get(self, key: str, stat: list[int]) -> dict[str, Any] | None:
        entry = self.entries.get(key)
        if isinstance(entry, dict) and entry.get("stat") == stat:
            facts: dict[str, Any] = entry.get("facts") or {}
            return facts
        return None

    def put(self, key: str, stat: list[int], facts: dict[str, Any]) -> None:
        self.entries[key] = {"stat": stat, "facts": facts}
        self.dirty = True

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            cacheseal.write_json(self.path, {"format": EXTERNAL_FORMAT, "entries": self.entries})
        except OSError:
            pass


class ModuleIndex:
    """Facts of project modules plus installed modules loaded on demand."""

    def __init__(
        self,
        project_facts: Mapping[str, dict[str, Any]],
        paths: list[Path],
        cache: ExternalCache | None = None,
    ):
        self.cache = cache or ExternalCache(None)
        self.modules: dict[str, dict[str, Any]] = {}
        self.relpaths: dict[str, str] = {}
        for relpath, facts in project_facts.items():
            module = facts.get("module", "")
            self.modules.setdefault(module, facts)
            self.relpaths.setdefault(module, relpath)
        self.paths = paths
        self._missing: set[str] = set()
        self.loaded: list[str] = []  # installed module files read (the model cache checks them)

    def get(self, module: str) -> dict[str, Any] | None:
        if module in self.modules:
            return self.modules[module]
        if module in self._missing or not module:
            return None
        if self._below_plain_module(module):
            self._missing.add(module)
            return None
        facts = self._load(module)
        if facts is None:
            self._missing.add(module)
            return None
        self.modules[module] = facts
        return facts

    def _below_plain_module(self, module: str) -> bool:
        """Whether the nearest known ancestor of ``module`` is a plain module (``a/b.py``, not
        a package): Python cannot import a submodule of it, so nothing needs probing.

        ``lookup`` tries every prefix of a dotted name as a module, so each class reference
        (``pkg.mod.Model.field``, a bare name in a class body tried as ``pkg.mod.Model.int``)
        asked for ``pkg.mod.Model`` on every search path, four ``stat`` calls each: a cold
        check of a 10,000-file tree spent over half its types-link time there."""
        head = module.rpartition(".")[0]
        while head:
            where = self.relpaths.get(head)
            if where is not None:
                return not where.replace("\\", "/").rsplit("/", 1)[-1].startswith("__init__.")
            head = head.rpartition(".")[0]
        return False

    def _load(self, module: str) -> dict[str, Any] | None:
        parts = module.split(".")
        if parts[0] in STDLIB:
            return None
        for base in self.paths:
            for candidate, is_package in (
                (base.joinpath(*parts).with_suffix(".py"), False),
                (base.joinpath(*parts, "__init__.py"), True),
                (base.joinpath(*parts).with_suffix(".pyi"), False),
                (base.joinpath(*parts, "__init__.pyi"), True),
            ):
                try:
                    st = candidate.stat()
                except (OSError, ValueError):
                    continue
                key = f"{candidate}\0{module}"
                stat = [st.st_mtime_ns, st.st_size]
                facts = self.cache.get(key, stat)
                if facts is None:
                    facts = _external_facts(str(candidate), st.st_mtime_ns, module, is_package)
                    if facts is not None:
                        self.cache.put(key, stat, facts)
                if facts is not None:
                    self.loaded.append(str(candidate))
                    self.relpaths.setdefault(module, str(candidate))
                    return facts
        return None

    def lookup(
        self, name: str, depth: int = 0, seen: frozenset[str] = frozenset()
    ) -> tuple[str, str, dict[str, Any] | None] | None:
        """Resolve a dotted name to ``("root", kind, None)`` or ``("class", module, facts)``.

        ``None`` when it cannot be found.
        """
        name = name.lstrip("?")
        if name in ROOTS:
            return ("root", ROOTS[name], None)
        if depth > MAX_DEPTH or name in seen or not name:
            return None
        seen = seen | {name}
        parts = name.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            facts = self.get(module)
            if facts is None:
                continue
            attr = parts[cut:]
            qual = ".".join(attr)
            for cls in facts.get("classes", ()):
                if cls["qualname"] == qual:
                    return ("class", module, cls)
            head = attr[0]
            rest = ".".join(attr[1:])
            target = facts.get("aliases", {}).get(head) or facts.get("imports", {}).get(head)
            if target:
                return self.lookup(f"{target}.{rest}" if rest else target, depth + 1, seen)
            for star in facts.get("stars", ()):
                found = self.lookup(f"{star}.{qual}", depth + 1, seen)
                if found is not None:
                    return found
            return None
        return None
