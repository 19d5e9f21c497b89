"""Run extractors over the project's files (cached, in parallel when cold) and link models."""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import io
import json
import os
import pickle
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from kdocs import background, lifetime, lineslots, modelcache, readlog, schema
from kdocs.cache import KindCache, Stamp, content_key, stamp
from kdocs.cache_config import SECTION as CACHE_SECTION
from kdocs.extract import Provider, get_provider
from kdocs.fsread import DEFAULT_MAX_FILE_SIZE
from kdocs.project import Project, SourceEntry
from kdocs.sources import FileProblem, check_syntax, load, read_bytes

FILES = "files"
"""The pseudo-kind that only checks each file can be read, decoded and parsed (E rules)."""

_UNSET = object()

PARALLEL_THRESHOLD = int(os.environ.get("KDOCS_PARALLEL_THRESHOLD", "150"))


def _settings(project: Project, provider: Provider | None) -> dict[str, Any]:
    if provider is None or provider.section is None:
        return {}
    return project.config.link_settings(provider.section)


def _extract_settings(project: Project, provider: Provider | None) -> dict[str, Any]:
    """The settings a provider's per-file ``extract`` reads (and nothing else): all it is
    given, and all of the config that goes into its per-file cache key."""
    if provider is None or not provider.extract_settings:
        return {}
    section = _settings(project, provider)
    return {key: section[key] for key in provider.extract_settings if key in section}


def _fingerprint(provider: Provider | None, settings: Mapping[str, Any]) -> str:
    version = provider.version if provider else "1"
    return json.dumps([version, sorted(settings.items())], default=repr, sort_keys=True)


def process_file(
    entry: SourceEntry,
    kinds: Sequence[str],
    settings: Mapping[str, Mapping[str, Any]],
    max_size: int = DEFAULT_MAX_FILE_SIZE,
    stat: Stamp | None = None,
) -> tuple[Stamp, str, dict[str, dict[str, Any]]]:
    """Read, parse and extract one file for the given kinds; never raises for bad input.

    Each kind's result also carries the file's suppression comments (``noqa``), a
    ``digest`` of the whole result (two revisions of a file with the same digests for
    every kind a check used give the same findings) and its ``lines``
    (:func:`kdocs.lineslots.slots`: with them, :mod:`kdocs.resultreuse` also keeps the
    findings after an edit that only moved lines).

    The stamp is taken before the read, so a later edit always changes what the cache saw:
    ``stat`` is the run's stamp of the file (:attr:`~kdocs.project.Project.stamps`, taken
    when the tree was walked), else the file is stamped here."""
    with readlog.paused():  # what extraction reads is in the results themselves
        if stat is None:
            stat = stamp(entry.fspath)
        data = read_bytes(entry, max_size)
        if isinstance(data, FileProblem):
            return (
                stat,
                "",
                {k: _with_digest({"problem": data.to_json(), "facts": None}) for k in kinds},
            )
        key = content_key(entry.relpath, entry.module, data)
        results = _extract(entry, data, kinds, settings)
    noqa = _suppressions(entry, data)
    for kind, result in results.items():
        result["noqa"] = noqa
        result["digest"] = result_digest(result, digest_excluded(kind))
        result["lines"] = lineslots.slots(line_spec(kind), result)
    return stat, key, results


def digest_excluded(kind: str) -> tuple[str, ...]:
    """The facts' keys ``kind``'s result digest leaves out."""
    return () if kind == FILES else get_provider(kind).digest_excluded


def line_spec(kind: str) -> lineslots.LineSpec | None:
    """Where ``kind``'s per-file facts hold line numbers (:mod:`kdocs.lineslots`)."""
    return lineslots.NO_LINES if kind == FILES else get_provider(kind).line_slots


def _with_digest(result: dict[str, Any]) -> dict[str, Any]:
    result["noqa"] = None
    result["digest"] = result_digest(result)
    return result


DIGEST_FORMAT = "pickle-5-fast"
"""How :func:`result_digest` serialises a result; part of the per-file caches' fingerprint,
so a cache never mixes digests of two formats."""


def result_digest(result: Mapping[str, Any], excluded: Sequence[str] = ()) -> str:
    """A digest of one file's result for one kind (facts, problem, suppression comments),
    without the facts' ``excluded`` keys (:attr:`kdocs.extract.Provider.digest_excluded`).

    The result is pickled without a memo (``fast``): the bytes then depend on the values,
    their types and their dicts' order only, never on which objects happen to be shared
    (an interned name, a cached value). Two results are compared only when the same
    extractor made both, in the same order (:mod:`kdocs.resultreuse`, where
    :mod:`kdocs.lineslots` rewrites lines in place, keys kept in order). On cloudflare's
    7,591 files this took 0.17 s, against 0.47 s for ``json.dumps`` with sorted keys."""
    facts = result.get("facts")
    if excluded and isinstance(facts, dict):
        facts = {key: value for key, value in facts.items() if key not in excluded}
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump([result.get("problem"), facts, result.get("noqa")])
    return hashlib.sha256(buffer.getbuffer()).hexdigest()[:32]


def _suppressions(entry: SourceEntry, data: bytes) -> list[list[Any]] | None:
    """The file's ``# kdocs: ignore`` comments as (line, codes), numbered as the engine's
    filter numbers them, or ``None`` when it has none (most files)."""
    from kdocs.rules.suppress import parse_pragma, pragma_in, pragma_lines

    text = data.decode("utf-8", errors="replace")  # as the engine's filter decodes it
    if not pragma_in(text):
        return None
    found = []
    python = entry.path.suffix in (".py", ".pyi")
    for number, line in enumerate(pragma_lines(text, python=python), 1):
        codes = parse_pragma(line)
        if codes is not None:
            found.append([number, list(codes)])
    return found


def _extract(
    entry: SourceEntry,
    data: bytes,
    kinds: Sequence[str],
    settings: Mapping[str, Mapping[str, Any]],
) -> dict[str, dict[str, Any]]:
    source = load(entry, data)
    if isinstance(source, FileProblem):
        return {k: {"problem": source.to_json(), "facts": None} for k in kinds}
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
    return results


def _wants(provider: Provider, text: str) -> bool:
    return provider.wants is None or provider.wants(text)


BATCHES_PER_WORKER = 16
"""How many batches each extraction worker gets. A worker that takes the last batch works
alone until it is done, so few large batches leave the other core idle for up to one batch:
on cloudflare's 7,591 files (types), 4 per worker took 5.0-5.3 s to extract, 16 took
4.5-4.8 s and 64 4.6-4.7 s; on django (2,818 files) 16 was as fast as 4 or faster."""


def extracted_memo(project: Project) -> dict[str, Any]:
    """Files this run already extracted before its analysis began, by relpath:
    ``((stamp, content key, results by kind), settings by kind)``. The result reuse
    (:mod:`kdocs.resultreuse`) extracts the edited files to compare them with the last
    check's record; when they differ, the check that follows takes these results instead
    of extracting the same files again."""
    memo: dict[str, Any] = project.derived.setdefault("extracted", {})
    return memo


def _save_all(caches: Iterable[KindCache]) -> None:
    for found in caches:
        found.save()


def _process_batch(
    batch: list[tuple[SourceEntry, Stamp | None]],
    kinds: Sequence[str],
    settings: Mapping[str, Mapping[str, Any]],
    max_size: int = DEFAULT_MAX_FILE_SIZE,
) -> list[tuple[Stamp, str, dict[str, dict[str, Any]]]]:
    return [process_file(entry, kinds, settings, max_size, stat) for entry, stat in batch]


class Analysis:
    """Lazily extracted facts and linked models of one project, shared by rules and commands."""

    def __init__(self, project: Project, *, use_cache: bool = True, jobs: int | None = None):
        # Sections are checked here, once, against the schema the extractors and rules
        # declare: every command that analyses a project goes through this constructor.
        project.config = schema.validated(project.config)
        self.project = project
        self.use_cache = use_cache and project.config.cache
        self.jobs = jobs if jobs is not None else (os.cpu_count() or 1)
        self._facts: dict[str, dict[str, Any]] = {}
        self._models: dict[str, Any] = {}
        self.problems: dict[str, FileProblem] = {}
        self._kind_problems: dict[str, list[tuple[str, Any]]] = {}
        self._model_keys: dict[str, str | None] = {}
        self._project_key: object = _UNSET  # the shared part of every model key
        self._pending: list[tuple[str, str]] = []  # (kind, key) linked now, saved by flush()
        self._link_reads: dict[str, list[readlog.Read]] = {}  # stored with each model
        self._facts_keys: dict[str, str | None] = {}  # FACTS_KEYED kinds: key over the facts
        self._found_by_facts: set[str] = set()  # models loaded by that key: rekeyed by flush()
        self._structure_key: object = _UNSET  # the project key without the files' stats
        # kind -> relpath -> (digest, lines) of each file's result (kdocs.resultreuse)
        self._digests: dict[str, dict[str, tuple[Any, Any]]] = {}
        lifetime.keep_last(self)  # the program's exit frees nothing (kdocs.lifetime)

    @property
    def cache_dir(self) -> Path | None:
        """The validated cache directory, or ``None`` when the cache is off."""
        if not self.use_cache:
            return None
        return self.project.cache_path

    def prepare(self, kinds: Iterable[str], *, models: bool = True) -> None:
        """Extract facts for several kinds in one pass over the files.

        With ``models``, a kind whose linked model is cached and still valid is not
        extracted at all: its model and its per-file problems come from the model cache."""
        order = [k for k in dict.fromkeys(kinds) if k not in self._facts]
        if not order:
            return
        cached: dict[str, list[tuple[str, Any]]] = {}
        if models:
            for kind in order:
                if kind != FILES and kind in self._models:
                    cached[kind] = []  # linked already; its problems were recorded then
                elif kind != FILES:
                    found = self._cached_model(kind)
                    if found is not None:
                        cached[kind] = found
        wanted = [k for k in order if k not in cached]
        for kind in [k for k in wanted if k != FILES and get_provider(k).extract is None]:
            # Linked from other kinds' models and the config alone (deps, restrictions): no
            # file to read, nothing per file to cache.
            self._facts[kind] = {}
            self._kind_problems[kind] = []
            wanted.remove(kind)
        if not wanted:
            self._restore_problems(order, cached, {})
            return
        files = self.project.files
        settings = {k: self.extract_settings(k) for k in wanted}
        max_size = self.project.config.section(CACHE_SECTION)["max-size"]
        caches = {
            k: KindCache(self.cache_dir, k, self._cache_fingerprint(k), max_size) for k in wanted
        }
        results: dict[str, dict[str, Any]] = {k: {} for k in wanted}
        misses: list[tuple[SourceEntry, Stamp, list[str]]] = []
        stamps = self.project.stamps  # taken once, before any read (see Project.stamps)
        for entry in files:
            stat = stamps.get(entry.relpath) or stamp(entry.fspath)
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
            with readlog.paused():  # by content hash: the result is keyed by these bytes
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
        from kdocs.progress import callback

        done, todo = self._already_extracted(todo, settings)
        done += zip([e for e, _ in todo], self._run(todo, settings, callback()), strict=True)
        for entry, (stat, key, per_kind) in done:
            for kind, result in per_kind.items():
                caches[kind].put(entry.relpath, stat, key, result)
                results[kind][entry.relpath] = result
        keep = {e.relpath for e in files}
        extracted: dict[str, list[tuple[str, Any]]] = {}
        for kind in wanted:
            caches[kind].set_tree(keep)
        background.run(lambda: _save_all(caches.values()))
        for kind in wanted:
            facts: dict[str, Any] = {}
            problems: list[tuple[str, Any]] = []
            for relpath, result in results[kind].items():
                problem = result.get("problem")
                if problem:
                    problems.append((relpath, problem))
                elif result.get("facts") is not None:
                    facts[relpath] = result["facts"]
            self._facts[kind] = dict(sorted(facts.items()))
            self._digests[kind] = {
                r: (res.get("digest"), res.get("lines")) for r, res in results[kind].items()
            }
            self._kind_problems[kind] = problems
            extracted[kind] = problems
        self._restore_problems(order, cached, extracted)

    def _already_extracted(
        self,
        todo: list[tuple[SourceEntry, list[str]]],
        settings: Mapping[str, Mapping[str, Any]],
    ) -> tuple[
        list[tuple[SourceEntry, tuple[Stamp, str, dict[str, dict[str, Any]]]]],
        list[tuple[SourceEntry, list[str]]],
    ]:
        """Split ``todo`` into the files this run extracted already, with the same stamp and
        settings, to compare them with the last check's record (:mod:`kdocs.resultreuse`: a
        one-file edit that moved a fact), and the files left to extract."""
        memo = extracted_memo(self.project)
        if not memo:
            return [], todo
        stamps = self.project.stamps
        done: list[tuple[SourceEntry, tuple[Stamp, str, dict[str, dict[str, Any]]]]] = []
        left: list[tuple[SourceEntry, list[str]]] = []
        for entry, kinds in todo:
            found = memo.get(entry.relpath)
            if found is not None:
                (stat, key, per_kind), used = found
                if stat == stamps.get(entry.relpath) and all(
                    kind in per_kind and used.get(kind) == settings[kind] for kind in kinds
                ):
                    done.append((entry, (stat, key, {k: per_kind[k] for k in kinds})))
                    continue
            left.append((entry, kinds))
        return done, left

    def extract_settings(self, kind: str) -> dict[str, Any]:
        """The settings ``kind``'s per-file extractor reads (``{}`` for :data:`FILES`)."""
        return _extract_settings(self.project, None if kind == FILES else get_provider(kind))

    def _cache_fingerprint(self, kind: str) -> str:
        provider = None if kind == FILES else get_provider(kind)
        # A file skipped as too large is cached as a problem: a new cap must re-read it.
        cap = self.project.config.max_file_size
        return f"{_fingerprint(provider, self.extract_settings(kind))}:{cap}:{DIGEST_FORMAT}"

    def file_digests(self) -> dict[str, dict[str, Any]] | None:
        """What this analysis used of every file, per kind: ``{kind: {"settings",
        "digests": {relpath: digest}, "lines": {relpath: lines}}}`` for each kind whose
        per-file results it extracted or whose model it loaded, or ``None`` when a digest is
        unknown (a cache written by an older kdocs). With these, :mod:`kdocs.resultreuse`
        can tell that an edit left every result a check used as it was, or moved only its
        lines (:mod:`kdocs.lineslots`)."""
        if self.cache_dir is None:
            return None
        kinds = [FILES] if FILES in self._facts else []
        kinds += [k for k in [*self._facts, *self._models] if k != FILES]
        out: dict[str, dict[str, Any]] = {}
        max_size = self.project.config.section(CACHE_SECTION)["max-size"]
        for kind in dict.fromkeys(kinds):
            if kind != FILES and get_provider(kind).extract is None:
                continue  # linked from config and hidden files only (in the result key)
            digests = self._digests.get(kind)
            if digests is None:
                found = KindCache(self.cache_dir, kind, self._cache_fingerprint(kind), max_size)
                stamps = self.project.stamps
                digests = {}
                for entry in self.project.files:
                    hit = found.by_stat(entry.relpath, stamps[entry.relpath])
                    digests[entry.relpath] = (
                        (None, None) if hit is None else (hit.get("digest"), hit.get("lines"))
                    )
            if any(not isinstance(d, str) for d, _lines in digests.values()):
                return None
            out[kind] = {
                "settings": self.extract_settings(kind),
                "digests": {rel: d for rel, (d, _lines) in digests.items()},
                "lines": {rel: lines for rel, (_d, lines) in digests.items()},
            }
        return out

    def _restore_problems(
        self,
        order: Sequence[str],
        cached: Mapping[str, list[tuple[str, Any]]],
        extracted: Mapping[str, list[tuple[str, Any]]],
    ) -> None:
        """Record each kind's file problems in request order (the first kind's one wins), the
        same order whether a kind was extracted now or its model came from the cache."""
        for kind in order:
            for relpath, problem in cached.get(kind) or extracted.get(kind) or ():
                self.problems.setdefault(relpath, FileProblem.from_json(problem))

    def _model_key(self, kind: str) -> str | None:
        """The key of ``kind``'s linked model over all its inputs (``None``: do not cache)."""
        if kind not in self._model_keys:
            key = None
            if self.cache_dir is not None:
                if self._project_key is _UNSET:
                    self._project_key = modelcache.project_key(self.project)
                if isinstance(self._project_key, str):
                    provider = get_provider(kind)
                    settings = _settings(self.project, provider)
                    key = modelcache.inputs_key(
                        self.project, self._project_key, kind, provider.version, settings
                    )
            self._model_keys[kind] = key
        return self._model_keys[kind]

    def _cached_model(self, kind: str) -> list[tuple[str, Any]] | None:
        """Load ``kind``'s model from the model cache into ``_models``; its file problems.

        A provider with a model cache of its own (``cached``) keeps it; ours then stores
        only the problems its extraction found, which a warm run must still report."""
        provider = get_provider(kind)
        cls = None if provider.cached is not None else _model_class(provider)
        if cls is None and provider.cached is None:
            return None
        key = self._model_key(kind)
        if key is None:
            return None
        hit = modelcache.load(modelcache.model_path(self.cache_dir, kind), key, cls)
        if hit is None:
            return None
        model, problems = hit
        if provider.cached is not None:
            model = provider.cached(self)
            if model is None:
                return None
        self._models[kind] = model
        return problems

    def _run(
        self,
        todo: list[tuple[SourceEntry, list[str]]],
        settings: Mapping[str, Mapping[str, Any]],
        on_done: Callable[[int, int], None] | None = None,
    ) -> list[tuple[Stamp, str, dict[str, dict[str, Any]]]]:
        """Extract ``todo``; ``on_done(done, total)`` after each file or batch (progress)."""
        max_size = self.project.config.max_file_size
        stamps = self.project.stamps  # the walk's stat of each file: not taken twice
        total = len(todo)
        if total < PARALLEL_THRESHOLD or self.jobs < 2:
            results = []
            for entry, wanted in todo:
                stat = stamps.get(entry.relpath)
                results.append(process_file(entry, wanted, settings, max_size, stat))
                if on_done is not None:
                    on_done(len(results), total)
            return results
        # Imported here: a warm run never starts a pool (multiprocessing costs ~50 ms).
        from concurrent.futures import ProcessPoolExecutor

        # Group by requested kinds so each batch is homogeneous; keep the original order.
        out: list[Any] = [None] * len(todo)
        chunks = max(self.jobs * BATCHES_PER_WORKER, 1)
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
                    batch = [(e, stamps.get(e.relpath)) for _, e in part]
                    future = pool.submit(_process_batch, batch, list(kinds), settings, max_size)
                    futures.append(([i for i, _ in part], future))
            done = 0
            for indices, future in futures:
                for i, result in zip(indices, future.result(), strict=True):
                    out[i] = result
                done += len(indices)
                if on_done is not None:
                    on_done(done, total)
        return out

    def models(self) -> dict[str, Any]:
        """The models linked (or loaded) so far, by kind."""
        return dict(self._models)

    def has_facts(self, kind: str) -> bool:
        """Whether ``kind`` was already extracted (without triggering extraction)."""
        return kind in self._facts

    def facts(self, kind: str) -> dict[str, Any]:
        self.prepare([kind], models=False)
        return self._facts[kind]

    def model(self, kind: str) -> Any:
        """The linked model of a kind (``cli``, ``types``, ``imports``, ``deps``)."""
        if kind not in self._models:
            provider = get_provider(kind)
            if kind not in self._facts:
                problems = self._cached_model(kind)
                if problems is not None:
                    self._restore_problems([kind], {kind: problems}, {})
                    return self._models[kind]
            facts = self.facts(kind) if provider.extract is not None else {}
            cacheable = provider.cached is not None or _model_class(provider) is not None
            key = self._model_key(kind) if cacheable else None
            if key is not None and self._cached_by_facts(kind):
                self._pending.append((kind, key))
                return self._models[kind]
            with readlog.capturing() as reads:
                model = provider.link(self, facts)
            self._link_reads[kind] = self.project_reads(reads)
            self._models[kind] = model
            if key is not None:
                self._pending.append((kind, key))
        return self._models[kind]

    def project_reads(self, reads: list[readlog.Read]) -> list[readlog.Read]:
        """The reads of project files (not of the cache folder, nor outside the project):
        those a check's record depends on (:mod:`kdocs.resultreuse`)."""
        if self.cache_dir is None:
            return []  # nothing is stored
        return readlog.within(reads, str(self.project.root), str(self.cache_dir))

    def _cached_by_facts(self, kind: str) -> bool:
        """Load a :data:`~kdocs.modelcache.FACTS_KEYED` model by the key over its facts: its
        inputs' stats changed (an edit), but not the facts it is linked from."""
        by_facts = self._facts_key(kind)
        if by_facts is None:
            return False
        cls = _model_class(get_provider(kind))
        path = modelcache.model_path(self.cache_dir, kind)
        hit = modelcache.load(path, "", cls, by_facts=by_facts)
        if hit is None or cls is None:
            return False
        self._models[kind] = hit[0]
        self._found_by_facts.add(kind)
        return True

    def _facts_key(self, kind: str) -> str | None:
        """The key of a :data:`~kdocs.modelcache.FACTS_KEYED` model over the import facts,
        the project's structure and what the kind reads besides (``None``: none). Only
        while the import facts are loaded: otherwise the model was found by its key, or is
        linked from facts that would have to be read for this key alone."""
        if kind not in modelcache.FACTS_KEYED or self.cache_dir is None:
            return None
        if "imports" not in self._facts:
            return None  # not memoised: the facts may be loaded later in the run
        if kind not in self._facts_keys:
            self._facts_keys[kind] = self._compute_facts_key(kind)
        return self._facts_keys[kind]

    def _compute_facts_key(self, kind: str) -> str | None:
        if self._structure_key is _UNSET:
            self._structure_key = modelcache.project_key(self.project, file_stats=False)
        if not isinstance(self._structure_key, str):
            return None
        provider = get_provider(kind)
        settings = _settings(self.project, provider)
        if kind == "imports":
            facts = modelcache.facts_digest(self._facts["imports"])
        else:  # deps: the import graph (its own facts key), and the environment
            graph = self._facts_key("imports")
            extra = modelcache.deps_inputs(self.project, settings)
            if graph is None or extra is None:
                return None
            facts = json.dumps([graph, extra], default=repr)
        return modelcache.facts_key(self._structure_key, kind, provider.version, settings, facts)

    def flush(self) -> None:
        """Save the models linked since the last flush into the model cache.

        Their keys are not taken again: every key of the run comes from the one stamp table
        taken before any file was read (:attr:`~kdocs.project.Project.stamps`), so a file
        edited while we linked has a newer stamp than the key it was stored under, and the
        next run misses it (an edit within the same clock tick as the stamp makes the key
        untrusted instead: git's racy-clean rule). The engine flushes after the rules ran,
        ``inspect`` and ``gen`` after they built their models; a model never flushed is
        simply not cached, which is always safe."""
        pending, self._pending = self._pending, []
        for kind, key in pending:
            provider = get_provider(kind)
            model = self._models[kind]
            path = modelcache.model_path(self.cache_dir, kind)
            problems = self._kind_problems.get(kind, ())
            externals = modelcache.externals_of(self.project, kind, model)
            by_facts = self._facts_key(kind)
            if kind in self._found_by_facts and by_facts is not None:
                modelcache.rekey(path, key, problems, externals, by_facts)
                continue
            modelcache.save(
                path,
                key,
                None if provider.cached is not None else model,
                problems,
                externals,
                by_facts,
                self._link_reads.get(kind, ()),
            )


def _model_class(provider: Provider) -> type[Any] | None:
    """The model dataclass a provider's ``link`` returns (from its return annotation), or
    ``None`` when it returns something else or the provider does not want it stored
    (``model_cached``): such a model is simply not cached."""
    if not provider.model_cached:
        return None
    link = inspect.unwrap(provider.link)
    hint = getattr(link, "__annotations__", {}).get("return")
    if isinstance(hint, str):
        try:
            hint = eval(hint, getattr(link, "__globals__", {}))  # our own annotation
        except Exception:
            return None
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return hint
    return None
