"""Helpers for the CLI extraction tests: the static model vs the real framework objects.

The expected values always come from the real tool: the fixture CLI is imported in a
subprocess (never in the test process) and walked with click's / typer's own objects.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from kdocs.analysis import Analysis
from kdocs.models.serialize import to_data
from kdocs.project import discover

_WALKER = r"""
import enum, inspect, json, sys, importlib
target, name = sys.argv[1], sys.argv[2]
mod, _, attr = target.partition(":")
obj = importlib.import_module(mod)
for part in attr.split("."):
    obj = getattr(obj, part)
if type(obj).__name__ == "Typer":
    import typer.main
    obj = typer.main.get_command(obj)

def text(value):
    return value if isinstance(value, str) and value.strip() else None

def safe(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [safe(v) for v in value]
    return None

def context(cmd, name, parent):
    try:
        return cmd.context_class(cmd, info_name=name, parent=parent)
    except Exception:
        return None

def walk(cmd, path, parent=None):
    ctx = context(cmd, path[-1], parent)
    options, arguments = [], []
    for p in cmd.params:
        kind = type(p).__name__
        if "Option" in kind:
            choices = getattr(getattr(p, "type", None), "choices", None)
            annotation = getattr(getattr(p, "type_descriptor", None), "annotation", None)
            if choices is None and isinstance(annotation, type) and issubclass(annotation, enum.Enum):
                choices = list(annotation)  # typer >= 0.29 (vendored click, no .type)
            options.append({
                "names": list(p.opts), "secondary_names": list(p.secondary_opts),
                "help": text(p.help), "is_flag": bool(p.is_flag), "multiple": bool(p.multiple),
                "required": bool(p.required), "hidden": bool(p.hidden), "count": bool(p.count),
                "default": safe(p.default), "metavar": p.metavar,
                "envvar": [p.envvar] if isinstance(p.envvar, str) else safe(p.envvar),
                "choices": [str(getattr(c, "value", c)) for c in choices] if choices else None,
            })
        else:
            arguments.append({"name": p.name, "required": bool(p.required), "nargs": p.nargs})
    subs = []
    if hasattr(cmd, "list_commands"):
        for sub in cmd.list_commands(ctx):
            subs.append(walk(cmd.get_command(ctx, sub), [*path, sub], ctx))
    help_text = inspect.cleandoc(cmd.help).partition("\f")[0] if isinstance(cmd.help, str) else None
    return {"name": path[-1], "path": path, "help": text(help_text), "short_help": text(cmd.short_help),
            "epilog": text(cmd.epilog), "hidden": bool(cmd.hidden), "options": options,
            "arguments": arguments, "subcommands": subs}

print(json.dumps(walk(obj, [name])))
"""


def runtime_tree(
    root: Path, target: str, name: str, python: str | Path = sys.executable
) -> dict[str, Any]:
    """The real command tree of ``target`` (``module:attr``), imported from ``root/src``."""
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    proc = subprocess.run(
        [str(python), "-c", _WALKER, target, name],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        check=True,
    )
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def static_model(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = to_data(Analysis(discover([path]), use_cache=False).model("cli"))
    return data


def by_path(command: dict[str, Any]) -> dict[tuple[str, ...], dict[str, Any]]:
    out = {tuple(command["path"]): command}
    for sub in command["subcommands"]:
        out.update(by_path(sub))
    return out


def root(model: dict[str, Any], name: str) -> dict[str, Any]:
    matches: list[dict[str, Any]] = [c for c in model["clis"] if c["path"][0] == name]
    assert len(matches) == 1, [c["path"] for c in model["clis"]]
    return matches[0]


OPTION_KEYS = (
    "names",
    "secondary_names",
    "help",
    "is_flag",
    "multiple",
    "required",
    "hidden",
    "count",
    "default",
    "metavar",
    "envvar",
    "choices",
)


def differences(static: dict[str, Any], runtime: dict[str, Any]) -> list[str]:
    """Every field where the static tree disagrees with the runtime one (empty: agree)."""
    out: list[str] = []
    s_all, r_all = by_path(static), by_path(runtime)
    if set(s_all) != set(r_all):
        out.append(
            f"paths: static-only {set(s_all) - set(r_all)}, runtime-only {set(r_all) - set(s_all)}"
        )
    for path in sorted(set(s_all) & set(r_all)):
        s, r = s_all[path], r_all[path]
        for key in ("help", "short_help", "epilog", "hidden"):
            if s[key] != r[key]:
                out.append(f"{path} {key}: static {s[key]!r} != runtime {r[key]!r}")
        s_opts = [{k: _norm(o[k]) for k in OPTION_KEYS} for o in s["options"]]
        r_opts = [{k: _norm(o[k]) for k in OPTION_KEYS} for o in r["options"]]
        if s_opts != r_opts:
            out.append(f"{path} options:\n  static  {s_opts}\n  runtime {r_opts}")
        s_args = [(a["name"], a["required"], a["nargs"]) for a in s["arguments"]]
        r_args = [(a["name"], a["required"], a["nargs"]) for a in r["arguments"]]
        if s_args != r_args:
            out.append(f"{path} arguments: static {s_args} != runtime {r_args}")
    return out


def _norm(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _ws(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def scores(static: dict[str, Any], runtime: dict[str, Any]) -> tuple[float, float, float]:
    """(command F1 by path, option F1 by (path, names), help exact-match ratio after
    whitespace normalisation over matched commands and options): the accuracy measure."""
    s_all, r_all = by_path(static), by_path(runtime)
    s_opts = {(p, tuple(o["names"])): o for p, c in s_all.items() for o in c["options"]}
    r_opts = {(p, tuple(o["names"])): o for p, c in r_all.items() for o in c["options"]}

    def f1(a: set[Any], b: set[Any]) -> float:
        return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0

    pairs = [(s_all[p]["help"], r_all[p]["help"]) for p in set(s_all) & set(r_all)]
    pairs += [(s_opts[k]["help"], r_opts[k]["help"]) for k in set(s_opts) & set(r_opts)]
    helps = sum(_ws(a) == _ws(b) for a, b in pairs) / len(pairs) if pairs else 1.0
    return f1(set(s_all), set(r_all)), f1(set(s_opts), set(r_opts)), helps
