"""The ``imports`` provider: raw import statements per file, resolved into a module graph.

Per file (cached): each ``import`` / ``from ... import`` statement as written, with its line and
context flags (inside ``if TYPE_CHECKING:``, under a condition, in a function), found by the
fast scanner (:mod:`.scan`) or, when the scanner is unsure, by walking the parsed module's
statements (:mod:`.walk`). :mod:`.link` resolves them into the :class:`ImportGraph`.

The provider has no config section: restrictions and contracts only matter to the rules, so
changing them does not invalidate cached facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kdocs.extract import Provider, SourceFile
from kdocs.extract.imports.link import link
from kdocs.extract.imports.scan import scan
from kdocs.extract.imports.walk import tree_imports


def _wants(text: str) -> bool:
    return "import" in text


def extract(source: SourceFile, settings: Mapping[str, Any]) -> dict[str, Any]:
    """``{"imports": [[line, flags, level, module, names], ...]}`` for one file.

    When the pipeline has already parsed the file, walking the tree is the cheaper way;
    otherwise the scanner avoids the full parse.
    """
    if "tree" in vars(source):
        return {"imports": tree_imports(source.tree)}
    found = scan(source.text)
    if found is None:
        found = tree_imports(source.tree)
    return {"imports": found}


PROVIDER = Provider(
    kind="imports",
    version="3",
    wants=_wants,
    extract=extract,
    link=link,
    section=None,
    needs_tree=False,
)
