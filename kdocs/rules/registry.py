"""The rule registry: every rule's code, name, documentation, options and check function.

A family module registers its rules with :func:`rule` at import time. Lookups import a family
only when they need it (:func:`get` imports the family of the code asked for,
:func:`iter_family` that family); :func:`load_all` and :func:`all_rules` import every family.
What selection and config validation need of the rules they do not run (codes, names,
defaults, option keys) is in the static index, :mod:`kdocs.rules.index`.

A rule's options become keys of its family's config section (the schema, :mod:`kdocs.schema`,
reads them from here), so ``[tool.kdocs.cli] flag-pattern = "..."`` is validated like the
rest. A family module may also declare settings shared by its
rules as a ``SETTINGS`` value (:func:`family_settings`).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kdocs.config import Setting, Validator
from kdocs.models.diagnostics import Diagnostic

if TYPE_CHECKING:
    from kdocs.analysis import Analysis

# Family letter -> (config section, human title, module that registers it).
FAMILIES: dict[str, tuple[str | None, str, str]] = {
    "E": (None, "File errors", "kdocs.rules.files"),
    "C": ("cli", "Command-line conventions", "kdocs.rules.cli"),
    "F": ("types", "Type and field conventions", "kdocs.rules.types"),
    "I": ("imports", "Import rules", "kdocs.rules.imports"),
    "D": ("deps", "Dependency rules", "kdocs.rules.deps"),
    "G": ("gen", "Generated-doc drift", "kdocs.gen.drift"),
}

SEVERITIES = ("error", "warning", "info")
CONVENTIONS = ("python", "kubernetes")
"""Convention profiles (``convention = ...``, like pydocstyle's): a rule that belongs to one
is on by default only under it; the others need its full code selected."""


@dataclass(frozen=True)
class RuleOption:
    """A rule setting, configured in the family section under ``name``."""

    name: str
    validate: Validator
    default: Any
    description: str
    type_name: str = "string"


@dataclass(frozen=True)
class RuleContext:
    """What a rule's check function gets: the analysis (models) and its own options.

    ``models`` holds models given directly (a rule test's hand-built model, checked against a
    real analysis of a real project); the analysis builds every other kind."""

    analysis: Analysis
    options: Mapping[str, Any]
    models: Mapping[str, Any] = field(default_factory=dict)
    read: list[str] = field(default_factory=list)
    """Files and folders the rule read besides its models (say so with :meth:`reads`): a
    cached check result is reused only while they are unchanged."""

    @classmethod
    def of(cls, analysis: Analysis, rule: Rule) -> RuleContext:
        """The context ``rule`` runs in: the analysis, and the rule's own options from its
        config section (a key of another rule sharing the section is not passed)."""
        config = analysis.project.config
        names = {o.name for o in rule.options}
        section = config.section(rule.section) if rule.section else {}
        return cls(analysis, {k: v for k, v in section.items() if k in names})

    def model(self, kind: str) -> Any:
        given = self.models.get(kind)
        return given if given is not None else self.analysis.model(kind)

    def reads(self, path: str | os.PathLike[str]) -> None:
        """Record an input the models do not cover (a generated page G001 compares)."""
        self.read.append(os.fspath(path))


Check = Callable[[RuleContext], Iterable[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    rationale: str
    bad: str
    good: str
    options: tuple[RuleOption, ...] = ()
    fixable: bool = False
    default_enabled: bool = True
    severity: str = "error"
    needs: tuple[str, ...] = ()
    check: Check | None = field(default=None, compare=False)
    bad_language: str = "python"
    convention: str | None = None
    """The profile that turns this rule on (``kubernetes``); ``None``: every profile."""

    @property
    def family(self) -> str:
        return self.code[0]

    @property
    def section(self) -> str | None:
        return FAMILIES[self.family][0]


_RULES: dict[str, Rule] = {}
_LOADED = False


def rule(
    *,
    code: str,
    name: str,
    summary: str,
    rationale: str,
    bad: str,
    good: str,
    options: Iterable[RuleOption] = (),
    fixable: bool = False,
    default_enabled: bool = True,
    severity: str = "error",
    needs: Iterable[str] = (),
    bad_language: str = "python",
    convention: str | None = None,
) -> Callable[[Check | None], Check | None]:
    """Register a rule; decorate its check function (or call with ``None`` for a rule that the
    pipeline itself reports, like the E family)."""

    def register(check: Check | None) -> Check | None:
        add(
            Rule(
                code=code,
                name=name,
                summary=summary,
                rationale=rationale.strip(),
                bad=bad.strip("\n"),
                good=good.strip("\n"),
                options=tuple(options),
                fixable=fixable,
                default_enabled=default_enabled,
                severity=severity,
                needs=tuple(needs),
                check=check,
                bad_language=bad_language,
                convention=convention,
            )
        )
        return check

    return register


def add(new: Rule) -> None:
    if new.family not in FAMILIES:
        raise ValueError(f"rule {new.code}: unknown family {new.family!r}")
    if new.severity not in SEVERITIES:
        raise ValueError(f"rule {new.code}: unknown severity {new.severity!r}")
    if new.convention is not None and new.convention not in CONVENTIONS:
        raise ValueError(f"rule {new.code}: unknown convention {new.convention!r}")
    old = _RULES.get(new.code)
    if old is not None and old.name != new.name:
        raise ValueError(f"rule code {new.code} registered twice ({old.name}, {new.name})")
    _RULES[new.code] = new


def load_all() -> None:
    """Import every family module (idempotent)."""
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    for _, _, module in FAMILIES.values():
        importlib.import_module(module)


def load_family(letter: str) -> None:
    """Import one family's module (its rules register themselves); idempotent."""
    if letter in FAMILIES:
        importlib.import_module(FAMILIES[letter][2])


def family_settings(letter: str) -> Mapping[str, Setting]:
    """Settings a family declares for its section besides its rules' options (``SETTINGS``
    in the family module, e.g. the I family's ``restrictions`` and ``contracts``)."""
    module = importlib.import_module(FAMILIES[letter][2])
    settings: Mapping[str, Setting] = getattr(module, "SETTINGS", {})
    return settings


def option_settings(rule: Rule) -> dict[str, Setting]:
    """A rule's options as keys of its family's section."""
    return {o.name: Setting(o.validate, o.default, o.description) for o in rule.options}


def registered() -> list[Rule]:
    """The rules registered so far (only the families imported yet; no import)."""
    return list(_RULES.values())


def all_rules() -> list[Rule]:
    load_all()
    return sorted(_RULES.values(), key=lambda r: code_sort_key(r.code))


def get(code_or_name: str) -> Rule | None:
    """The rule with this code or name, importing only its family (the static index says
    which); every family when it is not there (a code the index does not know yet)."""
    found = _lookup(code_or_name)
    if found is None and not _LOADED:
        from kdocs.rules import index

        by_name = {name: code for code, name, _, _ in index.RULES}
        load_family(by_name.get(code_or_name, code_or_name.upper())[:1])
        found = _lookup(code_or_name)
        if found is None:
            load_all()
            found = _lookup(code_or_name)
    return found


def _lookup(code_or_name: str) -> Rule | None:
    """A registered rule by code or name (no import)."""
    if code_or_name.upper() in _RULES:
        return _RULES[code_or_name.upper()]
    for r in _RULES.values():
        if r.name == code_or_name:
            return r
    return None


def code_sort_key(code: str) -> tuple[str, int, str]:
    digits = "".join(ch for ch in code[1:] if ch.isdigit())
    return (code[0], int(digits) if digits else -1, code)


def iter_family(letter: str) -> Iterator[Rule]:
    """One family's rules in code order (importing that family only)."""
    load_family(letter)
    rules = [r for r in _RULES.values() if r.family == letter]
    return iter(sorted(rules, key=lambda r: code_sort_key(r.code)))
