"""Configuration: validation errors name the key path, suggest fixes, and exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from kdocs.config import load_file, parse_config
from kdocs.errors import ConfigError
from kdocs.schema import validated
from tests.conftest import MakeProject
from tests.helpers import run_kdocs


def test_defaults_when_no_table(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "[project]\nname = 'x'\n"})
    config = load_file(root / "pyproject.toml")
    assert config.select is None
    assert config.cache_dir == ".kdocs_cache"
    assert config.source == str(root / "pyproject.toml")


def test_valid_table_is_typed(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": """
            [tool.kdocs]
            src = ["src"]
            select = ["E", "C1"]
            ignore = ["E004"]
            extend-exclude = ["legacy/"]
            [tool.kdocs.per-file-ignores]
            "tests/*" = ["E003"]
            """
        }
    )
    config = load_file(root / "pyproject.toml")
    assert config.src == ("src",)
    assert config.select == ("E", "C1")
    assert config.ignore == ("E004",)
    assert config.extend_exclude == ("legacy/",)
    assert config.per_file_ignores == {"tests/*": ("E003",)}


def test_unknown_key_is_named_with_suggestion() -> None:
    with pytest.raises(ConfigError) as err:
        parse_config({"extend-exlude": ["x"]}, source="pyproject.toml", prefix="tool.kdocs")
    message = str(err.value)
    assert "unknown key `tool.kdocs.extend-exlude`" in message
    assert "did you mean `extend-exclude`?" in message


def test_unknown_key_in_family_section_names_full_path() -> None:
    with pytest.raises(ConfigError) as err:
        validated(parse_config({"cli": {"no-such-option": 1}}, source=None, prefix="tool.kdocs"))
    assert "tool.kdocs.cli.no-such-option" in str(err.value)


def test_wrong_type_says_what_was_expected() -> None:
    with pytest.raises(ConfigError) as err:
        parse_config({"select": "E001"}, source=None, prefix="tool.kdocs")
    assert "`tool.kdocs.select` must be a list of strings, got a string" in str(err.value)
    with pytest.raises(ConfigError) as err:
        parse_config({"select": ["E001", 3]}, source=None, prefix="tool.kdocs")
    assert "`tool.kdocs.select[1]` must be a string, got an integer" in str(err.value)
    with pytest.raises(ConfigError) as err:
        parse_config({"cache": "yes"}, source=None, prefix="tool.kdocs")
    assert "must be true or false" in str(err.value)


def test_yaml_config_file(tmp_path: Path) -> None:
    cfg = tmp_path / "kdocs.yaml"
    cfg.write_text("select: [E003]\nignore: []\n")
    assert load_file(cfg).select == ("E003",)
    cfg.write_text("selct: [E003]\n")
    with pytest.raises(ConfigError) as err:
        load_file(cfg)
    assert "unknown key `kdocs.selct`; did you mean `select`?" in str(err.value)


def test_invalid_yaml_and_toml_are_config_errors(tmp_path: Path) -> None:
    bad_yaml = tmp_path / "kdocs.yaml"
    bad_yaml.write_text("select: [E003\n")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_file(bad_yaml)
    bad_toml = tmp_path / "kdocs.toml"
    bad_toml.write_text("select = [\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_file(bad_toml)


def test_cli_exits_2_with_one_line_naming_the_key(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": "[tool.kdocs]\nper-file-ignore = {}\n",
            "pkg/__init__.py": "",
        }
    )
    run = run_kdocs("check", str(root))
    assert run.exit_code == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "tool.kdocs.per-file-ignore" in lines[0]
    assert "per-file-ignores" in lines[0]
    assert "Traceback" not in run.stderr


def test_unknown_selector_is_usage_error(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "[tool.kdocs]\nselect = ['Q9']\n", "a.py": "x = 1\n"})
    run = run_kdocs("check", str(root))
    assert run.exit_code == 2
    assert "unknown rule code or prefix 'Q9'" in run.stderr


def test_explicit_config_file_overrides_pyproject(make_project: MakeProject) -> None:
    root = make_project(
        {
            "pyproject.toml": "[tool.kdocs]\nselect = ['E003']\n",
            "kdocs.toml": "select = ['E001']\n",
            "bad.py": "def f(:\n",
        }
    )
    assert run_kdocs("check", str(root), "--no-cache").exit_code == 1
    run = run_kdocs("check", str(root), "--no-cache", "--config", str(root / "kdocs.toml"))
    assert run.exit_code == 0, run.stdout
