"""The import graph: extraction (fast scanner and AST walker agree), resolution, bad layouts."""

from __future__ import annotations

import ast
import importlib
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from kdocs.analysis import Analysis
from kdocs.extract.imports.scan import scan
from kdocs.extract.imports.walk import (
    CONDITIONAL_FLAG,
    FUNCTION_FLAG,
    OPTIONAL_FLAG,
    TYPE_CHECKING_FLAG,
    tree_imports,
)
from kdocs.models.imports import ImportGraph
from kdocs.models.serialize import to_data
from kdocs.project import discover
from tests.conftest import MakeProject

TC, COND, FUNC = TYPE_CHECKING_FLAG, CONDITIONAL_FLAG, FUNCTION_FLAG


def graph_of(root: Path) -> ImportGraph:
    model: ImportGraph = Analysis(discover([root]), use_cache=False).model("imports")
    return model


def edges(graph: ImportGraph) -> set[tuple[str, str, int]]:
    return {(i.importer, i.imported, i.line) for i in graph.imports}


SAMPLE = '''
"""Module docstring.

import not_an_import
from here import nothing
"""
from __future__ import annotations

import os, sys as system
import a.b.c
from . import sibling
from ..parent import (
    one,
    two as deux,
)
from x import \\
    y
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tc_only import T
    if sys.version_info > (3, 11):
        import nested_tc
elif other:
    import elif_branch
else:
    import else_branch

if not typing.TYPE_CHECKING:
    import runtime_only
else:
    import tc_from_else

try:
    import ujson as json
except ImportError:
    import json
finally:
    import always_runs

def f(
    arg,
):
    """Docstring with
    import fake
    """
    import inside_function
    class Local:
        from deep import thing

class C:
    import in_class
    async def g(self):
        async with x:
            from star import *
        for i in range(3):
            import in_loop

match command:
    case "go":
        import in_match
'''


def test_scanner_and_ast_walker_agree_on_every_construct() -> None:
    text = textwrap.dedent(SAMPLE)
    fast = scan(text)
    assert fast is not None
    assert fast == tree_imports(ast.parse(text))
    by_module = {(r[3], tuple(r[4]) if r[4] else None): r for r in fast}
    flags = {module: r[1] for (module, _), r in by_module.items()}
    assert flags["os"] == 0 and flags["a.b.c"] == 0
    assert flags["tc_only"] == TC
    assert flags["nested_tc"] == TC | COND
    assert flags["elif_branch"] == COND
    assert flags["else_branch"] == COND
    assert flags["runtime_only"] == COND
    assert flags["tc_from_else"] == TC
    # ujson is optional (its try catches ImportError); the fallback in the handler is not.
    assert flags["ujson"] == COND | OPTIONAL_FLAG and flags["json"] == COND
    assert flags["always_runs"] == 0  # a finally block always runs
    assert flags["inside_function"] == FUNC
    assert flags["deep"] == FUNC
    assert flags["in_class"] == 0
    assert flags["star"] == FUNC
    assert flags["in_loop"] == FUNC | COND
    assert flags["in_match"] == COND
    assert "not_an_import" not in flags and "fake" not in flags
    assert by_module[("parent", ("one", "two"))][2] == 2  # level
    assert by_module[("x", ("y",))][0] == 16  # the line the statement starts on


@pytest.mark.parametrize(
    "text",
    [
        "x = 1; import os\n",  # an import after a semicolon
        "if x: import os\n",  # a one-line block
        's = \'"""\'\nimport os\n',  # a triple quote inside another string
        "# a comment with ''' in it\nimport os\n",
    ],
)
def test_scanner_defers_to_the_parser_when_unsure(text: str) -> None:
    assert scan(text) is None
    assert tree_imports(ast.parse(text))  # the fallback still finds the import


# Statements the scanner reads without the parser, and look-alikes it must hand to it.
READ_WITHOUT_PARSER = [
    "import os\n",
    "import os.path as osp, sys  # a comment\n",
    "import a.b\tas\tc\n",
    "from . import x\n",
    "from ..pkg.mod import a as b, c\n",
    "from pkg import (\n    a,\n    b as c,\n)\n",
    "from pkg import (a)  # trailing\n",
    "from pkg import *\n",
    "from __future__ import annotations\r\nimport os\r\n",
    "from pkg import (\r\n    a,\r\n    b,\r\n)  # CRLF line ends\r\n",
    "import match, case, type, _\n",  # soft keywords are names
    "if TYPE_CHECKING:\n    from pkg import (\n        a,\n    )\n",
    "def f():\n    import os  # lazily\n",
    # Headers at, above and below the imports' depth, indented with tabs and spaces: only
    # the shallower ones decide the flags.
    "try:\n\timport a\nexcept ImportError:\n\tpass\n"
    "def f():\n\tif x:\n\t\tfor y in z:\n\t\t\tpass\n\t\timport b\n"
    "class C:\n    if TYPE_CHECKING:\n        import c\n    else:\n        import d\n",
]
HANDED_TO_PARSER = [
    "import if\n",  # a keyword as a name: a syntax error
    "import a as None\n",
    "from pkg.class import x\n",
    "import as\n",
    "from pkg import (a, # a comment inside the brackets\n    b)\n",
    "from pkg import (a.b)\n",  # a dotted name after from ... import: a syntax error
    "from pkg import a,\n",
    "from pkg import ()\n",
    "from pkg import (,)\n",
    "from pkg import (*)\n",
    "from .import x\n",
    "from pkg import \\\n    x\n",
    "import os  # a NUL \0 in a comment\n",
    "import caf\u00e9\n",  # a non-ASCII name: valid, but read by the parser
    "import a . b\n",
]


@pytest.mark.parametrize("text", READ_WITHOUT_PARSER + HANDED_TO_PARSER)
def test_scanner_reads_common_statements_like_the_parser(text: str) -> None:
    """Whatever the scanner reads by itself, it reads exactly as the parsed tree says; a
    statement the parser rejects never comes back as facts."""
    try:
        expected = tree_imports(ast.parse(text))
    except (SyntaxError, ValueError):
        expected = None
    found = scan(text)
    if found is not None:
        assert found == expected
    if text in READ_WITHOUT_PARSER:
        assert found is not None and found == expected


@pytest.mark.parametrize("text", HANDED_TO_PARSER)
def test_scanner_leaves_unusual_statements_to_the_parser(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan_module = importlib.import_module("kdocs.extract.imports.scan")

    parsed: list[str] = []
    real_parse = ast.parse

    def spy(source: str, *args: object, **kwargs: object) -> ast.Module:
        parsed.append(source)
        return real_parse(source)

    monkeypatch.setattr(scan_module, "ast", SimpleNamespace(parse=spy))
    scan(text)
    assert parsed, "the scanner read this statement without the parser"


def test_scanner_reads_a_module_of_plain_imports_without_the_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scan_module = importlib.import_module("kdocs.extract.imports.scan")

    def fail(*args: object, **kwargs: object) -> ast.Module:
        raise AssertionError("parsed")

    text = "".join(READ_WITHOUT_PARSER)
    expected = tree_imports(ast.parse(text))
    monkeypatch.setattr(scan_module, "ast", SimpleNamespace(parse=fail))
    assert scan(text) == expected


def test_resolution_relative_absolute_submodules_and_kinds(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": "[project]\nname = 'app'\n",
            "src/app/__init__.py": "from . import sub, CONSTANT\nfrom .core import models\n",
            "src/app/sub.py": "import app.core.models\nfrom app.core import helper_name\n",
            "src/app/core/__init__.py": "from .models import Model\n",
            "src/app/core/models.py": """
                import os.path
                import yaml
                import google.protobuf.message
                from typing import TYPE_CHECKING
                if TYPE_CHECKING:
                    from app import sub
                def f():
                    from .. import sub
            """,
        }
    )
    graph = graph_of(root)
    assert graph.modules == ("app", "app.core", "app.core.models", "app.sub")
    assert "app" in graph.packages and "app.sub" not in graph.packages
    assert edges(graph) >= {
        ("app", "app.sub", 1),
        ("app", "app.core.models", 2),
        ("app.sub", "app.core.models", 1),
        ("app.sub", "app.core", 2),
        ("app.core", "app.core.models", 1),
        ("app.core.models", "os.path", 1),
        ("app.core.models", "yaml", 2),
        ("app.core.models", "google.protobuf.message", 3),
        ("app.core.models", "app.sub", 6),
        ("app.core.models", "app.sub", 8),
    }
    # ``from . import sub, CONSTANT``: CONSTANT is not a module, so it is ``app`` itself: a
    # self-import, which is left out (grimp does the same).
    assert not any(i.importer == i.imported for i in graph.imports)
    kinds = {i.imported: i.kind for i in graph.imports}
    assert kinds["os.path"] == "stdlib" and kinds["typing"] == "stdlib"
    assert kinds["yaml"] == "third-party" and kinds["google.protobuf.message"] == "third-party"
    assert kinds["app.sub"] == "internal"
    tc = [i for i in graph.imports if i.importer == "app.core.models" and i.line == 6]
    assert tc[0].type_checking and not tc[0].function_level
    fn = [i for i in graph.imports if i.importer == "app.core.models" and i.line == 8]
    assert fn[0].function_level and not fn[0].type_checking
    assert graph.files["app.core.models"] == "src/app/core/models.py"
    data = to_data(graph)
    assert set(data) >= {"modules", "imports"}
    assert set(data["imports"][0]) >= {"importer", "imported", "line", "kind", "file"}


def test_bad_layouts_are_reported_not_fatal(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": "[project]\nname = 'app'\n",
            "app/__init__.py": "",
            "app/top.py": "from ... import nothing\nimport app.missing.module\n",
            "app/config.py": "A = 1\n",
            "app/config/__init__.py": "B = 2\n",
            "app/plugins/s3.py": "from ..config import B\n",
            "app/opt.py": "try:\n    import app.optional\nexcept ImportError:\n    pass\n",
            "script.py": "from . import x\n",
        }
    )
    graph = graph_of(root)
    reasons = {(u.reason, u.file, u.line) for u in graph.unresolved}
    assert reasons == {
        ("relative-beyond-top-level", "app/top.py", 1),
        ("missing-module", "app/top.py", 2),
        ("shadowed-module", "app/config.py", 1),
        ("missing-init", "app/plugins/s3.py", 1),
        ("relative-beyond-top-level", "script.py", 1),
    }
    # The package wins over the same-named file; the namespace directory still resolves.
    assert graph.files["app.config"] == "app/config/__init__.py"
    assert ("app.plugins.s3", "app.config", 1) in edges(graph)
    # ``import app.missing.module`` still loads ``app``: the edge goes to the nearest module.
    assert ("app.top", "app", 2) in edges(graph)


def test_namespace_packages_resolve(make_project: MakeProject) -> None:
    root = make_project(
        {
            "ns/pkg/a.py": "from ns.pkg import b\nfrom ns import pkg\n",
            "ns/pkg/b.py": "",
        }
    )
    graph = graph_of(root)
    assert ("ns.pkg.a", "ns.pkg.b", 1) in edges(graph)
    assert not graph.unresolved


# --- agreement with grimp on a real package ----------------------------------------------

REAL = ["django==5.2.*", "sqlalchemy==2.0.*", "grimp==3.20", "import-linter==2.17"]

GRIMP_EDGES = """
import json, grimp
graph = grimp.build_graph("django", cache_dir=None)
print(json.dumps(sorted(
    [a, b] for a in graph.modules for b in graph.find_modules_directly_imported_by(a)
)))
"""


@pytest.mark.slow
def test_graph_agrees_with_grimp_on_django() -> None:
    import json

    from tests.realenv import real_venv

    venv = real_venv(REAL)
    proc = venv.run("-c", GRIMP_EDGES)
    assert proc.returncode == 0, proc.stderr
    ref = {tuple(e) for e in json.loads(proc.stdout)}
    graph = graph_of(venv.site_packages / "django")
    ours = {(i.importer, i.imported) for i in graph.imports if i.kind == "internal"}
    common = ref & ours
    assert len(ref) > 3000
    assert len(common) / len(ref) >= 0.99, sorted(ref - ours)[:20]
    assert len(common) / len(ours) >= 0.99, sorted(ours - ref)[:20]
    # The fast scanner and the full parse give the same facts on every file.
    for entry in discover([venv.site_packages / "django"]).files:
        text = entry.path.read_text(encoding="utf-8")
        fast = scan(text)
        if fast is not None:
            assert fast == tree_imports(ast.parse(text)), entry.relpath


def test_inspect_imports_json_contract(make_project: MakeProject) -> None:
    from tests.helpers import run_kdocs

    root = make_project(
        {
            "pyproject.toml": "[project]\nname = 'app'\n",
            "app/__init__.py": "from app import core\nimport yaml\n",
            "app/core.py": "",
        }
    )
    run = run_kdocs("inspect", "imports", str(root), "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert data["modules"] == ["app", "app.core"]
    assert [(i["importer"], i["imported"], i["line"], i["kind"]) for i in data["imports"]] == [
        ("app", "app.core", 1, "internal"),
        ("app", "yaml", 2, "third-party"),
    ]


def test_excluded_or_compiled_modules_are_not_missing(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": "[project]\nname = 'app'\n[tool.kdocs]\nextend-exclude = ['app/gen/']\n",
            "app/__init__.py": "",
            "app/gen/__init__.py": "",
            "app/gen/tables.py": "",
            "app/speedups.cpython-311-x86_64-linux-gnu.so": "",
            "app/use.py": "import app.gen.tables\nfrom app import speedups\nimport app.nothere\n",
        }
    )
    graph = graph_of(root)
    assert [(u.reason, u.target) for u in graph.unresolved] == [("missing-module", "app.nothere")]


def test_link_rows_follow_the_import_fields() -> None:
    """The link sorts plain rows and builds each Import by position: the row order must be
    the dataclass's field order (its ``order=True`` comparison)."""
    import dataclasses

    from kdocs.extract.imports.link import ROW_FIELDS
    from kdocs.models.imports import Import

    assert tuple(f.name for f in dataclasses.fields(Import)) == ROW_FIELDS
