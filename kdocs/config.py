"""``[tool.kdocs]`` (or ``--config kdocs.yaml|.toml``) into a typed, validated :class:`Config`.

Every key is declared in a schema, so an unknown key is an error that names its full key
path (``tool.kdocs.cli.flag-patern``) and suggests the closest valid key, and a value of the
wrong type says what was expected.

Validation happens in two steps. :func:`parse_config` checks the top-level keys (which files
to walk, where the cache lives, which rules to select): discovery needs them, and they are
declared here. The family sections (``[tool.kdocs.cli]`` and so on) are kept raw until
:meth:`Config.validated` checks them against a :data:`Schema`, a *value* that the engine
assembles at start-up from the extractors' settings and the rules' options
(:mod:`kdocs.schema`). Nothing registers itself into this module, so reading a config
imports no rule or extractor, and a warm run whose result is cached never needs the schema.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kdocs.errors import ConfigError
from kdocs.escape import excerpt, quoted
from kdocs.fsread import DEFAULT_MAX_FILE_SIZE

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


def _got(value: Any) -> str:
    """``a string ('abc')``: the type and a short excerpt of a wrong value (never all of it)."""
    return f"{_type_name(value)} ({quoted(value)})"


def expect_str(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"`{key}` must be a string, got {_got(value)}")
    return value


def expect_folder(value: Any, key: str) -> str:
    """A folder relative to the project root that stays inside it (no absolute path, no
    ``~``, no backslash or NUL, no ``..``); ``""`` means the setting's default."""
    text = expect_str(value, key)
    if text == "":
        return text
    if not text.strip() or text.startswith(("/", "~")) or "\\" in text or "\0" in text:
        raise ConfigError(f"`{key}` must be a folder relative to the project root, got {text!r}")
    if ".." in text.split("/"):
        raise ConfigError(f"`{key}` must stay inside the project (no `..`), got {text!r}")
    return text


def expect_line(value: Any, key: str) -> str:
    """One short line of text (a title): at most 200 characters, no control character."""
    text = expect_str(value, key)
    if len(text) > 200 or any(ord(c) < 0x20 for c in text):
        raise ConfigError(f"`{key}` must be one short line of text")
    return text


def expect_bool(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"`{key}` must be true or false, got {_got(value)}")
    return value


def expect_int(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"`{key}` must be an integer, got {_got(value)}")
    return value


def expect_str_list(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list):
        raise ConfigError(f"`{key}` must be a list of strings, got {_got(value)}")
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise ConfigError(f"`{key}[{i}]` must be a string, got {_got(item)}")
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
            raise ConfigError(f"`{key}` must be one of {listed}, got {quoted(text)}")
        return text

    return check


def expect_table(value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"`{key}` must be a table, got {_type_name(value)}")
    return value


_SIZE_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1000, "kib": 1024, "m": 1024**2}
_SIZE_UNITS.update({"mb": 1000**2, "mib": 1024**2, "g": 1024**3, "gb": 1000**3, "gib": 1024**3})


def expect_size(value: Any, key: str) -> int:
    """A positive byte count: an integer, or a string such as ``"2 MiB"`` / ``"500kb"``."""
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", value[:40])
        unit = match.group(2).lower() if match else ""
        if match is None or unit not in _SIZE_UNITS:
            raise ConfigError(
                f'`{key}` must be a size such as 2097152 or "2 MiB", got {excerpt(value)!r}'
            )
        value = int(float(match.group(1)) * _SIZE_UNITS[unit])
    size = expect_int(value, key)
    if size <= 0:
        raise ConfigError(f"`{key}` must be positive, got {size}")
    return size


@dataclass(frozen=True)
class Setting:
    """One key of a section: its validator, default and a one-line description."""

    validate: Validator
    default: Any
    description: str = ""


@dataclass(frozen=True)
class SectionSchema:
    """The keys of one family section: what extractors read and what only rules read.

    ``link_keys`` are the settings an extractor or a link step reads: they are part of the
    cache keys of facts and models. The other keys are rule options: changing one re-runs the
    rules but re-extracts nothing."""

    settings: Mapping[str, Setting]
    link_keys: frozenset[str] = frozenset()


Schema = Mapping[str, SectionSchema]
"""Section name -> its keys (:mod:`kdocs.schema` assembles it)."""


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
    "max-file-size": Setting(
        expect_size, DEFAULT_MAX_FILE_SIZE, "Skip (and report once) files larger than this."
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
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    exclude_given: bool = False
    raw_sections: Mapping[str, Any] = field(default_factory=dict)
    """Every key that is not top-level, as read (checked by :meth:`validated`)."""
    sections: Mapping[str, Mapping[str, Any]] | None = None
    """Each schema section with every key filled; ``None`` until :meth:`validated`."""
    link_keys: Mapping[str, frozenset[str]] = field(default_factory=dict)
    prefix: str = "tool.kdocs"

    def key_error(self, key: str, message: str) -> ConfigError:
        """An error about a top-level key's value, naming the file and the full key path."""
        return ConfigError(f"`{self.prefix}.{key}` {message}", source=self.source)

    @property
    def is_validated(self) -> bool:
        return self.sections is not None

    def validated(self, schema: Schema) -> Config:
        """This config with its sections checked against ``schema`` and defaults filled.

        An unknown key (at the top or in a section) is an error naming its key path and the
        closest valid key."""
        known = list(TOP_LEVEL) + list(schema)
        sections: dict[str, dict[str, Any]] = {}
        try:
            for key, value in self.raw_sections.items():
                if key not in schema:
                    raise _unknown_key(key, known, self.prefix)
                table = expect_table(value, f"{self.prefix}.{key}")
                sections[key] = _parse_section(schema[key], table, f"{self.prefix}.{key}")
        except ConfigError as err:
            raise ConfigError(str(err), source=self.source) from None
        filled = {
            name: {
                **{key: s.default for key, s in section.settings.items()},
                **sections.get(name, {}),
            }
            for name, section in schema.items()
        }
        links = {name: section.link_keys for name, section in schema.items()}
        return replace(self, sections=filled, link_keys=links)

    def section(self, name: str) -> Mapping[str, Any]:
        """The family section with every key filled (defaults for keys not given)."""
        if self.sections is None:
            raise RuntimeError(f"config section `{name}` read before the config was validated")
        return self.sections.get(name, {})

    def link_settings(self, name: str) -> dict[str, Any]:
        """The keys of a section that extractors read (their cache key), without rule options."""
        keys = self.link_keys.get(name, frozenset())
        return {k: v for k, v in self.section(name).items() if k in keys}

    def link_fingerprint(self) -> str:
        """Everything in the config a linked model may depend on: the top-level keys except
        rule selection, and each section's link keys (never rule options)."""
        top = {
            name: getattr(self, name.replace("-", "_"))
            for name in TOP_LEVEL
            if name not in _SELECTION_KEYS
        }
        links = {name: self.link_settings(name) for name in sorted(self.link_keys)}
        return repr([self.source, self.prefix, sorted(top.items()), sorted(links.items())])


_SELECTION_KEYS = frozenset({"select", "extend-select", "ignore", "per-file-ignores"})
"""Top-level keys that choose rules: no extractor reads them."""


def _unknown_key(key: object, valid: list[str], path: str) -> ConfigError:
    # A YAML config can have any key (``?`` alone is a null key, ``1:`` an integer one).
    text = key if isinstance(key, str) else repr(key)
    import difflib  # only for an error message

    close = difflib.get_close_matches(text, valid, n=1, cutoff=0.6)
    hint = f"; did you mean `{close[0]}`?" if close else ""
    return ConfigError(f"unknown key `{path}.{excerpt(text)}`{hint}")


def parse_config(raw: Mapping[str, Any], *, source: str | None, prefix: str) -> Config:
    """Validate the top-level keys of the raw ``[tool.kdocs]`` table; keep the rest for
    :meth:`Config.validated`. ``prefix`` is its key path for messages."""
    try:
        values: dict[str, Any] = {}
        rest: dict[str, Any] = {}
        for key, value in raw.items():
            if key in TOP_LEVEL:
                values[key] = TOP_LEVEL[key].validate(value, f"{prefix}.{key}")
            elif isinstance(key, str) and isinstance(value, dict):
                rest[key] = value  # a section: checked by Config.validated
            else:
                raise _unknown_key(key, list(TOP_LEVEL), prefix)
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
        max_file_size=values.get("max-file-size", DEFAULT_MAX_FILE_SIZE),
        exclude_given="exclude" in values,
        raw_sections=rest,
        prefix=prefix,
    )


def _parse_section(schema: SectionSchema, table: Mapping[str, Any], path: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in schema.settings:
            raise _unknown_key(key, list(schema.settings), path)
        out[key] = schema.settings[key].validate(value, f"{path}.{key}")
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
        from kdocs import safe_yaml  # only for a YAML config: a TOML project stays lean

        try:
            data = safe_yaml.load(text)  # no anchors/aliases: no billion-laughs expansion
        except safe_yaml.YamlRefused as err:
            raise ConfigError(str(err), source=str(path)) from None
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
