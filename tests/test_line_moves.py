"""An edit that only moves lines keeps the stored findings, moved (``kdocs/lineslots.py``,
``kdocs/resultreuse.py``): no rule runs, and the output is what a run without any cache
prints. Anything the proof cannot cover runs the check."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from kdocs import cache, lineslots, resultreuse
from kdocs.extract.cli.lines import CliLines
from kdocs.extract.types.lines import ClassLines
from kdocs.models.diagnostics import Diagnostic, Edit, Fix
from tests.conftest import MakeProject
from tests.helpers import age_tree
from tests.test_result_reuse import FILES, RuleRuns, _check, _edit

# -- the digest ------------------------------------------------------------------------


def test_a_digest_depends_on_the_values_not_on_which_objects_are_shared() -> None:
    """A result's digest is compared with one made in another process, where the extractor
    may share other objects (an interned name, a cached value): only values count."""
    import copy

    from kdocs.analysis import result_digest

    row = ["".join(["na", "me"]), 3, {"a": None, "b": [1.5, True]}]
    shared = {"problem": None, "facts": {"x": row, "y": row}, "noqa": None}
    copies = copy.deepcopy({"problem": None, "facts": {"x": row, "y": list(row)}, "noqa": None})
    assert copies["facts"]["x"] is not copies["facts"]["y"]
    assert result_digest(shared) == result_digest(copies)
    copies["facts"]["y"][2]["b"][1] = False
    assert result_digest(shared) != result_digest(copies)


# -- the slots -------------------------------------------------------------------------


def test_the_types_slots_are_the_positions_the_extractor_writes_and_no_data() -> None:
    facts = {
        "module": "m",
        "classes": [
            {
                "name": "A",
                "line": 3,
                "col": 1,
                "fields": [{"name": "x", "line": 5, "call": {"examples": [{"line": 40}]}}],
                "members": [],
                "computed": [{"name": "y", "line": 7}],
                "keywords": {"line": 41},  # the project's data: not a slot
            },
            {"name": "B", "line": 9},
        ],
        "unresolved": [["`C` is built at runtime", 12]],
    }
    spec = ClassLines()
    found: list[int] = []
    spec.read(facts, found)
    assert found == [3, 5, 7, 9, 12]
    moved = spec.write(facts, iter([4, 6, 8, 10, 13]))
    assert moved["classes"][0]["line"] == 4 and moved["classes"][0]["fields"][0]["line"] == 6
    assert moved["classes"][0]["fields"][0]["call"] == {"examples": [{"line": 40}]}
    assert moved["classes"][0]["keywords"] == {"line": 41}
    assert moved["classes"][0]["computed"] == [{"name": "y", "line": 8}]
    assert moved["classes"][1] == {"name": "B", "line": 10}
    assert moved["unresolved"] == [["`C` is built at runtime", 13]]
    assert facts["classes"][0]["line"] == 3  # a copy: the facts are left as they were
    again: list[int] = []
    spec.read(moved, again)
    assert again == [4, 6, 8, 10, 13]


def test_real_types_facts_read_and_write_back_to_the_same_digest() -> None:
    """On a real extraction, writing the slots read puts back the same facts."""
    from kdocs.analysis import result_digest
    from kdocs.extract.types.facts import extract_file

    text = (Path(__file__).parent.parent / "kdocs" / "models" / "types.py").read_text()
    tree = ast.parse(text)
    facts = extract_file(tree, text, "kdocs.models.types", False, "kdocs/models/types.py")
    result = {"problem": None, "facts": facts, "noqa": [[2, ["F1"]]]}
    found = lineslots.slots(ClassLines(), result)
    assert found is not None and len(found) > 20
    back = lineslots.relined(ClassLines(), result, found)
    assert back is not None and result_digest(back) == result_digest(result)
    shifted = lineslots.relined(ClassLines(), result, [n + 1 for n in found])
    assert shifted is not None and result_digest(shifted) != result_digest(result)


def test_row_lines_and_suppression_comments_are_slots() -> None:
    spec = lineslots.RowLines("imports")
    result = {
        "problem": None,
        "facts": {"imports": [[1, 0, 0, "os", None], [7, 0, 0, "re", None]]},
        "noqa": [[4, ["I001"]]],
    }
    assert lineslots.slots(spec, result) == [1, 7, 4]
    back = lineslots.relined(spec, result, [2, 8, 5])
    assert back == {
        "problem": None,
        "facts": {"imports": [[2, 0, 0, "os", None], [8, 0, 0, "re", None]]},
        "noqa": [[5, ["I001"]]],
    }
    assert lineslots.relined(spec, result, [2, 8]) is None  # another number of slots


def test_facts_of_a_kind_without_slots_or_a_problem_have_none() -> None:
    assert lineslots.slots(None, {"problem": None, "facts": {"x": 1}, "noqa": None}) is None
    assert lineslots.slots(None, {"problem": None, "facts": None, "noqa": [[3, []]]}) == [3]
    problem = {"problem": {"code": "E003"}, "facts": None, "noqa": None}
    assert lineslots.slots(lineslots.NO_LINES, problem) is None


def _cli_result(path: Path) -> dict[str, object]:
    """The per-file CLI result of a real file, as extraction makes it."""
    from kdocs.analysis import process_file
    from kdocs.project import SourceEntry

    entry = SourceEntry(fspath=str(path), relpath=path.name, module=path.stem)
    _stat, _key, results = process_file(entry, ["cli"], {"cli": {}})
    assert results["cli"]["facts"] is not None, path
    return results["cli"]


def _moved_by_three(result: dict[str, Any], at_least: int) -> dict[str, Any]:
    """``result`` with every CLI slot three lines down, after checking that its slots (at
    least ``at_least``) come back to the same digest and, moved, change it."""
    from kdocs.analysis import result_digest

    spec = CliLines()
    found = lineslots.slots(spec, result)
    assert found is not None and len(found) >= at_least
    back = lineslots.relined(spec, result, found)
    assert back is not None and result_digest(back) == result_digest(result)
    moved = lineslots.relined(spec, result, [n + 3 for n in found])
    assert moved is not None and result_digest(moved) != result_digest(result)
    assert lineslots.slots(spec, {**moved, "lines": None}) == [n + 3 for n in found]
    return moved


def test_the_cli_slots_of_a_real_click_program_move_and_come_back() -> None:
    _moved_by_three(_cli_result(Path(__file__).parent.parent / "kdocs" / "cli.py"), 200)


def test_cli_facts_of_an_unknown_shape_have_no_slots() -> None:
    spec = CliLines()
    python = {"module": "m", "package": False, "body": [["with", 3]], "lazy": []}
    unknown = {"problem": None, "facts": {"python": python, "argparse": None}, "noqa": None}
    assert lineslots.slots(spec, unknown) is None
    argparse = {"python": None, "argparse": {"functions": {}}, "literals": None}  # no classes
    assert lineslots.slots(spec, {"problem": None, "facts": argparse, "noqa": None}) is None
    constant = {**python, "body": [["expr", ["c", 7], 3]]}  # 7 is data, 3 the line
    facts = {"python": constant, "argparse": None, "literals": None}
    assert lineslots.slots(spec, {"problem": None, "facts": facts, "noqa": None}) == [3]


def test_the_argparse_slots_of_a_real_program_move_and_come_back() -> None:
    """The standard library's ``json.tool`` builds an argparse parser: its facts' slots (the
    functions' lines, every event's ``loc``) move and come back to the same digest."""
    import json.tool

    result = _cli_result(Path(json.tool.__file__))
    assert result["facts"]["argparse"] is not None
    moved = _moved_by_three(result, 10)
    events = moved["facts"]["argparse"]["functions"]["main"]["events"]
    original = result["facts"]["argparse"]["functions"]["main"]["events"]
    assert [e["loc"][0] for e in events if "loc" in e] == [
        e["loc"][0] + 3 for e in original if "loc" in e
    ]


def test_argparse_data_and_a_lambda_name_are_not_slots() -> None:
    """Only the places the argparse extractor writes lines are slots: a keyword argument
    named ``loc`` is the program's data, the module body's line is always 1, and the line
    in a lambda's qualified name stays in the compared digest."""
    event = {"op": "arg", "on": {"p": "parser"}, "loc": [5, 9], "args": [], "kw": {}}
    event["kw"]["loc"] = {"c": [7, 7]}
    loop = {"op": "loop", "iter": {"u": "xs"}, "vars": "v1", "names": ["x"], "body": [event]}
    lambda_name = "main.<lambda:6:20>"
    functions = {
        "<module>": {"events": [], "line": 1},
        "main": {"events": [loop], "line": 4},
        lambda_name: {"events": [{"op": "return", "value": {"c": 1}}], "line": 6},
    }
    argparse = {"classes": {"Tool": {"bases": [], "line": 2}}, "functions": functions}
    facts = {"python": None, "argparse": argparse, "literals": None}
    result = {"problem": None, "facts": facts, "noqa": None}
    assert lineslots.slots(CliLines(), result) == [2, 4, 5, 6]
    moved = lineslots.relined(CliLines(), result, [12, 14, 15, 16])
    assert moved is not None
    assert moved["facts"]["argparse"]["functions"]["main"]["events"][0]["body"][0] == {
        **event,
        "loc": [15, 9],
    }
    assert lambda_name in moved["facts"]["argparse"]["functions"]


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([(3, 4), (5, 6), (3, 4)], {3: 4, 5: 6}),
        ([(3, 3), (9, 10)], {3: 3, 9: 10}),
        ([(3, 4), (3, 5)], None),  # one old line to two new ones
        ([(3, 8), (5, 6)], None),  # order not kept
        ([(3, 6), (5, 6)], None),  # two old lines merged
        ([], {}),
    ],
)
def test_the_line_map_is_one_strictly_increasing_function(
    pairs: list[tuple[int, int]], expected: dict[int, int] | None
) -> None:
    assert lineslots.line_map(pairs) == expected


# -- moving the stored findings ----------------------------------------------------------


def _finding(**kw: object) -> Diagnostic:
    base: dict[str, object] = {"code": "F104", "message": "field `A.x` has no doc", "file": "a.py"}
    return Diagnostic(**{**base, "line": 5, **kw})  # type: ignore[arg-type]


def test_findings_of_a_moved_file_move_and_others_stay() -> None:
    other = _finding(file="b.py", line=5, related=(("a.py", 3),))
    moved = resultreuse.shifted([_finding(line=5, end_line=7), other], {"a.py": {3: 4, 5: 6, 7: 8}})
    assert moved == [_finding(line=6, end_line=8), _finding(file="b.py", related=(("a.py", 4),))]


def test_an_import_hop_note_of_a_moved_file_moves() -> None:
    chain = _finding(
        code="I005",
        message='contract "c": app.core -> app.util -> json (app.core must not import json)',
        file="app/core.py",
        line=1,
        notes=(
            "app.core -> app.util (app/core.py:1)",
            "app.util -> json (app/util.py:2, 9) (TYPE_CHECKING)",
        ),
    )
    (moved,) = resultreuse.shifted([chain], {"app/util.py": {2: 3, 9: 10}}) or [None]
    assert moved is not None
    assert moved.notes == (
        "app.core -> app.util (app/core.py:1)",
        "app.util -> json (app/util.py:3, 10) (TYPE_CHECKING)",
    )
    assert moved.line == 1


@pytest.mark.parametrize(
    "finding",
    [
        _finding(line=6),  # on a line no slot held
        _finding(end_line=11),  # ends on a line no slot held
        _finding(fix=Fix("document it", (Edit(5, 1, 5, 1, "x"),))),  # computed from old bytes
        _finding(file="b.py", message="see a.py:5"),  # the text names the moved file
        _finding(file="b.py", notes=("a.py:5 imports it: move it to a dev group?",)),
        _finding(file="b.py", related=(("a.py", 6),)),
    ],
)
def test_a_finding_that_cannot_be_moved_runs_the_check(finding: Diagnostic) -> None:
    assert resultreuse.shifted([finding], {"a.py": {3: 4, 5: 6}}) is None


# -- through the command -----------------------------------------------------------------


def _settled(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]
) -> Path:
    """A project whose files count as settled (no racy-clean wait), each with its own old
    mtime, so that every edit changes a stat."""
    monkeypatch.setattr(cache, "TICK_NS", 0)
    root = make_project(files)
    age_tree(root)
    return root


@pytest.fixture
def project(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> Path:
    return _settled(make_project, monkeypatch, FILES)


def test_lines_moved_above_findings_reuse_the_result_moved(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _check(project)
    assert '"app/models.py"' in first and '"line": 8' in first
    runs = RuleRuns(monkeypatch)
    edits = [
        lambda: _edit(project, "app/models.py", "import pydantic\n", "import pydantic\n\n\n"),
        lambda: _edit(project, "app/models.py", '"""A user."""\n', '"""A user."""\n\n'),
        # lines removed again, and a suppression comment that moves with its finding
        lambda: _edit(project, "app/models.py", "\n\n\n", "\n"),
        lambda: _edit(project, "app/models.py", "import pydantic\n", "import pydantic  # x\n"),
    ]
    seen = [first]
    for n, edit in enumerate(edits):
        edit()
        after = _check(project)
        assert runs.calls == n, n  # reused: no rule ran (only the --no-cache runs did)
        assert after == _check(project, "--no-cache"), n
        seen.append(after)
    assert seen[1] != first  # the findings did move
    assert '"line": 10' in seen[1] and '"line": 11' in seen[2]


def _reused_after(
    root: Path, monkeypatch: pytest.MonkeyPatch, relpath: str, old: str, new: str
) -> tuple[str, str]:
    """The output before and after one edit, which must reuse the stored result and print
    what a check without any cache prints."""
    first = _check(root)
    runs = RuleRuns(monkeypatch)
    _edit(root, relpath, old, new)
    after = _check(root)
    assert runs.calls == 0
    assert after == _check(root, "--no-cache")
    return first, after


def test_lines_moved_in_a_click_program_move_its_findings(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, after = _reused_after(
        project, monkeypatch, "app/cli.py", "import click\n", "import click\n\n\n"
    )
    assert '"code": "C101"' in first and after != first


def test_a_click_script_is_not_read_again_for_an_argparse_chain(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With an argparse program elsewhere in the project, the argparse link follows console
    scripts (and ``__main__`` targets) into modules that build no parser; a target the click
    link resolved is not followed, so its module is not read again and an edit to it can
    reuse the result."""
    (project / "app" / "__main__.py").write_text("from app.cli import main\n\nmain()\n")
    (project / "app" / "tool.py").write_text(
        "import argparse\n\n\ndef main():\n"
        "    parser = argparse.ArgumentParser(description='A tool.')\n"
        "    parser.add_argument('--level', help='The level.')\n"
        "    parser.parse_args()\n"
    )
    age_tree(project)
    first, after = _reused_after(
        project, monkeypatch, "app/cli.py", "import click\n", "import click\n\n"
    )
    assert '"code": "C101"' in first and after != first


ARGPARSE_TOOL = (
    "import argparse\n\n\ndef main():\n"
    "    parser = argparse.ArgumentParser(description='A tool.')\n"
    "    parser.add_argument('--user_name', help='The user.')\n"
    "    parser.set_defaults(func=lambda args: parser.print_help())\n"
    "    parser.parse_args()\n"
)


def _with_tool(project: Path, text: str) -> None:
    """Add ``text`` as the argparse program ``app/tool.py``, a console script."""
    (project / "app" / "tool.py").write_text(text)
    pyproject = project / "pyproject.toml"
    script = 'app = "app.cli:main"\n'
    pyproject.write_text(pyproject.read_text().replace(script, script + 'tool = "app.tool:main"\n'))
    age_tree(project)


def test_lines_moved_in_an_argparse_program_move_its_findings(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lambda_line = "    parser.set_defaults(func=lambda args: parser.print_help())\n"
    _with_tool(project, ARGPARSE_TOOL.replace(lambda_line, ""))
    first, after = _reused_after(
        project, monkeypatch, "app/tool.py", "import argparse\n", "import argparse\n\n\n"
    )
    assert '"file": "app/tool.py"' in first and '"line": 6' in first
    assert '"line": 8' in after


def test_a_moved_lambda_in_an_argparse_program_runs_the_check(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lambda's qualified name holds its line: moving it changes the facts, and the
    check runs; an edit below it does not move it, and keeps the stored result."""
    _with_tool(project, ARGPARSE_TOOL)
    _reused_after(
        project,
        monkeypatch,
        "app/tool.py",
        "    parser.parse_args()\n",
        "\n    parser.parse_args()\n",
    )
    runs = RuleRuns(monkeypatch)
    _edit(project, "app/tool.py", "import argparse\n", "import argparse\n\n")
    after = _check(project)
    assert runs.calls == 1
    assert after == _check(project, "--no-cache")


def test_lines_moved_in_a_module_the_cli_interpreter_follows(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """app/cli.py takes its flag's name from app/texts.py: the CLI link read that module's
    IR (a token of it, with its line slots); lines moved there keep the stored result,
    while a changed value runs the check (test_result_reuse)."""
    _reused_after(project, monkeypatch, "app/texts.py", "NAME_HELP", "\n\nNAME_HELP")


def test_a_moved_suppression_comment_still_suppresses(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit(project, "app/models.py", "userAge: int = 3", "userAge: int = 3  # kdocs: ignore[F1]")
    age_tree(project)
    first = _check(project)
    assert "F111" not in first
    runs = RuleRuns(monkeypatch)
    _edit(project, "app/models.py", "import pydantic\n", "import pydantic\n\n")
    after = _check(project)
    assert runs.calls == 0
    assert after == _check(project, "--no-cache") and "F111" not in after


IMPORT_FILES = {
    "pyproject.toml": """
        [project]
        name = "app"
        version = "1"

        [[tool.kdocs.imports.contracts]]
        name = "no json"
        type = "forbidden"
        source-modules = ["app.core"]
        forbidden-modules = ["json"]
    """,
    "app/__init__.py": "",
    "app/core.py": "import app.util\n",
    "app/util.py": '"""Helpers."""\n\nimport os\nimport json\n',
}


def test_an_import_chain_through_a_moved_file_moves_its_note(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _settled(make_project, monkeypatch, IMPORT_FILES)
    first, after = _reused_after(
        root, monkeypatch, "app/util.py", '"""Helpers."""\n', '"""Helpers."""\n\n\n'
    )
    assert "app/util.py:4" in first and "app/util.py:6" in after


GENERATOR_FILES = {
    "pyproject.toml": """
        [project]
        name = "app"
        version = "1"
        dependencies = ["pydantic>=2"]

        [tool.kdocs]
        convention = "kubernetes"
    """,
    "app/__init__.py": "",
    "app/models.py": '''
        import pydantic


        def dashed(name):
            return name.replace("_", "-")


        def shout(text):
            return text.upper()


        class User(pydantic.BaseModel):
            """A user."""

            model_config = pydantic.ConfigDict(alias_generator=dashed)

            user_name: str
    ''',
}


@pytest.fixture
def generated(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> Path:
    return _settled(make_project, monkeypatch, GENERATOR_FILES)


def test_a_small_function_the_types_link_does_not_use_is_not_a_fact(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The types facts keep every small one-argument function's text (it may be an alias
    generator) out of the result digest: an edit to one no model uses keeps the result."""
    first, after = _reused_after(
        generated, monkeypatch, "app/models.py", "text.upper()", "text.lower()"
    )
    assert "`User.user_name` (`user-name`)" in first and after == first


def test_an_edit_to_the_alias_generator_in_use_runs_the_check(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _check(generated)
    runs = RuleRuns(monkeypatch)
    _edit(generated, "app/models.py", '"_", "-"', '"_", "."')
    after = _check(generated)
    assert runs.calls == 1 and after == _check(generated, "--no-cache")
    assert "(`user.name`)" in after and after != first


def test_an_alias_generator_read_by_a_cached_types_model_still_counts(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check whose types model came from the model cache (a rule option changed) replays
    the link's token of the generator, so a later edit of it runs the check."""
    _check(generated)
    pyproject = generated / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + '\n[tool.kdocs.types]\nacronyms = ["ID"]\n')
    _check(generated)
    _edit(generated, "app/models.py", '"_", "-"', '"_", "."')
    after = _check(generated)
    assert after == _check(generated, "--no-cache") and "(`user.name`)" in after
