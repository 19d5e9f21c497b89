"""The ``imports`` provider: raw import statements per file, resolved into a module graph.

Per file (cached): each ``import`` / ``from ... import`` statement as written, with its line and
context flags (inside ``if TYPE_CHECKING:``, under a condition, in a function), found by the
fast scanner (:mod:`.scan`) or, when the scanner is unsure, by walking the parsed module's
statements (:mod:`.walk`). :mod:`.link` resolves them into the :class:`ImportGraph`.

The provider has no config section: restrictions and contracts only matter to the rules, so
changing them does not invalidate cached facts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kdocs.extract import Provider, SourceFile
from kdocs.extract.imports.link import link
from kdocs.extract.imports.scan import scan
from kdocs.extract.imports.walk import tree_imports
from kdocs.lineslots import RowLines

# ``__path__ = extend_path(__path__, __name__)`` (pkgutil) or
# ``declare_namespace(__name__)`` (pkg_resources): a package whose other portions live in
# other distributions (issue 9: ``myns.other`` comes from the dependency ``myns-other``).
_NAMESPACE_CALL = re.compile(r"\b(?:extend_path|declare_namespace)\s*\(")


def _wants(text: str) -> bool:
    return "import" in text


def extract(source: SourceFile, settings: Mapping[str, Any]) -> dict[str, Any]:
    """``{"imports": [[line, flags, level, module, names], ...]}`` for one file, plus
    ``"namespace": true`` for a package ``__init__`` that extends its ``__path__``.

    When the pipeline has already parsed the file, walking the tree is the cheaper way;
    otherwise the scanner avoids the full parse.
    """
    facts: dict[str, Any] = {}
    if source.is_package and _NAMESPACE_CALL.search(source.text):
        facts["namespace"] = True
    if "tree" in vars(source):
        facts["imports"] = tree_imports(source.tree)
        return facts
    found = scan(source.text)
    if found is None:
        found = tree_imports(source.tree)
    facts["imports"] = found
    return facts


PROVIDER = Provider(
    kind="imports",
    version="3",
    wants=_wants,
    extract=extract,
    link=link,
    section=None,
    needs_tree=False,
    # django's graph (2,818 files): loading the stored model took 66-79 ms, the per-file
    # facts and a new link 35 + 39 ms, and storing it cost each linking run 55 ms.
    model_cached=False,
    line_slots=RowLines("imports"),
)
