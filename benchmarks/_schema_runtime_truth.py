"""Ground truth for benchmarks/types_schema_accuracy.py. Run INSIDE the target venv.

Usage: python _schema_runtime_truth.py PACKAGE OUT.json [--time]

Imports every module of PACKAGE and writes, for every pydantic v2 model class defined there
(not runtime parametrisations of generics), ``model_json_schema(by_alias=True)`` keyed by
``module:qualname``. Models whose schema cannot be generated are listed with the error.
With ``--time`` it also records how long the imports and the schema generation took.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import time
import warnings

warnings.simplefilter("ignore")


def main() -> None:
    package, out = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    import pydantic

    root = importlib.import_module(package)
    modules = [root]
    pending = [root]
    while pending:  # pkgutil.walk_packages would die on a package that exits on import
        parent = pending.pop()
        for info in pkgutil.iter_modules(getattr(parent, "__path__", []), f"{parent.__name__}."):
            try:
                module = importlib.import_module(info.name)
            except BaseException:  # an optional dependency missing (or sys.exit): skip it
                continue
            modules.append(module)
            if info.ispkg:
                pending.append(module)
    imported = time.perf_counter()
    seen: set[int] = set()
    schemas: dict[str, object] = {}
    errors: dict[str, str] = {}
    for module in modules:
        for value in list(vars(module).values()):
            if not isinstance(value, type) or id(value) in seen:
                continue
            seen.add(id(value))
            if not issubclass(value, pydantic.BaseModel) or value is pydantic.BaseModel:
                continue
            if value.__module__ != package and not value.__module__.startswith(f"{package}."):
                continue
            meta = getattr(value, "__pydantic_generic_metadata__", None) or {}
            if meta.get("origin") is not None:
                continue
            key = f"{value.__module__}:{value.__qualname__}"
            try:
                schemas[key] = value.model_json_schema(by_alias=True)
            except Exception as err:  # reported, not fatal
                errors[key] = f"{type(err).__name__}: {err}"[:300]
    done = time.perf_counter()
    result = {
        "schemas": schemas,
        "errors": errors,
        "seconds_import": imported - start,
        "seconds_schema": done - imported,
    }
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle)


if __name__ == "__main__":
    main()
