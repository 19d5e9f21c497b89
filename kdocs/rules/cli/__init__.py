"""Family C: command-line conventions (kubectl's clicheck for click, typer and argparse CLIs).

Codes by topic: C0xx declared entry points, C1xx names, C2xx help present, C3xx one-line
summaries, C4xx long help, C5xx examples, C6xx boolean flags, C7xx inherited and conventional
flags, C8xx environment variables, C9xx deprecations, defaults and choices.
Importing this package registers them.
"""

from __future__ import annotations

from kdocs.rules.cli import (  # noqa: F401  (imported to register the rules)
    booleans,
    entrypoints,
    envvars,
    examples,
    helptext,
    inherited,
    misc,
    naming,
)
