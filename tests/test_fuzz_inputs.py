"""Property tests: random repository inputs never crash kdocs (issue 10, "Done means").

Random ``[tool.kdocs]`` values, ``.import-restrictions`` YAML, requirements files and byte
strings as ``.py`` files must give findings or a one-line configuration error, never a
traceback or an "internal error". Library-level properties run many examples cheaply; a few
examples go through the real command line. ``benchmarks/fuzz_inputs.py`` runs the same
properties with many more examples.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kdocs.analysis import FILES, process_file
from kdocs.config import TOP_LEVEL, load_file, parse_config
from kdocs.errors import ConfigError
from kdocs.extract.deps_manifests import RequirementsReader
from kdocs.project import SourceEntry
from kdocs.rules.imports.config import parse_restrictions_file
from kdocs.schema import config_schema, validated
from tests.helpers import Run, run_kdocs

EXAMPLES = int(os.environ.get("KDOCS_FUZZ_EXAMPLES", "60"))
"""Examples per library-level property (the benchmark raises it)."""
CLI_EXAMPLES = int(os.environ.get("KDOCS_FUZZ_CLI_EXAMPLES", "8"))

FAST = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
SLOW = settings(
    max_examples=CLI_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

# --- strategies ------------------------------------------------------------------------------

HOSTILE_TEXT = st.sampled_from(
    [
        "",
        "^(a+)+$",
        "(?=x)",
        "[",
        "\x1b]0;t\x07",
        "\u202e",
        "../../etc/passwd",
        "/proc/self/environ",
        "a" * 300,
        "C101",
        "ALL",
        "*",
        "**/*.py",
        "%(default)s",
        "\x00",
        "~",
        "tools/py",
    ]
)
TEXT = st.one_of(HOSTILE_TEXT, st.text(max_size=40))
SCALAR = st.one_of(
    TEXT, st.integers(min_value=-(2**63), max_value=2**63 - 1), st.booleans(), st.floats()
)
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=12,
)


def _section_keys() -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = [(k,) for k in TOP_LEVEL]
    for name, schema in config_schema().items():
        keys.extend((name, k) for k in schema.settings)
    return keys


def config_tables() -> st.SearchStrategy[dict[str, Any]]:
    """``[tool.kdocs]`` tables: known keys (top level and every section) with random values,
    and now and then an unknown key."""
    known = st.sampled_from(_section_keys())

    def build(pairs: list[tuple[tuple[str, ...], Any]]) -> dict[str, Any]:
        table: dict[str, Any] = {}
        for path, value in pairs:
            if len(path) == 1:
                table[path[0]] = value
            else:
                section = table.setdefault(path[0], {})
                if isinstance(section, dict):
                    section[path[1]] = value
        return table

    key = st.one_of(known, known, known, st.tuples(TEXT))
    return st.lists(st.tuples(key, VALUE), max_size=5).map(build)


RULE = st.dictionaries(
    st.sampled_from(
        ["selectorRegexp", "allowedPrefixes", "forbiddenPrefixes", "transitive", "bogus"]
    ),
    VALUE,
    max_size=4,
)
RESTRICTIONS = st.one_of(
    st.dictionaries(
        st.sampled_from(["rules", "inverseRules", "other"]),
        st.one_of(st.lists(RULE, max_size=3), VALUE),
        max_size=2,
    ).map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    st.text(max_size=200),
    st.sampled_from(["a: &x [1]\nb: *x\n", "rules: [*y]\n", "!!python/object:os.system x\n"]),
)

REQUIREMENT_LINE = st.one_of(
    st.sampled_from(
        [
            "click>=8",
            "requests[security] ==2.*",
            "-r /proc/self/environ",
            "-r ../../../../etc/passwd",
            "-r other.txt",
            "-c constraints.txt",
            "-e git+https://x/y#egg=z",
            "-e .",
            "--index-url https://example.org",
            "--hash=sha256:00",
            "pkg @ https://x/p-1.0.whl",
            "./local/path",
            "name = 1.0",
            "\\",
            "# comment",
            "-r",
            "--weird-option",
        ]
    ),
    st.text(max_size=60),
)
REQUIREMENTS = st.lists(REQUIREMENT_LINE, max_size=12).map("\n".join)

PY_TOKENS = st.sampled_from(
    [
        "import click\n",
        "@click.command()\n",
        "@click.option('--x', default=3, help='X.')\n",
        "def main(x):\n",
        "    '''Run.'''\n",
        "class A(BaseModel):\n",
        "    x: int = Field(alias='y')\n",
        "from pydantic import BaseModel, Field\n",
        "p = argparse.ArgumentParser(formatter_class=argparse.RawTextHelpFormatter)\n",
        "p.add_argument('--y', help='\\x1b[2J')\n",
        "# coding: latin-1\n",
        "# coding: hex\n",
        "\ufeff",
        "\x00",
        "(((((",
        "    ",
        "\t",
        "\r",
        "'''",
    ]
)
PY_SOURCE = st.one_of(
    st.binary(max_size=300),
    st.lists(PY_TOKENS, max_size=12).map(lambda parts: "".join(parts).encode("utf-8")),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", errors="surrogatepass")),
)

# --- library-level properties ----------------------------------------------------------------


def _never_crashes(call: Callable[[], object]) -> None:
    """``call`` returns, or raises ConfigError with a short message (the command line prints
    it on one line, control characters escaped); nothing else."""
    try:
        call()
    except ConfigError as err:
        message = str(err)
        assert len(message) < 2000, message


@FAST
@given(config_tables())
def test_random_config_tables_validate_or_give_a_config_error(table: dict[str, Any]) -> None:
    _never_crashes(
        lambda: validated(parse_config(table, source="pyproject.toml", prefix="tool.kdocs"))
    )


@FAST
@given(st.one_of(st.text(max_size=300), config_tables().map(lambda t: yaml.safe_dump(t))))
def test_random_yaml_config_files_load_or_give_a_config_error(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kdocs.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        _never_crashes(lambda: validated(load_file(path)))


@FAST
@given(RESTRICTIONS)
def test_random_import_restrictions_parse_or_give_a_config_error(text: str) -> None:
    def parse_and_match() -> None:
        found = parse_restrictions_file(text, "app/.import-restrictions", "app")
        for rule in (*found.rules, *found.inverse_rules):
            rule.pattern.search("app." + "a" * 50 + "b")

    _never_crashes(parse_and_match)


@FAST
@given(REQUIREMENTS, REQUIREMENTS)
def test_random_requirements_files_never_crash_or_escape(main: str, other: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "proj"
        root.mkdir()
        (root / "requirements.txt").write_text(main, encoding="utf-8", errors="surrogatepass")
        (root / "other.txt").write_text(other, encoding="utf-8", errors="surrogatepass")
        reader = RequirementsReader(root, lambda rel, constraints: "runtime")
        reader.read(root / "requirements.txt")
        for problem in reader.data.problems:
            assert len(problem.message) < 400, problem.message
            assert "root:" not in problem.message  # /etc/passwd never read


@FAST
@given(PY_SOURCE)
def test_random_bytes_as_python_files_give_findings_not_errors(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mod.py"
        path.write_bytes(data)
        entry = SourceEntry(str(path), "mod.py", "mod")
        kinds = [FILES, "cli", "types", "imports"]
        _, _, results = process_file(entry, kinds, {k: {} for k in kinds})
        for kind, result in results.items():
            problem = result["problem"]
            assert problem is None or problem[0] in ("E001", "E002", "E003"), (kind, problem)
            assert problem is None or str(problem[1]).strip(), (kind, problem)
            json.dumps(result)  # cacheable


# --- the real command line -------------------------------------------------------------------


def _toml_value(value: Any) -> str:
    """A TOML rendering of JSON-like data (inline tables and arrays); JSON strings are valid
    TOML basic strings except for a few escapes, so those are rendered by hand."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if value != value else ("inf" if value == float("inf") else repr(value))
    if isinstance(value, str):
        out = []
        for ch in value:
            if ch in '"\\':
                out.append("\\" + ch)
            elif ord(ch) < 0x20 or ord(ch) == 0x7F:
                out.append(f"\\u{ord(ch):04x}")
            elif 0xD800 <= ord(ch) <= 0xDFFF:
                out.append("?")
            else:
                out.append(ch)
        return '"' + "".join(out) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    items = ", ".join(f"{_toml_value(str(k))} = {_toml_value(v)}" for k, v in value.items())
    return "{" + items + "}"


def _toml_table(table: dict[str, Any]) -> str:
    return "".join(f"{_toml_value(k)} = {_toml_value(v)}\n" for k, v in table.items())


@SLOW
@given(config_tables(), RESTRICTIONS, REQUIREMENTS, PY_SOURCE)
def test_random_projects_through_the_cli(
    table: dict[str, Any], restrictions: str, requirements: str, source: bytes
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "proj"
        (root / "app").mkdir(parents=True)
        (root / "pyproject.toml").write_text(
            '[project]\nname = "app"\nversion = "1"\n[tool.kdocs]\n' + _toml_table(table),
            encoding="utf-8",
        )
        (root / "app" / "__init__.py").write_text("import click\n")
        (root / "app" / ".import-restrictions").write_text(
            restrictions, encoding="utf-8", errors="surrogatepass"
        )
        (root / "requirements.txt").write_text(
            requirements, encoding="utf-8", errors="surrogatepass"
        )
        (root / "app" / "mod.py").write_bytes(source)
        run = run_kdocs("check", ".", "--no-cache", "--select", "ALL", cwd=root)
        _assert_clean(run)
        if run.exit_code == 2:  # a config error stops the run: fuzz the rest without it
            (root / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "1"\n')
            run = run_kdocs("check", ".", "--no-cache", "--select", "ALL", cwd=root)
            _assert_clean(run)
            assert run.exit_code in (0, 1), run


def _assert_clean(run: Run) -> None:
    assert run.exit_code in (0, 1, 2), run
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    if run.exit_code == 2:
        assert len(run.stderr.strip().splitlines()) == 1, run.stderr  # one line
    assert "internal error" not in run.stdout, run.stdout
    assert "E900" not in run.stdout, run.stdout


def test_yaml_config_with_null_and_multiline_keys_is_a_config_error(tmp_path: Path) -> None:
    """Found by the long fuzz run: ``?`` (a null key) crashed with TypeError in difflib, and a
    key holding a newline split the error over two lines."""
    path = tmp_path / "kdocs.yaml"
    for text, shown in (("?\n", "`kdocs.None`"), ("? '\n\n'\n", "`kdocs.\\x0a`")):
        path.write_text(text)
        run = run_kdocs("check", ".", "--config", str(path), cwd=tmp_path)
        assert run.exit_code == 2, run
        assert run.stderr.count("\n") == 1 and shown in run.stderr, run.stderr
