"""Accuracy of static type extraction against the runtime, on real PyPI packages.

For each package: install it into a cached venv (tests/realenv.py), import every module in
that venv (benchmarks/_types_runtime_truth.py) to get the runtime's view of every type class
(pydantic ``model_fields`` — the names ``model_json_schema(by_alias=True)`` uses —,
``dataclasses.fields``, ``attrs.fields``, TypedDict required keys, Enum members...), run
``Analysis(project).model("types")`` over the installed package's source (never importing it),
and score:

  types R/P     classes found statically / found at runtime (modules that import only)
  fields R/P    (type, field) pairs on the types found by both
  serialized    serialized-name accuracy on matched fields
  required      required-flag accuracy on matched fields
  descr         description match on matched pydantic fields (whitespace-normalised)

Usage: /work/venv/bin/python benchmarks/types_accuracy.py [PACKAGE ...] [--show N]
A PACKAGE is ``requirement[:import_name]`` (e.g. ``mistralai`` or ``PyYAML:yaml``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kdocs.analysis import Analysis  # noqa: E402
from kdocs.config import parse_config  # noqa: E402
from kdocs.project import Project  # noqa: E402
from tests.realenv import real_venv  # noqa: E402

DEFAULT = [
    "openai",
    "anthropic",
    "mistralai",
    "google-genai:google.genai",
    "pydantic-ai-slim:pydantic_ai",
    "langchain-core:langchain_core",
    "fastapi",
    "mcp",
    "a2a-sdk:a2a",
    "openapi-pydantic",
    "pydantic-settings",
    "sqlmodel",
    "ollama",
    "cohere",
    "groq",
    "huggingface_hub",  # dataclasses
    "lsprotocol",  # attrs
]
TRUTH = Path(__file__).with_name("_types_runtime_truth.py")


def runtime_truth(requirement: str, package: str) -> tuple[Any, Path]:
    venv = real_venv([requirement])
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "truth.json"
        proc = venv.run(str(TRUTH), package, str(out))
        if proc.returncode != 0 or not out.exists():
            raise SystemExit(f"runtime truth failed for {package}:\n{proc.stderr[-3000:]}")
        return json.loads(out.read_text(encoding="utf-8")), venv.site_packages


def static_types(site_packages: Path, package: str) -> dict[str, Any]:
    target = site_packages.joinpath(*package.split("."))
    if not target.exists():
        target = site_packages / f"{package}.py"
    # The installed package is the project; site-packages is its root so module names
    # keep the package prefix (also for namespace packages without __init__.py).
    # Extraction accuracy covers every type kdocs recognises, not only the serialised API.
    config = parse_config({"types": {"scope": "all"}}, source=None, prefix="tool.kdocs")
    project = Project(root=site_packages, config=config, walk_roots=(target,))
    model = Analysis(project, use_cache=False).model("types")
    return {f"{t.module}.{t.name}": t for t in model.types}


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def score(truth: dict[str, Any], static: dict[str, Any], show: int) -> dict[str, Any]:
    failed = {name for name, _ in truth["failed_modules"]}
    runtime = {k: v for k, v in truth["types"].items() if v["kind"] != "error"}
    static_ok = {k: v for k, v in static.items() if v.module not in failed}
    _match_reexports(runtime, static_ok)
    both = sorted(set(runtime) & set(static_ok))
    missing = sorted(set(runtime) - set(static_ok))
    extra = sorted(set(static_ok) - set(runtime))
    n_rt_fields = n_st_fields = n_match = ser_ok = req_ok = 0
    desc_total = desc_ok = 0
    problems: list[str] = []
    for key in both:
        rt_fields = {f["name"]: f for f in runtime[key]["fields"]}
        st_fields = {f.name: f for f in static_ok[key].fields if not f.computed}
        n_rt_fields += len(rt_fields)
        n_st_fields += len(st_fields)
        for name in rt_fields.keys() - st_fields.keys():
            problems.append(f"missing field {key}.{name}")
        for name in st_fields.keys() - rt_fields.keys():
            problems.append(f"extra field {key}.{name}")
        for name in rt_fields.keys() & st_fields.keys():
            n_match += 1
            rt, st = rt_fields[name], st_fields[name]
            if rt["serialized_name"] == st.serialized_name:
                ser_ok += 1
            else:
                problems.append(
                    f"serialized {key}.{name}: runtime {rt['serialized_name']!r} "
                    f"static {st.serialized_name!r}"
                )
            if rt["required"] == st.required:
                req_ok += 1
            else:
                problems.append(
                    f"required {key}.{name}: runtime {rt['required']} static {st.required}"
                )
            if runtime[key]["kind"] == "pydantic" and (rt["description"] or st.description):
                desc_total += 1
                if _norm(rt["description"]) == _norm(st.description):
                    desc_ok += 1
                else:
                    problems.append(
                        f"description {key}.{name}: runtime {_norm(rt['description'])[:60]!r} "
                        f"static {_norm(st.description)[:60]!r}"
                    )
    type_r = len(both) / len(runtime) if runtime else 1.0
    type_p = len(both) / len(static_ok) if static_ok else 1.0
    field_r = n_match / n_rt_fields if n_rt_fields else 1.0
    field_p = n_match / n_st_fields if n_st_fields else 1.0
    if show:
        for key in missing[:show]:
            print(f"  missing type {key} ({runtime[key]['kind']})")
        for key in extra[:show]:
            print(f"  extra type {key} ({static_ok[key].kind})")
        for line in problems[:show]:
            print(f"  {line}")
    return {
        "types": len(runtime),
        "type_r": type_r,
        "type_p": type_p,
        "type_f1": _f1(type_r, type_p),
        "fields": n_rt_fields,
        "field_r": field_r,
        "field_p": field_p,
        "field_f1": _f1(field_r, field_p),
        "serialized": ser_ok / n_match if n_match else 1.0,
        "required": req_ok / n_match if n_match else 1.0,
        "descr": desc_ok / desc_total if desc_total else 1.0,
        "descr_n": desc_total,
        "failed_modules": len(failed),
    }


def _match_reexports(runtime: dict[str, Any], static: dict[str, Any]) -> None:
    """Some packages rewrite ``__module__`` of re-exported classes (``openai.BaseModel``):
    pair such a runtime key with the one unmatched static type of that name below it."""
    unmatched_static = set(static) - set(runtime)
    for key in sorted(set(runtime) - set(static)):
        module, _, name = key.rpartition(".")
        candidates = [
            s
            for s in unmatched_static
            if s.startswith(module + ".") and s.endswith("." + name) and static[s].name == name
        ]
        if len(candidates) == 1:
            static[key] = static.pop(candidates[0])
            unmatched_static.discard(candidates[0])


def _f1(r: float, p: float) -> float:
    return 2 * r * p / (r + p) if r + p else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", default=DEFAULT)
    parser.add_argument("--show", type=int, default=0, help="print N mismatches per package")
    args = parser.parse_args()
    header = (
        f"{'package':<18}{'types':>6}{'typeR':>7}{'typeP':>7}{'typeF1':>7}{'fields':>7}"
        f"{'fldR':>7}{'fldP':>7}{'fldF1':>7}{'serial':>7}{'reqd':>7}{'descr':>7}{'(n)':>6}"
        f"{'secs':>6}"
    )
    rows = []
    for spec in args.packages:
        requirement, _, package = spec.partition(":")
        package = package or requirement.split("[")[0].split("=")[0].replace("-", "_")
        truth, site = runtime_truth(requirement, package)
        start = time.perf_counter()
        static = static_types(site, package)
        elapsed = time.perf_counter() - start
        if args.show:
            print(f"== {package}")
        rows.append((package, score(truth, static, args.show), elapsed))
    print(header)
    totals: dict[str, float] = {}
    for package, s, elapsed in rows:
        print(
            f"{package:<18}{s['types']:>6}{s['type_r']:>7.3f}{s['type_p']:>7.3f}"
            f"{s['type_f1']:>7.3f}{s['fields']:>7}{s['field_r']:>7.3f}{s['field_p']:>7.3f}"
            f"{s['field_f1']:>7.3f}{s['serialized']:>7.3f}{s['required']:>7.3f}"
            f"{s['descr']:>7.3f}{s['descr_n']:>6}{elapsed:>6.1f}"
        )
        for key in ("type_f1", "field_f1", "serialized", "required", "descr"):
            totals[key] = totals.get(key, 0.0) + s[key]
    if rows:
        n = len(rows)
        print("mean: " + "  ".join(f"{k}={v / n:.3f}" for k, v in totals.items()))


if __name__ == "__main__":
    main()
