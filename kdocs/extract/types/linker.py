"""Link per-file facts into :class:`TypesModel`: kinds, inherited fields, serialized names.

A class's kind comes from its decorators (``@dataclass``, ``@define``...) or from its bases,
followed across modules and into installed packages (see :mod:`bases`). Fields are merged
along the bases (base fields first), and the effective config (``model_config`` /
``class Config``) is merged the same way, so an alias generator set on a shared base applies
to every subclass, as it does at runtime.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Mapping
from typing import Any

from kdocs import readlog
from kdocs.extract.types.aliases import KNOWN_FUNCTIONS, apply_style, guess_style
from kdocs.extract.types.bases import GUESS_BY_NAME, ModuleIndex
from kdocs.extract.types.evaluate import compile_generator
from kdocs.extract.types.fields import ClassInfo, build_field, root_field
from kdocs.extract.types.texpr import BUILTINS
from kdocs.extract.types.texpr import link as link_texpr
from kdocs.models.cli import SourceLocation, Unresolved
from kdocs.models.types import TypeDef, TypeExpr

SETTINGS_BASES = frozenset(
    {
        "base:pydantic_settings.BaseSettings",
        "base:pydantic_settings.main.BaseSettings",
        "base:pydantic.BaseSettings",
        "base:pydantic.v1.BaseSettings",
    }
)
_BARE = re.compile(r"'\?([\w.]+)'")
SCALAR_BASES = frozenset({"str", "int", "float", "bytes"})
NO_LOOKUP = frozenset(
    {
        "datetime",
        "uuid",
        "decimal",
        "pathlib",
        "ipaddress",
        "re",
        "enum",
        "typing",
        "typing_extensions",
        "collections",
        "pydantic",
        "pydantic_core",
        "pydantic_extra_types",
        "annotated_types",
        "builtins",
        "types",
        "msgspec",
        "attr",
        "attrs",
        "dataclasses",
    }
)
"""Top-level modules whose names are library types, never classes kdocs reads: looking
them up would only cost time."""

DATACLASS_DECORATORS = frozenset(
    {"dataclasses.dataclass", "pydantic.dataclasses.dataclass", "marshmallow_dataclass.dataclass"}
)
ATTRS_DECORATORS = frozenset(
    {
        "attr.s",
        "attr.attrs",
        "attr.attributes",
        "attr.define",
        "attr.mutable",
        "attr.frozen",
        "attr.dataclass",
        "attrs.define",
        "attrs.mutable",
        "attrs.frozen",
    }
)
NEW_ATTRS = frozenset({"define", "mutable", "frozen"})


class Linker:
    def __init__(
        self,
        index: ModuleIndex,
        known_bases: Mapping[str, str],
        marker: str | None,
    ) -> None:
        self.index = index
        self.known = dict(known_bases)
        self.marker = marker
        self.memo: dict[tuple[str, str], ClassInfo | None] = {}
        self.active: set[tuple[str, str]] = set()
        self.names: dict[tuple[str, str], tuple[str, str | None, bool]] = {}
        self.exprs: dict[tuple[int, str], tuple[dict[str, Any], TypeExpr | None]] = {}
        self.shapes: dict[tuple[str, str, str], TypeExpr | None] = {}
        self.root: str | None = None
        """The project root: a project function read as an alias generator is noted
        (:func:`function_token`) under its file, for :mod:`kdocs.resultreuse`."""

    # -- resolution ----------------------------------------------------------------------

    def resolve_base(
        self, name: str, module_facts: dict[str, Any]
    ) -> tuple[str, ClassInfo | str | None]:
        """``(display name, ClassInfo | root kind | None)`` for a base written in a file."""
        candidates = [name]
        if name.startswith("?"):
            bare = name[1:]
            candidates = [f"{star}.{bare}" for star in module_facts.get("stars", ())]
            if bare in self.known:
                return bare, self.known[bare]
            if not candidates:
                return bare, None
        for candidate in candidates:
            if candidate in self.known:
                return candidate, self.known[candidate]
            found = self.index.lookup(candidate)
            if found is None:
                continue
            what, where, cls = found
            if what == "root":
                return candidate, where
            assert cls is not None
            info = self.info(where, cls)
            qualified = f"{where}.{cls['qualname']}"
            if qualified in self.known:
                return qualified, self.known[qualified]
            return qualified, info
        return name.lstrip("?"), None

    def _decorator_target(self, name: str, depth: int = 0) -> str | None:
        """The type decorator a project/library decorator function applies, if any."""
        module, _, attr = name.rpartition(".")
        facts = self.index.get(module) if module and depth < 5 else None
        if not facts:
            return None
        for wrapped in facts.get("decorator_functions", {}).get(attr, ()):
            if wrapped in DATACLASS_DECORATORS or wrapped in ATTRS_DECORATORS:
                return str(wrapped)
        target = facts.get("aliases", {}).get(attr) or facts.get("imports", {}).get(attr)
        return self._decorator_target(target, depth + 1) if target else None

    def info(self, module: str, cls: dict[str, Any]) -> ClassInfo | None:
        key = (module, cls["qualname"])
        if key in self.memo:
            return self.memo[key]
        if key in self.active:
            return None  # a cycle in the bases (invalid code): stop here
        self.active.add(key)
        try:
            result = self._build(module, cls)
        finally:
            self.active.discard(key)
        self.memo[key] = result
        return result

    def _build(self, module: str, cls: dict[str, Any]) -> ClassInfo:
        facts = self.index.get(module) or {}
        relpath = self.index.relpaths.get(module, "")
        info = ClassInfo(module=module, relpath=relpath, facts=cls, kind=None)
        decorator_kind = None
        for dec in cls.get("decorators", ()):
            name = dec["name"].lstrip("?")
            if name not in DATACLASS_DECORATORS and name not in ATTRS_DECORATORS:
                name = self._decorator_target(name) or name
            last = name.rsplit(".", 1)[-1]
            if name in DATACLASS_DECORATORS or (
                last == "dataclass" and not name.startswith("attr")
            ):
                decorator_kind = "dataclass"
                info.keywords.update(dec.get("kwargs", {}))
            elif name in ATTRS_DECORATORS:
                decorator_kind = "attrs"
                info.keywords.update(dec.get("kwargs", {}))
                info.keywords["_new_api"] = last in NEW_ATTRS
            if self.marker and (name == self.marker or last == self.marker):
                info.markers.add("decorator")
        base_infos: list[ClassInfo] = []
        base_kind = None
        for raw in cls.get("bases", ()):
            display, resolved = self.resolve_base(raw, facts)
            info.bases.append(display)
            if isinstance(resolved, ClassInfo):
                base_infos.append(resolved)
                base_kind = base_kind or resolved.kind
                info.v1 = info.v1 or resolved.v1
                info.markers |= {m for m in resolved.markers if m.startswith("base:")}
            elif isinstance(resolved, str):
                base_kind = base_kind or ("pydantic" if resolved == "pydantic-v1" else resolved)
                info.v1 = info.v1 or resolved == "pydantic-v1"
            elif display.rsplit(".", 1)[-1] in GUESS_BY_NAME and display not in ("Generic",):
                guess = GUESS_BY_NAME[display.rsplit(".", 1)[-1]]
                base_kind = base_kind or guess
                info.notes.append(
                    f"base class `{display}` was not found; assumed to be a {guess} base"
                )
            info.markers.add(f"base:{display}")
        info.kind = decorator_kind or base_kind
        # Merge config and fields from the bases (last base first, like the MRO). pydantic
        # also takes annotated fields of plain (non-model) mixin classes.
        for base in reversed(base_infos):
            if base.kind == info.kind or (info.kind == "pydantic" and base.kind is None):
                info.config.update(base.config)
                for name, record in base.fields.items():
                    if info.kind == "pydantic" and name.startswith("_"):
                        continue
                    info.fields[name] = record
            if info.kind == "msgspec":
                info.keywords.update({k: v for k, v in base.keywords.items() if k == "rename"})
        info.config.update(cls.get("config", {}))
        if info.kind == "msgspec":
            info.keywords.update(cls.get("keywords", {}))
        if info.kind == "typeddict":
            info.keywords["total"] = cls.get("keywords", {}).get("total", True)
        own = self._own_fields(info, cls, decorator_kind is not None)
        if (
            info.kind == "pydantic"
            and "root" not in info.fields
            and any(b.rsplit(".", 1)[-1] == "RootModel" for b in info.bases)
        ):
            info.fields["root"] = root_field(cls, info)
        for record in own:
            if info.kind == "attrs":
                # attrs puts a redefined attribute after the inherited ones; dataclasses,
                # pydantic, TypedDict and msgspec keep the base's position (checked at runtime).
                info.fields.pop(record["name"], None)
            info.fields[record["name"]] = record
        return info

    def _own_fields(
        self, info: ClassInfo, cls: dict[str, Any], decorated: bool
    ) -> list[dict[str, Any]]:
        kind = info.kind
        origin = f"{info.module}.{cls['qualname']}"
        out: list[dict[str, Any]] = []
        if kind == "enum":
            for member in cls.get("members", ()):
                name = member["name"]
                if (name.startswith("_") and name.endswith("_")) or member.get("is_lambda"):
                    continue
                if member.get("is_call") and not member.get("literal"):
                    value = str(member.get("value"))
                    if value.startswith(
                        ("property(", "classmethod(", "staticmethod(", "nonmember(")
                    ):
                        continue
                out.append({**member, "kind": "member", "origin": origin, "relpath": info.relpath})
            return out
        if kind == "dataclass" and not decorated:
            return out  # an undecorated subclass of a dataclass adds no fields
        for record in cls.get("fields", ()):
            flags = set(record.get("flags", ()))
            name = record["name"]
            if "ClassVar" in flags or "KW_ONLY" in flags:
                continue
            if kind == "pydantic" and (name.startswith("_") or name == "model_config"):
                continue
            if kind == "pydantic" and "Final" in flags and record.get("has_value"):
                continue  # pydantic v2 treats `x: Final = value` as a class variable
            if kind == "dataclass" and "InitVar" in flags:
                continue
            call = record.get("call") or {}
            if call.get("func", "").endswith("PrivateAttr"):
                continue
            extra = {"_total": info.keywords.get("total", True)} if kind == "typeddict" else {}
            out.append(
                {
                    **record,
                    **extra,
                    "kind": "field",
                    "origin": origin,
                    "relpath": info.relpath,
                    "module": info.module,
                }
            )
        if kind == "attrs":
            new_api = bool(info.keywords.get("_new_api"))
            auto = info.keywords.get("auto_attribs")
            annotated_attribs = [r for r in out]
            plain = [
                m
                for m in cls.get("members", ())
                if (m.get("call") or {}).get("func", "").rsplit(".", 1)[-1]
                in ("ib", "attrib", "field", "attr")
            ]
            if auto is None:
                auto = new_api and not plain
            if not auto:
                # Only attr.ib()/attrs.field() assignments (annotated or not) are fields.
                annotated_attribs = [r for r in out if r.get("call")]
                for member in plain:
                    annotated_attribs.append(
                        {
                            "name": member["name"],
                            "line": member["line"],
                            "col": member["col"],
                            "type": None,
                            "flags": [],
                            "nullable": False,
                            "container": None,
                            "has_value": True,
                            "value": member.get("value"),
                            "value_literal": False,
                            "value_ellipsis": False,
                            "call": member.get("call"),
                            "meta_call": None,
                            "doc": member.get("doc"),
                            "comment": member.get("comment"),
                            "section_doc": member.get("section_doc"),
                            "kind": "field",
                            "origin": origin,
                            "relpath": info.relpath,
                        }
                    )
                annotated_attribs.sort(key=lambda r: (r["line"], r["col"]))
            out = annotated_attribs
        if kind == "pydantic":
            for comp in cls.get("computed", ()):
                out.append(
                    {
                        "name": comp["name"],
                        "line": comp["line"],
                        "col": comp["col"],
                        "type": comp.get("type"),
                        "texpr": comp.get("texpr"),
                        "module": info.module,
                        "flags": [],
                        "nullable": False,
                        "container": None,
                        "has_value": True,
                        "value": None,
                        "value_literal": False,
                        "value_ellipsis": False,
                        "call": {"alias": comp.get("alias")} if comp.get("alias") else None,
                        "meta_call": None,
                        "doc": comp.get("doc"),
                        "comment": None,
                        "section_doc": None,
                        "kind": "computed",
                        "origin": origin,
                        "relpath": info.relpath,
                    }
                )
        return out

    # -- building the model --------------------------------------------------------------

    def typedef(self, module: str, cls: dict[str, Any], info: ClassInfo) -> TypeDef:
        kind = info.kind or "pydantic"
        notes = list(info.notes)
        generator = self._generator(info.config.get("alias_generator"), notes)
        use_docstrings = bool(info.config.get("use_attribute_docstrings"))
        fields = []
        for record in info.fields.values():
            expr = self.type_expr(record)
            fields.append(
                build_field(kind, info, record, generator, use_docstrings, notes, type_expr=expr)
            )
        relpath = self.index.relpaths.get(module, "")
        return TypeDef(
            module=module,
            name=cls["qualname"],
            kind=kind,
            doc=cls.get("doc"),
            source=SourceLocation(relpath, cls["line"], cls["col"]),
            fields=tuple(fields),
            bases=tuple(info.bases),
            public=not any(
                part.startswith("_") and not part.startswith("__")
                for part in cls["qualname"].split(".")
            ),
            settings=self._settings(info),
            unresolved=tuple(Unresolved(n, relpath, cls["line"]) for n in dict.fromkeys(notes)),
        )

    @staticmethod
    def _settings(info: ClassInfo) -> dict[str, Any] | None:
        """pydantic-settings' environment configuration, for ``BaseSettings`` subclasses."""
        if not (info.markers & SETTINGS_BASES):
            return None
        config = info.config
        return {
            "env_prefix": config.get("env_prefix") or "",
            "env_nested_delimiter": config.get("env_nested_delimiter") or None,
            "case_sensitive": bool(config.get("case_sensitive")),
        }

    # -- type expressions ----------------------------------------------------------------

    def referenced_types(self, types: list[TypeDef], limit: int = 20000) -> list[TypeDef]:
        """The types ``types`` reach through their fields' references that are not in
        ``types`` (installed packages' classes, classes the selection left out)."""
        known = {f"{t.module}:{t.name}" for t in types}
        pending = [ref for t in types for ref in _refs(t)]
        out: list[TypeDef] = []
        while pending and len(out) < limit:
            ref = pending.pop()
            if ref in known:
                continue
            known.add(ref)
            module, _, qualname = ref.partition(":")
            facts = self.index.get(module) or {}
            cls = next((c for c in facts.get("classes", ()) if c["qualname"] == qualname), None)
            if cls is None:
                continue
            info = self.info(module, cls)
            if info is None or info.kind is None:
                continue
            typedef = self.typedef(module, cls, info)
            out.append(typedef)
            pending.extend(_refs(typedef))
        return out

    def type_expr(self, record: dict[str, Any]) -> TypeExpr | None:
        """The field's structured type, names resolved from the declaring module."""
        data = record.get("texpr")
        if data is None:
            return None
        module = str(record.get("module") or "")
        origin = str(record.get("origin") or "")
        # An inherited field's record is shared by every subclass: link it once. The facts
        # (and so the record) live as long as the linker, so id() is stable here.
        key = (id(data), origin)
        found = self.exprs.get(key)
        if found is not None and found[0] is data:
            return found[1]
        # The same annotation links the same way (``Optional[str]`` on many fields). Only
        # bare names (``?Name``: not resolved by the file's imports) depend on where they
        # are written: the module (star imports) and the class (nested classes). Dotted
        # names are looked up, expanded as aliases and read as enum members by their own
        # text alone (``_lookup_name`` keys them so), so such a tree is linked once for
        # the whole project.
        text = repr(data)
        if any(n not in BUILTINS for n in _BARE.findall(text)):
            qualname = origin[len(module) + 1 :] if origin.startswith(f"{module}.") else ""
            shape_key = (module, qualname, text)
        elif "'?" in text:
            shape_key = (module, "", text)  # bare builtins only: as before, per module
        else:
            shape_key = ("", "", text)
        if shape_key in self.shapes:
            expr = self.shapes[shape_key]
        else:
            qualname = origin[len(module) + 1 :] if origin.startswith(f"{module}.") else ""
            expr = link_texpr(data, _Scope(self, module, qualname))
            self.shapes[shape_key] = expr
        self.exprs[key] = (data, expr)
        return expr

    def enum_member(self, raw: str, module: str) -> tuple[bool, Any]:
        """``(True, value)`` of an enum member written ``Color.RED`` (a literal value; an
        ``auto()`` or computed one is not known)."""
        owner, _, member = raw.rpartition(".")
        if owner.startswith("?"):
            owner = f"{module}.{owner[1:]}"
        found = self.index.lookup(owner) if owner else None
        if found is None or found[2] is None:
            return False, None
        for record in found[2].get("members", ()):
            if record.get("name") == member and record.get("literal"):
                return True, record.get("value")
        return False, None

    def type_alias(
        self, raw: str, module: str, depth: int = 0
    ) -> tuple[dict[str, Any], str] | None:
        """The per-file tree of a module-level type alias and the module it is written in."""
        if raw.startswith("?"):
            owner, attr = module, raw[1:]
        else:
            owner, _, attr = raw.rpartition(".")
        facts = self.index.get(owner) if owner else None
        if not facts or depth > 5:
            return None
        found = facts.get("type_aliases", {}).get(attr)
        if isinstance(found, dict):
            return found, owner
        target = facts.get("imports", {}).get(attr) or facts.get("aliases", {}).get(attr)
        if isinstance(target, str) and target != raw:
            return self.type_alias(target, owner, depth + 1)
        return None

    def _lookup_name(
        self, raw: str, module: str, qualname: str = ""
    ) -> tuple[str, str | None, bool]:
        key = (raw, f"{module}:{qualname}" if raw.startswith("?") else "")
        found = self.names.get(key)
        if found is None:
            found = None
            if raw.startswith("?") and qualname:
                # A class nested in the declaring class (or one enclosing it), used by its
                # bare name in an annotation: Python evaluates it in the class's scope.
                parts = qualname.split(".")
                for cut in range(len(parts), 0, -1):
                    prefix = ".".join(parts[:cut])
                    found = self._class_ref(f"{module}.{prefix}.{raw[1:]}")
                    if found is not None:
                        break
            if found is None:
                found = self._find_name(raw, module)
            self.names[key] = found
        return found

    def _find_name(self, raw: str, module: str, depth: int = 0) -> tuple[str, str | None, bool]:
        if raw.startswith("?"):
            bare = raw[1:]
            facts = self.index.get(module) or {}
            for star in facts.get("stars", ()):
                hit = self._class_ref(f"{star}.{bare}")
                if hit is not None:
                    return hit
            return bare, None, False
        if raw.split(".", 1)[0] in NO_LOOKUP:
            return raw, None, True
        hit = self._class_ref(raw)
        if hit is not None:
            return hit
        # A plain alias (``UserId = int``) is followed; anything else (a TypeVar, an alias of a
        # subscripted type, a name from a package that is not installed) stays unresolved.
        module_name, _, attr = raw.rpartition(".")
        target = (self.index.get(module_name) or {}).get("aliases", {}).get(attr)
        if isinstance(target, str) and depth < 5:
            from kdocs.extract.types.texpr import canonical

            return canonical(target, lambda r: self._find_name(r, module_name, depth + 1))
        return raw, None, False

    def _class_ref(self, name: str) -> tuple[str, str | None, bool] | None:
        found = self.index.lookup(name)
        if found is None:
            return None
        what, where, cls = found
        if what == "root" or cls is None:
            return name, None, True
        if where.split(".", 1)[0] in NO_LOOKUP:
            # Followed into a library module (``typing_extensions.Any`` is a class on some
            # Pythons): a library type by its canonical name, not a class to document.
            from kdocs.extract.types.texpr import canonical

            return canonical(f"{where}.{cls['qualname']}", lambda raw: (raw, None, True))
        scalar = self._scalar_base(where, cls)
        if scalar is not None:
            return scalar, None, True
        return f"{where}.{cls['qualname']}", f"{where}:{cls['qualname']}", True

    def _scalar_base(self, module: str, cls: dict[str, Any]) -> str | None:
        """``str`` for a plain class deriving from ``str`` (``class Token(str)``): on the
        wire it is that builtin (an enum or a model deriving from one is not)."""
        info = self.info(module, cls)
        if info is None or info.kind is not None:
            return None
        for base in cls.get("bases", ()):
            bare = str(base).removeprefix("?").removeprefix("builtins.")
            if bare in SCALAR_BASES:
                return bare
        return None

    def _generator(
        self, spec: dict[str, Any] | None, notes: list[str]
    ) -> Callable[[str], str] | None:
        """The effective alias generator as a function of the field name, or ``None``."""
        if not spec or spec.get("none"):
            return None
        ref = spec.get("serialization_alias") or spec.get("alias") or spec.get("ref")
        if not ref and spec.get("expr"):
            run = compile_generator(str(spec["expr"]), spec.get("calls") or {})
            if run is not None:
                return self._guarded(run, None, str(spec["expr"]), notes)
            notes.append(f"alias generator `{spec['expr']}` cannot be evaluated statically")
            return None
        if not ref:
            return None
        ref = str(ref).lstrip("?")
        if ref in KNOWN_FUNCTIONS:
            style = KNOWN_FUNCTIONS[ref]
            return lambda name: apply_style(style, name)
        mod, _, name = ref.rpartition(".")
        facts = self.index.get(mod) or {}
        function = facts.get("functions", {}).get(name)
        relpath = self.index.relpaths.get(mod)
        if relpath is not None and self.root is not None:
            # The per-file digest leaves the functions out (Provider.digest_excluded): the
            # check depends on this one's text (or its absence) through this token.
            readlog.note(os.path.join(self.root, relpath), function_token(name, function))
        guess = guess_style(ref)
        if isinstance(function, dict):
            run = compile_generator(function.get("source", ""), function.get("calls") or {})
            if run is not None:
                return self._guarded(run, guess, ref, notes)
        if guess:
            notes.append(f"alias generator `{ref}` assumed to produce {guess} names")
            style = guess
            return lambda field: apply_style(style, field)
        notes.append(f"alias generator `{ref}` is not a known function")
        return None

    @staticmethod
    def _guarded(
        run: Callable[[str], str | None], guess: str | None, what: str, notes: list[str]
    ) -> Callable[[str], str]:
        """Evaluate a generator; where it cannot be, use the guessed style (with a note)."""

        def generate(name: str) -> str:
            result = run(name)
            if result is not None:
                return result
            message = f"alias generator `{what}` could not be evaluated for `{name}`"
            if guess:
                notes.append(f"{message}; assumed {guess}")
                return apply_style(guess, name)
            notes.append(message)
            return name

        return generate


FUNCTION_TOKEN = "types-fn:"
"""The prefix of a project function's token in :mod:`kdocs.readlog` (see
:func:`function_token`)."""


def function_token(name: str, function: Any) -> str:
    """The token of module-level function ``name`` of a file's types facts, as the link used
    it (``function`` is its facts entry, ``None`` when the file has none)."""
    text = json.dumps(function, sort_keys=True, separators=(",", ":"), default=repr)
    digest = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f"{FUNCTION_TOKEN}{name}:{digest}"


def _refs(t: TypeDef) -> list[str]:
    out: list[str] = []
    stack = [f.type_expr for f in t.fields if f.type_expr is not None]
    while stack:
        expr = stack.pop()
        if expr.ref:
            out.append(expr.ref)
        stack.extend(expr.args)
    return out


class _Scope:
    """Name lookup and alias expansion for the type trees written in one module."""

    def __init__(self, linker: Linker, module: str, qualname: str = "") -> None:
        self.linker = linker
        self.module = module
        self.qualname = qualname

    def lookup(self, raw: str) -> tuple[str, str | None, bool]:
        return self.linker._lookup_name(raw, self.module, self.qualname)

    def member(self, raw: str) -> tuple[bool, Any]:
        return self.linker.enum_member(raw, self.module)

    def expand(self, raw: str) -> tuple[dict[str, Any], _Scope] | None:
        found = self.linker.type_alias(raw, self.module)
        if found is None:
            return None
        return found[0], _Scope(self.linker, found[1])
