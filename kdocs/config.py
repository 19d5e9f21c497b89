"""``[tool.kdocs]`` (or ``--config kdocs.yaml|.toml``) into a typed, validated :class:`Config`.

Every key is declared in a schema, so an unknown key is an error that names its full key
path (``tool.kdocs.cli.flag-patern``) and suggests the closest valid key, and a value of the
wrong type says what was expected. Rule families add their own sections (``[tool.kdocs.cli]``
and so on) with :func:`register_section`; rule options declared in the registry are valid keys
of their family's section automatically.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kdocs.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

Validator = Callable[[Any, str], Any]
"""Checks a raw value found at a key path and returns the typed value (or raises ConfigError)."""


def _type_name(value: Any) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def expect_str(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"`{key}` must be a string, got {_type_name(value)} ({value!r})")
    return value


def expect_bool(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"`{key}` must be true or false, got {_type_name(value)} ({value!r})")
    return value


def expect_int(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"`{key}` must be an integer, got {_type_name(value)} ({value!r})")
    return value


def expect_str_list(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list):
        raise ConfigError(f"`{key}` must be a list of strings, got {_type_name(value)} ({value!r})")
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise ConfigError(f"`{key}[{i}]` must be a string, got {_type_name(item)} ({item!r})")
    return tuple(value)


def expect_entry_targets(value: Any, key: str) -> tuple[str, ...]:
    """A list of ``module:attr`` object references (``pkg.cli:main``, ``pkg.cli:app.group``)."""
    items = expect_str_list(value, key)
    for i, item in enumerate(items):
        module, sep, attr = item.partition(":")
        parts = [*module.split("."), *attr.split(".")]
        if not sep or not all(p.isidentifier() for p in parts):
            raise ConfigError(f"`{key}[{i}]` must look like `package.module:object`, got {item!r}")
    return items


def expect_str_list_map(value: Any, key: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ConfigError(f"`{key}` must be a table of lists, got {_type_name(value)}")
    return {k: expect_str_list(v, f"{key}.{k}") for k, v in value.items()}


def expect_str_map(value: Any, key: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(f"`{key}` must be a table of strings, got {_type_name(value)}")
    return {k: expect_str(v, f"{key}.{k}") for k, v in value.items()}


def expect_choice(*choices: str) -> Validator:
    def check(value: Any, key: str) -> str:
        text = expect_str(value, key)
        if text not in choices:
            listed = ", ".join(repr(c) for c in choices)
            raise ConfigError(f"`{key}` must be one of {listed}, got {text!r}")
        return text

    return check


def expect_table(value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"`{key}` must be a table, got {_type_name(value)}")
    return value


@dataclass(frozen=True)
class Setting:
    """One key of a section: its validator, default and a one-line description."""

    validate: Validator
    default: Any
    description: str = ""


# Family sections (``[tool.kdocs.<name>]``): name -> key -> Setting. Filled by the rule
# families at import time; the registry adds each rule's options to its family's section.
_SECTIONS: dict[str, dict[str, Setting]] = {}


def register_section(name: str, settings: Mapping[str, Setting]) -> None:
    """Declare (or extend) the section ``[tool.kdocs.<name>]``."""
    _SECTIONS.setdefault(name, {}).update(settings)


def sections() -> Mapping[str, Mapping[str, Setting]]:
    return _SECTIONS


TOP_LEVEL: dict[str, Setting] = {
    "src": Setting(expect_str_list, None, "Source roots, relative to the project root."),
    "exclude": Setting(
        expect_str_list, (), "Gitignore-style patterns to skip (replaces defaults)."
    ),
    "extend-exclude": Setting(expect_str_list, (), "Patterns to skip on top of `exclude`."),
    "select": Setting(expect_str_list, None, "Rule codes or prefixes to enable."),
    "extend-select": Setting(expect_str_list, (), "Codes or prefixes to enable on top."),
    "ignore": Setting(expect_str_list, (), "Rule codes or prefixes to disable."),
    "per-file-ignores": Setting(expect_str_list_map, {}, "Glob -> codes ignored in those files."),
    "cache-dir": Setting(expect_str, ".kdocs_cache", "Where the per-file cache lives."),
    "cache": Setting(expect_bool, True, "Use the per-file cache."),
    "convention": Setting(
        expect_choice("python", "kubernetes"),
        "python",
        "Convention profile: `kubernetes` turns on the Kubernetes API-convention rules.",
    ),
    "clis": Setting(
        expect_entry_targets,
        (),
        "CLI objects (`pkg.mod:obj`) that are the project's command-line interfaces, on top "
        "of the declared console scripts.",
    ),
    "test-paths": Setting(
        expect_str_list,
        None,
        "Gitignore-style patterns of test, fixture, docs, example and template code (replaces "
        "the defaults of `kdocs.scope`); CLIs defined there are not the project's.",
    ),
}


@dataclass(frozen=True)
class Config:
    """The validated configuration. ``sections`` holds each family section with defaults."""

    source: str | None = None
    src: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    cache_dir: str = ".kdocs_cache"
    cache: bool = True
    convention: str = "python"
    clis: tuple[str, ...] = ()
    test_paths: tuple[str, ...] | None = None
    exclude_given: bool = False
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    prefix: str = "tool.kdocs"

    def key_error(self, key: str, message: str) -> ConfigError:
        """An error about a top-level key's value, naming the file and the full key path."""
        return ConfigError(f"`{self.prefix}.{key}` {message}", source=self.source)

    def section(self, name: str) -> Mapping[str, Any]:
        """The family section with every key filled (defaults for keys not given)."""
        given = self.sections.get(name, {})
        defaults = {key: s.default for key, s in _SECTIONS.get(name, {}).items()}
        return {**defaults, **given}

    def fingerprint_data(self, section: str) -> Any:
        """What a family's cached per-file results may depend on (part of the cache key)."""
        return sorted(self.section(section).items(), key=lambda kv: kv[0])


def _unknown_key(key: str, valid: list[str], path: str) -> ConfigError:
    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
    hint = f"; did you mean `{close[0]}`?" if close else ""
    return ConfigError(f"unknown key `{path}.{key}`{hint}")


def parse_config(raw: Mapping[str, Any], *, source: str | None, prefix: str) -> Config:
    """Validate the raw ``[tool.kdocs]`` table. ``prefix`` is its key path for messages."""
    # Import here: registering rules registers their options as section keys.
    from kdocs.rules import registry

    registry.load_all()
    try:
        values: dict[str, Any] = {}
        section_values: dict[str, dict[str, Any]] = {}
        known = list(TOP_LEVEL) + list(_SECTIONS)
        for key, value in raw.items():
            if key in TOP_LEVEL:
                values[key] = TOP_LEVEL[key].validate(value, f"{prefix}.{key}")
            elif key in _SECTIONS:
                table = expect_table(value, f"{prefix}.{key}")
                section_values[key] = _parse_section(key, table, f"{prefix}.{key}")
            else:
                raise _unknown_key(key, known, prefix)
    except ConfigError as err:
        raise ConfigError(str(err), source=source) from None
    return Config(
        source=source,
        src=values.get("src"),
        exclude=values.get("exclude", ()),
        extend_exclude=values.get("extend-exclude", ()),
        select=values.get("select"),
        extend_select=values.get("extend-select", ()),
        ignore=values.get("ignore", ()),
        per_file_ignores=values.get("per-file-ignores", {}),
        cache_dir=values.get("cache-dir", ".kdocs_cache"),
        cache=values.get("cache", True),
        convention=values.get("convention", "python"),
        clis=values.get("clis", ()),
        test_paths=values.get("test-paths"),
        exclude_given="exclude" in values,
        sections=section_values,
        prefix=prefix,
    )


def _parse_section(name: str, table: Mapping[str, Any], path: str) -> dict[str, Any]:
    schema = _SECTIONS[name]
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in schema:
            raise _unknown_key(key, list(schema), path)
        out[key] = schema[key].validate(value, f"{path}.{key}")
    return out


def load_file(path: Path) -> Config:
    """Load a config file: ``pyproject.toml`` ([tool.kdocs]), ``kdocs.toml`` or ``kdocs.yaml``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        reason = err.strerror or str(err)
        raise ConfigError(f"cannot read config file: {reason}", source=str(path)) from None
    except UnicodeDecodeError:
        raise ConfigError("config file is not valid UTF-8", source=str(path)) from None
    if path.suffix in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark is not None else ""
            raise ConfigError(f"invalid YAML{where}", source=str(path)) from None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ConfigError("the top level must be a mapping", source=str(path))
        return parse_config(data, source=str(path), prefix="kdocs")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"invalid TOML: {err}", source=str(path)) from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("kdocs", {}) if isinstance(tool, dict) else {}
        if not isinstance(table, dict):
            raise ConfigError("`tool.kdocs` must be a table", source=str(path))
        return parse_config(table, source=str(path), prefix="tool.kdocs")
    if "tool" in data and isinstance(data["tool"], dict) and "kdocs" in data["tool"]:
        return parse_config(data["tool"]["kdocs"], source=str(path), prefix="tool.kdocs")
    return parse_config(data, source=str(path), prefix="kdocs")


def default_config() -> Config:
    return parse_config({}, source=None, prefix="tool.kdocs")
