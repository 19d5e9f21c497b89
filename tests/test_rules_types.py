"""The F rules (type and field conventions): a positive and a negative case per rule."""

from __future__ import annotations

import textwrap

import pytest

from kdocs.engine import CheckOptions, run_check
from kdocs.models.diagnostics import Diagnostic
from kdocs.project import discover
from kdocs.rules.registry import get, iter_family
from kdocs.rules.types import acronym_fix, words
from tests.conftest import MakeProject

HEADER = """\
from __future__ import annotations
import enum
from datetime import datetime
from typing import Optional
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class Camel(BaseModel):
    \"\"\"Base of camelCase models.\"\"\"

    model_config = ConfigDict(alias_generator=to_camel)

"""


def check(make_project: MakeProject, code: str, body: str, config: str = "") -> list[Diagnostic]:
    root = make_project(
        {
            "pyproject.toml": f"[project]\nname = 'api'\n[tool.kdocs.types]\n{config}\n",
            "api/__init__.py": "",
            "api/models.py": HEADER + textwrap.dedent(body),
        }
    )
    result = run_check(discover([root]), CheckOptions(select=[code], use_cache=False), debug=True)
    return result.diagnostics


def line_of(make_project_root_text: str, needle: str) -> int:
    text = HEADER + textwrap.dedent(make_project_root_text)
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# Each case: code, bad body, good body, config, the text of the line the finding points at.
CASES = [
    (
        "F101",
        '''
        class Pod(Camel):
            """A pod."""

            pod_ip: str
            """The IP; empty until host_ip is set."""
            host_ip: str
            """The host."""
        ''',
        '''
        class Pod(Camel):
            """A pod."""

            pod_ip: str
            """The IP; empty until hostIp is set."""
            host_ip: str
            """The host."""
        ''',
        "",
        "pod_ip: str",
    ),
    (
        "F102",
        '''
        class Probe(Camel):
            timeout_seconds: int = 1
            """number of seconds"""
        ''',
        '''
        class Probe(Camel):
            timeout_seconds: int = 1
            """timeoutSeconds is the number of seconds"""
        ''',
        'doc-style = "name-or-sentence"',
        "timeout_seconds: int = 1",
    ),
    (
        "F103",
        """
        class Probe(Camel):
            period_seconds: int = 1
        """,
        '''
        class Probe(Camel):
            """A probe."""

            period_seconds: int = 1
        ''',
        "",
        "class Probe",
    ),
    (
        "F104",
        '''
        class Probe(Camel):
            """A probe."""

            period_seconds: int = 1
        ''',
        '''
        class Probe(Camel):
            """A probe."""

            #: How often to probe.
            period_seconds: int = 1
        ''',
        "",
        "period_seconds: int = 1",
    ),
    (
        "F110",
        """
        class Pod(Camel):
            node_name: str
            host_network: bool
            restart_policy: str
            service_account: str

        class Volume(BaseModel):
            read_only: bool = False
        """,
        """
        class Pod(Camel):
            node_name: str
            host_network: bool
            restart_policy: str
            service_account: str

        class Volume(Camel):
            read_only: bool = False
        """,
        "",
        "read_only: bool = False",
    ),
    (
        "F111",
        """
        class Volume(BaseModel):
            readOnly: bool = False
        """,
        """
        class Volume(Camel):
            read_only: bool = False
        """,
        "",
        "readOnly: bool = False",
    ),
    (
        "F112",
        """
        class Route(Camel):
            destination: str = Field(alias="target")
        """,
        """
        class Route(Camel):
            target: str
            type_: str = Field(alias="type")
            pod_ip: str = Field(alias="podIP")
        """,
        "",
        "destination: str",
    ),
    (
        "F113",
        """
        class Status(Camel):
            pod_ip: str
        """,
        """
        class Status(Camel):
            pod_ip: str = Field(alias="podIP")
            api_version: str = "v1"
            http_get: Optional[str] = None
        """,
        "",
        "pod_ip: str",
    ),
    (
        "F114",
        """
        class Volume(Camel):
            is_read_only: bool = False
        """,
        """
        class Volume(Camel):
            read_only: bool = False
            is_ready_count: int = 0
        """,
        "",
        "is_read_only: bool",
    ),
    (
        "F120",
        """
        class Probe(Camel):
            timeout: int = 1
        """,
        """
        class Probe(Camel):
            timeout_seconds: int = 1
            timeout: str = "1s"
        """,
        "",
        "timeout: int = 1",
    ),
    (
        "F121",
        """
        class Event(Camel):
            created_timestamp: datetime
        """,
        """
        class Event(Camel):
            created_time: datetime
        """,
        "",
        "created_timestamp",
    ),
    (
        "F122",
        """
        class Binding(Camel):
            role_reference: str
        """,
        """
        class Binding(Camel):
            role_ref: str
            role_name: str
        """,
        "",
        "role_reference",
    ),
    (
        "F130",
        """
        class Spec(Camel):
            container: list[str] = []
        """,
        """
        class Spec(Camel):
            containers: list[str] = []
            metadata: list[str] = []
            pod_ips: list[str] = Field(default=[], alias="podIPs")
        """,
        "",
        "container: list",
    ),
    (
        "F131",
        """
        class Spec(Camel):
            containers: dict[str, int] = {}
        """,
        """
        class Spec(Camel):
            containers: list[int] = []
            labels: dict[str, str] = {}
        """,
        "",
        "containers: dict",
    ),
    (
        "F132",
        """
        class Limits(Camel):
            cpu: Optional[float] = None
        """,
        """
        class Limits(Camel):
            cpu_millis: int = 0
        """,
        "",
        "cpu: Optional[float]",
    ),
    (
        "F140",
        """
        class PullPolicy(str, enum.Enum):
            ALWAYS = "Always"
            NEVER = "Never"
            IfNotPresent = "IfNotPresent"

        class Container(Camel):
            pull_policy: PullPolicy
        """,
        """
        class PullPolicy(str, enum.Enum):
            ALWAYS = "Always"
            NEVER = "Never"
            IF_NOT_PRESENT = "IfNotPresent"

        class Container(Camel):
            pull_policy: PullPolicy
        """,
        "",
        "IfNotPresent = ",
    ),
    (
        "F141",
        '''
        class PullPolicy(str, enum.Enum):
            ALWAYS = "Always"
            """Always pull."""
            NEVER = "Never"

        class Container(Camel):
            pull_policy: Optional[PullPolicy] = None
        ''',
        '''
        class PullPolicy(str, enum.Enum):
            ALWAYS = "Always"
            """Always pull."""
            #: Never pull.
            NEVER = "Never"

        class Container(Camel):
            pull_policy: Optional[PullPolicy] = None
        ''',
        "",
        'NEVER = "Never"',
    ),
    (
        "F150",
        """
        class Spec(Camel):
            node_name: Optional[str]
        """,
        """
        class Spec(Camel):
            node_name: Optional[str] = None
            name: str
        """,
        "",
        "node_name: Optional[str]",
    ),
    (
        "F151",
        '''
        class Spec(Camel):
            node_name: str
            """Optional. The node."""
        ''',
        '''
        class Spec(Camel):
            node_name: Optional[str] = None
            """Optional. The node."""
            name: str
            """Required. The name."""
        ''',
        "",
        "node_name: str",
    ),
]


@pytest.mark.parametrize(
    ("code", "bad", "good", "config", "needle"), CASES, ids=[c[0] for c in CASES]
)
def test_rule_flags_bad_and_passes_good(
    make_project: MakeProject, code: str, bad: str, good: str, config: str, needle: str
) -> None:
    found = check(make_project, code, bad, config)
    assert [d.code for d in found] == [code], found
    d = found[0]
    assert d.file == "api/models.py"
    assert d.line == line_of(bad, needle)
    assert d.subject.startswith("api.models.")
    assert check(make_project, code, good, config) == []


def test_every_f_rule_is_documented_and_tested() -> None:
    rules = list(iter_family("F"))
    assert {r.code for r in rules} == {c[0] for c in CASES}
    for r in rules:
        assert r.summary and r.rationale and r.bad and r.good and r.needs == ("types",)
    off = {r.code for r in rules if not r.default_enabled}
    assert off == set()
    kubernetes = {r.code for r in rules if r.convention == "kubernetes"}
    # The Kubernetes API conventions, plus F111/F141 (opinionated on real Python projects).
    assert kubernetes == {
        "F103",
        "F104",
        "F111",
        "F113",
        "F114",
        "F120",
        "F121",
        "F122",
        "F130",
        "F131",
        "F132",
        "F141",
        "F150",
    }


def test_f101_points_at_the_field_column_and_suggests(make_project: MakeProject) -> None:
    body = '''
    class Pod(Camel):
        """A pod."""

        host_ip: str
        """The host."""
        pod_ip: str
        """Set once `host_ip` is known."""
    '''
    (d,) = check(make_project, "F101", body)
    assert (d.line, d.column, d.end_column) == (line_of(body, "pod_ip: str"), 5, 11)
    assert "`hostIp`" in d.message


def test_f101_ignores_plain_words(make_project: MakeProject) -> None:
    body = '''
    class Item(Camel):
        """An item."""

        name: str = Field(alias="itemName")
        """A display name."""
        size: int = 0
        """The size; see name."""
    '''
    assert check(make_project, "F101", body) == []


def test_inherited_fields_reported_once(make_project: MakeProject) -> None:
    body = """
    class Parent(Camel):
        timeout: int = 1

    class Child(Parent):
        other_seconds: int = 1
    """
    found = check(make_project, "F120", body)
    assert [d.subject for d in found] == ["api.models.Parent.timeout"]


@pytest.mark.parametrize(
    ("config", "name", "flagged"),
    [
        ('serialized-style = "snake"', "readOnly", True),
        ('serialized-style = "snake"', "read_only", False),
        ('serialized-style = "as-is"', "readOnly", False),
        ('serialized-style = "camel"', "read-only", True),
    ],
)
def test_f110_styles(make_project: MakeProject, config: str, name: str, flagged: bool) -> None:
    body = f"""
    class Volume(BaseModel):
        v: bool = Field(False, alias="{name}")
    """
    assert bool(check(make_project, "F110", body, config)) is flagged


def test_f112_allowed_renames(make_project: MakeProject) -> None:
    body = """
    class Route(Camel):
        destination: str = Field(alias="target")
    """
    assert check(make_project, "F112", body, "allowed-renames = ['Route.destination']") == []


def test_f102_name_style_requires_the_name(make_project: MakeProject) -> None:
    body = '''
    class Probe(Camel):
        period_seconds: int = 1
        """How often to probe."""
    '''
    assert check(make_project, "F102", body) == []
    (d,) = check(make_project, "F102", body, 'doc-style = "name"')
    assert "`periodSeconds`" in d.message


def test_f140_fixed_style(make_project: MakeProject) -> None:
    body = """
    class PullPolicy(str, enum.Enum):
        ALWAYS = "Always"
        NEVER = "Never"

    class Container(Camel):
        pull_policy: PullPolicy
    """
    assert check(make_project, "F140", body) == []
    found = check(make_project, "F140", body, 'enum-style = "CamelCase"')
    assert [d.subject for d in found] == [
        "api.models.PullPolicy.ALWAYS",
        "api.models.PullPolicy.NEVER",
    ]


def test_private_types_are_not_checked(make_project: MakeProject) -> None:
    body = """
    class _Internal(Camel):
        timeout: int = 1
    """
    assert check(make_project, "F120", body) == []


def test_inline_ignore(make_project: MakeProject) -> None:
    body = """
    class Probe(Camel):
        timeout: int = 1  # kdocs: ignore[F120]
    """
    assert check(make_project, "F120", body) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("podIp", "podIP"),
        ("podIP", None),
        ("apiVersion", None),
        ("ApiVersion", "apiVersion"),  # an acronym starting a name is lower case
        ("HTTPGet", "httpGet"),
        ("hostUrls", "hostURLs"),
        ("userIDs", None),
        ("identity", None),
    ],
)
def test_acronym_fix(name: str, expected: str | None) -> None:
    from kdocs.rules.types import DEFAULT_ACRONYMS

    assert acronym_fix(name, DEFAULT_ACRONYMS) == expected


def test_words() -> None:
    assert words("podIPs") == ["pod", "IPs"]
    assert words("HTTPGet") == ["HTTP", "Get"]
    assert words("retry_after_ms") == ["retry", "after", "ms"]


def test_rule_page_exists() -> None:
    r = get("field-doc-uses-serialized-name")
    assert r is not None and r.code == "F101" and "fieldnamedocs_check" in r.rationale


def test_f151_field_named_required_or_optional_is_not_a_mismatch(make_project: MakeProject) -> None:
    """A doc starting with the field's own name ("required is ...") does not claim the field
    is required; a real "Required." doc on a defaulted field is still flagged."""
    root = make_project(
        {
            "pyproject.toml": "",
            "api/__init__.py": "",
            "api/m.py": '''
                from pydantic import BaseModel


                class Param(BaseModel):
                    """A parameter."""

                    required: bool = False
                    """required is true when the parameter must be given."""
                    optional: bool
                    """optional is true when the parameter may be left out."""
                    name: str = "x"
                    """Required. The parameter's name."""
            ''',
        }
    )
    result = run_check(discover([root]), CheckOptions(select=["F151"], use_cache=False))
    assert [(d.code, d.line) for d in result.diagnostics] == [("F151", 11)]
