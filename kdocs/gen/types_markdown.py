"""The Markdown type reference: one page per module (or one page for all), from the model.

Per type: its doc, a field table (serialized name with an anchor, the type with links to
the nested types' sections, required, default, description), an enum's values, and its YAML
example. Repository text is escaped with ``md_inline`` (CommonMark backslash escapes, so
the text reads unchanged); the example sits in a code fence longer than any backtick run in
it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from kdocs.gen.examples import example_text, schema_documents
from kdocs.gen.jsonschema import Note, SchemaBuilder, clean_description, type_key
from kdocs.models.types import Field, TypeDef, TypeExpr, TypesModel
from kdocs.templating import markdown_inline, render

TEMPLATE = "gen/types/module.md.j2"
SINGLE_FILE = "types.md"
INDEX_FILE = "index.md"


def anchor(*parts: str) -> str:
    """An HTML id from dotted names: lower-case letters, digits and ``-`` only."""
    return re.sub(r"[^a-z0-9]+", "-", ".".join(parts).lower()).strip("-") or "type"


def page_of(module: str, single: bool) -> str:
    return SINGLE_FILE if single else f"{module}.md"


class _TypeText:
    """Renders a :class:`TypeExpr` as escaped Markdown with links to documented types."""

    def __init__(self, types: dict[str, TypeDef], page: str, single: bool) -> None:
        self.types = types
        self.page = page
        self.single = single

    def link(self, ref: str, label: str) -> str:
        t = self.types[ref]
        target = page_of(t.module, self.single)
        href = ("" if target == self.page else target) + "#" + anchor(t.module, t.name)
        return f"[{markdown_inline(label)}]({href})"

    def render(self, e: TypeExpr | None, fallback: str | None) -> str:
        if e is None:
            return markdown_inline(fallback or "")
        if e.kind == "union":
            return " \\| ".join(self.render(a, None) for a in e.args)
        if e.kind == "literal":
            return markdown_inline(
                "Literal[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in e.values) + "]"
            )
        if e.kind == "unknown":
            return markdown_inline(e.text or "?")
        name = (e.name or "?").removeprefix("typing.")
        head = (
            self.link(e.ref, name.rsplit(".", 1)[-1])
            if e.ref in self.types
            else markdown_inline(name)
        )
        if e.args:
            inner = ", ".join(self.render(a, None) for a in e.args)
            return f"{head}\\[{inner}\\]"
        return head


def _default(f: Field, builder: SchemaBuilder) -> str:
    if f.required:
        return ""
    if f.default_factory is not None:
        return f"{f.default_factory}()"
    known, value = builder.default_value(f)  # Color.RED -> "red", as on the wire
    if known:
        return json.dumps(value, ensure_ascii=False)
    return "" if f.default is None else str(f.default)


def _fence(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _type_context(
    t: TypeDef, text: _TypeText, example: str | None, builder: SchemaBuilder
) -> dict[str, Any]:
    description = clean_description(t.doc) or ""
    context: dict[str, Any] = {
        "name": t.name,
        "anchor": anchor(t.module, t.name),
        "kind_line": f"*{t.kind}* type `{t.module}.{t.name}`",  # identifiers: no backticks
        "paragraphs": [p for p in description.split("\n\n") if p],
        "enum_values": [],
        "rows": [],
        "example": example,
        "fence": _fence(example or ""),
    }
    if t.kind == "enum":
        for m in t.fields:
            value = json.dumps(m.default, ensure_ascii=False) if m.default_literal else m.name
            doc = clean_description(m.doc) or ""
            context["enum_values"].append({"value": value, "doc": doc})
        return context
    for f in t.fields:
        context["rows"].append(
            {
                "anchor": anchor(t.module, t.name, f.serialized_name),
                "name": f.serialized_name,
                "type": text.render(f.type_expr, f.type),
                "required": f.required and not f.computed,
                "default": _default(f, builder),
                "doc": clean_description(f.doc) or "",
            }
        )
    return context


def markdown_files(model: TypesModel, *, single: bool = False) -> tuple[dict[str, str], list[Note]]:
    """``{relative path: Markdown}``: a page per module and an index (or one page)."""
    documents, notes = schema_documents(model)
    builder = SchemaBuilder(model, "jsonschema")
    types = {type_key(t): t for t in model.types}
    modules: dict[str, list[TypeDef]] = {}
    for t in model.types:
        modules.setdefault(t.module, []).append(t)
    files: dict[str, str] = {}
    groups = (
        [("API types", SINGLE_FILE, model.types)]
        if single
        else [(module, page_of(module, False), tuple(ts)) for module, ts in sorted(modules.items())]
    )
    for title, page, members in groups:
        text = _TypeText(types, page, single)
        contexts = []
        for t in members:
            example = None
            if t.kind != "enum":
                example = example_text(documents[type_key(t)], f"{t.module}.{t.name}")
            contexts.append(_type_context(t, text, example, builder))
        files[page] = _tidy(render(TEMPLATE, title=title, intro="", types=contexts))
    if not single:
        lines = ["# API types", ""]
        for module in sorted(modules):
            label = markdown_inline(module)
            lines.append(f"- [{label}]({page_of(module, False)}): {len(modules[module])} type(s)")
        files[INDEX_FILE] = "\n".join(lines) + "\n"
    return files, notes


def _tidy(text: str) -> str:
    """One blank line between blocks, one newline at the end."""
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"
