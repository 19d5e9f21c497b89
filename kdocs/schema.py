"""The configuration schema, assembled as a value from what the extractors and rules declare.

Each model kind's :class:`~kdocs.extract.Provider` declares the settings its extractor reads
(its cache key); each rule declares its options; a rule family may declare settings shared by
its rules. This module puts them together into the :data:`~kdocs.config.Schema` that checks
the ``[tool.kdocs.<section>]`` tables. It sits above the rules and the extractors and is built
once per process, when a command first needs a validated config; nothing fills it as a side
effect of an import, and a warm ``kdocs check`` answered from the result cache never builds it.

Checking a config imports only the families and extractors of the sections it sets: the other
sections' keys, defaults and link keys come from the static index
(:mod:`kdocs.rules.index`), which this module also writes (``python -m kdocs.schema
--write-index``; a test fails when the committed index drifts from the declarations). So
``kdocs check --select I,D`` of a project that configures only ``[tool.kdocs.imports]`` never
imports the CLI or type families.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from kdocs import cache_config, site_config
from kdocs.config import Config, Schema, SectionSchema, Setting
from kdocs.extract import PROVIDER_MODULES, get_provider
from kdocs.rules import index, registry


def config_schema(sections: Iterable[str] | None = None) -> Schema:
    """Section name -> its settings, and which of them the extractors read.

    With ``sections``, only those sections get their real validators (importing the families
    and extractors that declare them); every other section is taken from the static index:
    the same keys, defaults and link keys, and no validator (nothing in such a section is
    validated: it is absent from the config)."""
    loaded = None if sections is None else frozenset(sections)
    return _assemble(tuple(sorted(PROVIDER_MODULES.items())), loaded)


@cache
def _assemble(
    providers: tuple[tuple[str, str], ...], loaded: frozenset[str] | None = None
) -> Schema:
    """Built once per set of providers (a test may add a provider kind) and loaded sections."""

    def wanted(section: str | None) -> bool:
        return section is not None and (loaded is None or section in loaded)

    # The pipeline's own sections (no extractor or rule reads them).
    settings: dict[str, dict[str, Setting]] = {
        cache_config.SECTION: dict(cache_config.SETTINGS),
        site_config.SECTION: dict(site_config.SETTINGS),
    }
    link_keys: dict[str, set[str]] = {}
    for kind, _ in providers:
        if kind in index.PROVIDER_SECTIONS and not wanted(index.PROVIDER_SECTIONS[kind]):
            continue
        provider = get_provider(kind)
        if provider.section is not None:
            settings.setdefault(provider.section, {}).update(provider.settings)
            link_keys.setdefault(provider.section, set()).update(provider.settings)
    for letter, (section, _, _) in sorted(registry.FAMILIES.items()):
        if wanted(section):
            assert section is not None
            settings.setdefault(section, {}).update(registry.family_settings(letter))
            for rule in registry.iter_family(letter):
                if rule.options:
                    settings[section].update(registry.option_settings(rule))
    for section, keys in index.SECTIONS.items():
        if not wanted(section):  # not loaded: keys, defaults and link keys from the index
            table = {key: Setting(_unloaded, default) for key, (default, _) in keys.items()}
            table.update(settings.get(section, {}))  # a kind the index does not cover
            settings[section] = table
            link_keys.setdefault(section, set()).update(k for k, (_, on) in keys.items() if on)
    return {
        name: SectionSchema(table, frozenset(link_keys.get(name, ())))
        for name, table in sorted(settings.items())
    }


def _unloaded(value: Any, key: str) -> Any:
    """The validator of a section the config does not set (never called: see
    :func:`validated`, which loads every section the config has)."""
    raise RuntimeError(f"`{key}`: its section was not loaded for validation")


def validated(config: Config) -> Config:
    """``config`` with its sections checked and filled (a config error names the key).

    Only the sections the config sets are checked against their real declarations (so only
    their families and extractors are imported); the rest are filled from the index."""
    if config.is_validated:
        return config
    return config.validated(config_schema(str(name) for name in config.raw_sections))


# --- the static index (kdocs/rules/index.py) -------------------------------------------


def index_text() -> str:
    """The source of :mod:`kdocs.rules.index` for today's declarations (every family and
    extractor imported), formatted as ``ruff format`` leaves it."""
    kinds = index_providers()
    full = _assemble(tuple(sorted((k, PROVIDER_MODULES[k]) for k in kinds)), None)
    providers = {kind: get_provider(kind).section for kind in sorted(kinds)}
    out = [
        '"""The static index of every rule and config key: what rule selection and config',
        "validation need without importing the rule families and extractors that declare them.",
        "",
        "GENERATED by ``python -m kdocs.schema --write-index`` from the registry and the",
        "providers; ``tests/test_rule_index.py`` fails when it drifts. Do not edit by hand.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Any",
        "",
        "RULES: tuple[tuple[str, str, bool, str | None], ...] = (",
    ]
    for rule in registry.all_rules():
        row = f"({_lit(rule.code)}, {_lit(rule.name)}, {rule.default_enabled}, "
        out.append(f"    {row}{_lit(rule.convention)}),")
    out += [
        ")",
        '"""``(code, name, on by default, convention profile)`` of every rule, in code order."""',
        "",
        "PROVIDER_SECTIONS: dict[str, str | None] = {",
        *(f"    {_lit(kind)}: {_lit(section)}," for kind, section in providers.items()),
        "}",
        '"""Model kind -> the config section its provider reads."""',
        "",
        "SECTIONS: dict[str, dict[str, tuple[Any, bool]]] = {",
    ]
    for name, section in full.items():
        if name in (cache_config.SECTION, site_config.SECTION):
            continue  # the pipeline's own, always loaded
        out.append(f"    {_lit(name)}: {{")
        for key, setting in section.settings.items():
            out.append(f"        {_lit(key)}: (")
            out.append(f"            {_lit(setting.default, indent=12)},")
            out.append(f"            {key in section.link_keys},")
            out.append("        ),")
        out.append("    },")
    out += [
        "}",
        '"""Section -> key -> ``(default, read by an extractor)``, in declaration order."""',
        "",
    ]
    return "\n".join(out)


def index_providers() -> list[str]:
    """The model kinds the index covers (a test may add a kind of its own; never indexed)."""
    return [kind for kind, module in PROVIDER_MODULES.items() if module.startswith("kdocs.")]


def _lit(value: Any, indent: int = 0) -> str:
    """A Python literal for ``value`` as ``ruff format`` writes it (double quotes; a
    non-empty tuple, list or dict one item per line with a trailing comma)."""
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, str):
        text = repr(value)
        if text.startswith("'") and '"' not in value:
            text = '"' + text[1:-1].replace("\\'", "'") + '"'
        elif "'" in value and '"' in value:
            raise ValueError(f"index: {value!r} has both quote kinds")
        return text
    pad, inner = " " * indent, " " * (indent + 4)
    if isinstance(value, (tuple, list)):
        opening, closing = ("(", ")") if isinstance(value, tuple) else ("[", "]")
        if not value:
            return opening + closing
        items = [f"{inner}{_lit(item, indent + 4)}," for item in value]
        return "\n".join([opening, *items, pad + closing])
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{_lit(k, indent + 4)}: {_lit(v, indent + 4)}," for k, v in value.items()]
        return "\n".join(["{", *items, pad + "}"])
    raise ValueError(f"index: a default of type {type(value).__name__} is not a literal")


def index_path() -> Path:
    return Path(index.__file__)


def main(argv: list[str]) -> int:
    """``python -m kdocs.schema --write-index`` (or ``--check-index``: exit 1 on drift)."""
    if argv not in (["--write-index"], ["--check-index"]):
        print("usage: python -m kdocs.schema --write-index | --check-index", file=sys.stderr)
        return 2
    text, path = index_text(), index_path()
    if argv == ["--check-index"]:
        same = path.read_text(encoding="utf-8") == text
        if not same:
            print(f"{path}: out of date; run python -m kdocs.schema --write-index", file=sys.stderr)
        return 0 if same else 1
    path.write_text(text, encoding="utf-8")
    print(f"Wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
