"""kdocs' own layers: the contract in pyproject.toml is complete, enforced, and kept."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from tests.conftest import MakeProject
from tests.helpers import run_kdocs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = "[project]\nname = 'app'\n"


def _layers() -> list[str]:
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = data["tool"]["kdocs"]["imports"]["contracts"]
    (layers,) = [c for c in contracts if c["name"] == "kdocs layers"]
    layer_list: list[str] = layers["layers"]
    return layer_list


def _names(layer: str) -> list[str]:
    return [p.strip().strip("()").strip() for p in layer.replace("|", ":").split(":")]


def test_every_module_of_kdocs_sits_in_one_layer() -> None:
    """A new module or package under kdocs/ must be placed in the contract on purpose."""
    named = [n for layer in _layers() for n in _names(layer)]
    assert len(named) == len(set(named)), "a module is in two layers"
    present = {
        f"kdocs.{p.stem}" if p.is_file() else f"kdocs.{p.name}"
        for p in (REPO / "kdocs").iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    }
    missing = sorted(present - set(named))
    assert missing == [], f"add these to the `kdocs layers` contract in pyproject.toml: {missing}"


def test_kdocs_checks_itself_clean() -> None:
    """The dogfood gate: the layers contract (and every other rule) holds on kdocs itself."""
    run = run_kdocs("check", ".", "--no-cache", "--format", "json", cwd=REPO)
    assert run.json()["diagnostics"] == [], run.stdout
    assert run.exit_code == 0


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    """The contract is not vacuous: a model importing the CLI is reported with its chain."""
    copy = tmp_path / "kdocs-copy"
    shutil.copytree(REPO / "kdocs", copy / "kdocs", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    target = copy / "kdocs" / "models" / "serialize.py"
    target.write_text(target.read_text(encoding="utf-8") + "\nimport kdocs.report\n")
    run = run_kdocs("check", ".", "--no-cache", "--select", "I003", "--format", "json", cwd=copy)
    found = [(d["file"], d["message"]) for d in run.json()["diagnostics"]]
    assert found == [
        (
            "kdocs/models/serialize.py",
            'contract "kdocs layers": kdocs.models.serialize -> kdocs.report'
            " (kdocs.models is a lower layer than kdocs.report)",
        )
    ]


def test_optional_layers_may_be_absent(make_project: MakeProject) -> None:
    """import-linter's ``(name)``: a layer that does not exist yet is not reported, but once
    it exists the contract applies to it like to any other layer."""
    contract = (
        '[[tool.kdocs.imports.contracts]]\nname = "arch"\ntype = "layers"\n'
        'layers = ["app.cli", "(app.gen) | app.report", "(app.core)", "app.util"]\n'
    )
    files = {
        "pyproject.toml": PYPROJECT + contract,
        "app/__init__.py": "",
        "app/cli.py": "import app.report\n",
        "app/report.py": "import app.util\n",
        "app/util.py": "",
    }
    root = make_project(files)
    run = run_kdocs("check", ".", "--no-cache", "--select", "I003", "--format", "json", cwd=root)
    assert (run.exit_code, run.json()["diagnostics"]) == (0, [])
    (root / "app" / "gen.py").write_text("")
    (root / "app" / "util.py").write_text("import app.gen\n")
    run = run_kdocs("check", ".", "--no-cache", "--select", "I003", "--format", "json", cwd=root)
    assert [d["message"] for d in run.json()["diagnostics"]] == [
        'contract "arch": app.util -> app.gen (app.util is a lower layer than app.gen)'
    ]


def test_an_unbalanced_parenthesis_is_a_config_error(make_project: MakeProject) -> None:
    contract = '[[tool.kdocs.imports.contracts]]\ntype = "layers"\nlayers = ["(app.cli"]\n'
    root = make_project({"pyproject.toml": PYPROJECT + contract, "app/__init__.py": ""})
    run = run_kdocs("check", ".", "--no-cache", cwd=root)
    assert run.exit_code == 2
    assert "`tool.kdocs.imports.contracts[0].layers[0]` is not a layer name" in run.stderr


def test_architecture_page_names_every_layer_and_existing_paths() -> None:
    """ARCHITECTURE.md stays true: every module of the contract is in its layers table, and
    every ``kdocs/...`` path it names exists (bar the generator and diff homes to come)."""
    page = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for layer in _layers():
        for name in _names(layer):
            assert f"`{name}`" in page, name
    paths = set(re.findall(r"`(kdocs/[\w/.]*?)`", page))
    assert len(paths) > 20
    missing = sorted(
        p
        for p in paths
        if not (REPO / p).exists()
        and not p.startswith(("kdocs/gen/", "kdocs/diff/"))
        and "<" not in p
    )
    assert missing == []
    assert "[ARCHITECTURE.md](ARCHITECTURE.md)" in (REPO / "README.md").read_text(encoding="utf-8")
