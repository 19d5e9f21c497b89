"""Environment variables of pydantic-settings ``BaseSettings`` classes: a Markdown table and
a ``.env.example`` file, like settings-doc, but from source.

The variable name follows pydantic-settings: ``env_prefix`` + the field name, or the field's
``alias``/``validation_alias`` as written (no prefix); nested models are listed under
``env_nested_delimiter`` when one is set; names are shown upper-case unless the class is
``case_sensitive`` (matching is case-insensitive then, and upper case is the convention).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from kdocs.gen.examples import comment_text
from kdocs.gen.jsonschema import clean_description, type_key
from kdocs.models.types import Field, TypeDef, TypeExpr, TypesModel
from kdocs.templating import markdown_inline

SETTINGS_MARKDOWN = "settings.md"
ENV_EXAMPLE = ".env.example"
MAX_NESTING = 4


@dataclass(frozen=True)
class EnvVar:
    """One environment variable a settings class reads."""

    name: str
    settings: str
    field: str
    type: str
    required: bool
    default: str
    description: str
    literal: bool = True
    """literal is false when default is source text (``Db()``), not a value to set."""


def _alias(f: Field) -> str | None:
    for key in ("validation_alias", "alias"):
        value = f.constraints.get(key)
        if isinstance(value, str):
            return value
    return None


def _default_text(f: Field) -> str:
    if f.required:
        return ""
    if f.default_factory is not None:
        return f"{f.default_factory}()"
    if not f.default_literal:
        return "" if f.default is None else str(f.default)
    if isinstance(f.default, str):
        return f.default
    if isinstance(f.default, bool):
        return "true" if f.default else "false"
    if f.default is None:
        return ""
    return json.dumps(f.default)


def _model_ref(expr: TypeExpr | None, types: dict[str, TypeDef]) -> TypeDef | None:
    if expr is None:
        return None
    if expr.kind == "union":
        refs = [a for a in expr.args if not (a.kind == "name" and a.name == "None")]
        return _model_ref(refs[0], types) if len(refs) == 1 else None
    t = types.get(expr.ref or "")
    return t if t is not None and t.kind != "enum" else None


@dataclass(frozen=True)
class _Env:
    """One settings class's environment configuration."""

    settings: str
    prefix: str
    delimiter: str | None
    upper: bool


def env_vars(model: TypesModel) -> list[EnvVar]:
    """Every variable of every settings class, in class then field order."""
    types = {type_key(t): t for t in model.types}
    out: list[EnvVar] = []
    for t in model.types:
        if t.settings is None:
            continue
        delimiter = t.settings.get("env_nested_delimiter")
        env = _Env(
            settings=f"{t.module}.{t.name}",
            prefix=str(t.settings.get("env_prefix") or ""),
            delimiter=delimiter if isinstance(delimiter, str) and delimiter else None,
            upper=not t.settings.get("case_sensitive"),
        )
        _walk(env, types, t, None, "", 0, out)
    return out


def _walk(
    env: _Env,
    types: dict[str, TypeDef],
    owner: TypeDef,
    base: str | None,
    path: str,
    depth: int,
    out: list[EnvVar],
) -> None:
    for f in owner.fields:
        if f.computed:
            continue
        alias = _alias(f) if base is None else None
        name = alias if alias else f"{base if base is not None else env.prefix}{f.name}"
        out.append(
            EnvVar(
                name=name.upper() if env.upper else name,
                settings=env.settings,
                field=f"{path}{f.name}",
                type=f.type or "",
                required=f.required,
                default=_default_text(f),
                description=clean_description(f.doc) or "",
                literal=f.required or f.default_literal,
            )
        )
        nested = _model_ref(f.type_expr, types)
        if nested is not None and env.delimiter and depth < MAX_NESTING:
            _walk(env, types, nested, f"{name}{env.delimiter}", f"{path}{f.name}.", depth + 1, out)


def markdown(variables: list[EnvVar]) -> str:
    lines = [
        "# Environment variables",
        "",
        "| Variable | Settings | Type | Required | Default | Description |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for v in variables:
        cells = [
            markdown_inline(v.name),
            markdown_inline(f"{v.settings}.{v.field}"),
            markdown_inline(v.type),
            "yes" if v.required else "no",
            markdown_inline(v.default),
            markdown_inline(v.description),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


_PLAIN_VALUE = re.compile(r"^[A-Za-z0-9_./:@+,-]*$")


def env_value(text: str) -> str:
    """A value as dotenv reads it back: plain when safe, else double-quoted with escapes."""
    if _PLAIN_VALUE.match(text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped.replace("\r", "\\r") + '"'


_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def env_example(variables: list[EnvVar]) -> str:
    lines: list[str] = []
    current = None
    for v in variables:
        if v.settings != current:
            if lines:
                lines.append("")
            lines.append(f"# {comment_text(v.settings)}")
            current = v.settings
        for part in v.description.split("\n") if v.description else []:
            lines.append(f"# {comment_text(part)}".rstrip())
        if v.required:
            lines.append("# Required.")
        if not _ENV_NAME.match(v.name):
            lines.append(f"# {comment_text(v.name)}={comment_text(v.default)}")
            lines.append("# (not a portable variable name: set it in the environment)")
            continue
        if not v.literal:
            lines.append(f"# Default: {comment_text(v.default)}")
            lines.append(f"# {v.name}=")
            continue
        lines.append(f"{v.name}={env_value(v.default)}")
    return "\n".join(lines) + "\n"


def settings_files(model: TypesModel) -> dict[str, str]:
    """``settings.md`` and ``.env.example`` when the project has settings classes."""
    variables = env_vars(model)
    if not variables:
        return {}
    return {SETTINGS_MARKDOWN: markdown(variables), ENV_EXAMPLE: env_example(variables)}
