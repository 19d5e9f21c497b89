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
    for info in pkgutil.walk_packages(getattr(root, "__path__", []), prefix=f"{package}."):
        try:
            modules.append(importlib.import_module(info.name))
        except BaseException:  # an optional dependency missing: skip it
            continue
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
            if not value.__module__.startswith(package):
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
