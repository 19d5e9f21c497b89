"""F rules on real-looking projects: convention profiles, the inferred wire style, docs read
as prose. Each case is a small project run through the real ``kdocs check``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MakeProject
from tests.helpers import run_kdocs

HEAD = """\
from __future__ import annotations
from typing import Optional
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class Camel(BaseModel):
    \"\"\"camelCase on the wire.\"\"\"

    model_config = ConfigDict(alias_generator=to_camel)

"""


def findings(
    make_project: MakeProject, body: str, *args: str, config: str = ""
) -> list[dict[str, str]]:
    root = make_project(
        {
            "pyproject.toml": f"[project]\nname = 'api'\n[tool.kdocs]\n{config}\n",
            "api/__init__.py": "",
            "api/models.py": HEAD + body,
        }
    )
    return check(root, *args)


def check(root: Path, *args: str) -> list[dict[str, str]]:
    run = run_kdocs("check", str(root), "--format", "json", "--no-cache", *args)
    assert run.exit_code in (0, 1), run.stderr
    return [d for d in run.json()["diagnostics"] if d["code"].startswith("F")]


def codes(found: list[dict[str, str]]) -> list[str]:
    return sorted(d["code"] for d in found)


KUBE = '''
class Probe(BaseModel):
    """A probe."""

    timeout: int = 1
    """How long to wait."""
    is_ready: bool = False
    """Whether it is ready."""
'''


# -- convention profiles -------------------------------------------------------------------


def test_kubernetes_rules_are_off_under_the_default_convention(make_project: MakeProject) -> None:
    assert findings(make_project, KUBE) == []
    assert findings(make_project, KUBE, "--select", "F") == []  # a prefix does not enable


def test_kubernetes_convention_turns_them_on(make_project: MakeProject) -> None:
    found = findings(make_project, KUBE, config='convention = "kubernetes"')
    # camelCase wire names too: `is_ready` is snake_case (F110), and starts with `is` (F114)
    assert codes(found) == ["F110", "F114", "F120"]


@pytest.mark.parametrize("how", ["--select", "--extend-select"])
def test_selecting_the_full_code_enables_it_under_any_convention(
    make_project: MakeProject, how: str
) -> None:
    assert codes(findings(make_project, KUBE, how, "F120")) == ["F120"]


def test_unknown_convention_is_a_config_error(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": '[tool.kdocs]\nconvention = "google"\n'})
    run = run_kdocs("check", str(root))
    assert run.exit_code == 2
    assert "tool.kdocs.convention" in run.stderr and "'python', 'kubernetes'" in run.stderr
    assert "Traceback" not in run.stderr


def test_rule_pages_name_the_profile() -> None:
    run = run_kdocs("rules", "F120")
    assert 'under convention = "kubernetes" only' in run.stdout
    assert "Enabled by default: yes" in run_kdocs("rules", "F101").stdout


# -- the wire style, from the project's own evidence ----------------------------------------


def test_no_alias_anywhere_means_no_style_findings(make_project: MakeProject) -> None:
    body = '''
class Route(BaseModel):
    """A route."""

    host_name: str
    """The host."""
    retryCount: int = 0
    """Retries."""
'''
    assert [d for d in findings(make_project, body) if d["code"] in ("F110", "F112")] == []


CAMEL_PROJECT = '''
class Pod(Camel):
    """A pod."""

    node_name: str
    """The node."""
    host_network: bool = False
    """Host networking."""
    restart_policy: str = "Always"
    """When to restart."""
    service_account: str = "default"
    """The account."""


class Status(BaseModel):
    """Forgot the project's alias generator."""

    host_ip: str
    """The host IP."""
'''


def test_f110_flags_the_minority_spelling_with_the_evidence(make_project: MakeProject) -> None:
    found = [d for d in findings(make_project, CAMEL_PROJECT) if d["code"] in ("F110", "F112")]
    line = (HEAD + CAMEL_PROJECT).splitlines().index("    host_ip: str") + 1
    assert [(d["code"], d["line"]) for d in found] == [("F110", line)]
    assert "4 of 5 multi-word serialized names in this project are camelCase" in found[0]["message"]


def test_f110_snake_project_flags_a_generated_camel_name(make_project: MakeProject) -> None:
    body = '''
class Job(BaseModel):
    """A job: Python camelCase names mapped to a snake_case wire format."""

    jobId: str = Field(alias="job_id")
    runAfter: int = Field(0, alias="run_after")
    maxRetries: int = Field(3, alias="max_retries")
    queueName: str = Field("default", alias="queue_name")
    nextRun: int = Field(0, alias="next_run")
    lastRun: int = Field(0, alias="last_run")
    exitCode: int = Field(0, alias="exit_code")
    workDir: str = Field("", alias="work_dir")
    ownerName: str = Field("", alias="ownerName")
    """Written for this field: taken as deliberate (an external API's key)."""


class Owner(Camel):
    """Took the camelCase base by mistake."""

    display_name: str
'''
    found = [d for d in findings(make_project, body) if d["code"] in ("F110", "F112")]
    assert [d["code"] for d in found] == ["F110"]
    assert "`displayName`" in found[0]["message"]
    assert (
        "8 of 10 multi-word serialized names in this project are snake_case" in found[0]["message"]
    )


def test_f110_stays_quiet_on_a_deliberate_mix(make_project: MakeProject) -> None:
    body = '''
class Mixed(BaseModel):
    """Half and half."""

    one_two: str = Field(alias="oneTwo")
    three_four: str
    five_six: str = Field(alias="fiveSix")
    seven_eight: str
'''
    assert [d for d in findings(make_project, body) if d["code"] == "F110"] == []


def test_f112_only_on_real_renames(make_project: MakeProject) -> None:
    body = '''
class Parameter(Camel):
    """An OpenAPI parameter."""

    destination: str = Field(alias="target")
    """Renamed: a surprise."""
    param_in: str = Field(alias="in")
    """A keyword escape."""
    media_type_schema: str = Field(alias="schema")
    """`schema` is taken by BaseModel."""
    type_: str = Field(alias="type")
    """Trailing underscore."""
    host_ip: str = Field(alias="hostIP")
    """Acronym casing."""
    plain_name: str
    """Generated camelCase, no alias."""
'''
    found = [d for d in findings(make_project, body) if d["code"] == "F112"]
    assert [d["message"] for d in found] == [
        "`Parameter.destination` is serialized as `target`, expected `destination`"
    ]


def test_explicit_style_still_checks_every_name(make_project: MakeProject) -> None:
    body = '''
class Volume(BaseModel):
    """No aliases at all, but the project asks for camelCase."""

    read_only: bool = False
    """Read only."""
'''
    found = findings(make_project, body, config="[tool.kdocs.types]\nserialized-style = 'camel'")
    assert codes(found) == ["F110"]
    assert "configured" in found[0]["message"]


# -- docs read as prose --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "doc", "flagged"),
    [
        ('str = ""', "Https is required for the cookie to be sent.", False),
        ('str = ""', "**REQUIRED** for oauth2 flows.", False),
        ('str = ""', "Whether a login is required for this.", False),
        ('str = ""', "This field is required when `mode` is set.", False),
        ('str = ""', "The token. Required.", True),
        ('str = ""', "(required) The token.", True),
        ('str = ""', "Required: the token.", True),
        ("str", "Optional: the node to run on.", True),
        ("str", "This field is optional.", True),
        ("str", "+optional\nThe node.", True),
        ("str", "The node (optional).", True),
        ("str", "Optional name of the node, chosen by the scheduler.", False),
    ],
)
def test_f151_reads_required_and_optional_as_claims_only(
    make_project: MakeProject, annotation: str, doc: str, flagged: bool
) -> None:
    body = f'''
class Spec(BaseModel):
    """A spec."""

    token: {annotation}
    """{doc}"""
'''
    assert codes(findings(make_project, body, "--select", "F151")) == (["F151"] if flagged else [])


@pytest.mark.parametrize(
    "doc",
    [
        ":class:`Pod` to run.",
        "*Deprecated*: the node to run on.",
        "[Node](https://example.com/node) to run on.",
        "``node`` is the node to run on.",
        "The node to run on.\n.. versionadded:: 2.0",
        "The node to run on.\n\n.. note::\n   Scheduling may move it.",
    ],
)
def test_f102_reads_markup_as_text(make_project: MakeProject, doc: str) -> None:
    body = f'''
class Spec(BaseModel):
    """A spec."""

    node: str
    """{doc}"""
'''
    found = findings(
        make_project,
        body,
        "--select",
        "F102",
        config="[tool.kdocs.types]\ndoc-style = 'sentence'",
    )
    assert found == []


def test_f102_default_flags_a_lowercase_start_only(make_project: MakeProject) -> None:
    body = '''
class Page(BaseModel):
    """A page."""

    previous: str = ""
    """A pointer to the previous page of results"""
    next_page: str = ""
    """pointer to the next page"""
'''
    found = findings(make_project, body, "--select", "F102")
    assert [d["message"] for d in found] == [
        "doc of `Page.next_page` should start with `next_page` or a capital letter"
    ]


def test_f101_one_finding_per_field(make_project: MakeProject) -> None:
    body = '''
class Pod(Camel):
    """A pod."""

    pod_ip: str
    """Set after host_ip and node_name are known."""
    host_ip: str
    """The host."""
    node_name: str
    """The node."""
'''
    found = findings(make_project, body, "--select", "F101")
    assert len(found) == 1
    assert "`host_ip` (use `hostIp`)" in found[0]["message"]
    assert "`node_name` (use `nodeName`)" in found[0]["message"]


def test_f112_a_dropped_or_added_qualifier_is_not_a_rename(make_project: MakeProject) -> None:
    """pyairtable: a nested model drops what its class already says; stac-pydantic: `field`
    for the wire's `fields` (taken by BaseModel)."""
    body = '''
class Workspace(Camel):
    """A workspace."""

    restrictions: str = Field(alias="workspaceRestrictions")
    """Restrictions."""
    root_enterprise_id: str = Field(alias="rootEnterpriseAccountId")
    """Enterprise."""
    field: str = Field(alias="fields")
    """Fields to return."""
    object_id: str = Field(alias="modelId")
    """Another word: a rename."""
'''
    found = [d for d in findings(make_project, body) if d["code"] == "F112"]
    assert [d["message"].split(" is serialized")[0] for d in found] == ["`Workspace.object_id`"]


def test_unevaluated_alias_generator_is_neither_evidence_nor_finding(
    make_project: MakeProject,
) -> None:
    """pyairtable's `alias_generator=partial(inflection.camelize, ...)` cannot be evaluated:
    its fields' serialized names are unknown, so they must not outvote the aliases (they
    made 17 F110 findings on camelCase TypedDict keys)."""
    body = '''
from functools import partial
from typing import TypedDict

import inflection


class Model(BaseModel):
    """Base."""

    model_config = ConfigDict(alias_generator=partial(inflection.camelize, False))


class Record(Model):
    """A record."""

    created_time: str
    comment_count: int
    record_id: str
    field_name: str
    base_id: str
    table_id: str
    view_name: str
    cell_format: str
    time_zone: str
    user_locale: str
    return_fields: str
    sort_order: str
    owner_id: str = Field(alias="ownerId")


class RecordDict(TypedDict):
    createdTime: str
    commentCount: int
'''
    assert [d for d in findings(make_project, body) if d["code"] == "F110"] == []


def test_the_prose_fast_paths_answer_as_the_plain_patterns() -> None:
    """F102 and F151 read every field doc, so the prose helpers skip a pattern whose marker
    is absent, match a leading name without compiling a pattern for it, and look for the
    claim's word before the claim patterns. Each answers exactly as the plain patterns
    would, markup, Unicode case folding (the dotless i) and word boundaries included."""
    import random
    import re

    from kdocs.rules.types import prose

    def strip_markup(text: str) -> str:
        text = prose._ROLE.sub(lambda m: m.group(1), text)
        text = prose._LITERAL.sub(lambda m: m.group(1), text)
        text = prose._LINK.sub(lambda m: m.group(1), text)
        text = prose._STRONG.sub(lambda m: m.group(2), text)
        text = prose._EMPHASIS.sub(lambda m: m.group(1), text)
        return prose._CODE.sub(lambda m: m.group(1), text)

    def without_name(doc: str, names: tuple[str, ...]) -> str:
        stripped = doc.lstrip()
        for name in names:
            if re.match(rf"{re.escape(name)}\b", stripped):
                return stripped[len(name) :]
        return doc

    pieces = [
        *("`", "``", ":", ":class:", "*", "**", "_", "__", "[", "](", ")", "<", ">", "~"),
        *(" ", "\n", ".", "is ", "this field ", "x", "é", "\u0131", "OPT\u0130ONAL", "+", "\u0663"),
        *("Optional", "optional", "(optional)", "Required.", "required", "mandatory"),
        *("name", "na", "name_", "required"),
    ]
    rng = random.Random(7)
    for _ in range(20_000):
        doc = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        names = (rng.choice(pieces), "name")
        assert prose.strip_markup(doc) == strip_markup(doc), doc
        assert prose._without_leading_name(doc, names) == without_name(doc, names), doc
        bare = without_name(strip_markup(doc), names)
        assert prose.says_optional(doc, names) == bool(prose._OPTIONAL.search(bare)), doc
        assert prose.says_required(doc, names) == bool(prose._REQUIRED.search(bare)), doc
    assert prose.says_optional("opt\u0131onal")  # the dotless i folds to "i" in the pattern
