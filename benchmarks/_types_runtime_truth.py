"""Ground truth for benchmarks/types_accuracy.py and tests/test_extract_types.py.

Run INSIDE the target venv.

Imports every module of one package and writes, as JSON to the file named by its second
argument (usage: `python _types_runtime_truth.py PACKAGE OUT.json`), every type class defined there
(pydantic v1/v2 models, dataclasses, attrs classes, TypedDicts, NamedTuples, msgspec Structs,
Enums) with the runtime's own view of its fields: pydantic's ``model_fields`` (the names
``model_json_schema(by_alias=True)`` uses), ``dataclasses.fields``, ``attrs.fields``, ...
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import json
import re
import sys
import typing
import warnings
from pathlib import Path

warnings.simplefilter("ignore")


def _opt(name: str):  # type: ignore[no-untyped-def]
    try:
        return importlib.import_module(name)
    except Exception:
        return None


pydantic = _opt("pydantic")
pydantic_v1 = _opt("pydantic.v1")
attrs = _opt("attrs")
msgspec = _opt("msgspec")
typing_extensions = _opt("typing_extensions")


QUALIFIER = re.compile(r"^(?:[A-Za-z_]+\.)?(Not)?Required\[")


def is_typeddict(cls: type) -> bool:
    if typing.is_typeddict(cls):
        return True
    return bool(typing_extensions and typing_extensions.is_typeddict(cls))


def describe(cls: type) -> dict | None:  # type: ignore[type-arg]
    fields: list[dict] = []  # type: ignore[type-arg]
    if pydantic is not None and isinstance(cls, type) and issubclass(cls, pydantic.BaseModel):
        meta = getattr(cls, "__pydantic_generic_metadata__", None) or {}
        if meta.get("origin") is not None:
            return None  # a runtime parametrisation, not a class statement
        for name, f in cls.model_fields.items():
            fields.append(
                {
                    "name": name,
                    "serialized_name": f.serialization_alias or f.alias or name,
                    "required": f.is_required(),
                    "description": f.description,
                }
            )
        kind = "pydantic"
    elif (
        pydantic_v1 is not None and isinstance(cls, type) and issubclass(cls, pydantic_v1.BaseModel)
    ):
        for name, f in cls.__fields__.items():
            fields.append(
                {
                    "name": name,
                    "serialized_name": f.alias or name,
                    "required": bool(f.required),
                    "description": f.field_info.description,
                }
            )
        kind = "pydantic"
    elif attrs is not None and attrs.has(cls):
        for a in attrs.fields(cls):
            fields.append(
                {
                    "name": a.name,
                    "serialized_name": getattr(a, "alias", None) or a.name.lstrip("_"),
                    "required": a.default is attrs.NOTHING,
                    "description": None,
                }
            )
        kind = "attrs"
    elif dataclasses.is_dataclass(cls):
        for f in dataclasses.fields(cls):
            fields.append(
                {
                    "name": f.name,
                    "serialized_name": f.name,
                    "required": f.default is dataclasses.MISSING
                    and f.default_factory is dataclasses.MISSING,
                    "description": None,
                }
            )
        kind = "dataclass"
    elif msgspec is not None and isinstance(cls, type) and issubclass(cls, msgspec.Struct):
        for f in msgspec.structs.fields(cls):
            fields.append(
                {
                    "name": f.name,
                    "serialized_name": f.encode_name,
                    "required": f.required,
                    "description": None,
                }
            )
        kind = "msgspec"
    elif is_typeddict(cls):
        required = set(getattr(cls, "__required_keys__", frozenset()))
        for name, annotation in getattr(cls, "__annotations__", {}).items():
            # Python 3.11's typing ignores Required/NotRequired written as strings (PEP 563,
            # `from __future__ import annotations`); type checkers and pydantic honour them.
            text = getattr(annotation, "__forward_arg__", annotation)
            if isinstance(text, str):
                match = QUALIFIER.match(text.strip())
                if match:
                    (required.discard if match.group(1) else required.add)(name)
            fields.append(
                {
                    "name": name,
                    "serialized_name": name,
                    "required": name in required,
                    "description": None,
                }
            )
        kind = "typeddict"
    elif (
        isinstance(cls, type)
        and issubclass(cls, tuple)
        and hasattr(cls, "_fields")
        and hasattr(cls, "__annotations__")
    ):
        defaults = getattr(cls, "_field_defaults", {})
        for name in cls._fields:
            fields.append(
                {
                    "name": name,
                    "serialized_name": name,
                    "required": name not in defaults,
                    "description": None,
                }
            )
        kind = "namedtuple"
    elif isinstance(cls, type) and issubclass(cls, enum.Enum):
        for name, member in cls.__members__.items():
            value = member.value
            fields.append(
                {
                    "name": name,
                    "serialized_name": value if isinstance(value, str) else name,
                    "required": False,
                    "description": None,
                }
            )
        kind = "enum"
    else:
        return None
    return {"kind": kind, "fields": fields}


ROOTS: list[str] = []


def _defined_under(cls: type, roots: list[str]) -> bool:
    """False for a class re-exported with a rewritten ``__module__`` (``openai.Timeout`` is
    httpx's): any function defined in its body tells where its source lives."""
    for value in list(vars(cls).values()):
        code = getattr(getattr(value, "__func__", value), "__code__", None)
        qualname = getattr(code, "co_qualname", "")
        if code is not None and qualname.startswith(cls.__qualname__ + "."):
            return any(code.co_filename.startswith(r) for r in roots)
    return True


def walk(module: object, modname: str, owner: object, prefix: str, out: dict) -> None:  # type: ignore[type-arg]
    for attr, value in list(vars(owner).items()):
        if not isinstance(value, type) or getattr(value, "__module__", None) != modname:
            continue
        qualname = getattr(value, "__qualname__", "")
        if "<locals>" in qualname or qualname != f"{prefix}{attr}":
            continue
        key = f"{modname}.{qualname}"
        if key in out or not _defined_under(value, ROOTS):
            continue
        try:
            info = describe(value)
        except Exception as err:
            info = {"kind": "error", "fields": [], "error": repr(err)}
        if info is not None:
            out[key] = info
        walk(module, modname, value, f"{qualname}.", out)


def main() -> None:
    package = sys.argv[1]
    root = importlib.import_module(package)
    out: dict = {}  # type: ignore[type-arg]
    names = [package]
    ROOTS.extend(str(Path(p)) for p in getattr(root, "__path__", ()))
    if not ROOTS and getattr(root, "__file__", None):
        ROOTS.append(str(root.__file__))
    for base in getattr(root, "__path__", ()):
        top = Path(base)
        for path in sorted(top.rglob("*.py")):
            rel = path.relative_to(top).with_suffix("").parts
            if rel and rel[-1] == "__init__":
                rel = rel[:-1]
            if rel and all(part.isidentifier() for part in rel):
                names.append(".".join((package, *rel)))
    failed = []
    for name in names:
        try:
            module = importlib.import_module(name)
        except BaseException as err:
            failed.append([name, repr(err)[:200]])
            continue
        walk(module, name, module, "", out)
    with open(sys.argv[2], "w", encoding="utf-8") as handle:  # stdout may carry prints
        json.dump({"types": out, "failed_modules": failed}, handle)


if __name__ == "__main__":
    main()
