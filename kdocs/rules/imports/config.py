"""The family I configuration: import-boss restrictions and import-linter style contracts.

Both live in ``[tool.kdocs.imports]`` (``restrictions`` and ``contracts``, arrays of tables);
restrictions may also sit in ``.import-restrictions`` YAML files, with import-boss' schema.
Every error names its key path (``tool.kdocs.imports.contracts[1].layers``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kdocs.config import Setting, expect_bool, expect_str, expect_str_list
from kdocs.errors import ConfigError
from kdocs.escape import excerpt, quoted
from kdocs.safe_regex import Matcher, compile_pattern, pattern_error

CONTRACT_TYPES = ("layers", "independence", "forbidden", "acyclic")


@dataclass(frozen=True)
class BossRule:
    """One import-boss rule: a selector, allowed and forbidden prefixes, transitivity."""

    selector: str
    allowed: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    transitive: bool = False
    allow_type_checking: bool | None = None  # kdocs extension; None: the rule option decides

    @property
    def pattern(self) -> Matcher:
        """The selector compiled for linear-time matching (RE2, as import-boss)."""
        return compile_pattern(self.selector)


@dataclass(frozen=True)
class Restrictions:
    """The rules of one ``.import-restrictions`` file (or one config entry).

    ``origin`` is how findings name it (the file's path, or the config key path);
    ``directory`` is the project-relative directory it governs ("" for the root).
    """

    origin: str
    directory: str
    rules: tuple[BossRule, ...] = ()
    inverse_rules: tuple[BossRule, ...] = ()


@dataclass(frozen=True)
class ConfigRestrictions:
    """A ``[[tool.kdocs.imports.restrictions]]`` entry, placed in ``package``'s directory."""

    key: str
    package: str
    rules: tuple[BossRule, ...] = ()
    inverse_rules: tuple[BossRule, ...] = ()


@dataclass(frozen=True)
class Contract:
    """A layers, independence, forbidden or acyclic contract (import-linter's semantics)."""

    key: str
    name: str
    type: str
    layers: tuple[tuple[str, ...], ...] = ()  # highest first; siblings in one layer
    independent_siblings: tuple[bool, ...] = ()
    optional_layers: tuple[str, ...] = ()  # named in parentheses: may be absent
    containers: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    source_modules: tuple[str, ...] = ()
    forbidden_modules: tuple[str, ...] = ()
    ignore_imports: tuple[tuple[str, str], ...] = ()
    allow_indirect_imports: bool = False
    as_packages: bool = True
    allow_type_checking: bool | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


def _table(value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"`{key}` must be a table, got {type(value).__name__} ({quoted(value)})")
    return value


def _list(value: Any, key: str) -> list[Any]:
    if not isinstance(value, list):
        raise ConfigError(f"`{key}` must be a list, got {type(value).__name__} ({quoted(value)})")
    return value


def _unknown(key: str, valid: Sequence[str], path: str) -> ConfigError:
    close = difflib.get_close_matches(key, list(valid), n=1, cutoff=0.6)
    hint = f"; did you mean `{close[0]}`?" if close else ""
    return ConfigError(f"unknown key `{path}.{excerpt(key)}`{hint}")


# import-boss reads its files through a JSON unmarshaller that matches field names without
# regard to case; so do we.
_RULE_KEYS = {
    "selectorregexp": "selectorRegexp",
    "allowedprefixes": "allowedPrefixes",
    "forbiddenprefixes": "forbiddenPrefixes",
    "transitive": "transitive",
    "allowtypechecking": "allowTypeChecking",
}
_FILE_KEYS = {"rules": "rules", "inverserules": "inverseRules"}


def parse_rule(raw: Any, key: str) -> BossRule:
    table = _table(raw, key)
    values: dict[str, Any] = {}
    for name, value in table.items():
        canonical = _RULE_KEYS.get(str(name).lower())
        if canonical is None:
            raise _unknown(str(name), list(_RULE_KEYS.values()), key)
        where = f"{key}.{name}"
        if canonical == "selectorRegexp":
            text = expect_str(value, where)
            why = pattern_error(text)
            if why is not None:
                raise ConfigError(
                    f"`{where}` is not a valid regular expression: {quoted(text)}: {why}"
                )
            values[canonical] = text
        elif canonical in ("allowedPrefixes", "forbiddenPrefixes"):
            values[canonical] = () if value is None else expect_str_list(value, where)
        else:
            values[canonical] = expect_bool(value, where)
    if "selectorRegexp" not in values:
        raise ConfigError(f"`{key}` needs a `selectorRegexp`")
    return BossRule(
        selector=values["selectorRegexp"],
        allowed=values.get("allowedPrefixes", ()),
        forbidden=values.get("forbiddenPrefixes", ()),
        transitive=values.get("transitive", False),
        allow_type_checking=values.get("allowTypeChecking"),
    )


def parse_rule_lists(
    table: Mapping[str, Any], key: str, extra: Sequence[str] = ()
) -> tuple[tuple[BossRule, ...], tuple[BossRule, ...]]:
    """``rules`` and ``inverseRules`` of a file or config entry."""
    rules: list[BossRule] = []
    inverse: list[BossRule] = []
    for name, value in table.items():
        if name in extra:
            continue
        canonical = _FILE_KEYS.get(str(name).lower())
        if canonical is None:
            if not key:
                valid = ", ".join(f"`{k}`" for k in _FILE_KEYS.values())
                raise ConfigError(f"unknown key `{excerpt(name)}` (valid: {valid})")
            raise _unknown(str(name), [*_FILE_KEYS.values(), *extra], key)
        if value is None:
            continue
        target = rules if canonical == "rules" else inverse
        where = f"{key}.{name}" if key else str(name)
        for i, item in enumerate(_list(value, where)):
            target.append(parse_rule(item, f"{where}[{i}]"))
    return tuple(rules), tuple(inverse)


def parse_restrictions_setting(value: Any, key: str) -> tuple[ConfigRestrictions, ...]:
    out: list[ConfigRestrictions] = []
    for i, item in enumerate(_list(value, key)):
        where = f"{key}[{i}]"
        table = _table(item, where)
        package = expect_str(table.get("package", ""), f"{where}.package")
        rules, inverse = parse_rule_lists(table, where, extra=("package",))
        out.append(ConfigRestrictions(where, package, rules, inverse))
    return tuple(out)


_CONTRACT_KEYS = {
    "layers": ("layers", "containers"),
    "independence": ("modules",),
    "forbidden": ("source-modules", "forbidden-modules", "allow-indirect-imports", "as-packages"),
    "acyclic": ("modules",),
}
_COMMON_KEYS = ("name", "type", "ignore-imports", "allow-type-checking")
_REQUIRED = {
    "layers": ("layers",),
    "independence": ("modules",),
    "forbidden": ("source-modules", "forbidden-modules"),
    "acyclic": ("modules",),
}
_LAYER_NAME = re.compile(r"^(?:\(\s*[\w.*]+\s*\)|[\w.*]+)$")


def _parse_layer(text: str, key: str) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    """``"a | b"`` (independent siblings) or ``"a : b"`` (siblings that may import each other);
    a name in parentheses is optional (import-linter's syntax): the contract does not report
    it when the project has no such module. Returns the names, whether they are independent,
    and the optional ones."""
    independent = "|" in text
    if independent and ":" in text:
        raise ConfigError(f"`{key}` mixes `|` and `:` ({quoted(text)})")
    parts = [p.strip() for p in re.split(r"[|:]", text)]
    names = []
    optional = []
    for part in parts:
        if not part or not _LAYER_NAME.match(part):
            raise ConfigError(f"`{key}` is not a layer name: {quoted(part)}")
        name = part.strip("()").strip()
        names.append(name)
        if part.startswith("(") and part.endswith(")"):
            optional.append(name)
    return tuple(names), independent, tuple(optional)


def _parse_ignore(text: str, key: str) -> tuple[str, str]:
    importer, arrow, imported = text.partition("->")
    if not arrow or not importer.strip() or not imported.strip():
        raise ConfigError(
            f"`{key}` must look like `importer.module -> imported.module`: {quoted(text)}"
        )
    return importer.strip(), imported.strip()


def parse_contract(raw: Any, key: str, index: int) -> Contract:
    table = _table(raw, key)
    kind = table.get("type")
    if kind is None:
        raise ConfigError(f"`{key}` needs a `type` ({', '.join(CONTRACT_TYPES)})")
    kind = expect_str(kind, f"{key}.type")
    if kind not in CONTRACT_TYPES:
        listed = ", ".join(repr(t) for t in CONTRACT_TYPES)
        raise ConfigError(f"`{key}.type` must be one of {listed}, got {quoted(kind)}")
    valid = (*_COMMON_KEYS, *_CONTRACT_KEYS[kind])
    for name in table:
        if name not in valid:
            raise _unknown(name, valid, key)
    for name in _REQUIRED[kind]:
        if name not in table:
            raise ConfigError(f"`{key}` ({kind} contract) needs `{name}`")
    name = expect_str(table.get("name", f"contract {index + 1}"), f"{key}.name")
    layers: list[tuple[str, ...]] = []
    independent: list[bool] = []
    optional: list[str] = []
    for i, text in enumerate(expect_str_list(table.get("layers", []), f"{key}.layers")):
        names, indep, maybe = _parse_layer(text, f"{key}.layers[{i}]")
        layers.append(names)
        independent.append(indep)
        optional.extend(maybe)
    raw_ignores = expect_str_list(table.get("ignore-imports", []), f"{key}.ignore-imports")
    ignores = tuple(
        _parse_ignore(text, f"{key}.ignore-imports[{i}]") for i, text in enumerate(raw_ignores)
    )
    allow_tc = table.get("allow-type-checking")
    return Contract(
        key=key,
        name=name,
        type=kind,
        layers=tuple(layers),
        independent_siblings=tuple(independent),
        optional_layers=tuple(optional),
        containers=expect_str_list(table.get("containers", []), f"{key}.containers"),
        modules=expect_str_list(table.get("modules", []), f"{key}.modules"),
        source_modules=expect_str_list(table.get("source-modules", []), f"{key}.source-modules"),
        forbidden_modules=expect_str_list(
            table.get("forbidden-modules", []), f"{key}.forbidden-modules"
        ),
        ignore_imports=ignores,
        allow_indirect_imports=expect_bool(
            table.get("allow-indirect-imports", False), f"{key}.allow-indirect-imports"
        ),
        as_packages=expect_bool(table.get("as-packages", True), f"{key}.as-packages"),
        allow_type_checking=(
            None if allow_tc is None else expect_bool(allow_tc, f"{key}.allow-type-checking")
        ),
    )


def parse_contracts_setting(value: Any, key: str) -> tuple[Contract, ...]:
    return tuple(parse_contract(item, f"{key}[{i}]", i) for i, item in enumerate(_list(value, key)))


def parse_restrictions_file(text: str, origin: str, directory: str) -> Restrictions:
    """An ``.import-restrictions`` file (YAML or JSON). Raises ConfigError naming the key."""
    from kdocs import safe_yaml  # PyYAML only when a project has restriction files

    try:
        data = safe_yaml.load(text)  # no anchors or aliases: no billion-laughs expansion
    except safe_yaml.YamlRefused as err:
        raise ConfigError(str(err)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("the top level must be a mapping with `rules` and/or `inverseRules`")
    rules, inverse = parse_rule_lists(data, "")
    return Restrictions(origin, directory, rules, inverse)


SETTINGS: dict[str, Setting] = {
    "restrictions": Setting(
        parse_restrictions_setting,
        (),
        "import-boss rules kept in pyproject: a list of tables with `package` (where the"
        ' rules sit, as if in that package\'s `.import-restrictions`; "" = project root),'
        " `rules` and `inverseRules`.",
    ),
    "contracts": Setting(
        parse_contracts_setting,
        (),
        "Layers, independence, forbidden and acyclic contracts (import-linter semantics).",
    ),
}
"""``[tool.kdocs.imports]``: settings of the I family (the schema reads them as a value)."""
