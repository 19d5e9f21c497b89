"""Linked models, cached: a warm run over an unchanged tree neither loads facts nor re-links.

Linking (the CLI interpreter, import resolution, reading manifests and installed metadata)
costs more than everything else on a warm run, so the finished model of each kind is stored
as JSON next to the per-file cache (``<kind>-linked.json``) and rebuilt with the generic
decoder of :mod:`kdocs.models.codec`. JSON, never pickle: the cache directory lives in the
repository, where a pull request could plant a file; a planted or corrupt file decodes to a
model of the right shape or is ignored.

The key covers every input of a link: the kdocs, cache-format and extractor versions (and
the stat of kdocs' own modules, for development checkouts), the config an extractor reads
(:meth:`~kdocs.config.Config.link_fingerprint`: no rule selection or rule option), the
interpreter's version (the stdlib module list), the project root, and for every project
file its path, module and stat (size, mtime, inode, ctime); the names in each folder holding
a project file (a new compiled extension or excluded file changes how an import resolves);
the root manifests (entry points); for ``deps`` the environment (``VIRTUAL_ENV``, the
site-packages entries of ``sys.path``, the candidate virtualenvs' site-packages) and the
folders the requirement patterns search. Files read during the link that the key cannot name
in advance (each manifest and site-packages folder the deps model names) are stored with
their stat and compared on load. Any change re-links that kind (simple, and always right).

A file modified within a clock tick of the stat (git's racy-clean rule, as in
:mod:`kdocs.cache`) could change again without changing its stat, so while any input is that
fresh the model cache is neither read nor written.

The analysis saves the models it linked in one ``Analysis.flush()`` after the run, under keys
taken from the run's one stamp table (:attr:`~kdocs.project.Project.stamps`, stats taken
before anything was read: an input edited while linking has a newer stamp). The
:data:`FACTS_KEYED` kinds (imports, deps) are also stored under a key over the import facts
and the project's structure, so an edit that keeps every file's imports re-links neither.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from kdocs import __version__, cache, cacheseal, readlog
from kdocs.execpolicy import exec_allowed
from kdocs.models.codec import DecodeError, decode, encode
from kdocs.project import Project
from kdocs.readlog import stat4

FORMAT = 2

ROOT_MANIFESTS = ("pyproject.toml", "setup.cfg", "setup.py", "kdocs.toml", "kdocs.yaml")
"""Read by links (entry points, project name) although they are not Python files."""

_GLOB = frozenset("*?[")


def model_path(directory: Path | None, kind: str) -> Path | None:
    """Where the linked model of ``kind`` is stored, or ``None`` when the cache is off."""
    if directory is None:
        return None
    return directory / __version__ / f"{kind}-linked.json"


def _listing(directory: Path | str) -> list[str]:
    """The visible names in a folder (hidden files and ``__pycache__`` are never modules)."""
    try:
        names = os.listdir(directory)
    except OSError:
        return ["<unreadable>"]
    return sorted(n for n in names if not n.startswith(".") and n != "__pycache__")


@functools.cache
def _kdocs_source() -> str:
    """A digest of kdocs' own modules' stats: a development checkout whose link code changed
    without a version bump must not serve models linked by the old code."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    if any(part in ("site-packages", "dist-packages") for part in package.parts):
        # An installed kdocs: pip rewrites every file on a reinstall, so this module's own
        # stat changes too (a rebuilt wheel of the same version included).
        return f"installed {stat4(__file__)}"
    for folder, dirs, names in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith((".py", ".json")):
                path = os.path.join(folder, name)
                digest.update(f"{os.path.relpath(path, package)}\0{stat4(path)}\0".encode())
    return digest.hexdigest()


def fresh(st: Sequence[int], now: int) -> bool:
    """Modified within a tick of ``now``: a later edit might keep the same stat."""
    return len(st) == 4 and max(st[1], st[3]) + cache.TICK_NS > now


def project_key(
    project: Project,
    *,
    with_config: bool = True,
    file_stats: bool = True,
) -> str | None:
    """A digest of the inputs every kind's link shares, or ``None`` if it cannot be trusted.

    The files' stats are the run's one stamp table (:attr:`~kdocs.project.Project.stamps`),
    taken before any file was read. Without ``with_config`` the config is left out (the
    caller keys on the whole config file: the result cache, which runs before the config's
    sections are validated). Without ``file_stats`` the project files count by path and
    module only: the *structure* key of a model keyed on the facts it was linked from (see
    :data:`FACTS_KEYED`)."""
    head = [
        FORMAT,
        __version__,
        _kdocs_source(),
        project.config.link_fingerprint() if with_config else "",
        list(sys.version_info[:3]),
        str(project.root),
        [str(p) for p in project.source_roots],
        exec_allowed(),
    ]
    tree = _tree_digest(project, file_stats)
    if tree is None:
        return None
    return hashlib.sha256(f"{json.dumps(head, default=repr)}\0{tree}".encode()).hexdigest()


def _tree_digest(project: Project, file_stats: bool) -> str | None:
    """The project's files (with or without their stats), root manifests and folder listings:
    the bulk of every key, computed once per run and shared by the result and model keys."""
    memo = project.derived.setdefault("tree-digest", {})
    if file_stats not in memo:
        memo[file_stats] = _compute_tree_digest(project, file_stats)
    found: str | None = memo[file_stats]
    return found


def _compute_tree_digest(project: Project, file_stats: bool) -> str | None:
    now = time.time_ns()
    digest = hashlib.sha256()
    # Folders as strings (hashing a Path is slow) and one string hashed once: per-file
    # updates cost more than the stats themselves on a large tree.
    folders: dict[str, None] = {str(project.root): None}
    dirname = os.path.dirname
    parts = ["files" if file_stats else "structure"]
    tick = cache.TICK_NS
    stamps = project.stamps if file_stats else {}
    for entry in project.files:
        folders.setdefault(dirname(entry.fspath), None)
        if not file_stats:
            parts.append(f"{entry.relpath}\0{entry.module}")
            continue
        stat = stamps.get(entry.relpath) or cache.stamp(entry.fspath)
        size, mtime, inode, ctime, checked = stat
        # cache.settled, inlined (once per file): an unreadable or racy-fresh file makes the
        # key untrusted.
        if stat == cache.NO_STAMP or max(mtime, ctime) + tick > checked:
            return None
        parts.append(f"{entry.relpath}\0{entry.module}\0{size},{mtime},{inode},{ctime}")
    digest.update("\0".join(parts).encode("utf-8", "surrogateescape"))
    for name in ROOT_MANIFESTS:
        if name == "pyproject.toml":
            digest.update(f"{name}\0{_pyproject_without_kdocs(project.root / name)}\0".encode())
            continue
        st = stat4(project.root / name)
        if fresh(st, now):
            return None
        digest.update(f"{name}\0{st}\0".encode())
    listings = project.listings
    for folder in [*folders, *map(str, _site_dirs_of_root(project.root))]:
        listing = listings.get(folder)
        digest.update(f"{folder}\0{_listing(folder) if listing is None else listing}\0".encode())
    return digest.hexdigest()


def _pyproject_without_kdocs(path: Path) -> str:
    """A digest of ``pyproject.toml`` with the lines of its ``[tool.kdocs...]`` tables blanked.

    Links read the rest of the file (entry points, dependencies, and the lines they are
    declared on); what they read of kdocs' own tables is in the config's link fingerprint.
    So changing a rule option there re-links nothing. Lines stay in place (blanked, not
    removed) because findings point at them. A file with multi-line strings, where a line
    that looks like a table header may be string content, is hashed whole."""
    try:
        text = path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return "<absent>"
    lines = text.splitlines()
    if '"""' not in text and "'''" not in text:
        inside = False
        for i, line in enumerate(lines):
            head = line.strip()
            if head.startswith("["):
                name = head.strip("[] \t").split("#")[0].strip().strip("]").strip()
                inside = name == "tool.kdocs" or name.startswith("tool.kdocs.")
            if inside:
                lines[i] = ""
    while lines and not lines[-1].strip():
        lines.pop()  # blank lines at the end shift nothing
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


FACTS_KEYED = ("imports", "deps")
"""Kinds whose model depends on the project's files only through the import facts: the
imports link reads each file's import facts and the project's layout (paths, modules, folder
listings, all in the structure key); the deps link reads the import graph (so: the import
facts), the file paths, the manifests and the environment (:func:`deps_inputs`, and the
manifests it names, re-stated on load). Such a model is also stored under a key over those
facts, so an edit that leaves every file's imports as they were (a comment, a function
body) re-links neither."""


def facts_key(
    structure: str, kind: str, version: str, settings: Mapping[str, Any], facts: str
) -> str:
    """The second key of a :data:`FACTS_KEYED` model: the structure key, the kind, its
    version and settings, and a digest of the facts it is linked from (``facts``)."""
    digest = hashlib.sha256(f"facts\0{structure}\0{kind}\0{version}\0{facts}\0".encode())
    digest.update(json.dumps(sorted(settings.items()), default=repr).encode())
    return digest.hexdigest()


def facts_digest(facts: Mapping[str, Any]) -> str:
    """A digest of a kind's per-file facts (JSON values: the same facts, the same digest)."""
    text = json.dumps(facts, sort_keys=True, separators=(",", ":"), default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


def inputs_key(
    project: Project, common: str, kind: str, version: str, settings: Mapping[str, Any]
) -> str | None:
    """The key of ``kind``'s linked model: the shared ``common`` key (:func:`project_key`),
    the kind and its extractor version, and what only this kind reads; ``None``: no cache."""
    extra = deps_inputs(project, settings) if kind == "deps" else []
    if extra is None:
        return None
    digest = hashlib.sha256(f"{common}\0{kind}\0{version}\0".encode())
    for item in extra:
        digest.update(json.dumps(item, default=repr).encode())
    return digest.hexdigest()


def _site_dirs_of_root(root: Path) -> list[Path]:
    """The site-packages folder an installed package lives in (its metadata is read)."""
    return [p for p in root.parents if p.name in ("site-packages", "dist-packages")][:1]


def deps_inputs(project: Project, settings: Mapping[str, Any]) -> list[Any] | None:
    """What the deps link reads besides project files; ``None`` if it cannot be listed."""
    from kdocs.extract import deps_settings as deps

    root = project.root
    own_sites = [p for p in sys.path if p and "site-packages" in p]  # what deps_env reads
    out: list[Any] = [os.environ.get("VIRTUAL_ENV", ""), sys.prefix, own_sites]
    patterns = settings.get("requirements-files", getattr(deps, "DEFAULT_REQUIREMENTS", None))
    if not isinstance(patterns, (list, tuple)):
        return None  # the deps extractor changed shape: do not guess, re-link
    for pattern in patterns:
        parent = Path(str(pattern)).parent
        if any(ch in _GLOB for ch in str(parent)):
            return None  # a recursive pattern: any folder could add a requirement file
        out.append([str(pattern), _listing(root / parent)])
    prefixes = [Path(p) for p in (os.environ.get("VIRTUAL_ENV"),) if p]
    prefixes += [root / name for name in (".venv", "venv", "env")]
    for prefix in prefixes:
        out.append([str(prefix), stat4(prefix / "pyvenv.cfg")])
        out.extend([str(site), stat4(site)] for site in _site_packages_of(prefix))
    out.extend([entry, stat4(entry)] for entry in own_sites)
    return out


def _site_packages_of(prefix: Path) -> list[Path]:
    """Every folder a virtualenv's site-packages could be (a superset of what deps reads)."""
    patterns = ("lib/python3*/site-packages", "lib64/python3*/site-packages", "Lib/site-packages")
    return sorted(p for pattern in patterns for p in prefix.glob(pattern))


def stamp_externals(paths: Iterable[str]) -> list[list[Any]]:
    """What a cache entry records of the inputs it read outside its key: each path with its
    :func:`external_stamp` (compared on load by :func:`externals_unchanged`)."""
    return [[path, external_stamp(path)] for path in sorted(set(paths))]


def externals_unchanged(recorded: Any) -> bool:
    """Whether every input a cache entry recorded with :func:`stamp_externals` is as it was
    (a malformed record counts as changed)."""
    if not isinstance(recorded, list):
        return False
    for item in recorded:
        if not isinstance(item, list) or len(item) != 2 or not isinstance(item[0], str):
            return False
        if external_stamp(item[0]) != item[1]:
            return False
    return True


def external_stamp(path: str) -> Any:
    """How an external input is compared on load: its stat, but for a ``pyproject.toml`` its
    content without kdocs' own tables (a rule option changed there re-links nothing)."""
    if os.path.basename(path) == "pyproject.toml" and not os.path.islink(path):
        return _pyproject_without_kdocs(Path(path))
    return stat4(path)


def externals_of(project: Project, kind: str, model: Any) -> list[str]:
    """Files and folders a finished model says it read, to re-stat on load."""
    if kind != "deps":
        return []
    found = [str(project.root / m) for m in getattr(model, "manifests", ())]
    environment = getattr(model, "environment", None)
    found += list(getattr(environment, "site_packages", ()) or ())
    path = getattr(environment, "path", None)
    if path:
        found.append(str(path))
    return found


def load(
    path: Path | None, key: str, cls: type[Any] | None, *, by_facts: str | None = None
) -> tuple[Any, list[tuple[str, Any]]] | None:
    """The cached (model, per-file problems) for ``key``, or ``None``; the reads its link
    made are replayed (:func:`kdocs.readlog.replay`: the run depends on them as if it had
    linked the model itself).

    With ``cls`` ``None`` only the problems are cached (the provider caches its own model).
    With ``by_facts`` the model's facts key (:func:`facts_key`) is compared instead of its
    key (the problems returned are then those of the run that linked it).
    """
    if path is None:
        return None
    data = cacheseal.read_json(path)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    if (data.get("key") != key) if by_facts is None else (data.get("facts_key") != by_facts):
        return None
    problems = data.get("problems")
    if not isinstance(problems, list) or not externals_unchanged(data.get("externals")):
        return None
    from kdocs import sources  # only to check a cached model's problems

    for item in problems:
        if not isinstance(item, list) or len(item) != 2 or not isinstance(item[0], str):
            return None
        try:
            sources.FileProblem.from_json(item[1])
        except (TypeError, ValueError):
            return None
    reads = readlog.decode_reads(data.get("reads"))
    if reads is None:
        return None
    model = None
    if cls is not None:
        try:
            model = decode(cls, data.get("model"), exact=True)
        except DecodeError:
            return None
    readlog.replay(reads)
    return model, [(p[0], p[1]) for p in problems]


def save(
    path: Path | None,
    key: str,
    model: Any,
    problems: Iterable[tuple[str, Any]],
    externals: Iterable[str],
    by_facts: str | None = None,
    reads: Iterable[readlog.Read] = (),
) -> None:
    """Store the model (``None``: problems only) and the reads its link made; a read-only
    tree simply is not cached.

    ``by_facts``: the model's facts key too (:data:`FACTS_KEYED` kinds)."""
    if path is None:
        return
    encoded = None if model is None else encode(model)
    _store(path, key, encoded, problems, externals, by_facts, reads)


def rekey(
    path: Path | None,
    key: str,
    problems: Iterable[tuple[str, Any]],
    externals: Iterable[str],
    by_facts: str,
) -> None:
    """Store the model found by its facts key under the run's new ``key`` and problems,
    without encoding it again (its JSON is copied as stored)."""
    if path is None:
        return
    data = cacheseal.read_json(path)
    if isinstance(data, dict) and data.get("facts_key") == by_facts:
        reads = readlog.decode_reads(data.get("reads")) or []
        _store(path, key, data.get("model"), problems, externals, by_facts, reads)


def _store(
    path: Path,
    key: str,
    model: Any,
    problems: Iterable[tuple[str, Any]],
    externals: Iterable[str],
    by_facts: str | None,
    reads: Iterable[readlog.Read],
) -> None:
    payload = {
        "format": FORMAT,
        "key": key,
        "facts_key": by_facts,
        "externals": stamp_externals(externals),
        "problems": [[rel, problem] for rel, problem in problems],
        "reads": readlog.encode_reads(reads),
        "model": model,
    }
    cache.store_json(path, payload)
