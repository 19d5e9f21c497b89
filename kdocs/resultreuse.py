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
record takes the new stamps.

Most edits to code move lines, though: a line added to a function body moves every class,
field and import below it. So the record also holds each file's line *slots*
(:mod:`kdocs.lineslots`). A changed file whose new results, with the recorded lines put
back into their slots, digest as recorded differs only in where things are; when its
slots moved by one strictly increasing map, the stored findings are moved by that map
and are the answer too. The same holds for a module the CLI interpreter followed: its
IR's token is recorded with the IR's line slots (:func:`kdocs.extract.cli.lines.ir_lines`).
A finding that cannot be moved that way (on a line no slot holds, with a fix computed from
the old bytes, or whose text names the file) runs the check.
Anything else (a new file, a changed fact, a changed suppression comment) runs the check
as before.

The record is sealed like every cache file, and one is kept per head (per config and choice
of rules), the newest few.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from kdocs import __version__, cache, cacheseal, lineslots, modelcache, resultcache
from kdocs.models.diagnostics import Diagnostic
from kdocs.project import Project
from kdocs.readlog import Recorder, stat4

FORMAT = 5
MAX_CHANGED = 64
"""More changed files than this (a branch switch) run the check: extracting them one by one
in this process would cost more than the parallel extraction of a full run."""
MAX_TREES = 6


def _tree_path(project: Project, head: str) -> Path:
    return project.cache_path / __version__ / "check-trees" / f"{head[:32]}.bin"


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
        tokens = {} if read_path in reads.raw else reads.tokens.get(read_path, {})
        if not tokens:
            read_rows.append([read_path, stat, content, None, None])
        for token, lines in sorted(tokens.items()):
            read_rows.append([read_path, stat, content, token, lines])
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
                "lines": [info["lines"].get(rel) for rel in files],
            }
            for kind, info in sorted(kinds.items())
        },
        "reads": read_rows,
    }
    path = _tree_path(project, head)
    cache.store_binary(path, record)
    _prune(path.parent)


def _prune(folder: Path) -> None:
    """Keep the newest :data:`MAX_TREES` records (one per config and choice of rules), and
    drop the records of the previous format (``*.json``). Only files whose seal proves kdocs
    wrote them are removed, and nothing in a folder reached through a symlink."""
    try:
        cache.check_cache_folder(folder)
        found = sorted(folder.glob("*.bin"), key=lambda p: p.lstat().st_mtime_ns)
        for old in [*found[:-MAX_TREES], *folder.glob("*.json")]:
            cacheseal.remove_if_sealed(old)
    except OSError:
        return


def reuse(project: Project, choices: list[object], key: str) -> dict[str, Any] | None:
    """The stored result of the last check whose inputs differ from this one's only in
    files whose extracted results stayed the same; it is stored under ``key`` too."""
    head = resultcache.head_key(project, choices)
    if head is None:
        return None
    path = _tree_path(project, head)
    record = cacheseal.read_binary(path)
    if not _valid(record, head):
        return None
    assert isinstance(record, dict)
    files: list[str] = record["files"]
    if files != [entry.relpath for entry in project.files]:
        return None
    if record["structure"] != modelcache.project_key(project, with_config=False, file_stats=False):
        return None
    stamps = project.stamps
    changed = [
        (i, entry)
        for i, entry in enumerate(project.files)
        if list(stamps[entry.relpath][:4]) != record["stamps"][i]
    ]
    if len(changed) > MAX_CHANGED:
        return None
    found = _same_results(project, record, changed)  # first: the reads below use its work
    if found is None:
        return None
    pairs: dict[str, list[tuple[int, int]]] = dict(found)  # relpath -> (old, new) slot lines
    entries = {entry.fspath: entry for entry in project.files}
    for row in record["reads"]:
        read_path, stat, content, token, lines = row
        current = stat4(read_path)
        if current == stat:
            continue
        if token is not None:
            # Only a value derived from the file was used (the CLI interpreter's IR of a
            # module, a function's text): the same value from the edited file is as good as
            # the same bytes, and one whose lines only moved in order, once the findings
            # move with them.
            entry = entries.get(read_path)
            now = None if entry is None else _token_now(entry, token, lines, project)
            if entry is None or now is None:
                return None
            row[3], row[4] = now[0], now[1]
            pairs.setdefault(entry.relpath, []).extend(now[2])
        elif content == "-" or _content(read_path) != content:
            return None  # a folder listed, or a file now different (or no longer there)
        row[1] = current  # touched, checked out again, or edited where nothing was read
    moved = {}
    for relpath, both in pairs.items():
        line_map = lineslots.line_map(both)
        if line_map is None:
            return None
        if any(old != new for old, new in line_map.items()):
            moved[relpath] = line_map
    stored = resultcache.load(project, record["key"])
    if stored is None:
        return None
    diagnostics = None
    if moved:
        diagnostics = shifted(stored["diagnostics"], moved)
        if diagnostics is None:
            return None
        stored["diagnostics"] = diagnostics
    resultcache.copy_entry(project, record["key"], key, diagnostics)
    for i, entry in changed:
        record["stamps"][i] = list(stamps[entry.relpath][:4])
    record["key"] = key
    cache.store_binary(path, record)
    return stored


def _same_results(
    project: Project, record: dict[str, Any], changed: list[tuple[int, Any]]
) -> dict[str, list[tuple[int, int]]] | None:
    """How the changed files' line slots moved (relpath -> (old line, new line) pairs),
    when every one of them extracts, for every kind the check used, to the digests recorded
    once the recorded lines are put back into its results' slots; else ``None``. Each file
    is read once and extracted for all those kinds at once. The record takes the new
    digests and lines of the files whose lines moved."""
    if not changed:
        return {}
    from kdocs.analysis import (
        digest_excluded,
        extracted_memo,
        line_spec,
        process_file,
        result_digest,
    )

    kinds: dict[str, dict[str, Any]] = record["kinds"]
    names = list(kinds)
    settings = {kind: kinds[kind]["settings"] for kind in names}
    max_size = project.config.max_file_size
    extracted = extracted_memo(project)
    moved: dict[str, list[tuple[int, int]]] = {}
    updates: list[tuple[str, int, dict[str, Any]]] = []
    for i, entry in changed:
        stat = project.stamps.get(entry.relpath)
        done = process_file(entry, names, settings, max_size, stat)
        _stat, _key, results = done
        extracted[entry.relpath] = (done, {kind: settings[kind] for kind in names})
        pairs: list[tuple[int, int]] = []
        for kind in names:
            result, recorded = results[kind], kinds[kind]
            old_lines, new_lines = recorded["lines"][i], result.get("lines")
            if result.get("digest") != recorded["digests"][i]:
                if old_lines is None:
                    return None
                back = lineslots.relined(line_spec(kind), result, old_lines)
                excluded = digest_excluded(kind)
                if back is None or result_digest(back, excluded) != recorded["digests"][i]:
                    return None
                updates.append((kind, i, result))
            if old_lines is not None and new_lines is not None:
                pairs += zip(old_lines, new_lines, strict=True)
        moved[entry.relpath] = pairs
    for kind, i, result in updates:
        kinds[kind]["digests"][i] = result["digest"]
        kinds[kind]["lines"][i] = result.get("lines")
    return moved


def shifted(
    diagnostics: list[Diagnostic], moved: Mapping[str, Mapping[int, int]]
) -> list[Diagnostic] | None:
    """The findings with the lines of the files in ``moved`` moved by their maps, or
    ``None`` when one cannot be moved: a finding in such a file on a line no slot held
    (the rule may have placed it by other means), one with a fix (computed from the old
    bytes), or one whose text names such a file other than in an import chain's hop note
    (``a -> b (a.py:3, 7)``, whose lines are moved too)."""
    hops = {rel: re.compile(HOP_NOTE.format(file=re.escape(rel))) for rel in moved}
    out = []
    for d in diagnostics:
        if any(rel in text for rel in moved for text in (d.message, d.subject)):
            return None
        notes = d.notes
        if any(rel in note for rel in moved for note in notes):
            moved_notes = [_moved_note(note, moved, hops) for note in notes]
            if None in moved_notes:
                return None
            notes = tuple(note for note in moved_notes if note is not None)
        related = []
        for file, at in d.related:
            if file in moved:
                moved_to = moved[file].get(at)
                if moved_to is None:
                    return None
                at = moved_to
            related.append((file, at))
        lines = moved.get(d.file)
        if lines is None:
            changed = d.related or notes is not d.notes
            out.append(replace(d, notes=notes, related=tuple(related)) if changed else d)
            continue
        line = lines.get(d.line)
        end_line = d.end_line if d.end_line is None else lines.get(d.end_line)
        if d.fix is not None or line is None or (d.end_line is not None and end_line is None):
            return None
        out.append(replace(d, line=line, end_line=end_line, notes=notes, related=tuple(related)))
    return sorted(out, key=lambda d: d.sort_key)


HOP_NOTE = (
    r"(?P<hop>.+ -> .+ \({file}:)(?P<lines>[0-9]+(?:, [0-9]+)*)"
    r"(?P<tail>\)(?: \(TYPE_CHECKING\))?)"
)
"""An import chain's hop note (:func:`kdocs.rules.imports.graph.hop_notes` and the I rules'
acyclic chains): ``importer -> imported (file:line, line)``."""


def _moved_note(
    note: str, moved: Mapping[str, Mapping[int, int]], hops: Mapping[str, re.Pattern[str]]
) -> str | None:
    """``note`` with the lines of a moved file it names moved, when it is a hop note of
    that file (the only note that names lines of a file); else ``None``."""
    for rel, pattern in hops.items():
        if rel not in note:
            continue
        match = pattern.fullmatch(note)
        if match is None:
            return None
        lines = [moved[rel].get(int(n)) for n in match["lines"].split(", ")]
        if None in lines:
            return None
        return f"{match['hop']}{', '.join(map(str, lines))}{match['tail']}"
    return note


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
        digests, lines = info.get("digests"), info.get("lines")
        if not isinstance(digests, list) or len(digests) != len(files):
            return False
        if not isinstance(lines, list) or len(lines) != len(files):
            return False
    return all(
        isinstance(item, list)
        and len(item) == 5
        and isinstance(item[0], str)
        and (item[3] is None or isinstance(item[3], str))
        and (item[4] is None or isinstance(item[4], list))
        for item in record["reads"]
    )


def _token_now(
    entry: Any, token: str, lines: list[int] | None, project: Project
) -> tuple[str, list[int] | None, list[tuple[int, int]]] | None:
    """The token of ``entry`` as the file is now, derived the way the recorded one was,
    with its line slots and how they moved from the recorded ``lines``; ``None`` when the
    value changed beyond its lines (or is a kind of token this kdocs does not know)."""
    from kdocs.extract.cli.interp import IR_TOKEN, current_ir, ir_digest
    from kdocs.extract.cli.lines import ir_lines, ir_relined
    from kdocs.extract.types.linker import FUNCTION_TOKEN

    if token.startswith(FUNCTION_TOKEN):
        same = _function_token_now(entry, token, project) == token
        return (token, None, []) if same else None
    if not token.startswith(IR_TOKEN):
        return None
    ir = current_ir(entry, project.config.max_file_size)
    now, now_lines = f"{IR_TOKEN}{ir_digest(ir)}", ir_lines(ir)
    if now == token:
        return now, now_lines, []
    if ir is None or lines is None or now_lines is None or len(lines) != len(now_lines):
        return None
    back = ir_relined(ir, lines)
    if back is None or f"{IR_TOKEN}{ir_digest(back)}" != token:
        return None
    return now, now_lines, list(zip(lines, now_lines, strict=True))


def _function_token_now(entry: Any, token: str, project: Project) -> str | None:
    """The token of the function ``token`` names in ``entry``'s types facts as the file is
    now (extracted already: the file changed, so :func:`_same_results` extracted it)."""
    from kdocs.analysis import extracted_memo
    from kdocs.extract.types.linker import FUNCTION_TOKEN, function_token

    found = extracted_memo(project).get(entry.relpath)
    if found is None:
        return None
    (_stat, _key, results), _settings = found
    facts = results.get("types", {}).get("facts")
    name = token[len(FUNCTION_TOKEN) :].partition(":")[0]
    functions = facts.get("functions", {}) if isinstance(facts, dict) else {}
    return function_token(name, functions.get(name))


def _content(path: str) -> str:
    """A digest of a file read directly (``-`` when it cannot be read: a folder listed, a
    file that was missing; such a read is compared by its stat alone)."""
    from kdocs.cacheseal import MAX_CACHE_FILE
    from kdocs.fsread import read_regular

    try:  # a FIFO, a device or a huge file: compared by its stat alone, like a folder
        return hashlib.sha256(read_regular(path, MAX_CACHE_FILE)).hexdigest()
    except OSError:
        return "-"
