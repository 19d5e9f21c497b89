"""Console-script entry points: the names users type, mapped to ``module:attr`` targets.

Read statically from ``[project.scripts]``, ``[tool.poetry.scripts]``, setup.cfg's
``[options.entry_points] console_scripts``, ``setup.py``'s ``entry_points=`` (with ``ast``,
never executed) and, when the analysed path is an installed package inside site-packages,
the ``entry_points.txt`` of the ``*.dist-info`` that installed it.
"""

from __future__ import annotations

import ast
import configparser
import re
from pathlib import Path
from typing import Any

from kdocs.project import Project


def entry_points(project: Project) -> dict[str, str]:
    """``{script name: "module:attr"}`` for every console script the project declares."""
    out: dict[str, str] = {}
    root = project.root
    out.update(_from_pyproject(project.pyproject))
    out.update(_from_setup_cfg(root / "setup.cfg"))
    out.update(_from_setup_py(root / "setup.py"))
    out.update(_from_dist_info(project))
    return dict(sorted(out.items()))


_OTHER_GROUPS = ("gui_scripts", "gui-scripts")


def declared_targets(project: Project) -> list[str]:
    """``module:attr`` targets the project declares besides console scripts: gui scripts and
    the other entry-point groups of pyproject/setup.cfg (plugin commands such as
    ``flask.commands``). They count as declared CLIs when they resolve to one; a target that
    is not a CLI (a pytest plugin) is simply not one, so none of these is ever reported as
    unresolved."""
    out: list[str] = []
    data = project.pyproject.get("project", {})
    if isinstance(data, dict):
        tables: list[Any] = [data.get("gui-scripts", {})]
        groups = data.get("entry-points", {})
        if isinstance(groups, dict):
            tables.extend(groups.values())
        for table in tables:
            if isinstance(table, dict):
                out.extend(t for t in map(_clean, table.values()) if t and ":" in t)
    path = project.root / "setup.cfg"
    if path.is_file():
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, configparser.Error):
            return sorted(set(out))
        if parser.has_section("options.entry_points"):
            for group, text in parser.items("options.entry_points"):
                if group != "console_scripts":
                    out.extend(_parse_lines(text).values())
    return sorted(set(out))


def script_location(project: Project, script: str) -> tuple[str, int]:
    """Where a console script is declared: ``(project-relative file, 1-based line)``, found by
    looking for ``script =`` / ``"script" =`` / ``'script=`` in the files that declare scripts
    (line 1 of the first existing one when no line matches, e.g. installed metadata)."""
    pattern = re.compile(r"""(^|[\s"'\[,])["']?""" + re.escape(script) + r"""["']?\s*=""")
    found: str | None = None
    for name in ("pyproject.toml", "setup.cfg", "setup.py"):
        path = project.root / name
        if not path.is_file():
            continue
        found = found or name
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, 1):
            if pattern.search(line):
                return name, number
    return found or "pyproject.toml", 0


def _clean(target: Any) -> str | None:
    if not isinstance(target, str):
        if isinstance(target, dict) and isinstance(target.get("callable"), str):
            target = target["callable"]  # poetry's {callable = "pkg:main", extras = [...]}
        else:
            return None
    target = target.split("[", 1)[0].strip()  # "pkg.cli:main [extra]"
    module, sep, attr = target.partition(":")
    if module.endswith(".__init__"):  # "pkg.__init__:main" imports the package pkg
        target = module.removesuffix(".__init__") + sep + attr
    return target or None


def _from_pyproject(data: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    scripts = data.get("project", {}).get("scripts", {})
    poetry = data.get("tool", {}).get("poetry", {}).get("scripts", {})
    for table in (poetry, scripts):
        if isinstance(table, dict):
            for name, target in table.items():
                cleaned = _clean(target)
                if cleaned and ":" in cleaned:
                    out[str(name)] = cleaned
    return out


def _parse_lines(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.splitlines():
        name, sep, target = line.partition("=")
        cleaned = _clean(target)
        if sep and name.strip() and cleaned and ":" in cleaned:
            out[name.strip()] = cleaned
    return out


def _from_setup_cfg(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, configparser.Error):
        return {}
    if not parser.has_option("options.entry_points", "console_scripts"):
        return {}
    return _parse_lines(parser.get("options.entry_points", "console_scripts"))


def _from_setup_py(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return {}
    names: dict[str, ast.expr] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                names[target.id] = node.value
    out: dict[str, str] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg != "entry_points":
                continue
            value = keyword.value
            if isinstance(value, ast.Name):
                value = names.get(value.id, value)
            out.update(_console_scripts(value, names))
    return out


def _console_scripts(node: ast.expr, names: dict[str, ast.expr]) -> dict[str, str]:
    try:
        value = ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        if isinstance(node, ast.Dict):
            for key, item in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "console_scripts":
                    if isinstance(item, ast.Name):
                        item = names.get(item.id, item)
                    try:
                        return _parse_lines("\n".join(ast.literal_eval(item)))
                    except (ValueError, SyntaxError, TypeError):
                        return {}
        return {}
    if isinstance(value, str):
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(value)
        except configparser.Error:
            return {}
        if parser.has_section("console_scripts"):
            return {
                k: v
                for k, v in _parse_lines(
                    "\n".join(f"{k}={v}" for k, v in parser.items("console_scripts"))
                ).items()
            }
        return {}
    if isinstance(value, dict):
        scripts = value.get("console_scripts", [])
        if isinstance(scripts, str):
            scripts = [scripts]
        if isinstance(scripts, (list, tuple)):
            return _parse_lines("\n".join(s for s in scripts if isinstance(s, str)))
    return {}


def site_packages(project: Project) -> Path | None:
    """The site-packages directory the project lives in (an installed package), if any."""
    for candidate in (project.root, *project.root.parents):
        if candidate.name in ("site-packages", "dist-packages"):
            return candidate
    return None


def distribution_versions(project: Project) -> dict[str, str]:
    """``{normalised distribution name: version}`` known without importing anything: the
    project's own ``[project]``/``[tool.poetry]`` version, and every ``*.dist-info`` of the
    site-packages an installed package lives in (for ``importlib.metadata.version(...)``)."""
    out: dict[str, str] = {}
    site = site_packages(project)
    if site is not None:
        for dist in site.glob("*.dist-info"):
            parts = dist.name.removesuffix(".dist-info").split("-")
            if len(parts) >= 2:
                out[_normalise(parts[0])] = parts[1]
    data = project.pyproject
    for table in (data.get("tool", {}).get("poetry", {}), data.get("project", {})):
        if isinstance(table, dict):
            name, version = table.get("name"), table.get("version")
            if isinstance(name, str) and isinstance(version, str):
                out[_normalise(name)] = version
    return out


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _from_dist_info(project: Project) -> dict[str, str]:
    """Entry points of the distribution that installed the analysed site-packages package."""
    targets = [project.root / p for p in _top_names(project)]
    site = site_packages(project)
    if site is None:
        return {}
    tops = {p.relative_to(site).parts[0] for p in targets if p.is_relative_to(site)}
    if not tops:
        return {}
    out: dict[str, str] = {}
    dists = sorted(site.glob("*.dist-info"))
    # Cheap first: a dist named like the package, or listing it in top_level.txt; reading
    # every RECORD is the fallback (names like "pip_tools" installing "piptools").
    wanted = {_normalise(t) for t in tops}
    owners = [
        d for d in dists if _normalise(d.name.split("-")[0]) in wanted or _top_level(d) & tops
    ]
    for dist in owners or [d for d in dists if _dist_owns(d, tops)]:
        path = dist / "entry_points.txt"
        if not path.is_file():
            continue
        parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        try:
            parser.read_string(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, configparser.Error):
            continue
        if parser.has_section("console_scripts"):
            for name, target in parser.items("console_scripts"):
                cleaned = _clean(target)
                if cleaned and ":" in cleaned:
                    out[name] = cleaned
    return out


def _top_names(project: Project) -> list[Path]:
    if project.scopes:
        return list(project.scopes)
    return [project.root]


def _top_level(dist: Path) -> set[str]:
    top_level = dist / "top_level.txt"
    if not top_level.is_file():
        return set()
    try:
        return {line.strip() for line in top_level.read_text(encoding="utf-8").splitlines()}
    except (OSError, UnicodeDecodeError):
        return set()


def _dist_owns(dist: Path, tops: set[str]) -> bool:
    record = dist / "RECORD"
    if record.is_file():
        try:
            text = record.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return False
        for line in text.splitlines():
            first = line.split(",", 1)[0]
            head = first.split("/", 1)[0]
            if head.endswith(".py"):
                head = head[:-3]
            if head in tops:
                return True
    return False
