"""Family F: API type and field conventions (the Python counterpart of Kubernetes'
fieldnamedocs_check, the API conventions and sigs.k8s.io/kube-api-linter).

Every rule reads the ``types`` model only. Findings point at the field (or type, or enum
member) where it is declared; an inherited field is reported once, on the class that declares
it. Rules that encode Kubernetes' API conventions rather than Python's
(`is_` booleans, units, plurals, `Time` suffixes, no maps or floats...) belong to the
``kubernetes`` convention profile: on under ``convention = "kubernetes"``, else off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import kdocs.extract.types  # noqa: F401  (registers the [tool.kdocs.types] settings)
from kdocs.config import expect_choice, expect_str_list
from kdocs.extract.types.aliases import to_camel, to_pascal
from kdocs.models.diagnostics import Diagnostic
from kdocs.models.types import Field, TypeDef, TypesModel
from kdocs.rules.registry import RuleContext, RuleOption, rule
from kdocs.rules.types.prose import (
    doc_sentence,
    says_optional,
    says_required,
    starts_with_literal,
)
from kdocs.rules.types.wire_style import (
    STYLE_NAMES,
    WireStyle,
    generator_unknown,
    infer,
    is_rename,
    style_of,
)

NEEDS = ("types",)
API_CONVENTIONS = (
    "<https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/"
    "api-conventions.md>"
)
KAL = "<https://github.com/kubernetes-sigs/kube-api-linter>"
WIRE_KINDS = ("pydantic", "dataclass", "attrs", "typeddict", "msgspec", "namedtuple")

DEFAULT_ACRONYMS = (
    "ACL",
    "API",
    "CIDR",
    "CPU",
    "CSV",
    "DNS",
    "GPU",
    "HTML",
    "HTTP",
    "HTTPS",
    "ID",
    "IP",
    "JSON",
    "JWT",
    "SQL",
    "SSH",
    "TCP",
    "TLS",
    "TTL",
    "UDP",
    "UID",
    "URI",
    "URL",
    "UUID",
    "XML",
    "YAML",
)

STYLE = RuleOption(
    "serialized-style",
    expect_choice("infer", "camel", "snake", "as-is"),
    "infer",
    "The wire style of serialized names: `infer` (from the project's aliases and alias "
    'generators; camelCase under `convention = "kubernetes"`), `camel`, `snake`, or '
    "`as-is` (no style check).",
    "infer | camel | snake | as-is",
)
ACRONYMS = RuleOption(
    "acronyms",
    expect_str_list,
    DEFAULT_ACRONYMS,
    "Acronyms written all upper case inside camelCase names (all lower case at the start).",
    "list of strings",
)

_WORD = re.compile(r"[A-Z]{2,}s(?![a-z])|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_CAMEL = re.compile(r"^[a-z][a-z0-9]*(?:[A-Z][A-Za-z0-9]*)*$")
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_PY_SNAKE = re.compile(r"^_*[a-z][a-z0-9]*(?:_[a-z0-9]+)*_?$")
_UPPER_SNAKE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")
_PASCAL = re.compile(r"^[A-Z][a-zA-Z0-9]*$")


def words(name: str) -> list[str]:
    """``podIPs`` -> ``["pod", "IPs"]``; ``retry_after_ms`` -> ``["retry", "after", "ms"]``."""
    return _WORD.findall(name)


# -- shared iteration --------------------------------------------------------------------


def _types(ctx: RuleContext, kinds: Sequence[str] = WIRE_KINDS) -> Iterator[TypeDef]:
    model: TypesModel = ctx.model("types")
    for typedef in model.types:
        if typedef.public and typedef.kind in kinds and typedef.source is not None:
            yield typedef


def _own(typedef: TypeDef, *, computed: bool = False) -> Iterator[Field]:
    """Fields declared on this class (inherited ones are reported on their own class)."""
    me = f"{typedef.module}.{typedef.name}"
    for f in typedef.fields:
        if f.source is None or (f.origin is not None and f.origin != me):
            continue
        if f.computed and not computed:
            continue
        yield f


def wire_style(ctx: RuleContext) -> WireStyle:
    """The style F110/F112/F113 check against (see :mod:`.wire_style`)."""
    model: TypesModel = ctx.model("types")
    convention = ctx.analysis.project.config.convention
    return infer(model.types, ctx.options["serialized-style"], convention)


def _subject(typedef: TypeDef, f: Field | None = None) -> str:
    base = f"{typedef.module}.{typedef.name}"
    return f"{base}.{f.name}" if f is not None else base


def _at(
    code: str, message: str, typedef: TypeDef, f: Field | None = None, **extra: Any
) -> Diagnostic:
    source = f.source if f is not None and f.source is not None else typedef.source
    assert source is not None
    name = f.name if f is not None else typedef.name.rsplit(".", 1)[-1]
    column = source.column
    if f is None:
        column = source.column + len("class ")
    return Diagnostic(
        code,
        message,
        source.file,
        source.line,
        column,
        end_line=source.line,
        end_column=column + len(name),
        subject=_subject(typedef, f),
        **extra,
    )


def _label(typedef: TypeDef, f: Field) -> str:
    shown = f.name if f.name == f.serialized_name else f"{f.name}` (`{f.serialized_name}`"
    return f"`{typedef.name}.{shown}`" if "(" not in shown else f"`{typedef.name}.{shown})"


# -- docs ----------------------------------------------------------------------------------


@rule(
    code="F101",
    name="field-doc-uses-serialized-name",
    summary="Field docs name sibling fields by their serialized (wire) name.",
    rationale=f"""
Users of an API read the docs next to the JSON they write, so a doc must name fields the way
the wire format does. Kubernetes' `fieldnamedocs_check` fails the build when a field comment
mentions a field by its Go name instead of its JSON name ({API_CONVENTIONS}). kdocs does the
same for Python API types: a doc that mentions `pod_ip` when the serialized name is `podIP`
is flagged, with the name to use. Only names that cannot be ordinary words are checked: ones
with an underscore or written in backticks.
""",
    bad='''
class PodStatus(Base):  # alias_generator=to_camel
    pod_ip: str
    """IP of the pod; empty until host_ip is known."""
    host_ip: str
''',
    good='''
class PodStatus(Base):  # alias_generator=to_camel
    pod_ip: str
    """IP of the pod; empty until hostIp is known."""
    host_ip: str
''',
    severity="warning",
    needs=NEEDS,
)
def check_doc_names(ctx: RuleContext) -> Iterator[Diagnostic]:
    for typedef in _types(ctx):
        renamed = {f.name: f.serialized_name for f in typedef.fields if f.name != f.serialized_name}
        if not renamed:
            continue
        patterns = {
            name: re.compile(
                rf"(?<![\w.]){re.escape(name)}(?!\w)"
                if "_" in name.strip("_")
                else rf"`{re.escape(name)}`"
            )
            for name in renamed
        }
        for f in _own(typedef):
            if not f.doc:
                continue
            found = [name for name, pattern in patterns.items() if pattern.search(f.doc)]
            if found:  # one finding per field, however many names it mentions
                listed = ", ".join(f"`{n}` (use `{renamed[n]}`)" for n in found)
                plural = "s" if len(found) > 1 else ""
                yield _at(
                    "F101",
                    f"doc of {_label(typedef, f)} names field{plural} by Python name: {listed}",
                    typedef,
                    f,
                )


DOC_STYLE = RuleOption(
    "doc-style",
    expect_choice("name-or-sentence", "name", "sentence"),
    "name-or-sentence",
    "How a field doc starts: with the field's serialized name (`name`, Kubernetes' "
    "commentstart), as a sentence (capitalised, ending with a period: `sentence`), or "
    "either (`name-or-sentence`: the name or a capital letter; no final period needed).",
    "name-or-sentence | name | sentence",
)


def _starts_sentence(doc: str, first: str) -> bool:
    """Whether the doc's first paragraph ``first`` (:func:`doc_sentence`) starts a sentence."""
    return bool(first) and (first[0].isupper() or first[0].isdigit() or starts_with_literal(doc))


def _is_sentence(doc: str, first: str) -> bool:
    return _starts_sentence(doc, first) and first.rstrip().endswith((".", "!", "?", ":", ")"))


def _starts_with_name(first: str, name: str) -> bool:
    word = first.split(None, 1)[0] if first else ""
    return word.strip("`'\",:.") == name


def _doc_starts_well(doc: str, name: str, style: str) -> bool:
    """Whether a field doc starts as ``doc-style`` asks (its first paragraph read once)."""
    first = doc_sentence(doc)
    if style == "sentence":
        return _is_sentence(doc, first)
    named = _starts_with_name(first, name)
    return named if style == "name" else named or _starts_sentence(doc, first)


@rule(
    code="F102",
    name="field-doc-start",
    summary="A field doc starts with the field's serialized name, or is a sentence.",
    rationale=f"""
Kubernetes requires every field comment to start with the field's JSON name (kube-api-linter
`commentstart`, {KAL}), so generated reference docs read "`podIP` is the IP address..." and a
renamed field whose doc was not updated stands out. Many Python projects prefer plain
sentences instead. `doc-style` picks: `name`, `sentence`, or either (the default, which
asks for the name or a capital letter and leaves the final period alone: descriptions in
`Field(description=...)` often have none). Markup is read as text (reST roles such as a
`:class:` reference, inline literals, emphasis, Markdown links and code) and
`.. versionadded::`/`.. note::` blocks are not part of the sentence.
""",
    bad='''
class Probe(Base):
    timeout_seconds: int = 1
    """number of seconds after which the probe times out"""
''',
    good='''
class Probe(Base):
    timeout_seconds: int = 1
    """timeoutSeconds is the number of seconds after which the probe times out."""
''',
    options=[DOC_STYLE],
    severity="warning",
    needs=NEEDS,
)
def check_doc_start(ctx: RuleContext) -> Iterator[Diagnostic]:
    style = ctx.options["doc-style"]
    for typedef in _types(ctx):
        for f in _own(typedef):
            if not f.doc:
                continue
            if _doc_starts_well(f.doc, f.serialized_name, style):
                continue
            want = {
                "name": f"start with its serialized name `{f.serialized_name}`",
                "sentence": "be a sentence (capitalised, ending with a period)",
                "name-or-sentence": f"start with `{f.serialized_name}` or a capital letter",
            }[style]
            yield _at("F102", f"doc of {_label(typedef, f)} should {want}", typedef, f)


@rule(
    code="F103",
    convention="kubernetes",
    name="type-missing-doc",
    summary="Every public API type has a docstring.",
    rationale=f"""
The type's docstring becomes the description of its schema in generated reference docs and
OpenAPI (Kubernetes' genswaggertypedocs); an undocumented type is a hole in the API reference.
Kubernetes requires a comment on every API type ({API_CONVENTIONS}).

Part of the `kubernetes` convention (on 14 real Python projects most undocumented types were
self-explanatory); select it, or set `convention = "kubernetes"`, to require docstrings.
""",
    bad="""
class PodSpec(BaseModel):
    node_name: str | None = None
""",
    good='''
class PodSpec(BaseModel):
    """PodSpec is the desired state of a pod."""

    node_name: str | None = None
''',
    severity="warning",
    needs=NEEDS,
)
def check_type_doc(ctx: RuleContext) -> Iterator[Diagnostic]:
    for typedef in _types(ctx, (*WIRE_KINDS, "enum")):
        if not typedef.doc:
            yield _at("F103", f"type `{typedef.name}` has no docstring", typedef)


@rule(
    code="F104",
    convention="kubernetes",
    name="field-missing-doc",
    summary="Every field of a public API type is documented.",
    rationale=f"""
Every field of a Kubernetes API type carries a comment that becomes its API documentation
({API_CONVENTIONS}). kdocs reads, in this order: the attribute docstring (the string right
after the field), `#:` comments, `Field(description=...)`, and the class docstring's
`Attributes:`/`Args:` section; a field with none of them is flagged.

Part of the `kubernetes` convention (on 14 real Python projects most undocumented fields were
self-explanatory, such as `id` or `email`); select it, or set `convention = "kubernetes"`,
to require them.
""",
    bad="""
class PodSpec(BaseModel):
    \"\"\"PodSpec is the desired state of a pod.\"\"\"

    node_name: str | None = None
""",
    good='''
class PodSpec(BaseModel):
    """PodSpec is the desired state of a pod."""

    node_name: str | None = None
    """nodeName schedules the pod onto this node."""
''',
    severity="warning",
    needs=NEEDS,
)
def check_field_doc(ctx: RuleContext) -> Iterator[Diagnostic]:
    for typedef in _types(ctx):
        for f in _own(typedef):
            if not f.doc:
                yield _at("F104", f"field {_label(typedef, f)} has no doc", typedef, f)


# -- names ---------------------------------------------------------------------------------


def _style_ok(style: str, name: str) -> bool:
    if style == "camel":
        return bool(_CAMEL.match(name))
    if style == "snake":
        return bool(_SNAKE.match(name))
    if style == "pascal":
        return bool(_PASCAL.match(name))
    return True


@rule(
    code="F110",
    name="serialized-name-style",
    summary="Serialized field names follow the project's wire style (no odd one out).",
    rationale=f"""
One API should use one naming style on the wire: mixed `podIP` and `host_ip` in the same
payload make clients guess. kdocs reads the style from the project itself: with no alias,
alias generator or rename anywhere, the wire names are the Python names and nothing is
checked; once the project renames fields, the style of at least 80% of its multi-word
serialized names is the project's style and a name spelled another way is flagged, with the
count in the message (a model that forgot the project's `alias_generator`). A name written
for the field (`Field(alias="mediaType")`) is taken as deliberate: it usually spells an
external API's key. Set
`serialized-style` to `camel` or `snake` to enforce one style on every name, or `as-is` to
skip the check. Under `convention = "kubernetes"` the style is camelCase ("JSON field names
must be camelCase", {API_CONVENTIONS}; kube-api-linter `jsontags`).
""",
    bad="""
class Pod(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel)
    node_name: str  # "nodeName"
    host_network: bool  # "hostNetwork"
    restart_policy: str  # "restartPolicy"
    service_account: str  # "serviceAccount"

class PodStatus(BaseModel):
    host_ip: str  # "host_ip": the only snake_case name
""",
    good="""
class PodStatus(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel)
    host_ip: str  # "hostIp"
""",
    options=[STYLE],
    severity="warning",
    needs=NEEDS,
)
def check_serialized_style(ctx: RuleContext) -> Iterator[Diagnostic]:
    wire = wire_style(ctx)
    if wire.style is None:
        return
    for typedef in _types(ctx):
        if generator_unknown(typedef):
            continue  # its serialized names are not known (an unresolved note says so)
        for f in _own(typedef, computed=True):
            if not wire.inferred:
                wrong = not _style_ok(wire.style, f.serialized_name)
            elif f.name_source == "alias":
                continue  # written for this field: an external API's spelling, on purpose
            else:
                got = style_of(f.serialized_name)
                wrong = got is not None and got != wire.style
            if wrong:
                yield _at(
                    "F110",
                    f"serialized name `{f.serialized_name}` of `{typedef.name}.{f.name}` "
                    f"is not {STYLE_NAMES[wire.style]} ({wire.evidence})",
                    typedef,
                    f,
                )


@rule(
    code="F111",
    name="python-field-name-snake-case",
    summary="Python attribute names of API types are snake_case (PEP 8).",
    rationale="""
PEP 8 names attributes in snake_case; the wire name is the serializer's business (an alias or
an alias generator). A camelCase attribute leaks the wire format into Python code and breaks
alias generators, which expect snake_case input. TypedDict keys are the wire names
themselves and are not checked here. In the `kubernetes` convention only: many Python
projects spell a mirrored wire format's names directly as attributes (`requestBodies` in
OpenAPI models), on purpose.
""",
    bad="""
class PodStatus(BaseModel):
    podIP: str
""",
    good="""
class PodStatus(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel)
    pod_ip: str = Field(alias="podIP")
""",
    severity="warning",
    needs=NEEDS,
    convention="kubernetes",
)
def check_python_names(ctx: RuleContext) -> Iterator[Diagnostic]:
    kinds = ("pydantic", "dataclass", "attrs", "msgspec", "namedtuple")
    for typedef in _types(ctx, kinds):
        for f in _own(typedef, computed=True):
            if not _PY_SNAKE.match(f.name):
                yield _at(
                    "F111", f"field name `{typedef.name}.{f.name}` is not snake_case", typedef, f
                )


ALLOWED_RENAMES = RuleOption(
    "allowed-renames",
    expect_str_list,
    (),
    "Fields allowed a serialized name that is not their converted Python name: `field` or "
    "`Type.field` (Python names).",
    "list of strings",
)


def expected_name(style: str | None, name: str) -> str:
    base = name[:-1] if name.endswith("_") and not name.endswith("__") else name
    if style == "camel":
        return to_camel(base)
    if style == "pascal":
        return to_pascal(base)
    return base


@rule(
    code="F112",
    name="unexpected-rename",
    summary="An alias spells the field's own name (no surprise renames).",
    rationale=f"""
Kubernetes: "other than capitalization of the initial letter, the two [Go and JSON names]
should almost always match" ({API_CONVENTIONS}). An alias that renames a field
(`Field(alias="target")` on `destination`) means code and wire disagree on what the field
is called, which confuses readers of either. Only fields with an alias, rename or
generated name are checked, and only for a different word: a restyled name
(`host_ip` -> `hostIP`, F110's business), a trailing-underscore escape of a keyword
(`type_` -> `type`) and acronym casing are fine. List deliberate renames in
`allowed-renames`.
""",
    bad="""
class Route(BaseModel):
    destination: str = Field(alias="target")
""",
    good="""
class Route(BaseModel):
    target: str
""",
    options=[STYLE, ALLOWED_RENAMES],
    severity="warning",
    needs=NEEDS,
)
def check_renames(ctx: RuleContext) -> Iterator[Diagnostic]:
    style = wire_style(ctx).style
    allowed = set(ctx.options["allowed-renames"])
    for typedef in _types(ctx, ("pydantic", "attrs", "msgspec")):
        for f in _own(typedef, computed=True):
            if f.name in allowed or f"{typedef.name}.{f.name}" in allowed:
                continue
            if f.serialized_name == f.name or not is_rename(f.name, f.serialized_name):
                continue  # not renamed, or the same words restyled (F110's business)
            wanted = expected_name(style, f.name)
            if typedef.kind == "attrs" and f.serialized_name == f.name.lstrip("_"):
                continue
            yield _at(
                "F112",
                f"`{typedef.name}.{f.name}` is serialized as `{f.serialized_name}`, "
                f"expected `{wanted}`",
                typedef,
                f,
            )


def acronym_fix(name: str, acronyms: Sequence[str]) -> str | None:
    """The name with acronyms cased (``podIp`` -> ``podIP``), or ``None`` if it is fine."""
    upper = {a.upper() for a in acronyms}
    out: list[str] = []
    changed = False
    for index, word in enumerate(words(name)):
        plural = len(word) > 2 and word.endswith("s") and word[:-1].upper() in upper
        base = word[:-1] if plural else word
        if base.upper() in upper and base.upper() != base.lower():
            wanted = base.lower() if index == 0 else base.upper()
            if base != wanted:
                changed = True
            word = wanted + ("s" if plural else "")
        out.append(word)
    if not changed or "".join(out).lower() != name.replace("_", "").lower():
        return None
    return "".join(out)


@rule(
    code="F113",
    name="acronym-case",
    summary="Acronyms in camelCase serialized names are cased consistently (`podIP`, `httpGet`).",
    rationale=f"""
Kubernetes keeps acronyms in one case: all upper inside a name (`podIP`, `hostURL`) and all
lower at its start (`httpGet`, `apiVersion`) ({API_CONVENTIONS}). `podIp` next to `hostIP`
makes clients guess. The acronyms are configurable (`acronyms`). Only checked for
`serialized-style = "camel"`.
""",
    bad="""
class PodStatus(BaseModel):
    pod_ip: str = Field(alias="podIp")
""",
    good="""
class PodStatus(BaseModel):
    pod_ip: str = Field(alias="podIP")
""",
    options=[STYLE, ACRONYMS],
    severity="warning",
    needs=NEEDS,
    convention="kubernetes",
)
def check_acronyms(ctx: RuleContext) -> Iterator[Diagnostic]:
    if wire_style(ctx).style != "camel":
        return
    for typedef in _types(ctx):
        for f in _own(typedef, computed=True):
            if "_" in f.serialized_name or "-" in f.serialized_name:
                continue  # not camelCase at all: F110's finding
            fixed = acronym_fix(f.serialized_name, ctx.options["acronyms"])
            if fixed:
                yield _at(
                    "F113",
                    f"acronym casing in `{f.serialized_name}` (`{typedef.name}.{f.name}`): "
                    f"use `{fixed}`",
                    typedef,
                    f,
                )


BOOL_PREFIXES = RuleOption(
    "bool-prefixes",
    expect_str_list,
    ("is", "has"),
    "Prefixes boolean serialized names must not start with.",
    "list of strings",
)


def _is_bool(f: Field) -> bool:
    return (f.type or "").replace(" | None", "") in ("bool", "StrictBool")


@rule(
    code="F114",
    name="bool-prefix",
    summary="Boolean fields are not prefixed with `is`/`has` in serialized names.",
    rationale=f"""
Kubernetes: a boolean property called "fooable" is named `fooable`, not `isFooable`
({API_CONVENTIONS}). The prefix adds nothing on the wire (the value is already true or
false) and makes names inconsistent. The prefixes are configurable (`bool-prefixes`).
""",
    bad="""
class Volume(BaseModel):
    is_read_only: bool = False
""",
    good="""
class Volume(BaseModel):
    read_only: bool = False
""",
    options=[BOOL_PREFIXES],
    severity="warning",
    needs=NEEDS,
    convention="kubernetes",
)
def check_bool_prefix(ctx: RuleContext) -> Iterator[Diagnostic]:
    prefixes = {p.lower() for p in ctx.options["bool-prefixes"]}
    for typedef in _types(ctx):
        for f in _own(typedef):
            parts = words(f.serialized_name)
            if _is_bool(f) and len(parts) > 1 and parts[0].lower() in prefixes:
                yield _at(
                    "F114",
                    f"boolean `{f.serialized_name}` (`{typedef.name}.{f.name}`) should not "
                    f"start with `{parts[0]}`",
                    typedef,
                    f,
                )


# -- units, times, references --------------------------------------------------------------

DURATION_WORDS = RuleOption(
    "duration-words",
    expect_str_list,
    ("timeout", "delay", "interval", "duration", "period", "ttl", "age", "backoff", "grace"),
    "Words that name a duration: a numeric field whose name ends with one needs a unit.",
    "list of strings",
)
SIZE_WORDS = RuleOption(
    "size-words",
    expect_str_list,
    ("size", "length", "capacity", "memory"),
    "Words that name a size: a numeric field whose name ends with one needs a unit.",
    "list of strings",
)


def _is_number(f: Field) -> bool:
    return (f.type or "").replace(" | None", "") in (
        "int",
        "float",
        "StrictInt",
        "StrictFloat",
        "PositiveInt",
        "NonNegativeInt",
        "PositiveFloat",
        "NonNegativeFloat",
        "int | float",
    )


@rule(
    code="F120",
    name="unit-in-name",
    summary="Numeric durations and sizes carry their unit in the name (`timeoutSeconds`).",
    rationale=f"""
A bare `timeout: int` does not say whether it counts seconds or milliseconds, and clients
get it wrong. Kubernetes names durations and quantities with their unit: `timeoutSeconds`,
`periodSeconds`, `terminationGracePeriodSeconds`, `sizeBytes` ({API_CONVENTIONS}). Fields
typed `timedelta` are not flagged.
""",
    bad="""
class Probe(BaseModel):
    timeout: int = 1
""",
    good="""
class Probe(BaseModel):
    timeout_seconds: int = 1
""",
    options=[DURATION_WORDS, SIZE_WORDS],
    severity="warning",
    needs=NEEDS,
    convention="kubernetes",
)
def check_units(ctx: RuleContext) -> Iterator[Diagnostic]:
    durations = {w.lower() for w in ctx.options["duration-words"]}
    sizes = {w.lower() for w in ctx.options["size-words"]}
    for typedef in _types(ctx):
        for f in _own(typedef):
            parts = words(f.serialized_name)
            if not parts or not _is_number(f):
                continue
            last = parts[-1].lower()
            unit = "Seconds" if last in durations else "Bytes" if last in sizes else None
            if unit:
                yield _at(
                    "F120",
                    f"`{f.serialized_name}` (`{typedef.name}.{f.name}`) is a number without "
                    f"a unit: name it like `{f.serialized_name}{unit}`",
                    typedef,
                    f,
                )


@rule(
    code="F121",
    name="time-not-timestamp",
    summary="A field for when something happens is named `somethingTime`, not `...Timestamp`.",
    rationale=f"""
Kubernetes names points in time `fooTime` (`startTime`, `lastTransitionTime`); kube-api-linter's
`notimestamp` flags `Timestamp` in field names ({KAL}). One suffix for one concept keeps an
API predictable.
""",
    bad="""
class Event(BaseModel):
    created_timestamp: datetime
""",
    good="""
class Event(BaseModel):
    created_time: datetime
""",
    severity="warning",
    needs=NEEDS,
    convention="kubernetes",
)
def check_timestamp(ctx: RuleContext) -> Iterator[Diagnostic]:
    for typedef in _types(ctx):
        for f in _own(typedef):
            parts = words(f.serialized_name)
            if not parts or _is_bool(f):
                continue  # `wordTimestamps: bool` switches a feature, it is not a time
            last = parts[-1].lower()
            if last in ("timestamp", "stamp", "timestamps"):
                stem = f.serialized_name[: len(f.serialized_name) - len(parts[-1])]
                if last == "stamp" and stem.lower().endswith("time"):
                    stem = stem[:-4]
                suggestion = f"{stem}Time" if stem else "time"
                yield _at(
                    "F121",
                    f"`{f.serialized_name}` (`{typedef.name}.{f.name}`) names a time: use "
                    f"`{suggestion}`",
                    typedef,
                    f,
                )


@rule(
    code="F122",
    name="reference-name",
    summary="References are named `fooName` or `fooRef`/`fooRefs`, not `fooReference`.",
    rationale=f"""
Kubernetes names a reference to another object `fooName` (by name) or `fooRef` (a structured
reference), and lists of them `fooRefs` ({API_CONVENTIONS}). `fooReference` and
`fooReferences` are spelled out inconsistently across an API.
""",
    bad="""
class Binding(BaseModel):
    role_reference: RoleRef
""",
    good="""
class Binding(BaseModel):
    role_ref: RoleRef
""",
    severity="warning",
    needs=NEEDS,
    convention="kubernetes",
)
def check_reference(ctx: RuleContext) -> Iterator[Diagnostic]:
    for typedef in _types(ctx):
        for f in _own(typedef):
            parts = words(f.serialized_name)
            if len(parts) < 2 or parts[-1].lower() not in ("reference", "references"):
                continue
            stem = f.serialized_name[: len(f.serialized_name) - len(parts[-1])]
            suffix = "Refs" if parts[-1].lower().endswith("s") else "Ref"
            if "_" in f.serialized_name:
                suffix = suffix.lower()
            yield _at(
                "F122",
                f"`{f.serialized_name}` (`{typedef.name}.{f.name}`): name references "
                f"`{stem}{suffix}` or `{stem}Name`",
                typedef,
                f,
            )


# -- collections, numbers ------------------------------------------------------------------

UNCOUNTABLE = RuleOption(
    "plural-exceptions",
    expect_str_list,
    (
        "data",
        "metadata",
        "info",
        "information",
        "status",
        "spec",
        "config",
        "media",
        "news",
        "series",
        "history",
        "content",
        "input",
        "output",
        "feedback",
        "evidence",
        "equipment",
        "software",
        "hardware",
        "traffic",
        "staff",
        "stdin",
        "stdout",
        "stderr",
    ),
    "Last words of list field names that need no plural.",
    "list of strings",
)


def _plural(word: str) -> bool:
    lowered = word.lower()
    return lowered.endswith(("s", "es", "ies", "ren", "ices", "ata", "eople", "ia"))


@rule(
    code="F130",
    name="list-field-plural",
    summary="List and set fields have plural names (`containers`, not `container`).",
    rationale=f"""
Kubernetes names list fields in the plural (`containers`, `volumeMounts`,
`imagePullSecrets`) ({API_CONVENTIONS}): the name tells a client to send an array. Words that
have no plural are listed in `plural-exceptions`.
""",
    bad="""
class PodSpec(BaseModel):
    container: list[Container]
""",
    good="""
class PodSpec(BaseModel):
    containers: list[Container]
""",
    options=[UNCOUNTABLE],
    severity="warning",
    needs=NEEDS,
    convention="kubernetes",
)
def check_plural(ctx: RuleContext) -> Iterator[Diagnostic]:
    exceptions = {w.lower() for w in ctx.options["plural-exceptions"]}
    for typedef in _types(ctx):
        for f in _own(typedef):
            if f.container not in ("list", "set"):
                continue
            parts = words(f.serialized_name)
            if not parts:
                continue
            last = parts[-1]
            if _plural(last) or last.lower() in exceptions or last.isdigit():
                continue
            yield _at(
                "F130",
                f"list field `{f.serialized_name}` (`{typedef.name}.{f.name}`) should have a "
                "plural name",
                typedef,
                f,
            )


@rule(
    code="F131",
    name="no-maps",
    summary="Map (dict) fields: prefer a list of named objects.",
    rationale=f"""
Kubernetes prefers lists of named subobjects over maps of subobjects: lists have a
stable order, can be merged by key and documented as a type ({API_CONVENTIONS};
kube-api-linter `nomaps`). Only suits Kubernetes-style APIs, hence on under the `kubernetes`
convention only; labels and annotations style `dict[str, str]` are the usual exception.
""",
    bad="""
class PodSpec(BaseModel):
    containers: dict[str, Container]
""",
    good="""
class PodSpec(BaseModel):
    containers: list[Container]  # each Container has a `name`
""",
    severity="warning",
    needs=NEEDS,
    convention="kubernetes",
)
def check_maps(ctx: RuleContext) -> Iterator[Diagnostic]:
    for typedef in _types(ctx):
        for f in _own(typedef):
            if f.container == "dict" and (f.type or "").replace(" ", "") not in (
                "dict[str,str]",
                "dict[str,str]|None",
            ):
                yield _at(
                    "F131",
                    f"map field `{f.serialized_name}` (`{typedef.name}.{f.name}`): prefer a "
                    "list of named objects",
                    typedef,
                    f,
                )


@rule(
    code="F132",
    name="no-floats",
    summary="Float fields: use integers or decimal strings.",
    rationale=f"""
Floating-point values do not round-trip reliably across languages and encoders, so
Kubernetes APIs avoid them and use integers or resource quantities (strings)
({API_CONVENTIONS}; kube-api-linter `nofloats`). Only suits Kubernetes-style APIs, hence on
under the `kubernetes` convention only.
""",
    bad="""
class Limits(BaseModel):
    cpu: float
""",
    good="""
class Limits(BaseModel):
    cpu_millis: int
""",
    severity="warning",
    needs=NEEDS,
    convention="kubernetes",
)
def check_floats(ctx: RuleContext) -> Iterator[Diagnostic]:
    pattern = re.compile(r"\b(float|StrictFloat|PositiveFloat|NonNegativeFloat)\b")
    for typedef in _types(ctx):
        for f in _own(typedef):
            if pattern.search(f.type or ""):
                yield _at(
                    "F132",
                    f"float field `{f.serialized_name}` (`{typedef.name}.{f.name}`)",
                    typedef,
                    f,
                )


# -- enums ---------------------------------------------------------------------------------

ENUM_STYLE = RuleOption(
    "enum-style",
    expect_choice("consistent", "UPPER_SNAKE", "CamelCase"),
    "consistent",
    "Enum member names: `UPPER_SNAKE`, `CamelCase`, or `consistent` (one style per enum).",
    "consistent | UPPER_SNAKE | CamelCase",
)


def _member_style(name: str) -> str | None:
    if _UPPER_SNAKE.match(name):
        return "UPPER_SNAKE"
    if _PASCAL.match(name):
        return "CamelCase"
    return None


@rule(
    code="F140",
    name="enum-member-style",
    summary="Enum members are named consistently (UPPER_SNAKE or CamelCase).",
    rationale=f"""
Enum values are part of the API: Kubernetes spells them CamelCase (`Always`, `IfNotPresent`)
({API_CONVENTIONS}), Python code usually UPPER_SNAKE (PEP 8 constants). Either works; mixing
them in one enum does not. `enum-style` fixes one style or (default) asks for consistency
within each enum.
""",
    bad="""
class PullPolicy(str, Enum):
    ALWAYS = "Always"
    IfNotPresent = "IfNotPresent"
""",
    good="""
class PullPolicy(str, Enum):
    ALWAYS = "Always"
    IF_NOT_PRESENT = "IfNotPresent"
""",
    options=[ENUM_STYLE],
    severity="warning",
    needs=NEEDS,
)
def check_enum_style(ctx: RuleContext) -> Iterator[Diagnostic]:
    wanted = ctx.options["enum-style"]
    for typedef in _types(ctx, ("enum",)):
        members = list(_own(typedef))
        styles = [_member_style(m.name) for m in members]
        target = wanted
        if wanted == "consistent":
            counts: dict[str, int] = {}
            for style in styles:
                if style:
                    counts[style] = counts.get(style, 0) + 1
            if not counts:
                continue
            target = max(sorted(counts), key=lambda s: counts[s])
        for member, style in zip(members, styles, strict=True):
            if style == target or (
                style is None and target == "UPPER_SNAKE" and member.name.isupper()
            ):
                continue
            if member.name.isupper() and target == "UPPER_SNAKE":
                continue
            if _UPPER_SNAKE.match(member.name) and target == "CamelCase" and len(member.name) <= 3:
                continue  # `OK`, `ID`: an all-caps acronym is both
            yield _at(
                "F140",
                f"enum member `{typedef.name}.{member.name}` is not {target}",
                typedef,
                member,
            )


@rule(
    code="F141",
    name="enum-member-doc",
    summary="Every member of a public enum is documented.",
    rationale=f"""
Each allowed value of a Kubernetes enum type is documented where it is declared
({API_CONVENTIONS}), so the reference lists what each value means. kdocs reads a docstring
after the member or a `#:` comment above it.
""",
    bad="""
class PullPolicy(str, Enum):
    \"\"\"When to pull the image.\"\"\"

    ALWAYS = "Always"
""",
    good='''
class PullPolicy(str, Enum):
    """When to pull the image."""

    ALWAYS = "Always"
    """Always pull the image, even if it is present."""
''',
    severity="warning",
    needs=NEEDS,
    convention="kubernetes",
)
def check_enum_doc(ctx: RuleContext) -> Iterator[Diagnostic]:
    for typedef in _types(ctx, ("enum",)):
        for member in _own(typedef):
            if not member.doc:
                yield _at(
                    "F141",
                    f"enum member `{typedef.name}.{member.name}` has no doc",
                    typedef,
                    member,
                )


# -- required / optional -------------------------------------------------------------------


@rule(
    code="F150",
    name="optional-without-default",
    summary="A field whose type admits None has a default (optional fields are optional).",
    rationale=f"""
In pydantic v2 `x: str | None` without a default is *required*: the client must send
`"x": null`. That is rarely what an `Optional` type means. Kubernetes marks every field
optional or required and gives optional ones a zero default (kube-api-linter
`optionalorrequired`, `optionalfields`; {API_CONVENTIONS}).
""",
    bad="""
class PodSpec(BaseModel):
    node_name: str | None
""",
    good="""
class PodSpec(BaseModel):
    node_name: str | None = None
""",
    severity="warning",
    needs=NEEDS,
    convention="kubernetes",
)
def check_optional_default(ctx: RuleContext) -> Iterator[Diagnostic]:
    for typedef in _types(ctx, ("pydantic", "dataclass", "attrs", "msgspec")):
        for f in _own(typedef):
            if f.nullable and f.required:
                yield _at(
                    "F150",
                    f"`{typedef.name}.{f.name}` admits None but has no default, so it is "
                    "required: add `= None`",
                    typedef,
                    f,
                )


@rule(
    code="F151",
    name="required-doc-mismatch",
    summary="A field's doc does not call it optional when it is required (or the reverse).",
    rationale=f"""
Generated docs show both the doc text and the required flag; when they disagree, users trust
the wrong one. Kubernetes derives "optional"/"required" from one marker for the same reason
(kube-api-linter `optionalorrequired`; {API_CONVENTIONS}).
""",
    bad='''
class PodSpec(BaseModel):
    node_name: str
    """Optional. The node to run on."""
''',
    good='''
class PodSpec(BaseModel):
    node_name: str | None = None
    """Optional. The node to run on."""
''',
    severity="warning",
    needs=NEEDS,
)
def check_required_doc(ctx: RuleContext) -> Iterator[Diagnostic]:
    for typedef in _types(ctx):
        for f in _own(typedef):
            if not f.doc:
                continue
            names = (f.name, f.serialized_name)
            if f.required and says_optional(f.doc, names):
                yield _at(
                    "F151",
                    f"`{typedef.name}.{f.name}` is required but its doc says it is optional",
                    typedef,
                    f,
                )
            elif not f.required and says_required(f.doc, names):
                yield _at(
                    "F151",
                    f"`{typedef.name}.{f.name}` has a default but its doc says it is required",
                    typedef,
                    f,
                )
