"""The ``[tool.kdocs.deps]`` settings the deps link reads, and their defaults.

A light module: the config schema (:mod:`kdocs.schema`) and the model cache's key read it
without importing the deps extractor (packaging, manifests, installed metadata).
"""

from __future__ import annotations

from typing import Any

from kdocs.config import Setting, expect_bool, expect_choice, expect_str, expect_str_list
from kdocs.errors import ConfigError

SECTION = "deps"

DEFAULT_REQUIREMENTS = (
    "requirements*.txt",
    "requirements*.in",
    "*requirements.txt",
    "*-requirements.in",
    "requirements/*.txt",
    "requirements/*.in",
    "constraints*.txt",
)
DEFAULT_DEV_GROUPS = (
    "dev",
    "develop",
    "development",
    "test",
    "tests",
    "testing",
    "lint",
    "linting",
    "typing",
    "types",
    "type",
    "mypy",
    "check",
    "docs",
    "doc",
    "cov",
    "cover",
    "coverage",
    "ci",
    "bench",
    "benchmark",
    "benchmarks",
)
"""Extra names that are development-only, compared as whole names (an extra called
``annotated-types`` or ``pytest-plugin`` is runtime: only ``types`` or ``test`` is dev)."""

DEFAULT_DEV_PATHS = (
    "docs/",
    "doc/",
    "benchmarks/",
    "examples/",
    "scripts/",
    "tools/",
)
"""Runtime-free folders beyond test code (which :func:`kdocs.scope.is_out_of_scope` decides:
``tests/``, ``conftest.py``, ``test_*.py``..., but not a runtime package ``pkg/testing/``)."""


def expect_module_map(value: Any, key: str) -> dict[str, tuple[str, ...]]:
    """``{import name = "dist"}`` or ``{import name = ["dist-a", "dist-b"]}``."""
    if not isinstance(value, dict):
        raise ConfigError(f"`{key}` must be a table of import name -> distribution(s)")
    out: dict[str, tuple[str, ...]] = {}
    for module, dists in value.items():
        if not all(p.isidentifier() for p in str(module).split(".")):
            raise ConfigError(f"`{key}`: {module!r} is not a dotted module name")
        if isinstance(dists, str):
            out[module] = (dists,)
        else:
            out[module] = expect_str_list(dists, f"{key}.{module}")
    return out


SETTINGS: dict[str, Setting] = {
    "python": Setting(
        expect_str,
        "",
        "The project's interpreter or virtualenv (relative to the root) whose installed "
        "metadata maps imports to distributions; default: $VIRTUAL_ENV, .venv, venv.",
    ),
    "use-installed": Setting(
        expect_bool,
        True,
        "Read installed metadata at all (false: only the shipped table, module-map and the "
        "name guess: the same result on every machine).",
    ),
    "module-map": Setting(
        expect_module_map,
        {},
        "Import name -> distribution(s) for imports whose name differs from the distribution's "
        "(takes precedence over installed metadata and the shipped table).",
    ),
    "requirements-files": Setting(
        expect_str_list,
        DEFAULT_REQUIREMENTS,
        "Globs (relative to the root) of requirements / constraints files to read.",
    ),
    "requirements-declare": Setting(
        expect_choice("auto", "always", "never"),
        "auto",
        "Whether non-dev requirements files declare runtime dependencies: auto = only when "
        "pyproject.toml declares none (otherwise they are treated as pins / lock files).",
    ),
    "dev-groups": Setting(
        expect_str_list,
        DEFAULT_DEV_GROUPS,
        "Names of optional-dependency extras (whole names) and words of requirements file "
        "names that are development-only (dependency groups and Poetry/PDM/uv dev groups "
        "always are).",
    ),
    "check-type-checking": Setting(
        expect_bool,
        False,
        "Check imports under `if TYPE_CHECKING:` for missing/transitive (D101/D103) too; by "
        "default they are skipped, as deptry does: they never run.",
    ),
    "dev-paths": Setting(
        expect_str_list,
        DEFAULT_DEV_PATHS,
        "Gitignore-style patterns of files that are not runtime code beyond test code "
        "(tests/, conftest.py, test_*.py are always dev) and build hooks (setup.py, "
        "hatch_build.py, noxfile.py, ... and hooks named in pyproject.toml).",
    ),
}
