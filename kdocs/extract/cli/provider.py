"""The ``cli`` provider's implementation: static click, typer and argparse extraction.

Per file (cached): a JSON IR of the module for click/typer (:mod:`.pyir`) when the file can
take part in a click/typer CLI, and argparse facts (:mod:`.argparse_static`). Link: the IR of
all such files is evaluated together (:mod:`.interp`, with :mod:`.click_static` and
:mod:`.typer_static` semantics), console-script entry points (:mod:`.entrypoints`) name the
roots users type, and the argparse trees are added. Roots not reachable from an entry point
are reported too, under their own names.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kdocs.extract import SourceFile
from kdocs.extract.cli import argparse_static, click_static, literal_table, typer_static, usage
from kdocs.extract.cli.entrypoints import (
    declared_targets,
    distribution_versions,
    entry_points,
    script_location,
    site_packages,
)
from kdocs.extract.cli.examples import with_examples
from kdocs.extract.cli.interp import (
    Args,
    BudgetExceeded,
    Func,
    Interpreter,
    IRCache,
    ModuleV,
    Target,
    Unknown,
    Value,
)
from kdocs.extract.cli.pyir import module_ir
from kdocs.extract.relimport import resolve_relative
from kdocs.fsread import read_regular
from kdocs.models.cli import (
    CliModel,
    Command,
    SourceLocation,
    Unresolved,
    UnresolvedEntryPoint,
)
from kdocs.scope import is_out_of_scope

if TYPE_CHECKING:
    from kdocs.analysis import Analysis


_CLICKISH = (
    "click",
    "typer",
    "cloup",
    ".command(",
    ".group(",
    "add_command",
    "add_typer",
    ".callback(",
)
"""Text that can take part in a click/typer CLI: the imports, and registrations on a group or
app imported from another module (``@app.command()`` in a file that never names typer)."""


def wants(text: str) -> bool:
    """Cheap pre-filter: the file mentions click/typer (incl. rich_click, cloup) or argparse.

    Shared option modules import click too, so they pass, and so do modules registering
    commands on an imported group; re-export modules that do neither are read on demand at
    link time when an import chain needs them.
    """
    return any(marker in text for marker in _CLICKISH) or argparse_static.wants(text)


def extract(src: SourceFile, settings: Mapping[str, Any]) -> Any:
    """Per-file facts: ``{"python": click/typer IR or None, "argparse": facts or None}``."""
    python = None
    if any(marker in src.text for marker in _CLICKISH):
        python = module_ir(src.tree, src.module, src.is_package)
    parsed = argparse_static.extract(src)
    if python is None and parsed is None:
        return None
    # Where help literals are written (for the help rules' fixes): computed here, once per
    # file and cached, so checks never re-parse the file (with libcst) to find them.
    return {
        "python": python,
        "argparse": parsed,
        "literals": literal_table.build(src.tree, src.text),
    }


def link(analysis: Analysis, facts: Mapping[str, Any]) -> CliModel:
    """All CLIs of the project (click, typer, argparse), roots sorted by path and source.

    Scope: when the project declares CLIs (console scripts, ``[tool.kdocs] clis``, gui
    scripts and other entry points, ``__main__`` modules), those are its CLIs; other roots are
    dropped once every console script resolved (while one does not, the rest are kept so the
    user still sees them). Where nothing is declared (a bare package folder) every root is
    kept. Roots defined in test, fixture, docs, example or template code are never kept
    unless declared.
    """
    project = analysis.project
    scripts = entry_points(project)
    config = project.config
    test_paths = config.test_paths
    extra = [*config.clis, *declared_targets(project)]
    main_entries = [
        e
        for e in project.files
        if e.relpath.endswith("__main__.py")
        and not is_out_of_scope(e.relpath, test_paths)
        and not _VENDORED & set(e.relpath.split("/"))
    ]
    mains = [e.module for e in main_entries]
    max_size = project.config.max_file_size
    extra.extend(t for e in main_entries for t in _main_targets(e.path, e.module, max_size))
    ir_cache = IRCache.of(analysis)
    linked = _link_click_typer(project, facts, scripts, extra, mains, ir_cache)
    ir_cache.save([e.relpath for e in project.files])
    roots = list(zip(linked.roots, linked.declared, strict=True))
    status = dict(linked.status)
    argparse_facts = {rel: f["argparse"] for rel, f in facts.items() if f.get("argparse")}
    if argparse_facts:
        # A console script (or a declared or ``__main__`` target) the click/typer link
        # resolved runs that command: no argparse chain to follow from it (and its module
        # is not read again, so the result reuse does not depend on its bytes).
        targets = [*scripts.values(), *extra]
        open_targets = [target for target in targets if target not in linked.resolved]
        argparse_facts.update(_bridges(project, argparse_facts, open_targets))
        declared: set[int] = set()
        parsed = argparse_static.link(
            project, argparse_facts, scripts, mains=mains, extra=extra, declared=declared
        )
        for i, root in enumerate(parsed):
            roots.append((root, i in declared))
            if root.name in scripts and i in declared:
                status[root.name] = None
    # A script whose module cannot be read (a syntax error) is reported there (E003) already.
    unreadable = {e.module for e in project.files if e.relpath in analysis.problems}
    unresolved = tuple(
        _unresolved_script(project, script, scripts[script], reason)
        for script, reason in sorted(status.items())
        if reason is not None
        and _reportable(project, facts, reason)
        and scripts[script].partition(":")[0] not in unreadable
    )
    whole = _whole_project(project)
    complete = not unresolved and whole
    declaring = bool(scripts or config.clis)
    kept: list[Command] = []
    for root, is_declared in roots:
        file = root.source.file if root.source else ""
        if is_declared:
            kept.append(root)
        elif declaring and complete:
            continue
        elif not is_out_of_scope(file, test_paths):
            kept.append(root)
    kept = _merge_script_aliases(kept, project.pyproject)
    kept.sort(key=_root_key)
    return CliModel(
        clis=tuple(with_examples(usage.finish_click_tree(c)) for c in kept),
        unresolved_entry_points=unresolved if whole else (),
    )


def _merge_script_aliases(roots: list[Command], pyproject: Mapping[str, Any]) -> list[Command]:
    """One root per CLI object: console scripts that run the same object are aliases.

    ``psr``, ``semantic-release`` and ``python-semantic-release`` all run one click group;
    reporting every finding three times (once per script) helps nobody. The root keeps the
    script named like the distribution when there is one, else the first name in order; the
    other script names become its ``aliases``.
    """
    project_name = str((pyproject.get("project") or {}).get("name") or "")
    groups: dict[tuple[Any, ...], list[Command]] = {}
    for root in roots:
        src = root.source
        where = (src.file, src.line, src.column) if src else (id(root),)
        groups.setdefault((root.framework, *where), []).append(root)
    merged: list[Command] = []
    for same in groups.values():
        if len(same) == 1:
            merged.append(same[0])
            continue
        same.sort(key=lambda c: (_canonical(c.name) != _canonical(project_name), c.name))
        first, others = same[0], same[1:]
        aliases = tuple(dict.fromkeys([*first.aliases, *(c.name for c in others)]))
        merged.append(replace(first, aliases=aliases))
    return merged


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


_VENDORED = {"_vendor", "vendor", "vendored", "_vendored", "third_party", "thirdparty", "_extern"}
"""Folders of other projects' code shipped inside this one: their ``__main__`` modules are
not the project's CLIs."""


def _whole_project(project: Any) -> bool:
    """Whether every file of the project was read (not only a package or file given on its
    own), so a script that does not resolve really has no CLI behind it."""
    walk_roots = project.walk_roots
    return walk_roots is None or any(Path(w) == Path(project.root) for w in walk_roots)


def _bridges(project: Any, known: Mapping[str, Any], targets: Sequence[str]) -> dict[str, Any]:
    """argparse facts of entry-point modules that build no parser themselves (see
    :func:`argparse_static.bridge_facts`)."""
    by_module = {e.module: e for e in project.files if e.module}
    out: dict[str, Any] = {}
    for target in targets:
        entry = by_module.get(target.partition(":")[0])
        if entry is None or entry.relpath in known or entry.relpath in out:
            continue
        try:  # a regular file only: a console script's module can be a planted FIFO
            text = read_regular(entry.fspath, project.config.max_file_size).decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        src = SourceFile(entry.relpath, entry.module, text, entry.path.name == "__init__.py")
        bridge = argparse_static.bridge_facts(src)
        if bridge is not None:
            out[entry.relpath] = bridge
    return out


def _main_targets(path: Path, module: str, max_size: int) -> list[str]:
    """What a ``__main__`` module may run: the names it imports from the project and the
    functions it defines, as ``module:attr`` targets (``python -m pkg`` declares them)."""
    try:  # a regular file only (a planted `__main__.py -> /dev/zero` must not hang the run)
        tree = ast.parse(read_regular(path, max_size).decode("utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    out: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            base = resolve_relative(module, False, node.level, node.module) or ""
            out.extend(f"{base}:{a.name}" for a in node.names if base and a.name != "*")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out.append(f"{module}:{node.name}")
    return out


def _reportable(project: Any, facts: Mapping[str, Any], reason: str) -> bool:
    """Whether an unresolved script is worth a finding. A package analysed inside
    site-packages has scripts of its distribution that live in sibling packages; a project
    that uses no click/typer/argparse at all has scripts that parse ``sys.argv`` by hand."""
    if site_packages(project) is not None and reason.startswith("module "):
        return False
    return bool(facts) or not reason.endswith(_NO_CLI)


_NO_CLI = "runs no click, typer or argparse command kdocs can follow"


def _unresolved_script(project: Any, script: str, target: str, reason: str) -> UnresolvedEntryPoint:
    file, line = script_location(project, script)
    missing = reason.startswith("module ") or " has no top-level name " in reason
    return UnresolvedEntryPoint(
        name=script,
        target=target,
        reason=reason,
        source=SourceLocation(file, line),
        missing=missing,
    )


def _root_key(cmd: Command) -> tuple[Any, ...]:
    src = cmd.source
    return (cmd.path, src.file if src else "", src.line if src else 0, cmd.framework)


@dataclass
class _Linked:
    """click/typer roots, whether each is a declared CLI, and each console script's status
    (``None`` when it resolved to a CLI, else why not)."""

    roots: list[Command]
    declared: list[bool]
    status: dict[str, str | None]
    resolved: set[str]
    """The targets (scripts' and others) that resolved to a click or typer command."""


def _link_click_typer(
    project: Any,
    facts: Mapping[str, Any],
    scripts: Mapping[str, str],
    extra: Sequence[str],
    mains: Sequence[str],
    ir_cache: IRCache,
) -> _Linked:
    irs = {rel: f["python"] for rel, f in facts.items() if f.get("python")}
    entries = {e.relpath: e for e in project.files}
    modules = {e.module: e.relpath for e in project.files if e.module}

    def loader(relpath: str) -> Mapping[str, Any] | None:
        entry = entries.get(relpath)
        if entry is None:
            return None
        return ir_cache.load(entry, project.config.max_file_size)  # parsed once per content

    interp = Interpreter(irs, modules, loader)
    interp.versions = distribution_versions(project)
    for relpath in sorted(irs):
        module = irs[relpath].get("module")
        if module in modules:
            try:
                interp.load(module)
            except Exception as err:  # odd code must not stop the run
                interp.notes.append(Unresolved(f"evaluation stopped: {_why(err)}", relpath, 1))
                _finish_running(interp)
    builder = _Builder(interp)
    roots: list[Command] = []
    declared: list[bool] = []
    status: dict[str, str | None] = {}
    resolved: set[str] = set()
    claimed: set[int] = set()
    targets: list[tuple[str | None, str]] = [
        *scripts.items(),
        *((None, target) for target in extra),
    ]
    for script, target in targets:
        try:
            obj, reason = _resolve_entry(interp, target)
        except Exception as err:  # then the CLI is reported under its own name
            _finish_running(interp)
            obj, reason = None, f"evaluation stopped ({_why(err)})"
        if script is not None:
            status[script] = reason
        if obj is not None:
            resolved.add(target)
        if obj is None or (script is None and id(obj) in claimed):
            continue
        claimed.add(id(obj))
        built = builder.safe_root(obj, script, [])
        if built is not None:
            roots.append(built)
            declared.append(True)
    main_files = {modules.get(m) for m in mains}
    run_from_main = {id(obj) for obj, loc in interp.invoked if loc.file in main_files}
    for obj in interp.created:
        if id(obj) in claimed or getattr(obj, "attached", False):
            continue
        if isinstance(obj, typer_static.TyperApp) and not (
            obj.commands or obj.callback or obj.groups
        ):
            continue
        built = builder.safe_root(obj, None, [])
        if built is not None:
            roots.append(built)
            declared.append(
                id(obj) in run_from_main or (built.source or _NOWHERE).file in main_files
            )
    return _Linked(_attach_notes(roots, interp.notes), declared, status, resolved)


_NOWHERE = SourceLocation("", 0)


def _why(err: Exception) -> str:
    if isinstance(err, RecursionError):
        return "nesting too deep"
    if isinstance(err, BudgetExceeded):
        return "too much to evaluate"
    return f"internal error ({type(err).__name__}: {err})"


def _attach_notes(roots: list[Command], notes: list[Unresolved]) -> list[Command]:
    """Put project-level notes on the roots whose commands live in the note's file (or on
    every root when none does), so nothing kdocs could not follow goes unreported."""
    if not notes:
        return roots
    files = [{c.source.file for c in root.walk() if c.source} for root in roots]
    extra: list[list[Unresolved]] = [[] for _ in roots]
    for note in dict.fromkeys(notes):
        owners = [i for i, f in enumerate(files) if note.file in f] or list(range(len(roots)))
        for i in owners:
            extra[i].append(note)
    return [
        replace(root, unresolved=tuple(dict.fromkeys((*root.unresolved, *more)))) if more else root
        for root, more in zip(roots, extra, strict=True)
    ]


def _finish_running(interp: Interpreter) -> None:
    """After an aborted evaluation, mark half-run modules done so imports see what exists."""
    for state in interp.states.values():
        if state.state == "running":
            state.state = "done"
    interp.depth = 0


def _resolve_entry(interp: Interpreter, target: str) -> tuple[Value | None, str | None]:
    """The CLI object a ``module:attr`` target names (or runs), else ``None`` and why not."""
    module, _, attr = target.partition(":")
    if not interp.is_project_module(module):
        return None, f"module `{module}` is not among the project's Python files"
    value: Value = ModuleV(module)
    loc = SourceLocation(interp.modules.get(module, ""), 0)
    for part in [p for p in attr.split(".") if p]:
        value = interp.getattr(value, part, loc)
    if isinstance(value, Target):
        value = value.func
    if isinstance(value, Func):
        before = len(interp.invoked)
        result = interp.call_func(value, [], Args(), loc)
        invoked = interp.invoked[before:]
        if invoked:
            return invoked[0][0], None
        if _is_cli(result):
            return result, None
        return None, f"`{attr}` {_NO_CLI}"
    if _is_cli(value):
        return value, None
    if isinstance(value, Unknown):
        return None, f"`{attr}` cannot be resolved in `{module}` ({value.reason})"
    return None, f"`{attr}` in `{module}` is not a click, typer or argparse command"


def _is_cli(value: Value) -> bool:
    return isinstance(
        value, (click_static.ClickCmd, typer_static.TyperApp, typer_static.TyperAsClick)
    )


class _Builder:
    """Turns evaluated click/typer objects into :class:`Command` trees (cycle-safe)."""

    def __init__(self, interp: Interpreter) -> None:
        self.interp = interp

    def safe_root(self, obj: Value, name: str | None, notes: list[Unresolved]) -> Command | None:
        """:meth:`root`, or a bare command with an ``unresolved`` note if building fails."""
        try:
            return self.root(obj, name, notes)
        except Exception as err:  # one odd CLI must not stop the run
            loc = getattr(obj, "loc", None)
            file, line = (loc.file, loc.line) if isinstance(loc, SourceLocation) else ("", 0)
            label = name or getattr(obj, "name", None) or "cli"
            note = Unresolved(f"command tree not built: {_why(err)}", file, line)
            return Command(name=label, path=(label,), source=loc, unresolved=(note,))

    def root(self, obj: Value, name: str | None, notes: list[Unresolved]) -> Command | None:
        if isinstance(obj, typer_static.TyperAsClick):
            obj = obj.app
        if isinstance(obj, click_static.ClickCmd):
            root_name = name or obj.name or obj.var_name or _package_name(self.interp, obj.loc.file)
            return click_static.build_command(self.child, obj, root_name, (root_name,), (id(obj),))
        if isinstance(obj, typer_static.TyperApp):
            typer_name = name or typer_static._explicit_name(obj)
            path = (typer_name,) if typer_name else ("",)
            command = typer_static.build_app(
                self.interp, self.child, obj, typer_name, path, (id(obj),), root=True
            )
            if not command.name:
                fallback = obj.var_name or _package_name(self.interp, obj.loc.file)
                command = _rename(replace(command, name=fallback), (fallback,))
            return command
        return None

    def child(
        self,
        value: Value,
        name: str,
        path: tuple[str, ...],
        stack: tuple[int, ...],
        loc: SourceLocation,
        notes: list[Unresolved],
    ) -> Command | None:
        if isinstance(value, typer_static.TyperAsClick):
            value = value.app
        if id(value) in stack:
            notes.append(
                Unresolved(
                    f"command {name!r} contains itself (add_command cycle)", loc.file, loc.line
                )
            )
            return None
        if isinstance(value, click_static.ClickCmd):
            return click_static.build_command(self.child, value, name, path, (*stack, id(value)))
        if isinstance(value, typer_static.TyperApp):
            return typer_static.build_app(
                self.interp, self.child, value, name, path, (*stack, id(value)), root=True
            )
        reason = value.reason if isinstance(value, Unknown) else "not a click command"
        notes.append(
            Unresolved(f"subcommand {name!r} kdocs cannot resolve: {reason}", loc.file, loc.line)
        )
        return None


def _package_name(interp: Interpreter, relpath: str) -> str:
    """The name of a root nothing names (no entry point, no ``name=``, no variable): its
    top-level package, as the runtime inspector defaults to."""
    for module, path in interp.modules.items():
        if path == relpath and module:
            return module.split(".")[0]
    return relpath.rsplit("/", 1)[-1].removesuffix(".py") or "cli"


def _rename(command: Command, path: tuple[str, ...]) -> Command:
    subs = tuple(_rename(sub, (*path, sub.name)) for sub in command.subcommands)
    return replace(command, path=path, subcommands=subs)
