"""Find the project (nearest pyproject.toml), its config, source roots and Python files."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from kdocs.config import Config, default_config, load_file
from kdocs.errors import ConfigError, KdocsError
from kdocs.ignore import DEFAULT_EXCLUDES, PathFilter

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class SourceEntry:
    """A Python file of the project: absolute path, root-relative POSIX path, module name."""

    path: Path
    relpath: str
    module: str


@dataclass(frozen=True)
class WalkProblem:
    """A path the walk could not enter (symlink loop, permission); becomes an E diagnostic."""

    relpath: str
    message: str


@dataclass
class Project:
    root: Path
    config: Config
    scopes: tuple[Path, ...] = ()
    pyproject_path: Path | None = None
    walk_roots: tuple[Path, ...] | None = None
    walk_problems: list[WalkProblem] = field(default_factory=list)

    @cached_property
    def pyproject(self) -> dict[str, Any]:
        """The parsed pyproject.toml (empty when there is none or it cannot be read)."""
        if self.pyproject_path is None:
            return {}
        try:
            return tomllib.loads(self.pyproject_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return {}

    @cached_property
    def source_roots(self) -> tuple[Path, ...]:
        """Import roots: ``[tool.kdocs] src``, else ``src/`` when it exists, else the root."""
        if self.config.src is not None:
            return tuple((self.root / s).resolve() for s in self.config.src)
        src = self.root / "src"
        if src.is_dir() and not (src / "__init__.py").exists():
            return (src.resolve(),)
        return (self.root,)

    @cached_property
    def path_filter(self) -> PathFilter:
        base = self.config.exclude if self.config.exclude_given else DEFAULT_EXCLUDES
        patterns = [*base, *self.config.extend_exclude, f"{self.config.cache_dir}/"]
        gitignore = self.root / ".gitignore"
        if gitignore.is_file():
            with contextlib.suppress(OSError, UnicodeDecodeError):
                patterns = [*gitignore.read_text(encoding="utf-8").splitlines(), *patterns]
        return PathFilter(patterns)

    def relpath(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    @cached_property
    def _root_prefixes(self) -> list[str]:
        """Source roots as ``dir + sep`` strings, deepest first (string ops keep walks fast)."""
        roots = sorted(self.source_roots, key=lambda r: len(r.parts), reverse=True)
        return [os.path.join(str(r), "") for r in roots]

    def _module_name(self, path: str) -> str:
        """Dotted module name of a file relative to the deepest source root containing it."""
        rel = None
        for prefix in self._root_prefixes:
            if path.startswith(prefix):
                rel = path[len(prefix) :]
                break
        if rel is None:
            rel = os.path.relpath(path, self.root)
        stem = os.path.splitext(rel)[0]
        parts = stem.split(os.sep)
        if parts and parts[-1] == "__init__":
            parts.pop()
        return ".".join(parts)

    @cached_property
    def files(self) -> tuple[SourceEntry, ...]:
        """All Python files of the project, sorted, excluding ignored and virtualenv folders."""
        root_prefix = os.path.join(str(self.root), "")
        found: dict[str, SourceEntry] = {}
        for path in self._walk():
            if path in found:
                continue
            rel = path[len(root_prefix) :] if path.startswith(root_prefix) else path
            found[path] = SourceEntry(Path(path), rel.replace(os.sep, "/"), self._module_name(path))
        return tuple(sorted(found.values(), key=lambda e: e.relpath))

    def _walk(self) -> Iterator[str]:
        if self.walk_roots is not None:
            tops = self.walk_roots
        elif self.config.src is not None:
            tops = self.source_roots
        else:
            tops = (self.root,)
        for top in tops:
            if top.is_file():
                yield str(top)
                continue
            if not top.is_dir():
                raise KdocsError(f"source root does not exist: {self.relpath(top)}")
            yield from self._walk_dir(str(top), self.relpath(top), set())

    def _walk_dir(
        self, directory: str, rel_dir: str, active: set[tuple[int, int]]
    ) -> Iterator[str]:
        rel_prefix = "" if rel_dir in ("", ".") else rel_dir + "/"
        try:
            st = os.stat(directory)
            key = (st.st_dev, st.st_ino)
            if key in active:
                self.walk_problems.append(
                    WalkProblem(rel_dir, "symlink loop: directory contains itself")
                )
                return
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as err:
            self.walk_problems.append(
                WalkProblem(rel_dir, f"cannot list directory: {err.strerror}")
            )
            return
        active = active | {key}
        excluded = self.path_filter.excluded
        for entry in entries:
            name = entry.name
            rel = rel_prefix + name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if excluded(rel, is_dir=True):
                    continue
                if os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
                    continue  # a virtualenv
                yield from self._walk_dir(entry.path, rel, active)
            elif name.endswith((".py", ".pyi")) and not excluded(rel, is_dir=False):
                if name.endswith(".pyi") and os.path.exists(entry.path[:-1]):
                    continue
                yield entry.path

    def in_scope(self, relpath: str) -> bool:
        """Whether findings in this file are reported (it lies under one of the given PATHs)."""
        if not self.scopes:
            return True
        path = self.root / relpath
        return any(path == s or path.is_relative_to(s) for s in self.scopes)


def _find_pyproject(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        if directory.name == "site-packages":
            return None  # an installed package: never borrow the venv's project
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def discover(paths: Sequence[str | Path] = (), *, config_file: str | Path | None = None) -> Project:
    """Build the project for the given PATHs (default: the current directory).

    The project root is the directory of the nearest pyproject.toml above the first PATH;
    without one, a bare package directory (or a single file) is analysed on its own, rooted
    at its parent so module names keep the package name.
    """
    targets = [Path(p).absolute() for p in paths] or [Path.cwd()]
    for target in targets:
        if not target.exists():
            raise KdocsError(f"path does not exist: {target}")
    first = targets[0]
    start = first if first.is_dir() else first.parent
    pyproject = _find_pyproject(start)
    if pyproject is not None:
        root = pyproject.parent
        scopes = tuple(t for t in targets if t != root)
    else:
        root = start.parent if (start / "__init__.py").exists() and first.is_dir() else start
        scopes = tuple(targets)
    if config_file is not None:
        config = load_file(Path(config_file))
    elif pyproject is not None:
        config = load_file(pyproject)
    else:
        config = default_config()
    for target in targets:
        if not target.is_relative_to(root):
            raise ConfigError(f"{target} is outside the project rooted at {root}")
    # Bare package or file: analyse only what was given.
    walk_roots = scopes if pyproject is None and config.src is None else None
    return Project(
        root=root, config=config, scopes=scopes, pyproject_path=pyproject, walk_roots=walk_roots
    )
