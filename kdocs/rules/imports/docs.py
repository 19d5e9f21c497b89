"""Documentation of the family I rules (``kdocs rules I001`` pages)."""

from __future__ import annotations

from typing import Any

RESTRICTIONS_FORMAT = """
`.import-restrictions` (YAML, in a package directory; import-boss' schema, keys match
without regard to case):

```yaml
rules:                          # what modules under this directory may import
  - selectorRegexp: "^myapp"    # unanchored regex on the imported module
    allowedPrefixes: ["myapp.api", "myapp.util"]
    forbiddenPrefixes: ["myapp.api.internal"]   # checked first: forbidden wins
    transitive: false           # default; true also checks indirect imports
inverseRules:                   # which modules may import the modules under here
  - selectorRegexp: "^myapp"    # matched against the importing module
    allowedPrefixes: ["myapp.cli"]
```

For each module, the files of its directory and every parent directory up to the project
root are tried nearest first, rules in order. A rule whose selector matches decides when a
forbidden or an allowed prefix matches (a prefix matches the module itself or its dotted
descendants; `""` matches everything); the first decision ends the search. A selector that
matched but never decided is a violation ("did not match any rule"); an import no selector
matches is allowed. The same tables may sit in `[[tool.kdocs.imports.restrictions]]` with a
`package` key saying which package directory they belong to.
"""


def _doc(
    code: str, name: str, summary: str, rationale: str, bad: str, good: str, **extra: Any
) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "summary": summary,
        "rationale": rationale,
        "bad": bad,
        "good": good,
        **extra,
    }


RULE_DOCS: dict[str, dict[str, Any]] = {
    "I001": _doc(
        "I001",
        "restricted-import",
        "A module imports something its `.import-restrictions` rules do not allow.",
        """
Kubernetes keeps its package boundaries with import-boss: a `.import-restrictions` file in a
package directory lists, per selector, the import prefixes allowed and forbidden there, and
CI rejects a change that crosses a boundary. kdocs applies the same files, with the same
semantics, to dotted Python module names, so an API package cannot start depending on the
server internals without a reviewed change to the restrictions file. Indirect imports are
checked by rules with `transitive: true`; their findings show the whole chain.
"""
        + RESTRICTIONS_FORMAT,
        """
# myapp/api/.import-restrictions
#   rules:
#     - selectorRegexp: "^myapp"
#       allowedPrefixes: ["myapp.api", "myapp.util"]
# myapp/api/handlers.py
from myapp.server.db import session  # did not match any rule
""",
        """
# myapp/api/handlers.py
from myapp.util.http import json_response  # allowed by "myapp.util"
""",
    ),
    "I002": _doc(
        "I002",
        "restricted-importer",
        "A module is imported by a module its `inverseRules` do not allow.",
        """
import-boss' `inverseRules` protect a package from its users: the file in the package's
directory says which modules may import it (a selector on the importing module, allowed and
forbidden prefixes), so internal helpers stay internal. The rules of the files found from
the imported module's directory up to the project root apply, nearest first; with
`transitive: true` indirect importers are checked too.
"""
        + RESTRICTIONS_FORMAT,
        """
# myapp/internal/.import-restrictions
#   inverseRules:
#     - selectorRegexp: ""
#       allowedPrefixes: ["myapp.core"]
# myapp/cli.py
from myapp.internal import cache  # "myapp.internal.cache" <- "myapp.cli" did not match any rule
""",
        """
# myapp/core/service.py
from myapp.internal import cache  # allowed: myapp.core
""",
    ),
    "I003": _doc(
        "I003",
        "layer-violation",
        "A lower layer imports a higher one (a layers contract).",
        """
A layered architecture (cli -> service -> domain) only stays layered if the lower layers never
import the higher ones, directly or through a chain of other modules. The contract follows
import-linter's layers contract: layers are listed highest first, each a package with its
descendants; `"a | b"` puts independent siblings in one layer, `"a : b"` siblings that may
import each other; `containers` repeat the layers inside each container package; a chain
through another layer is reported for that layer instead. Every chain is reported with its
hops (file:line each).

```toml
[[tool.kdocs.imports.contracts]]
name = "architecture"
type = "layers"
layers = ["myapp.cli", "myapp.service", "myapp.domain"]
```
""",
        """
# myapp/domain/model.py
from myapp.service.billing import price  # domain is below service
""",
        """
# myapp/service/billing.py
from myapp.domain.model import Order  # higher imports lower
""",
    ),
    "I004": _doc(
        "I004",
        "independence-violation",
        "Modules that must be independent import each other (an independence contract).",
        """
Plugins, bounded contexts or backends that must be deployable and testable on their own may
not import each other, directly or indirectly (import-linter's independence contract).

```toml
[[tool.kdocs.imports.contracts]]
name = "backends"
type = "independence"
modules = ["myapp.backends.*"]
```
""",
        """
# myapp/backends/s3.py
from myapp.backends.gcs import retry  # backends must be independent
""",
        """
# myapp/backends/s3.py
from myapp.util.retry import retry  # shared code lives outside the backends
""",
    ),
    "I005": _doc(
        "I005",
        "forbidden-import",
        "A module imports a forbidden module or external package (a forbidden contract).",
        """
Some dependencies must stay out of some code: no web framework in the domain model, no
`requests` in the offline CLI, no test helpers in production code (import-linter's forbidden
contract, also on external packages: `forbidden-modules = ["django", "requests"]`). Indirect
chains count unless `allow-indirect-imports = true`; modules are packages (with their
descendants) unless `as-packages = false`.

```toml
[[tool.kdocs.imports.contracts]]
name = "pure domain"
type = "forbidden"
source-modules = ["myapp.domain"]
forbidden-modules = ["myapp.web", "django", "requests"]
```
""",
        """
# myapp/domain/order.py
import requests  # the domain must not do I/O
""",
        """
# myapp/web/client.py
import requests
""",
    ),
    "I006": _doc(
        "I006",
        "import-cycle",
        "Packages of an acyclic contract import each other in a cycle.",
        """
A cycle between packages means neither can be understood, tested or extracted without the
other, and it is the usual source of import-order bugs. An acyclic contract lists packages
(each with its descendants; `myapp.*` for all children of a package) among which the package
graph must have no cycle; each cycle is reported once, with one import per hop.

```toml
[[tool.kdocs.imports.contracts]]
name = "no cycles between subpackages"
type = "acyclic"
modules = ["myapp.*"]
```
""",
        """
# myapp/orders/__init__.py
from myapp.billing import invoice
# myapp/billing/invoice.py
from myapp.orders import Order  # orders -> billing -> orders
""",
        """
# myapp/billing/invoice.py
from myapp.domain import Order  # both depend on a lower package
""",
    ),
    "I010": _doc(
        "I010",
        "invalid-import-restrictions",
        "An `.import-restrictions` file or restrictions entry cannot be used.",
        """
import-boss stops with an error on a broken restrictions file; kdocs reports it and goes on
without the file, so the other checks still run. Unknown keys are errors too (import-boss
ignores them, which turns a typo such as `forbiddenPrefix` into a silently disabled rule).
"""
        + RESTRICTIONS_FORMAT,
        """
# myapp/.import-restrictions
rules:
  - selectorRegexp: "^myapp(["
    forbiddenPrefix: ["myapp.server"]
""",
        """
# myapp/.import-restrictions
rules:
  - selectorRegexp: "^myapp"
    forbiddenPrefixes: ["myapp.server"]
""",
        bad_language="yaml",
    ),
    "I011": _doc(
        "I011",
        "relative-import-beyond-top-level",
        "A relative import climbs above the top-level package.",
        """
`from .. import x` in a module whose package has no parent fails at import time
("attempted relative import beyond top-level package"); in a top-level module any relative
import fails. Often the code is run with a different source root than the one it was written
for: fix the import or the project's `src` setting.
""",
        """
# myapp/cli.py
from ..util import helpers
""",
        """
# myapp/cli.py
from .util import helpers
""",
    ),
    "I012": _doc(
        "I012",
        "missing-internal-module",
        "An import names a module of the project that does not exist.",
        """
`import myapp.utils.strings` or `from myapp.old import x` where no such module (file,
package, namespace directory or compiled extension) exists is an `ImportError` waiting to
happen, typically after a rename. Imports under `try:`, `if` or inside functions are not
reported: they are often deliberately optional.
""",
        """
from myapp.utils.string import slugify  # the module is myapp/utils/strings.py
""",
        """
from myapp.utils.strings import slugify
""",
    ),
    "I013": _doc(
        "I013",
        "shadowed-module",
        "A module file and a package have the same name; the file is never imported.",
        """
With both `myapp/config.py` and `myapp/config/__init__.py`, Python imports the package and
the file is dead code that readers and tools still look at. Merge them or rename one.
""",
        """
# myapp/config.py and myapp/config/__init__.py both exist
""",
        """
# only myapp/config/__init__.py (or only myapp/config.py)
""",
        bad_language="text",
    ),
    "I014": _doc(
        "I014",
        "missing-init",
        "A directory inside a regular package holds modules but no `__init__.py`.",
        """
Without `__init__.py` the directory is an implicit namespace package: it imports, but
packaging tools that look for packages (setuptools' `find_packages`) leave it out of the
wheel, and tools that map files to modules may disagree about its name. Inside a regular
package this is almost always a forgotten file. Reported only for a folder some module of
the project imports from (files nobody imports, such as data a tool reads or scripts run by
path, are not modules), and never in test, docs or example code (`test-paths`).
""",
        """
# myapp/__init__.py exists, myapp/plugins/__init__.py does not
# myapp/plugins/s3.py
""",
        """
# myapp/plugins/__init__.py (may be empty)
""",
        bad_language="text",
    ),
}
