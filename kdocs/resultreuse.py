"""Reuse a stored check result after an edit that changed nothing a check depends on.

The result cache (:mod:`kdocs.resultcache`) is keyed by every file's stat, so any edit misses
it, and a missed key means linking and running every rule again: on a large project that is
seconds for a comment. But a check's findings depend on the files only through:

* each file's extracted result for each kind the check used (facts, file problems and the
  file's ``# kdocs: ignore`` comments: :func:`kdocs.analysis.process_file` digests them);
* the project's structure (paths, module names, folder listings, root manifests);
* the files the links and rules read themselves (:mod:`kdocs.readlog` records them), or,
  where a cache served a value derived from a file (the CLI interpreter's IR of a module),
  that value (its token: re-derived from the edited file and compared);
* everything else in the result key's head (config, environment, the command's choices).

So a full check also stores a *tree record*: the stamp of every file, the digests of every
kind's per-file results, and the stat of every file read directly. On the next miss, the
files whose stamp changed are extracted again (only those, in this process), and when every
digest is as recorded, no directly read file changed, and the head and structure are the
same, the stored result is the answer: it is stored again under the new key, and the tree
record takes the new stamps. Anything else (a new file, a changed fact, a moved line, a
changed suppression comment) runs the check as before.

The record is sealed like every cache file, and one is kept per head (per config and choice
of rules), the newest few.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kdocs import __version__, cache, cacheseal, modelcache, resultcache
from kdocs.project import Project
from kdocs.readlog import Recorder, stat4

FORMAT = 2
MAX_CHANGED = 64
"""More changed files than this (a branch switch) run the check: extracting them one by one
in this process would cost more than the parallel extraction of a full run."""
MAX_TREES = 6


def _tree_path(project: Project, head: str) -> Path:
    return project.cache_path / __version__ / "check-trees" / f"{head[:32]}.json"


def save_tree(
    project: Project,
    choices: list[object],
    key: str,
    kinds: Mapping[str, Mapping[str, Any]] | None,
    reads: Recorder,
) -> None:
    """Record what the check stored under ``key`` depended on (see the module docstring).

    Nothing is recorded when a digest is unknown or a file read directly is racy-fresh."""
    head = resultcache.head_key(project, choices)
    structure = modelcache.project_key(project, with_config=False, file_stats=False)
    if kinds is None or head is None or structure is None:
        return
    now_ns = time.time_ns()
    read_rows = []
    for read_path, stat in sorted(reads.paths.items()):
        if modelcache.fresh(stat, now_ns):
            return  # racy-fresh: it could change again without changing its stat
        content = _content(read_path)
        if stat4(read_path) != stat:
            return  # edited since it was read: what the check saw is not what we would hash
        token = None if read_path in reads.raw else reads.tokens.get(read_path)
        read_rows.append([read_path, stat, content, token])
    files = [entry.relpath for entry in project.files]
    stamps = project.stamps
    record = {
        "format": FORMAT,
        "head": head,
        "structure": structure,
        "key": key,
        "files": files,
        "stamps": [list(stamps[rel][:4]) for rel in files],
        "kinds": {
            kind: {
                "settings": info["settings"],
                "digests": [info["digests"][rel] for rel in files],
            }
            for kind, info in sorted(kinds.items())
        },
        "reads": read_rows,
    }
    path = _tree_path(project, head)
    cache.store_json(path, record)
    _prune(path.parent)


def _prune(folder: Path) -> None:
    """Keep the newest :data:`MAX_TREES` records (one per config and choice of rules)."""
    try:
        found = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
        for old in found[:-MAX_TREES]:
            old.unlink()
    except OSError:
        return


def reuse(project: Project, choices: list[object], key: str) -> dict[str, Any] | None:
    """The stored result of the last check whose inputs differ from this one's only in
    files whose extracted results stayed the same; it is stored under ``key`` too."""
    head = resultcache.head_key(project, choices)
    if head is None:
        return None
    path = _tree_path(project, head)
    record = cacheseal.read_json(path)
    if not _valid(record, head):
        return None
    assert isinstance(record, dict)
    files: list[str] = record["files"]
    if files != [entry.relpath for entry in project.files]:
        return None
    if record["structure"] != modelcache.project_key(project, with_config=False, file_stats=False):
        return None
    entries = {entry.fspath: entry for entry in project.files}
    for row in record["reads"]:
        read_path, stat, content, token = row
        current = stat4(read_path)
        if current == stat:
            continue
        if token is not None:
            # Only a value derived from the file was used (the CLI interpreter's IR of a
            # module): the same value from the edited file is as good as the same bytes.
            entry = entries.get(read_path)
            if entry is None or _token_now(entry, token, project) != token:
                return None
        elif content == "-" or _content(read_path) != content:
            return None  # a folder listed, or a file now different (or no longer there)
        row[1] = current  # touched, checked out again, or edited where nothing was read
    stamps = project.stamps
    changed = [
        (i, entry)
        for i, entry in enumerate(project.files)
        if list(stamps[entry.relpath][:4]) != record["stamps"][i]
    ]
    if len(changed) > MAX_CHANGED or not _same_results(project, record, changed):
        return None
    stored = resultcache.load(project, record["key"])
    if stored is None:
        return None
    resultcache.copy_entry(project, record["key"], key)
    for i, entry in changed:
        record["stamps"][i] = list(stamps[entry.relpath][:4])
    record["key"] = key
    cache.store_json(path, record)
    return stored


def _same_results(
    project: Project, record: Mapping[str, Any], changed: list[tuple[int, Any]]
) -> bool:
    """Whether every changed file extracts, for every kind the check used, to the digests
    recorded (it is read once, extracted for all those kinds at once)."""
    if not changed:
        return True
    from kdocs.analysis import extracted_memo, process_file

    kinds: Mapping[str, Mapping[str, Any]] = record["kinds"]
    names = list(kinds)
    settings = {kind: kinds[kind]["settings"] for kind in names}
    max_size = project.config.max_file_size
    extracted = extracted_memo(project)
    for i, entry in changed:
        stat = project.stamps.get(entry.relpath)
        done = process_file(entry, names, settings, max_size, stat)
        _stat, _key, results = done
        extracted[entry.relpath] = (done, {kind: settings[kind] for kind in names})
        for kind in names:
            if results[kind].get("digest") != kinds[kind]["digests"][i]:
                return False
    return True


def _valid(record: Any, head: str) -> bool:
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        return False
    if record.get("head") != head or not isinstance(record.get("key"), str):
        return False
    files, stamps, kinds = record.get("files"), record.get("stamps"), record.get("kinds")
    if not isinstance(files, list) or not isinstance(stamps, list) or len(files) != len(stamps):
        return False
    if not isinstance(kinds, dict) or not isinstance(record.get("reads"), list):
        return False
    for info in kinds.values():
        if not isinstance(info, dict) or not isinstance(info.get("settings"), dict):
            return False
        digests = info.get("digests")
        if not isinstance(digests, list) or len(digests) != len(files):
            return False
    return all(
        isinstance(item, list)
        and len(item) == 4
        and isinstance(item[0], str)
        and (item[3] is None or isinstance(item[3], str))
        for item in record["reads"]
    )


def _token_now(entry: Any, token: str, project: Project) -> str | None:
    """The token of ``entry`` as the file is now, derived the way the recorded one was
    (``None``: a kind of token this kdocs does not know)."""
    from kdocs.extract.cli.interp import IR_TOKEN, current_ir_token

    if token.startswith(IR_TOKEN):
        return current_ir_token(entry, project.config.max_file_size)
    return None


def _content(path: str) -> str:
    """A digest of a file read directly (``-`` when it cannot be read: a folder listed, a
    file that was missing; such a read is compared by its stat alone)."""
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return "-"
