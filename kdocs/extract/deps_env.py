"""Find the project's Python environment and read its installed distributions' metadata.

Which environment describes the project? Not necessarily the one running kdocs: under
pre-commit kdocs runs in an isolated environment holding only kdocs and its own
dependencies, and reading *that* would make every kdocs dependency look "installed" and
every project dependency look absent. The order, first match wins:

1. ``[tool.kdocs.deps] python``: an interpreter or a virtualenv directory (explicit),
   relative to the project root;
2. ``$VIRTUAL_ENV`` when it lies inside the project root or has the project installed;
3. ``.venv`` / ``venv`` / ``env`` under the project root (a directory with ``pyvenv.cfg``);
4. the environment running kdocs, only when the project itself is installed there (a
   development install: ``pip install -e .`` next to kdocs);
5. none: kdocs then relies on the shipped import-name table and the name guess, and the
   rules that need installed metadata (transitive) say they were skipped.

``use-installed = false`` skips all of this (reproducible results across machines). The
metadata is read with ``importlib.metadata`` on the environment's site-packages paths; nothing
is imported from the project or its environment.

The interpreter named by ``python`` is never run: that setting comes from the analysed
repository, and a pull request could point it at a script of its own (``tools/py``) and get
code execution in CI. Its site-packages are found on disk instead
(:func:`interpreter_site_packages`: the virtualenv around it, or
``lib/python3.*/site-packages`` under its prefix). Only when the user passes
``--allow-exec-python`` on the command line may kdocs ask an interpreter that is not laid
out that way for its ``sys.path``.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name

from kdocs.escape import excerpt
from kdocs.execpolicy import allow_exec_python as allow_exec_python
from kdocs.execpolicy import exec_allowed
from kdocs.fsread import read_regular
from kdocs.models.deps import Environment, InstalledDistribution

if TYPE_CHECKING:
    from importlib import metadata

_SUFFIXES = (".py", ".pyi", ".so", ".pyd")
_SKIP_TOP = {
    "tests",
    "test",
    "testing",
    "docs",
    "doc",
    "examples",
    "benchmarks",
    "scripts",
    "setup",
    "src",
    "typings",
    "conftest",
}
_EXTENSION_TAG = re.compile(r"\.(cpython-|cp3|abi3|pypy)[^/]*\.(so|pyd)$")
_MYPYC_HELPER = re.compile(r"^[0-9a-f]{20}__mypyc$")


def modules_from_paths(paths: Iterable[str]) -> set[str]:
    """Import names a distribution provides, from its installed file list (``RECORD``).

    A top-level package with ``__init__`` gives its name; a namespace directory (no
    ``__init__``) is descended into, so ``google/protobuf/__init__.py`` gives
    ``google.protobuf``. The same inference ``packages_distributions()`` makes, one level
    finer for namespace packages. Shared by ``benchmarks/build_import_names.py``.
    """
    files: list[tuple[str, ...]] = []
    for raw in paths:
        parts = tuple(raw.split("/"))
        if not parts or parts[0].endswith((".dist-info", ".egg-info")) or parts[0] == "..":
            continue
        if parts[0].endswith(".data"):
            if len(parts) > 2 and parts[1] in ("purelib", "platlib"):
                parts = parts[2:]
            else:
                continue
        if "__pycache__" in parts or not parts[-1].endswith(_SUFFIXES):
            continue
        if not all(p.isidentifier() for p in parts[:-1]):
            continue  # data directories (``cmeel.prefix/lib``), not importable packages
        if parts[-1].endswith((".so", ".pyd")) and not _EXTENSION_TAG.search(parts[-1]):
            continue  # a shared library (``libfoo.so``), not an extension module
        files.append(parts)
    packages = {p[:-1] for p in files if inspect.getmodulename(p[-1]) == "__init__"}
    out: set[str] = set()
    for parts in files:
        if len(parts) == 1:
            name = inspect.getmodulename(parts[0])
            if name and name != "__init__" and "." not in name:
                out.add(name)
            continue
        depth = 1
        while depth < len(parts) - 1 and parts[:depth] not in packages and depth < 3:
            depth += 1
        if parts[:depth] not in packages and depth == len(parts) - 1:
            leaf = inspect.getmodulename(parts[-1])
            if leaf and leaf != "__init__":
                out.add(".".join((*parts[:-1], leaf)))
                continue
        out.add(".".join(parts[:depth]))
    return {
        m
        for m in out
        if m.split(".")[0] not in _SKIP_TOP
        and not m.startswith("__editable__")
        and not _MYPYC_HELPER.match(m.split(".")[0])
        and all(p.isidentifier() for p in m.split("."))
    }


def site_packages_of(prefix: Path) -> list[Path]:
    """site-packages directories of a virtualenv / installation prefix."""
    found = [
        *sorted(prefix.glob("lib/python3*/site-packages")),
        *sorted(prefix.glob("lib64/python3*/site-packages")),
        *sorted(prefix.glob("Lib/site-packages")),
    ]
    return [p for p in found if p.is_dir()]


def resolve_python(root: Path, python: str) -> Path:
    """A ``python`` setting as a path: ``~`` expanded, relative paths against the project
    root (not the current directory, which would change the answer with ``cd``); a bare
    command name (``python3.12``) not found there is looked up on ``PATH``, only to locate
    its installation on disk (it is not run)."""
    given = (root / os.path.expanduser(python)).absolute()
    if not given.exists() and os.sep not in python and "/" not in python:
        found = shutil.which(python)
        if found and os.path.isabs(found):
            return Path(found)
    return given


def static_site_packages(python: Path) -> list[Path]:
    """site-packages of an interpreter or environment directory, found on disk without
    running anything: a directory is a prefix; an interpreter ``PREFIX/bin/python3`` (or
    ``PREFIX/Scripts/python.exe``) gives PREFIX's site-packages (and Debian's dist-packages)."""
    if python.is_dir():
        return site_packages_of(python)
    if python.parent.name not in ("bin", "Scripts"):
        return []
    prefix = python.parent.parent
    found = site_packages_of(prefix)
    if (prefix / "pyvenv.cfg").is_file():
        return found
    debian = [
        *sorted(prefix.glob("lib/python3*/dist-packages")),
        *sorted(prefix.glob("lib/python3/dist-packages")),
    ]
    return [*found, *(p for p in debian if p.is_dir() and p not in found)]


def interpreter_site_packages(root: Path, python: str) -> tuple[Path, list[Path], str]:
    """(resolved path, site-packages, note) for a configured interpreter or environment.

    Static first; the interpreter is asked only with ``--allow-exec-python``. The note says
    why nothing was found ("" when something was).
    """
    given = resolve_python(root, python)
    if not given.exists():
        return given, [], f"`python` setting: {excerpt(python)} does not exist"
    sites = static_site_packages(given)
    if sites:
        return given, sites, ""
    if given.is_file() and exec_allowed():
        sites = _interpreter_paths(given)
        if sites:
            return given, sites, ""
    if given.is_file() and not exec_allowed():
        return (
            given,
            [],
            f"no site-packages found on disk for {excerpt(python)}; kdocs does not run an"
            " interpreter named in repository config (pass --allow-exec-python to allow it)",
        )
    return given, [], f"no site-packages found for {excerpt(python)}"


def _interpreter_paths(python: Path) -> list[Path]:
    """sys.path of an interpreter that is not laid out as a prefix; only called with
    ``--allow-exec-python`` (see the module docstring)."""
    if not exec_allowed():
        return []
    try:
        proc = subprocess.run(
            [str(python), "-I", "-c", "import sys, json; print(json.dumps(sys.path))"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        paths = json.loads(proc.stdout) if proc.returncode == 0 else []
    except (OSError, subprocess.SubprocessError, ValueError):
        return []
    return [Path(p) for p in paths if isinstance(p, str) and p and Path(p).is_dir()]


METADATA_FILE_LIMIT = 32 * 1024 * 1024
"""Largest metadata file read (RECORD of the biggest wheels is a few MB)."""


def _read_dist_file(dist: metadata.Distribution, name: str) -> str:
    """A metadata file of ``dist`` ("" when absent or unreadable).

    A project's ``.venv`` is repository content like any other: a ``METADATA`` that is a FIFO
    or a symlink to ``/dev/zero`` must not hang the run, so files are read as regular files
    with a size cap rather than through ``Distribution.read_text``.
    """
    base = getattr(dist, "_path", None)
    if not isinstance(base, Path):
        try:
            return dist.read_text(name) or ""
        except (OSError, UnicodeDecodeError, ValueError):  # pragma: no cover - zip metadata
            return ""
    try:
        return read_regular(base / name, METADATA_FILE_LIMIT).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _project_installed(paths: list[Path], project_name: str | None) -> bool:
    """Whether a ``NAME-VERSION.dist-info`` (or ``.egg-info``) of the project lies in one of
    ``paths``. Read from folder names alone (PEP 427 escapes the name there), so this check,
    made on every run, needs neither ``importlib.metadata`` nor a METADATA read."""
    if not project_name:
        return False
    wanted = canonicalize_name(project_name)
    for path in paths:
        try:
            names = os.listdir(path)
        except OSError:
            continue
        for name in names:
            stem, dot, suffix = name.rpartition(".")
            if dot and suffix in ("dist-info", "egg-info"):
                dist = stem.partition("-")[0]
                if dist and canonicalize_name(dist) == wanted:
                    return True
    return False


def find_environment(
    root: Path, python: str, project_name: str | None, *, use_installed: bool = True
) -> Environment:
    """Locate the project's environment (see the module docstring for the order)."""
    if not use_installed:
        return Environment("none", note="installed metadata disabled (use-installed = false)")
    if python:
        given, sites, note = interpreter_site_packages(root, python)
        if not sites:
            return Environment("none", str(given), note=note)
        return Environment("setting", str(given), tuple(str(s) for s in sites))
    virtual_env = os.environ.get("VIRTUAL_ENV")
    if virtual_env:
        venv = Path(virtual_env)
        sites = site_packages_of(venv)
        inside = venv.resolve().is_relative_to(root.resolve())
        if sites and (inside or _project_installed(sites, project_name)):
            return Environment("virtual-env", str(venv), tuple(str(s) for s in sites))
    for name in (".venv", "venv", "env"):
        venv = root / name
        if (venv / "pyvenv.cfg").is_file():
            sites = site_packages_of(venv)
            if sites:
                return Environment("project-venv", str(venv), tuple(str(s) for s in sites))
    own = [Path(p) for p in sys.path if p and Path(p).is_dir() and "site-packages" in p]
    if own and _project_installed(own, project_name):
        return Environment("kdocs", sys.prefix, tuple(str(s) for s in own))
    return Environment(
        "none",
        note="no environment of the project found; set [tool.kdocs.deps] python or create .venv",
    )


def _headers(text: str) -> tuple[str, str, list[str]]:
    """Name, Version and Requires-Dist of a METADATA text (the header block only)."""
    name = version = ""
    requires: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            break  # the body (long description) starts here
        key, _, value = line.partition(":")
        key = key.strip().lower()
        if key == "name" and not name:
            name = value.strip()
        elif key == "version" and not version:
            version = value.strip()
        elif key == "requires-dist":
            requires.append(value.strip())
    return name, version, requires


def read_installed(env: Environment) -> tuple[InstalledDistribution, ...]:
    """Every distribution of the environment with its modules and requirements.

    Reads each ``*.dist-info`` / ``*.egg-info`` directory's METADATA (or PKG-INFO) headers and
    RECORD (or top_level.txt) directly: ``importlib.metadata``'s per-field accessors re-parse
    the whole METADATA file each time, which costs more than everything else here.
    """
    if not env.site_packages:
        return ()
    from importlib import metadata  # slow to import (email parsing): only when reading

    out: dict[str, InstalledDistribution] = {}
    for dist in metadata.distributions(path=list(env.site_packages)):
        text = _read_dist_file(dist, "METADATA") or _read_dist_file(dist, "PKG-INFO")
        name, version, requires = _headers(text)
        if not name:
            continue
        key = canonicalize_name(name)
        if key in out:
            continue  # the first on the path wins, as for imports
        record = _read_dist_file(dist, "RECORD") or _read_dist_file(dist, "installed-files.txt")
        paths = [line.split(",", 1)[0] for line in record.splitlines() if line.strip()]
        modules = modules_from_paths(paths)
        if not modules:
            top = _read_dist_file(dist, "top_level.txt")
            modules = {m.strip() for m in top.splitlines() if m.strip().isidentifier()}
        out[key] = InstalledDistribution(
            name=key, version=version, modules=tuple(sorted(modules)), requires=tuple(requires)
        )
    return tuple(sorted(out.values(), key=lambda d: d.name))
