"""Run extractors over the project's files (cached, in parallel when cold) and link models."""

from __future__ import annotations

import json
import os
import traceback
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from kdocs.cache import KindCache, Stamp, content_key, stamp
from kdocs.extract import Provider, get_provider
from kdocs.fsread import DEFAULT_MAX_FILE_SIZE
from kdocs.project import Project, SourceEntry
from kdocs.sources import FileProblem, check_syntax, load, read_bytes

FILES = "files"
"""The pseudo-kind that only checks each file can be read, decoded and parsed (E rules)."""

PARALLEL_THRESHOLD = int(os.environ.get("KDOCS_PARALLEL_THRESHOLD", "150"))


def _settings(project: Project, provider: Provider | None) -> dict[str, Any]:
    if provider is None or provider.section is None:
        return {}
    return dict(project.config.section(provider.section))


def _fingerprint(provider: Provider | None, settings: Mapping[str, Any]) -> str:
    version = provider.version if provider else "1"
    return json.dumps([version, sorted(settings.items())], default=repr, sort_keys=True)


def process_file(
    entry: SourceEntry,
    kinds: Sequence[str],
    settings: Mapping[str, Mapping[str, Any]],
    max_size: int = DEFAULT_MAX_FILE_SIZE,
) -> tuple[Stamp, str, dict[str, dict[str, Any]]]:
    """Read, parse and extract one file for the given kinds; never raises for bad input.

    The stamp is taken before the read, so a later edit always changes what the cache saw."""
    stat = stamp(entry.path)
    data = read_bytes(entry, max_size)
    if isinstance(data, FileProblem):
        return stat, "", {k: {"problem": data.to_json(), "facts": None} for k in kinds}
    key = content_key(entry.relpath, entry.module, data)
    source = load(entry, data)
    if isinstance(source, FileProblem):
        return stat, key, {k: {"problem": source.to_json(), "facts": None} for k in kinds}
    results: dict[str, dict[str, Any]] = {}
    for kind in kinds:
        provider = None if kind == FILES else get_provider(kind)
        if provider is not None and (provider.extract is None or not _wants(provider, source.text)):
            results[kind] = {"problem": None, "facts": None}
            continue
        problem = check_syntax(source) if provider is None or provider.needs_tree else None
        if problem is not None:
            results[kind] = {"problem": problem.to_json(), "facts": None}
            continue
        if provider is None or provider.extract is None:
            empty = not source.text.strip() and not source.is_package
            results[kind] = {"problem": None, "facts": {"empty": True} if empty else None}
            continue
        try:
            facts = provider.extract(source, settings.get(kind, {}))
        except SyntaxError:
            problem = check_syntax(source)
            results[kind] = {"problem": problem.to_json() if problem else None, "facts": None}
            continue
        except RecursionError:
            problem = FileProblem("E003", "cannot analyse file: nesting too deep")
            results[kind] = {"problem": problem.to_json(), "facts": None}
            continue
        except Exception as err:  # an extractor bug must not stop the run
            message = f"internal error in the {kind} extractor: {type(err).__name__}: {err}"
            if os.environ.get("KDOCS_DEBUG"):
                message += "\n" + traceback.format_exc()
            results[kind] = {"problem": FileProblem("E900", message).to_json(), "facts": None}
            continue
        results[kind] = {"problem": None, "facts": facts}
    return stat, key, results


def _wants(provider: Provider, text: str) -> bool:
    return provider.wants is None or provider.wants(text)


def _process_batch(
    batch: list[SourceEntry],
    kinds: Sequence[str],
    settings: Mapping[str, Mapping[str, Any]],
    max_size: int = DEFAULT_MAX_FILE_SIZE,
) -> list[tuple[Stamp, str, dict[str, dict[str, Any]]]]:
    return [process_file(entry, kinds, settings, max_size) for entry in batch]


class Analysis:
    """Lazily extracted facts and linked models of one project, shared by rules and commands."""

    def __init__(self, project: Project, *, use_cache: bool = True, jobs: int | None = None):
        self.project = project
        self.use_cache = use_cache and project.config.cache
        self.jobs = jobs if jobs is not None else (os.cpu_count() or 1)
        self._facts: dict[str, dict[str, Any]] = {}
        self._models: dict[str, Any] = {}
        self.problems: dict[str, FileProblem] = {}

    @property
    def cache_dir(self) -> Path | None:
        """The validated cache directory, or ``None`` when the cache is off."""
        if not self.use_cache:
            return None
        return self.project.cache_path

    def prepare(self, kinds: Iterable[str]) -> None:
        """Extract facts for several kinds in one pass over the files."""
        wanted = [k for k in dict.fromkeys(kinds) if k not in self._facts]
        if not wanted:
            return
        files = self.project.files
        providers = {k: (None if k == FILES else get_provider(k)) for k in wanted}
        settings = {k: _settings(self.project, p) for k, p in providers.items()}
        cap = self.project.config.max_file_size
        caches = {
            # A file skipped as too large is cached as a problem: a new cap must re-read it.
            k: KindCache(self.cache_dir, k, f"{_fingerprint(providers[k], settings[k])}:{cap}")
            for k in wanted
        }
        results: dict[str, dict[str, Any]] = {k: {} for k in wanted}
        misses: list[tuple[SourceEntry, Stamp, list[str]]] = []
        for entry in files:
            stat = stamp(entry.path)
            missing = []
            for kind in wanted:
                hit = caches[kind].by_stat(entry.relpath, stat)
                if hit is None:
                    missing.append(kind)
                else:
                    results[kind][entry.relpath] = hit
            if missing:
                misses.append((entry, stat, missing))
        # Stat changed: the content may still be the same (touch, checkout); compare hashes.
        # A file no cache knows (a cold run) goes straight to extraction, read only once.
        todo: list[tuple[SourceEntry, list[str]]] = []
        for entry, stat, missing in misses:
            if not any(caches[kind].knows(entry.relpath) for kind in missing):
                todo.append((entry, missing))
                continue
            data = read_bytes(entry, self.project.config.max_file_size)
            if isinstance(data, FileProblem):
                todo.append((entry, missing))
                continue
            key = content_key(entry.relpath, entry.module, data)
            still = []
            for kind in missing:
                hit = caches[kind].by_key(key)
                if hit is None:
                    still.append(kind)
                else:
                    caches[kind].record(entry.relpath, stat, key)
                    results[kind][entry.relpath] = hit
            if still:
                todo.append((entry, still))
        for entry, (stat, key, per_kind) in zip(
            [e for e, _ in todo], self._run(todo, settings), strict=True
        ):
            for kind, result in per_kind.items():
                caches[kind].put(entry.relpath, stat, key, result)
                results[kind][entry.relpath] = result
        keep = {e.relpath for e in files}
        for kind in wanted:
            caches[kind].prune(keep)
            caches[kind].save()
            facts: dict[str, Any] = {}
            for relpath, result in results[kind].items():
                problem = result.get("problem")
                if problem:
                    self.problems.setdefault(relpath, FileProblem.from_json(problem))
                elif result.get("facts") is not None:
                    facts[relpath] = result["facts"]
            self._facts[kind] = dict(sorted(facts.items()))

    def _run(
        self, todo: list[tuple[SourceEntry, list[str]]], settings: Mapping[str, Mapping[str, Any]]
    ) -> list[tuple[Stamp, str, dict[str, dict[str, Any]]]]:
        max_size = self.project.config.max_file_size
        if len(todo) < PARALLEL_THRESHOLD or self.jobs < 2:
            return [process_file(entry, kinds, settings, max_size) for entry, kinds in todo]
        # Group by requested kinds so each batch is homogeneous; keep the original order.
        out: list[Any] = [None] * len(todo)
        chunks = max(self.jobs * 4, 1)
        indexed = list(enumerate(todo))
        groups: dict[tuple[str, ...], list[tuple[int, SourceEntry]]] = {}
        for i, (entry, entry_kinds) in indexed:
            groups.setdefault(tuple(entry_kinds), []).append((i, entry))
        with ProcessPoolExecutor(max_workers=self.jobs) as pool:
            futures = []
            for kinds, items in groups.items():
                size = max(1, len(items) // chunks + 1)
                for start in range(0, len(items), size):
                    part = items[start : start + size]
                    batch = [e for _, e in part]
                    future = pool.submit(_process_batch, batch, list(kinds), settings, max_size)
                    futures.append(([i for i, _ in part], future))
            for indices, future in futures:
                for i, result in zip(indices, future.result(), strict=True):
                    out[i] = result
        return out

    def has_facts(self, kind: str) -> bool:
        """Whether ``kind`` was already extracted (without triggering extraction)."""
        return kind in self._facts

    def facts(self, kind: str) -> dict[str, Any]:
        self.prepare([kind])
        return self._facts[kind]

    def model(self, kind: str) -> Any:
        """The linked model of a kind (``cli``, ``types``, ``imports``, ``deps``)."""
        if kind not in self._models:
            provider = get_provider(kind)
            if provider.cached is not None and self.use_cache and kind not in self._facts:
                model = provider.cached(self)
                if model is not None:
                    self._models[kind] = model
                    return model
            facts = self.facts(kind) if provider.extract is not None else {}
            self._models[kind] = provider.link(self, facts)
        return self._models[kind]
