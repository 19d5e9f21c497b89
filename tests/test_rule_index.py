"""The static rule index (``kdocs/rules/index.py``): selection and config validation read it
instead of importing every rule family, so ``kdocs check --select I,D`` imports the I and D
families only. The index must say exactly what the families declare (a drift test), and
validation must report a bad key of a family that does not run exactly as before."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kdocs import schema
from kdocs.config import parse_config
from kdocs.rules import index, registry
from kdocs.rules.selection import select_rules
from tests.conftest import MakeProject
from tests.helpers import run_kdocs


def test_committed_index_is_what_the_declarations_generate() -> None:
    """Regenerate with ``python -m kdocs.schema --write-index``."""
    committed = Path(index.__file__).read_text(encoding="utf-8")
    assert committed == schema.index_text(), "run: python -m kdocs.schema --write-index"
    assert schema.main(["--check-index"]) == 0


def test_index_lists_every_rule_as_the_registry_declares_it() -> None:
    rules = registry.all_rules()
    assert [(r.code, r.name, r.default_enabled, r.convention) for r in rules] == list(index.RULES)
    assert {r.family for r in rules} == set(registry.FAMILIES)


def test_sections_from_the_index_equal_the_declared_ones() -> None:
    """A schema that loads no section has the same sections, keys (in order), defaults and
    link keys as the full one; only the validators are missing."""
    full = schema.config_schema()
    bare = schema.config_schema(())
    assert list(bare) == list(full)
    for name, section in full.items():
        other = bare[name]
        assert list(other.settings) == list(section.settings), name
        assert {k: s.default for k, s in other.settings.items()} == {
            k: s.default for k, s in section.settings.items()
        }, name
        assert other.link_keys == section.link_keys, name
    config = parse_config({"src": ["src"]}, source=None, prefix="tool.kdocs")
    lean, whole = config.validated(bare), config.validated(full)
    assert lean.sections == whole.sections
    assert lean.link_fingerprint() == whole.link_fingerprint()


def test_each_family_module_registers_its_indexed_rules() -> None:
    """``registry.get`` imports the family the code's letter names: in a fresh interpreter,
    each family module alone registers every indexed rule of its letter (else ``get`` falls
    back to importing every family)."""
    probe = textwrap.dedent(
        """
        import json, sys
        from kdocs.rules import index, registry
        missing = {}
        for letter in registry.FAMILIES:
            registry.load_family(letter)
            have = {r.code for r in registry.registered()}
            missing[letter] = [c for c, *_ in index.RULES if c[0] == letter and c not in have]
        print(json.dumps(missing))
        """
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == {letter: [] for letter in registry.FAMILIES}


SELECTIONS = [
    (None, (), (), "python"),
    (None, (), (), "kubernetes"),
    (["ALL"], (), (), "python"),
    (["I", "D"], (), (), "python"),
    (["C1", "F"], ("G001",), ("C101",), "python"),
    (["F"], (), ("F11",), "kubernetes"),
    (["F"], ("F103",), ("F13",), "python"),
    (None, ("C403", "F1"), ("C4",), "python"),
]


@pytest.mark.parametrize(("select", "extend", "ignore", "convention"), SELECTIONS)
def test_selection_from_the_index_equals_selection_over_every_rule(
    select: list[str] | None, extend: tuple[str, ...], ignore: tuple[str, ...], convention: str
) -> None:
    """The rules chosen from the index are those the old scan over every loaded rule chose."""

    def spec(sel: str, code: str) -> int:
        return 0 if sel == "ALL" else (len(sel) if code.startswith(sel) else -1)

    expected = []
    for r in registry.all_rules():
        in_profile = r.convention is None or r.convention == convention
        on = 0 if (select is None and r.default_enabled and in_profile) else -1
        for sel in [*(select or ()), *extend]:
            if in_profile or sel == r.code:
                on = max(on, spec(sel, r.code))
        off = max((spec(sel, r.code) for sel in ignore), default=-1)
        if on >= 0 and on > off:
            expected.append(r)
    assert select_rules(select, extend, ignore, convention) == expected
    assert expected


def _project(make_project: MakeProject, config: str = "") -> Path:
    """A package that breaks its layers contract (I) and imports an undeclared package (D)."""
    return make_project(
        {
            "pyproject.toml": f"""
                [project]
                name = "app"
                version = "1"
                dependencies = ["click>=8"]

                [[tool.kdocs.imports.contracts]]
                name = "layers"
                type = "layers"
                layers = ["app.cli", "app.db"]
                {textwrap.dedent(config)}
            """,
            "app/__init__.py": "",
            "app/cli.py": '"""CLI."""\nimport click\nimport yaml\n',
            "app/db/__init__.py": "from app import cli\n",
        }
    )


PROBE = textwrap.dedent(
    """
    import json, sys
    from kdocs.cli import main
    try:
        main(["check", "--no-cache", "--select", "I,D", "--format", "json", "."])
    except SystemExit:
        pass
    with open(sys.argv[1], "w") as handle:
        json.dump(sorted(sys.modules), handle)
    """
)

NOT_FOR_I_D = {
    "kdocs.rules.cli",
    "kdocs.rules.types",
    "kdocs.rules.files",
    "kdocs.gen.drift",
    "kdocs.extract.cli",
    "kdocs.extract.types",
    "libcst",
    "jinja2",
    "yaml",
}


def _imported(root: Path, tmp_path: Path) -> tuple[set[str], set[str]]:
    """The modules a cold ``check --select I,D`` imports, and the codes it reports."""
    out = tmp_path / "modules.json"
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(out)], cwd=root, capture_output=True, text=True
    )
    codes = {d["code"] for d in json.loads(run.stdout)["diagnostics"]}
    return set(json.loads(out.read_text())), codes


def test_check_select_i_d_imports_only_the_i_and_d_families(
    make_project: MakeProject, tmp_path: Path
) -> None:
    modules, codes = _imported(_project(make_project), tmp_path)
    assert {c[0] for c in codes} == {"I", "D"}  # both families ran and found their problem
    assert {"kdocs.rules.imports", "kdocs.rules.deps"} <= modules
    assert not modules & NOT_FOR_I_D


def test_a_configured_section_loads_its_family_to_check_it(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """``[tool.kdocs.cli]`` in the config: its keys are checked against the C family's real
    declarations, so that family is imported even though no C rule runs."""
    root = _project(make_project, '[tool.kdocs.cli]\nflag-pattern = "^--[a-z]+$"\n')
    modules, codes = _imported(root, tmp_path)
    assert {c[0] for c in codes} == {"I", "D"}
    assert "kdocs.rules.cli" in modules
    assert "kdocs.rules.types" not in modules


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            '[tool.kdocs.cli]\nflag-patern = "x"\n',
            "unknown key `tool.kdocs.cli.flag-patern`; did you mean `flag-pattern`?",
        ),
        ("[tool.kdocs.cli]\nflag-pattern = 3\n", "`tool.kdocs.cli.flag-pattern` must be"),
        ("[tool.kdocs.types]\nacronyms = [1]\n", "`tool.kdocs.types.acronyms[0]` must be"),
        ("[tool.kdocs.cl]\nx = 1\n", "unknown key `tool.kdocs.cl`; did you mean `cli`?"),
    ],
)
def test_a_bad_key_of_a_family_that_does_not_run_is_reported_as_before(
    make_project: MakeProject, config: str, message: str
) -> None:
    """A bad ``[tool.kdocs.cli]`` key under ``check --select I`` names the key, with the same
    message as a full check."""
    root = _project(make_project, config)
    narrow = run_kdocs("check", "--no-cache", "--select", "I", ".", cwd=root)
    full = run_kdocs("check", "--no-cache", ".", cwd=root)
    assert narrow.exit_code == full.exit_code == 2
    assert message in narrow.stderr
    assert narrow.stderr == full.stderr
