"""The ``cli`` provider: static click, typer and argparse extraction into one command model.

Per file (cached): a JSON IR of the module for click/typer (:mod:`.pyir`) when the file can
take part in a click/typer CLI, and argparse facts (:mod:`.argparse_static`). Link: the IR of
all such files is evaluated together (:mod:`.interp`, with :mod:`.click_static` and
:mod:`.typer_static` semantics), console-script entry points (:mod:`.entrypoints`) name the
roots users type, and the argparse trees are added. Roots not reachable from an entry point
are reported too, under their own names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from kdocs.extract import Provider, SourceFile
from kdocs.extract.cli import argparse_static, click_static, typer_static
from kdocs.extract.cli.entrypoints import distribution_versions, entry_points
from kdocs.extract.cli.examples import with_examples
from kdocs.extract.cli.interp import (
    Args,
    BudgetExceeded,
    Func,
    Interpreter,
    ModuleV,
    Target,
    Unknown,
    Value,
    parse_module_ir,
)
from kdocs.extract.cli.pyir import module_ir
from kdocs.fsread import read_regular_text
from kdocs.models.cli import CliModel, Command, SourceLocation, Unresolved

if TYPE_CHECKING:
    from kdocs.analysis import Analysis

VERSION = f"click-typer-2+{getattr(argparse_static, 'FACTS_VERSION', '0')}"
"""Bump the first part when the IR of :mod:`.pyir` changes shape; argparse's is its own."""

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
    return {"python": python, "argparse": parsed}


def link(analysis: Analysis, facts: Mapping[str, Any]) -> CliModel:
    """All CLIs of the project (click, typer, argparse), roots sorted by path and source."""
    project = analysis.project
    scripts = entry_points(project)
    clis = [*static_click_typer(project, facts, scripts)]
    argparse_facts = {rel: f["argparse"] for rel, f in facts.items() if f.get("argparse")}
    if argparse_facts:
        clis.extend(argparse_static.link(project, argparse_facts, scripts))
    clis.sort(key=_root_key)
    return CliModel(clis=tuple(with_examples(c) for c in clis))


def _root_key(cmd: Command) -> tuple[Any, ...]:
    src = cmd.source
    return (cmd.path, src.file if src else "", src.line if src else 0, cmd.framework)


def static_click_typer(
    project: Any, facts: Mapping[str, Any], scripts: Mapping[str, str]
) -> list[Command]:
    """The click and typer command trees of the project (roots named after entry points)."""
    irs = {rel: f["python"] for rel, f in facts.items() if f.get("python")}
    entries = {e.relpath: e for e in project.files}
    modules = {e.module: e.relpath for e in project.files if e.module}

    def loader(relpath: str) -> Mapping[str, Any] | None:
        entry = entries.get(relpath)
        if entry is None:
            return None
        try:
            text = read_regular_text(
                entry.path, project.config.max_file_size
            )  # never a FIFO or /dev/zero
        except (OSError, UnicodeDecodeError):
            return None
        is_package = entry.path.name == "__init__.py"
        return parse_module_ir(text, relpath, entry.module, is_package)

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
    claimed: set[int] = set()
    for script, target in scripts.items():
        try:
            obj, notes = _resolve_entry(interp, target)
        except Exception:  # then the CLI is reported under its own name
            _finish_running(interp)
            continue
        if obj is None:
            continue
        claimed.add(id(obj))
        built = builder.safe_root(obj, script, notes)
        if built is not None:
            roots.append(built)
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
    return _attach_notes(roots, interp.notes)


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


def _resolve_entry(interp: Interpreter, target: str) -> tuple[Value | None, list[Unresolved]]:
    module, _, attr = target.partition(":")
    if not interp.is_project_module(module):
        return None, []
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
            return invoked[0][0], []
        if _is_cli(result):
            return result, []
        return None, []
    if _is_cli(value):
        return value, []
    return None, []


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


PROVIDER = Provider(
    kind="cli", version=VERSION, wants=wants, extract=extract, link=link, section="cli"
)
