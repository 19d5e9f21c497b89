"""Family I: import-boss restrictions, contracts, unresolved imports, configuration errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kdocs.engine import CheckOptions, run_check
from kdocs.errors import ConfigError
from kdocs.models.diagnostics import Diagnostic
from kdocs.project import discover
from kdocs.schema import validated
from tests.conftest import MakeProject

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
PYPROJECT = "[project]\nname = 'app'\n"


def check(root: Path, select: str = "I") -> list[Diagnostic]:
    result = run_check(discover([root]), CheckOptions(select=[select], use_cache=False))
    return result.diagnostics


def brief(diags: list[Diagnostic]) -> list[tuple[str, str, int, str]]:
    return [(d.code, d.file, d.line, d.message) for d in diags]


# --- import-boss semantics -------------------------------------------------------------


def test_forbidden_wins_and_empty_prefix_matches_everything(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "app/__init__.py": "",
            "app/server.py": "",
            "app/api/__init__.py": "",
            "app/api/.import-restrictions": """
                rules:
                  - selectorRegexp: "^app[.]server"
                    allowedPrefixes: ["app.server"]
                    forbiddenPrefixes: ["app.server"]
                  - selectorRegexp: "^yaml$"
                    forbiddenPrefixes: [""]
            """,
            "app/api/handlers.py": "from app import server\nimport yaml\nimport json\n",
        }
    )
    assert brief(check(root, "I001")) == [
        (
            "I001",
            "app/api/handlers.py",
            1,
            '"app.api.handlers" -> "app.server" is forbidden by app/api/.import-restrictions',
        ),
        (
            "I001",
            "app/api/handlers.py",
            2,
            '"app.api.handlers" -> "yaml" is forbidden by app/api/.import-restrictions',
        ),
    ]


def test_nearest_file_first_and_undecided_selector_is_a_violation(
    make_project: MakeProject,
) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            ".import-restrictions": """
                rules:
                  - selectorRegexp: "^app"
                    allowedPrefixes: ["app.util", "app.api"]
            """,
            "app/__init__.py": "",
            "app/util.py": "",
            "app/apix.py": "",
            "app/db.py": "",
            "app/api/__init__.py": "",
            "app/api/.import-restrictions": """
                Rules:
                  - SelectorRegexp: "^app[.]db"
                    AllowedPrefixes: []
                  - selectorRegexp: "^app[.]db"
                    allowedPrefixes: ["app.db.readonly"]
            """,
            "app/api/h.py": "import app.util\nimport app.apix\nimport app.db\nimport app.api\n",
        }
    )
    assert brief(check(root, "I001")) == [
        # app.apix: the nearest file has no matching selector; the root's selector matches but
        # "app.api" is not a prefix of "app.apix" (prefixes are dotted, not textual).
        ("I001", "app/api/h.py", 2, '"app.api.h" -> "app.apix" did not match any rule'),
        # app.db: both files' selectors match, no rule decides.
        ("I001", "app/api/h.py", 3, '"app.api.h" -> "app.db" did not match any rule'),
    ]


def test_first_decision_ends_the_search(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            ".import-restrictions": 'rules:\n  - selectorRegexp: "."\n    forbiddenPrefixes: [""]\n',
            "app/__init__.py": "",
            "app/.import-restrictions": 'rules:\n  - selectorRegexp: "^os"\n    allowedPrefixes: ["os"]\n',
            "app/m.py": "import os.path\nimport sys\n",
        }
    )
    diags = check(root, "I001")
    assert [(d.line, d.message) for d in diags] == [
        (2, '"app.m" -> "sys" is forbidden by .import-restrictions'),
    ]


def test_transitive_rules_report_the_chain(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "app/__init__.py": "",
            "app/api/__init__.py": "",
            "app/api/.import-restrictions": """
                rules:
                  - selectorRegexp: "^app[.]server"
                    forbiddenPrefixes: ["app.server"]
                    transitive: true
                  - selectorRegexp: "^requests"
                    forbiddenPrefixes: [""]
            """,
            "app/api/views.py": "from app import helpers\n",
            "app/helpers.py": "import requests\n\nfrom app.server import db\n",
            "app/server/__init__.py": "",
            "app/server/db.py": "",
        }
    )
    diags = check(root, "I001")
    # requests is only imported indirectly and its rule is not transitive: allowed.
    # ``from app.server import db`` imports the module app.server.db (as grimp counts it).
    assert [(d.file, d.line, d.message) for d in diags] == [
        (
            "app/api/views.py",
            1,
            '"app.api.views" --> "app.server.db" is forbidden by app/api/.import-restrictions'
            " (via app.api.views -> app.helpers -> app.server.db)",
        ),
    ]
    assert diags[0].notes == (
        "app.api.views -> app.helpers (app/api/views.py:1)",
        "app.helpers -> app.server.db (app/helpers.py:3)",
    )


def test_inverse_rules_and_type_checking_option(make_project: MakeProject) -> None:
    files = {
        "pyproject.toml": PYPROJECT,
        "app/__init__.py": "",
        "app/internal/__init__.py": "",
        "app/internal/.import-restrictions": """
            inverseRules:
              - selectorRegexp: "^app"
                allowedPrefixes: ["app.core", "app.internal"]
        """,
        "app/internal/cache.py": "",
        "app/core.py": "from app.internal import cache\n",
        "app/cli.py": "from app.internal import cache\n",
        "app/types.py": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from app.internal.cache import Cache\n"
        ),
    }
    root = make_project(files)
    assert brief(check(root, "I002")) == [
        ("I002", "app/cli.py", 1, '"app.internal.cache" <- "app.cli" did not match any rule'),
        ("I002", "app/types.py", 3, '"app.internal.cache" <- "app.types" did not match any rule'),
    ]
    (root / "pyproject.toml").write_text(
        PYPROJECT + "[tool.kdocs.imports]\nallow-type-checking = true\n", encoding="utf-8"
    )
    assert [d.file for d in check(root, "I002")] == ["app/cli.py"]


def test_restrictions_in_pyproject_sit_in_the_named_package(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT
            + """
[[tool.kdocs.imports.restrictions]]
package = "app.api"
rules = [{selectorRegexp = "^app[.]server", forbiddenPrefixes = ["app.server"]}]
""",
            "app/__init__.py": "",
            "app/server.py": "",
            "app/api/__init__.py": "",
            "app/api/v.py": "import app.server\n",
            "app/other.py": "import app.server\n",
        }
    )
    assert brief(check(root, "I001")) == [
        (
            "I001",
            "app/api/v.py",
            1,
            '"app.api.v" -> "app.server" is forbidden by tool.kdocs.imports.restrictions[0]',
        )
    ]


def test_broken_restrictions_file_is_reported_and_the_run_goes_on(
    make_project: MakeProject,
) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "app/__init__.py": "import os\n",
            "app/.import-restrictions": 'rules:\n  - selectorRegexp: "^app(["\n',
            "app/sub/__init__.py": "",
            "app/sub/.import-restrictions": "rules:\n  - selectorRegexp: x\n    forbiddenPrefix: [a]\n",
            "app/sub/m.py": "import os\n",
        }
    )
    diags = check(root, "I0")
    found = {(d.code, d.file, d.message.split(":")[0]) for d in diags}
    assert found == {
        ("I010", "app/.import-restrictions", "invalid .import-restrictions"),
        ("I010", "app/sub/.import-restrictions", "invalid .import-restrictions"),
    }
    messages = " ".join(d.message for d in diags)
    assert "`rules[0].selectorRegexp` is not a valid regular expression" in messages
    assert "unknown key `rules[0].forbiddenPrefix`; did you mean `forbiddenPrefixes`?" in messages


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            '[[tool.kdocs.imports.contracts]]\ntype = "layer"\nlayers = ["a"]\n',
            "`tool.kdocs.imports.contracts[0].type` must be one of",
        ),
        (
            '[[tool.kdocs.imports.contracts]]\ntype = "layers"\nlayer = ["a"]\n',
            "unknown key `tool.kdocs.imports.contracts[0].layer`; did you mean `layers`?",
        ),
        (
            '[[tool.kdocs.imports.contracts]]\ntype = "forbidden"\nsource-modules = ["a"]\n',
            "`tool.kdocs.imports.contracts[0]` (forbidden contract) needs `forbidden-modules`",
        ),
        (
            '[[tool.kdocs.imports.restrictions]]\nrules = [{selectorRegexp = "("}]\n',
            "`tool.kdocs.imports.restrictions[0].rules[0].selectorRegexp` is not a valid",
        ),
        (
            '[[tool.kdocs.imports.contracts]]\ntype = "layers"\nlayers = ["a | b : c"]\n',
            "`tool.kdocs.imports.contracts[0].layers[0]` mixes",
        ),
    ],
)
def test_config_errors_name_the_key_path(
    make_project: MakeProject, table: str, expected: str
) -> None:
    root = make_project({"pyproject.toml": PYPROJECT + table, "app/__init__.py": ""})
    with pytest.raises(ConfigError) as info:
        validated(discover([root]).config)
    assert expected in str(info.value)


# --- contracts ---------------------------------------------------------------------------


def layered(tmp_path: Path) -> Path:
    root = tmp_path / "layered"
    shutil.copytree(FIXTURES / "layered", root)
    return root


def test_layers_independence_forbidden_on_the_fixture(tmp_path: Path) -> None:
    # Expected chains: what real lint-imports prints for the same contracts
    # (tests/fixtures/imports/layered/.importlinter; see test_agrees_with_import_linter).
    diags = check(layered(tmp_path))
    assert [(d.code, d.file, d.line, d.message.split(" (")[0]) for d in diags] == [
        (
            "I004",
            "shop/adapters/s3/store.py",
            1,
            'contract "adapters independent": shop.adapters.s3.store -> shop.adapters.gcs.client',
        ),
        (
            "I003",
            "shop/domain/model.py",
            6,
            'contract "architecture": shop.domain.model -> shop.service.orders',
        ),
        (
            "I005",
            "shop/domain/model.py",
            6,
            'contract "pure domain": shop.domain.model -> shop.service.orders'
            " -> shop.adapters.s3.store",
        ),
        (
            "I005",
            "shop/domain/pricing.py",
            1,
            'contract "pure domain": shop.domain.pricing -> shop.adapters.gcs.client',
        ),
        ("I005", "shop/domain/rules.py", 1, 'contract "pure domain": shop.domain.rules -> yaml'),
        (
            "I003",
            "shop/domain/rules.py",
            3,
            'contract "architecture": shop.domain.rules -> shop.util -> shop.cli.main',
        ),
    ]
    chain = diags[-1]
    assert chain.notes == (
        "shop.domain.rules -> shop.util (shop/domain/rules.py:3)",
        "shop.util -> shop.cli.main (shop/util.py:1)",
    )


def test_contract_options_type_checking_ignore_and_indirect(tmp_path: Path) -> None:
    root = layered(tmp_path)
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    text = text.replace(
        'layers = ["shop.cli", "shop.service", "shop.domain"]',
        'layers = ["shop.cli", "shop.service", "shop.domain"]\nallow-type-checking = true\n'
        'ignore-imports = ["shop.domain.* -> shop.util"]',
    )
    text = text.replace(
        'forbidden-modules = ["shop.adapters", "yaml"]',
        'forbidden-modules = ["shop.adapters", "yaml"]\nallow-indirect-imports = true',
    )
    pyproject.write_text(text, encoding="utf-8")
    diags = check(root)
    assert [(d.code, d.file, d.line) for d in diags] == [
        ("I004", "shop/adapters/s3/store.py", 1),
        ("I005", "shop/domain/pricing.py", 1),
        ("I005", "shop/domain/rules.py", 1),
    ]


def test_acyclic_contract_reports_each_cycle_once(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT
            + '[[tool.kdocs.imports.contracts]]\nname = "acyclic"\ntype = "acyclic"\n'
            'modules = ["app.*"]\n',
            "app/__init__.py": "",
            "app/orders/__init__.py": "from app.billing import invoice\n",
            "app/billing/__init__.py": "",
            "app/billing/invoice.py": "from app.orders import x\n",
            "app/domain.py": "",
            "app/util.py": "import app.domain\n",
        }
    )
    diags = check(root, "I006")
    assert len(diags) == 1
    assert diags[0].message.startswith('contract "acyclic": app.billing.invoice -> app.orders')
    assert diags[0].notes == (
        "app.billing.invoice -> app.orders (app/billing/invoice.py:1)",
        "app.orders -> app.billing.invoice (app/orders/__init__.py:1)",
    )


def test_kept_contracts_report_nothing(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT
            + '[[tool.kdocs.imports.contracts]]\nname = "arch"\ntype = "layers"\n'
            'layers = ["app.web", "app.core"]\n'
            '[[tool.kdocs.imports.contracts]]\nname = "dag"\ntype = "acyclic"\n'
            'modules = ["app.*"]\n'
            '[[tool.kdocs.imports.contracts]]\nname = "no io"\ntype = "forbidden"\n'
            'source-modules = ["app.core"]\nforbidden-modules = ["requests"]\n',
            "app/__init__.py": "",
            "app/web.py": "import requests\nfrom app.core import model\n",
            "app/core/__init__.py": "",
            "app/core/model.py": "import json\n",
        }
    )
    assert check(root) == []


def test_allow_type_checking_per_restriction_rule(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "app/__init__.py": "",
            "app/server.py": "",
            "app/.import-restrictions": """
                rules:
                  - selectorRegexp: "^app[.]server"
                    forbiddenPrefixes: ["app.server"]
                    allowTypeChecking: true
            """,
            "app/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import app.server\n",
            "app/b.py": "import app.server\n",
        }
    )
    assert [(d.file, d.line) for d in check(root, "I001")] == [("app/b.py", 1)]


def test_contract_naming_a_missing_module(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT
            + '[[tool.kdocs.imports.contracts]]\nname = "arch"\ntype = "layers"\n'
            'layers = ["app.web", "app.core"]\n',
            "app/__init__.py": "",
            "app/web.py": "",
        }
    )
    assert brief(check(root, "I003")) == [
        (
            "I003",
            "pyproject.toml",
            4,
            'contract "arch": `tool.kdocs.imports.contracts[0].layers` names `app.core`,'
            " which is not a module of the project",
        )
    ]


def test_unresolved_imports_become_findings(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "app/__init__.py": "",
            "app/top.py": "from ... import nothing\nimport app.missing\n",
            "app/user.py": "from app.plugins import s3\n",
            "app/config.py": "",
            "app/config/__init__.py": "",
            "app/plugins/s3.py": "",
        }
    )
    assert [(d.code, d.file, d.line) for d in check(root)] == [
        ("I013", "app/config.py", 1),
        ("I014", "app/plugins/s3.py", 1),
        ("I011", "app/top.py", 1),
        ("I012", "app/top.py", 2),
    ]


def test_inline_suppression(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "app/__init__.py": "",
            "app/top.py": "import app.missing  # kdocs: ignore[I012]\n",
        }
    )
    assert check(root) == []


# --- agreement with real import-linter ----------------------------------------------------

REAL = ["django==5.2.*", "sqlalchemy==2.0.*", "grimp==3.20", "import-linter==2.17"]


def parse_lint_imports(output: str) -> dict[tuple[str, str], set[tuple[str, ...]]]:
    """``{(contract name, "downstream -> upstream"): {chain, ...}}`` from lint-imports' report."""
    import re

    found: dict[tuple[str, str], set[tuple[str, ...]]] = {}
    contract = ""
    pair = ""
    chain: list[str] | None = None
    lines = output.split("Broken contracts", 1)[-1].splitlines()
    for i, line in enumerate(lines):
        if i + 1 < len(lines) and re.fullmatch(r"-+", lines[i + 1]) and line.strip():
            contract = line.strip()
            continue
        m = re.match(r"(\S+) is not allowed to import (\S+):", line)
        if m:
            pair = f"{m.group(1)} -> {m.group(2)}"
            continue
        hop = re.match(r"^(-\s+|\s+)(\S+) -> (\S+) \(l\.", line)
        if hop:
            if hop.group(1).startswith("-"):
                chain = [hop.group(2)]
                found.setdefault((contract, pair), set())
            assert chain is not None
            chain.append(hop.group(3))
            found[(contract, pair)] = found[(contract, pair)] | {tuple(chain)}
            found[(contract, pair)] = {c for c in found[(contract, pair)] if c != tuple(chain[:-1])}
    return found


@pytest.mark.slow
def test_agrees_with_import_linter(tmp_path: Path) -> None:
    import os
    import subprocess

    from tests.realenv import real_venv

    venv = real_venv(REAL)
    root = layered(tmp_path)
    proc = subprocess.run(
        [str(venv.path / "bin" / "lint-imports"), "--no-cache"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Contracts: 0 kept, 3 broken." in proc.stdout
    expected = parse_lint_imports(proc.stdout)
    ours: dict[tuple[str, str], set[tuple[str, ...]]] = {}
    for d in check(root):
        contract = d.message.split('"')[1]
        what = d.message.rsplit(" (", 1)[1].rstrip(")")
        chain = tuple(d.message.split(": ", 1)[1].rsplit(" (", 1)[0].split(" -> "))
        if " is a lower layer than " in what:
            down, up = what.split(" is a lower layer than ")
        elif " must be independent" in what:
            down, up = what.replace(" must be independent", "").split(" and ")
        else:
            down, up = what.split(" must not import ")
        ours.setdefault((contract, f"{down} -> {up}"), set()).add(chain)
    assert ours == expected
