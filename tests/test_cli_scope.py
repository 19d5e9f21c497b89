"""Scope: which files are test/fixture/docs/example/template code, and which CLIs count."""

from __future__ import annotations

import pytest

from kdocs.scope import DEFAULT_TEST_PATHS, is_out_of_scope


@pytest.mark.parametrize(
    "relpath",
    [
        "tests/test_cli.py",
        "tests/fixtures/app/cli.py",
        "src/pkg/tests/helpers.py",
        "test/cli.py",
        "conftest.py",
        "pkg/conftest.py",
        "pkg/test_cli.py",
        "pkg/cli_test.py",
        "fixtures/demo/cli.py",
        "docs/conf.py",
        "examples/app/main.py",
        "pkg/templates/base.py",
        "{{cookiecutter.project_slug}}/cli.py",
        "template/{% if x %}cli.py{% endif %}",
    ],
)
def test_test_fixture_docs_example_template_code_is_out_of_scope(relpath: str) -> None:
    assert is_out_of_scope(relpath)


@pytest.mark.parametrize(
    "relpath",
    ["pkg/cli.py", "pkg/testing/__init__.py", "testing/plugin.py", "pkg/contest.py", "main.py"],
)
def test_product_code_is_in_scope(relpath: str) -> None:
    # A runtime package named `testing` ships to users: it is not test code.
    assert not is_out_of_scope(relpath)


def test_patterns_replace_the_defaults() -> None:
    assert not is_out_of_scope("tests/test_cli.py", ["scripts/"])
    assert is_out_of_scope("scripts/gen.py", ["scripts/"])
    # Templated trees stay out whatever the patterns.
    assert is_out_of_scope("{{name}}/cli.py", [])
    assert "tests/" in DEFAULT_TEST_PATHS
