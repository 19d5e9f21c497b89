"""The configuration schema, assembled as a value from what the extractors and rules declare.

Each model kind's :class:`~kdocs.extract.Provider` declares the settings its extractor reads
(its cache key); each rule declares its options; a rule family may declare settings shared by
its rules. This module puts them together into the :data:`~kdocs.config.Schema` that checks
the ``[tool.kdocs.<section>]`` tables. It sits above the rules and the extractors and is built
once per process, when a command first needs a validated config; nothing fills it as a side
effect of an import, and a warm ``kdocs check`` answered from the result cache never builds it.
"""

from __future__ import annotations

from functools import cache

from kdocs import cache_config
from kdocs.config import Config, Schema, SectionSchema, Setting
from kdocs.extract import PROVIDER_MODULES, get_provider
from kdocs.rules import registry


def config_schema() -> Schema:
    """Section name -> its settings, and which of them the extractors read."""
    return _assemble(tuple(sorted(PROVIDER_MODULES.items())))


@cache
def _assemble(providers: tuple[tuple[str, str], ...]) -> Schema:
    """Built once per set of providers (a test may add a provider kind)."""
    # The pipeline's own sections (no extractor or rule reads them).
    settings: dict[str, dict[str, Setting]] = {cache_config.SECTION: dict(cache_config.SETTINGS)}
    link_keys: dict[str, set[str]] = {}
    for kind, _ in providers:
        provider = get_provider(kind)
        if provider.section is not None:
            settings.setdefault(provider.section, {}).update(provider.settings)
            link_keys.setdefault(provider.section, set()).update(provider.settings)
    registry.load_all()
    for letter, (section, _, _) in sorted(registry.FAMILIES.items()):
        if section is not None:
            settings.setdefault(section, {}).update(registry.family_settings(letter))
    for rule in registry.all_rules():
        if rule.section is not None and rule.options:
            settings.setdefault(rule.section, {}).update(registry.option_settings(rule))
    return {
        name: SectionSchema(table, frozenset(link_keys.get(name, ())))
        for name, table in sorted(settings.items())
    }


def validated(config: Config) -> Config:
    """``config`` with its sections checked and filled (a config error names the key)."""
    return config if config.is_validated else config.validated(config_schema())
