"""Which types are the documented API: the serialised ones and what they reach.

An API type is one that goes over the wire: pydantic models, msgspec structs and TypedDicts
(the roots), plus the dataclasses, attrs classes, enums and NamedTuples reachable from a root
through field types, recursively. Configured ``base-classes``/``decorator`` (or ``modules``)
replace the default roots; ``scope = "all"`` makes every recognised type an API type
(extraction tests, dataclass-only libraries). Private classes (``_Name``) and test, fixture,
docs, example and template code are never API types: rules on them would be noise nobody
asked for.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kdocs.extract.types.fields import ClassInfo
from kdocs.models.types import TypeDef
from kdocs.scope import is_out_of_scope

SERIALISED_KINDS = ("pydantic", "msgspec", "typeddict")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


def filtered(
    typedef: TypeDef, settings: Mapping[str, Any], scoped: dict[str, bool] | None = None
) -> bool:
    """Whether a type may be an API type at all (kinds, module globs, privacy, test code).

    ``scoped`` memoises the test-code answer per file (many types share a file; the
    gitignore-style match is most of this function's cost)."""
    kinds = settings.get("kinds")
    if kinds and typedef.kind not in kinds:
        return False
    modules = settings.get("modules") or ()
    if modules and not any(fnmatch.fnmatchcase(typedef.module, g) for g in modules):
        return False
    excluded = settings.get("exclude-modules") or ()
    if any(fnmatch.fnmatchcase(typedef.module, g) for g in excluded):
        return False
    if settings.get("scope") == "all":
        return True
    if any(p.startswith("_") and not p.startswith("__") for p in typedef.name.split(".")):
        return False
    if typedef.source is None:
        return True
    file = typedef.source.file
    if scoped is not None:
        found = scoped.get(file)
        if found is None:
            found = scoped[file] = not is_out_of_scope(file, settings.get("test-paths"))
        return found
    return not is_out_of_scope(file, settings.get("test-paths"))


def root_reason(typedef: TypeDef, info: ClassInfo, settings: Mapping[str, Any]) -> str | None:
    """Why a type is an API type by itself (``None``: only if a root reaches it)."""
    base_filter = settings.get("base-classes") or ()
    marker = settings.get("decorator")
    if settings.get("scope") == "all" and not (base_filter or marker):
        return "scope = all"
    if base_filter or marker:
        if marker and "decorator" in info.markers:
            return f"decorated with `{marker}`"
        bases = [m[5:] for m in info.markers if m.startswith("base:")]
        for base in bases:
            for wanted in base_filter:
                if base == wanted or ("." not in wanted and base.rsplit(".", 1)[-1] == wanted):
                    return f"derives from `{wanted}`"
        return None
    if settings.get("modules"):
        return "in a configured module"
    if typedef.kind in SERIALISED_KINDS:
        return f"{typedef.kind} type"
    return None


def _referenced(text: str | None) -> list[str]:
    return _NAME.findall(text or "")


class _Names:
    """Resolves a name written in a field's annotation to a candidate type."""

    def __init__(self, types: Sequence[TypeDef], imports: Mapping[str, Mapping[str, str]]):
        self.qualified = {f"{t.module}.{t.name}": t for t in types}
        self.imports = imports
        # (name, modules) -> what the modules' imports and own classes give: the same names
        # recur in every field of a module (a hundred and sixty thousand lookups on a
        # generated API client).
        self.by_modules: dict[tuple[str, tuple[str, ...]], TypeDef | None] = {}

    def resolve(
        self, name: str, modules: tuple[str, ...], enclosing: Iterable[str] = ()
    ) -> TypeDef | None:
        key = (name, modules)
        if key in self.by_modules:
            found = self.by_modules[key]
        else:
            found = self.by_modules[key] = self._in_modules(name, modules)
        if found is not None:
            return found
        for owner in enclosing:  # a class nested in the field's class (or its parents)
            found = self.qualified.get(f"{owner}.{name}")
            if found is not None:
                return found
        # Fully qualified in the annotation; never by bare name across modules: another
        # module's class of the same name is not this one (a type alias may shadow it).
        return self.qualified.get(name)

    def _in_modules(self, name: str, modules: tuple[str, ...]) -> TypeDef | None:
        head, _, rest = name.partition(".")
        for module in modules:
            target = self.imports.get(module, {}).get(head)
            if target is not None:
                found = self.qualified.get(f"{target}.{rest}" if rest else target)
                if found is not None:
                    return found
            found = self.qualified.get(f"{module}.{name}")
            if found is not None:
                return found
        return None


def select_api(
    candidates: Sequence[tuple[TypeDef, ClassInfo]],
    settings: Mapping[str, Any],
    imports: Mapping[str, Mapping[str, str]],
) -> list[TypeDef]:
    """The API types among ``candidates``: the roots and every type their fields reach."""
    scoped: dict[str, bool] = {}
    types = [t for t, _ in candidates if filtered(t, settings, scoped)]
    infos = {id(t): info for t, info in candidates}
    names = _Names(types, imports)
    reason: dict[str, str] = {}
    queue: list[TypeDef] = []
    for t in types:
        why = root_reason(t, infos[id(t)], settings)
        if why is not None:
            reason[f"{t.module}.{t.name}"] = why
            queue.append(t)
    referenced: dict[str | None, list[str]] = {}
    while queue:
        t = queue.pop()
        parts = t.name.split(".")
        owners = [".".join([t.module, *parts[:i]]) for i in range(len(parts), 0, -1)]
        own = f"{t.module}.{t.name}"
        for f in t.fields:
            if f.origin and f.origin != own:
                where: tuple[str, ...] = (t.module, f.origin.rsplit(".", 1)[0])
            else:
                where = (t.module,)
            names_used = referenced.get(f.type)
            if names_used is None:
                names_used = referenced[f.type] = _referenced(f.type)
            for name in names_used:
                found = names.resolve(name, where, owners)
                if found is None:
                    continue
                key = f"{found.module}.{found.name}"
                if key not in reason:
                    reason[key] = f"used by `{t.module}.{t.name}.{f.name}`"
                    queue.append(found)
    out = []
    for t in types:
        why = reason.get(f"{t.module}.{t.name}")
        if why is not None:
            out.append(_with_reason(t, why))
    return out


def _with_reason(typedef: TypeDef, why: str) -> TypeDef:
    """``dataclasses.replace(typedef, api_reason=why)`` without re-running ``__init__`` (a
    frozen dataclass's sets each of its eleven fields through ``object.__setattr__``: a
    tenth of the selection's time on sixteen thousand types)."""
    if typedef.api_reason == why:
        return typedef
    copy = object.__new__(TypeDef)
    copy.__dict__.update(typedef.__dict__)
    copy.__dict__["api_reason"] = why
    return copy
