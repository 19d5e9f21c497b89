"""Family D: declared dependencies against what the code imports.

The Python counterpart of Kubernetes' dependencycheck / lint-dependencies (unwanted
dependencies with a reason each) and of deptry's checks (missing, unused, transitive,
misplaced dev dependencies). Declarations come from the ``deps`` model (pyproject tables,
requirements and constraints files); imports from the ``imports`` model (third-party edges).
Findings on declarations point at the manifest line; findings on imports at the import line.
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import re
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from kdocs.config import expect_bool, expect_str, expect_str_list, expect_str_map
from kdocs.extract.deps import BUILD_FILES
from kdocs.extract.deps_index import DistIndex, guess_module, implicitly_used, prefixes
from kdocs.extract.deps_view import is_dev_file
from kdocs.fsread import DEFAULT_MAX_FILE_SIZE, RefusedFile, read_regular
from kdocs.ignore import PathFilter
from kdocs.models.deps import ROLES, Dependency, DepsModel, ImportUse
from kdocs.models.diagnostics import Diagnostic
from kdocs.project import SourceEntry
from kdocs.rules.registry import RuleContext, RuleOption, rule

NEEDS = ("imports", "deps")


@dataclass(frozen=True)
class _View:
    """What most D rules need: the model, the index and the classified imports."""

    model: DepsModel
    index: DistIndex
    runtime_imports: tuple[ImportUse, ...]
    dev_imports: tuple[ImportUse, ...]
    own_module: str | None
    # Imports D101/D103 check: TYPE_CHECKING-only ones dropped unless check-type-checking.
    checked: tuple[ImportUse, ...] = ()
    runtime_deps: tuple[Dependency, ...] = ()
    dev_deps: tuple[Dependency, ...] = ()
    pins: tuple[Dependency, ...] = ()
    declared: tuple[Dependency, ...] = ()  # runtime + dev
    # Absolute paths of runtime (non-dev) source files, listed only when a rule asks: deciding
    # dev code for every project file costs more than the rest of the view on a large tree.
    list_runtime_files: Callable[[], tuple[str, ...]] = tuple
    max_file_size: int = DEFAULT_MAX_FILE_SIZE

    @cached_property
    def runtime_files(self) -> tuple[str, ...]:
        return self.list_runtime_files()

    @property
    def stand_down(self) -> bool:
        """Some declarations could not be read statically (a computed ``install_requires``):
        comparing imports with a partial list would only guess."""
        return bool(self.model.unread)

    @cached_property
    def present(self) -> frozenset[str]:
        """Distributions the project declares or imports (canonical names)."""
        names = {d.name for d in self.declared}
        for imp in (*self.runtime_imports, *self.dev_imports):
            names.update(canonicalize_name(o) for o in self.index.owners(imp.imported)[0])
        return frozenset(names)

    def implicit_reason(self, dep: Dependency) -> str | None:
        """Why ``dep`` is used without an import, per the shipped table, if it applies."""
        entry = implicitly_used().get(dep.name)
        if entry is None:
            return None
        users, reason = entry
        return reason if not users or users & self.present else None

    @cached_property
    def _runtime_texts(self) -> tuple[str, ...]:
        texts = []
        for path in self.runtime_files:
            try:  # regular files only: a source can be a planted `/dev/zero` symlink
                texts.append(read_regular(path, self.max_file_size).decode("utf-8", "replace"))
            except OSError:
                continue
        return tuple(texts)

    @cached_property
    def named_in_code(self) -> frozenset[str]:
        """Modules runtime code names in a string literal, lowercased: run by name
        (``runpy.run_module("pip")``, ``[sys.executable, "-m", "pip", ...]``) or loaded by a
        dotted path (``extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"]``,
        a plugin or driver class named in settings). Read as text, lazily: only when D102
        has a candidate left."""
        found: set[str] = set()
        for text in self._runtime_texts:
            found.update(m.group(2) for m in _RUN_MODULE.finditer(text))
            found.update(m.group(3) for m in _DASH_M.finditer(text))
            found.update(m.group(2) for m in _DOTTED.finditer(text))
        return frozenset(m.lower() for m in found)

    @cached_property
    def name_matched(self) -> dict[str, Dependency]:
        """Import top-level names no source maps, matched to the one declared dependency
        that no import claims and whose name words are all in the import's name
        (``ormar_rust_utils`` -> ``ormar-utils``; needs two words or more).

        The shipped table covers the most downloaded distributions only; without installed
        metadata such a pair would be one D101 per import plus a D102, both wrong.
        """
        imports = (*self.runtime_imports, *self.dev_imports)
        claimed = {
            d.name for i in imports for d in self.index.provided_by(i.imported, self.declared)
        }
        unclaimed = [d for d in self.declared if d.name not in claimed and len(_words(d.name)) >= 2]
        out: dict[str, Dependency] = {}
        for top in sorted({i.imported.partition(".")[0] for i in imports}):
            if not unclaimed or self.index.owners(top)[1] != "guess":
                continue
            if self.index.provided_by(top, self.declared):
                continue
            found = [d for d in unclaimed if _words(d.name) <= _words(top)]
            if len(found) == 1:
                out[top] = found[0]
        return out

    def is_optional(self, imp: ImportUse) -> bool:
        """Guarded by ``except ImportError``, or a later import of a module the same file
        imports under such a guard (``from jupytext.config import x`` after ``try: import
        jupytext``): code that runs only when the optional module is there."""
        return imp.optional

    def env_note(self) -> str | None:
        env = self.model.environment
        if env.source == "none":
            return f"installed metadata unavailable: {env.note or 'no environment found'}"
        return None


def _view(ctx: RuleContext) -> _View:
    """The deps model's imports split the way the rules use them (the extractor classified
    each one; see :mod:`kdocs.extract.deps_view`), memoised for the rules of one run."""
    cached = _VIEWS.get(ctx.analysis)
    if cached is not None:
        return cached
    model: DepsModel = ctx.model("deps")
    settings = ctx.analysis.project.config.section("deps")
    dev_paths = PathFilter(settings.get("dev-paths", ()))
    test_paths = ctx.analysis.project.config.test_paths
    own = guess_module(model.project_name) if model.project_name else None
    build = frozenset((*BUILD_FILES, *model.build_files))
    roles = {r: tuple(d for d in model.dependencies if d.role == r) for r in ROLES}
    view = _View(
        model,
        DistIndex(model),
        tuple(u for u in model.imports if not u.dev),
        tuple(u for u in model.imports if u.dev),
        own,
        tuple(u for u in model.imports if u.checked),
        roles["runtime"],
        roles["dev"],
        roles["pin"],
        roles["runtime"] + roles["dev"],
        partial(_runtime_files, ctx.analysis.project.files, dev_paths, build, test_paths),
        ctx.analysis.project.config.max_file_size,
    )
    _VIEWS[ctx.analysis] = view
    return view


def _runtime_files(
    files: Sequence[SourceEntry],
    dev_paths: PathFilter,
    build: frozenset[str],
    test_paths: Sequence[str] | None,
) -> tuple[str, ...]:
    return tuple(
        str(e.path) for e in files if not is_dev_file(dev_paths, e.relpath, build, test_paths)
    )


_VIEWS: weakref.WeakKeyDictionary[Any, _View] = weakref.WeakKeyDictionary()
"""Each analysis' view, for as long as the analysis lives (the view does not refer to it)."""

_RUN_MODULE = re.compile(r"""run_module\(\s*(['"])([A-Za-z_][\w.]*)\1""")
_DASH_M = re.compile(r"""executable\s*,\s*(['"])-m\1\s*,\s*(['"])([A-Za-z_][\w.]*)\2""")

# A quoted dotted path of two or more identifiers (``"pkg.mod.Class"``): a module loaded by
# name. The first group is the quote.
_DOTTED = re.compile(r"""(['"])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)\1""")


def _words(name: str) -> frozenset[str]:
    return frozenset(canonicalize_name(name).replace("_", "-").replace(".", "-").split("-"))


def _is_extra(dep: Dependency) -> bool:
    """An optional dependency: installed only when the user asks for the extra."""
    return dep.group.startswith("optional:") or dep.group == "poetry:optional"


def _where(dep: Dependency) -> str:
    return f"{dep.file}:{dep.line}"


def _module_ignored(module: str, patterns: Sequence[str]) -> bool:
    low = prefixes(module)
    return any(p.lower() in low or fnmatch.fnmatch(module, p) for p in patterns)


def _dist_ignored(name: str, patterns: Sequence[str]) -> bool:
    return any(
        fnmatch.fnmatch(name, canonicalize_name(p).replace("-*", "*"))
        or fnmatch.fnmatch(name, p.lower())
        for p in patterns
    )


# ---------------------------------------------------------------------------------------------
# D101 missing


@rule(
    code="D101",
    name="missing-dependency",
    summary="A third-party import that no declared dependency provides.",
    rationale="""
Code that imports a distribution the project does not declare works on the developer's
machine (where it happens to be installed) and fails for every user who installs the package
from its metadata. deptry reports this as DEP001 and Kubernetes' dependency tooling keeps
go.mod and the imports in step for the same reason. An import counts as declared when a
dependency in `[project] dependencies`, an extra, a dependency group, Poetry/PDM tables or a
requirements file provides it (dev declarations count for test code; dev-only declarations
used by runtime code are reported by D104 instead). An import in the body of a
`try:` whose handler catches `ImportError` or `ModuleNotFoundError` is optional: the code
is written to run without it, so it is never missing. An import name no source maps is
matched to the one declared dependency that nothing else claims and whose name's words all
appear in it (`ormar_rust_utils` -> `ormar-utils`). Import names map to distributions
through the project's installed metadata, `[tool.kdocs.deps] module-map` and a shipped
table of well-known mismatches (`yaml` -> `PyYAML`), so the rule also works in pre-commit's
isolated environment. When the project's declarations cannot be read without running code
(a setup.py whose `install_requires` is computed, `setup(**kwargs)`: listed under `unread`
by `kdocs inspect deps`), the rule stands down rather than guess.
""",
    bad="""
# pyproject.toml: dependencies = ["click>=8"]
import click
import yaml  # PyYAML is not declared
""",
    good="""
# pyproject.toml: dependencies = ["click>=8", "PyYAML>=6"]
import click
import yaml
""",
    options=[
        RuleOption(
            "ignore-missing",
            expect_str_list,
            (),
            "Import names (or globs) never reported as missing, e.g. plugins imported by "
            "name at run time. Imports guarded by `try: ... except ImportError` are "
            "optional and never reported.",
            "list of strings",
        ),
        RuleOption(
            "check-dev-code",
            expect_bool,
            False,
            "Also check imports in dev code (`dev-paths`: tests, docs, scripts) against all "
            "declarations including dev groups. Off by default, like deptry: many projects "
            "declare test tools where kdocs does not look (tox.ini, noxfile, CI files).",
            "boolean",
        ),
    ],
    needs=NEEDS,
)
def check_missing(ctx: RuleContext) -> Iterator[Diagnostic]:
    view = _view(ctx)
    if view.stand_down:
        return
    declared = view.declared
    closure = view.index.closure(declared) if view.index.has_installed else {}
    dev_ok = ctx.options["check-dev-code"]
    runtime = set(view.runtime_imports)
    imports = [i for i in view.checked if dev_ok or i in runtime]
    for imp in imports:
        if view.is_optional(imp) or _module_ignored(imp.imported, ctx.options["ignore-missing"]):
            continue
        if view.index.provided_by(imp.imported, declared):
            continue
        if imp.imported.partition(".")[0] in view.name_matched:
            continue
        installed = view.index.installed_owners(imp.imported)
        if any(d in closure for d in installed):
            continue  # D103
        owners, source = view.index.owners(imp.imported)
        notes: list[str] = []
        pinned = view.index.provided_by(imp.imported, view.pins)
        if pinned:
            notes.append(
                f"pinned in {_where(pinned[0])}, which is read as a pin/lock file, not a "
                "declaration (see requirements-declare)"
            )
        if view.index.has_installed and installed:
            notes.append(
                f"installed in {view.model.environment.path}, but no declared "
                "dependency requires it"
            )
        elif view.index.has_installed:
            notes.append(f"not installed in {view.model.environment.path} either")
        else:
            note = view.env_note()
            if note:
                notes.append(note)
                notes.append("without it kdocs cannot tell a missing import from a transitive one")
        dist = " or ".join(f"`{o}`" for o in owners)
        yield Diagnostic(
            "D101",
            f"`{imp.imported}` is imported but not declared (provided by {dist}, per {source})",
            imp.file,
            imp.line,
            subject=f"missing {owners[0]}",
            notes=tuple(notes),
        )


# ---------------------------------------------------------------------------------------------
# D102 unused


@rule(
    code="D102",
    default_enabled=False,
    name="unused-dependency",
    summary="A declared runtime dependency that the project's runtime code never imports.",
    rationale="""
Every declared dependency is installed for every user, widens the attack surface and can
conflict with their other packages. A dependency nothing imports is usually a leftover of
removed code (deptry's DEP002); one that only tests import belongs in a dev group (like
deptry, which skips tests/). Distributions used without being imported (plugins loaded
through entry points, CLI tools run as subprocesses, database drivers named in a URL) belong
in `ignore-unused`. Distributions that a library uses on the project's behalf are known
(`psycopg-binary` next to psycopg, `email-validator` next to pydantic, `python-multipart`
next to FastAPI: a shipped table with the reason for each), and so are modules runtime code
runs or loads by a literal name (`runpy.run_module("pip")`, `[sys.executable, "-m", "pip",
...]`, a dotted path in a string such as a Jinja extension `"pkg.module.Extension"`). Extras
are not checked unless `check-extras` is set: they mostly hold
exactly such things (nbqa's `toolchain` extra of linters it runs, an ORM's database
drivers). Dev groups and pin/lock files are not checked: linters and test plugins
are rarely imported.

Off by default: on 14 real projects (benchmarks/precision) most declared-but-never-imported
runtime dependencies were deliberate: version floors on transitive dependencies (`idna>=3.15`
next to requests, `pydantic-core` next to pydantic), packages a library uses on the project's
behalf, plugins loaded by name. Select it to audit a manifest.
""",
    bad="""
# pyproject.toml
[project]
dependencies = ["click>=8", "requests>=2"]  # requests: nothing imports it
""",
    good="""
# pyproject.toml
[project]
dependencies = ["click>=8"]

[tool.kdocs.deps]
ignore-unused = ["psycopg"]  # loaded by SQLAlchemy from the database URL
""",
    bad_language="toml",
    options=[
        RuleOption(
            "ignore-unused",
            expect_str_list,
            (),
            "Distribution names (or globs) that are used without being imported (plugins, "
            "CLI tools, drivers).",
            "list of strings",
        ),
        RuleOption(
            "check-extras",
            expect_bool,
            False,
            "Also report optional dependencies (extras, Poetry `optional = true`) that nothing "
            "imports. Off by default: extras mostly hold what is used without an import "
            "(tools the project runs, database drivers, plugins, docs themes).",
            "boolean",
        ),
        RuleOption(
            "count-dev-code",
            expect_bool,
            False,
            "Count imports in dev code (tests, docs, scripts) as uses of a runtime dependency "
            "(by default a runtime dependency only tests import is reported).",
            "boolean",
        ),
    ],
    severity="warning",
    needs=NEEDS,
)
def check_unused(ctx: RuleContext) -> Iterator[Diagnostic]:
    view = _view(ctx)
    if view.stand_down:
        return
    count_dev = ctx.options["count-dev-code"]
    used: set[str] = set()
    dev_use: dict[str, ImportUse] = {}
    for imp in view.runtime_imports:
        for dep in view.index.provided_by(imp.imported, view.runtime_deps):
            used.add(dep.name)
    for imp in view.dev_imports:
        for dep in view.index.provided_by(imp.imported, view.runtime_deps):
            dev_use.setdefault(dep.name, imp)
    extras = ctx.options["check-extras"]
    used |= {dep.name for dep in view.name_matched.values()}
    for dep in view.runtime_deps:
        if dep.name in used or _dist_ignored(dep.name, ctx.options["ignore-unused"]):
            continue
        if not extras and _is_extra(dep):
            continue
        seen = dev_use.get(dep.name)
        if seen is not None and count_dev:
            continue
        if view.implicit_reason(dep) is not None:
            continue
        provides = view.index.provides(dep.name)
        if any(p in provides for m in view.named_in_code for p in prefixes(m)):
            continue  # run as ``python -m <module>`` or loaded by a dotted path
        notes = [f"import names looked for: {', '.join(sorted(view.index.provides(dep.name)))}"]
        where = "never imported"
        if seen is not None:
            where = "imported only by dev code"
            notes.insert(0, f"{seen.file}:{seen.line} imports it: move it to a dev group?")
        yield Diagnostic(
            "D102",
            f"`{dep.raw_name}` is declared ({dep.group}) but {where}",
            dep.file,
            dep.line,
            subject=f"unused {dep.name} {dep.group}",
            notes=tuple(notes),
        )


# ---------------------------------------------------------------------------------------------
# D103 transitive


@rule(
    code="D103",
    name="transitive-dependency",
    summary="An import of a distribution installed only as a dependency of a declared one.",
    rationale="""
The import works today because a declared dependency happens to require the distribution.
When that dependency drops or changes the requirement, the project breaks without any change
of its own (deptry's DEP003). Declare what you import. The rule needs the project's installed
metadata (its virtualenv); without it kdocs cannot tell a transitive import from a missing
one and reports D101 with a note instead.
""",
    bad="""
# pyproject.toml: dependencies = ["requests"]
import urllib3  # installed only because requests requires it
""",
    good="""
# pyproject.toml: dependencies = ["requests", "urllib3>=2"]
import urllib3
""",
    options=[
        RuleOption(
            "ignore-transitive",
            expect_str_list,
            (),
            "Import names (or globs) allowed to come in transitively.",
            "list of strings",
        ),
    ],
    needs=NEEDS,
)
def check_transitive(ctx: RuleContext) -> Iterator[Diagnostic]:
    view = _view(ctx)
    if not view.index.has_installed:
        return
    declared = view.declared
    closure = view.index.closure(declared)
    for imp in view.checked:
        if view.is_optional(imp) or _module_ignored(imp.imported, ctx.options["ignore-transitive"]):
            continue
        if view.index.provided_by(imp.imported, declared):
            continue
        reached = [d for d in view.index.installed_owners(imp.imported) if d in closure]
        if not reached:
            continue
        chain = closure[reached[0]]
        yield Diagnostic(
            "D103",
            f"`{imp.imported}` comes from `{reached[0]}`, which is not declared: it is "
            f"installed only as a dependency ({' -> '.join(chain)})",
            imp.file,
            imp.line,
            subject=f"transitive {reached[0]}",
        )


# ---------------------------------------------------------------------------------------------
# D104 dev dependency used at runtime


@rule(
    code="D104",
    name="dev-dependency-in-runtime",
    summary="Runtime code imports a distribution declared only in a dev group.",
    rationale="""
Dependency groups, dev extras and dev requirements files are not installed with the
package: an import of one of them from the package's own modules fails for users (deptry's
DEP004, misplaced dev dependency). Runtime code is every analysed file outside `dev-paths`
(tests, docs, scripts, examples: configurable in `[tool.kdocs.deps]`). Imports under
`if TYPE_CHECKING:` never run, so they are allowed unless `allow-type-checking` is false.
Like D101 and D102, the rule stands down when the project's runtime declarations cannot be
read without running code (a computed setup.py `install_requires`).
""",
    bad="""
# pyproject.toml: [dependency-groups] test = ["pytest", "freezegun"]
# src/app/clock.py
from freezegun import freeze_time
""",
    good="""
# pyproject.toml: dependencies = ["freezegun"]  (or move the import into tests/)
# src/app/clock.py
from freezegun import freeze_time
""",
    options=[
        RuleOption(
            "allow-type-checking",
            expect_bool,
            True,
            "Allow dev-only distributions in `if TYPE_CHECKING:` imports (stubs, typing helpers).",
            "boolean",
        ),
        RuleOption(
            "ignore-dev-only",
            expect_str_list,
            (),
            "Import names (or globs) runtime code may import from dev groups.",
            "list of strings",
        ),
    ],
    needs=NEEDS,
)
def check_dev_only(ctx: RuleContext) -> Iterator[Diagnostic]:
    view = _view(ctx)
    if view.stand_down:
        return
    for imp in view.runtime_imports:
        if imp.type_checking and ctx.options["allow-type-checking"]:
            continue
        if view.is_optional(imp) or _module_ignored(imp.imported, ctx.options["ignore-dev-only"]):
            continue
        if view.index.provided_by(imp.imported, view.runtime_deps):
            continue
        dev = view.index.provided_by(imp.imported, view.dev_deps)
        if not dev:
            continue
        dep = dev[0]
        yield Diagnostic(
            "D104",
            f"`{imp.imported}` is provided by `{dep.raw_name}`, declared only for development "
            f"({dep.group}, {_where(dep)}), but runtime code imports it",
            imp.file,
            imp.line,
            subject=f"dev-only {dep.name}",
        )


# ---------------------------------------------------------------------------------------------
# D105 unwanted


def _unwanted_table(ctx: RuleContext) -> dict[str, str]:
    table = dict(ctx.options["unwanted"])
    path = ctx.options["unwanted-file"]
    if path:
        from kdocs.escape import excerpt

        project = ctx.analysis.project
        file = project.root / path
        try:
            if not project.contains(file):
                raise OSError("it lies outside the project")
            # A regular file only, capped: the setting is repository content too.
            data = json.loads(read_regular(file, project.config.max_file_size))
            spec = data.get("spec", data) if isinstance(data, dict) else {}
            modules = spec.get("unwantedModules", {}) if isinstance(spec, dict) else {}
            if isinstance(modules, dict):
                table.update({str(k): str(v) for k, v in modules.items()})
        except (OSError, ValueError) as err:
            reason = err.reason if isinstance(err, RefusedFile) else str(err)
            table["\0error"] = f"cannot read unwanted-file {excerpt(path)}: {excerpt(reason)}"
    return table


@rule(
    code="D105",
    name="unwanted-dependency",
    summary="A distribution or module on the project's deny list is declared, imported or "
    "pulled in.",
    rationale="""
Kubernetes keeps `hack/unwanted-dependencies.json`: modules the project has decided to get
rid of, each with the reason, and CI fails when one is added back, directly or through
another dependency. kdocs does the same with `unwanted` (a table name -> reason, names are
distributions or dotted import names) or `unwanted-file` (a JSON file in Kubernetes' shape,
`{"spec": {"unwantedModules": {"name": "reason"}}}`). A declaration is reported at its
manifest line, an import at its import line, and a distribution pulled in by a declared
dependency (installed metadata needed) at that dependency's line with the chain.
""",
    bad="""
# [tool.kdocs.deps] unwanted = { requests = "use httpx (async, HTTP/2)" }
import requests
""",
    good="""
import httpx
""",
    options=[
        RuleOption(
            "unwanted",
            expect_str_map,
            {},
            "Distribution or import name -> the reason it is unwanted.",
            "table",
        ),
        RuleOption(
            "unwanted-file",
            expect_str,
            "",
            "A JSON deny list in Kubernetes' unwanted-dependencies.json shape, relative to "
            "the root.",
            "string",
        ),
    ],
    needs=NEEDS,
)
def check_unwanted(ctx: RuleContext) -> Iterator[Diagnostic]:
    table = _unwanted_table(ctx)
    if not table:
        return
    view = _view(ctx)
    if "\0error" in table:
        yield Diagnostic("D105", table.pop("\0error"), _manifest(ctx), 1, subject="unwanted-file")
    by_dist: dict[str, tuple[str, str]] = {canonicalize_name(k): (k, v) for k, v in table.items()}
    for dep in view.model.dependencies:
        if dep.name in by_dist:
            key, reason = by_dist[dep.name]
            yield Diagnostic(
                "D105",
                f"`{dep.raw_name}` is unwanted: {reason}",
                dep.file,
                dep.line,
                subject=f"unwanted {dep.name} {dep.group}",
            )
    for imp in (*view.runtime_imports, *view.dev_imports):
        hit = _unwanted_import(imp.imported, table, by_dist, view.index)
        if hit is not None:
            key, reason = hit
            yield Diagnostic(
                "D105",
                f"`{imp.imported}` is unwanted ({key}): {reason}",
                imp.file,
                imp.line,
                subject=f"unwanted import {key}",
            )
    if view.index.has_installed:
        for dep in view.runtime_deps:
            closure = view.index.closure([dep])
            for dist, chain in sorted(closure.items()):
                if dist in by_dist and len(chain) > 1:
                    key, reason = by_dist[dist]
                    yield Diagnostic(
                        "D105",
                        f"`{dep.raw_name}` pulls in unwanted `{dist}` ({' -> '.join(chain)}): "
                        f"{reason}",
                        dep.file,
                        dep.line,
                        subject=f"unwanted {dist} via {dep.name}",
                    )


def _unwanted_import(
    module: str, table: Mapping[str, str], by_dist: Mapping[str, tuple[str, str]], index: DistIndex
) -> tuple[str, str] | None:
    low = prefixes(module)
    for key, reason in table.items():
        if key.lower() in low:
            return key, reason
    owners, _ = index.owners(module)
    for owner in owners:
        if owner in by_dist:
            return by_dist[owner]
    return None


def _manifest(ctx: RuleContext) -> str:
    project = ctx.analysis.project
    return project.relpath(project.pyproject_path or project.root)


# ---------------------------------------------------------------------------------------------
# D106 conflicting constraints


def _candidates(specs: Sequence[SpecifierSet]) -> list[Version]:
    out: list[Version] = []
    for spec_set in specs:
        for spec in spec_set:
            text = spec.version.removesuffix(".*")
            try:
                version = Version(text)
            except InvalidVersion:
                continue
            out.append(version)
            release = ".".join(str(n) for n in (*version.release, 0, 0, 0, 1))
            epoch = f"{version.epoch}!" if version.epoch else ""
            for tail in ("", ".1", ".5"):
                with contextlib.suppress(InvalidVersion):
                    out.append(Version(f"{epoch}{release}{tail}"))
            out.append(Version(f"{epoch}{version.release[0] + 1}"))
    out.append(Version("0"))
    return out


def satisfiable(specs: Sequence[SpecifierSet]) -> bool:
    """Whether some version satisfies every specifier set (boundary candidates suffice)."""
    combined = SpecifierSet(",".join(str(s) for s in specs if str(s)))
    if not str(combined):
        return True
    if any(spec.operator == "===" for spec in combined):
        return True  # arbitrary equality: not comparable, do not guess
    return any(combined.contains(c, prereleases=True) for c in _candidates(specs))


@rule(
    code="D106",
    name="conflicting-constraints",
    summary="Version constraints on one distribution that no version satisfies.",
    rationale="""
A project that declares `numpy>=2` in pyproject.toml and pins `numpy==1.26.4` in
requirements.txt (or constrains `<2` in constraints.txt) cannot be installed from both: one
of them is stale. Kubernetes' dependency verification fails CI on such drift; pip only finds
out at install time. Constraints are compared across every manifest kdocs reads; entries
whose environment markers differ are never compared (they apply to different
environments).
""",
    bad="""
# pyproject.toml: dependencies = ["numpy>=2"]
# requirements.txt
numpy==1.26.4
""",
    good="""
# pyproject.toml: dependencies = ["numpy>=2"]
# requirements.txt
numpy==2.1.3
""",
    needs=("deps",),
)
def check_conflicts(ctx: RuleContext) -> Iterator[Diagnostic]:
    model: DepsModel = ctx.model("deps")
    by_name: dict[str, list[tuple[Dependency, SpecifierSet]]] = {}
    for dep in model.dependencies:
        if not dep.specifier:
            continue
        try:
            spec = SpecifierSet(dep.specifier)
        except InvalidSpecifier:
            continue
        by_name.setdefault(dep.name, []).append((dep, spec))
    for name, entries in by_name.items():
        for i, (dep, spec) in enumerate(entries):
            earlier = [
                (other, other_spec)
                for other, other_spec in entries[:i]
                if (other.marker or "") == (dep.marker or "") or not other.marker or not dep.marker
            ]
            for other, other_spec in earlier:
                if satisfiable([spec, other_spec]):
                    continue
                yield Diagnostic(
                    "D106",
                    f"`{dep.raw_name}{dep.specifier}` ({dep.group}) conflicts with "
                    f"`{other.raw_name}{other.specifier}` at {_where(other)} ({other.group}): "
                    "no version satisfies both",
                    dep.file,
                    dep.line,
                    subject=f"conflict {name} {dep.group} {other.group}",
                )
                break


# ---------------------------------------------------------------------------------------------
# D107 invalid requirement


@rule(
    code="D107",
    name="invalid-requirement",
    summary="A manifest entry (or a whole manifest) that cannot be read as a requirement.",
    rationale="""
pip, uv and build backends reject a requirement with a typo (`requests=2.0`, `>=1.0,`), a
bare URL without a name, an unknown option or a `-r` include of a missing file, often only in
CI or on a user's machine. kdocs reads every manifest with `packaging` (the parser pip
uses), reports each entry it cannot read with the reason, and checks the rest.
""",
    bad="""
# requirements.txt
requests=2.31
-r missing-file.txt
""",
    good="""
# requirements.txt
requests==2.31
""",
    bad_language="text",
    needs=("deps",),
)
def check_invalid(ctx: RuleContext) -> Iterator[Diagnostic]:
    model: DepsModel = ctx.model("deps")
    for problem in model.problems:
        yield Diagnostic(
            "D107",
            problem.message,
            problem.file,
            problem.line,
            subject=f"invalid {problem.text or problem.message}",
        )
