"""kdocs' static JSON Schema against pydantic's runtime ``model_json_schema(by_alias=True)``.

For each package: install it into a cached venv (tests/realenv.py; set ``KDOCS_TEST_CACHE``),
import every module there and ask pydantic for each model's schema
(benchmarks/_schema_runtime_truth.py), build kdocs' schema of the same models from source
(``kdocs.gen.jsonschema``, never importing the package), and compare per field of every
model both know:

  names        the property (serialized) name exists in both
  required     the field is required in both or in neither
  types        primitive types and formats, array items, map values, tuple items, unions
               (order-insensitive) and ``$ref`` targets (by the referenced type's title)
  enums        enum/const values, including those of a referenced Enum
  constraints  minimum/maximum/exclusive bounds, multipleOf, lengths, pattern, uniqueItems

A field agrees when every aspect does; descriptions, titles, defaults and examples are not
compared. Computed fields are left out (pydantic omits them in validation mode).

Usage: python benchmarks/types_schema_accuracy.py [PACKAGE ...] [--show N] [--speed]
A PACKAGE is ``requirement[:import_name]``. ``--speed`` also times the static generation
(OpenAPI document + examples, cold and warm) against pydantic's runtime (import + schema).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kdocs.analysis import Analysis  # noqa: E402
from kdocs.config import parse_config  # noqa: E402
from kdocs.gen.examples import example_files  # noqa: E402
from kdocs.gen.jsonschema import json_schema_documents  # noqa: E402
from kdocs.gen.openapi import openapi_files  # noqa: E402
from kdocs.models.types import TypesModel  # noqa: E402
from kdocs.project import Project  # noqa: E402
from tests.realenv import real_venv  # noqa: E402

DEFAULT = [
    "openapi-pydantic",
    "mcp",
    "ollama",
    "a2a-sdk:a2a",
    "pydantic-settings",
]
TRUTH = Path(__file__).with_name("_schema_runtime_truth.py")
CONSTRAINTS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
)
ASPECTS = ("names", "required", "types", "enums", "constraints")


def runtime_schemas(
    requirement: str, package: str, fresh: bool = False
) -> tuple[dict[str, Any], Path, float]:
    """pydantic's schemas (kept next to the venv, keyed by the truth script's content, so a
    second run of the comparison does not import the package again) and the seconds the
    fresh interpreter took."""
    venv = real_venv([requirement])
    digest = hashlib.sha256(TRUTH.read_bytes()).hexdigest()[:12]
    kept = venv.path / f"schema-truth-{package}-{digest}.json"
    if kept.exists() and not fresh:
        data = json.loads(kept.read_text(encoding="utf-8"))
        return data, venv.site_packages, float(data.get("seconds_total", 0.0))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "truth.json"
        started = time.perf_counter()
        proc = venv.run(str(TRUTH), package, str(out))
        elapsed = time.perf_counter() - started
        if proc.returncode != 0 or not out.exists():
            raise SystemExit(f"runtime truth failed for {package}:\n{proc.stderr[-3000:]}")
        data = json.loads(out.read_text(encoding="utf-8"))
        data["seconds_total"] = elapsed
        kept.write_text(json.dumps(data), encoding="utf-8")
        return data, venv.site_packages, elapsed


def static_model(site_packages: Path, package: str, cache: Path | None = None) -> TypesModel:
    target = site_packages.joinpath(*package.split("."))
    if not target.exists():
        target = site_packages / f"{package}.py"
    data: dict[str, Any] = {"types": {"scope": "all"}}
    if cache is not None:
        data["cache-dir"] = str(cache)
    config = parse_config(data, source=None, prefix="tool.kdocs")
    project = Project(root=site_packages, config=config, walk_roots=(target,))
    analysis = Analysis(project, use_cache=cache is not None)
    model: TypesModel = analysis.model("types")
    return model


# -- projections --------------------------------------------------------------------------


def _title(ref: str, defs: dict[str, Any]) -> str:
    name = ref.rsplit("/", 1)[-1]
    target = defs.get(name)
    if isinstance(target, dict) and isinstance(target.get("title"), str):
        return str(target["title"])
    return name


def shape(schema: Any, defs: dict[str, Any], depth: int = 0) -> Any:
    """Types, formats and references, order-insensitive for unions (nested unions
    flattened). A ``$ref`` to a definition without a title is a ``TypeAliasType`` pydantic
    gave a definition of its own; kdocs expands aliases in place, so it is compared by
    content; other references by the referenced type's title."""
    if not isinstance(schema, dict):
        return schema is not False
    if "$ref" in schema:
        target = defs.get(schema["$ref"].rsplit("/", 1)[-1])
        if isinstance(target, dict) and "title" not in target and depth < 10:
            return shape(target, defs, depth + 1)
        return ("ref", _title(schema["$ref"], defs))
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return shape(schema["allOf"][0], defs, depth)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            flat: set[str] = set()
            for member in schema[key]:
                got = shape(member, defs, depth)
                if isinstance(got, tuple) and got[:1] == ("union",):
                    flat.update(got[1])
                else:
                    flat.add(repr(got))
            members = sorted(flat)
            if len(members) == 1:
                return members[0]
            return ("union", tuple(members))
    out: list[Any] = [("type", json.dumps(schema.get("type"))), ("format", schema.get("format"))]
    if "enum" in schema or "const" in schema:
        out.append(("literal", True))
    if "items" in schema:
        out.append(("items", shape(schema["items"], defs, depth)))
    if "prefixItems" in schema:
        out.append(("prefix", tuple(shape(s, defs, depth) for s in schema["prefixItems"])))
    if schema.get("type") == "object" and "additionalProperties" in schema:
        out.append(("values", shape(schema["additionalProperties"], defs, depth)))
    return tuple(out)


def enums(schema: Any, defs: dict[str, Any], depth: int = 0) -> list[str]:
    found: list[str] = []
    if isinstance(schema, dict) and depth < 6:
        if "enum" in schema:
            found.append(json.dumps(sorted(map(json.dumps, schema["enum"]))))
        if "const" in schema:
            found.append(json.dumps([json.dumps(schema["const"])]))
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = defs.get(ref.rsplit("/", 1)[-1], {})
            if isinstance(target, dict) and "enum" in target:
                found.append(json.dumps(sorted(map(json.dumps, target["enum"]))))
            elif isinstance(target, dict) and "title" not in target:
                found.extend(enums(target, defs, depth + 1))  # a TypeAliasType definition
        for key, value in schema.items():
            if key in ("properties", "$defs", "enum", "const", "default", "examples"):
                continue
            if isinstance(value, dict):
                found.extend(enums(value, defs, depth + 1))
            elif isinstance(value, list):
                for item in value:
                    found.extend(enums(item, defs, depth + 1))
    return sorted(found)


def constraints(schema: Any, path: str = "") -> list[tuple[str, str, Any]]:
    found: list[tuple[str, str, Any]] = []
    if isinstance(schema, dict):
        for key in CONSTRAINTS:
            if key in schema:
                value = schema[key]
                if isinstance(value, int | float) and not isinstance(value, bool):
                    value = float(value)
                found.append((path, key, value))
        for key, value in schema.items():
            if key in ("items", "additionalProperties"):
                found.extend(constraints(value, f"{path}/{key}"))
            elif key in ("anyOf", "oneOf", "prefixItems", "allOf") and isinstance(value, list):
                # Union members are matched by their content, not their position.
                for item in value:
                    found.extend(constraints(item, f"{path}/{key}"))
    return sorted(found, key=repr)


# -- comparison ---------------------------------------------------------------------------


def compare(
    static: dict[str, Any], runtime: dict[str, Any]
) -> tuple[Counter[str], list[tuple[str, str, Any, Any]]]:
    """Counts per aspect (``<aspect>`` agreed, ``<aspect>-total`` compared) and the
    disagreements as ``(aspect, field, static, runtime)``."""
    counts: Counter[str] = Counter()
    diffs: list[tuple[str, str, Any, Any]] = []
    if "$ref" in runtime and "properties" not in runtime:
        # A recursive model: pydantic puts it in $defs and refers to it from the top.
        target = runtime.get("$defs", {}).get(runtime["$ref"].rsplit("/", 1)[-1], {})
        runtime = {**target, "$defs": runtime.get("$defs", {})}
    sdefs, rdefs = static.get("$defs", {}), runtime.get("$defs", {})
    sprops = static.get("properties", {})
    rprops = runtime.get("properties", {})
    srequired, rrequired = set(static.get("required", ())), set(runtime.get("required", ()))
    computed = {k for k, v in sprops.items() if isinstance(v, dict) and v.get("readOnly")}
    for name in set(sprops) - set(rprops) - computed:
        diffs.append(("names", name, "static only", None))
        counts["static-only"] += 1
    for name, rprop in rprops.items():
        counts["fields"] += 1
        counts["names-total"] += 1
        if name not in sprops:
            diffs.append(("names", name, None, "runtime only"))
            continue
        counts["names"] += 1
        sprop = sprops[name]
        results = {
            "required": ((name in srequired), (name in rrequired)),
            "types": (shape(sprop, sdefs), shape(rprop, rdefs)),
            "enums": (enums(sprop, sdefs), enums(rprop, rdefs)),
            "constraints": (constraints(sprop), constraints(rprop)),
        }
        agree = True
        for aspect, (mine, theirs) in results.items():
            counts[f"{aspect}-total"] += 1
            if mine == theirs:
                counts[aspect] += 1
            else:
                agree = False
                diffs.append((aspect, name, sprop, rprop))
        if agree:
            counts["agree"] += 1
    return counts, diffs


def run(requirement: str, package: str, show: int, speed: bool) -> Counter[str]:
    # With --speed, pydantic runs again in this run, so both sides share the machine's load.
    truth, site_packages, runtime_seconds = runtime_schemas(requirement, package, fresh=speed)
    started = time.perf_counter()
    model = static_model(site_packages, package)
    documents, notes = json_schema_documents(model)
    static_seconds = time.perf_counter() - started
    kinds = {f"{t.module}:{t.name}": t.kind for t in model.types}
    totals: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for key, runtime in truth["schemas"].items():
        static = documents.get(key)
        if static is None or kinds.get(key) != "pydantic":
            totals["models-missing"] += 1
            continue
        totals["models"] += 1
        counts, diffs = compare(static, runtime)
        totals.update(counts)
        for aspect, field, mine, theirs in diffs:
            bucket = examples.setdefault(aspect, [])
            if len(bucket) < show:
                bucket.append(
                    f"    {key}.{field}\n      kdocs:    {json.dumps(mine)[:300]}"
                    f"\n      pydantic: {json.dumps(theirs)[:300]}"
                )
    fields = totals["fields"] or 1
    line = [f"{package}: {totals['models']} models ({totals['models-missing']} not compared)"]
    line.append(f"{totals['fields']} fields, agree {totals['agree'] / fields:.4f}")
    for aspect in ASPECTS:
        total = totals[f"{aspect}-total"] or 1
        line.append(f"{aspect} {totals[aspect] / total:.4f}")
    line.append(f"static-only {totals['static-only']}")
    line.append(f"runtime errors {len(truth['errors'])}, unresolved notes {len(notes)}")
    print("; ".join(line), flush=True)
    for aspect, bucket in examples.items():
        print(f"  {aspect}:")
        for text in bucket:
            print(text)
    if speed:
        _speed(site_packages, package, truth, runtime_seconds, static_seconds, model)
    return totals


def _speed(
    site_packages: Path,
    package: str,
    truth: dict[str, Any],
    runtime_seconds: float,
    first_static: float,
    model: TypesModel,
) -> None:
    # The cache must lie inside the project (site-packages here); removed afterwards.
    cache = Path(tempfile.mkdtemp(prefix=".kdocs-schema-speed-", dir=site_packages))
    try:
        timings = []
        for label in ("cold", "warm"):
            started = time.perf_counter()
            m = static_model(site_packages, package, cache)
            openapi_files(m, package, "0")
            example_files(m)
            timings.append((label, time.perf_counter() - started))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    runtime_inner = truth["seconds_import"] + truth["seconds_schema"]
    print(
        f"  speed: {len(model.types)} types; pydantic runtime {runtime_seconds:.2f}s in a fresh "
        f"interpreter (import {truth['seconds_import']:.2f}s + model_json_schema "
        f"{truth['seconds_schema']:.2f}s = {runtime_inner:.2f}s); kdocs "
        + ", ".join(f"{label} {seconds:.2f}s" for label, seconds in timings)
        + f" (OpenAPI + examples); ratio runtime/cold {runtime_seconds / timings[0][1]:.2f}, "
        f"runtime/warm {runtime_seconds / timings[1][1]:.2f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", default=DEFAULT)
    parser.add_argument("--show", type=int, default=3)
    parser.add_argument("--speed", action="store_true")
    args = parser.parse_args()
    grand: Counter[str] = Counter()
    for spec in args.packages:
        requirement, _, package = spec.partition(":")
        package = package or requirement.split("[")[0].split("=")[0].replace("-", "_")
        grand.update(run(requirement, package, args.show, args.speed))
    fields = grand["fields"] or 1
    print(
        f"TOTAL: {grand['models']} models, {grand['fields']} fields, "
        f"agree {grand['agree'] / fields:.4f} ("
        + ", ".join(f"{a} {grand[a] / (grand[f'{a}-total'] or 1):.4f}" for a in ASPECTS)
        + ")"
    )


if __name__ == "__main__":
    main()
