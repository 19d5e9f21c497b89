"""Long fuzz run of kdocs' hostile-input properties (tests/test_fuzz_inputs.py).

The test suite runs a bounded number of examples per property; this runs many more:

    python benchmarks/fuzz_inputs.py [--examples 2000] [--cli-examples 200]

Random ``[tool.kdocs]`` tables, ``kdocs.yaml`` files, ``.import-restrictions`` YAML,
requirements files and byte strings as ``.py`` files; each must give findings or a one-line
configuration error, never a traceback or an "internal error". Exits with pytest's status;
hypothesis prints the smallest failing input it finds.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="Examples per property.")
    parser.add_argument(
        "--cli-examples", type=int, default=200, help="Examples through the command line."
    )
    args = parser.parse_args()
    os.environ["KDOCS_FUZZ_EXAMPLES"] = str(args.examples)
    os.environ["KDOCS_FUZZ_CLI_EXAMPLES"] = str(args.cli_examples)
    # Hypothesis' example database and patch files go to benchmarks/.cache, not the repo root.
    os.environ.setdefault(
        "HYPOTHESIS_STORAGE_DIRECTORY", str(REPO / "benchmarks/.cache/hypothesis")
    )
    import pytest

    return int(
        pytest.main(
            [
                "-q",
                "-p",
                "no:xdist",
                "-p",
                "no:cacheprovider",
                str(REPO / "tests/test_fuzz_inputs.py"),
            ]
        )
    )


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
