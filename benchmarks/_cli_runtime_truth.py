"""Ground truth for benchmarks/cli_accuracy.py: run INSIDE the target venv.

Usage: ``python _cli_runtime_truth.py KDOCS_ROOT KDOCS_SITE_PACKAGES SPEC NAME``. Puts kdocs
first on ``sys.path`` and kdocs' own dependencies *last* (so the CLI's pinned click/typer
win), runs the runtime inspector on ``SPEC`` and prints the command tree as JSON.
"""

from __future__ import annotations

import json
import sys
import warnings

warnings.simplefilter("ignore")


def main() -> None:
    kdocs_root, kdocs_site, spec, name = sys.argv[1:5]
    sys.path.insert(0, kdocs_root)
    sys.path.append(kdocs_site)
    from kdocs.extract.runtime import inspect_runtime
    from kdocs.models.serialize import to_data

    commands = inspect_runtime(spec, name=name)
    json.dump({"clis": to_data(commands)}, sys.stdout)


if __name__ == "__main__":
    main()
