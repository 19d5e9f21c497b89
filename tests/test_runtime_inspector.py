"""The runtime inspector: real fixture CLIs imported and read; static vs runtime agreement."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import click
import pytest

from kdocs.analysis import Analysis
from kdocs.extract.cli.typenames import normalize_type_name, runtime_type_name
from kdocs.extract.runtime import RuntimeInspectError, inspect_runtime, json_safe
from kdocs.models.cli import Command
from kdocs.project import discover
from tests.cli_agreement import differences
from tests.test_extract_argparse import static_clis

FIXTURES = Path(__file__).parent / "fixtures"
ARGPARSE = FIXTURES / "cli_argparse"
RUNTIME = FIXTURES / "cli_runtime"


@pytest.fixture
def importable(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run from a fixture root (the inspector adds the cwd to sys.path); forget its modules."""
    before = set(sys.modules)
    saved_path = list(sys.path)
    yield
    for name in set(sys.modules) - before:
        if name.split(".")[0] in ("argtool", "clicktool", "typertool"):
            del sys.modules[name]
    sys.path[:] = saved_path


def test_argparse_runtime_reads_the_parser(
    monkeypatch: pytest.MonkeyPatch, importable: None
) -> None:
    monkeypatch.chdir(ARGPARSE)
    [root] = inspect_runtime("argtool.cli:build_parser", name="argtool")
    assert root.framework == "argparse" and root.name == "argtool"
    assert [c.name for c in root.subcommands] == [
        "init", "show", "start", "stop", "remote", "internal",
    ]  # fmt: skip
    init = root.subcommands[0]
    assert init.aliases == ("new",) and init.short_help == "Create a project."
    assert [o.names for o in root.options] == [("--version",), ("--color",)]
    assert root.options[1].secondary_names == ("--no-color",)
    assert root.subcommands[-1].hidden


def test_argparse_static_and_runtime_agree_on_the_fixture(
    monkeypatch: pytest.MonkeyPatch, importable: None
) -> None:
    static = {c.name: c for c in static_clis(ARGPARSE)}["argtool"]
    monkeypatch.chdir(ARGPARSE)
    # main() builds the parser and parses: the inspector stops at parse_args.
    [runtime] = inspect_runtime("argtool.cli:main", name="argtool")
    assert differences(static, runtime) == []


def test_runtime_sees_what_static_analysis_cannot(
    monkeypatch: pytest.MonkeyPatch, importable: None
) -> None:
    monkeypatch.chdir(ARGPARSE)
    monkeypatch.setenv("ARGTOOL_PLUGINS", "gpu,cache")
    [root] = inspect_runtime("argtool.dynamic:get_parser")
    assert root.name == "argtool"  # no name given: the top-level package
    assert [o.names for o in root.options] == [("--plain",), ("--with-gpu",), ("--with-cache",)]
    assert [c.name for c in root.subcommands] == ["gpu", "cache"]


def test_click_runtime_model(monkeypatch: pytest.MonkeyPatch, importable: None) -> None:
    monkeypatch.chdir(RUNTIME)
    [root] = inspect_runtime("clicktool.cli:cli", name="clicktool")
    assert root.framework == "click" and root.is_group
    assert root.help == "Manage clicktool things.\n\nLonger text here.\n"  # cut at \f
    assert [o.names for o in root.options] == [("--version",), ("-v", "--verbose")]
    assert root.options[1].count
    assert [c.name for c in root.subcommands] == ["create", "debug", "remote"]
    create = root.subcommands[0]
    force, tag, mode, retries, secret = create.options
    assert (force.names, force.secondary_names, force.is_flag) == (
        ("--force",),
        ("--no-force",),
        True,
    )
    assert tag.multiple and tag.dest == "tags"
    assert (mode.type, mode.choices, mode.default) == ("choice", ("fast", "slow"), "fast")
    assert (retries.type, retries.envvar, retries.default) == ("integer", ("CLICKTOOL_RETRIES",), 3)
    assert secret.hidden
    assert create.arguments[0].name == "name" and create.arguments[0].required
    debug = root.subcommands[1]
    assert debug.hidden and debug.epilog == "See docs."
    remote = root.subcommands[2]
    assert remote.short_help == "Remote things." and remote.subcommands[0].name == "add"
    assert remote.subcommands[0].arguments[0].nargs == -1
    assert root.source is not None and root.source.file == "clicktool/cli.py"
    assert root.object == "clicktool.cli:cli"


def test_click_main_function_is_captured(monkeypatch: pytest.MonkeyPatch, importable: None) -> None:
    monkeypatch.chdir(RUNTIME)
    [root] = inspect_runtime("clicktool.cli:main", name="clicktool")
    assert [c.name for c in root.subcommands] == ["create", "debug", "remote"]


def test_typer_runtime_model(monkeypatch: pytest.MonkeyPatch, importable: None) -> None:
    monkeypatch.chdir(RUNTIME)
    [root] = inspect_runtime("typertool.app:app", name="typertool")
    assert root.framework == "typer"
    assert [c.name for c in root.subcommands] == ["hello", "users"]
    hello = root.subcommands[0]
    assert hello.help == "Say hello."
    by_name = {o.names[0]: o for o in hello.options}
    assert by_name["--count"].type == "integer"
    assert by_name["--color"].choices == ("red", "blue")
    assert by_name["--shout"].secondary_names == ("--no-shout",)
    assert hello.arguments[0].name == "name" and hello.arguments[0].help == "Who to greet."
    users = root.subcommands[1]
    assert users.subcommands[0].name == "add"


def _static_root(name: str, framework: str) -> Command:
    model = Analysis(discover([RUNTIME]), use_cache=False).model("cli")
    found = [c for c in model.clis if c.name == name and c.framework == framework]
    assert found, [(c.name, c.framework) for c in model.clis]
    return found[0]


@pytest.mark.parametrize(
    ("spec", "name", "framework"),
    [
        ("clicktool.cli:cli", "clicktool", "click"),
        ("typertool.app:app", "typertool", "typer"),
    ],
)
def test_click_and_typer_static_and_runtime_agree(
    monkeypatch: pytest.MonkeyPatch, importable: None, spec: str, name: str, framework: str
) -> None:
    static = _static_root(name, framework)
    monkeypatch.chdir(RUNTIME)
    [runtime] = inspect_runtime(spec, name=name)
    assert differences(static, runtime) == []


def test_bad_specs_are_clear_errors(monkeypatch: pytest.MonkeyPatch, importable: None) -> None:
    monkeypatch.chdir(RUNTIME)
    with pytest.raises(RuntimeInspectError, match="cannot import"):
        inspect_runtime("no_such_module_xyz:cli")
    with pytest.raises(RuntimeInspectError, match="no attribute"):
        inspect_runtime("clicktool.cli:nope")
    with pytest.raises(RuntimeInspectError, match="not a click/typer/argparse"):
        inspect_runtime("clicktool.cli:verbose_option.__doc__")
    with pytest.raises(RuntimeInspectError, match="must look like module:attr"):
        inspect_runtime(":cli")


def test_json_safe_defaults() -> None:
    import argparse
    import enum

    class Color(enum.Enum):
        RED = "red"

    assert json_safe(argparse.SUPPRESS) is None
    assert json_safe(Color.RED) == "red"
    assert json_safe(print) is None
    assert json_safe((1, "a")) == [1, "a"]
    assert json_safe(Path("x/y")) is None  # an object: static extraction cannot know it
    assert json_safe(object).__class__ is type(None)  # a class is callable: None
    assert json_safe(3.5) == 3.5


def test_type_names_shared_by_static_and_runtime() -> None:
    import argparse
    import pathlib

    pairs = [
        (click.INT, "click.INT"),
        (click.STRING, "str"),
        (click.Choice(["a"]), "click.Choice"),
        (click.Path(), "click.Path"),
        (click.File(), "click.File"),
        (click.IntRange(0, 3), "click.IntRange"),
        (int, "int"),
        (float, "float"),
        (pathlib.Path, "pathlib.Path"),
        (argparse.FileType("r"), "argparse.FileType"),
    ]
    for runtime_obj, source in pairs:
        assert runtime_type_name(runtime_obj) == normalize_type_name(source), source
    assert runtime_type_name(None) is None
    assert normalize_type_name("mymod.parse_size") == "parse_size"


# -- real CLIs from PyPI ---------------------------------------------------------------------


def _benchmark() -> ModuleType:
    path = Path(__file__).parent.parent / "benchmarks" / "cli_accuracy.py"
    spec = importlib.util.spec_from_file_location("cli_accuracy_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.parametrize("package", ["pre-commit", "mkdocs", "fastapi-cli"])
def test_static_matches_runtime_on_real_clis(package: str) -> None:
    """One real CLI per framework; all measured at F1 1.000 and help 1.000 (see README)."""
    bench = _benchmark()
    [entry] = [b for b in bench.PACKAGES if b.name == package]
    result = bench.run_one(entry)
    items_tp = result.commands.tp + result.options.tp + result.arguments.tp
    items_fn = result.commands.fn + result.options.fn + result.arguments.fn
    items_fp = result.commands.fp + result.options.fp + result.arguments.fp
    f1 = 2 * items_tp / (2 * items_tp + items_fn + items_fp)
    assert f1 >= 0.97, result.commands.misses + result.options.misses
    assert result.help.rate >= 0.95, result.help.misses
