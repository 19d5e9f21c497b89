"""The check result, cached: a warm ``kdocs check`` over an unchanged project runs no rule.

The per-file cache and the linked-model cache (:mod:`kdocs.modelcache`) make a warm run
re-extract and re-link nothing, but the run would still import every rule family, validate
the config against the full schema and run every rule: on small projects that is most of a
warm run. So the findings of a check are stored too, under a key over everything they depend
on, and a warm run with the same key prints them without importing a rule, an extractor or
the schema (the same raw config was validated by the run that stored them).

The key is the linked models' shared key (:func:`kdocs.modelcache.project_key`: kdocs' own
code, every project file's stat, the folders' listings, ``pyproject.toml``) plus what only
the rules read: the whole ``pyproject.toml`` and ``--config`` file (rule options, selection,
suppressions there), ``.import-restrictions`` files (hidden, so not in the listings), the
deps link's environment, the paths the walk could not enter, and the command's own choices
(``--select``, ``--ignore``, the PATHs reported on). Files the run read that the key cannot
name in advance (each manifest and site-packages folder of the deps model) are stored with
their stamp and compared on load, as the model cache does.

The file is sealed (:mod:`kdocs.cacheseal`): one planted in the repository is ignored.
The key comes from the run's one stamp table, taken before anything is read, so a result
stored while an input was being edited sits under the input's old stamp and is never found
again; while any input is fresher than a clock tick (git's racy-clean rule) nothing is read
or written. ``--no-cache``, ``cache = false`` and ``--fix`` bypass it. Like the model cache,
the file is JSON decoded into the models' own dataclasses, never pickle: the cache directory
is in the repository, where a pull request could plant a file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from kdocs import __version__, cache, cacheseal, modelcache
from kdocs.models.codec import DecodeError, decode, encode
from kdocs.models.diagnostics import Diagnostic
from kdocs.project import Project

FORMAT = 2
MAX_ENTRIES = 8
"""Results kept per project: a few PATH sets (pre-commit passes different files each time)."""

HIDDEN_INPUTS = (".import-restrictions",)
"""Per-folder files rules read that the folder listings leave out (they skip dot files)."""


def result_path(project: Project) -> Path:
    return project.cache_path / __version__ / "check-result.json"


def result_key(project: Project, choices: Sequence[Any]) -> str | None:
    """A digest of every input of a check of ``project``, or ``None`` (do not cache)."""
    head = head_key(project, choices)
    tree = modelcache.project_key(project, with_config=False)
    if head is None or tree is None:
        return None
    return hashlib.sha256(f"{head}\0{tree}".encode()).hexdigest()


def head_key(project: Project, choices: Sequence[Any]) -> str | None:
    """Every input of the key but the project files themselves (computed once per run)."""
    memo = project.derived.setdefault("result-head", {})
    token = json.dumps(list(choices), default=repr)
    if token not in memo:
        memo[token] = _compute_head(project, choices)
    found: str | None = memo[token]
    return found


def _compute_head(project: Project, choices: Sequence[Any]) -> str | None:
    raw_deps = project.config.raw_sections.get("deps")
    deps_settings = raw_deps if isinstance(raw_deps, dict) else {}
    deps = modelcache.deps_inputs(project, deps_settings)
    if deps is None:
        return None
    digest = hashlib.sha256()
    head = [
        FORMAT,
        deps,
        _content(project.pyproject_path),
        _content(Path(project.config.source) if project.config.source else None),
        repr(replace(project.config, sections=None, link_keys={})),
        [(p.relpath, p.message) for p in project.walk_problems],
        os.environ.get("KDOCS_DEBUG", ""),
        list(choices),
    ]
    digest.update(json.dumps(head, default=repr).encode())
    dirname = os.path.dirname
    folders = {str(project.root), *(dirname(entry.fspath) for entry in project.files)}
    for folder in sorted(folders):
        listed = project.hidden.get(folder)  # what the walk saw, before anything was read
        for name in HIDDEN_INPUTS:
            path = Path(folder, name)
            content = "-" if listed is not None and name not in listed else _content(path)
            digest.update(f"{folder}/{name}\0{content}\0".encode())
    return digest.hexdigest()


def _content(path: Path | None) -> str:
    """A digest of a small input file's bytes (``-`` when there is none)."""
    if path is None:
        return "-"
    from kdocs.fsread import RefusedFile, read_head

    try:
        return hashlib.sha256(read_head(path, 4 * 1024 * 1024 + 1)).hexdigest()
    except RefusedFile as err:  # a FIFO or device: never read (rules refuse it too)
        return f"refused: {err.reason}"
    except OSError:
        return "-"


def load(project: Project, key: str) -> dict[str, Any] | None:
    """The stored result for ``key``: ``{"diagnostics", "rules", "files_checked",
    "suppressed", "suppressed_in"}`` with diagnostics decoded, or ``None``."""
    entry = _entries(result_path(project)).get(key)
    if not isinstance(entry, dict):
        return None
    if not modelcache.externals_unchanged(entry.get("externals")):
        return None
    try:
        diagnostics = [decode(Diagnostic, d, exact=True) for d in entry["diagnostics"]]
        rules = {
            str(code): RuleInfo(str(code), str(info[0]), str(info[1]))
            for code, info in entry["rules"].items()
        }
        counts = (int(entry["files_checked"]), int(entry["suppressed"]))
        suppressed_in = {str(f): int(n) for f, n in entry["suppressed_in"].items()}
    except (DecodeError, KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None
    return {
        "diagnostics": diagnostics,
        "rules": rules,
        "files_checked": counts[0],
        "suppressed": counts[1],
        "suppressed_in": suppressed_in,
    }


def save(
    project: Project,
    key: str,
    diagnostics: Iterable[Diagnostic],
    rules: Mapping[str, Any],
    files_checked: int,
    suppressed_in: Mapping[str, int],
    externals: Iterable[str],
) -> None:
    """Store a result (a read-only tree or a full disk simply is not cached)."""
    path = result_path(project)
    entries = _entries(path)
    entries.pop(key, None)
    entries[key] = {
        "externals": modelcache.stamp_externals(externals),
        "diagnostics": [encode(d) for d in diagnostics],
        "rules": {code: [r.name, r.severity] for code, r in sorted(rules.items())},
        "files_checked": files_checked,
        "suppressed": sum(suppressed_in.values()),
        "suppressed_in": dict(sorted(suppressed_in.items())),
    }
    kept = dict(list(entries.items())[-MAX_ENTRIES:])
    payload = {"format": FORMAT, "entries": kept}
    cache.store_json(path, payload)


def copy_entry(
    project: Project, old: str, new: str, diagnostics: Iterable[Diagnostic] | None = None
) -> None:
    """Store the result found under ``old`` under ``new`` as well (the same findings for
    inputs whose stamps changed but not what the check depends on), with ``diagnostics``
    instead of its own when given (the same findings, moved with the lines they are on)."""
    path = result_path(project)
    entries = _entries(path)
    entry = entries.get(old)
    if entry is None:
        return
    if diagnostics is not None:
        entry = {**entry, "diagnostics": [encode(d) for d in diagnostics]}
    entries.pop(new, None)
    entries[new] = entry
    kept = dict(list(entries.items())[-MAX_ENTRIES:])
    cache.store_json(path, {"format": FORMAT, "entries": kept})


def _entries(path: Path) -> dict[str, Any]:
    data = cacheseal.read_json(path)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    entries = data.get("entries")
    return dict(entries) if isinstance(entries, dict) else {}


class RuleInfo:
    """What the reporters need of a rule whose findings came from the result cache: its code,
    name and severity (the SARIF reporter looks up the full rule page itself)."""

    __slots__ = ("code", "name", "severity")

    def __init__(self, code: str, name: str, severity: str) -> None:
        self.code = code
        self.name = name
        self.severity = severity

    def __repr__(self) -> str:
        return f"RuleInfo({self.code!r}, {self.name!r}, {self.severity!r})"
